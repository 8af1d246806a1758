-- The Mail Distribution Engine: IP pools, IPs hosted by relays, routing rules, named domain groups, and the
-- route each recipient took. Submission headers (X-Relay-Tag, X-Relay-Priority) become message columns.

CREATE TABLE ip_pools (
  name        text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
  description text,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ips (
  ip          text PRIMARY KEY,
  pool        text NOT NULL REFERENCES ip_pools(name) ON UPDATE CASCADE,
  relay_id    text NOT NULL REFERENCES relays(id),
  state       text NOT NULL CHECK (state IN ('active', 'standby', 'quarantined', 'retired')),
  weight      integer NOT NULL DEFAULT 100 CHECK (weight >= 0),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ips_pool ON ips (pool);

-- Audit of every IP change: who (API key id, "system", "reputation-scan"), from → to, and why.
CREATE TABLE ip_changes (
  id          bigserial PRIMARY KEY,
  ip          text NOT NULL,
  actor       text NOT NULL,
  from_state  text,
  to_state    text,
  from_pool   text,
  to_pool     text,
  reason      text,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ip_changes_ip ON ip_changes (ip, id);

CREATE TABLE domain_groups (
  name        text PRIMARY KEY CHECK (name ~ '^[a-z0-9._-]{1,64}$'),
  domains     text[] NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Rules are evaluated by (priority, id); an empty match is a catch-all. version counts edits of one rule.
CREATE TABLE mde_rules (
  id          text PRIMARY KEY,
  priority    integer NOT NULL CHECK (priority >= 0),
  version     integer NOT NULL DEFAULT 1,
  match       jsonb NOT NULL DEFAULT '{}',
  pool        text NOT NULL REFERENCES ip_pools(name) ON UPDATE CASCADE,
  description text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One counter for the routing configuration: any change to rules, groups or pools bumps it (by trigger, whatever
-- code path made the change), so routers cache the rule set and reload it only when the counter moved.
CREATE TABLE mde_config (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version    bigint NOT NULL DEFAULT 1
);
INSERT INTO mde_config DEFAULT VALUES;

CREATE FUNCTION mde_config_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE mde_config SET version = version + 1;
  RETURN NULL;
END $$;
CREATE TRIGGER mde_rules_bump AFTER INSERT OR UPDATE OR DELETE ON mde_rules FOR EACH STATEMENT EXECUTE FUNCTION mde_config_bump();
CREATE TRIGGER domain_groups_bump AFTER INSERT OR UPDATE OR DELETE ON domain_groups FOR EACH STATEMENT EXECUTE FUNCTION mde_config_bump();
CREATE TRIGGER ip_pools_bump AFTER INSERT OR UPDATE OR DELETE ON ip_pools FOR EACH STATEMENT EXECUTE FUNCTION mde_config_bump();

-- Relay health as the MDE last saw it (poll, push, or a stats fetch).
ALTER TABLE relays
  ADD COLUMN last_heartbeat_at timestamptz,
  ADD COLUMN queue_depth integer,
  ADD COLUMN stats jsonb NOT NULL DEFAULT '{}';

-- The route each recipient took: which rule (and which version of it) chose which pool.
ALTER TABLE recipients
  ADD COLUMN pool text,
  ADD COLUMN rule_id text,
  ADD COLUMN rule_version integer;
CREATE INDEX recipients_source_ip_updated ON recipients (source_ip, updated_at);

ALTER TABLE messages
  ADD COLUMN tags text[] NOT NULL DEFAULT '{}',
  ADD COLUMN priority text;
