-- Credential lifecycle: keys and credentials are revoked, not deleted, so audit trails that name them (an API key id
-- as actor) keep resolving; a revoked row never authenticates again. last_used_at shows which ones are still in use.
ALTER TABLE api_keys
  ADD COLUMN last_used_at timestamptz,
  ADD COLUMN revoked_at   timestamptz;

ALTER TABLE smtp_credentials
  ADD COLUMN last_used_at timestamptz,
  ADD COLUMN revoked_at   timestamptz;

ALTER TABLE ip_credentials
  ADD COLUMN last_used_at timestamptz,
  ADD COLUMN revoked_at   timestamptz;
