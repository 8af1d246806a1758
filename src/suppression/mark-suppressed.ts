import type pg from 'pg';
import { appendEvent, refreshMessageStatus } from '../db/messages-repo.js';
import { inTransaction } from '../db/pool.js';

/**
 * The record stage: recipients of this message whose address is on its account's suppression list become
 * `suppressed` (final, so the workflow routes only the others), each with a `suppressed` event. Only `pending`
 * recipients are touched, so a replayed activity changes nothing. Returns the suppressed addresses.
 */
export async function markSuppressedRecipients(pool: pg.Pool, messageId: string): Promise<string[]> {
  return inTransaction(pool, async (c) => {
    const { rows } = await c.query(
      `UPDATE recipients r SET status = 'suppressed', smtp_response = 'suppressed: ' || s.reason, updated_at = now()
         FROM messages m, suppressions s
        WHERE r.message_id = $1 AND m.id = r.message_id AND s.account_id = m.account_id AND s.address = lower(r.address)
          AND r.status = 'pending'
        RETURNING r.address, s.reason, s.source_message_id, s.created_at`,
      [messageId],
    );
    if (rows.length === 0) return [];
    for (const r of rows) {
      await appendEvent(c, {
        messageId, type: 'suppressed', recipient: r.address,
        data: { reason: r.reason, sourceMessageId: r.source_message_id, suppressedSince: (r.created_at as Date).toISOString() },
        sourceKey: `${messageId}:suppressed:${(r.address as string).toLowerCase()}`,
      });
    }
    await refreshMessageStatus(c, messageId);
    return rows.map((r) => r.address as string);
  });
}
