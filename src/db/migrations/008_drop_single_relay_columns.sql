-- A message is delivered in parts, each from its own relay and IP, and every recipient records the relay and IP that
-- handled it (recipients.relay_id, recipients.source_ip); a relay hosts any number of IPs (table ips). The columns of
-- the first design, with one relay and one source address per message and per relay, are no longer read or written.

ALTER TABLE messages DROP COLUMN IF EXISTS relay_id;
ALTER TABLE messages DROP COLUMN IF EXISTS source_ip;
ALTER TABLE relays DROP COLUMN IF EXISTS source_ip;
