-- Webhooks: per-account endpoints, their delivery attempts, and the outbox cursor of the dispatcher.

-- The outbox order. Each event row remembers the transaction that wrote it; the dispatcher reads only rows whose
-- transaction is older than every running one (pg_snapshot_xmin), ordered by (tx, id), so an event committed late
-- with a smaller id is never skipped by the cursor.
ALTER TABLE message_events ADD COLUMN tx xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX message_events_outbox ON message_events (tx, id);
CREATE INDEX message_events_at ON message_events (at, id);
CREATE INDEX message_events_type_id ON message_events (type, id);

-- Wakes the dispatcher (LISTEN relay_message_events) when events are committed; a periodic scan is the fallback.
CREATE FUNCTION notify_message_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('relay_message_events', '');
  RETURN NULL;
END $$;
CREATE TRIGGER message_events_notify AFTER INSERT ON message_events FOR EACH STATEMENT EXECUTE FUNCTION notify_message_events();

CREATE TABLE webhooks (
  id          text PRIMARY KEY,
  account_id  text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  url         text NOT NULL,
  events      text[] NOT NULL,
  secret_enc  text NOT NULL,            -- AES-256-GCM under a key derived from the master secret (src/webhooks/secret-box.ts)
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_account ON webhooks (account_id);

-- One row per HTTP attempt (and one closing row when the 24 h retry window ends without success).
CREATE TABLE webhook_deliveries (
  id             bigserial PRIMARY KEY,
  webhook_id     text NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  event_id       bigint NOT NULL,
  message_id     text NOT NULL,
  attempt        integer NOT NULL,
  ok             boolean NOT NULL,
  status_code    integer,
  error          text,
  at             timestamptz NOT NULL DEFAULT now(),
  next_retry_at  timestamptz,
  UNIQUE (webhook_id, event_id, attempt)
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id DESC);
CREATE UNIQUE INDEX webhook_deliveries_success ON webhook_deliveries (webhook_id, event_id) WHERE ok;

CREATE TABLE webhook_dispatch_cursor (
  name     text PRIMARY KEY,
  last_tx  xid8 NOT NULL,
  last_id  bigint NOT NULL
);
