import { z } from 'zod';

// A relay's GET /v1/stats: what the MDE judges its health by (queue depth, the last hour's outcomes), overall and per
// source address, plus the destinations currently throttled. The MDE keeps it as the relay's health summary.

export const statsPath = '/v1/stats';

export const queueCounts = z.object({ queued: z.number(), deferred: z.number(), delivering: z.number() });
export type QueueCounts = z.infer<typeof queueCounts>;

export const hourCounts = z.object({
  delivered: z.number(),
  deferred: z.number(),
  bounced: z.number(),
  failed: z.number(),
});
export type HourCounts = z.infer<typeof hourCounts>;

export const relayStats = z.object({
  relayId: z.string(),
  sourceIps: z.array(z.string()),
  queue: queueCounts,
  lastHour: hourCounts,
  bySourceIp: z.record(z.string(), z.object({ queue: queueCounts, lastHour: hourCounts })),
  /** Destinations slowed down after a 421/451: `pausedUntil` is ISO 8601, null once the pause has passed (one session at a time still). */
  throttled: z.array(
    z.object({ sourceIp: z.string(), domain: z.string(), pausedUntil: z.string().nullable(), reason: z.string() }),
  ),
});
export type RelayStats = z.infer<typeof relayStats>;
