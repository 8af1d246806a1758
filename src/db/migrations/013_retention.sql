-- Retention: the raw MIME of a finished message is purged after RAW_RETENTION. The row stays (recipients, statuses,
-- events and the summary columns), raw becomes NULL and raw_purged_at says when; events go after EVENT_RETENTION.
ALTER TABLE messages ALTER COLUMN raw DROP NOT NULL;
ALTER TABLE messages ADD COLUMN raw_purged_at timestamptz;
-- The purge's scan: oldest messages still holding their body. Purged rows leave the index.
CREATE INDEX messages_raw_unpurged ON messages (submitted_at) WHERE raw_purged_at IS NULL;
