import { isFinal } from '../domain/status.js';
import type { DeliveryActivities } from './types.js';

/**
 * The first three stages of a delivery as one activity: one local-activity marker in the workflow's history and one
 * resolution instead of three. Each stage keeps its own activity (and its idempotence): this only runs them in order.
 */
export function createPrepareActivities(
  stages: Pick<DeliveryActivities, 'checkPolicy' | 'recordMessage' | 'routeRecipients'>,
): Pick<DeliveryActivities, 'prepareMessage'> {
  return {
    async prepareMessage(messageId) {
      const policy = await stages.checkPolicy(messageId);
      const { recipients } = await stages.recordMessage(messageId);
      const open = recipients.filter((r) => !isFinal(r.status)).map((r) => r.address);
      if (!policy.allowed || open.length === 0) return { policy, recipients, parts: [] };
      const { parts } = await stages.routeRecipients(messageId, open, []);
      return { policy, recipients, parts };
    },
  };
}
