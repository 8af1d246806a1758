-- Per-account suppression list: addresses that are never sent to again. Filled automatically by a hard
-- bounce (synchronous reply or asynchronous DSN) or a complaint (ARF report), and by hand through /v1/suppressions.
-- Addresses are stored lowercased; one row per (account, address).
CREATE TABLE suppressions (
  id                 bigserial PRIMARY KEY,
  account_id         text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  address            text NOT NULL CHECK (address = lower(address)),
  reason             text NOT NULL CHECK (reason IN ('hard-bounce', 'complaint', 'manual', 'unsubscribe')),
  source_message_id  text REFERENCES messages(id) ON DELETE SET NULL,
  detail             text,                     -- the bounce reason / diagnostic or feedback type, for people
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, address)
);
-- Listing is newest first per account (id is the paging cursor).
CREATE INDEX suppressions_account_id ON suppressions (account_id, id DESC);
