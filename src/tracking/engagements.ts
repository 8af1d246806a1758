import type pg from 'pg';
import { inTransaction, type Queryable } from '../db/pool.js';
import { listDeliveryEvidence } from '../db/events-repo.js';
import { appendEvent } from '../db/messages-repo.js';
import { lockTokenHits, messageAcceptedAt, saveTokenHits, type TokenKey } from '../db/tracking-hits-repo.js';
import { decideHit, isTokenExpired, type TrackingLimits } from '../domain/tracking/hit-policy.js';
import { classifyEngagement, type MachineVerdict } from '../domain/tracking/machine-engagement.js';
import type { TrackingToken } from './tokens.js';

// Records an open or a click from a verified token. What is written follows src/domain/tracking/hit-policy.ts: an
// expired token or a hit beyond the per-token rate writes nothing; the first person's and the first machine's hit per
// token become an `opened` / `clicked` message event (the one webhooks see), flagged when the heuristic of
// machine-engagement.ts says a machine did it; every other hit only increments the token's counter.

export interface EngagementRequest {
  userAgent: string | undefined;
  ip: string | undefined;
  now: Date;
  head?: boolean;
}

export type EngagementOutcome =
  { recorded: 'event' | 'counted'; verdict: MachineVerdict } | { recorded: 'expired' | 'rate_limited' };

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

/** What the hit recorded; undefined when the token's message does not exist (the caller answers 404). */
export async function recordEngagement(
  pool: pg.Pool,
  token: TrackingToken,
  req: EngagementRequest,
  limits: TrackingLimits,
): Promise<EngagementOutcome | undefined> {
  const acceptedAt = await messageAcceptedAt(pool, token.messageId);
  if (!acceptedAt) return undefined;
  // A token without its own issue time is as old as its message.
  const issuedAt = token.issuedAt ?? acceptedAt;
  if (isTokenExpired(issuedAt, req.now, limits.tokenTtlMs)) return { recorded: 'expired' };
  const verdict = classifyEngagement({
    kind: token.kind,
    userAgent: req.userAgent,
    ip: req.ip,
    deliveredAt: await deliveredAt(pool, token.messageId, token.recipient),
    now: req.now,
    head: req.head,
  });
  const key: TokenKey = {
    messageId: token.messageId,
    recipient: token.recipient,
    kind: token.kind,
    ...(token.kind === 'click' ? { url: token.url } : {}),
  };
  return inTransaction(pool, async (db) => {
    const current = await lockTokenHits(db, key, req.now);
    const decision = decideHit(current, { issuedAt, now: req.now, machine: verdict.machine }, limits);
    if (!decision.record) return { recorded: decision.reason };
    await saveTokenHits(db, key, decision.next, req.now);
    if (!decision.event) return { recorded: 'counted', verdict };
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
    return { recorded: 'event', verdict };
  });
}
