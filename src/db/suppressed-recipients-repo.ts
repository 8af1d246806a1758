import type pg from 'pg';
import { inTransaction } from './pool.js';
import { changeRecipientStatus } from './recipient-state-repo.js';
import { allowedFrom } from '../domain/status.js';
import { normalizeAddress } from '../domain/mime/address.js';

/**
 * The record stage: recipients of this message whose address is on its account's suppression list become
 * `suppressed` (final, so the workflow routes only the others), each with a `suppressed` event. Only `pending`
 * recipients move (the `suppression` rule of the transition table), so a replayed activity changes nothing.
 * Returns the suppressed addresses.
 */
export async function markSuppressedRecipients(pool: pg.Pool, messageId: string): Promise<string[]> {
  // Looked up before any transaction: almost every message has no listed address, and then this is one query.
  const { rows } = await pool.query(
    `SELECT r.address, s.reason, s.source_message_id, s.created_at
       FROM recipients r JOIN messages m ON m.id = r.message_id JOIN suppressions s ON s.account_id = m.account_id AND s.address = lower(r.address)
      WHERE r.message_id = $1 AND r.status = ANY($2::text[])
      ORDER BY r.address`,
    [messageId, allowedFrom('suppression', 'suppressed')],
  );
  if (rows.length === 0) return [];
  return inTransaction(pool, async (c) => {
    const suppressed: string[] = [];
    for (const r of rows) {
      // One change per address: each keeps its own reason as the last response. The move is guarded by status, so
      // a recipient that moved since the look-up is left as it is.
      const { moved } = await changeRecipientStatus(c, {
        messageId,
        recipients: [r.address as string],
        move: { cause: 'suppression', to: 'suppressed', set: { smtpResponse: `suppressed: ${r.reason as string}` } },
        event: {
          kind: 'each',
          type: 'suppressed',
          data: () => ({
            reason: r.reason,
            sourceMessageId: r.source_message_id,
            suppressedSince: (r.created_at as Date).toISOString(),
          }),
          sourceKey: (address) => `${messageId}:suppressed:${normalizeAddress(address)}`,
        },
      });
      suppressed.push(...moved);
    }
    return suppressed;
  });
}
