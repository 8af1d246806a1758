import type pg from 'pg';
import { inTransaction } from './pool.js';
import { changeRecipientStatus } from './recipient-state-repo.js';
import { allowedFrom } from '../domain/status.js';
import { normalizeAddress } from '../domain/mime/address.js';

/**
 * The record stage for a message accepted while its account was in sandbox mode (messages.sandboxed, decided at
 * acceptance): every still-pending recipient becomes `sandboxed` (final, so the workflow routes nothing), each with a
 * `sandboxed` event. Only `pending` recipients move (the `sandbox` rule of the transition table), so a replayed
 * activity changes nothing. Returns the sandboxed addresses.
 */
export async function markSandboxedRecipients(pool: pg.Pool, messageId: string): Promise<string[]> {
  // Looked up before any transaction: almost no message is sandboxed, and then this is one query. The move is
  // guarded by status, so a recipient that moved since the look-up is left as it is.
  const { rows } = await pool.query(
    `SELECT r.address FROM recipients r JOIN messages m ON m.id = r.message_id
      WHERE r.message_id = $1 AND m.sandboxed AND r.status = ANY($2::text[])
      ORDER BY r.address`,
    [messageId, allowedFrom('sandbox', 'sandboxed')],
  );
  if (rows.length === 0) return [];
  return inTransaction(pool, async (c) => {
    const { moved } = await changeRecipientStatus(c, {
      messageId,
      recipients: rows.map((r) => r.address as string),
      move: {
        cause: 'sandbox',
        to: 'sandboxed',
        set: { smtpResponse: 'sandboxed: account in sandbox mode, not sent' },
      },
      event: {
        kind: 'each',
        type: 'sandboxed',
        data: () => ({ reason: 'account in sandbox mode' }),
        sourceKey: (address) => `${messageId}:sandboxed:${normalizeAddress(address)}`,
      },
    });
    return moved;
  });
}
