import type pg from 'pg';

// The relay's own database, created at start (idempotent). Tables carry a relay_ prefix so they can never be mistaken
// for, or collide with, the central service's tables. Body once per message; one row per recipient with its retry
// state (and the source address and priority the MDE chose); an append-only event log whose seq is the status feed's
// cursor. MTA-STS policies are cached here too.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS relay_messages (
  id          text PRIMARY KEY,
  envid       text NOT NULL,
  mail_from   text NOT NULL,
  body        bytea NOT NULL,
  size        integer NOT NULL,
  received_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS relay_recipients (
  id              bigserial PRIMARY KEY,
  message_id      text NOT NULL REFERENCES relay_messages(id) DEFERRABLE INITIALLY DEFERRED,
  envid           text NOT NULL,
  recipient       text NOT NULL,
  domain          text NOT NULL,
  status          text NOT NULL CHECK (status IN ('queued','delivering','deferred','delivered','bounced','failed')),
  priority        integer NOT NULL DEFAULT 0,
  attempts        integer NOT NULL DEFAULT 0,
  queued_at       timestamptz NOT NULL,
  next_attempt_at timestamptz NOT NULL,
  lease_until     timestamptz,
  smtp_code       integer,
  enhanced_code   text,
  response        text,
  reason          text,
  updated_at      timestamptz NOT NULL,
  UNIQUE (envid, recipient)
);
CREATE INDEX IF NOT EXISTS relay_recipients_due ON relay_recipients (next_attempt_at) WHERE status IN ('queued','deferred');
CREATE INDEX IF NOT EXISTS relay_recipients_leased ON relay_recipients (lease_until) WHERE status = 'delivering';
CREATE INDEX IF NOT EXISTS relay_recipients_message ON relay_recipients (message_id, domain);
CREATE TABLE IF NOT EXISTS relay_events (
  seq           bigserial PRIMARY KEY,
  recipient_id  bigint NOT NULL REFERENCES relay_recipients(id),
  envid         text NOT NULL,
  recipient     text NOT NULL,
  status        text NOT NULL,
  attempts      integer NOT NULL,
  smtp_code     integer,
  enhanced_code text,
  response      text,
  reason        text,
  source_ip     text,
  at            timestamptz NOT NULL
);
-- Added after the first release; ADD COLUMN IF NOT EXISTS upgrades a relay database in place. source_ip is the
-- address the MDE chose for the handoff (NULL = the relay's default address at delivery time, which is also what
-- rows queued before the upgrade get); priority orders claims (higher first).
ALTER TABLE relay_recipients ADD COLUMN IF NOT EXISTS source_ip text;
ALTER TABLE relay_recipients ADD COLUMN IF NOT EXISTS priority integer NOT NULL DEFAULT 0;
-- The stats endpoint counts the last hour's outcomes.
CREATE INDEX IF NOT EXISTS relay_events_at ON relay_events (at);
-- Retention: a finished message's body is dropped after RELAY_RAW_RETENTION (body NULL, body_purged_at set); its
-- rows stay, so the status feed and the MDE's direct checks still know every recipient it held.
ALTER TABLE relay_messages ALTER COLUMN body DROP NOT NULL;
ALTER TABLE relay_messages ADD COLUMN IF NOT EXISTS body_purged_at timestamptz;
CREATE INDEX IF NOT EXISTS relay_messages_unpurged ON relay_messages (received_at) WHERE body_purged_at IS NULL;
-- The TLS of each attempt (src/relay-protocol/delivery-tls.ts: version, cipher, certificate verified, MTA-STS mode
-- and failure), on the event and, for the last attempt, on the recipient; NULL when no host was tried.
ALTER TABLE relay_recipients ADD COLUMN IF NOT EXISTS tls jsonb;
ALTER TABLE relay_events ADD COLUMN IF NOT EXISTS tls jsonb;
-- Where a destination's reply came from: the command it answered (CONN, HELO, MAIL, RCPT, DATA) and the host that gave
-- it. The MDE's bounce classification reads both (a receiver's documented reply counts from its own hosts; "Unknown
-- user" after DATA is a filter, at RCPT TO an address). NULL for the relay's own failures.
ALTER TABLE relay_recipients ADD COLUMN IF NOT EXISTS smtp_command text;
ALTER TABLE relay_recipients ADD COLUMN IF NOT EXISTS remote_host text;
ALTER TABLE relay_events ADD COLUMN IF NOT EXISTS smtp_command text;
ALTER TABLE relay_events ADD COLUMN IF NOT EXISTS remote_host text;
-- MTA-STS policies (RFC 8461) as fetched, per recipient domain, under the id of the _mta-sts TXT record they were
-- fetched for; used until expires_at (fetch time + max_age). Kept in the database, not in memory, so a restarted
-- relay still knows a domain enforces TLS when the TXT record is stripped in transit.
CREATE TABLE IF NOT EXISTS relay_mta_sts_policies (
  domain     text PRIMARY KEY,
  policy_id  text NOT NULL,
  mode       text NOT NULL CHECK (mode IN ('enforce','testing','none')),
  mx         text[] NOT NULL,
  max_age    integer NOT NULL,
  fetched_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
`;

/** Creates the relay's tables; an advisory lock keeps two relays starting at once on one database from racing. */
export async function ensureQueueSchema(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext('relay_schema'))`);
    await client.query(SCHEMA);
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtext('relay_schema'))`).catch(() => undefined);
    client.release();
  }
}
