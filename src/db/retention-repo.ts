import { openRecipientStatuses } from '../domain/status.js';
import type { Queryable } from './pool.js';

// Retention's SQL: bounded batches, each one statement, each safe to repeat (a purged row no longer matches).

/**
 * Purges the raw MIME of at most `limit` messages submitted before `before` whose delivery is over: no recipient is
 * open and the workflow recorded `completed` (its last step; nothing reads the body after it). A message still being
 * delivered keeps its body whatever its age. Rows locked by a concurrent writer are skipped and taken next time.
 * Returns how many were purged.
 */
export async function purgeRawBatch(db: Queryable, before: Date, limit: number): Promise<number> {
  const res = await db.query(
    `WITH due AS (
       SELECT m.id FROM messages m
        WHERE m.raw_purged_at IS NULL AND m.submitted_at < $1
          AND EXISTS (SELECT 1 FROM message_events e WHERE e.source_key = m.id || ':completed')
          AND NOT EXISTS (SELECT 1 FROM recipients r WHERE r.message_id = m.id AND r.status = ANY($3::text[]))
        ORDER BY m.submitted_at
        LIMIT $2
        FOR UPDATE OF m SKIP LOCKED)
     UPDATE messages m SET raw = NULL, raw_purged_at = now() FROM due WHERE m.id = due.id`,
    [before, limit, openRecipientStatuses],
  );
  return res.rowCount ?? 0;
}

/**
 * Deletes at most `limit` events recorded before `before`, only of messages whose body is already purged (so of
 * finished messages: an open message's history is never cut). Returns how many were deleted.
 */
export async function purgeEventsBatch(db: Queryable, before: Date, limit: number): Promise<number> {
  const res = await db.query(
    `DELETE FROM message_events WHERE id IN (
       SELECT e.id FROM message_events e JOIN messages m ON m.id = e.message_id
        WHERE e.at < $1 AND m.raw_purged_at IS NOT NULL
        ORDER BY e.at, e.id
        LIMIT $2)`,
    [before, limit],
  );
  return res.rowCount ?? 0;
}
