import { proxyActivities } from '@temporalio/workflow';
import type { SenderDomainActivities, SenderDomainCheckResult } from '../activities/types.js';

const { listSenderDomainsToCheck } = proxyActivities<SenderDomainActivities>({
  startToCloseTimeout: '1m',
  retry: { maximumAttempts: 3 },
});
// DNS: every lookup has its own short timeout (an unanswered one is "unknown" and changes nothing).
const { checkSenderDomainBatch } = proxyActivities<SenderDomainActivities>({
  startToCloseTimeout: '5m',
  retry: { initialInterval: '10s', maximumAttempts: 3 },
});
const { sendSenderDomainAlert } = proxyActivities<SenderDomainActivities>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '2s', maximumAttempts: 5 },
});

/** Domains per check activity: few history events per run, and a bounded number of DNS lookups at once. */
const BATCH = 25;

export interface SenderDomainCheckSummary {
  checked: number;
  changed: Array<Pick<SenderDomainCheckResult, 'accountId' | 'domain' | 'transition' | 'problems'>>;
  errors: number;
  alerts: number;
}

/**
 * Started by the `check-sender-domains` Schedule (daily, overlap skipped). Stages: list every sender domain →
 * check their DNS records in batches (verification, DKIM rotation, return path, failing mark; each change is an
 * account event) → one alert email per domain that started failing.
 */
export async function checkSenderDomainsWorkflow(): Promise<SenderDomainCheckSummary> {
  const domains = await listSenderDomainsToCheck();
  const results: SenderDomainCheckResult[] = [];
  for (let i = 0; i < domains.length; i += BATCH)
    results.push(...(await checkSenderDomainBatch(domains.slice(i, i + BATCH))));
  let alerts = 0;
  for (const r of results)
    if (r.alertMessageId && (await sendSenderDomainAlert({ ...r, messageId: r.alertMessageId }))) alerts += 1;
  return {
    checked: results.length,
    changed: results
      .filter((r) => r.transition !== 'unchanged')
      .map(({ accountId, domain, transition, problems }) => ({ accountId, domain, transition, problems })),
    errors: results.filter((r) => r.error !== undefined).length,
    alerts,
  };
}
