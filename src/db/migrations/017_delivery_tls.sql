-- The TLS of each recipient's last delivery attempt as its relay reported it (src/relay-protocol/delivery-tls.ts):
-- {version, cipher, verified, mtaSts, failure}. NULL until a relay reports it (and for mail delivered before).
ALTER TABLE recipients ADD COLUMN tls jsonb;
