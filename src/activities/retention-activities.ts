import { Context } from '@temporalio/activity';
import { purgeEventsBatch, purgeRawBatch } from '../db/retention-repo.js';
import type { ActivityDeps } from './deps.js';
import type { PurgeBatches, PurgeProgress, RetentionActivities } from './types.js';

/**
 * Runs `batch` (one bounded statement) up to `p.maxBatches` times, heartbeating after each, until a batch comes back
 * short. `more` tells the workflow to call again (it keeps the history and each activity's duration bounded).
 */
async function purgeInBatches(
  p: PurgeBatches,
  batch: (before: Date, limit: number) => Promise<number>,
): Promise<PurgeProgress> {
  // The cutoff is fixed for the whole call, so one call's work is finite even while new messages finish.
  const before = new Date(Date.now() - p.retentionMs);
  let purged = 0;
  for (let i = 0; i < p.maxBatches; i++) {
    const n = await batch(before, p.batchSize);
    purged += n;
    Context.current().heartbeat({ purged });
    if (n < p.batchSize) return { purged, more: false };
  }
  return { purged, more: true };
}

export function createRetentionActivities({ pool, log }: ActivityDeps): RetentionActivities {
  return {
    async purgeRawMime(p) {
      const r = await purgeInBatches(p, (before, limit) => purgeRawBatch(pool, before, limit));
      if (r.purged > 0) log.info('retention.raw_purged', { count: r.purged, more: r.more });
      return r;
    },
    async purgeEvents(p) {
      const r = await purgeInBatches(p, (before, limit) => purgeEventsBatch(pool, before, limit));
      if (r.purged > 0) log.info('retention.events_purged', { count: r.purged, more: r.more });
      return r;
    },
  };
}
