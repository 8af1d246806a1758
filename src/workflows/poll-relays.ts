import { proxyActivities } from '@temporalio/workflow';
import type { PollActivities } from '../activities/types.js';

const { listRelayIds } = proxyActivities<PollActivities>({ startToCloseTimeout: '30s', retry: { maximumAttempts: 3 } });
const { pollRelay } = proxyActivities<PollActivities>({
  startToCloseTimeout: '5m',
  heartbeatTimeout: '1m',
  // One failed relay must not hold up the others; the next scheduled run tries it again from its saved cursor.
  retry: { initialInterval: '2s', maximumAttempts: 2 },
});

/**
 * Started by the `poll-relays` Schedule every RELAY_POLL_INTERVAL: reads each relay's status feed from its saved
 * cursor, applies outcomes to the database and signals each message's workflow. Idempotent page by page.
 */
export async function pollRelaysWorkflow(): Promise<
  Record<string, { applied: number; cursor: number } | { error: string }>
> {
  const relayIds = await listRelayIds();
  const results = await Promise.all(
    relayIds.map(async (id) => {
      try {
        return [id, await pollRelay(id)] as const;
      } catch (err) {
        return [id, { error: err instanceof Error ? err.message : String(err) }] as const;
      }
    }),
  );
  return Object.fromEntries(results);
}
