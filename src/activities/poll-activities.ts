import { Context } from '@temporalio/activity';
import { getRelay, listRelays, savePollResult, saveRelayHeartbeat } from '../db/relays-repo.js';
import { applyRelayReport } from '../delivery/apply-relay-report.js';
import { fetchRelayStats, fetchStatusFeed } from './relay-api-client.js';
import type { ActivityDeps } from './deps.js';
import type { PollActivities } from './types.js';

export function createPollActivities(deps: ActivityDeps): PollActivities {
  const { pool, temporal, log } = deps;
  return {
    async listRelayIds() {
      return (await listRelays(pool)).map((r) => r.id);
    },

    /**
     * Reads one relay's status feed from the saved cursor to its end, page by page: applies each page with
     * applyRelayReport (shared with the relays' push callback), then saves the cursor. Re-reading a page, or a page whose
     * items were already pushed, changes nothing (event keys are unique).
     */
    async pollRelay(relayId) {
      const relay = await getRelay(pool, relayId);
      if (!relay) return { applied: 0, cursor: 0 };
      const secret = deps.relaySecret(relayId);
      let cursor = relay.pollCursor;
      let applied = 0;
      for (;;) {
        let page;
        try {
          page = await fetchStatusFeed(relay.statusUrl, secret, cursor);
        } catch (err) {
          await savePollResult(pool, relayId, cursor, err instanceof Error ? err.message : String(err));
          throw err;
        }
        applied += await applyRelayReport({ pool, temporal, log }, relay, page.items);
        const next = Math.max(cursor, page.next);
        await savePollResult(pool, relayId, next, null);
        Context.current().heartbeat({ cursor: next });
        if (page.items.length === 0 || next === cursor) break;
        cursor = next;
      }
      try {
        const stats = await fetchRelayStats(relay.statusUrl, secret);
        await saveRelayHeartbeat(pool, relayId, {
          queueDepth: stats.queue.queued + stats.queue.deferred + stats.queue.delivering,
          stats,
        });
      } catch (err) {
        // Health detail only: the feed was read, so the relay stays healthy; say why its stats are stale.
        log.warn('poll.stats_failed', { relayId, error: err });
      }
      if (applied > 0) log.info('poll.applied', { relayId, applied, cursor });
      return { applied, cursor };
    },
  };
}
