import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { applyRecipientUpdate } from '../db/messages-repo.js';
import { getRelay, listRelays, savePollResult } from '../db/relays-repo.js';
import { isFinal, type RecipientStatus } from '../domain/status.js';
import { messageWorkflowId, relayStatusSignal, type RelayStatusUpdate } from '../workflows/definitions.js';
import { fetchStatusFeed } from './relay-api-client.js';
import { feedEventKey, finalEventKey } from './status-keys.js';
import type { ActivityDeps } from './deps.js';
import type { PollActivities } from './types.js';

export function createPollActivities(deps: ActivityDeps): PollActivities {
  const { pool, temporal, log } = deps;
  return {
    async listRelayIds() {
      return (await listRelays(pool)).map((r) => r.id);
    },

    /**
     * Reads one relay's status feed from the saved cursor to its end, page by page: applies each outcome, signals the
     * message workflows, then saves the cursor. Re-reading a page changes nothing (event keys are unique).
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
        const signals = new Map<string, RelayStatusUpdate>();
        for (const item of page.items) {
          const key = isFinal(item.status) ? finalEventKey(relayId, item.messageId, item.recipient) : feedEventKey(relayId, item.seq);
          const after: RecipientStatus | undefined = await applyRecipientUpdate(pool, item.messageId, {
            recipient: item.recipient, status: item.status, smtpCode: item.smtpCode, enhancedCode: item.enhancedCode,
            response: item.response, reason: item.reason ?? null, relayId, sourceIp: item.sourceIp ?? relay.sourceIp, at: item.at,
          }, key);
          if (!after) continue; // a message this service does not know (e.g. sent to the relay by another MDE)
          applied++;
          const update = signals.get(item.messageId) ?? { relayId, updates: [] };
          update.updates.push({ recipient: item.recipient, status: after });
          signals.set(item.messageId, update);
        }
        for (const [messageId, update] of signals) {
          try {
            await temporal.workflow.getHandle(messageWorkflowId(messageId)).signal(relayStatusSignal, update);
          } catch (err) {
            if (!(err instanceof WorkflowNotFoundError)) throw err;
          }
        }
        const next = Math.max(cursor, page.next);
        await savePollResult(pool, relayId, next, null);
        Context.current().heartbeat({ cursor: next });
        if (page.items.length === 0 || next === cursor) break;
        cursor = next;
      }
      if (applied > 0) log.info('poll.applied', { relayId, applied, cursor });
      return { applied, cursor };
    },
  };
}
