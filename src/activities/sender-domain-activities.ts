import { listAllSenderDomains } from '../db/sender-domains-repo.js';
import { composeDomainFailingAlert } from '../domain/sender-auth/alert.js';
import { sendAlertMail } from '../reputation/alert-mail.js';
import { reputationSettingsFromConfig } from '../reputation/settings.js';
import { loadConfig } from '../config/config.js';
import { checkDomainNow } from '../sender-auth/check-domain.js';
import { createRecordLookup } from '../sender-auth/dns-check.js';
import type { ActivityDeps } from './deps.js';
import type { SenderDomainActivities, SenderDomainCheckResult } from './sender-domain-types.js';

// The daily sender domain check (checkSenderDomainsWorkflow): list the domains, check them in batches, alert.

export function createSenderDomainActivities(deps: ActivityDeps): SenderDomainActivities {
  const { pool, log } = deps;
  const settings = deps.senderAuth;
  const lookup = settings
    ? createRecordLookup({ resolver: settings.resolver, timeoutMs: settings.dnsTimeoutMs })
    : undefined;
  return {
    async listSenderDomainsToCheck() {
      return settings ? listAllSenderDomains(pool) : [];
    },

    /** Each domain's lookups run concurrently; one domain's failure is its own result, not the batch's. */
    async checkSenderDomainBatch(batch) {
      if (!settings || !lookup) return [];
      return Promise.all(
        batch.map(async (d): Promise<SenderDomainCheckResult> => {
          try {
            const out = await checkDomainNow(pool, lookup, settings, d.accountId, d.domain, new Date());
            if (!out) return { ...d, transition: 'unchanged', problems: [], error: 'domain no longer listed' };
            if (out.transition !== 'unchanged')
              log.info('sender_domain.changed', { ...d, transition: out.transition, problems: out.problems });
            return {
              ...d,
              transition: out.transition,
              problems: out.problems,
              ...(out.transition === 'started-failing' && out.alertMessageId
                ? { alertMessageId: out.alertMessageId }
                : {}),
            };
          } catch (err) {
            log.warn('sender_domain.check_failed', { ...d, error: err });
            return { ...d, transition: 'unchanged', problems: [], error: (err as Error).message };
          }
        }),
      );
    },

    /** Through the service's own pipeline like reputation alerts; idempotent by message id. False: nobody to tell. */
    async sendSenderDomainAlert(a) {
      const reputation = deps.reputation ?? reputationSettingsFromConfig(loadConfig({}));
      if (reputation.alertTo.length === 0) {
        log.warn('sender_domain.failing', { accountId: a.accountId, domain: a.domain, problems: a.problems });
        return false;
      }
      const email = composeDomainFailingAlert(a, new Date());
      await sendAlertMail(
        { pool, temporal: deps.temporal, log, settings: reputation },
        a.messageId,
        email,
        `sender-domain ${a.domain}`,
      );
      return true;
    },
  };
}
