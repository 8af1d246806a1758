import type pg from 'pg';
import type { ThrottledKey } from '../domain/relay/destination-throttle.js';
import type { HourCounts, QueueCounts, RelayStats } from '../relay-protocol/stats.js';
import { effectiveSourceIp, type SourceAddresses } from './relay-queue.js';

// GET /v1/stats: what the MDE judges a relay's health by (queue depth, the last hour's outcomes), overall and per
// source address, plus the destinations currently throttled. The shape is the contract in src/relay-protocol/stats.ts.

const emptyQueue = (): QueueCounts => ({ queued: 0, deferred: 0, delivering: 0 });
const emptyHour = (): HourCounts => ({ delivered: 0, deferred: 0, bounced: 0, failed: 0 });

export async function readRelayStats(
  pool: pg.Pool,
  o: { relayId: string; source: SourceAddresses; throttled: readonly ThrottledKey[]; now: number },
): Promise<RelayStats> {
  const [queue, hour] = await Promise.all([
    // Recipients are counted under the address they will be sent from (see effectiveSourceIp).
    pool.query<{ ip: string; status: keyof QueueCounts; n: number }>(
      `SELECT ${effectiveSourceIp('$1', '$2')} AS ip, r.status, count(*)::int AS n FROM relay_recipients r
       WHERE r.status IN ('queued','deferred','delivering') GROUP BY 1, 2`,
      [o.source.hosted, o.source.defaultIp],
    ),
    // Events under the address actually used; a deferral counts each time (every retry is an event).
    pool.query<{ ip: string | null; status: keyof HourCounts; n: number }>(
      `SELECT source_ip AS ip, status, count(*)::int AS n FROM relay_events
       WHERE at > $1 AND status IN ('delivered','deferred','bounced','failed') GROUP BY 1, 2`,
      [new Date(o.now - 3_600_000)],
    ),
  ]);
  const stats: RelayStats = {
    relayId: o.relayId,
    sourceIps: [...o.source.hosted],
    queue: emptyQueue(),
    lastHour: emptyHour(),
    bySourceIp: {},
    throttled: o.throttled.map((t) => ({
      sourceIp: t.sourceIp,
      domain: t.domain,
      pausedUntil: t.pausedUntil === null ? null : new Date(t.pausedUntil).toISOString(),
      reason: t.reason,
    })),
  };
  const perIp = (ip: string): { queue: QueueCounts; lastHour: HourCounts } =>
    (stats.bySourceIp[ip] ??= { queue: emptyQueue(), lastHour: emptyHour() });
  for (const ip of o.source.hosted) perIp(ip);
  for (const r of queue.rows) {
    stats.queue[r.status] += r.n;
    perIp(r.ip).queue[r.status] += r.n;
  }
  for (const r of hour.rows) {
    stats.lastHour[r.status] += r.n;
    // Every outcome event records its address; a row without one would count in the totals only.
    if (r.ip !== null) perIp(r.ip).lastHour[r.status] += r.n;
  }
  return stats;
}
