import type { LookupBatch, LookupBatchResult, SubjectSignals } from '../domain/reputation/scan-types.js';

// The reputation scan's activity contract: what scanReputationWorkflow asks for and what each step returns. Imported
// as types only (workflows reach it through ./types.js).

export interface ScanTargets {
  /** Every active, standby and quarantined IP. */
  ips: string[];
  /** Sending domains: customers' verified sender domains, relay HELO domains, the service's own names. */
  domains: string[];
  ipZones: string[];
  domainZones: string[];
}

export interface ScanDecisions {
  opened: Array<{ id: string; kind: 'listed' | 'degraded'; subject: string; zone: string }>;
  resolved: Array<{ id: string; kind: 'listed' | 'degraded'; subject: string; zone: string }>;
  /** IP state changes made by the scan, each audited with actor `reputation-scan`. */
  ipChanges: Array<{ ip: string; from: string; to: string; reason: string }>;
  /** Zones that refused our queries this scan (ops warnings, never listings). */
  warnings: Array<{ zone: string; codes: string[]; why: string }>;
}

export interface AlertsSent {
  sent: Array<{ incidentId: string; kind: 'opened' | 'reminder' | 'resolved'; messageId: string }>;
}

export interface ReputationActivities {
  listScanTargets(): Promise<ScanTargets>;
  /** One DNS lookup per subject in one zone. */
  lookupBlocklist(batch: LookupBatch): Promise<LookupBatchResult>;
  /** The service's own signals per IP and sender domain over the rolling window, judged against the thresholds. */
  measureOwnSignals(): Promise<SubjectSignals[]>;
  /** Incidents opened/resolved, swaps and delistings, ops warnings (decideScanActions, applied in one transaction); idempotent per scanId. */
  applyScanResults(input: {
    scanId: string;
    lookups: LookupBatchResult[];
    signals: SubjectSignals[];
  }): Promise<ScanDecisions>;
  /** Alert emails due at `nowMs` (workflow time): new incidents, reminders, resolutions. */
  sendReputationAlerts(input: { nowMs: number }): Promise<AlertsSent>;
}
