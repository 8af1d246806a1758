import type pg from 'pg';
import type { SmtpCommand } from '../domain/bounces/smtp-codes.js';
import type { DeliveryTls } from '../domain/relay/mta-sts.js';
import type { RecipientStatus } from '../domain/status.js';
import { failureDetail } from '../domain/bounces/decide-suppression.js';
import { statusClassOf } from '../domain/bounces/smtp-codes.js';
import { inTransaction } from './pool.js';
import { changeRecipientStatus, replyOriginData } from './recipient-state-repo.js';

// A relay's outcome for one recipient (feed, push or the workflow's direct check) as a change of recipient state.

export interface RecipientUpdate {
  recipient: string;
  status: RecipientStatus;
  smtpCode: number | null;
  enhancedCode: string | null;
  response: string | null;
  reason?: string | null;
  relayId: string;
  sourceIp: string | null;
  at: string;
  /** A `bounced` report's classification (src/domain/bounces): stored on the recipient; the suppression decision may list the address. */
  bounce?: { reason: string; hard: boolean } | null;
  /** The TLS of the attempt, when the relay reported it. */
  tls?: DeliveryTls | null;
  /** The command the destination's reply answered and the host that gave it, when the relay reported them. */
  command?: SmtpCommand | null;
  remoteHost?: string | null;
}

/**
 * Applies one status report for one recipient: stores the event once (by sourceKey) and moves the recipient forward
 * if the relay-report rule allows it. Returns the recipient's status afterwards, or undefined if unknown.
 */
export async function applyRecipientUpdate(
  db: pg.Pool,
  messageId: string,
  u: RecipientUpdate,
  sourceKey: string,
): Promise<RecipientStatus | undefined> {
  const bounce = u.status === 'bounced' ? u.bounce : null;
  const detail = bounce ? failureDetail({ ...u, reason: bounce.reason, code: u.enhancedCode ?? u.smtpCode }) : '';
  const r = await inTransaction(db, (c) =>
    changeRecipientStatus(c, {
      messageId,
      recipients: [u.recipient],
      event: {
        kind: 'report',
        type: u.status,
        sourceKey,
        data: {
          smtpCode: u.smtpCode,
          enhancedCode: u.enhancedCode,
          response: u.response,
          reason: u.bounce?.reason ?? u.reason ?? null,
          relayId: u.relayId,
          sourceIp: u.sourceIp,
          at: u.at,
          ...(u.tls ? { tls: u.tls } : {}),
          ...replyOriginData(u),
          ...(u.bounce ? { hard: u.bounce.hard, source: 'sync' } : {}),
        },
      },
      move: {
        cause: 'relay-report',
        to: u.status,
        set: {
          smtpCode: u.smtpCode,
          enhancedCode: u.enhancedCode,
          smtpResponse: u.response,
          smtpCommand: u.command,
          remoteHost: u.remoteHost,
          relayId: u.relayId,
          sourceIp: u.sourceIp ?? undefined,
          at: u.at,
          bounceReason: u.bounce?.reason,
          bounceHard: u.bounce?.hard,
          tls: u.tls ?? undefined,
        },
      },
      // every final failure goes to the suppression decision (src/domain/bounces/decide-suppression.ts)
      suppress: bounce
        ? {
            reason: 'hard-bounce',
            detail,
            failure: {
              reason: bounce.reason,
              statusClass: statusClassOf(u.smtpCode !== null ? String(u.smtpCode) : u.enhancedCode),
              diagnostic: u.response,
              detail,
            },
          }
        : undefined,
    }),
  );
  return r.status;
}
