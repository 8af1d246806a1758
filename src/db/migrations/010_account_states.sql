-- Account standing: a state (active, suspended, sandbox) changed by the admin with a reason and audited, sending
-- limits per minute and per day (NULL = unlimited), the usage counted per time bucket at acceptance, and
-- account-level events (a quota warning concerns the account, not one message).

ALTER TABLE accounts
  ADD COLUMN state            text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'suspended', 'sandbox')),
  ADD COLUMN state_reason     text,
  ADD COLUMN limit_per_minute integer CHECK (limit_per_minute >= 0),
  ADD COLUMN limit_per_day    integer CHECK (limit_per_day >= 0);

-- Decided at acceptance from the account's state then, so a later change of state does not release a sandboxed message.
ALTER TABLE messages ADD COLUMN sandboxed boolean NOT NULL DEFAULT false;

-- Accepted messages per account and bucket ('minute' or 'day', UTC, by the database clock so that every ingress
-- instance counts into the same row). The acceptance transaction increments the row and checks the limit; the row
-- lock serialises concurrent acceptances of one account until they commit or roll back.
CREATE TABLE account_usage (
  account_id    text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  period        text NOT NULL CHECK (period IN ('minute', 'day')),
  bucket_start  timestamptz NOT NULL,
  count         integer NOT NULL,
  PRIMARY KEY (account_id, period, bucket_start)
);

-- Append-only audit of state changes; actor is the API key id that made the change.
CREATE TABLE account_state_changes (
  id          bigserial PRIMARY KEY,
  account_id  text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  from_state  text NOT NULL,
  to_state    text NOT NULL,
  reason      text NOT NULL,
  actor       text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX account_state_changes_account ON account_state_changes (account_id, id);

-- Append-only events about an account as a whole (quota-warning); source_key makes a repeat a no-op.
CREATE TABLE account_events (
  id          bigserial PRIMARY KEY,
  account_id  text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  type        text NOT NULL,
  data        jsonb NOT NULL DEFAULT '{}',
  source_key  text UNIQUE,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX account_events_account ON account_events (account_id, id);
