// The bounce receiver's database side: which recipient a VERP token names, and what an inbound report changes.
// Each outcome is one transaction; its event carries a source key (message, report digest, recipient), so a report
// the remote MTA sends again (our 250 was lost) is recorded once.
import type pg from 'pg';
import { appendEvent, refreshMessageStatus } from '../db/messages-repo.js';
import { inTransaction, type Queryable } from '../db/pool.js';
import { suppressRecipientOfMessage } from '../db/suppressions-repo.js';
import type { InboundOutcome } from '../domain/bounces/inbound-outcome.js';
import { canTransition, type RecipientStatus } from '../domain/status.js';
import { verpRecipientHash, type VerpToken } from './verp.js';

/** One recipient of one message: what an outcome is recorded for. */
export interface BounceTarget { messageId: string; recipient: string; accountId: string }

/** What a VERP address names: one recipient, or (per-message address) the message with all its recipients. */
export interface VerpTarget { messageId: string; accountId: string; recipient?: string; recipients: string[] }

/** The recipient of a known message whose hash the token carries (or the message, for a per-message token). */
export async function findVerpTarget(db: Queryable, token: VerpToken, secret: string): Promise<VerpTarget | undefined> {
  const { rows } = await db.query(
    'SELECT r.address, m.account_id FROM recipients r JOIN messages m ON m.id = r.message_id WHERE r.message_id = $1 ORDER BY r.address',
    [token.messageId],
  );
  if (rows.length === 0) return undefined;
  const base = { messageId: token.messageId, accountId: rows[0].account_id as string, recipients: rows.map((r) => r.address as string) };
  if (token.recipientHash === undefined) return base;
  const hit = rows.find((r) => verpRecipientHash(r.address as string, secret) === token.recipientHash);
  return hit ? { ...base, recipient: hit.address as string } : undefined;
}

export interface RecordResult {
  /** False when the same report was already recorded for this recipient. */
  fresh: boolean;
  /** The recipient's status afterwards. */
  status?: RecipientStatus;
  suppressed: boolean;
}

/**
 * Applies one outcome for one recipient. `reportKey` identifies the received report (a digest of its bytes).
 * Asynchronous bounce: the recipient becomes `bounced` (also from `delivered`) with the reported status, diagnostic
 * and classification, and a hard one suppresses the address; a delay is a `deferred` event only; a complaint is a
 * `complained` event and a suppression; an auto-reply an `auto-reply` event.
 */
export async function recordInboundOutcome(pool: pg.Pool, t: BounceTarget, outcome: InboundOutcome, reportKey: string): Promise<RecordResult> {
  if (outcome.kind === 'ignored') return { fresh: false, suppressed: false };
  const sourceKey = `${t.messageId}:inbound:${reportKey}:${t.recipient.toLowerCase()}`;
  return inTransaction(pool, async (c) => {
    const { rows } = await c.query('SELECT status FROM recipients WHERE message_id = $1 AND address = $2 FOR UPDATE', [t.messageId, t.recipient]);
    const current = rows[0]?.status as RecipientStatus | undefined;
    if (!current) return { fresh: false, suppressed: false };
    const event = (type: string, data: Record<string, unknown>): Promise<boolean> => appendEvent(c, { messageId: t.messageId, type, recipient: t.recipient, data, sourceKey });

    switch (outcome.kind) {
      case 'auto-reply':
        return { fresh: await event('auto-reply', { source: 'async' }), status: current, suppressed: false };
      case 'complained': {
        const fresh = await event('complained', { source: 'arf', feedbackType: outcome.feedbackType });
        const suppressed = fresh && await suppressRecipientOfMessage(c, t.messageId, t.recipient, 'complaint', `feedback: ${outcome.feedbackType}`);
        return { fresh, status: current, suppressed };
      }
      case 'delayed': {
        const fresh = await event('deferred', {
          source: 'async', status: outcome.status, smtpCode: outcome.replyCode || null, diagnosticCode: outcome.diagnosticCode, reason: outcome.reason,
          reportedRecipient: outcome.reportedRecipient,
        });
        return { fresh, status: current, suppressed: false };
      }
      case 'bounced': {
        const fresh = await event('bounced', {
          source: 'async', status: outcome.status, smtpCode: outcome.replyCode || null, diagnosticCode: outcome.diagnosticCode, reason: outcome.reason,
          hard: outcome.hard, reportedRecipient: outcome.reportedRecipient, previousStatus: current,
        });
        if (!fresh) return { fresh, status: current, suppressed: false };
        let status = current;
        if (canTransition(current, 'bounced', { asyncBounce: true })) {
          await c.query(
            `UPDATE recipients SET status = 'bounced', smtp_code = $3, enhanced_code = $4, smtp_response = $5, bounce_reason = $6, bounce_hard = $7, updated_at = now()
              WHERE message_id = $1 AND address = $2`,
            [t.messageId, t.recipient, outcome.replyCode ? Number(outcome.replyCode) : null, outcome.status || null, outcome.diagnosticCode || null, outcome.reason, outcome.hard],
          );
          await refreshMessageStatus(c, t.messageId);
          status = 'bounced';
        }
        const suppressed = outcome.hard && await suppressRecipientOfMessage(c, t.messageId, t.recipient, 'hard-bounce', `${outcome.reason} ${outcome.status}`.trim());
        return { fresh, status, suppressed };
      }
    }
  });
}
