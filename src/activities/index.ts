import type { ActivityDeps } from './deps.js';
import type { Activities } from './types.js';
import { createPolicyActivities } from './policy-activities.js';
import { createRecordActivities } from './record-activities.js';
import { createRouteActivities } from './route-activities.js';
import { createPrepareActivities } from './prepare-activities.js';
import { createRelayActivities } from './relay-activities.js';
import { createPollActivities } from './poll-activities.js';
import { createReputationActivities } from './reputation-activities.js';
import { reputationSettingsFromConfig } from '../reputation/settings.js';
import { loadConfig } from '../config/config.js';
import { createWebhookActivities, type WebhookActivityDeps } from './webhook-activities.js';
import { createRetentionActivities } from './retention-activities.js';
import { createSenderDomainActivities } from './sender-domain-activities.js';

/** All activities, built from injected dependencies (pool, Temporal client, relay secrets, logger). */
export function createActivities(deps: ActivityDeps & { webhooks?: WebhookActivityDeps }): {
  activities: Activities;
  close(): void;
} {
  const relay = createRelayActivities(deps);
  const { closeTransports, ...relayActivities } = relay;
  const stages = { ...createPolicyActivities(deps), ...createRecordActivities(deps), ...createRouteActivities(deps) };
  return {
    activities: {
      ...stages,
      ...createPrepareActivities(stages),
      ...relayActivities,
      ...createPollActivities(deps),
      ...createReputationActivities(deps, deps.reputation ?? reputationSettingsFromConfig(loadConfig({}))),
      ...createWebhookActivities(deps, deps.webhooks),
      ...createRetentionActivities(deps),
      ...createSenderDomainActivities(deps),
    },
    close: closeTransports,
  };
}
