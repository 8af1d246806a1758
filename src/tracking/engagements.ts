import type { Queryable } from '../db/pool.js';
import { listDeliveryEvidence } from '../db/events-repo.js';
import { appendEvent, messageExists } from '../db/messages-repo.js';
import { classifyEngagement, type MachineVerdict } from '../domain/tracking/machine-engagement.js';
import type { TrackingToken } from './tokens.js';

// Records an open or a click from a verified token as an `opened` / `clicked` message event, flagged when the
// heuristic of src/domain/tracking/machine-engagement.ts says a machine did it.

export interface EngagementRequest {
  userAgent: string | undefined;
  ip: string | undefined;
  now: Date;
  head?: boolean;
}

/**
 * When the recipient's copy arrived: its `delivered` report (the relay's own time, else when it was recorded), else
 * the latest handoff of the message to a relay (a copy can be opened before its delivery report comes in).
 */
async function deliveredAt(db: Queryable, messageId: string, recipient: string): Promise<Date | undefined> {
  const rows = await listDeliveryEvidence(db, messageId, recipient);
  const delivered = rows.find((r) => r.type === 'delivered');
  if (delivered) {
    const reported = delivered.reportedAt ? new Date(delivered.reportedAt) : undefined;
    return reported && !Number.isNaN(reported.getTime()) ? reported : delivered.at;
  }
  return rows[0]?.at;
}

/** Stores the event; undefined when the token's message does not exist (the caller answers 404). */
export async function recordEngagement(
  db: Queryable,
  token: TrackingToken,
  req: EngagementRequest,
): Promise<MachineVerdict | undefined> {
  if (!(await messageExists(db, token.messageId))) return undefined;
  const verdict = classifyEngagement({
    kind: token.kind,
    userAgent: req.userAgent,
    ip: req.ip,
    deliveredAt: await deliveredAt(db, token.messageId, token.recipient),
    now: req.now,
    head: req.head,
  });
  await appendEvent(db, {
    messageId: token.messageId,
    type: token.kind === 'open' ? 'opened' : 'clicked',
    recipient: token.recipient,
    data: {
      ...(token.kind === 'click' ? { url: token.url } : {}),
      userAgent: req.userAgent ?? null,
      ip: req.ip ?? null,
      machine: verdict.machine,
      ...(verdict.machine ? { machineReason: verdict.reason } : {}),
    },
  });
  return verdict;
}
