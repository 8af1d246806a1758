import type pg from 'pg';
import {
  allowedFrom,
  suppressionApplies,
  type MessageStatus,
  type RecipientStatus,
  type StatusCause,
} from '../domain/status.js';
import { appendEvent, storeMessageStatus } from './messages-repo.js';
import { suppressRecipientOfMessage, type SuppressionReason } from './suppressions-repo.js';
import { applyBounceSuppression, type BounceFailure } from './bounce-suppression-repo.js';
import { normalizeAddress } from '../domain/mime/address.js';
import { serviceMetrics } from '../infra/metrics.js';

// The one owner of recipient state: every change of recipients.status goes through changeRecipientStatus, which
// applies the transition table of src/domain/status.ts as the SQL guard, writes the event row, refreshes the
// message's derived status and applies the side effects (suppression of a hard bounce or a complaint).

/** Columns written with a new status; undefined keeps the column as it is. */
export interface RecipientColumns {
  smtpCode?: number | null;
  enhancedCode?: string | null;
  smtpResponse?: string | null;
  /**
   * The SMTP step the reply answered and the host that gave it. They describe smtpResponse, so writing a reply without
   * them (the service's own "suppressed: ..." or a relay that does not say) clears them: they never outlive it.
   */
  smtpCommand?: string | null;
  remoteHost?: string | null;
  relayId?: string;
  sourceIp?: string;
  bounceReason?: string;
  bounceHard?: boolean;
  /** The TLS of the delivery attempt (jsonb, see src/relay-protocol/delivery-tls.ts). */
  tls?: object;
  /** When the outcome happened (a relay's report time); default now(). */
  at?: string;
}

const columnNames: Record<Exclude<keyof RecipientColumns, 'at'>, string> = {
  smtpCode: 'smtp_code',
  enhancedCode: 'enhanced_code',
  smtpResponse: 'smtp_response',
  smtpCommand: 'smtp_command',
  remoteHost: 'remote_host',
  relayId: 'relay_id',
  sourceIp: 'source_ip',
  bounceReason: 'bounce_reason',
  bounceHard: 'bounce_hard',
  tls: 'tls',
};

/**
 * The event a change writes:
 * - `report`: a report about one recipient, stored first under its source key; a report seen before changes nothing.
 *   `data` may depend on the recipient's status before the report.
 * - `each`: one event per recipient that moved, after the move.
 * - `once`: one event for the whole change, whether or not any recipient moved (a handoff names its part once).
 */
export type ChangeEvent =
  | {
      kind: 'report';
      type: string;
      sourceKey: string;
      data: Record<string, unknown> | ((before: RecipientStatus) => Record<string, unknown>);
    }
  | {
      kind: 'each';
      type: string;
      sourceKey: (address: string) => string;
      data: (address: string) => Record<string, unknown>;
    }
  | { kind: 'once'; type: string; sourceKey: string; data: Record<string, unknown> };

export interface RecipientChange {
  messageId: string;
  /** The recipients concerned (any case), or every recipient of the message. A `report` event concerns exactly one. */
  recipients: readonly string[] | 'all';
  /** The move and the rule it falls under; absent for a report that moves no status (a delay DSN, an auto-reply, a complaint). */
  move?: { cause: StatusCause; to: RecipientStatus; set?: RecipientColumns };
  event?: ChangeEvent;
  /**
   * Puts the address on the account's suppression list, when suppressionApplies (src/domain/status.ts) says so; for a
   * bounce (`failure`), only when decideSuppression (src/domain/bounces/decide-suppression.ts) says so too.
   */
  suppress?: { reason: SuppressionReason; detail: string; failure?: BounceFailure };
}

export interface ChangeResult {
  /** False when the message has no such recipient (only known for a `report`). */
  known: boolean;
  /** False when the report was recorded before, so nothing changed. */
  fresh: boolean;
  /** The recipients whose row was written with the new status. */
  moved: string[];
  /** For a `report`: the recipient's status afterwards. */
  status?: RecipientStatus;
  suppressed: boolean;
}

/** Applies one change inside the caller's transaction (see the module comment). */
export async function changeRecipientStatus(c: pg.PoolClient, change: RecipientChange): Promise<ChangeResult> {
  const { messageId, event, move } = change;
  const addresses = change.recipients === 'all' ? null : change.recipients.map(normalizeAddress);
  let before: RecipientStatus | undefined;
  if (event?.kind === 'report') {
    if (addresses?.length !== 1) throw new Error('a report concerns exactly one recipient');
    const { rows } = await c.query(
      'SELECT status FROM recipients WHERE message_id = $1 AND lower(address) = $2 FOR UPDATE',
      [messageId, addresses[0]],
    );
    before = rows[0]?.status as RecipientStatus | undefined;
    if (!before) return { known: false, fresh: false, moved: [], suppressed: false };
    const data = typeof event.data === 'function' ? event.data(before) : event.data;
    const fresh = await appendEvent(c, {
      messageId,
      type: event.type,
      recipient: change.recipients[0],
      data,
      sourceKey: event.sourceKey,
    });
    if (!fresh) return { known: true, fresh, moved: [], status: before, suppressed: false };
  }

  const { moved, after } = move ? await moveRecipients(c, messageId, addresses, move) : { moved: [], after: undefined };
  if (event?.kind === 'each') {
    for (const address of moved)
      await appendEvent(c, {
        messageId,
        type: event.type,
        recipient: address,
        data: event.data(address),
        sourceKey: event.sourceKey(address),
      });
  } else if (event?.kind === 'once') {
    await appendEvent(c, { messageId, type: event.type, data: event.data, sourceKey: event.sourceKey });
  }
  if (moved.length > 0 && after) await storeMessageStatus(c, messageId, after.statuses, after.messageStatus);

  let suppressed = false;
  if (change.suppress && suppressionApplies({ fresh: true, cause: move?.cause, moved: moved.length > 0 })) {
    for (const address of addresses ?? []) {
      const added = change.suppress.failure
        ? (await applyBounceSuppression(c, messageId, address, change.suppress.failure)).added
        : await suppressRecipientOfMessage(c, messageId, address, change.suppress.reason, change.suppress.detail);
      suppressed = added || suppressed;
    }
  }
  const status = before === undefined ? undefined : moved.length > 0 && move ? move.to : before;
  return { known: true, fresh: true, moved, status, suppressed };
}

/** A reply's origin for an event's data: the command and host keys, each only when known. */
export function replyOriginData(o: { command?: string | null; remoteHost?: string | null }): Record<string, string> {
  return { ...(o.command ? { command: o.command } : {}), ...(o.remoteHost ? { remoteHost: o.remoteHost } : {}) };
}

/** The columns to write, the reply's origin cleared with a reply written without one (see RecipientColumns). */
function withReplyOrigin(set: RecipientColumns | undefined): RecipientColumns | undefined {
  if (set?.smtpResponse === undefined) return set;
  return { ...set, smtpCommand: set.smtpCommand ?? null, remoteHost: set.remoteHost ?? null };
}

/**
 * The one UPDATE of recipients.status: guarded by the statuses the transition table allows to move from. The same
 * statement reads every recipient's status after the move and the message's stored status, which is what refreshing
 * the message's derived status needs: no second round trip to read them.
 */
async function moveRecipients(
  c: pg.PoolClient,
  messageId: string,
  addresses: string[] | null,
  move: NonNullable<RecipientChange['move']>,
): Promise<{ moved: string[]; after?: { statuses: RecipientStatus[]; messageStatus: MessageStatus } }> {
  const from = allowedFrom(move.cause, move.to);
  if (from.length === 0) return { moved: [] };
  const params: unknown[] = [messageId, addresses, move.to, from, move.set?.at ?? null];
  const assignments = ['status = $3', 'updated_at = COALESCE($5::timestamptz, now())'];
  const set = withReplyOrigin(move.set);
  for (const [key, column] of Object.entries(columnNames) as Array<[keyof typeof columnNames, string]>) {
    const value = set?.[key];
    if (value === undefined) continue;
    params.push(value);
    assignments.push(`${column} = $${params.length}`);
  }
  // The outer query reads recipients as they were when the statement began (an UPDATE in a WITH is not visible to
  // it), so a moved row's new status comes from the UPDATE's RETURNING.
  const { rows } = await c.query<{
    address: string;
    status: RecipientStatus;
    moved: boolean;
    since_accept: number | null;
    message_status: MessageStatus;
  }>(
    `WITH moved AS (
       UPDATE recipients SET ${assignments.join(', ')}
       WHERE message_id = $1 AND ($2::text[] IS NULL OR lower(address) = ANY($2::text[])) AND status = ANY($4::text[])
       RETURNING address, status, extract(epoch FROM updated_at - (SELECT m.submitted_at FROM messages m WHERE m.id = $1))::float8 AS since_accept
     )
     SELECT r.address, coalesce(mv.status, r.status) AS status, mv.address IS NOT NULL AS moved, mv.since_accept,
            (SELECT m.status FROM messages m WHERE m.id = $1) AS message_status
     FROM recipients r LEFT JOIN moved mv ON mv.address = r.address WHERE r.message_id = $1 ORDER BY r.address`,
    params,
  );
  const movedRows = rows.filter((r) => r.moved);
  // Metrics of the one place statuses change: moves per status, and the 250 → delivered latency. Counted before the
  // caller commits; a rolled-back move (rare: the caller's transaction failing after this) is counted all the same.
  const metrics = serviceMetrics();
  for (const r of movedRows) {
    metrics.recipientStatus.inc({ status: move.to });
    if (move.to === 'delivered' && typeof r.since_accept === 'number' && r.since_accept >= 0)
      metrics.deliveredSeconds.observe(r.since_accept);
  }
  const messageStatus = rows[0]?.message_status;
  return {
    moved: movedRows.map((r) => r.address),
    ...(messageStatus ? { after: { statuses: rows.map((r) => r.status), messageStatus } } : {}),
  };
}
