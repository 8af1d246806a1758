-- Where the recipient's last reply (smtp_response) came from: the SMTP step it answered (CONN, HELO, MAIL, RCPT,
-- DATA) and the host that gave it, as the relay or the bounce report said. NULL when they did not say (and for replies
-- stored before), and for the service's own texts (suppressed, sandboxed, gave up).
ALTER TABLE recipients ADD COLUMN smtp_command text, ADD COLUMN remote_host text;
