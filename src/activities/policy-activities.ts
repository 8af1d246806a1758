import { loadPolicyFacts } from '../db/accounts-repo.js';
import { appendEvent, getMessageEnvelope } from '../db/messages-repo.js';
import { checkAcceptanceList, checkHeaderFrom, checkSenderDomain } from '../domain/policy/submission-policy.js';
import type { ActivityDeps } from './deps.js';
import type { DeliveryActivities, PolicyOutcome } from './types.js';

export function createPolicyActivities({
  pool,
  senderDomainPolicy,
}: ActivityDeps): Pick<DeliveryActivities, 'checkPolicy'> {
  return {
    /** Re-checks the account's rules against the stored message and records the decision and why. */
    async checkPolicy(messageId): Promise<PolicyOutcome> {
      const m = await getMessageEnvelope(pool, messageId);
      if (!m)
        return {
          allowed: false,
          decisions: [{ check: 'message', allowed: false, reason: 'message not found in storage' }],
        };
      const facts = await loadPolicyFacts(pool, m.accountId, senderDomainPolicy);
      const decisions =
        !facts || facts.disabled
          ? [{ check: 'account', allowed: false, reason: 'account is disabled or gone' }]
          : [
              checkAcceptanceList(m.clientIp, facts.allowedCidrs),
              checkSenderDomain(m.mailFrom, facts.senderDomains, facts.unverifiedDomains),
              checkHeaderFrom(m.headerFrom ?? undefined, facts.senderDomains, facts.unverifiedDomains),
            ].map((d) => ({ check: d.check, allowed: d.allowed, reason: d.reason }));
      const outcome = { allowed: decisions.every((d) => d.allowed), decisions };
      await appendEvent(pool, { messageId, type: 'policy', data: outcome, sourceKey: `${messageId}:policy` });
      return outcome;
    },
  };
}
