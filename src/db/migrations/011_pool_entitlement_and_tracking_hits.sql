-- A pool can be reserved for some accounts: a rule never routes another account's mail into it. Empty = open to all.
-- (The existing ip_pools trigger bumps mde_config, so routers reload the restriction with the rules.)
ALTER TABLE ip_pools ADD COLUMN accounts text[] NOT NULL DEFAULT '{}';

-- One row per tracked link and recipient (kind 'open' with link '', or 'click' with the SHA-256 hex of the URL, which
-- keeps the key short whatever the URL): the first hit writes the webhook-eligible `opened` / `clicked` event (once
-- for a person, once for a machine), later hits only count here.
-- `window_start` / `window_hits` bound how many hits per minute are recorded for one token; beyond, nothing is written.
CREATE TABLE tracking_hits (
  message_id    text NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  recipient     text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('open', 'click')),
  link          text NOT NULL,
  hits          integer NOT NULL DEFAULT 0,
  first_at      timestamptz NOT NULL,
  last_at       timestamptz NOT NULL,
  window_start  timestamptz NOT NULL,
  window_hits   integer NOT NULL DEFAULT 0,
  person_event  boolean NOT NULL DEFAULT false,
  machine_event boolean NOT NULL DEFAULT false,
  PRIMARY KEY (message_id, recipient, kind, link)
);
