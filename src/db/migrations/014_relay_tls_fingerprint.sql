-- The SHA-256 fingerprint of each relay's TLS certificate (upper-case hex pairs joined by colons). The MDE sends AUTH
-- to a relay only over TLS with this certificate; a relay without one registered gets no handoff.
ALTER TABLE relays ADD COLUMN tls_fingerprint text
  CHECK (tls_fingerprint IS NULL OR tls_fingerprint ~ '^([0-9A-F]{2}:){31}[0-9A-F]{2}$');
