-- Reputation monitoring: incidents (blocklist listings and degraded own signals) with their evidence, the
-- alert emails sent for them, per-subject scan state, and ops warnings (a blocklist refusing our queries).

CREATE TABLE reputation_incidents (
  id            text PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('listed', 'degraded')),
  subject       text NOT NULL,                      -- an IP or a domain
  subject_kind  text NOT NULL CHECK (subject_kind IN ('ip', 'domain')),
  zone          text NOT NULL,                      -- the blocklist zone, or 'own-signals' for degraded
  reason        text NOT NULL,
  evidence      jsonb NOT NULL DEFAULT '{}',        -- query name, answer codes, TXT, lookup to repeat / metric values
  action        text,                               -- what was done (swap, no standby, ...)
  pool          text,
  opened_at     timestamptz NOT NULL DEFAULT now(),
  resolved_at   timestamptz,
  clean_scans   integer NOT NULL DEFAULT 0,         -- clean scans in a row since the last listed answer
  last_scan_id  text                                -- the scan that last counted, so a retried activity counts once
);
-- One open incident per (kind, subject, zone): a second scan finds the open one instead of opening another.
CREATE UNIQUE INDEX reputation_incidents_open ON reputation_incidents (kind, subject, zone) WHERE resolved_at IS NULL;
CREATE INDEX reputation_incidents_subject ON reputation_incidents (subject, opened_at DESC);

-- Alert emails: one per (incident, kind, seq); the message id makes sending idempotent (a retry restarts the same
-- workflow, which Temporal refuses as already started).
CREATE TABLE reputation_alerts (
  incident_id text NOT NULL REFERENCES reputation_incidents(id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('opened', 'reminder', 'resolved')),
  seq         integer NOT NULL DEFAULT 0,
  message_id  text NOT NULL,
  sent_at     timestamptz NOT NULL,
  PRIMARY KEY (incident_id, kind, seq)
);

-- The last scan's view of each subject (shown on GET /v1/ips).
CREATE TABLE reputation_subjects (
  subject       text PRIMARY KEY,
  subject_kind  text NOT NULL CHECK (subject_kind IN ('ip', 'domain')),
  state         text NOT NULL CHECK (state IN ('clean', 'listed', 'degraded', 'unknown')),
  last_scan_at  timestamptz NOT NULL,
  last_scan_id  text NOT NULL,
  results       jsonb NOT NULL DEFAULT '[]'
);

-- A blocklist that refused our queries (rate limit, open resolver): an ops warning, once per scan and zone.
CREATE TABLE reputation_warnings (
  id        bigserial PRIMARY KEY,
  scan_id   text NOT NULL,
  zone      text NOT NULL,
  codes     text[] NOT NULL,
  why       text NOT NULL,
  subjects  text[] NOT NULL,
  at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (scan_id, zone)
);
