// The same causes in the words of other MTAs, gateways and receivers (Sendmail, qmail and its patches, mail.local,
// Exchange, Amazon SES, SpamAssassin and the gateways' spam engines, free.fr, Orange, iCloud, Microsoft), each read
// as the cause it names, beside the near misses that must keep their own reading.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifySmtpReply } from '../../../src/domain/bounces/classify-smtp-reply.js';
import { suppressionTier } from '../../../src/domain/bounces/decide-suppression.js';
import { normaliseDiagnostic, reasonForText } from '../../../src/domain/bounces/diagnostic-patterns.js';
import type { SmtpCommand } from '../../../src/domain/bounces/smtp-codes.js';

/**
 * Each reply read as the answer to the step its server gave it at (null: none named), its codes taken from its own
 * text; with the hard flag too where the case says it.
 */
function expectAtStep(cases: ReadonlyArray<readonly [SmtpCommand | null, string, string, boolean?]>): void {
  for (const [step, reply, reason, hard] of cases) {
    const r = classifySmtpReply(null, null, reply, step);
    assert.equal(r.reason, reason, `at ${step ?? 'no step'}: ${reply}`);
    if (hard !== undefined) assert.equal(r.hard, hard, `hard, at ${step ?? 'no step'}: ${reply}`);
  }
}

/** Each reply read both ways: its words alone, and as a reply to RCPT TO (where receivers' own tables come first). */
function expectReasons(cases: ReadonlyArray<readonly [string, string | null]>): void {
  for (const [reply, reason] of cases) {
    assert.equal(reasonForText(normaliseDiagnostic(reply)), reason, reply);
    assert.equal(classifySmtpReply(null, null, reply).reason, reason ?? 'onhold', `as a reply: ${reply}`);
  }
}

test('a full mailbox, and a message too big, in other words', () => {
  expectReasons([
    ['552 5.2.2 Mailbox quota usage exceeded', 'mailboxfull'],
    // the mailbox's owner named in the sentence, in English and in European receivers' languages
    ['550 Mailbox for user@example.com is full', 'mailboxfull'],
    ['452 Die Mailbox von user@example.de ist voll', 'mailboxfull'],
    ['452 La boîte aux lettres de user@example.fr est pleine', 'mailboxfull'],
    ['452 El buzón de user@example.es está lleno', 'mailboxfull'],
    ['452 La casella di user@example.it è piena', 'mailboxfull'],
    ["550 The user's account is exceeding their quota", 'mailboxfull'],
    ["552 Requested mail action aborted: the user's space has been used up", 'mailboxfull'],
    ['452 4.2.2 User has too many messages on the server', 'mailboxfull'],
    ['552 Recipient rejected: mailbox would exceed maximum allowed storage', 'mailboxfull'],
    ['552 The recipient mailbox does not have enough space', 'mailboxfull'],
    // (the Windows SMTP service's queue words it "sufficient")
    ['552 A recipient of this message does not have sufficient space to receive it.', 'mailboxfull'],
    ['552 Boite du destinataire pleine', 'mailboxfull'],
    ['552 Exceeded maximum inbound message size', 'mesgtoobig'],
    ['552 Taille limite du message atteinte', 'mesgtoobig'],
    // a line over the receiver's limit, refused after the data with a bare 500 that is no command's syntax error
    ['500 Line limit exceeded', 'mesgtoobig'],
    // the storage of all of a domain's mailboxes (SmarterMail), not the message's size
    ['Reason: The domain size limit has been exceeded', 'mailboxfull'],
    ['552 Message exceeds domain size limit', 'mesgtoobig'],
    // near misses: the system's storage, not the mailbox's; the sender's own sending quota
    ['452 4.3.1 Insufficient system storage', 'systemfull'],
    ['454 Daily sending quota exceeded', 'speeding'],
    [
      "550 5.1.90 Your message can't be sent because you've reached your daily limit for message recipients",
      'speeding',
    ],
    // an account shut to new mail for a while because it received too much: full for now, not closed
    ['452 Account disabled temporarly for exceeding receiving limits', 'mailboxfull'],
  ]);
  assert.notEqual(
    suppressionTier(
      classifySmtpReply(552, null, '552 Account disabled temporarly for exceeding receiving limits').reason,
      '5',
    ),
    'address',
  );
});

test("the same causes in the languages of localised notices and receivers' replies", () => {
  expectReasons([
    // a Spanish-speaking provider's mailbox closed for lack of use
    ['Esta casilla ha expirado por falta de uso.', 'suspend'],
    // German (Exchange's localised notices; web.de), Chinese (QQ Mail's help; gromox's templates), Japanese
    ['550 Das Postfach des Empfängers ist voll', 'mailboxfull'],
    ['552 Benutzer hat das Speichervolumen ueberschritten.', 'mailboxfull'],
    ['552 因为收件人邮箱已满', 'mailboxfull'],
    // ... its space named between ("mailbox space is full", "mailbox capacity insufficient"), and Russian's overflow
    ['552 收件人邮箱空间已满', 'mailboxfull'],
    ['552 邮箱容量不足', 'mailboxfull'],
    ['552 Почтовый ящик переполнен', 'mailboxfull'],
    // "user unknown" in further languages: Portuguese, Czech, Swedish, Danish, Norwegian, Turkish, Indonesian,
    // Hungarian, Romanian, Greek, Vietnamese, Arabic
    ['550 Usuário não encontrado', 'userunknown'],
    ['550 Uživatel neexistuje', 'userunknown'],
    ['550 Användaren finns inte', 'userunknown'],
    ['550 Brugeren findes ikke', 'userunknown'],
    ['550 Bruker finnes ikke', 'userunknown'],
    ['550 Kullanıcı bulunamadı', 'userunknown'],
    ['550 Pengguna tidak ditemukan', 'userunknown'],
    ['550 Felhasználó nem létezik', 'userunknown'],
    ['550 Utilizator inexistent', 'userunknown'],
    ['550 Ο χρήστης δεν υπάρχει', 'userunknown'],
    ['550 Người dùng không tồn tại', 'userunknown'],
    ['550 المستخدم غير موجود', 'userunknown'],
    // (an IP address said unknown in Indonesian is not the recipient)
    ['550 Alamat IP tidak dikenal', null],
    // NetEase's refusal without its code: the system judged it spam (垃圾邮件)
    ['554 发送的邮件内容包含了未被许可的信息，或被系统识别为垃圾邮件', 'spamdetected'],
    ['552 送信先の受信ボックスの容量に空きがない。', 'mailboxfull'],
    ['552 因为邮件过大！', 'mesgtoobig'],
    ['552 Die E-Mail ist zu groß für den Posteingang des Empfängers.', 'mesgtoobig'],
    ['550 Benutzer nicht bekannt', 'userunknown'],
    [
      "550 L'adresse de courrier à laquelle vous avez envoyé votre message n'existe pas ou est introuvable.",
      'userunknown',
    ],
    ['550 该用户未开通QQ邮箱', 'userunknown'],
    ['550 受信者が存在していないため、メールを正しく送信できません', 'userunknown'],
    // Plesk's Russian "This address no longer accepts mail"; Exchange's "The message in the queue has expired"
    ['550 этот адрес больше не принимает писем', 'suspend'],
    ['450 Die Nachricht in der Warteschlange ist abgelaufen.', 'expired'],
  ]);
});

test('the recipient, its domain and its mailbox in other words', () => {
  expectReasons([
    ['553 sorry, your envelope recipient is in my badrcptto list (#5.7.1)', 'userunknown'],
    ['553 sorry, this recipient is not in my validrcptto list (#5.7.1)', 'userunknown'],
    ['550 There is no one at this address', 'userunknown'],
    // an address closed, not one never there: suspended, and suppressed at once as an unknown one is
    ['550 This address no longer accepts mail', 'suspend'],
    ['550 <a@example.org> is not an active address at this host', 'userunknown'],
    ['550 No mailbox found', 'userunknown'],
    ['550 5.1.1 Address not present in directory', 'userunknown'],
    ['550 Recipient not OK', 'userunknown'],
    ["550 Can't accept user", 'userunknown'],
    ['550 <a@example.org> not found', 'userunknown'],
    ["550 rcpt (a@example.org) doesn't exist here", 'userunknown'],
    ['550 Address a@example.org no longer in use', 'userunknown'],
    ["550 'a@example.org' is not a registered gateway user", 'userunknown'],
    ['550 No existe ese usuario', 'userunknown'],
    ['550 Nessun utente simile in questo indirizzo', 'userunknown'],
    ['550 Mailbox nicht vorhanden', 'userunknown'],
    ["550 Cette adresse n'existe pas", 'userunknown'],
    ['550 Użytkownik nie istnieje', 'userunknown'],
    ['550 Пользователь не найден', 'userunknown'],
    ['550 收件人不存在', 'userunknown'],
    ['550 域名不存在', 'hostunknown'],
    // ... and the same with the address in the sentence, whose dots end no sentence, and in Chinese and Japanese text,
    // which runs the address into its words without blanks
    ['550 Postfach user@example.de nicht vorhanden', 'userunknown'],
    ["550 L'adresse user@example.fr n'existe pas", 'userunknown'],
    ['550 Użytkownik user@wp.pl nie istnieje', 'userunknown'],
    ['550 Пользователь user@mail.ru не найден', 'userunknown'],
    ['550 收件人user@example.com不存在', 'userunknown'],
    ['550 あなたが送ろうとしたアドレス「user@i.example.ne.jp」は、登録されていません。', 'userunknown'],
    ['550 The user user@example.com has blocked your messages', 'filtered'],
    // ... and an IP address or a host name in it, whose dots end no sentence either
    ["554 L'indirizzo IP 192.0.2.1 è bloccato", 'blocked'],
    ['452 The mailbox on mx.example.net does not have enough disk space', 'mailboxfull'],
    ['550 Recipient on mail.example.org is not accepting mail', 'filtered'],
    ['550 Domain example.com has been deleted', 'hostunknown'],
    ['550 5.1.2 Mail domain mentioned in email address is unknown', 'hostunknown'],
    // the domain part is what does not exist, however the sentence names the address around it
    ["550 The domain in the email address 'a@example.invalid' does not exist. Sorry.", 'hostunknown'],
    ["550-The domain in the email address 'a@example.invalid' does not\n550 exist. Sorry.", 'hostunknown'],
    ["550 The domain of the recipient's address <a@example.invalid> was not found", 'hostunknown'],
    ['550 The recipient is only accepting mail from specific email addresses', 'filtered'],
    ['550 is not accepting mail from this sender', 'filtered'],
    ['550 This account is protected by a challenge-response system', 'filtered'],
    ['550 Boite du destinataire archivee', 'suspend'],
    ['450 Account temporary locked', 'suspend'],
    ['550 Archived recipient', 'suspend'],
    ['550 user@example.com has been disabled due to inactivity', 'suspend'],
    ["550 vdeliver: Invalid or unknown virtual user 'neko'", 'userunknown'],
    ['550 Recipient is not local', 'userunknown'],
    ['550 a@example.org is not a local address', 'userunknown'],
    ['550 Recipient is not accepted', 'userunknown'],
    ['550 The following are not email addresses: neko', 'userunknown'],
    ['550 No neko in name directory', 'userunknown'],
    ['554 Destination server rejected recipients', 'userunknown'],
    ['550 Recipient address rejected.', 'userunknown'],
    ['550 Gone away, no forwarding address', 'hasmoved'],
    ['550 <a@example.org>: unknown mail domain', 'hostunknown'],
    // near misses: the domain is the relay rule's, the sender's address is no recipient's, and a refusal with its
    // cause after the colon reads that cause
    ['550 Domain is not local', 'norelaying'],
    ['550 Sender address is not a local address', null],
    ['554 5.7.1 <a@example.org>: Recipient address rejected: Relay access denied', 'norelaying'],
    // the address exists and refuses, or takes no new mail for now
    ['550 User reject', 'filtered'],
    ['550 Due to extended inactivity new mail is not currently being accepted for this mailbox', 'filtered'],
    // near misses: a suspended account is not an unknown one; the sender's account is not the recipient's
    ['550 This account has been disabled', 'suspend'],
    ['550 This email address has been blocked', 'suspend'],
    ['550 Mailbox disabled (login attempts exceeded)', 'suspend'],
    // ... and a blocked message, or a recipient that blocked the sender, is no closed account
    ['550 Your message to this recipient was blocked', null],
    ['550 5.7.1 The user has blocked your address', 'filtered'],
    ['553 5.7.1 MAIL FROM not owned by user', 'rejected'],
    // ... in other words: the envelope sender is not the account that logged in
    ['552 the from address and the authenticated user must be the same email. #ERR_AUTH_FAIL', 'rejected'],
    ['550 Sender address and authorized user must be the same', 'rejected'],
    ["554 5.7.1 Recipient address rejected: Username b@example.org and sender doesn't match", 'rejected'],
    ['550 This list has moved to lists.example.org', 'hasmoved'],
    ['551 User not local; please try <b@example.net>', 'hasmoved'],
    ['550 Name not found', 'userunknown'],
    ['550 <bob@example.org> does not exist', 'userunknown'],
    ['550 Invalid email address', 'userunknown'],
    // near misses: the recipient's address, named beside the sender's
    ['550 Message from a@example.com: recipient address b@example.org does not exist', 'userunknown'],
  ]);
});

test("a receiver's failed check of the recipient is an unknown recipient; an IP address blocked is the host's", () => {
  expectAtStep([
    ['RCPT', '554 5.7.1 recipient verify from ldap failed', 'userunknown', true],
    ['RCPT', '550 Recipient verification failed', 'userunknown', true],
    // a check not completed says nothing yet of the address
    ['RCPT', '451 Could not complete recipient verify callout for <a@example.org>', 'onhold', false],
    // Mail.ru's refusal of the connecting host, its address masked as users paste it: no account of the recipient's
    // is blocked
    [null, '550 Access from ip address 200.xx.xx.xx blocked.', 'blocked', false],
    [null, '550 Access from ip address 192.0.2.1 blocked.', 'blocked', false],
    [null, '550 This email address has been blocked', 'suspend', false],
  ]);
});

// These suppress nothing: an address is suppressed at once only when the reply says the mailbox or the domain does
// not exist, moved or is closed, and each of these says it of something else.
test("the sender, the sending host, the message and the receiving system's setup are not the recipient's address", () => {
  const cases: ReadonlyArray<readonly [string, string | null]> = [
    ['550 5.7.1 Domain of sender address a@example.com does not exist', 'rejected'],
    ['550 5.7.1 The From: address a@example.com is invalid', 'rejected'],
    ['550 5.7.1 Return-path address a@example.com does not exist', 'rejected'],
    ['550 5.7.1 Invalid address in MAIL FROM', 'rejected'],
    // (the sender's mailbox, missing when a receiver called back the sender's server, is no unknown recipient)
    ['550 5.1.0 <a@example.es> sender mailbox unavailable', 'rejected'],
    ['535 5.7.1 Invalid username or password', 'securityerror'],
    // the sending side's SMTP login (RFC 4954's 535), not SPF/DKIM/DMARC, whose failures are worded alike
    ['535 Error: authentication failed', 'securityerror'],
    [
      'SASL authentication failed; server smtp.example.jp[192.0.2.2] said: 535 Error: authentication failed',
      'securityerror',
    ],
    ['550 5.7.1 DKIM authentication failed', 'authfailure'],
    // (and its predecessor's, whatever address status qmail's patch attaches)
    ['DomainKey validation failed, DK_STAT_ARGS (#5.1.3)', 'authfailure'],
    // an address in the message's header, and the sending IP's, are not the recipient's
    ['550 5.7.1 Invalid address in To: header', 'notcompliantrfc'],
    ['550 5.7.1 The message header contains an invalid address', 'notcompliantrfc'],
    ['550 5.7.1 Your IP address 192.0.2.1 is unknown to us', 'blocked'],
    ['550 5.7.1 IP address not found in allowed list', 'blocked'],
    // ... nor are the names of a host, a file or the sender, or the account that sends
    ['550 Hostname unknown', null],
    ['550 Attachment name is not valid', null],
    ['554 5.7.1 Account unavailable for sending', 'rejected'],
    ['550 Your domain has been suspended for abuse', 'rejected'],
    ['550 Your access has been suspended', 'blocked'],
    ['550 Domain not found for the return address', 'rejected'],
    ['550 Bounce domain does not exist', 'rejected'],
    ['550 The domain in your From header does not exist', 'rejected'],
    ['550 Your domain could not be resolved', 'rejected'],
    ['550 Unable to resolve the sender domain', 'rejected'],
    ['550 Your host name could not be resolved', 'requireptr'],
    ['550 Unable to resolve PTR for 192.0.2.1', 'requireptr'],
    ['550 The domain has moved to a new provider', null],
    // a domain this server does not serve is a relay refusal; a lookup that timed out says nothing of the domain
    ['550 Domain is not hosted here', 'norelaying'],
    ['550 domain is not in my list of hosted domains', 'norelaying'],
    ['451 DNS error: SERVFAIL', 'networkerror'],
    ['451 Unable to resolve host due to DNS timeout', 'networkerror'],
    ['451 Domain could not be resolved (temporary failure)', 'networkerror'],
    ['451 Temporary failure in MX lookup', 'networkerror'],
    ['451 DNS lookup failure: example.jp, try again later', 'networkerror'],
    ['451 Unable to resolve route example.jp', 'networkerror'],
    ['451 Unable to establish an SMTP connection', 'networkerror'],
    ['451 Could not contact DNS servers', 'networkerror'],
    // the host's disk, not the mailbox; an address (not a host) not accepting mail is its owner's setting
    ['452 No space left on device', 'systemfull'],
    ['550 a@example.org is not accepting any mail', 'filtered'],
    // a reply code alone is no evidence that an address moved or is gone
    ['551 Rejected', null],
    ['553 Rejected', null],
    // "does not exist" said of the receiving system's own setup
    ['451 Spool directory does not exist', null],
    ['550 Folder does not exist', null],
    // the address words as modifiers of something else
    ['550 Invalid email content', null],
    ['550 Invalid user credentials', null],
    ['550 Unknown user agent', null],
    ['550 Unknown user credentials', null],
    ['550 Invalid recipient count', null],
    ['550 The account settings do not allow unknown senders', 'filtered'],
    // a list server's word on the sender, not on an address
    ['550 You are not a registered user of this list server', null],
    // the receiving system's parts that serve the address
    ['550 Recipient verification unavailable', null],
    ["550 Recipient's mail server is unavailable", null],
    ['550 User database unavailable', 'systemerror'],
    ['550 Service not active', 'systemerror'],
    // a state of something the account has is not the account's
    ['550 Forwarding for this user is disabled', null],
    ["550 The user's password has expired", null],
  ];
  expectReasons(cases);
  // as if the refusal were final (5xx): none of them is in the tier that suppresses at once
  for (const [reply] of cases)
    assert.notEqual(suppressionTier(classifySmtpReply(null, null, reply).reason, '5'), 'address', reply);
});

test('the sender refused in other words, and a block list naming an address rather than the host', () => {
  expectReasons([
    ['550 Sender not pre-approved', 'rejected'],
    // the sender's domain on a domain block list, not the connecting host on an IP list
    ['550 MAILFROM domain is listed in Spamhaus', 'rejected'],
    ['550 Sender domain listed at dbl.spamhaus.org', 'rejected'],
    ['550 [permfail] bellsouth.net requires valid sender domain', 'rejected'],
    // a callout on the sender, whatever its explanation guesses; the account's right to send as the From address
    [
      '550-Verification failed for <a@example.com> 550-The account or domain may not exist, they may be blacklisted, or missing the proper dns entries. 550 Sender verify failed',
      'rejected',
    ],
    ['550 5.7.60 SMTP; Client does not have permissions to send as this sender', 'rejected'],
    // a mailing list that takes posts from its members only
    ['550 Posting by non-member to a members-only list', 'rejected'],
    ['550 You are not a member of this mailing list', 'rejected'],
    ['550 The email address used to send your message is not subscribed to this group', 'rejected'],
    ['550 Sender domain is empty', 'rejected'],
    ['550 Transaction failed unsigned DSN for <a@example.org>', 'rejected'],
    ['550 Error: no third-party DSNs', 'rejected'],
    ['550 Returned mail not accepted here', 'rejected'],
    ['550 Denied [BOUNCEDENY]', 'rejected'],
    ['550 Connections not accepted from servers without a valid sender domain', 'rejected'],
    ['554 Your access to submit messages to this e-mail system has been rejected', 'rejected'],
    ['550 Sender is in my black list', 'rejected'],
    ['550 You are sending to/from an address that has been blacklisted', 'rejected'],
    ['550 The user has an outgoing mail suspension', 'rejected'],
    ['550 5.7.1 Service unavailable. Client blocked from sending from unregistered domains', 'rejected'],
    // the sending side's own account, domain and login, in words the recipient rules would read as the recipient's
    ['550 Account for sending is disabled', 'rejected'],
    ['550 The sender account has been locked', 'rejected'],
    ['550 Your account has expired', 'rejected'],
    ['550 The sending account does not exist', 'rejected'],
    ['550 The sending domain has no MX record', 'rejected'],
    ['535 5.7.0 Authentication user unknown', 'rejected'],
    ['554 5.7.1 Your domain is not accepting mail so we cannot accept mail from it', 'rejected'],
    ['550 The domain of your From address does not accept mail (null MX)', 'rejected'],
    ['550 No such domain for sender', 'rejected'],
    ['550 Unknown domain in MAIL FROM', 'rejected'],
    ['550 Sender domain has been deleted', 'rejected'],
    // the host, not an address, on the list
    ['554 Client host 192.0.2.1 is in my black list', 'blocked'],
  ]);
});

test("the sending host's names and the destination's servers are never the recipient's address", () => {
  expectReasons([
    // the sending host's HELO name and reverse name, in words the domain and address rules would read
    ['550 5.7.1 HELO domain does not exist', 'blocked'],
    ['550 Your HELO hostname does not resolve: host not found', 'blocked'],
    ['550 Invalid domain in HELO', 'blocked'],
    // a bare "Invalid domain name" names no address (Exchange gives it for the greeting's or the sender's domain)
    ['550 Invalid domain name', null],
    ['550 Client host name not found', 'requireptr'],
    // a server, not a mailbox or a person, that moved or is down
    ['550 This server has moved, please update your MX', null],
    ['451 Mailbox server unavailable, try later', 'systemerror'],
    // near misses: a person who moved, a domain that does not exist (a sender named in another sentence)
    ['550 5.1.6 The user has moved', 'hasmoved'],
    ['550 5.1.2 Host or domain name not found', 'hostunknown'],
    ['550 5.1.2 No such domain. Please tell the sender', 'hostunknown'],
    ['550 Invalid recipient domain', 'hostunknown'],
    // (Exchange's transport, for a domain it cannot route to)
    ['550 5.1.2 ROUTING.InvalidAddress; invalid address domain', 'hostunknown'],
  ]);
});

test('the connecting host refused in other words', () => {
  expectReasons([
    // the dots of the IP address it names do not end the sentence
    ['550 Your access IP 192.0.2.1 has been rejected', 'blocked'],
    // an IP address said to be blocked, under RFC 7504's 521 that alone would say the domain takes no mail
    ['521 <192.0.2.1> is blocked', 'blocked'],
    ['554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org', 'blocked'],
    ['550 Blocked - see https://ipcheck.proofpoint.com/', 'blocked'],
    ['550 5.7.1 Rejecting open proxy 192.0.2.1', 'blocked'],
    ['554 ESMTP not accepting connections', 'blocked'],
    ['550 5.7.1 Service unavailable; not currently accepting mail from your IP', 'blocked'],
    ['421 Too many spams from your IP (192.0.2.1), please visit http://postmaster.free.fr/', 'blocked'],
    ['554 Server IP 192.0.2.1 listed as abusive', 'blocked'],
    ['550 Mail from 192.0.2.1 refused: see the postmaster pages', 'blocked'],
    ['553 sorry, your remotehost looks suspiciously like spammer', 'blocked'],
    ['550 Please use the SMTP server of your ISP', 'blocked'],
    ['550 blocked', 'blocked'],
    ['host mx.example.org[192.0.2.2] refused to talk to me: 554 blocked', 'blocked'],
    ['554 Access denied - Invalid HELO name (See RFC2821 4.1.1.1)', 'blocked'],
    ['550 Invalid IP for sending mail of domain example.jp', 'blocked'],
    ['550 Extreme bad IP profile', 'blocked'],
    ['554 Your IP address 192.0.2.1 was found on one or more DNSBLs', 'blocked'],
    ['554 <192.0.2.1> found on one or more RBLs (abusixip)', 'blocked'],
    ['550 The corresponding forward DNS entry does not point to the sending IP', 'requireptr'],
    // near misses: the word "blocked" about something else
    ['550 5.7.1 Message blocked due to spam content', 'spamdetected'],
    // ... and spamming, the sending host's doing, not the message's content (Trend Micro Hosted Email Security)
    ['550 5.7.1 : Mail blocked due to possible spamming activity', 'blocked'],
    ['554 Your IP has been blocked due to spamming activity', 'blocked'],
    ['550 The recipient account has been blocked', 'suspend'],
    ['550 Your account has been blocked', 'rejected'],
    ['550 Sender is spammer', 'rejected'],
    // near miss: the sender refused because of where it came from, a block list of hosts in the plural
    ['554 Sender blocked: listed on DNSBLs', 'blocked'],
    ['550 5.7.1 All recipient addresses rejected : Access denied', 'rejected'],
    // near miss: one recipient refused, as Microsoft's directory-based edge blocking does (5.4.1)
    ['550 5.4.1 Recipient address rejected: Access denied', 'userunknown'],
    ['550 5.4.1 [a@example.org]: Recipient address rejected: Access denied. AS(201806281)', 'userunknown'],
    // ... but the same words under 5.7.1 are Postfix's access(5) REJECT: a policy rule on the address, no dead mailbox
    ['554 5.7.1 <a@example.org>: Recipient address rejected: Access denied', 'filtered'],
    ['421 Too many errors from your IP', 'toomanyconn'],
  ]);
});

test('a local program, an attachment and the kind of content refused, in other words', () => {
  expectReasons([
    ['554 5.3.0 unknown mailer error 1', 'mailererror'],
    ['554 Mailer error: exit 75', 'mailererror'],
    // a delivery program that failed, whatever its path is named ("filter" there is no filter's verdict)
    ['554 Command failed: /home/a/bin/filter', 'mailererror'],
    ['550 Command died with status 1: "/home/a/bin/filter"', 'mailererror'],
    ['554 |/home/a/bin/filter || exit 75', 'mailererror'],
    ['550 Message rejected by spam filter', 'spamdetected'],
    ['550 The mail may contain inappropriate words or content.', 'spamdetected'],
    ["554 5.7.1 Message cannot be accepted, 'blocked file type'", 'policyviolation'],
    ['550 This message contains an unwanted file extension (scr)', 'policyviolation'],
    ['552 5.7.0 It has a potentially executable attachment', 'virusdetected'],
    ['550 We do not accept messages containing images or other attachments', 'policyviolation'],
    // near misses: the mail system's own fault under the same code; a message too big, not its kind
    ['554 5.3.0 Local configuration error', 'systemerror'],
    ['552 5.3.4 Message size exceeds fixed limit', 'mesgtoobig'],
    // amavisd-new's per-recipient size limit, under x.3.4: the mailbox's limit, as x.2.3 names it
    ["554 5.3.4 Bounce, id=12345-01 - message size exceeds recipient's size limit", 'exceedlimit'],
  ]);
});

test('spam verdicts, relaying, authentication and the rest in other words', () => {
  expectReasons([
    ['554 5.7.1 Message refused by MailMarshal SpamProfiler', 'spamdetected'],
    ['550 This message was rejected by Recurrent Pattern Detection System', 'spamdetected'],
    ['554 Your message failed several antispam checks', 'spamdetected'],
    ['550 Message contains spam or virus', 'spamdetected'],
    ["554 You're using a mass mailer", 'spamdetected'],
    ['550 Rejecting banned content', 'spamdetected'],
    ['554 Mail content denied', 'spamdetected'],
    ['550 5.7.1 Message rejected: Content is suspicious', 'spamdetected'],
    ['554 Rejected - bulk email', 'spamdetected'],
    ['554 Mail score (15.3) over threshold', 'spamdetected'],
    ['550 not an open relay, so get lost', 'norelaying'],
    ['553 host denies relay.', 'norelaying'],
    ['550 This system is not configured to relay mail from <a@example.com> to <b@example.org>', 'norelaying'],
    ['554 not allowed to relay through this machine', 'norelaying'],
    ['550 Sorry, this server is not a gateway', 'norelaying'],
    ['550 We do not permit relaying mail to example.org', 'norelaying'],
    ['554 Message bounced due to organizational settings', 'policyviolation'],
    ['421 Please try again slower', 'speeding'],
    ['450 Blocked due to excessive volume', 'speeding'],
    [
      "550 5.7.1 Invalid credentials for relay [192.0.2.1]. The IP address you've registered in your Workspace SMTP Relay service doesn't match the domain of the account",
      'norelaying',
    ],
    ['554 Stray linefeeds in message', 'contenterror'],
    ['451 stray newline', 'contenterror'],
    ['550 Invalid message content', 'contenterror'],
    ['Could not be delivered to: <neko@example.jp> Due to the following SMTP relay error.', 'norelaying'],
    ['421 4.7.0 Senderscore too low', 'badreputation'],
    ["553 sorry, we don't handle mail for example.org", 'norelaying'],
    ['554 This server does not accept mail for example.org', 'norelaying'],
    ['535 5.7.8 Authentication failure', 'securityerror'],
    ['535 Authentication credentials invalid', 'securityerror'],
    ['535 Incorrect authentication data', 'securityerror'],
    ['530 TLS/SSLv3 Connection required', 'securityerror'],
    ['451 Message ended early', 'systemerror'],
    [
      '554 User arn:aws:iam::123456789012:user/app is not authorized to perform ses:SendRawEmail on resource',
      'securityerror',
    ],
    // near miss: the sender's domain failing SPF or DKIM is authentication of the message, not of the client
    ['550 5.7.1 DKIM authentication failure', 'authfailure'],
    ['451 4.4.0 Host name lookup failure', 'networkerror'],
    ['451 Malformed name server reply', 'networkerror'],
    ['550 5.1.2 Host or domain name not found', 'hostunknown'],
    ['451 Trop de connexions, veuillez patienter', 'toomanyconn'],
    ['552 5.7.0 This message contains text that uses unnecessary base64 encoding', 'contenterror'],
    ['554 5.4.6 aliasing/forwarding loop broken', 'systemerror'],
    ["451 4.3.0 Can't create user output file", 'systemerror'],
    // (older Sendmail's local delivery says it shorter)
    ["550 <a@example.org>... Can't create output", 'systemerror'],
    // qmail's queue program failing, without the "(#4.3.0)" qmail writes after it
    ['451 qq trouble in home directory', 'systemerror'],
    ['451 qq read error', 'systemerror'],
    ['451 Queue file write error', 'systemerror'],
    ['Your message could not be delivered for more than 5 day(s)', 'expired'],
    ['The message has not been collected after 7 days', 'expired'],
    // a delay reported in a reply's words, read as a delay report is
    ['451 Delivery attempts will continue to be made for 4 days', 'expired'],
    ['451 The message has been delayed', 'expired'],
    ['Routing: Could not find a gateway for <a@example.co.jp>', 'expired'],
    ['550 Message has been frozen', 'expired'],
    ['451 Too many results returned but needs to be unique (#4.3.0)', 'systemerror'],
  ]);
  // a refusal that is only the word, at RCPT TO, is still the host's block, soft like every block
  assert.deepEqual(classifySmtpReply(550, null, 'blocked'), { reason: 'blocked', hard: false });
});

test("each MTA's own failures, as its source writes them", () => {
  expectReasons([
    // Postfix smtpd
    ['554 5.5.0 Error: SMTP protocol synchronization', 'syntaxerror'],
    ['503 5.5.0 Error: improper use of SMTP command pipelining', 'syntaxerror'],
    ['550 5.7.1 <>: Data command rejected: Multi-recipient bounce', 'rejected'],
    [
      '550 5.7.1 <b@example.org>: Recipient address rejected: Please see http://www.openspf.net/Why?s=mfrom;id=a@example.com;ip=192.0.2.1',
      'authfailure',
    ],
    // Postfix smtp: the destination's MX is the sending host itself
    ['mail for example.net loops back to myself', 'systemerror'],
    // Exim
    ['host lookup did not complete', 'networkerror'],
    ['message has lines too long for transport', 'contenterror'],
    ['550 SMTP AUTH is required', 'securityerror'],
    ['delivery to pipe forbidden', 'systemerror'],
    // (the count of the message's Received fields, as the reference library reads it; a loop named otherwise, "mail
    // forwarding loop" below, stays a network error)
    ['Too many "Received" headers - suspected mail loop', 'contenterror'],
    ['Routing loop detected -- too many Received: headers', 'contenterror'],
    ['554 5.4.14 Hop count exceeded - possible mail loop', 'networkerror'],
    // Courier: the destination's own DNS is broken
    ["This domain's DNS violates RFC 1035.", 'systemerror'],
    // Postfix's SMTP client and resolver
    ['message size 12345678 exceeds size limit 10240000 of server mx.example.org[192.0.2.1]', 'mesgtoobig'],
    ['unable to look up host mx.example.org: No address associated with hostname', 'hostunknown'],
    ['mail forwarding loop for neko@example.org', 'networkerror'],
    ['Cannot start TLS: handshake failure', 'securityerror'],
    // Exchange and Microsoft 365: the sender's own quota under x.2.2, a section number inside a sentence, the
    // sender's organisation's forwarding policy, the mailbox store's size limit
    ['554 5.2.2 Submission quota exceeded', 'speeding'],
    ['452 4.2.2 Relay quota exceeded', 'speeding'],
    ['554 5.2.2 Daily message quota exceeded', 'speeding'],
    [
      '421 4.3.2 The maximum number of concurrent server connections has exceeded a limit, closing transmission channel',
      'toomanyconn',
    ],
    [
      "550 5.7.515 Access denied, sending domain example.com doesn't meet the required authentication level.",
      'authfailure',
    ],
    ['550 5.7.512 Access denied, message must be RFC 5322 section 3.6.2 compliant', 'notcompliantrfc'],
    ['550 5.7.520 Access denied, Your organization does not allow external forwarding', 'policyviolation'],
    ['554 5.2.0 STOREDRV.Deliver.Exception:StoragePermanentException.MapiExceptionTooBig', 'mesgtoobig'],
    ['554 5.2.2 Mailbox full', 'mailboxfull'],
    // ... its own store and routing data out of reach, and a lookup that failed rather than a domain said not to exist
    ['451 Recipient deferred because there is no Mdb', 'systemerror'],
    ['451 Could not load DRD for domain example.jp', 'systemerror'],
    ['554 The DNS records for the destination computer could not be found', 'networkerror'],
    // a server or a proxy of the destination failing for now; a message going round between hosts (RFC 3463 x.4.6,
    // a network status)
    ['421 esmtp server temporarily not available', 'systemerror'],
    ['451 Upstream error', 'systemerror'],
    ['550 Message is looping', 'networkerror'],
    ['554 Message looping (received 6 times)', 'networkerror'],
    // Gmail (its SMTP error reference): protocol misuse worded as a violation or a TLS matter, limits on one
    // transaction, a disabled sending account, authentication checks not passed
    ['451 4.5.0 SMTP protocol violation, see RFC 2821', 'syntaxerror'],
    // the page Gmail names for a message that breaks RFC 5322, whatever the sentence before it
    [
      '550 5.7.1 Messages are not accepted. https://support.google.com/mail/?p=RfcMessageNonCompliant',
      'notcompliantrfc',
    ],
    ['550 5.7.1 Messages missing a valid Message-ID: header are not accepted.', 'notcompliantrfc'],
    ['454 4.5.0 SMTP protocol violation, no commands allowed to pipeline after STARTTLS', 'syntaxerror'],
    ['454 5.5.1 STARTTLS may not be repeated', 'syntaxerror'],
    ['535 5.5.4 Optional Argument not permitted for that AUTH mode', 'syntaxerror'],
    [
      '452 4.5.3 Domain policy size per transaction exceeded, please try this recipient in a separate transaction',
      'toomanyconn',
    ],
    ['451 4.3.0 Multiple destination domains per transaction is unsupported', 'systemerror'],
    ['550 5.7.0 Mail Sending denied', 'rejected'],
    [
      '550 5.7.26 This message does not have authentication information or fails to pass authentication checks (SPF or DKIM)',
      'authfailure',
    ],
    // Gmail's header syntax checks (its SMTP error reference): the field's text breaks RFC 5322 / RFC 2047, though
    // the reply gives spam as Gmail's motive
    ['550 5.7.1 The message contains a unicode character in a disallowed header.', 'notcompliantrfc'],
    [
      '550 5.7.1 Encoded-word syntax is not permitted in message header Subject. To reduce the amount of spam sent to Gmail, this message has been blocked.',
      'notcompliantrfc',
    ],
    // Gmail's sender requirements (its SMTP error reference): DKIM that "didn't pass", however the volume is limited
    [
      "421 4.7.30 Your email has been rate limited because DKIM authentication didn't pass for this message. Gmail requires all email bulk senders to authenticate their email with DKIM.",
      'authfailure',
    ],
    // near misses: a policy broken by the message, not the protocol; TLS the destination requires
    ['550 5.7.1 Message rejected due to policy violation', 'policyviolation'],
    ['530 5.7.0 Must issue a STARTTLS command first', 'securityerror'],
    // Oracle Communications Messaging Server: the message outlived its queue time; its unknown users
    ['Message timed out', 'expired'],
    ['Reason: 8 - unrecognized user', 'userunknown'],
    ['550 5.1.1 Unknown or illegal user: neko@example.jp', 'userunknown'],
    // Exchange: the queue's time limit for the message ran out (4.4.7); RFC 3463's title for x.4.7 as a sentence
    [
      'Could not deliver the message in the time limit specified. Please retry or contact your administrator.',
      'expired',
    ],
    [
      'The server has tried to deliver this message, without success, and has stopped trying. Please try sending this message again.',
      'expired',
    ],
    ['Message delivery time has expired', 'expired'],
    // near miss: a connection, not the message, timed out
    ['421 4.4.2 Connection timed out', 'networkerror'],
    // Sendmail: its queue's disk, not the mailbox
    ['452 4.4.5 Insufficient disk space; try again later', 'systemfull'],
    // qmail-local and the qmail-ldap patch: the host's setup, not the address
    ['Unable to switch to /home/neko: file does not exist. (#4.3.0)', 'systemerror'],
    ['Permanent error while executing qmail-forward (#5.4.4)', 'systemerror'],
    ['Unable to chdir to maildir. (#4.2.1)', 'systemerror'],
    ['/home/neko/.qmail-filter: /usr/local/bin/filter: bad interpreter: No such file or directory', 'systemerror'],
    ['Illegal value in LDAP attribute', 'systemerror'],
    ['LDAP attribute is not given but mandatory', 'systemerror'],
    // ... and the largest message the recipient takes, its own limit (RFC 3463 x.2.3)
    ['The message exeeded the maximum size the user accepts', 'exceedlimit'],
    // near misses: the mailbox's own space; the address that does not exist
    ['452 4.2.2 Insufficient storage space for the mailbox', 'mailboxfull'],
    ['552 5.2.2 Mailbox size limit exceeded', 'mailboxfull'],
    ['552 Message exceeds mailbox size limit', 'mailboxfull'],
    ['550 5.1.1 <b@example.org>: Recipient address rejected: User unknown in local recipient table', 'userunknown'],
    ['Sorry, no mailbox here by that name. (#5.1.1)', 'userunknown'],
  ]);
  // the hard flag follows: a forwarder that failed to run is not a dead address
  assert.equal(classifySmtpReply(null, null, 'Permanent error while executing qmail-forward (#5.4.4)').hard, false);
});

test('a retry count run out, a directory with no delivery point, a spam pattern and a stated size limit', () => {
  expectReasons([
    // the retries, not the time, ran out
    ['Exceeded Maximum Delivery Attempts', 'expired'],
    // "blocked using" names a block list, unless what it names is the content's spam pattern
    ['553 Blocked using spam pattern, your message contains a phrase listed as spam', 'spamdetected'],
    ['554 Client host [192.0.2.1] blocked using zen.spamhaus.org', 'blocked'],
    // the limit stated as a value beside the message's size, under a 5.7.1 that alone would say security
    ['554 5.7.1 Message Rejected Class=size limit=15728640 size=18571048', 'mesgtoobig'],
  ]);
  // phquery's directory answer (the name reaches no mailbox) and, an underscore between words being a space,
  // "BAD_RECIPIENT": unknown users, at RCPT TO hard
  for (const reply of ['Does not have a final email delivery point', '550 BAD_RECIPIENT']) {
    assert.equal(reasonForText(normaliseDiagnostic(reply)), 'userunknown', reply);
    const atRcpt = classifySmtpReply(550, null, reply, 'RCPT');
    assert.deepEqual([atRcpt.reason, atRcpt.hard], ['userunknown', true], reply);
  }
});

test('a reply that names two causes reads the softer, a dropped connection, a missing host, a misspelt unknown user, a spam rate', () => {
  expectReasons([
    // "unknown recipient or mailbox full": the reply does not say which, so it never suppresses at once
    ['550 5.1.1 Destinatario desconocido o mailbox lleno', 'mailboxfull'],
    // a server that took the connection and hung up on the client turned it away (Sendmail's "Connection reset by
    // peer during result wait", Exchange's "Connection dropped due to SocketError")
    ['421 Connection dropped', 'blocked'],
    ['554 Remote protocol error: Connection reset by peer during result wait with mx.example.net', 'blocked'],
    ['421 4.4.2 Connection dropped due to SocketError.', 'blocked'],
    // qmail's older wording of a domain with no host (QSBMF), as its later "couldn't find any host named x"
    ["Sorry, I couldn't find any host by that name.", 'hostunknown'],
  ]);
  expectAtStep([
    // Gmail's 4.7.28 names the identity it counted unsolicited mail by (its SMTP error reference): that sender's mail is
    // refused for a while, for what it sent, not for its speed
    [
      null,
      '421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your SPF domain [example.com]. To protect our users from spam, mail sent from your domain has been temporarily rate limited.',
      'blocked',
      false,
    ],
    [
      null,
      '421 4.7.28 [192.0.2.1] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited.',
      'blocked',
      false,
    ],
    // ... as its 5.7.1 for the same rate blocks the IP for good, and its 5.7.28 in other words
    [
      null,
      '550-5.7.1 [192.0.2.1] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been blocked.',
      'blocked',
      false,
    ],
    [
      null,
      '550 5.7.28 There is an unusual rate of unsolicited mail originating from your IP address. a1si1234567wra.123 - gsmtp',
      'blocked',
      false,
    ],
    // Gmail's refusal of a HELO without its argument, as of one whose argument is invalid
    [
      null,
      '501 5.5.4 Empty HELO/EHLO argument not allowed, closing connection. a1si1234567wra.123 - gsmtp',
      'blocked',
      false,
    ],
    // its trace id is left out of the words, and only a trace id: a reply that ends in " - gsmtp" without one keeps
    // its last word
    ['RCPT', '550 5.2.1 The email account that you tried to reach is disabled. - gsmtp', 'suspend', false],
  ]);
  // Alibaba Mail's own spelling of "doesn't", at RCPT TO
  const misspelt = classifySmtpReply(554, null, "554 RCPT (ivan@example.com) dosn't exist", 'RCPT');
  assert.deepEqual([misspelt.reason, misspelt.hard], ['userunknown', true]);
});

test('a spam score in points, and an error token for an unknown user', () => {
  expectReasons([
    ['550 This message scored 11.4 points. Congratulations!', 'spamdetected'],
    ['500 (err.nosuchuser)', 'userunknown'],
  ]);
});

test("an unknown account, a relay refused, a size limit, a rate, the sending IP and a recipient's own list, in other words", () => {
  expectReasons([
    ['550 There is no such active account.', 'userunknown'],
    // a gateway's list of the addresses it takes mail for, and the command's name for the address
    ['554 5.7.1 <a@example.com>: Recipient address rejected: Not in recipient list', 'userunknown'],
    ['559 Invalid rcptto', 'userunknown'],
    ['557 Email address - a@example.net - is not available here', 'userunknown'],
    ['550 Mailing to remote domains not supported', 'norelaying'],
    ['550 Relay Disabled', 'norelaying'],
    ['550 Domain of forward-path is not allowed', 'norelaying'],
    ['552 exceeded mailsize limit', 'mesgtoobig'],
    ['421 4.4.2 Message submission rate for this client has exceeded the configured limit', 'speeding'],
    // a group's own limit on whom it sends to, not a mailbox's quota
    ['The group team@example.com has exceeded its quota for total number of external recipients.', 'speeding'],
    ['552 The user has exceeded its quota', 'mailboxfull'],
    // the sending IP, its dots no end of the sentence
    ['421 4.3.2 Your IP(192.0.2.1) is filtered. You must register your IP', 'blocked'],
    // a block list named alone (Spamhaus's CSS)
    ['550 Listed by CSS', 'blocked'],
    ["550 You are registered as spammer (by user's reject list)", 'filtered'],
  ]);
});

test("a loop said bare, and a bare line feed in Postfix's and qmail's words", () => {
  expectReasons([
    ['550 Loop detected', 'networkerror'],
    ['550 5.7.1 bare <LF> received. See https://www.postfix.org/smtp-smuggling.html', 'notcompliantrfc'],
    // qmail names only its author's page on bare line feeds
    ['451 See http://pobox.com/~djb/docs/smtplf.html.', 'notcompliantrfc'],
    // the word alone says nothing of what looped
    ['550 Loop', null],
  ]);
});

test('a scanner that failed, a file type list, a bad DKIM signature, parts too long, named IP lists, repeated connects and logins', () => {
  expectReasons([
    // the receiver's own scanner could not be reached: nothing was found in the message
    ['450 Error connecting to virus scanner', 'systemerror'],
    ['550 Virus found', 'virusdetected'],
    // a list of file types is no block list of hosts: the receiver's policy refused the attachment's type
    ['MSG-EXT: Blacklisted high risk file extension detected', 'policyviolation'],
    ['550 5.7.0 bad DKIM signature data', 'authfailure'],
    ['554 attachment is too long.', 'mesgtoobig'],
    ['557 The length of DATA content is achieved the maximum threshold', 'mesgtoobig'],
    ['550-Blocked by ivmSIP and/or ivmSIP/24 - see https://www.invaluement.com/lookup/?item=192.0.2.1', 'blocked'],
    ['Indirizzo IP bloccato temporaneamente per sospetto abuso', 'blocked'],
    ['450 too frequent connects from 192.0.2.1, please try again later.', 'toomanyconn'],
    ['421 Too many auth failures, try again later', 'securityerror'],
  ]);
  // a TLS requirement refused at the connection is about the session, not a block of the host
  expectAtStep([['CONN', 'TLS is required, but was not offered by host mx.example.net[192.0.2.1]', 'securityerror']]);
});

test("Sendmail's delay warning, a DNS resolution error and POP before SMTP, in their words", () => {
  expectReasons([
    ['Warning: could not send message for past 4 hours', 'expired'],
    ['423 Dns resolve error', 'networkerror'],
    // the relay takes mail only from a client that has just fetched its own
    ['553 5.3.0 <a@example.jp>... Please receive your mail before sending.', 'securityerror'],
  ]);
});

test("relaying refused, a busy server, a header error, TLS wanted or missing, and a block list's quoted policy", () => {
  expectReasons([
    ['553 unauthorized relay traffic prohibited', 'norelaying'],
    ['550 Delivery is not allowed to this address.', 'norelaying'],
    ['550 Sorry, no access for this ip', 'blocked'],
    ['421 Server too busy.', 'systemerror'],
    // Exchange Online's own pipeline busy or unable to keep a second copy (Microsoft's NDR reference), at MAIL FROM too
    [
      '451 4.7.700 PFA agent busy, please try again. [BN8NAM11FT012.eop-nam11.prod.protection.outlook.com]',
      'systemerror',
    ],
    ['451 4.4.24 Message failed to be replicated: Insufficient system resource', 'systemerror'],
    ['553 Header Error', 'contenterror'],
    ['454 TLS not available', 'securityerror'],
    [
      "421-4.7.29 Your email has been rate limited because this message wasn't sent 421-4.7.29 over a TLS connection. Gmail requires all bulk email senders to use 421-4.7.29 TLS/SSL for SMTP connections.",
      'securityerror',
    ],
    // the policy of the IP's owner, quoted by the block list the IP is on: the listing is the cause
    [
      '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; 192.0.2.0/26 is listed on the Policy Block List (PBL). It is the policy of Example ISP that unauthenticated email sent from this IP address should be sent out only via the designated outbound mail server',
      'blocked',
    ],
  ]);
  // the session's sender refused at MAIL FROM for its IP stays a block of the IP
  expectAtStep([['MAIL', '550 Sorry, no access for this ip', 'blocked']]);
  expectAtStep([['MAIL', '451 4.7.700 PFA agent busy, please try again.', 'systemerror']]);
});

test('greylisting as MIMEDefang words it, a content filter that failed, and a retry count run out', () => {
  expectReasons([
    ['451 4.3.0 First-time sender tempfailed as anti-spam measure; please try again later', 'blocked'],
    [
      '451 4.5.0 Error in processing, id=123-01, decoder FAILED: cannot open temporary file: Invalid argument',
      'systemerror',
    ],
    [
      '550 Error for example.org of "This message has been retried the maximum of (10) times and has permanently failed."',
      'expired',
    ],
  ]);
});

test("SMTP AUTH and TLS in their servers' words, the receiver's own faults, sender checks and header rules", () => {
  expectReasons([
    ['535 Refused. Authentication failed.', 'securityerror'],
    ['504 Refused. Unknown authentication method.', 'securityerror'],
    // a 534 that says something else is not RFC 4954's
    ['534 SIZE=Message too big.', 'mesgtoobig'],
    ['454 Failed to negotiate TLS connection.', 'securityerror'],
    ['451 4.3.5 <mx.example.com>: Helo command rejected: Server configuration error', 'systemerror'],
    [
      '451 4.5.0 Error in processing, id=12345-01, unable to quarantine /var/virusmails/w/spam-wF3ab.gz failed',
      'systemerror',
    ],
    ['451 Could not complete sender verify (callout)', 'rejected'],
    ['550 Mail from <a@example.com> not accepted here', 'rejected'],
    ['554 5.7.1 Service unavailable; Sender address [a@example.com] blocked using dbl.spamhaus.org', 'rejected'],
    ['521 5.5.2 Error reading DATA: invalid line ending', 'notcompliantrfc'],
  ]);
  // (the same under a content code, RFC 3463 x.6: content, as the code reads it)
  expectAtStep([
    [null, '554 5.6.0 BAD_HEADER: Header field occurs more than once: "To" occurs 2 times', 'contenterror'],
  ]);
  expectAtStep([['MAIL', '550 5.7.9 Mail to submission port must be authenticated', 'securityerror']]);
});

test("a DNS error that names no missing domain, Exchange's Spanish full mailbox, a spam score over its tests' names, header rules, an unavailable user", () => {
  // the receiver's own lookup failed: nothing says the domain does not exist, so nothing to suppress
  assert.equal(classifySmtpReply(554, '5.7.0', '554 5.7.0 DNS error during policy check').hard, false);
  expectReasons([
    ['550 DNS error', 'networkerror'],
    ['550 5.1.2 DNS error: domain name not found', 'hostunknown'],
    ['El buzón del destinatario está lleno y no puede aceptar mensajes ahora.', 'mailboxfull'],
    [
      '554 5.7.1 Content filter rejection: SpamAssassin score 21.673 (DKIM_ADSP_NXDOMAIN,MISSING_MID,RDNS_NONE)',
      'spamdetected',
    ],
    ['550 Only one Subject header allowed. See RFC 5322, Section 3.6', 'notcompliantrfc'],
    ['550 Headers are missing', 'notcompliantrfc'],
    // the mailbox's words the other way round (a Chinese receiver)
    ['550 #2175041 unavailable mail user', 'userunknown'],
  ]);
  expectAtStep([['MAIL', '503 5.5.1 You must authenticate first.', 'securityerror']]);
});

test("a connection to the receiver that failed, and a recipient's restriction, in Tencent's and other words", () => {
  expectReasons([
    ['(9)connect to the "192.0.2.10(192.0.2.10) of example.org" server failed', 'networkerror'],
    ['退信原因：连接收件方邮件系统失败，导致邮件被系统退回。', 'networkerror'],
    // near miss: the receiver's own connection to its database, not the sending side's to the receiver
    ['451 Internal server error: could not reach the database, the host failed', 'systemerror'],
  ]);
  expectAtStep([
    [
      'RCPT',
      "550 Your message wasn't delivered to a@example.org. Because you have no permission to send to this email address",
      'rejected',
      false,
    ],
  ]);
});

test("Haraka's, Momentum's and Postfix's own limits and checks, and the sender's own quota, in their words", () => {
  expectReasons([
    // the envelope sender's return route, not a missing mailbox
    ['554 sorry, refused mailfrom because return MX does not exist', 'rejected'],
    // attachments the receiver will not take or cannot scan (not spam: "content type" is the file's)
    ['550 Message contains unacceptable attachment (invoice.exe)', 'policyviolation'],
    ['550 Message contains unacceptable content type (application/x-msdownload)', 'policyviolation'],
    ['550 Message contains encrypted archive', 'policyviolation'],
    // (Gmail's "552 5.7.0 Illegal Attachment": the kind of file, not a malformed message)
    ['552 5.7.0 Illegal Attachment', 'policyviolation'],
    ['550 rejected because of unacceptable content', 'spamdetected'],
    ['554 5.7.1 Gtube pattern', 'spamdetected'],
    // header fields RFC 5322 3.6 requires, or allows once
    ["550 Required header 'Date' missing", 'notcompliantrfc'],
    ["550 Message contains non-unique 'Subject' header", 'notcompliantrfc'],
    // rates and the sender's own volume
    ['452 4.4.5 Messages per second limit exceeded', 'speeding'],
    ['452 4.5.3 Daily message limit exceeded', 'speeding'],
    ["554 You've reached your daily relay quota", 'speeding'],
    ['450 4.7.1 Error: too many recipients from 192.0.2.1', 'speeding'],
    ['421 4.4.5 Service unavailable, concurrency limit reached', 'toomanyconn'],
    ['452 4.5.3 Service unavailable, recipients per message limit reached', 'toomanyconn'],
    ['452 4.5.3 Error: too many recipients', 'toomanyconn'],
    // the mailbox's size, and the host's disk
    ['550 user: message would exceed maximum mailbox size for this recipient', 'mailboxfull'],
    ['cannot update mailbox /var/mail/a for user a. error writing message: File too large', 'mailboxfull'],
    ['552 Message size exceeds fixed maximum message size: File too large', 'mesgtoobig'],
    ['421 4.3.2 Error writing to mail file: Spazio esaurito sul device', 'systemfull'],
    // the connecting host: its reverse DNS, a reputation list
    ['550 Sorry, no FCrDNS match found', 'requireptr'],
    ['554 5.7.1 <a@b.example>: Recipient address rejected: ERS-QIL', 'blocked'],
    ['552 looping message.', 'networkerror'],
  ]);
  // ... unless a content code beside them says which reading the receiver meant (RFC 3463 x.6), as the reference
  // library reads it
  expectAtStep([[null, '550 5.6.0 Required headers not found (see RFC2822 section 3.6)', 'contenterror']]);
});

test("a login wanted before mail from a receiver's own domains, a send-on-behalf refusal, a domain not registered", () => {
  expectReasons([
    ['551 This mail server requires authentication before sending mail from a locally hosted domain', 'securityerror'],
    ["You can't send a message on behalf of this user unless you have permission to do so.", 'rejected'],
    ['550 we do not accept mail from this address.', 'rejected'],
    [
      'The message could not be delivered because the domain name (example.com) does not appear to be registered.',
      'hostunknown',
    ],
  ]);
});

test("Vade's numbered refusals, Exchange's store and queue, and a rate called excessive, in their words", () => {
  // Vade's own code names the cause: its "Connection refused" is its answer, not a failed connection
  expectAtStep([
    ['RCPT', '550 5.7.1 Connection refused - OXSUS001_403', 'userunknown', true],
    ['CONN', '550 5.7.1 Connection refused - OXSUS0001_101', 'blocked'],
    ['CONN', '550 5.7.1 Connection refused - OXSUS0001_105', 'requireptr'],
    ['CONN', '421 4.2.1 Connection refused - OXSUS0001_140', 'speeding'],
    // a temporary x.3.2 is no host that takes no mail for good, whatever the reply code: the enhanced code's class
    // counts
    ['DATA', '550 4.3.2 QUEUE.Admin; message deleted by administrative action', 'notaccept', false],
    ['RCPT', '550 5.3.2 System not accepting network messages', 'notaccept', true],
  ]);
  expectReasons([
    ['432 4.3.2 STOREDRV; mailbox database is offline', 'systemerror'],
    ['450 4.5.0 Message rejected. Excessive message rate from sender to recipient.', 'speeding'],
    ['550 remote ip is forbidden', 'blocked'],
  ]);
  // the store's database moved, not the mailbox
  assert.equal(classifySmtpReply(550, null, '550 STOREDRV.Deliver; mailbox database has moved.', 'DATA').hard, false);
});

test("ZMailer's unknown user, a domain of the address not valid, spam or a named virus, in their words", () => {
  expectAtStep([
    [
      'RCPT',
      '554 5.0.0 Hi [198.51.100.15], unresolvable address: <a@b.example>; nosuchuser; a@b.example',
      'userunknown',
      true,
    ],
  ]);
  expectReasons([
    ['This error typically means: The domain name of the email address is not valid', 'hostunknown'],
    [
      '550 5.7.1 Content-Policy reject msg: The message has HTML part, we consider it SPAM or Outlook Virus',
      'spamdetected',
    ],
    ['554 5.7.1 Virus found: Eicar-Test-Signature', 'virusdetected'],
  ]);
});

test("Sophos Email's numbered refusals, cPanel's cannot-route message, a login wanted, a loop detected", () => {
  // the number names the cause, whatever the 5.7.1 and "Command rejected" around it
  const route =
    'The mail server could not deliver mail to a@b.example.  The account or domain may not exist, they may be blacklisted, or missing the proper dns entries.';
  expectAtStep([
    ['RCPT', '550 5.7.1 XGEMAIL_0011 Command rejected', 'userunknown', true],
    ['RCPT', '550 5.7.1 XGEMAIL_0004 Command rejected', 'blocked'],
    ['RCPT', '550 5.7.1 XGEMAIL_0014 Command rejected', 'speeding'],
    // cPanel's Exim in place of "Unrouteable address"; under a sender verification it is the sender's
    ['RCPT', `550 ${route}`, 'hostunknown', true],
    ['RCPT', `550-Verification failed for <a@b.example>\n550-${route}\n550 Sender verify failed`, 'rejected'],
    // a login the session lacks, at MAIL FROM, is no refusal of the sender
    [
      'MAIL',
      '551 This mail server requires authentication before sending mail from a locally hosted domain',
      'securityerror',
    ],
  ]);
  expectReasons([
    ["554 5.1.0 The Sender's Address Was Not Allowed", 'rejected'],
    ['554 5.5.6 Loop detection > 10 mal X-antispameurope-disclaimer', 'networkerror'],
  ]);
});

test("a link in the message on a list, and amavisd-new's banned-content notice, in their words", () => {
  expectReasons([
    [
      '550 A URL in this email (example.es) is listed on https://spamrl.example/. Please resolve and retry',
      'spamdetected',
    ],
    ['550 Your IP address is listed on a DNSBL', 'blocked'],
    ['Our content checker found\n    banned name: application/x-msdownload,.exe,tool.exe', 'policyviolation'],
  ]);
});

test("OpenSMTPD's verdict after the code's description, rates over a count, the sender's null MX, an AUTH wanted, a broken milter", () => {
  expectAtStep([
    // the server's own verdict after RFC 3463's description of its code decides; the description alone, whole, is
    // Microsoft's refusal of the sender
    [
      'RCPT',
      '550 5.7.1 Delivery not authorized, message refused: Message is not RFC 2822 compliant',
      'notcompliantrfc',
    ],
    ['RCPT', '550 5.7.1 Delivery not authorized, message refused', 'rejected'],
    // the sender's domain has a null MX: no refusal of the recipient's, whose host takes no mail
    ['MAIL', '501 5.7.27 Domain in MAIL FROM has null MX record', 'rejected', false],
    ['RCPT', '550 5.7.27 Host does not accept mail', 'notaccept', true],
    ['MAIL', '530 5.7.0 Must issue an AUTH command first', 'securityerror'],
  ]);
  expectReasons([
    ['450 Sender rate exceeds 1500 messages per 1h', 'speeding'],
    ['554 4.7.1 - Sorry, exceeded 100 messages in 60 minutes.', 'speeding'],
    ['451 4.7.1 max number of messages (1000) over past 24h reached', 'speeding'],
    // Sendmail's milter that broke, not a filter's refusal
    ['452 4.3.0 Filter failure', 'systemerror'],
    ['550 Message refused by the recipient filter', 'filtered'],
  ]);
});

test("United Internet's greeting refusal by its cause line, relaying refused in words, sending too often", () => {
  expectAtStep([
    // GMX, WEB.DE and IONOS open every greeting refusal with "No SMTP service"; the last line gives the cause
    [
      'CONN',
      '554-gmx.net (mxgmx016) Nemesis ESMTP Service not available 554-No SMTP service 554 Reject due to policy restrictions',
      'blocked',
      false,
    ],
    // ... and a host that says only that still takes no mail
    ['CONN', '554 No SMTP service here', 'notaccept', true],
    ['RCPT', '550 relaying mail to example.net is not allowed', 'norelaying'],
    ['RCPT', '554 Reject by behaviour spamANTISPAM_BAT[01, e01]: too frequently sending', 'speeding'],
    ['RCPT', '550 5.7.0 HELO argument [localhost.localdomain] is malformed.', 'blocked'],
    // Proofpoint out of scanning slots: its own state, whatever x.3.2 would say alone
    ['CONN', '421 4.3.2 All screening ports are busy', 'systemerror', false],
    // QQ Mail takes mail for its own domains only: the domain it could not check is the sender's
    ['DATA', '550 Domain may not exist or DNS check failed [AbC+dEf== IP: 192.0.2.1].', 'rejected', false],
    // amavisd-new could not pass the message on to its own MTA: its fault, retried
    [
      'DATA',
      '451 4.5.0 id=11249-03 - Temporary MTA failure on relaying, From MTA() during fwd-connect (Negative greeting)',
      'systemerror',
    ],
  ]);
});

test('a server refusing mails from a sender, a local list of recipients, a client refused for where it connects from', () => {
  expectAtStep([
    // the plural too: the server refuses this sender, and the mailbox is there
    [
      'RCPT',
      '550 5.2.1 Mailbox unavailable. This server does not accept mails from this sender address',
      'filtered',
      false,
    ],
    ['RCPT', '550 This server does not accept mails', 'notaccept', true],
    ['RCPT', '550 sorry, your recipient address is not in my local list', 'userunknown', true],
    ['RCPT', '550 <a@example.org>: Recipient address rejected: Account deleted by user', 'userunknown', true],
    [
      'RCPT',
      "554 5.7.1 reject: Client host bypassing service provider's mail relay: ip-192-0-2-1.dsl.example.net",
      'blocked',
    ],
    ['RCPT', '553 sorry, mail from your location [192.0.2.1] is administratively denied (#5.7.1)', 'blocked'],
    ['CONN', '421 mx1 example.net connection refused from [192.0.2.1] E1210', 'blocked'],
    ['RCPT', "451 Can't connect to example.org - psmtp", 'networkerror'],
    // Coremail's notice of a connection that failed, whose cause names a firewall's filter among others
    [
      null,
      "Can not connect to recipient's server because of unstable network or firewall filter.",
      'networkerror',
      false,
    ],
    ['RCPT', '550 example.org no longer relays example.net mail', 'norelaying'],
    ['DATA', '550 the recipient refuses to accept this letter', 'filtered', false],
    [null, 'maildrop: Maildir/: Read-only file system', 'systemerror', false],
    // a link's fragment is no reply code: the words before it are the reply's
    [
      null,
      'mx.example.org Poor Reputation Sender. - https://community.mimecast.com/docs/DOC-1369#550 [AbC]',
      'badreputation',
    ],
  ]);
});

test("the sender's own session: a login refused in Exim's words, TLS required, a MAIL FROM not the logged-in user's", () => {
  expectAtStep([
    // RFC 4954's 535 answers the SMTP login (AUTH, no step of a delivery), however the words go on: no SPF, DKIM or
    // DMARC check
    [null, '535 Incorrect authentication data: authentication failed', 'securityerror'],
    [
      'MAIL',
      '530 5.7.7 Email sending without SSL/TLS encryption is not allowed. https://example.org/help',
      'securityerror',
    ],
    ['MAIL', '501 mail from address must be same as authorization user', 'rejected'],
  ]);
});

test("the sender's own quota, address and account at its provider, requests over a rate, a size in bytes", () => {
  expectAtStep([
    // a quota that is the sender's or its relay account's is a rate limit, never the recipient's full mailbox
    ['DATA', '550 5.4.6 Sender Hourly Quota Exceeded', 'speeding', false],
    ['DATA', '552 Message rejected: you are over your relay quota of 500 messages', 'speeding', false],
    ['MAIL', '554 Message rejected: Sending suspended for this account.', 'rejected', false],
    ['DATA', '550 5.7.1 Not authorised to send from this header address', 'rejected', false],
    ['DATA', '554 5.7.1 Message rejected. From address is not one of your addresses', 'rejected', false],
    ['MAIL', '550 5.7.1 Unconfigured Sending Domain <mail.example.org>', 'rejected', false],
    ['MAIL', '501 5.1.7 <root>: sender address must contain a domain', 'rejected', false],
    ['DATA', '451 4.7.1 End-of-data rejected: Sorry, too many requests per time unit', 'speeding'],
    ['DATA', '451 The limit on the number of allowed outgoing messages was exceeded. Try again later.', 'speeding'],
    ['DATA', '552 Stream is more than 10485760 bytes long', 'mesgtoobig'],
    ['DATA', '550 invalid DKIM signature', 'authfailure'],
  ]);
});

test("qmail's chkuser and Debian's exim4-config: checks of the sender are no unknown recipient; relay, size, lines", () => {
  expectAtStep([
    // chkuser checks the sender at the first RCPT TO, under codes that look like the recipient's
    ['RCPT', '571 sorry, sender address has invalid format (#5.7.1 - chkuser)', 'rejected', false],
    ['RCPT', "511 sorry, can't find a valid MX for sender domain (#5.1.1 - chkuser)", 'rejected', false],
    ['RCPT', '571 sorry, reached maximum number of recipients for one session (#5.7.1 - chkuser)', 'toomanyconn'],
    ['RCPT', "553 we don't relay (#5.7.1)", 'norelaying'],
    ['RCPT', '550 sender envelope address a@example.net is locally blacklisted here.', 'rejected', false],
    ['DATA', '550 maximum allowed line length is 998 octets, got 1200', 'notcompliantrfc'],
    // a line too long, said with its verb, is the message's fault whatever 552 says alone
    ['DATA', '552 message line is too long', 'contenterror'],
    [
      'RCPT',
      '554 5.7.1 <b@example.com>: Recipient address rejected: Message size exceed (maybe caused by big attachment file)',
      'mesgtoobig',
    ],
    // an Exim queue that wanted TLS the other server did not offer (RFC 3463 x.3.3): the other side's lack
    [null, 'a TLS session is required, but the server did not offer TLS support', 'systemerror'],
    // and "over-quota" written with its hyphen
    ['RCPT', '451 Over-quota', 'mailboxfull', false],
  ]);
});

test("refusals before any message: mail from an IP blocked, Exim's failed callout to the sender, a sender with no DNS", () => {
  expectAtStep([
    // at the greeting nothing was sent to judge: the anti-spam system named is what blocked the host
    ['CONN', "571 Email from 192.0.2.1 is currently blocked by Verizon Online's anti-spam system.", 'blocked'],
    [
      'MAIL',
      '550-Callback setup failed while verifying <a@example.org> 550-The initial connection, or a HELO or MAIL ' +
        'FROM:<> command was rejected. Refusing MAIL FROM:<> does not help fight spam.',
      'rejected',
      false,
    ],
    [
      'RCPT',
      '550-Sender has no A, AAAA, or MX DNS records. mail.example.org 550 Verify the zone file',
      'rejected',
      false,
    ],
    ['DATA', '554 Malformed mail denied!', 'contenterror'],
  ]);
});

test("a receiver's own scanner or store failing is its fault, not a virus found; clamav-milter's harmful mail is one", () => {
  expectAtStep([
    // Haraka's clamd and avg plugins, OpenSMTPD's clamav filter: the scan did not run, nothing was found
    ['DATA', '451 4.3.2 Virus scanner timed out', 'systemerror', false],
    ['DATA', '451 Error running virus scanner', 'systemerror', false],
    ['DATA', '451 Virus scanner error (AVG)', 'systemerror', false],
    ['DATA', '451 4.7.1 Virus filter failed', 'systemerror', false],
    // ... its storage or back end (hMailServer, Haraka's queue)
    [
      'DATA',
      '554 Rejected - Message containing newline in the wrong place could not be saved. Please retry later.',
      'systemerror',
    ],
    ['DATA', '451 4.7.1 Backend failure. Please, retry later', 'systemerror', false],
    // clamav-milter's default RejectMsg names the signature it found, not the word virus
    ['DATA', '550 5.7.1 Rejecting harmful e-mail: Eicar-Test-Signature found.', 'virusdetected'],
  ]);
});

test('a syntax error in the recipient (RFC 5321 501) is no missing domain, whatever its x.1.2 says', () => {
  expectAtStep([
    ['RCPT', '501 5.1.2 Unable to normalize the recipient address (msg ID = 7c2b3a1e)', 'syntaxerror', false],
    // the same status under a refusal of the domain is one
    ['RCPT', '550 5.1.2 Unable to route to the recipient domain', 'hostunknown', true],
  ]);
});

test("the session's login, the sender's signature, reputation and quota, and a client's name, in receivers' own words", () => {
  expectAtStep([
    // SMTP AUTH (RFC 4954): a mechanism refused, an exchange cancelled, credentials gone stale, commands before login
    [null, '504 Authentication mechanism not supported.', 'securityerror'],
    [null, '501 5.0.0 Authentication canceled', 'securityerror'],
    ['MAIL', '550 Login credentials no longer valid. Please re-authenticate.', 'securityerror'],
    ['MAIL', '421 Error: too many unauthenticated commands', 'securityerror', false],
    // a command written wrong is no verdict on the sender it names
    ['MAIL', '550 Invalid syntax. Syntax should be MAIL FROM:<userdomain>[crlf]', 'syntaxerror'],
    ['DATA', '554 5.7.1 No valid DKIM signature found', 'authfailure'],
    ['RCPT', '550 very bad karma score: -8', 'badreputation'],
    ['CONN', '554 karma penalty', 'badreputation'],
    [
      'RCPT',
      '554 5.7.1 <email@example.com>: Recipient address rejected: You have exceeded your Outmail quota.',
      'speeding',
    ],
    // (a mailbox's quota is the recipient's)
    ['RCPT', '552 5.2.2 You have exceeded your mailbox quota', 'mailboxfull'],
    [
      'CONN',
      '554 Sorry we could not find address for mail.example.net. Please setup a forward DNS record.',
      'requireptr',
    ],
    ['RCPT', '550 You must log in to send mail on this port.', 'securityerror'],
    ['RCPT', '550 not relaying to that domain', 'norelaying'],
    // policyd-weight holds back a client that retried too soon: no account is blocked
    [
      'RCPT',
      '550 5.7.1 <a@example.org>: Recipient address rejected: temporarily blocked because of previous errors - ' +
        'retrying too fast. penalty: 30 seconds x 0 retries.',
      'blocked',
    ],
  ]);
});

test("a HELO sent wrong is the client's syntax; a host caught at a spam trap is blocked; a server going down, its own", () => {
  expectAtStep([
    ['HELO', '501 5.5.1 Invalid command: EHLO requires domain name', 'syntaxerror'],
    ['HELO', '503 5.5.1 Invalid command: Already identified', 'syntaxerror'],
    // (the name it gave refused is the host's)
    ['HELO', '501 Invalid domain name', 'blocked'],
    [
      'DATA',
      '450-Your address 192.0.2.1 has sent mail to a example.edu spamtrap 450 within the last 24 hours',
      'blocked',
    ],
    ['CONN', '550 Sorry, known spam only source', 'blocked'],
    ['CONN', '421 4.3.2 shutting down', 'systemerror', false],
    ['DATA', '554 5.0.0 Transaction failed - backend not running', 'systemerror'],
    [null, '504 unsupported authentication mechanism', 'securityerror'],
    // a client's volume in a recent span is its rate, whatever x.2.2 says
    ['DATA', '452 4.2.2 more than 200 messages in past 1m0s from your ip/network (4GHZ1X3QN2ZIC)', 'speeding', false],
  ]);
});

test("the MTAs' own texts: a login at MAIL FROM is the session's, Sendmail's name check, a disk short of space", () => {
  expectAtStep([
    ['MAIL', '454 4.7.0 Temporary authentication failure: generic failure', 'securityerror', false],
    ['MAIL', '501 5.7.0 Authentication aborted', 'securityerror'],
    ['MAIL', '535 5.7.0 authentication failed', 'securityerror'],
    ['MAIL', '530 Authorization required (#5.7.1)', 'securityerror'],
    ['MAIL', '554 5.7.1 Access denied (anonymous user)', 'securityerror'],
    ['MAIL', '450 4.7.1 Session encryption is required', 'securityerror', false],
    // x.1.8 names the sender's domain, unless its words are about the client's name
    ['MAIL', '451 4.1.8 Possibly forged hostname for 192.0.2.1', 'requireptr', false],
    ['MAIL', '451 4.1.8 Client IP address 192.0.2.1 does not resolve', 'requireptr', false],
    ['MAIL', '553 5.1.8 <a@example.com>... Domain of sender address a@example.com does not exist', 'rejected'],
    ['MAIL', '452 Space shortage, please try later', 'systemfull', false],
    ['DATA', '451 4.3.1 cannot create temporary file: No space left on device', 'systemfull', false],
    ['DATA', '451 qq unable to get privilege to run virus scanner (#4.3.0)', 'systemerror', false],
    ['DATA', '554 Message contains banned attachment (#5.7.1)', 'policyviolation'],
  ]);
});

test("libraries' and block lists' replies: a section number is no status, HELO misuse, a list's short name, a sender named bare", () => {
  expectAtStep([
    // "#2.7.1" is RFC 2821's section, not a success code of a 501
    [
      null,
      '501 Syntax error at character position 42. CR and LF must be CRLF paired.  See RFC 2821 #2.7.1.',
      'syntaxerror',
    ],
    ['HELO', '501 Syntax: HELO hostname', 'syntaxerror'],
    ['HELO', '503 Duplicate HELO/EHLO', 'syntaxerror'],
    ['HELO', '501 5.5.2 Domain/address argument required for HELO', 'syntaxerror'],
    ['HELO', '500 5.5.1 This is a LMTP server, use LHLO', 'syntaxerror'],
    ['DATA', '552 Error: Too much mail data', 'mesgtoobig'],
    [null, '504 Unrecognized authentication type', 'securityerror'],
    ['RCPT', '550 5.7.1 I no longer accept mail from this address', 'filtered'],
    ['RCPT', "550 5.7.1 Recipient doesn't want your mail", 'filtered'],
    ['MAIL', '451 4.2.2 Server accepts messages only on TLS connection', 'securityerror', false],
    // (x.2.2 alone is still a full mailbox)
    ['RCPT', '452 4.2.2 Mailbox full', 'mailboxfull', false],
    ['RCPT', '550 IP in PBL', 'blocked'],
    [null, '550 black ip.', 'blocked'],
    ['MAIL', '550 IP in XBL', 'blocked'],
    ['DATA', '553 Message blocked from 203.0.113.5', 'blocked'],
    ['RCPT', '550 5.7.1 Refused. See http://njabl.org/cgi-bin/lookup.cgi?query=192.0.2.1', 'blocked'],
    ['RCPT', '550 REJECTED - Too many failed recipients - count = 4', 'blocked'],
    ['DATA', '550 Message Untrusted by TrustedSource', 'badreputation'],
  ]);
});

test("ISPs' replies: a list the sender is on named before Mimecast's sentence, flooding and thresholds, mail from an IP", () => {
  expectAtStep([
    ['RCPT', '550 5.7.1 Sender domain is blacklisted (IB309). Message rejected due to security policies.', 'rejected'],
    // (Mimecast's sentence alone is its virus or spam signature)
    ['DATA', '550 Email rejected due to security policies - MCSpamSignature.s', 'virusdetected'],
    ['RCPT', '554 5.7.1 rejection limit reached - stop flooding us', 'speeding'],
    ['RCPT', '452 - [Message threshold exceeded]', 'speeding', false],
    ['CONN', '571 Mail from 192.0.2.1 rejected see http://www.example.net/', 'blocked'],
    // security gateways: a sender told to use TLS, a sending rate
    ['MAIL', '550 Your sender domain is required to send via an encrypted SMTP session', 'securityerror'],
    ['RCPT', '451 HST-RTE: Hourly send rate exceeded, retry later.', 'speeding', false],
  ]);
});

test("NetEase's documented codes name the cause; United Internet's check of the sender's DNS is no unknown recipient", () => {
  expectAtStep([
    ['MAIL', '550 MI:SPF', 'authfailure'],
    ['DATA', '550 MI:DMA', 'authfailure'],
    ['CONN', '554 HL:IPB', 'blocked'],
    ['CONN', '421 HL:TLD', 'systemerror', false],
    ['MAIL', '503 MI:ANL', 'securityerror'],
    ['MAIL', '553 MI:SPB', 'rejected'],
    ['RCPT', '553 RP:DRL', 'norelaying'],
    ['RCPT', '452 RP:RCL', 'toomanyconn', false],
    // (and in words: a limit of the connection, not a rate)
    ['DATA', '421 #4.x.2 Too many messages for this session', 'toomanyconn', false],
    ['DATA', '552 RP:SMS', 'mesgtoobig'],
    ['DATA', '451 DT:SUR', 'spamdetected', false],
    [
      'RCPT',
      '550 Requested action not taken: mailbox unavailable\n550 invalid DNS MX or A/AAAA resource record',
      'rejected',
      false,
    ],
  ]);
});

test("gateways' and ISPs' replies name their cause: a domain's mode, a group's own senders", () => {
  expectAtStep([
    // Trellix Email Security's ETP105: the gateway's setting of the recipient's domain, no domain that is missing
    ['RCPT', '550 ETP105 Invalid domain mode', 'onhold', false],
    ['RCPT', '550 5.1.2 Invalid domain example.net', 'hostunknown', true],
    // Exchange Online's 5.7.133-135 and 5.7.13 in their short words: the group, mailbox or public folder takes mail
    // only from its own organisation's senders, and refused this one
    ['RCPT', '550 5.7.133 Sender not authenticated for group', 'rejected', false],
    ['RCPT', '550 5.7.134 Sender was not authenticated for mailbox', 'rejected', false],
    ['RCPT', '550 5.7.13 Sender was not authenticated for public folder', 'rejected', false],
  ]);
});

test('a verdict stated after the host or sender it refused decides: spam, greylisting, size, an executable, a rule', () => {
  expectAtStep([
    // FortiMail: the IP is named, the verdict is the content's
    [
      'DATA',
      '554 5.7.1 This email from IP 192.0.2.1 has been rejected. The email message was detected as spam.',
      'spamdetected',
    ],
    // ImprovMX: the verdict, then the tests that fired, authentication checks that passed among them
    [
      'DATA',
      '550 5.7.1 Message considered as SPAM (Score of 5.0/5 with DKIM_SIGNED, DKIM_VALID, HTML_MESSAGE, SPF_PASS)',
      'spamdetected',
    ],
    // Postfix prints "Sender address rejected" for any check run at MAIL FROM; the check here is greylisting
    ['RCPT', '450 4.2.0 <a@example.org>: Sender address rejected: Greylisted for 300 seconds', 'blocked', false],
    // ... and a count the sender went over (Webnames)
    ['RCPT', '452 <a@example.org> sender rejected. Too many messages for this connection ERR034', 'toomanyconn', false],
    ['DATA', '550 5.7.0 Message Size Violation', 'mesgtoobig'],
    ['DATA', '550 5.6.0 A suspicious file (executable code) was found in the message', 'virusdetected'],
    // FortiMail's dictionary profile: a word its policy bans
    ['DATA', '554 5.7.1 This message has been blocked because it contains a banned word', 'policyviolation'],
    // Exchange Online's NDR table: the sender's own submission quota, a rate limit whatever x.2.2 says
    ['MAIL', "554 5.2.2 The message can't be submitted because the sender's submission quota was exceeded", 'speeding'],
  ]);
});

test("MailChannels' refusals of the sending account: its invalid recipients, a recipient that unsubscribed", () => {
  expectAtStep([
    [
      'RCPT',
      '550 5.7.1 [BR] Our system has detected an excessively high number of invalid recipients originating from your account.',
      'blocked',
      false,
    ],
    ['RCPT', '550 5.7.1 [UNS] Recipient has unsubscribed from your list.', 'filtered', false],
  ]);
});

test('a multi-line reply joined onto one line is read from its first line; a mail server named as refused', () => {
  expectAtStep([
    [
      'RCPT',
      "550- 550- 550- Greetings a@example.net 550- 550- The account you're trying to reach doesn't exist 550- 550 Thanks!",
      'userunknown',
      true,
    ],
    ['RCPT', '550- Mailbox is full 550 Thanks!', 'mailboxfull', false],
    ['CONN', 'Sorry, your mailserver [192.0.2.1] is rejected by example.net', 'blocked', false],
  ]);
});

test("hosting providers' documented refusals: Yandex's unknown recipients and full mailbox, Gandi's rules", () => {
  expectAtStep([
    ['RCPT', '550 No correct recipients', 'userunknown', true],
    ['RCPT', '552 Mailbox size exceeded', 'mailboxfull', false],
    ['DATA', '550 Reject for policy reason. RULE1_1', 'virusdetected'],
    ['DATA', '550 Reject for policy reason. RULE3_2', 'spamdetected'],
    // (any other rule of theirs is the policy it names)
    ['DATA', '550 Reject for policy reason.', 'policyviolation'],
  ]);
});

test("cPanel's defaults and the step a refusal came at: failed recipients, a host's rate, a sender's suspension", () => {
  expectAtStep([
    ['RCPT', '550 Number of failed recipients exceeded.  Come back in a few hours.', 'blocked', false],
    [
      'CONN',
      '451 The server has reached its limit for processing requests from your host.  Please try again later',
      'speeding',
      false,
    ],
    ['MAIL', '550 Outgoing mail from "example.org" has been suspended.', 'rejected', false],
    // (the same words at RCPT are the recipient's account)
    ['RCPT', '550 Account has been suspended', 'suspend', false],
    ['CONN', '554 Local Policy Violation', 'blocked', false],
    // (a temporary one may be the receiver's own trouble)
    ['CONN', '451 4.7.0 DNS error during policy check', 'policyviolation', false],
    [null, 'mail box space not enough', 'mailboxfull', false],
  ]);
});

test("Exchange Online's mail flow rules are the receiving organisation's policy, whatever 5.7.x detail comes with them", () => {
  expectAtStep([
    [
      'DATA',
      '550 5.7.1 TRANSPORT.RULES.RejectMessage; The message was rejected by a mail flow rule',
      'policyviolation',
    ],
    [
      'DATA',
      '550 5.7.900 TRANSPORT.RULES.RejectMessage; the message was rejected by organization policy',
      'policyviolation',
    ],
    // (a 5.7.1 that names no rule keeps the code's reading)
    ['DATA', '550 5.7.1 Message rejected.', 'securityerror'],
  ]);
});

test("an error the receiving server did not expect is its own fault (Apache James's, Exim's on a host's setup)", () => {
  expectAtStep([
    ['RCPT', '451 4.0.0 Unexpected error for alice@example.com', 'systemerror', false],
    [null, '421 Unexpected failure, please try later', 'systemerror', false],
  ]);
});

test("content filters' own failures are the receiver's fault, and their verdicts and limits name the cause", () => {
  expectAtStep([
    // amavisd-new, MIMEDefang, Haraka's spamd and rspamd plugins, Courier: the scan did not run
    ['DATA', '451 4.5.0 Error in processing, id=12345-01, virus_scan FAILED: virus scanners failure', 'systemerror'],
    ['DATA', '451 4.3.0 Problem running virus-scanner', 'systemerror'],
    ['DATA', '450 Rspamd scan timeout', 'systemerror'],
    ['DATA', '432 Mail filters temporarily unavailable.', 'systemerror'],
    ['DATA', '550 5.3.5 Reject, id=12345-01 - Unable to relay message back to MTA', 'systemerror'],
    ['DATA', '452 Unable to store message', 'systemerror'],
    ['DATA', '554 5.7.0 Reject, id=12345-01 - spammy (tag3)', 'spamdetected'],
    ['DATA', '500 A delivery loop was detected which caused the email to be undeliverable', 'networkerror'],
    ['CONN', '421 mx.example.com Too many connected clients, try again in a moment', 'toomanyconn'],
    ['RCPT', '552 Limit of 100 recipients exceeded', 'toomanyconn'],
    ['MAIL', '454 TLS unavailable on the server', 'securityerror'],
    ['DATA', '550 We do not accept password-protected zip files!', 'policyviolation'],
    ['DATA', '550 Message contains disallowed file extension (exe)', 'policyviolation'],
    ['DATA', '550 The Date header is too far in the future', 'contenterror'],
    ['DATA', '550 Invalid Delivered-To header content', 'contenterror'],
  ]);
});

test('a reply that opens with its cause keeps it: a syntax error, a malformed header, an internal service error', () => {
  expectAtStep([
    ['MAIL', '501 Syntax error (8-bit characters not allowed)', 'syntaxerror'],
    ['DATA', '550 5.7.0 Malformed From header', 'contenterror'],
    ['CONN', '421 Internal service error, closing connection', 'systemerror', false],
  ]);
});

test("a null MX under a policy code is the sender's domain; a daily limit reached; a list of file types; DKIM2", () => {
  expectAtStep([
    ['DATA', '554 5.7.1 Domain published RFC 7505 Null MX', 'rejected', false],
    // (a recipient's domain that takes no mail, RFC 7505's 556 5.1.10)
    ['RCPT', '556 5.1.10 Recipient address has null MX', 'notaccept', true],
    ['RCPT', '450 4.7.1 Daily limit reached, retry later', 'speeding', false],
    ['DATA', '550 5.7.1 Blacklisted file extension detected', 'policyviolation'],
    ['DATA', '451 Temporary DKIM2 verification failure', 'authfailure', false],
  ]);
});

test("SPF's explanation, a sender named after its listing, a From the login may not use, an external scanner's threat", () => {
  expectAtStep([
    [
      'DATA',
      '550 5.7.1 example.net: domain of a@example.net does not designate 192.0.2.1 as permitted sender.',
      'authfailure',
    ],
    ['DATA', '554 5.7.1 Blacklisted sender', 'rejected'],
    // (the host so called is the host)
    ['CONN', '550 Blacklisted sender IP 192.0.2.1', 'blocked'],
    ['DATA', '554 5.7.1 a@example.com may not send as b@example.com (From: header)', 'rejected'],
    ['DATA', '554 5.7.1 oletools: Oletools threat message found: "AutoExec + Suspicious (OLE)"', 'virusdetected'],
  ]);
});

test("a nonexistent domain quoted inside Exchange's front-end wrapper, invalid data in a message", () => {
  expectAtStep([
    [
      'RCPT',
      "550 5.7.0 Proxy session setup failed on Frontend with '554 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain'",
      'hostunknown',
      true,
    ],
    ['DATA', '554 Invalid data in message', 'contenterror'],
  ]);
});

test("RFC 5321's 451 text without its 'local', a shutdown in progress, a line delimiter that must be CRLF", () => {
  expectAtStep([
    ['RCPT', '451 Requested action aborted: error in processing.', 'systemerror', false],
    ['RCPT', '550 Server shutdown in progress', 'systemerror', false],
    ['DATA', '500 5.0.0 line delimiter must be CRLF', 'notcompliantrfc'],
  ]);
});

test("a destination's TLS policy not met (MTA-STS, DANE) is the session's security, a queue that failed the receiver's", () => {
  expectAtStep([
    [null, '550 5.4.8 MX hosts of example.com failed MTA-STS validation', 'securityerror'],
    [null, '450 4.7.5 DANE validation failed for mx.example.com', 'securityerror', false],
    ['DATA', '552 Mail unqueuable', 'systemerror'],
  ]);
});

test("Postfix's label before a service's own trouble is no account's state; a sending quota short is the sender's", () => {
  expectAtStep([
    [
      'RCPT',
      '450 4.7.1 <a@example.de>: Recipient address rejected: Service temporarily unavailable, please try later',
      'systemerror',
      false,
    ],
    // (so is the system said to be away: a greylisting policy server's answer through the same label)
    [
      'RCPT',
      '450 4.2.0 <a@example.de>: Recipient address rejected: System temporarily unavailable, please try again later',
      'systemerror',
      false,
    ],
    // (the recipient's mailbox said so is its own state, RFC 5321's 450)
    ['RCPT', '450 4.2.1 The user is temporarily unavailable', 'suspend', false],
    ['MAIL', '552 Not enough sending quota', 'speeding', false],
  ]);
});

test("AOL's documented codes name the cause whatever the words around them", () => {
  expectAtStep([
    ['CONN', '421 4.7.1 : (DYN:T1) https://postmaster.aol.com/error-codes#421dynt1', 'blocked', false],
    ['DATA', '521 5.2.1 : (CON:B1) http://postmaster.info.aol.com/errors/554conb1.html', 'blocked'],
    ['DATA', '554 RLY:SN', 'rejected'],
    ['CONN', '554 (DNS:NR) http://postmaster.info.aol.com/errors/554dnsnr.html', 'requireptr'],
  ]);
});

test('a throttle or a sending cap named "quota" is no mailbox full; a Subject required is the content, a loop the route', () => {
  expectAtStep([
    [
      'RCPT',
      '554 5.7.1 <bob@example.com>: Recipient address rejected: Quota exceeded (number of mails in total)',
      'speeding',
    ],
    ['DATA', '554 5.7.1 <END-OF-MESSAGE>: End-of-data rejected: Quota exceeded (accumulated message size)', 'speeding'],
    [
      'DATA',
      '554 5.7.1 <END-OF-MESSAGE>: End-of-data rejected: Quota exceeded (size of single mail message)',
      'mesgtoobig',
    ],
    ['RCPT', '550 5.2.2 Policy Rejection- Quota Exceeded', 'speeding'],
    // (the policy daemon's quotas module, as Zimbra's MTA passes it on)
    [
      'RCPT',
      '450 4.7.1 <a@example.com>: Recipient address rejected: Policy rejection; Message count quota exceeded',
      'speeding',
      false,
    ],
    [
      'RCPT',
      '554 5.7.1 <a@example.com>: Recipient address rejected: Policy rejection; Cumulative message size quota exceeded',
      'speeding',
    ],
    // (a mailbox's quota keeps its reading)
    ['RCPT', '552 5.2.2 <bob@example.com>: Recipient address rejected: Quota exceeded', 'mailboxfull'],
    ['DATA', '550 5.2.1 Subject is Mandatory.', 'contenterror'],
    ['DATA', '554 Too many Received: headers', 'contenterror'],
  ]);
});

test("a rule's 'Recipient address rejected: Access denied' is no missing mailbox unless Microsoft's 5.4.1 says so", () => {
  expectAtStep([
    ['RCPT', '450 4.7.1 Recipient address rejected: Access denied.', 'filtered', false],
    ['RCPT', '550 5.7.1 Recipient address rejected: Access denied.', 'filtered', false],
    [
      'RCPT',
      '550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DM6NAM12FT034.eop-nam12.prod.protection.outlook.com]',
      'userunknown',
      true,
    ],
    // (Microsoft's server stamp after the words, as its notices quote them without the code)
    [
      'RCPT',
      '550 Recipient address rejected: Access denied. [AM4PEPF43952F9C.EURPRD83.prod.outlook.com 2023-01-01T01:01:01.001Z 08DBEC564562FCD2]',
      'userunknown',
      true,
    ],
    [
      'RCPT',
      '550 cuda_nsu 5.4.1 [a@example.com]: Recipient address rejected: Access denied [example.com]',
      'userunknown',
      true,
    ],
  ]);
});

test('a receiver that answers "connection refused" refused the client; a resolver that reached no name server failed', () => {
  expectAtStep([
    [null, '550 Connection refused', 'blocked'],
    ['CONN', '421 4.2.1 Connection refused - OXSUS0001_139', 'toomanyconn', false],
    ['CONN', '421 cannot send to name server', 'networkerror', false],
    [null, 'Failed four Attempts to connect to recipients mail server', 'networkerror'],
    // (the sender's own client that could not connect keeps its reading)
    [null, 'connect to mx.example.com[192.0.2.1]:25: Connection refused', 'networkerror'],
  ]);
});

test('a recipient the receiver could not match, and a resent block without its Resent-From', () => {
  expectAtStep([
    [
      'RCPT',
      '550 The recipient cannot be verified. Please check all recipients of this message to verify they are valid.',
      'userunknown',
      true,
    ],
    ['DATA', '554 No Resent-From field given', 'notcompliantrfc'],
  ]);
});

test("a directory's verdict at no step, an address no system handles, a reputation score, a program's own output", () => {
  expectAtStep([
    // (not Yahoo's old "doesn't have a ... account" at no step, which the reference library reads filtered)
    [null, "This user doesn't have a sbcglobal.net account (a@sbcglobal.net) [-9]", 'filtered', false],
    [
      null,
      'Does not have a final email delivery point, please contact this person by alternate means.',
      'userunknown',
      true,
    ],
    ['RCPT', '550 E-mail address is not handled by this system', 'userunknown', true],
    [null, 'smtp-fw-9107.amazon.com; SBRS score too low: http://www.senderbase.org/', 'badreputation'],
    [
      null,
      'temporary failure. Command output: avpcheck: unable to connect to avp daemon: Connection refused',
      'mailererror',
    ],
    ['RCPT', '551 5.7.1 Forwarding to remote hosts disabled', 'norelaying'],
  ]);
});

test("the receiver's own trouble in other words, TLS and SMTP AUTH it could not do, commands and headers malformed", () => {
  expectAtStep([
    ['DATA', '550 Internal delivery error', 'systemerror'],
    ['DATA', '451 Internal confusion', 'systemerror', false],
    [null, '450 out of memory.', 'systemerror', false],
    [null, '422 License Expired', 'systemerror', false],
    [null, '450 queue unavailable.', 'systemerror', false],
    ['DATA', '451 Error while writing spool file', 'systemerror', false],
    [null, '554 TLS not supported here', 'securityerror'],
    [null, '550 5.0.0 Handshake error', 'securityerror'],
    [null, '432 CRAM-MD5 password transition needed', 'securityerror', false],
    [null, '435 Unable to authenticate at present', 'securityerror', false],
    ['RCPT', '550 Invalid syntax in RCPT command', 'syntaxerror'],
    [null, '521 Closing connection as too many unknown commands received', 'syntaxerror'],
    [null, '550 mailbox limit exceeded', 'mailboxfull'],
    ['DATA', '550 header syntax', 'contenterror'],
  ]);
});

test('a suspended account in Portuguese', () => {
  expectAtStep([['RCPT', '550 A conta do destinatario encontra-se suspensa por inactividade (#5.2.1)', 'suspend']]);
});

test('"No SMTP service" with a cause after it, at a greeting, refuses the client; RFC 5321\'s words alone name the host', () => {
  expectAtStep([
    ['CONN', '554 smtp.strato.de : No SMTP service (MBL-B)', 'blocked'],
    ['CONN', '421 smtp.strato.de : No SMTP service (MBL-B)', 'blocked', false],
    ['RCPT', '521 mx.example.com No SMTP service here', 'notaccept', true],
  ]);
});

test('lines and boundaries over their limits, a bad file extension, a client told it is blocked, limits per period', () => {
  expectAtStep([
    ['DATA', '550-Line length in message or single header exceeds 8192', 'notcompliantrfc'],
    ['DATA', '550 MIME boundary length exceeded (see RFC 2046).', 'notcompliantrfc'],
    ['DATA', '550 Rejected due to bad file extension in attachment', 'policyviolation'],
    ['RCPT', '550 5.7.1 SPFBL you are permanently blocked on this server.', 'blocked'],
    [
      'DATA',
      '554 5.7.1 <DATA>: Data command rejected: limit of 400 rcpts per 24 hours for client 192.0.2.1 reached',
      'speeding',
    ],
    [
      null,
      '554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message',
      'speeding',
    ],
    ['MAIL', 'SMTP server error: You are not allowed to use the domain hotmail.com as a sender domain.', 'rejected'],
  ]);
});

test('addresses gone or never had, full mailboxes and refusals in the words of older receivers', () => {
  expectAtStep([
    ['RCPT', '553 5.3.0 <a@example.com>... Recipient address no longer exists', 'userunknown', true],
    ['RCPT', '550 User not a member of domain: <a@example.com>', 'userunknown', true],
    ['RCPT', "550-I'm sorry but a@example.com does not have an account here. I will not", 'userunknown', true],
    ['RCPT', '550 Diese Adresse ist nicht mehr verfuegbar.', 'userunknown', true],
    ['RCPT', '552 recipient storage full, try again later', 'mailboxfull'],
    [null, '551 bounce as<the destination mailbox <a@example.com> is full> queue as 100.1.ZmxEL', 'mailboxfull'],
    [null, 'since the mailbox size of the recipient was exceeded!', 'mailboxfull'],
    ['RCPT', '550 relaying to <a@example.com> prohibited by administrator', 'norelaying'],
    [
      null,
      "550 5.7.193 UnifiedGroupAgent; Delivery failed because the sender isn't a group member or external senders aren't permitted to send to this group.",
      'filtered',
    ],
    ['RCPT', '553 User refused to receive this mail.', 'filtered'],
    ['RCPT', '550 <a@example.com>... User account not activated', 'suspend'],
    [null, 'mail receiving disabled', 'suspend'],
    ['DATA', '552 MessageWall: MIME/REJECT: Invalid structure', 'contenterror'],
    [null, '451 4.0.0 I/O error', 'systemerror', false],
    [null, 'This server requires PTR for unauthenticated connections', 'requireptr'],
    [null, 'nonstandard smtp line terminator', 'notcompliantrfc'],
    [null, 'connection with mx1.mail.example.com is broken', 'networkerror'],
  ]);
});

test('sessions counted over a maximum, a 451 "error in processing", a sending domain not verified', () => {
  expectAtStep([
    ['CONN', '500 The number of sessions exceeds the maximum', 'toomanyconn'],
    [null, '451 Error in Processing', 'systemerror', false],
    ['DATA', '550 From header sender domain not verified', 'rejected'],
    // ... or the From address itself (AT&T's Yahoo-run submission server, its help page on adding a sending address)
    [
      'DATA',
      '553 From address not verified - see http://help.yahoo.com/l/us/yahoo/mail/original/manage/sendfrom-07.html',
      'rejected',
    ],
  ]);
});

test("Exim's null MX, block lists named after the words, storage exhausted, spam verdicts and accounts in other words", () => {
  expectAtStep([
    [null, 'an MX or SRV record indicated no SMTP service', 'notaccept', true],
    ['RCPT', '550 Domain not used for mail', 'notaccept', true],
    [null, '550 Email blocked by cbl.abuseat.org', 'blocked'],
    [null, '554 Blocklisting in effect', 'blocked'],
    [null, 'Connection refused due to abuse', 'blocked'],
    ['RCPT', '452 User has exhausted allowed storage space', 'mailboxfull', false],
    ['RCPT', '550 recipient unrecognized', 'userunknown', true],
    ['RCPT', '550 Adressat unbekannt oder Mailbox deaktiviert', 'userunknown', true],
    [
      'DATA',
      '550 5.7.1 This email was blocked because it contains FortiGuard - AntiSpam blocking URL(s).',
      'spamdetected',
    ],
    ['DATA', '550 rejected By DCC', 'spamdetected'],
    ['DATA', '550 Wiadomosc zostala odrzucona przez system antyspamowy', 'spamdetected'],
    ['DATA', '550 Message Denied: Restricted attachment', 'policyviolation'],
    ['DATA', '554 a stray CR character', 'contenterror'],
    ['RCPT', "550 isn't allowed to relay", 'norelaying'],
    [null, 'El usuario esta en estado: inactivo', 'suspend'],
    [null, "Questo indirizzo e' bloccato per inutilizzo", 'suspend'],
  ]);
});

test("a blacklisted host named after 'mail from rejected', DSPAM's verdict, an IP not allowed to send for a domain", () => {
  expectAtStep([
    ['RCPT', '550 mail from rejected: administrative prohibition (host is blacklisted)', 'blocked'],
    ['DATA', '553 5.7.3 CONTENT REJECT:spam:dspam check:http://www.example.com/info/policy/12', 'spamdetected'],
    ['RCPT', '550 5.7.1 Mail rejected: 192.0.2.1 is not allowed to send mail from example.com', 'authfailure'],
    // (the sender's own block keeps its reading)
    ['MAIL', '550 Sender address rejected: blacklisted', 'rejected'],
  ]);
});

test("small servers' and filters' own wordings: their failures, usage help, LMTP's greeting, content and DKIM", () => {
  expectAtStep([
    // (the receiver's own failure under x.1.0, and usage help under x.1.2: no address judged)
    ['RCPT', '554 5.1.0 Unable to initialize agent context', 'systemerror'],
    ['RCPT', '503 5.1.2 Invalid RCPT TO. Use RCPT TO: <recipient>', 'syntaxerror'],
    // (a mailbox that takes no mail is not a host or domain that takes none, RFC 7504)
    ['RCPT', '550 5.7.1 MAILER-DAEMON does not accept mail', 'securityerror'],
    ['RCPT', '556 5.1.10 example.com does not accept mail', 'notaccept', true],
    ['HELO', '503 5.5.1 Duplicate LHLO', 'syntaxerror'],
    ['HELO', '501 5.5.4 Syntax: LHLO hostname', 'syntaxerror'],
    ['MAIL', "503 5.5.1 It's polite to say HELO first.", 'syntaxerror'],
    ['RCPT', '555 5.5.4 Invalid RCPT PARAM', 'syntaxerror'],
    ['DATA', '550 5.7.1 Missing DKIM signature for example.com, ADSP', 'authfailure'],
    ['DATA', '550 5.7.1 We do not accpet encrypted zip.', 'policyviolation'],
    ['DATA', '550 5.7.1 Boundary error in your message', 'contenterror'],
    ['DATA', '550 5.7.1 Header parse error', 'contenterror'],
    ['DATA', '554 5.3.0 Message is empty. Aborting.', 'contenterror'],
    ['RCPT', '550 5.7.1 example.com has been sending mostly spam', 'badreputation'],
  ]);
});

test("a sender callback said failed in short is the sender's", () => {
  expectAtStep([['DATA', '550 5.7.1 Callback failure', 'rejected']]);
});

test("a character set's name invalid is the content, not a mailbox's; TLS the receiver could not start, TCP errors, a quota error", () => {
  expectAtStep([
    [
      'RCPT',
      '550 5.6.0 CAT.InvalidContent.Exception: InvalidCharsetException, Character set name (cp-850) is invalid or not installed.; cannot handle content of message',
      'contenterror',
      false,
    ],
    ['CONN', '454 4.7.1 TLS library initialization failure', 'systemerror', false],
    [null, '420 TCP Write Error', 'networkerror', false],
    ['RCPT', '550 Quota Error', 'mailboxfull'],
  ]);
});

test('an address unreadable under 500 or 501 is the syntax; filters that failed, delivery programs, protocol misuse', () => {
  expectAtStep([
    // (no mailbox was looked up; under x.1.x the code's address verdict stands)
    ['RCPT', '501 Invalid address', 'syntaxerror', false],
    ['RCPT', '501 5.5.4 Invalid Address', 'syntaxerror', false],
    ['RCPT', '501 5.1.3 Bad recipient address syntax', 'userunknown', true],
    ['DATA', '451 4.7.1 Spam filter failed', 'systemerror', false],
    ['RCPT', '451 4.7.1 DNSBL filter failed', 'systemerror', false],
    [null, 'maildrop: Timeout quota exceeded.', 'mailererror'],
    [null, 'procmail: No space left to finish writing "/var/mail/bob"', 'systemfull'],
    [null, '421 4.3.2 unable to fork for MAIL', 'systemerror', false],
    ['MAIL', "550 Protocol error: `MAIL' not allowed in a group of commands", 'syntaxerror'],
    ['HELO', '500 Expected EHLO or HELO', 'syntaxerror'],
    ['DATA', '550 Blacklisted keyphrase found', 'policyviolation'],
  ]);
});

test('a verdict named in CamelCase reads as its words when the reply as written matches nothing', () => {
  expectAtStep([
    [null, '550 DisabledUser', 'suspend', false],
    [null, '554 MailLoop', 'networkerror', false],
    [null, '550 DmarcRejection', 'authfailure', false],
    // (a name the patterns know whole keeps its reading)
    [
      'RCPT',
      '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
      'userunknown',
      true,
    ],
  ]);
});

test("words that name the cause over a generic code: ZoneMTA's, Haraka's and maddy's own bounces, Momentum's", () => {
  expectAtStep([
    // a domain with no mail host takes no mail (hard); every MX host tried and failed is the network (soft)
    [null, '550 DNS error when resolving MX for example.com: No MX server found', 'notaccept', true],
    [null, '550 Could not find any MX servers for example.com', 'notaccept', true],
    [null, '550 5.1.2 Tried all MXs example.com', 'networkerror', false],
    [null, '451 4.7.1 TLS it not available or unauthenticated but required', 'securityerror', false],
    [null, '550 5.7.1 Blacklisted by recipient', 'filtered', false],
    ['RCPT', '550 5.7.1 Your IP is blacklisted', 'blocked', false],
    ['DATA', '550 5.6.0 Lone CR or LF in headers (see RFC2822 section 2.2)', 'contenterror', false],
    [null, '550 5.3.0 [internal] message body missing', 'contenterror', false],
    [null, '451 [internal] memory shortage while determining tls parameters', 'systemerror', false],
    ['DATA', '400 Unexpected long headers length, got: 4310 want: less than 4096 chars', 'contenterror', false],
  ]);
});

test("Microsoft's DMARC words, NetEase's code after an enhanced code, Coremail's and Domino's German verdicts", () => {
  expectAtStep([
    [
      'DATA',
      '550 5.7.0 (SNT004-MC4F16) Unfortunately, messages from (192.0.2.1) on behalf of (yahoo.com) could not be delivered due to domain owner policy restrictions.',
      'authfailure',
      false,
    ],
    ['DATA', '550 5.7.0 DT:SPM .For more information, please visit https://feedback.qiye.163.com/', 'spamdetected'],
    ['DATA', '552 5.7.0 content and attachment content guidelines', 'policyviolation', false],
    ['RCPT', '571 a@b.example... from mx.example.net You are banned, contact yourlocal admin.', 'blocked', false],
    ['DATA', '550 CoremailSys:Your message was blocked by NetEase AntiSpam+', 'spamdetected', false],
    // ... and "rejected" by one (QQ Mail's "550 Error: mail rejected by antispam server", 21cn's "553 this mail is
    // rejected by antispam system")
    ['DATA', '550 Error: mail rejected by antispam server', 'spamdetected', false],
    ['DATA', '553 this mail is rejected by antispam system', 'spamdetected', false],
    // Sohu's verdict on the sending IP, as a label
    [null, '553 5.7.0 IP REJECT', 'blocked', false],
    ['DATA', "571 Email from 192.0.2.1 is currently blocked by Verizon Online's anti-spam system", 'blocked', false],
    ['RCPT', '550 recipient does not have an account', 'userunknown', true],
    ['RCPT', '550 not user of this server', 'userunknown', true],
    [null, 'Benutzer a (a@example.com) nicht im Domino-Verzeichnis aufgeführt', 'userunknown', true],
  ]);
});

test("a Linux mail stack's own words: Exim's spool and log, greylistd, amavisd-new's BANNED, Dovecot, Spamhaus' query", () => {
  expectAtStep([
    ['DATA', '451 Error in writing spool file', 'systemerror', false],
    ['DATA', '451 Logging failure; please try later', 'systemerror', false],
    [
      'RCPT',
      '451 192.0.2.1 is not yet authorized to deliver mail from <a@example.net> to <b@example.com>. Please try later.',
      'blocked',
      false,
    ],
    ['DATA', '554 5.7.0 Reject, id=12345-01 - BANNED: .exe,T=exe,N=invoice.exe', 'policyviolation', false],
    // (and when its policy bounces rather than rejects, "Bounce, id=...")
    ['DATA', '554-5.7.0 Bounce, id=31536-15 - BANNED: 554 5.7.0 .exe,.exe-ms,invoice.bat', 'policyviolation', false],
    // (its older form, and Barracuda's, puts the same tag after "Message content rejected", its words for spam too)
    ['DATA', '550 5.7.1 Message content rejected, id=01956-02-2 - BANNED: auto__mail.python.bat', 'policyviolation'],
    ['DATA', '550 5.7.1 Message content rejected, id=01956-02-3 - BAD HEADER SECTION', 'contenterror'],
    ['DATA', '421 4.7.0 Too many invalid commands.', 'syntaxerror', false],
    // (Spamhaus refused the receiver's query, sent through a public resolver: no listing of the sender)
    ['RCPT', '550 Error: open resolver; https://www.spamhaus.org/returnc/pub/2001:db8::1', 'systemerror', false],
  ]);
});

test('a sender the recipient listed is its filter; an unknown HELO is the protocol; lines too long; a sender not verified', () => {
  expectAtStep([
    [null, '5.7.1 IP address blacklisted by recipient', 'blocked', false],
    ['HELO', '500 5.5.1 Unknown command', 'syntaxerror', false],
    ['DATA', '554 Too long line.', 'contenterror', false],
    [null, '550 5.7.1 Sender not verified', 'rejected', false],
  ]);
});

test("a gateway's name in its signature is no block; a login asked for first; SES's header parser; a region refused", () => {
  expectAtStep([
    [null, '550 5.1.1 User unknown. Protected by Barracuda Networks', 'userunknown', true],
    [null, '550 Geographic Region is Blocked', 'blocked', false],
    ['MAIL', '503 5.5.4 Error: send AUTH command first.', 'securityerror', false],
    ['MAIL', '502 5.7.0 Please authenticate first', 'securityerror', false],
    ['DATA', '550-5.7.1 Messages missing a valid messageId header are not 550-5.7.1 accepted.', 'notcompliantrfc'],
    ['DATA', '432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded', 'toomanyconn', false],
    ['DATA', "554 Transaction failed: Expected '/', got ;", 'contenterror', false],
    ['MAIL', '550 5.7.1 Sending from domain example.com is not allowed', 'rejected', false],
  ]);
});

test('"recipient" misspelt reads as spelt', () => {
  expectAtStep([['RCPT', '550-Invalid Recepient', 'userunknown', true]]);
});

test("help desks' wordings: TLS after Postfix's sender prefix, DKIM mismatched, a malicious network, German limits", () => {
  expectAtStep([
    ['MAIL', '530 5.7.0 <a@b.example>: Sender address rejected: Must use TLS', 'securityerror', false],
    [null, '550 Rejected due to DKIM mismatch', 'authfailure', false],
    [null, '550 Rejected due to malicious network', 'blocked', false],
    [null, '550 Rejected due to unsafe attachments', 'virusdetected', false],
    ['MAIL', '550 Mail transactions must start with EHLO/HELO', 'syntaxerror', false],
    [
      null,
      '550 Mail an 3 Empfänger nicht möglich, da damit das Limit von 30 Mails pro Stunde überschritten wird.',
      'speeding',
    ],
  ]);
});

test("Exchange's own replies: x.1.6 under a syntax reply, its login, its IP block list, its transport rules' actions", () => {
  expectAtStep([
    ['MAIL', '501 5.1.6 SMTPUTF8 argument required.', 'syntaxerror', false],
    [null, '551 5.1.6 User has moved; please try <b@example.org>', 'hasmoved', true],
    [null, '535 5.7.3 Authentication unsuccessful. User not found', 'securityerror', false],
    [
      null,
      '550 5.7.1 External client with IP address 192.0.2.1 does not have permissions to submit to this server.',
      'blocked',
      false,
    ],
    [null, '530 5.3.1 Intercepted and rejected by administrative action. PRJCT', 'policyviolation', false],
    [null, '503 5.5.2 Only one STARTTLS command can be issued per session', 'syntaxerror', false],
  ]);
});

test("a gateway's own words: encryption required, relaying forbidden, line length, a recipient it lists; SES's parser", () => {
  expectAtStep([
    ['RCPT', '550 Encryption is required from you', 'securityerror', false],
    ['RCPT', '550 unauthenticated session on submission port', 'securityerror', false],
    ['RCPT', '550 Relaying to this domain is forbidden', 'norelaying', false],
    ['DATA', '550 Maximum line length is 998, got 1350.', 'notcompliantrfc', false],
    ['RCPT', '550 blacklisted recipient: bob@example.org', 'filtered', false],
    // (a line too long under 500 is the command's, RFC 5321 4.2.2)
    ['DATA', '500 Line too long.', 'syntaxerror', false],
    ['DATA', '554 Transaction failed: Local address contains control or whitespace', 'contenterror', false],
  ]);
});

test("servers' own words: qpsmtpd's 552 after DATA, Exim's and Cyrus' faults, AUTH refused, local delivery agents", () => {
  expectAtStep([
    ['DATA', '552 unparseable from header', 'contenterror', false],
    ['DATA', '552 signature invalid: body has been altered', 'authfailure', false],
    ['HELO', '503 but you already said HELO ...', 'syntaxerror', false],
    ['MAIL', '550 TLS Negotiation Failed', 'securityerror', false],
    [null, '504 Unimplemented authentification mechanism: CRAM-MD5', 'securityerror', false],
    [null, '501 5.5.4 client canceled authentication', 'securityerror', false],
    ['DATA', '451 4.3.2 cannot stat message temporary file: Input/output error', 'systemerror', false],
    ['DATA', '451 4.6.0 Alias expansion error', 'systemerror', false],
    ['DATA', '421 Lost incoming connection', 'networkerror', false],
    ['RCPT', '451 Cannot resolve <bob@example.net> at this time', 'networkerror', false],
    ['RCPT', '550 Sender domain does not have any MX records.', 'rejected', false],
    ['DATA', '550 Rejected after DATA: could not verify "From:" header address', 'rejected', false],
    [null, "local delivery deferred: can not lock `/var/mail/bob'", 'mailererror', false],
    [null, 'maildrop: error writing to mailbox.', 'mailererror', false],
  ]);
});

test("Exchange's recipient directory entry broken is its own fault; its recipients that take authenticated mail only", () => {
  expectAtStep([
    [
      'RCPT',
      '550 5.2.0 RESOLVER.ADR.BadPrimary; recipient primary SMTP address is missing or invalid',
      'systemerror',
      false,
    ],
    [null, '550 5.7.136 Sender was not authenticated', 'rejected', false],
    [null, '550 5.7.12 Sender was not authenticated by organization', 'rejected', false],
    // (a session without SMTP AUTH stays the session's)
    ['RCPT', '550 5.7.1 Sender was not authenticated', 'securityerror', false],
  ]);
});

test("commands out of place, AUTH's words, Exim's and Sendmail's documented refusals", () => {
  expectAtStep([
    ['RCPT', '502 5.5.1 RCPT not allowed during message transfer', 'syntaxerror', false],
    [null, '503 5.5.0 Authentication not permitted during a mail transaction', 'syntaxerror', false],
    [null, '571 Bad authentication', 'securityerror', false],
    [null, '501 unknown mechanism', 'securityerror', false],
    ['RCPT', '550 Sender did not verify', 'rejected', false],
    ['DATA', '554 5.6.1 Eight bit data not allowed', 'contenterror', false],
    ['DATA', '550 contains blacklisted regex (URGENT BUSINESS PROPOSAL)', 'policyviolation', false],
    ['DATA', '550 HTML mail is not accepted here', 'policyviolation', false],
  ]);
});

test("Debian's milters and servers: HELO not implemented, one From field, DKIM's own fault, Exim's header syntax", () => {
  expectAtStep([
    ['HELO', '502 Error: command HELO not implemented', 'syntaxerror', false],
    ['DATA', '550 5.0.0 message does not have exactly one From field', 'notcompliantrfc', false],
    ['DATA', '451 4.7.0 internal DKIM error', 'systemerror', false],
    [
      'DATA',
      '550 Rejected after DATA: domain missing or malformed: failing address in "To:" header is: bob@',
      'contenterror',
      false,
    ],
    // (the same check in its other words, and in the message its common configurations give its refusal)
    [
      'DATA',
      "550 syntax error in 'From' header when scanning for sender: missing or malformed local part",
      'contenterror',
    ],
    ['DATA', '550 Message headers fail syntax check', 'contenterror'],
  ]);
});

test("sender unauthenticated in Naver's and Yahoo's words: the domain's SPF or DKIM, not a login", () => {
  expectAtStep([
    [
      'DATA',
      '550 5.7.2 Your email has been blocked because the sender is unauthenticated. For more information, go to ' +
        'https://help.naver.com/alias/mail/newmail10.naver piHy3W9tQeeZMnv+-t7Azw - nsmtp',
      'authfailure',
      false,
    ],
  ]);
});

test("the sender's own limit addressed to it: StartMail's hourly limit, EarthLink's outbound limit", () => {
  expectAtStep([
    ['MAIL', '550 5.7.1 Your mail limit has been reached.', 'speeding', false],
    [null, '550 Your hourly limit has been reached', 'speeding', false],
    ['RCPT', '554 Redirecting... - Outbound message limit exceeded', 'speeding', false],
  ]);
});

test("a relay's refusal of the sending domain it does not trust its client with", () => {
  expectAtStep([['MAIL', '501 from domain not trusted', 'rejected', false]]);
});

test("the destination's domain said invalid under x.1.1 is the domain; a dotted name said to be a mailbox is the mailbox", () => {
  expectAtStep([['RCPT', '550 5.1.1 piWs1j0010jifNx01iWsdh invalid destination domain', 'hostunknown', true]]);
  // (a dotted name the reply calls a mailbox is the mailbox's own name, not a domain)
  expectAtStep([
    ['RCPT', '550 5.1.1 Mailbox john.doe does not exist', 'userunknown', true],
    ['RCPT', '553 neko.example.com does not exist', 'hostunknown', true],
  ]);
});

test("RFC 5321's stock words under x.2.1, a crashed milter, Postfix's error limit at MAIL FROM", () => {
  expectAtStep([
    ['RCPT', '550 5.2.1 Mailbox unavailable.', 'suspend', false],
    ['RCPT', '550 5.2.1 Requested action not taken: mailbox unavailable', 'suspend', false],
    ['RCPT', '550 Requested action not taken: mailbox unavailable', 'userunknown', true],
    ['DATA', '451 4.3.0 pymilter: untrapped exception in pythonfilter', 'systemerror', false],
    ['MAIL', '421 4.7.0 mail2.example.fr Error: too many errors', 'toomanyconn', false],
  ]);
});

test("Exchange's own store, directory and routing faults, other servers' store and session words", () => {
  expectAtStep([
    [null, '532 5.3.2 STOREDRV.Deliver; Missing or bad StoreDriver MDB properties', 'systemerror', false],
    [null, '432 4.3.2 STOREDRV.Storage; mailbox server mapi session limit exceeded', 'systemerror', false],
    [null, '550 5.1.3 STOREDRV.Submit; invalid recipient address', 'userunknown', true],
    ['DATA', '554 5.6.0 STOREDRV.Deliver; Corrupt message content', 'contenterror', false],
    [null, '431 4.3.1 STOREDRV; mailbox disk is full', 'systemfull', false],
    [null, "550 5.2.0 RESOLVER.CON.NoTarget; contact's external address is missing", 'systemerror', false],
    [
      null,
      '550 5.2.0 Resolver.MT.NoModeratorAddresses; No moderator addresses for approval process',
      'systemerror',
      false,
    ],
    [
      null,
      '554 5.4.4 SMTPSEND.DNS.InvalidData; DNS returned an invalid response for this domain',
      'networkerror',
      false,
    ],
    [null, '550 5.4.4 ROUTING.NoConnectorForAddressType; unable to route for address type', 'networkerror', false],
    ['MAIL', '454 5.7.3 Client does not have permission to submit mail to this server', 'securityerror', false],
    [null, '500 5.5.6 Authentication Exchange line is too long', 'securityerror', false],
    ['DATA', '554 Error writing message to safe storage; message could not be stored to disk', 'systemerror', false],
    ['RCPT', "552 The recipient's mailbox has reached its maximum allowed size", 'mailboxfull', false],
    [null, '451 Too many errors from the client', 'toomanyconn', false],
    [null, '501 Syntax error: invalid character encoding.', 'syntaxerror', false],
    [
      null,
      '554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded',
      'mailboxfull',
      false,
    ],
  ]);
});

test("Sendmail's, Courier's, milter-greylist's and Haraka's documented replies", () => {
  expectAtStep([
    ['RCPT', '553 5.3.5 host.example.com config error: mail loops back to me (MX problem?)', 'systemerror', false],
    ['RCPT', '554 5.3.0 rewrite: map virtuser not found', 'systemerror', false],
    ['DATA', '552 192.0.2.7 is sending too much mail, slow down.', 'speeding', false],
    ['RCPT', '554 aliasing/forwarding loop for bob broken', 'systemerror', false],
    [null, '454 TLS session initiation failed', 'securityerror', false],
    ['DATA', '554 Cannot send 8-bit data to 7-bit destination', 'contenterror', false],
    ['DATA', '554 NUL byte not allowed', 'contenterror', false],
    ['MAIL', '501 NUL characters are not allowed in SMTP commands', 'syntaxerror', false],
    ['DATA', '550 5.6.2 Conversion required and prohibited', 'contenterror', false],
    ['DATA', '551 5.7.1 No more than 4 MB please', 'mesgtoobig', false],
    ['RCPT', '551 5.7.1 No more than 25 recipients, please', 'toomanyconn', false],
    ['MAIL', '421 4.7.0 host.example.com Command too long, possible attack', 'syntaxerror', false],
    ['DATA', '550 5.7.1 Mail sent by spamware is not accepted here', 'spamdetected', false],
    ['DATA', "554 Message can't be delivered in time; 3600 < 7200", 'expired', false],
  ]);
});

test('a transient x.7.1 whose words only ask to retry reads as its code: the sending host held back', () => {
  expectAtStep([
    ['RCPT', '450 4.7.1 <bob@example.net>: Recipient address rejected: Please try again later', 'blocked', false],
    ['DATA', '451 4.7.1 Service unavailable - try again later', 'blocked', false],
    ['RCPT', '451 4.7.1 Temporarily rejected. Try again later.', 'blocked', false],
    ['DATA', '451 4.7.0 Temporary server error. Please try again later. PRX4', 'systemerror', false],
    ['RCPT', '451 4.3.0 Please try again later', 'systemerror', false],
  ]);
});

test("x.1.6 over a filter's verdict on the message, or over a domain of one label, is no moved mailbox", () => {
  expectAtStep([
    ['DATA', '550 5.1.6 Spam not accepted', 'spamdetected', false],
    ['RCPT', '550 5.1.6 recipient no longer on server', 'hasmoved', true],
    ['RCPT', '550 5.1.6 Recipient addresses in single label domains not accepted', 'userunknown', true],
    [null, '550 5.1.6 Recipient addresses in single label domains not accepted', 'userunknown', true],
  ]);
});

test("a command the server does not know at HELO, and Postfix's client label over pipelining, are the protocol's", () => {
  expectAtStep([
    ['HELO', '500 5.5.2 Error: command not recognized', 'syntaxerror', false],
    ['HELO', '500 5.5.1 Command unrecognized: "XYZZY"', 'syntaxerror', false],
    ['HELO', '500 Too many unrecognized commands', 'syntaxerror', false],
    ['MAIL', '503 5.5.1 Multiple MAIL commands not allowed.', 'syntaxerror', false],
    [null, '503 5.5.0 AUTH not permitted now', 'syntaxerror', false],
    ['HELO', '501 5.5.2 <bad..name>: Helo command rejected: Invalid name', 'blocked', false],
    [
      null,
      '503 5.5.0 <unknown[192.0.2.1]>: Client host rejected: Improper use of SMTP command pipelining',
      'syntaxerror',
      false,
    ],
  ]);
});

test('"no valid recipients" for DATA names no cause of its own: the refused RCPT replies had it', () => {
  expectAtStep([
    ['DATA', '554 5.5.0 No valid recipients', 'onhold', false],
    ['DATA', '554 5.5.1 Error: no valid recipients', 'onhold', false],
    ['RCPT', '550 5.1.1 No valid recipient', 'userunknown', true],
    ['DATA', '554 qq Sorry, no valid recipients (#5.1.3)', 'userunknown', true],
    ['RCPT', '550 Error: No valid recipients for this MM', 'userunknown', true],
  ]);
});

test("Gmail's Japanese card, Exim's MX wording, sizes against what is left and what is allowed", () => {
  expectAtStep([
    [
      null,
      'アドレス不明\nアドレスが見つからなかったか、メールを受信できないアドレスであるため、メールは a@example.net に配信されませんでした。',
      'userunknown',
      true,
    ],
    [null, '550 MX records point to non-existent hosts or (invalidly) to IP addresses', 'hostunknown', true],
    ['DATA', '552 5.7.0 review our attachment guidelines.', 'policyviolation', false],
    [null, '552 Message size exceeds remaining quota', 'mailboxfull', false],
    ['DATA', '550 [Sniper] Exceeds the limit size of email', 'mesgtoobig', false],
  ]);
});

test('a full mailbox, an unknown address and an expired delivery in French, Spanish and Italian editions', () => {
  expectAtStep([
    [
      null,
      'La boîte aux lettres du destinataire est pleine et ne peut pas accepter de messages pour l’instant.',
      'mailboxfull',
      false,
    ],
    [null, 'Buzón de correo lleno', 'mailboxfull', false],
    ['RCPT', '550 Indirizzo inesistente', 'userunknown', true],
    ['RCPT', '550 no se encuentra en la Libreta de direcciones', 'userunknown', true],
    [null, 'tiempo de entrega vencido', 'expired', false],
  ]);
});

test("lists that take posts from their members only, in ezmlm's and Google Groups' words", () => {
  expectAtStep([
    [
      'RCPT',
      '552 Sorry, only subscribers may post. If you are a subscriber, please forward this message',
      'rejected',
      false,
    ],
    [
      null,
      'The group you attempted to subscribe to is invite only. You must be invited by the group owner.',
      'rejected',
      false,
    ],
  ]);
});

test("Rspamd's scanners' verdicts, and an SPF record's unknown mechanism, are not a login's", () => {
  expectAtStep([
    ['DATA', '554 5.7.1 icap: threat found with icap scanner: "Win.Test.EICAR_HDB-1"', 'virusdetected', false],
    ['DATA', '554 5.7.1 pyzor: Pyzor bulk message found: "x"', 'spamdetected', false],
    ['DATA', '554 5.7.1 dcc: bulk message found: "x"', 'spamdetected', false],
    ['RCPT', '550 SPF Permanent Error: Unknown mechanism found: moo', 'authfailure', false],
    [null, '504 5.5.4 Unknown authentication mechanism', 'securityerror', false],
  ]);
});

test("a connection to the destination's mail exchanger that failed is the network's", () => {
  expectAtStep([[null, 'host example.de [192.0.2.7]: connection to mail exchanger failed', 'networkerror', false]]);
});

test("qmail's and Exim's own failures to deliver, and Postfix's mailbox at its size limit, in their words", () => {
  expectAtStep([
    // qmail-remote could not reach any MX; qmail-send could not start it (its log writes spaces as underscores)
    [null, "Sorry, I wasn't able to establish an SMTP connection.", 'networkerror', false],
    [null, 'delivery 245: failure: Unable_to_run_qmail-remote./', 'systemerror', false],
    // an exit status after "returned" is no reply code
    [
      null,
      'Child process of address_pipe transport returned 255 (could mean shell command ended by signal 127) from command: /usr/bin/x',
      'mailererror',
      false,
    ],
    [
      null,
      'cannot append message to destination file /var/mail/bob: error writing message: File too large',
      'mailboxfull',
      false,
    ],
  ]);
});

test('a mailbox inactive or not available under x.2.1, greylisting by its server name, and blocks of the IP', () => {
  expectAtStep([
    ['RCPT', '550 5.1.1 Inactive mbox', 'suspend', false],
    ['RCPT', '550 5.2.1 Mailbox not available', 'suspend', false],
    // ... but the recipient's server temporarily unavailable is a host out of reach, not a mailbox held
    [
      'RCPT',
      "450 4.4.1 <a@example.com>: The recipient's server was temporarily unavailable to accept your message",
      'networkerror',
      false,
    ],
    ['RCPT', '450 4.2.0 <a@example.com>: Recipient address rejected: Delayed by postgrey', 'blocked', false],
    ['RCPT', '451 <a@example.com> Automated block triggered by suspicious activity from your IP address', 'blocked'],
    [
      null,
      '554- (RTR:BL) http://postmaster.info.aol.com/errors/554rtrbl.html 554  Connecting IP: 192.0.2.1',
      'blocked',
    ],
    ['DATA', '552 MS-Office file containing VBA macros found inside of the email', 'policyviolation', false],
  ]);
});

test('a login required in other words, an address of restricted characters, and a sender that failed its check', () => {
  expectAtStep([
    ['MAIL', '530 5.5.1 Invalid command: Must issue an AUTH command first', 'securityerror', false],
    ['RCPT', '550 Restricted characters in address', 'syntaxerror', false],
    [null, '550 Verify mailfrom failed,blocked', 'rejected', false],
  ]);
});

test("a domain in the message on Spamhaus's domain list, MessageLabs' spam verdict by its page, qmail's expiry", () => {
  expectAtStep([
    [
      'DATA',
      '550 5.7.1 Your email was rejected due to having a domain present in the Spamhaus DBL -- see https://www.spamhaus.org/dbl/',
      'spamdetected',
      false,
    ],
    [
      null,
      '553 Message filtered. Refer to the Troubleshooting page at http://www.symanteccloud.com/troubleshooting for more information. (#5.7.1)',
      'spamdetected',
      false,
    ],
    // qmail-send giving up after its queue lifetime keeps the cause it names, as for any other
    [
      null,
      "Sorry, I wasn't able to establish an SMTP connection. I'm not going to try again; this message has been in the queue too long.",
      'networkerror',
      false,
    ],
  ]);
});

test("the receiver's own tables and configuration failing, in Postfix's and Exim's words, are its system's", () => {
  expectAtStep([
    ['RCPT', '451 4.3.0 <a@example.com>: Temporary lookup failure', 'systemerror', false],
    [null, 'table lookup failure', 'systemerror', false],
    [null, 'cannot find alias database owner', 'systemerror', false],
    [
      null,
      'failed to expand "interface" option for remote_smtp transport: failed to open /etc/exim4/domains/x/ip: Permission denied',
      'systemerror',
      false,
    ],
    // ... where a lookup of the DNS that did not complete stays the network's
    [null, 'Temporary DNS failure', 'networkerror', false],
  ]);
});

test("a recipient rejected under x.1.0, a version in a path, a mailbox out of storage, Mimecast's greylisting and directory by its page", () => {
  expectAtStep([
    ['RCPT', '550 5.1.0 Recipient rejected.', 'userunknown', true],
    // "mailman-2.1.6" is a folder's name, no success code
    [
      null,
      'Command died with status 8: "/mail/mailman-2.1.6/mail/mailman bounces staff". Command output: Failure to find group name mailman.',
      'mailererror',
      false,
    ],
    ['RCPT', 'Allocated mailbox storage exceeded (#1.02)', 'mailboxfull', false],
    [
      'RCPT',
      '451 Internal resource temporarily unavailable - https://community.mimecast.com/docs/DOC-1369#451',
      'badreputation',
      false,
    ],
    // ... and its directory's verdict, by the same page, at whatever step the notice names
    [null, '550 Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550', 'userunknown', true],
    [null, '553 dialup.example.net config error: mail loops back to myself', 'systemerror', false],
  ]);
});

test("a server busy or in error in its own words, the sender's message limit the other way round, a harvest", () => {
  expectAtStep([
    ['RCPT', '554 Server Busy', 'systemerror', false],
    ['CONN', '421 Server busy, too many connections', 'toomanyconn', false],
    ['DATA', '554 Local Error', 'systemerror', false],
    [null, 'You (account) have reached your message limit.', 'speeding', false],
    ['RCPT', 'Dictionary attack detected', 'blocked', false],
  ]);
});

test("the receiving host's own setup in Exim's, Sendmail's and Dovecot's words", () => {
  expectAtStep([
    [null, 'User 0 set for local_delivery transport is on the never_users list', 'systemerror', false],
    [null, '554 5.0.0 MX list for example.net. points back to mx.example.net', 'systemerror', false],
    [
      'DATA',
      '451 4.2.0 <a@example.com> Execution of Sieve filters was aborted due to temporary failure',
      'systemerror',
    ],
    ['DATA', '451 4.2.0 Mailbox has an invalid format', 'systemerror', false],
    [null, '451 Temporary service failure', 'systemerror', false],
  ]);
});

test("Apache James's delivery failures, a SpamAssassin score, and a client that spoke before the greeting", () => {
  expectAtStep([
    [
      null,
      'There are no DNS entries for the hostname nonexistent.example. I cannot determine where to send this message.',
      'hostunknown',
      true,
    ],
    [
      null,
      'Temporary problem looking up mail server for host: example.com. I cannot determine where to send this message.',
      'networkerror',
      false,
    ],
    [null, 'Too many retries failure. Bouncing after 5 retries.', 'expired', false],
    ['DATA', 'rejected by local_scan(): Rejected: hits=7.5 required=5.0 trigger=5.0', 'spamdetected', false],
    // the client's own protocol fault, not its host refused
    [
      'CONN',
      'SMTP protocol synchronization error (input sent without waiting for greeting): rejected connection',
      'syntaxerror',
      false,
    ],
    ['CONN', 'Connecting host started transmitting before SMTP greeting', 'syntaxerror', false],
  ]);
});

test("a multi-line reply's bare continuation codes, Sendmail's relay check, DNS failures in other words, Dovecot's LDA", () => {
  expectAtStep([
    // the list's name split by the next line's "554-": still Postfix's DNS blocklist refusal of the client
    [
      null,
      '554-Service unavailable; Client host [192.0.2.10] blocked using 554-Barracuda Reputation; 554 http://www.barracudanetworks.com/reputation/?r=1&ip=192.0.2.10',
      'blocked',
      false,
    ],
    // what Sendmail refuses is the relaying, its client's name only why no relay rule let it through (proto.m4)
    ['RCPT', '550 5.7.1 Relaying denied. IP name lookup failed mail.example.net', 'norelaying', false],
    ['RCPT', '550 5.7.1 Relaying denied. IP name possibly forged mail.example.net', 'norelaying', false],
    ['RCPT', '450 4.7.1 Access denied. IP name lookup failed [192.0.2.222]', 'requireptr', false],
    [null, 'Temporary failure of hostname lookup', 'networkerror', false],
    ['MAIL', '450 Temporary address resolution failure (#4.4.3)', 'networkerror', false],
    // ... while Postfix's own table lookups stay its system's trouble
    ['RCPT', '451 4.3.0 <a@example.org>: Temporary lookup failure', 'systemerror', false],
    [null, "lda: Fatal: Invalid -f parameter: Missing domain after '@' in source route", 'mailererror', false],
    [null, 'Reason 1 (Unable-To-Transfer); Diagnostic 5 (Maximum-Time-Expired)', 'expired', false],
  ]);
});

test("a multi-line reply's last line opens with its bare code too: a phrase split before it reads whole", () => {
  // RFC 5321 4.2.1: "550-" on every line but the last, "550 " on the last; servers break lines between any two words
  expectAtStep([
    [null, '550-Host does\n550-not accept\n550 mail', 'notaccept', true],
    ['RCPT', '550-domain [example.com]\n550-mismatches client\n550 ip 192.0.2.225.', 'requireptr', false],
    [
      'MAIL',
      '554-Message rejected: Email address is not\n554-verified. The following identities failed the\n554 check in region AP-NORTHEAST-1: a@example.jp',
      'norelaying',
      false,
    ],
    // ... and so does one with its enhanced code on every line, whichever rule reads the phrase
    [null, '554-5.2.2 Submission\n554-5.2.2 quota\n554 5.2.2 exceeded', 'speeding', false],
    // ... and on a line that opens with an address, the "550-" is the reply's code, not the address's
    ['RCPT', '550-kijitora@example.org... No\n550 such user', 'userunknown', true],
  ]);
});

test("a reply reads the same with its server's stamp after it, from an IPv6 host, or over several lines", () => {
  expectAtStep([
    // Microsoft's server name and Gmail's trace id after the words say who answered, not why
    ['RCPT', '550 5.2.1 Mailbox unavailable. [BN8NAM11FT014.eop-nam11.prod.protection.outlook.com]', 'suspend', false],
    ['RCPT', '451 4.7.1 Service unavailable - try again later a1si1234567pfb.12 - gsmtp', 'blocked', false],
    ['RCPT', '550 Connection refused [BN8NAM11FT014.eop-nam11.prod.protection.outlook.com]', 'blocked', false],
    // ... and so does the step a notice writes after it (Yahoo's "[RCPT_TO]", Gmail's "(state 14)")
    ['RCPT', '550 5.2.1 Mailbox not available [RCPT_TO]', 'suspend', false],
    ['RCPT', '451 4.7.1 Temporarily rejected. Try again later. (state 14).', 'blocked', false],
    // an IPv6 address is an address of the sending host as an IPv4 one is (RFC 3849's documentation prefix)
    ['RCPT', '521 <2001:db8::1> is blocked', 'blocked', false],
    ['RCPT', '550 Mail from 2001:db8::1 refused: see the postmaster pages', 'blocked', false],
    ['RCPT', '550 5.7.1 see https://csi.cloudmark.com/reset-request/?ip=2001:db8::1', 'blocked', false],
    ['RCPT', '421 4.7.0 [GL01] Message from (2001:db8:4864:20::1) temporarily deferred', 'blocked', false],
    ['RCPT', '451 DNS lookup failure: [IPv6:2001:db8::1] try again later', 'requireptr', false],
    // a multi-line reply's lines, each opening with its code, joined as the one reply they are
    ['RCPT', '554-Mailer error:\n554 exit 75', 'mailererror', false],
    ['RCPT', '550-5.2.1 Mailbox not\n550 5.2.1 available', 'suspend', false],
    // ... also when whoever quoted it wrote its first line's hyphen as a space
    [
      'RCPT',
      '554 Service unavailable; Client host [192.0.2.10] blocked using 554-Barracuda Reputation; 554 http://www.barracudanetworks.com/reputation/?r=1&ip=192.0.2.10',
      'blocked',
      false,
    ],
    ['RCPT', '451-4.7.1 Service unavailable\n451 4.7.1 - try again later', 'blocked', false],
    ['DATA', '554-5.5.1 Error: no valid\n554 5.5.1 recipients', 'onhold', false],
    // ... with the spaces a server doubles
    ['DATA', '554 5.5.0 No valid  recipients', 'onhold', false],
    // and what a code adds to the words is read from the reply's own words, whatever the MTA wrote before them
    ['RCPT', 'host mx.example.net[192.0.2.9] said: 550 5.2.1 Mailbox not available', 'suspend', false],
    ['RCPT', 'SMTP error from remote mail server: 451 4.7.1 Temporarily rejected. Try again later.', 'blocked', false],
    // ... and whatever it writes after them (Postfix's step)
    [
      'RCPT',
      'host mx.example.net[192.0.2.9] said: 550 5.2.1 Mailbox not available (in reply to RCPT TO command)',
      'suspend',
      false,
    ],
  ]);
});

test("the sending MTA's own words: Exim's address lookups, Courier's and nullmailer's connections and logins, Sendmail's warnings", () => {
  expectAtStep([
    [null, "all host address lookups for 'example.com' failed permanently", 'hostunknown', true],
    [null, "all host address lookups for 'example.com' failed temporarily", 'networkerror', false],
    [null, 'Did not find a suitable MX for a connection', 'networkerror', false],
    [null, 'Network connection shut down by the remote mail server', 'networkerror', false],
    [null, 'Connection unexpectedly closed by remote host.', 'networkerror', false],
    [null, 'SMTP; Connect failed', 'networkerror', false],
    [null, 'Compatible SASL authentication not available.', 'securityerror', false],
    [null, 'Temporary SASL authentication error.', 'securityerror', false],
    [null, 'Sending failed: Failed to authenticate to server', 'securityerror', false],
    [null, 'remote delivery failed: SMTP login failed: Permission denied', 'securityerror', false],
    [null, 'Warning: message still undelivered after 4 hours', 'expired', false],
    // ... whose own cause, given first in the transcript, is the reason (a host that never answered stays a delay
    // that waits out its time)
    [
      null,
      '<a@example.org>... Deferred: mx.example.org.: No route to host\nWarning: message still undelivered after 4 hours\nWill keep trying until message is 5 days old',
      'networkerror',
      false,
    ],
    [
      null,
      '<a@example.org>... Deferred: Connection refused by mx.example.org.\nWarning: message still undelivered after 4 hours',
      'blocked',
      false,
    ],
    [null, 'Warning: Delivery time (3600s) exceeded', 'expired', false],
    [null, '451 4.3.0 mailer local died with signal 9', 'mailererror', false],
  ]);
});

test("Exim's own words for a TLS it requires, its transport filter, a host that is itself, lookups that failed, frozen messages and its local delivery", () => {
  expectAtStep([
    [null, 'a TLS session is required, but an attempt to start TLS failed', 'securityerror', false],
    // the other server lacking what Exim requires stays that server's setup
    [null, 'a TLS session is required, but the server did not offer TLS support', 'systemerror', false],
    [null, 'transport filter process failed (127): unable to execute command', 'mailererror', false],
    // ... a message its system filter froze, failed once frozen too long, and its own local delivery failing (no
    // program of the recipient's ran) where a pipe's failure is the program's
    [null, 'Message 1P1YNN-0003AD-Ga has been frozen by the system filter.', 'expired', false],
    [null, 'local delivery failed', 'systemerror', false],
    [null, 'pipe to |/usr/bin/procmail\n  generated by a@example.org\n  local delivery failed', 'mailererror', false],
    [null, 'remote host address is the local host', 'systemerror', false],
    [
      null,
      "some host address lookups failed and retry time not reached for other hosts or connection limit reached for 'example.com'",
      'networkerror',
      false,
    ],
    ['CONN', '421 connection limit reached', 'toomanyconn', false],
  ]);
});

test("Postfix's own local delivery failures read as the delivery agent's, as mail.local's and maildrop's are", () => {
  expectAtStep([
    [
      null,
      'cannot update mailbox /var/mail/x for user x. unable to create lock file /var/mail/x.lock: Permission denied',
      'mailererror',
      false,
    ],
    [
      null,
      'maildir delivery failed: create maildir file /home/x/Maildir/tmp/1700000000.P12345.mail.example.com: Permission denied',
      'mailererror',
      false,
    ],
    [
      null,
      'delivery failed to mailbox /var/mail/vhosts/example.com/x: unable to lock for exclusive access: Resource temporarily unavailable',
      'mailererror',
      false,
    ],
    // a mailbox at its size limit is full, whichever agent wrote it
    [
      null,
      'delivery failed to mailbox /var/mail/vhosts/example.com/x: error writing message: File too large',
      'mailboxfull',
      false,
    ],
    [null, 'Command time limit exceeded: "/usr/local/bin/maildrop"', 'mailererror', false],
    // POP before SMTP, whatever the refusal says of spam
    [
      'RCPT',
      '553. To send mail, first check your mail with a valid POP account; this prevents unauthorized SPAM relaying. (#5.7.1)',
      'securityerror',
      false,
    ],
  ]);
});

test("Exchange's own sentences for a domain DNS does not know and a refused connection, and a HELO never sent", () => {
  expectAtStep([
    [
      null,
      'The destination server for this recipient could not be found in Domain Name Service (DNS). Please verify the email address and retry. If that fails, contact your administrator. <mail.example.com #5.4.0>',
      'hostunknown',
      true,
    ],
    [
      null,
      "Contact the recipient by some other means (by phone, for example) and ask them to tell their email admin that it appears that their domain isn't properly registered at their domain registrar.",
      'hostunknown',
      true,
    ],
    [null, 'No connection could be made because the target computer actively refused it.', 'networkerror', false],
    // the client's misuse of the protocol, not its host refused
    ['HELO', '5.5.2 Send hello first', 'syntaxerror', false],
    ['HELO', '503 5.0.0 Polite people say HELO first', 'syntaxerror', false],
  ]);
});

test("RFC 5321's stock mailbox unavailable under x.2.1 with its translation after a slash is still a disabled mailbox", () => {
  expectAtStep([
    ['RCPT', '550 5.2.1 Mailbox not available / Konto niedostepne', 'suspend', false],
    // unless what follows the slash names a cause of its own
    ['RCPT', '550 5.2.1 Mailbox not available / no such user here', 'userunknown', true],
  ]);
});

test("Exim's callout to the sender's postmaster refuses the sender's domain, not the recipient's", () => {
  expectAtStep([
    [
      'RCPT',
      '550-Postmaster verification failed while checking <user@example.net> 550-Several RFCs state that you are required to have a postmaster 550-mailbox for each mail domain. This host does not accept mail 550 from domains whose servers reject the postmaster address.',
      'rejected',
      false,
    ],
  ]);
});

test('a message that needs SMTPUTF8 where it is not offered is the content, as RFC 6531 codes it', () => {
  expectAtStep([
    ['RCPT', '553 5.6.7 Non-ASCII addresses not permitted for recipient', 'contenterror', false],
    [null, 'SMTPUTF8 is required, but was not offered by host mx.example.com[192.0.2.1]', 'contenterror', false],
    [null, 'utf8 support required but not offered for forwarding', 'contenterror', false],
    ['DATA', '554 5.6.9 UTF-8 header message cannot be transferred to one or more recipients', 'contenterror', false],
  ]);
});

test("Gmail's temporary limits: unsolicited mail refuses the sender's mail, whoever it counts; a missing PTR record is that cause; a bare rate limit is a speed", () => {
  expectAtStep([
    [
      'DATA',
      '421-4.7.28 Gmail has detected an unusual rate of unsolicited mail. To protect 421-4.7.28 our users from spam, mail has been temporarily rate limited. For 421-4.7.28 more information, go to https://support.google.com/mail/?p=UnsolicitedRateLimitError',
      'blocked',
      false,
    ],
    ['DATA', '421 4.7.28 Mail sent from your IP address has been temporarily rate limited.', 'speeding', false],
    // ... and one that names its cause, an IP without a PTR record, is read by that cause
    [
      'RCPT',
      '421-4.7.0 [192.0.2.1] The IP address sending this message does not have a PTR record, or the corresponding forward DNS entry does not point to the sending IP. To protect our users from spam, mail sent from your IP address has been temporarily rate limited.',
      'requireptr',
      false,
    ],
  ]);
});

test("Mimecast's header-based Blocked Senders refuse the sender, spelt with or without the hyphen", () => {
  expectAtStep([
    [
      null,
      'Rejected by header based Blocked Senders: a@example.com - https://community.mimecast.com/docs/DOC-1369#550',
      'rejected',
      false,
    ],
    [null, 'Rejected by header-based Blocked Senders - block policy for header From', 'rejected', false],
  ]);
});

test('a sending IP said suspended is not a suspended mailbox', () => {
  expectAtStep([[null, '451 4.3.0 [internal] Sending IP temporarily suspended', 'blocked', false]]);
});

test("RFC 5321's 501 with a syntax detail is the command's argument, whatever characters it names", () => {
  expectAtStep([
    ['RCPT', '501 5.5.4 Invalid TO: Invalid character in path', 'syntaxerror', false],
    // but a 501 about the address itself under an address code keeps its reading
    ['RCPT', '501 5.1.3 Bad recipient address syntax', 'userunknown', true],
  ]);
});

test('a rate counted per minutes or hours is a speed', () => {
  expectAtStep([
    ['RCPT', '450 4.7.1 sorry, max 3 requests per 5 minutes', 'speeding', false],
    [
      'DATA',
      '5.7.1 <DATA>: Data command rejected: limit of 400 rcpts per 24 hours for client a@example.me reached',
      'speeding',
      false,
    ],
    ['RCPT', 'limit of 500 recipients per hour for sender a@example.net exceeded', 'speeding', false],
    // a count per message is no rate
    ['RCPT', '452 4.5.3 Error: too many recipients, max 50 recipients per message', 'toomanyconn', false],
  ]);
});

test("a MAIL FROM or RCPT TO parameter the server cannot read is the command's syntax, not the sender refused", () => {
  expectAtStep([
    ['MAIL', '550 Badly formed parameter', 'syntaxerror', false],
    ['MAIL', '555 5.5.4 MAIL FROM/RCPT TO parameters not recognized or not implemented', 'syntaxerror', false],
  ]);
});

test('Cox\'s error codes read the same after "Error Code:" as after its AUP# tag', () => {
  expectAtStep([
    [
      null,
      '554 cox blocked. Error Code: CXBL - Refer to Error Codes section at https://www.cox.com/',
      'blocked',
      false,
    ],
    ['CONN', '421 cmsmtp blocked. Error Code: CXCNCT', 'toomanyconn', false],
  ]);
});

test("a sender on the domain's own block list is the sender refused; an RFC named with its section number alone", () => {
  expectAtStep([
    [null, "551 Sender is on domain's blacklist", 'rejected', false],
    ['DATA', '550 Message is not RFC5322 2.1.1 compliant', 'notcompliantrfc', false],
  ]);
});

test("a gateway's product name is no virus found; a message body too big; a mailbox limit exceeded without its size", () => {
  expectAtStep([
    [null, '#< #5.0.0 X-Spam-&-Virus-Firewall; [example.com]: Name or service not known> #SMTP#', 'hostunknown', true],
    ['DATA', '552 Message body is too big', 'mesgtoobig', false],
    [null, 'The recipient has exceeded their mailbox limit', 'mailboxfull', false],
  ]);
});

test("a login the session lacks, in Exchange's, hosting providers' and Exchange Online's words, is no refusal of the sender", () => {
  expectAtStep([
    ['MAIL', 'Anonymous client does not have permissions to send as this sender', 'securityerror', false],
    [
      'MAIL',
      'Perhaps you have not logged into the pop/imap server in the last 30 minutes or do not have SMTP Authentication turned on in your email client.',
      'securityerror',
      false,
    ],
    [
      'RCPT',
      '550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources',
      'securityerror',
      false,
    ],
    ['RCPT', 'sorry, you must get POP/APOP authorization.', 'securityerror', false],
    // an authenticated client without the right to use the address is still the sender refused
    ['MAIL', '550 5.7.60 SMTP; Client does not have permissions to send as this sender', 'rejected', false],
  ]);
});

test("mailing-list managers' refusals of a poster, of a post's size and of its recipients, in their own words", () => {
  expectAtStep([
    [null, 'Non-members are not allowed to post messages to this list.', 'rejected', false],
    [null, 'Sender is explicitly forbidden', 'rejected', false],
    [null, "I'm sorry, you are not allowed to post messages to this list (#5.7.2)", 'rejected', false],
    [null, 'Message distribution in the list is restricted to list subscribers.', 'rejected', false],
    [null, 'Your message was too big; please trim it to less than 40 KB in size.', 'mesgtoobig', false],
    [null, 'Post to test@lists.example.org denied due to size limit', 'mesgtoobig', false],
    [null, 'Message has more than 10 recipients', 'toomanyconn', false],
  ]);
});

test('a header the message may have once, said to be there twice in other words', () => {
  expectAtStep([['DATA', '550 Messages should have one or no Content-Type headers, not 2.', 'notcompliantrfc', false]]);
});

test("the enhanced-code registry's own sample texts read as their codes: RFC 3886's x.1.9, RFC 6531's x.6.8", () => {
  expectAtStep([
    [null, '550 5.1.9 Message relayed to non-compliant mailer', 'systemerror', false],
    [null, '553 5.6.8 UTF-8 string reply is required, but not permitted by the SMTP client', 'contenterror', false],
  ]);
});

test("an attachment's extension on a list is the content refused, not a host on a block list", () => {
  expectAtStep([['DATA', '554 The extension of the attached file is blacklisted', 'policyviolation', false]]);
});

test("RFC 7208's own explanation of an SPF fail is the sender's authentication, at MAIL FROM too", () => {
  expectAtStep([
    ['MAIL', "550 5.7.23 192.0.2.3 is not one of example.com's designated mail servers.", 'authfailure', false],
    ['MAIL', "192.0.2.3 is not one of example.com's designated mail servers.", 'authfailure', false],
  ]);
});

test("a reply's non-ASCII words as an MTA's ASCII notice writes them: Exim's octal escapes, Postfix's question marks", () => {
  expectAtStep([
    // Exim escapes each byte of "收件人空间不足" (the recipient's space is insufficient)
    [
      'RCPT',
      '552 \\346\\224\\266\\344\\273\\266\\344\\272\\272\\347\\251\\272\\351\\227\\264\\344\\270\\215\\350\\266\\263',
      'mailboxfull',
      false,
    ],
    ['RCPT', '554 delivery error: This user doesn\\342\\200\\231t have an account', 'userunknown', true],
    // Postfix without SMTPUTF8 puts a "?" for each byte of the typographic apostrophe
    ['RCPT', '554 delivery error: This user doesn???t have an account', 'userunknown', true],
  ]);
});

test("a login the session lacks, a sender on the receiver's refused list, and a lookup of the client's address", () => {
  expectAtStep([
    // SMTP AUTH wanted, said to the sender: the session's login, not SPF or DKIM, at whatever step
    [null, '530 5.7.1 You are not authorized to send mail, authentication is required', 'securityerror', false],
    [
      'MAIL',
      '550 Cannot receive from specified address <a@example.com>: Unauthenticated senders not allowed',
      'securityerror',
    ],
    // ... but DKIM's own requirement stays the message's authentication, and a relay refused stays a relay refused
    [null, '550 5.7.1 DKIM authentication required', 'authfailure'],
    ['RCPT', '550 5.7.1 Relaying denied. Proper authentication required.', 'norelaying'],
    // the sender's address on Exchange's sender filter, or named as one the server takes no mail from
    [null, '550 5.7.1 Email address is on SenderFilterConfig list', 'rejected', false],
    [null, '550 This server does not accept mail from sender@example.org', 'rejected', false],
    // a DNS lookup of an address is the reverse lookup of the connecting IP
    [null, '451 DNS lookup failure: 192.0.2.1 try again later', 'requireptr', false],
  ]);
});

test('an address said to lack space is a full mailbox; a server that may not be used as a relay refuses relaying', () => {
  expectReasons([
    ['550 kijitora@example.jp does not have enough space', 'mailboxfull'],
    ['550 This mail server cannot be used as a relay', 'norelaying'],
  ]);
});

test('a recipient the server will not take as its own is unknown at RCPT TO, and filtered once it was accepted', () => {
  expectAtStep([
    ['RCPT', '550 Recipient is not local', 'userunknown', true],
    ['DATA', '550 Recipient is not local', 'filtered', false],
    [null, '550 Recipient is not local', 'filtered', false],
    ['RCPT', '550 Recipient address rejected.', 'userunknown', true],
    [null, '554 Destination server rejected recipients', 'filtered', false],
  ]);
});

test("mail software's own words for an unreachable or unknown destination, and a content policy named as restrictions", () => {
  expectAtStep([
    // maddy: no MX host took the connection, and its name for a connection's failure (not the receiver's disk)
    [null, '451 4.4.2 No usable MXs, last err: Network I/O error', 'networkerror', false],
    [null, '421 4.4.2 Network I/O error', 'networkerror', false],
    // ... while the receiver's own I/O error stays its fault
    [null, '451 4.3.0 I/O error', 'systemerror', false],
    // hMailServer: the recipient's domain has no mail server at all
    [null, "No mail servers appear to exists for the recipient's address.", 'hostunknown', true],
    // Symantec Email Security.cloud's content policy
    ['DATA', '550 5.7.1 Message rejected due to content restrictions', 'policyviolation', false],
  ]);
});

test("the sending MTA's own words for a failure no remote reply gave, as the MTAs' sources write them", () => {
  expectAtStep([
    // a name server or a host the sending side could not use: Sendmail's, Exim's, Haraka's words
    [null, 'Deferred: Host mx.example.net is down', 'networkerror', false],
    [null, 'Deferred: Name server: mx.example.net: non-recoverable error', 'networkerror', false],
    [null, 'all host address lookups failed temporarily', 'networkerror', false],
    [null, 'Temporary MX lookup error for example.net', 'networkerror', false],
    // ... or a domain with nowhere to deliver to at all (Haraka's outbound: neither an MX host nor an address)
    [null, 'Nowhere to deliver mail to for domain: example.net', 'notaccept', true],
    // its own configuration, tables or queue: Postfix's "local data error", OpenSMTPD's relay
    [null, 'local data error while talking to mx.example.net[192.0.2.10]', 'systemerror', false],
    [null, '451 4.3.0 Error: Server local data error', 'systemerror', false],
    [null, 'Cannot retrieve smarthost', 'systemerror', false],
    [null, 'Error reading content file', 'systemerror', false],
    // ... or a login to its smarthost it would not or could not make
    [null, 'Refuse to AUTH over unsecure channel', 'securityerror', false],
    [null, 'Could not retrieve credentials', 'securityerror', false],
    // a client certificate the receiver wanted is the session's security, at the greeting too, not a block of the host
    ['HELO', '421 4.7.1 mx.example.net Error: No client certificate presented', 'securityerror', false],
    // a recipient that takes no bounces (Haraka's bounce plugin) chose so
    ['DATA', '550 That recipient does not accept bounces', 'filtered', false],
    // ... and a limit on a client's new TLS sessions is a rate of connections
    ['HELO', '421 4.7.0 mx.example.net Error: too many new TLS sessions from unknown[192.0.2.1]', 'toomanyconn', false],
  ]);
});

test("Postfix's own words for a destination's TLS policy it could not meet, its own machinery, and content it could not convert", () => {
  expectAtStep([
    // DANE (RFC 7672) it could not verify, and RFC 8689 REQUIRETLS it could not honour: the session's security
    [null, 'TLSA records unusable', 'securityerror', false],
    [null, 'no TLSA records found', 'securityerror', false],
    [null, 'Verification not possible, MX RRset is insecure', 'securityerror', false],
    [
      null,
      'REQUIRETLS Failure: sender requested REQUIRETLS, but TLS service was not offered by host mx.example.net[192.0.2.10]',
      'securityerror',
      false,
    ],
    // the queue manager and delivery agents failing it: its own fault, not the recipient's, "not found" or not
    [null, 'mail transport unavailable', 'systemerror', false],
    [null, 'address resolver failure', 'systemerror', false],
    [null, 'recipient user@example.net: uid not found in virtual_uid_maps', 'systemerror', false],
    [null, 'Temporary lookup error', 'systemerror', false],
    // a message it could not send as the next hop needs it
    [null, 'MIME nesting exceeds safety limit', 'contenterror', false],
    [null, 'message requires SMTPUTF8, but no server was found that supports SMTPUTF8', 'contenterror', false],
  ]);
});

test("newer MTAs' words: a destination's TLS policy not met, a resolver that misbehaved, a route's list, a DNSRBL hook", () => {
  expectAtStep([
    // Stalwart's and mox's DANE and MTA-STS failures are the session's security, before the word "policy"
    [
      null,
      "<a@example.net> (DANE failed to authenticate 'mx.example.net': No TLSA DNSSEC records found)",
      'securityerror',
    ],
    [
      null,
      `<a@example.net> (MTA-STS failed to authenticate 'example.net': MX "mx2.example.net" not authorized by policy.)`,
      'securityerror',
    ],
    [
      null,
      'mx host mx3.example.net does not match enforced mta-sts policy with hosts mx1.example.net',
      'securityerror',
    ],
    // ... and Exim's
    [null, 'DANE error: mx.example.net lookup not DNSSEC', 'securityerror'],
    // an Exim configuration that does not expand is the sending side's own fault
    [null, 'failed to expand helo_data: unknown variable name "primary_host"', 'systemerror'],
    // mox's lookup that Go's resolver answered with a SERVFAIL
    [
      null,
      'dns lookup error: mx lookup for example.net: lookup example.net. on 192.0.2.53:53: server misbehaving',
      'networkerror',
    ],
    // hMailServer's route that does not list the address
    ['RCPT', '550 Recipient not in route list.', 'userunknown', true],
    // Apache James's DNSRBL hook: the connecting host is listed
    ['RCPT', '554 5.7.1 Rejected: unauthenticated e-mail from /192.0.2.10 is restricted.', 'blocked', false],
  ]);
});

test("gateways' words: a listing named for reputation is still a listing, and a forward path's domain not allowed is relaying", () => {
  expectAtStep([
    // Trend Micro's Email Reputation Services is a DNS block list: a refusal "using" it is the IP's listing
    [null, 'Mail from 192.0.2.10 deferred using Trend Micro Email Reputation database.', 'blocked', false],
    // ... while a reputation said of the sender stays its reputation
    [null, '550 5.7.1 Your IP has poor reputation', 'badreputation', false],
    // RFC 821's forward-path is the recipient's: a domain there this server will not take mail for (Trend Micro IMSS)
    ['RCPT', '550 domain of forward path is not allowed', 'norelaying', false],
  ]);
});

test("the Exim wiki's HELO checks, as hosting panels ship them, are the sending host's name at any step, never the recipient's domain", () => {
  expectAtStep([
    ['RCPT', '550 Invalid domain or IP given in HELO/EHLO (HELO was localhost)', 'blocked', false],
    ['HELO', '550 Invalid domain or IP given in HELO/EHLO (HELO was localhost)', 'blocked', false],
    ['MAIL', '550 Helo name contains a ip address (HELO was 192-0-2-10.dsl.example.net) and not is valid', 'blocked'],
    ['MAIL', '550 Open Proxy in HELO/EHLO (HELO was 192.0.2.10)', 'blocked'],
    ['RCPT', '550 No you are not ME or OURS (HELO was example.org and equal my local domains)', 'blocked'],
    ['MAIL', '550 192.0.2.25 is _my_ address', 'blocked'],
    // (no HELO at all is the client's order of commands: Debian's exim4-config, the same wiki page)
    ['MAIL', '550 no HELO given before MAIL command', 'syntaxerror'],
    ['MAIL', '550 HELO required before MAIL', 'syntaxerror'],
  ]);
});

test("a server's reply refusing the client's connection is blocked, as is Sendmail's host that refused it; Postfix's \"Connection refused\" is the network", () => {
  // a server that answers took the connection: its "connection refused" names the client it turns away (MMDF's
  // smtpsrvr under tcp_wrappers: "451 Connection Refused (%s) from: %s")
  expectAtStep([
    ['CONN', '451 Connection Refused (denied) from: host.example.net', 'blocked'],
    ['CONN', '421 Connection Refused (Paranoid) from: unknown@192.0.2.10', 'blocked'],
    ['CONN', '554 5.7.1 Connection refused for 192.0.2.1', 'blocked'],
    ['CONN', '421 4.7.0 Connection refused from [192.0.2.1]', 'blocked'],
    [null, '554 Connection refused by policy', 'blocked'],
    // the sending MTA's own words when nothing answered at the port (Postfix's "connect to <host>: Connection
    // refused", Exchange's x.4.x code for its socket error 10061) ...
    [null, 'connect to mx.example.net[192.0.2.1]:25: Connection refused', 'networkerror'],
    [null, '451 4.4.316 Connection refused [Message=Socket error code 10061]', 'networkerror'],
    // ... but Sendmail's, which names the host that refused, the reference library reads as that host's block
    [null, 'Deferred: Connection refused by mx.example.net.', 'blocked'],
    [null, '421 4.4.1 Connection refused by mx.example.net', 'blocked'],
  ]);
});

test("a server that says its own mail system has a problem or cannot start is the system's fault, at any step", () => {
  // MMDF's smtpsrvr
  expectAtStep([
    ['CONN', "421 Server can't initialize mail system (mmdf)", 'systemerror'],
    ['RCPT', '451 Mail system problem', 'systemerror'],
    ['DATA', '451 Unknown mail trouble, try later', 'systemerror'],
  ]);
  // the sender's system is not the receiver's
  assert.notEqual(reasonForText('550 Problem with the sending system, see our policy'), 'systemerror');
});

test('a success reply is a delivery, with or without its enhanced code', () => {
  for (const reply of [
    '250 2.0.0 Ok: queued as 4BKx9',
    '250 ok dirdel',
    '250 Message received: 2009.KNSF@mx.example.jp',
  ])
    assert.deepEqual(classifySmtpReply(null, null, reply), { reason: 'delivered', hard: false }, reply);
  // a number in a refusal's words is no reply code of it
  assert.notEqual(classifySmtpReply(null, null, '200 messages per hour exceeded').reason, 'delivered');
});

test("a sender's outgoing limit is a rate limit, and delivery attempts that all failed are the queue giving up", () => {
  expectAtStep([
    // Migadu's submission server, when the account has sent its allowance
    [null, '554 5.7.1 Reached address outgoing limits for a@example.org', 'speeding', false],
    [null, '550 Outgoing mail limit reached for this account', 'speeding', false],
    // 1&1's notice after its retries ("Reason: multiple delivery attempts failed")
    [null, 'multiple delivery attempts failed', 'expired', false],
  ]);
});

test('a login missing at MAIL FROM, a relay without one, a rate and a verdict written with a slash, a redacted Yahoo template', () => {
  expectAtStep([
    // RFC 4954's 530 "Authentication required", in a submission server's words: the session, not the sender
    ['MAIL', '530 5.7.0 User not authenticated', 'securityerror', false],
    // a server that relays only for clients that logged in
    ['RCPT', '550-550 relay through this server without authentication.', 'norelaying', false],
    ['RCPT', '554 Relaying is not allowed without SMTP authentication', 'norelaying', false],
    // Mailgun's limit on an account on probation
    [
      'DATA',
      '554 Your account is on probation and domains are limited to 100 messages / hour. Account will be enabled in 341 seconds',
      'speeding',
      false,
    ],
    // Network Solutions' refusal of a message as "spam/virus": the verdict named first, as "spam or virus"
    [
      'MAIL',
      '553 5.3.0 192.0.2.7 Your message was rejected for possible spam/virus content.Please ask your email provider to visit http://emailadmin.registeredsite.com for resolution.',
      'spamdetected',
      false,
    ],
    // Yahoo's "dd This user doesn't have a yahoo.com account" with the domain cut out where an MTA logged it
    [
      'DATA',
      "554 delivery error: dd This user doesn't have a account ( [0] - mta1.mail.example.yahoo.com",
      'userunknown',
      true,
    ],
  ]);
});

test("a line too long in go-smtp's words, and a message not conforming to standards", () => {
  expectAtStep([
    // a line said too long is the message's content, as "lines too long" reads
    ['DATA', '554 5.0.0 transaction failed: smtp: too long a line in input stream', 'contenterror', false],
    // Tencent Cloud's relay, wrapping the same error
    [
      'DATA',
      '554 5.0.0 Error: transaction failed, blame it on the weather: smtp: too longer line in input stream',
      'contenterror',
      false,
    ],
    ['DATA', '554 Message does not conform to standards', 'notcompliantrfc', false],
  ]);
});

test("a sender the server will not send as, a login asked for after EHLO, and the sender's account not activated", () => {
  expectAtStep([
    // the sender refused (here the null sender), not SPF's "is not authorized to send mail on behalf of"
    [null, '553 You are not authorized to send mail as <>', 'rejected', false],
    [null, '550 5.7.1 192.0.2.1 is not authorized to send mail on behalf of example.com', 'authfailure', false],
    // QQ Mail's submission server, to a client that sent MAIL FROM without logging in
    ['MAIL', '503 Error: need EHLO and AUTH first !', 'securityerror', false],
    // Brevo's submission server, of the sender's own account
    [null, '502 5.7.0 Your SMTP account is not yet activated', 'rejected', false],
  ]);
});

test("a sending service's sender and daily limit, and a required field missing in the RFC's own term", () => {
  expectAtStep([
    // SendGrid's refusal of a From its account may not use
    [null, '403 You are not authorized to send from that email address', 'rejected', false],
    // a cPanel host's daily limit on the sending account
    [null, '550 "Daily limit has been exceeded for user@example.com"', 'speeding', false],
    // Momentum (SparkPost), naming the header field as RFC 5322 does, under a content code (RFC 3463 x.6)
    ['DATA', '550 5.6.0 Missing required RFC2822 Date field (see RFC2822 section 3.6)', 'contenterror', false],
  ]);
});

test("a named reputation service's page for the sending IP names the cause over a generic refusal; an open relay blocked", () => {
  expectAtStep([
    // Optus, pointing at Cloudmark's listing of the sending IP
    [
      'RCPT',
      '521 5.7.1 <a@example.com.au>: Recipient address rejected: You are not allowed to send mail. Please see http://csi.cloudmark.com/reset-request/?ip=192.0.2.1 if you feel this is in error',
      'blocked',
      false,
    ],
    // the sending host taken for an open relay (Alaska Communications)
    [null, '550 5.0.0. ...blocked as possible open relay', 'blocked', false],
    // the same words without the page stay a policy
    [
      'RCPT',
      '521 5.7.1 <a@example.com.au>: Recipient address rejected: You are not allowed to send mail.',
      'policyviolation',
      false,
    ],
  ]);
});

test("a sender refused in other words, a field's name quoted, a session's size, rates, a recipient's check, an IP's mail", () => {
  expectAtStep([
    // a submission relay refusing the domain the client may not send as
    ['MAIL', '550 You are not allowed to send e-mails as the domain example.com', 'rejected', false],
    // Elastic Email's, naming the envelope sender it refuses
    ['MAIL', "553 Envelope FROM 'user@example.com' email address not allowed.", 'rejected', false],
    // SendGrid's relay, quoting the name of the field the message lacks
    ['DATA', "550 MIME message is missing 'From' header", 'notcompliantrfc', false],
    // Exchange's receive connector over its size limit: the message's size, whatever 4.3.1 says of the system
    ['DATA', '552 4.3.1 Session size exceeds fixed maximum session size', 'mesgtoobig', false],
    // a Brazilian host's hourly limit, and Oxford's relays' rate check
    [
      null,
      '454 Atencao: voce atingiu o limite maximo de envio: 1000 mensagens em 60 minuto(s). Apos este periodo o envio volta ao normal.',
      'speeding',
      false,
    ],
    [null, 'HST-FLD: 192.0.2.1 is sending too quickly. Please try again later.', 'speeding', false],
    // Oxford's relays, whose directory check of the recipient failed
    [
      'RCPT',
      '#550-RPT-FAL: Recipient failed verification. 550 Cannot deliver to this recipient. ##',
      'userunknown',
      true,
    ],
    // iCloud's refusal of the sending IP's mail
    [
      null,
      '550 5.7.1 [HCM2] Your mail from 192.0.2.1 was rejected. https://support.apple.com/en-us/HT204137',
      'blocked',
      false,
    ],
  ]);
});

test('an IP reported as a source of spam, an address without a reverse name, a From that must match the login', () => {
  expectAtStep([
    // MailEnable's IP blocking: the sending IP's listing, not the message's content
    [
      'RCPT',
      '452 The IP Address you are sending from was reported as a source of Spam. Please contact your e-mail administrator.',
      'blocked',
      false,
    ],
    // a filtering MX's reverse DNS check of an IPv6 client
    [null, '5.6.2 Sender ip adress rejected: Your IPv6 address do not have a reverse look name', 'requireptr', false],
    // SmarterMail's submission check of the From against the login
    [null, '550 From domain must match authenticated domain', 'rejected', false],
  ]);
});

test("Trend Micro's list named beside a pointer to its reputation lookup, and MIME Exim's demime calls malformated", () => {
  expectAtStep([
    // the IP's listing in ERS's dial-up list, not a reputation score
    [
      'RCPT',
      'Recipient address rejected: Mail from <192.0.2.1> was refused due to the sender IP found in ERS-DUL. For details, query the IP reputation on https://servicecentral.trendmicro.com/en-US/ers/.',
      'blocked',
      false,
    ],
    ['DATA', '550-This message contains malformated MIME (demime acl condition: bad boundary)', 'contenterror', false],
  ]);
});

test('a relay attempt refused with the verdict said first', () => {
  expectAtStep([
    // an Exim relay ACL's message, as "relay attempt rejected" already reads
    ['RCPT', 'Rejected relay attempt', 'norelaying', false],
    ['RCPT', '550 relay attempt rejected', 'norelaying', false],
  ]);
});

test('a required field said not contained, a recipient not valid with the receiver’s word for it, an e-mail that does not exist', () => {
  expectAtStep([
    // maddy's header check, under the content code it gives it (RFC 3463 x.6)
    ['DATA', '554 5.6.0 Message does not contains a From header field (msg ID = 6d6f933e)', 'contenterror', false],
    // Mailrise's gateway: the address is none it delivers for
    ['RCPT', "550 'user@example.com' is not a valid mailrise recipient", 'userunknown', true],
    // ... but a sender said not valid is no recipient of any kind
    ['RCPT', '550 <a@example.org> is not a valid sender recipient', 'onhold', false],
    // SimpleLogin's forwarder: the e-mail (address) that does not exist, not the e-mail's other words
    ['RCPT', '550 SL E502 Email not exist', 'userunknown', true],
    ['DATA', '550 Email content invalid', 'onhold', false],
    // ... nor the sender's, which is the sender's address refused, however the negation is written
    ['RCPT', '550 From email not exist', 'rejected', false],
    ['RCPT', '550 From email does not exist', 'rejected', false],
  ]);
});

test("a message's length said with its size before the limit, and RFC 5321's local error with its words turned round", () => {
  expectAtStep([
    // gen_smtp's SIZE check at MAIL FROM: the message, not the mailbox (which 552 alone would say)
    ['MAIL', '552 Estimated message length 20000000 exceeds limit of 10485760', 'mesgtoobig', false],
    // Indy's SMTP server
    ['DATA', '451 Local Processing Error', 'systemerror', false],
  ]);
});

test('a process the server could not start, said with the failure last, is its own fault even as its greeting', () => {
  expectAtStep([
    ['CONN', '421 Fork failed', 'systemerror', false],
    ['CONN', '421 mx.example.net cannot fork, try again later', 'systemerror', false],
  ]);
});

test('an admin\'s refusals written with "lacks" and "we do not accept mail from your IP" name their cause under a bare 5.7.1', () => {
  expectAtStep([
    // the EnemiesList sendmail kit: the sender's domain, said to the sender as its own
    [
      'RCPT',
      '550 5.7.1 NOMXFAL Contact +1-555-0100 if this is in error, but your mail was refused because your domain lacks an MX record.',
      'rejected',
      false,
    ],
    // ... the sending IP
    [
      'RCPT',
      '550 5.7.1 SPMRBLK Contact postmaster@example.net if this is in error, but we do not accept mail from your IP address, 192.0.2.25, which is in a netblock assigned to a known spammer.',
      'blocked',
      false,
    ],
    // ... and a field RFC 5322 asks for, as "missing a Message-ID header" reads
    [
      'DATA',
      '554 5.7.1 NOMSGID Contact postmaster@example.net if this is in error; your message was rejected as it lacks a Message-ID header and is therefore invalid.',
      'notcompliantrfc',
      false,
    ],
    // "your domain" is the sender's, never the recipient's domain that takes no mail
    ['RCPT', '550 Your domain has no MX record', 'rejected', false],
  ]);
});

test("milters' words: a system overloaded, an IP that does not resolve, an address (not the message) off the RFC's syntax", () => {
  expectAtStep([
    // clamav-milter: the scanner's system, whatever 4.3.2 says of accepting mail
    ['MAIL', '451 4.3.2 AV system temporarily overloaded - please try later', 'systemerror', false],
    // milter-regex's example rule: the client's address has no name
    ['CONN', '451 4.7.1 Sender IP address not resolving', 'requireptr', false],
    // smf-sav: the address's syntax, which its 5.1.3 says, not the message's format
    ['RCPT', '550 5.1.3 Recipient address does not conform to RFC-2821 syntax', 'userunknown', true],
    // ... as MDaemon's message that does not conform is the message's
    ['DATA', '554 Message does not conform to standards', 'notcompliantrfc', false],
  ]);
});

test("project mail hosts' own words: a failed PTR, a domain the router cannot reach, an RFC named by its number", () => {
  expectAtStep([
    // Debian's mail hosts: the connecting IP's name could not be looked up
    ['RCPT', '451 Access temporarily denied. Resolve failed PTR for 192.0.2.25', 'requireptr', false],
    // Wikimedia's Exim: RFC 3463's "unable to route", permanent
    ['RCPT', '550 Cannot route to remote domain example.invalid', 'hostunknown', true],
    // Debian's mail hosts: the message's headers break RFC 2047
    ['DATA', '550 Your mailer is not RFC 2047 compliant: message rejected', 'notcompliantrfc', false],
  ]);
});

test("the sender refused in other receivers' words: its domain, an empty sender, a filter of senders' addresses", () => {
  expectAtStep([
    ['MAIL', '550 This server does not accept mail from example.net', 'rejected'],
    ['MAIL', '553 5.1.7 Syntax error: empty email address', 'rejected'],
    // Courier's DNS check of the sender's domain
    ['MAIL', '517 RFC 1035 violation: recursive CNAME records for mail.example.net.', 'rejected'],
    [null, '550 5.7.1 <a@example.net>: denied by SecuMail valid-address-filter', 'rejected'],
  ]);
});
