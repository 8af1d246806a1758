import { log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ReputationActivities } from '../activities/types.js';
import type { LookupBatch, LookupBatchResult } from '../domain/reputation/scan-types.js';

const { listScanTargets, measureOwnSignals } = proxyActivities<ReputationActivities>({
  startToCloseTimeout: '1m',
  retry: { maximumAttempts: 3 },
});
// DNS: each lookup has its own short timeout (an unanswered one is "unknown"), so a batch finishes quickly.
const { lookupBlocklist } = proxyActivities<ReputationActivities>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '5s', maximumAttempts: 2 },
});
const { applyScanResults, sendReputationAlerts } = proxyActivities<ReputationActivities>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '2s', maximumAttempts: 5 },
});

export interface ScanSummary {
  scanId: string;
  lookups: number;
  listed: Array<{ subject: string; zone: string }>;
  opened: number;
  resolved: number;
  ipChanges: number;
  warnings: string[];
  alerts: number;
}

/**
 * Started by the `scan-reputation` Schedule every REPUTATION_SCAN_INTERVAL (one at a time, overlap skipped). Stages:
 * targets → one lookup activity per (zone, kind) batch, whose results are in this workflow's history → own signals →
 * decisions (incidents, swap, delisting, ops warnings) → alert emails due at this workflow's time.
 */
export async function scanReputationWorkflow(): Promise<ScanSummary> {
  const { workflowId, runId } = workflowInfo();
  const scanId = `${workflowId}/${runId}`;
  const targets = await listScanTargets();

  const batches: LookupBatch[] = [
    ...(targets.ips.length > 0
      ? targets.ipZones.map((zone) => ({ zone, kind: 'ip' as const, subjects: targets.ips }))
      : []),
    ...(targets.domains.length > 0
      ? targets.domainZones.map((zone) => ({ zone, kind: 'domain' as const, subjects: targets.domains }))
      : []),
  ];
  const lookups: LookupBatchResult[] = await Promise.all(batches.map((b) => lookupBlocklist(b)));
  const signals = await measureOwnSignals();

  const decisions = await applyScanResults({ scanId, lookups, signals });
  const alerts = await sendReputationAlerts({ nowMs: Date.now() });

  const listed = lookups.flatMap((b) =>
    b.results.filter((r) => r.verdict.status === 'listed').map((r) => ({ subject: r.subject, zone: b.zone })),
  );
  if (decisions.opened.length > 0 || decisions.ipChanges.length > 0)
    log.info('reputation scan decisions', { ...decisions });
  return {
    scanId,
    lookups: lookups.reduce((n, b) => n + b.results.length, 0),
    listed,
    opened: decisions.opened.length,
    resolved: decisions.resolved.length,
    ipChanges: decisions.ipChanges.length,
    warnings: decisions.warnings.map((w) => `${w.zone}: ${w.why}`),
    alerts: alerts.sent.length,
  };
}
