-- Sender authentication: each sender domain carries an ownership token, its verification (by DNS, or by an admin by
-- hand), the last DNS check and whether its return-path CNAME points at BOUNCE_DOMAIN; its DKIM keys live in
-- dkim_keys (private keys sealed with a key derived from the master secret).
ALTER TABLE sender_domains
  ADD COLUMN ownership_token  text,
  ADD COLUMN verified_by      text CHECK (verified_by IN ('dns', 'manual')),
  ADD COLUMN verified_at      timestamptz,
  ADD COLUMN verified_note    text,
  ADD COLUMN return_path_ok   boolean NOT NULL DEFAULT false,
  ADD COLUMN last_check       jsonb,
  ADD COLUMN checked_at       timestamptz,
  ADD COLUMN failing_since    timestamptz,
  ADD COLUMN alert_message_id text;

-- Domains listed before verification existed keep sending: they count as verified by hand, and say why.
UPDATE sender_domains
   SET verified_by = 'manual', verified_at = now(), verified_note = 'listed before sender verification existed';

-- One row per selector. The signing key is the newest one whose DNS record was seen (published_at); an older one is
-- kept (and stays in the expected records) until retire_after, so mail signed with it still verifies.
CREATE TABLE dkim_keys (
  account_id      text NOT NULL,
  domain          text NOT NULL,
  selector        text NOT NULL,
  private_key     text NOT NULL,
  public_key      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  published_at    timestamptz,
  retire_after    timestamptz,
  PRIMARY KEY (account_id, domain, selector),
  FOREIGN KEY (account_id, domain) REFERENCES sender_domains (account_id, domain) ON DELETE CASCADE
);

-- The bounce receiver accepts VERP addresses under rp.<domain> of a verified return path: looked up by that name.
CREATE INDEX sender_domains_return_path ON sender_domains (lower('rp.' || domain)) WHERE return_path_ok;
