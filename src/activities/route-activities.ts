import { appendEvent } from '../db/messages-repo.js';
import { listRelays } from '../db/relays-repo.js';
import { selectRelay } from '../domain/mde/select-relay.js';
import type { ActivityDeps } from './deps.js';
import type { DeliveryActivities } from './types.js';

export function createRouteActivities({ pool }: ActivityDeps): Pick<DeliveryActivities, 'routeMessage'> {
  return {
    /** MDE routing (issue 2 scope): one healthy relay chosen deterministically; the decision is recorded with why. */
    async routeMessage(messageId, excludeRelayIds) {
      const relays = await listRelays(pool);
      const choice = selectRelay(messageId, relays.map((r) => ({ id: r.id, sourceIp: r.sourceIp, healthy: r.healthy })), excludeRelayIds);
      await appendEvent(pool, {
        messageId,
        type: 'routed',
        data: { relayId: choice.chosen?.id ?? null, sourceIp: choice.chosen?.sourceIp ?? null, reason: choice.reason, rejected: choice.rejected },
      });
      return choice.chosen ? { relayId: choice.chosen.id, sourceIp: choice.chosen.sourceIp, reason: choice.reason, rejected: choice.rejected } : null;
    },
  };
}
