-- Columns shared by tracking, bounces and suppression (the feature tables come in their own migrations): per-account tracking defaults, the
-- per-message overrides and metadata taken from submission headers, and each recipient's bounce classification.
ALTER TABLE accounts
  ADD COLUMN track_opens  boolean NOT NULL DEFAULT false,
  ADD COLUMN track_clicks boolean NOT NULL DEFAULT false;

ALTER TABLE messages
  ADD COLUMN metadata     jsonb NOT NULL DEFAULT '{}',
  ADD COLUMN track_opens  boolean,   -- NULL = the account's setting
  ADD COLUMN track_clicks boolean;
CREATE INDEX messages_tags ON messages USING gin (tags);

ALTER TABLE recipients
  ADD COLUMN bounce_reason text,     -- fixed vocabulary (src/domain/bounces/reasons.ts)
  ADD COLUMN bounce_hard   boolean;
