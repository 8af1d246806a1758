import { ApplicationFailure } from '@temporalio/activity';
import { appendEvent, getMessageRoutingFacts, recordRoute } from '../db/messages-repo.js';
import { deferWaitingRecipients } from '../db/pipeline-moves-repo.js';
import { routeRecipients } from '../domain/mde/routing-rules.js';
import { createRoutingSnapshotLoader } from '../db/routing-snapshot-repo.js';
import type { ActivityDeps } from './deps.js';
import type { DeliveryActivities, RoutedPart } from './types.js';
import { failureTypes } from '../workflows/failure-types.js';

const FAILED_FOR_MESSAGE = 'already failed for this message';

export function createRouteActivities({
  pool,
  log,
}: ActivityDeps): Pick<DeliveryActivities, 'routeRecipients' | 'deferRecipients'> {
  const loadSnapshot = createRoutingSnapshotLoader();
  return {
    /**
     * The Mail Distribution Engine: rules (first match by priority) → pool → a weighted, stable IP choice per
     * (message, recipient domain). Each decision is recorded as a `routed` event with the rule version and the
     * candidates rejected, and on the recipients, so ops can see why a message went where it went.
     */
    async routeRecipients(messageId, recipients, excludeIps) {
      const m = await getMessageRoutingFacts(pool, messageId);
      // Gone (deleted): no retry brings it back, so the workflow learns it at once instead of retrying forever.
      if (!m) throw ApplicationFailure.nonRetryable(`message ${messageId} not found`, failureTypes.messageNotFound);
      const snapshot = await loadSnapshot(pool);
      const decisions = routeRecipients(
        {
          messageId,
          accountId: m.accountId,
          mailFrom: m.mailFrom,
          recipients,
          tags: m.tags,
          priority: m.priority ?? undefined,
        },
        snapshot.rules,
        snapshot.groups,
        snapshot.ips,
        excludeIps,
      );
      const parts: RoutedPart[] = [];
      for (const d of decisions) {
        const poolUnusable = d.ip === null && d.rejected.every((r) => r.why !== FAILED_FOR_MESSAGE);
        await recordRoute(pool, messageId, d);
        await appendEvent(pool, {
          messageId,
          type: 'routed',
          data: {
            recipients: d.recipients,
            ruleId: d.ruleId,
            ruleVersion: d.ruleVersion,
            configVersion: snapshot.configVersion,
            pool: d.pool,
            ip: d.ip,
            relayId: d.relayId,
            rejected: d.rejected,
            why: d.why,
          },
        });
        if (poolUnusable) log.warn('mde.pool_unusable', { messageId, pool: d.pool, rejected: d.rejected });
        parts.push({
          recipients: d.recipients,
          pool: d.pool,
          ruleId: d.ruleId,
          ruleVersion: d.ruleVersion,
          ip: d.ip,
          relayId: d.relayId,
          why: d.why,
          poolUnusable,
        });
      }
      return { configVersion: snapshot.configVersion, parts };
    },

    /** `alert: true` (the pool has no usable IP at all) also records an `alert` event for the delivery team. */
    async deferRecipients(messageId, recipients, data) {
      await deferWaitingRecipients(pool, messageId, recipients, String(data.why ?? 'waiting for a usable IP'));
      await appendEvent(pool, { messageId, type: 'waiting', data: { recipients, ...data } });
      if (data.alert === true)
        await appendEvent(pool, {
          messageId,
          type: 'alert',
          data: { kind: 'pool-unusable', pool: data.pool, recipients },
        });
    },
  };
}
