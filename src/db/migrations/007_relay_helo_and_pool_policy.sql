-- Reputation monitoring, two more settings: each relay's HELO name (its registrable domain is scanned against the
-- domain blocklists), and what a pool does when its listed active IP has no standby to swap in.

ALTER TABLE relays ADD COLUMN helo_name text;

-- 'keep-sending' (default): the listed IP stays active and the alert says so loudly; 'stop': it is quarantined anyway
-- and the pool's messages wait (deferred, with an alert) until an operator gives the pool a usable IP.
ALTER TABLE ip_pools ADD COLUMN on_listed_without_standby text NOT NULL DEFAULT 'keep-sending'
  CHECK (on_listed_without_standby IN ('keep-sending', 'stop'));
