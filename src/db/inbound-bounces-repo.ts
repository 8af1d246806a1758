// The bounce receiver's database side: which recipient a VERP token names, and what an inbound report changes.
// Each outcome is one transaction; its event carries a source key (message, report digest, recipient), so a report
// the remote MTA sends again (our 250 was lost) is recorded once.
import type pg from 'pg';
import { inTransaction, type Queryable } from './pool.js';
import { changeRecipientStatus, replyOriginData, type RecipientChange } from './recipient-state-repo.js';
import { failureDetail } from '../domain/bounces/decide-suppression.js';
import { statusClassOf } from '../domain/bounces/smtp-codes.js';
import type { InboundOutcome } from '../domain/bounces/inbound-outcome.js';
import type { RecipientStatus } from '../domain/status.js';
import { verpRecipientHash, type VerpToken } from '../bounces/verp.js';
import { normalizeAddress } from '../domain/mime/address.js';

/** One recipient of one message: what an outcome is recorded for. */
export interface BounceTarget {
  messageId: string;
  recipient: string;
  accountId: string;
}

/** What a VERP address names: one recipient, or (per-message address) the message with all its recipients. */
export interface VerpTarget {
  messageId: string;
  accountId: string;
  recipient?: string;
  recipients: string[];
}

/** The recipient of a known message whose hash the token carries (or the message, for a per-message token). */
export async function findVerpTarget(db: Queryable, token: VerpToken, secret: string): Promise<VerpTarget | undefined> {
  const { rows } = await db.query(
    'SELECT r.address, m.account_id FROM recipients r JOIN messages m ON m.id = r.message_id WHERE r.message_id = $1 ORDER BY r.address',
    [token.messageId],
  );
  if (rows.length === 0) return undefined;
  const base = {
    messageId: token.messageId,
    accountId: rows[0].account_id as string,
    recipients: rows.map((r) => r.address as string),
  };
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
 * Asynchronous bounce: the recipient becomes `bounced` (also from `delivered`, the `async-bounce` rule) with the
 * reported status, diagnostic and classification, and the suppression decision may list the address; a delay is a `deferred`
 * event only; a complaint is a `complained` event and a suppression; an auto-reply an `auto-reply` event.
 */
export async function recordInboundOutcome(
  pool: pg.Pool,
  t: BounceTarget,
  outcome: InboundOutcome,
  reportKey: string,
): Promise<RecordResult> {
  if (outcome.kind === 'ignored') return { fresh: false, suppressed: false };
  const sourceKey = `${t.messageId}:inbound:${reportKey}:${normalizeAddress(t.recipient)}`;
  const report = { messageId: t.messageId, recipients: [t.recipient] };
  let change: RecipientChange;
  switch (outcome.kind) {
    case 'auto-reply':
      change = { ...report, event: { kind: 'report', type: 'auto-reply', sourceKey, data: { source: 'async' } } };
      break;
    case 'complained':
      change = {
        ...report,
        event: {
          kind: 'report',
          type: 'complained',
          sourceKey,
          data: { source: 'arf', feedbackType: outcome.feedbackType },
        },
        suppress: { reason: 'complaint', detail: `feedback: ${outcome.feedbackType}` },
      };
      break;
    case 'delayed':
      change = {
        ...report,
        event: {
          kind: 'report',
          type: 'deferred',
          sourceKey,
          data: {
            source: 'async',
            status: outcome.status,
            smtpCode: outcome.replyCode || null,
            diagnosticCode: outcome.diagnosticCode,
            reason: outcome.reason,
            reportedRecipient: outcome.reportedRecipient,
            ...replyOriginData(outcome),
          },
        },
      };
      break;
    case 'bounced': {
      const detail = failureDetail({ ...outcome, code: outcome.status });
      change = {
        ...report,
        event: {
          kind: 'report',
          type: 'bounced',
          sourceKey,
          data: (previousStatus) => ({
            source: 'async',
            status: outcome.status,
            smtpCode: outcome.replyCode || null,
            diagnosticCode: outcome.diagnosticCode,
            reason: outcome.reason,
            hard: outcome.hard,
            reportedRecipient: outcome.reportedRecipient,
            ...replyOriginData(outcome),
            previousStatus,
          }),
        },
        move: {
          cause: 'async-bounce',
          to: 'bounced',
          set: {
            smtpCode: outcome.replyCode ? Number(outcome.replyCode) : null,
            enhancedCode: outcome.status || null,
            smtpResponse: outcome.diagnosticCode || null,
            smtpCommand: outcome.command,
            remoteHost: outcome.remoteHost,
            bounceReason: outcome.reason,
            bounceHard: outcome.hard,
          },
        },
        // every final failure goes to the suppression decision (src/domain/bounces/decide-suppression.ts)
        suppress: {
          reason: 'hard-bounce',
          detail,
          failure: {
            reason: outcome.reason,
            statusClass: statusClassOf(outcome.replyCode || outcome.status),
            diagnostic: outcome.diagnosticCode,
            detail,
          },
        },
      };
      break;
    }
  }
  const r = await inTransaction(pool, (c) => changeRecipientStatus(c, change));
  return r.known ? { fresh: r.fresh, status: r.status, suppressed: r.suppressed } : { fresh: false, suppressed: false };
}
