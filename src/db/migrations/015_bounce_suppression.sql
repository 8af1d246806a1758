-- Suppression acts on confidence (src/domain/bounces/decide-suppression.ts). An entry made by a bounce records the
-- classified reason and the reply it was read from, so people can see why an address is listed.
ALTER TABLE suppressions ADD COLUMN bounce_reason text, ADD COLUMN evidence text;

-- Final failures whose reason does not condemn the address alone (policy, content, a full mailbox...): one row per
-- (account, address, message), so the same failure reported twice (relay reply and DSN, push and poll) counts once.
-- The address is suppressed when enough of them fall within the repeat window; older rows of an address are
-- dropped whenever it fails again.
CREATE TABLE bounce_failures (
  account_id  text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  address     text NOT NULL CHECK (address = lower(address)),
  message_id  text NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  reason      text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, address, message_id)
);
CREATE INDEX bounce_failures_message_id ON bounce_failures (message_id);
