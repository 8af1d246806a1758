import type { ActivityDeps } from './deps.js';
import type { Activities } from './types.js';
import { createPolicyActivities } from './policy-activities.js';
import { createRecordActivities } from './record-activities.js';
import { createRouteActivities } from './route-activities.js';
import { createRelayActivities } from './relay-activities.js';
import { createPollActivities } from './poll-activities.js';

/** All activities, built from injected dependencies (pool, Temporal client, relay secrets, logger). */
export function createActivities(deps: ActivityDeps): { activities: Activities; close(): void } {
  const relay = createRelayActivities(deps);
  const { closeTransports, ...relayActivities } = relay;
  return {
    activities: {
      ...createPolicyActivities(deps),
      ...createRecordActivities(deps),
      ...createRouteActivities(deps),
      ...relayActivities,
      ...createPollActivities(deps),
    },
    close: closeTransports,
  };
}
