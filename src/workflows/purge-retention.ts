import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { RetentionActivities } from '../activities/types.js';

const { purgeRawMime, purgeEvents } = proxyActivities<RetentionActivities>({
  // Each call is bounded (maxBatches statements of batchSize rows) and heartbeats after every statement.
  startToCloseTimeout: '30m',
  heartbeatTimeout: '2m',
  retry: { initialInterval: '10s', maximumAttempts: 5 },
});

export interface PurgeRetentionInput {
  /** RAW_RETENTION: raw MIME of finished messages older than this is purged. */
  rawRetentionMs: number;
  /** EVENT_RETENTION: events older than this are deleted (of messages whose raw MIME is purged). */
  eventRetentionMs: number;
  /** Rows per statement. Default 1,000. */
  batchSize?: number;
  /** Statements per activity call. Default 100. */
  maxBatches?: number;
}

export interface PurgeSummary {
  rawPurged: number;
  eventsPurged: number;
}

/** Activity calls per run before the run continues as new, keeping each history short whatever the backlog. */
const MAX_CALLS_PER_RUN = 200;

/**
 * Started by the retention Schedule (RETENTION_INTERVAL, overlap skipped): purges the raw MIME of finished messages
 * past RAW_RETENTION, then events past EVENT_RETENTION, in bounded batches until none remain. Idempotent: a purged
 * row no longer matches, so a retried or repeated run only finds what is left.
 */
export async function purgeRetentionWorkflow(
  input: PurgeRetentionInput,
  carried: PurgeSummary = { rawPurged: 0, eventsPurged: 0 },
): Promise<PurgeSummary> {
  const batches = { batchSize: input.batchSize ?? 1000, maxBatches: input.maxBatches ?? 100 };
  const total = { ...carried };
  let calls = 0;
  for (const [kind, purge, retentionMs] of [
    ['rawPurged', purgeRawMime, input.rawRetentionMs],
    ['eventsPurged', purgeEvents, input.eventRetentionMs],
  ] as const) {
    for (;;) {
      if (calls >= MAX_CALLS_PER_RUN || workflowInfo().continueAsNewSuggested)
        return await continueAsNew<typeof purgeRetentionWorkflow>(input, total);
      calls++;
      const r = await purge({ ...batches, retentionMs });
      total[kind] += r.purged;
      if (!r.more) break;
    }
  }
  return total;
}
