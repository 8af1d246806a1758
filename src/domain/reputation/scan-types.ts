import type { BlocklistVerdict, DnsOutcome, LookupKind } from './dnsbl.js';
import type { SignalJudgement } from './own-signals.js';

// The reputation scan's activity contract, as plain data: what the workflow asks for and what each step returns, so
// the workflow history shows every lookup's answer and every decision.

export interface ScanTargets {
  /** Every active and standby IP. */
  ips: string[];
  /** Sending domains: customers' verified sender domains, the service's own names. */
  domains: string[];
  ipZones: string[];
  domainZones: string[];
}

export interface LookupBatch { zone: string; kind: LookupKind; subjects: string[] }

export interface LookupResult { subject: string; queryName: string; outcome: DnsOutcome; verdict: BlocklistVerdict }

export interface LookupBatchResult { zone: string; kind: LookupKind; results: LookupResult[] }

export interface SubjectSignals { subject: string; kind: LookupKind; judgement: SignalJudgement; sampleReplies: string[] }

export interface ScanDecisions {
  opened: Array<{ id: string; kind: 'listed' | 'degraded'; subject: string; zone: string }>;
  resolved: Array<{ id: string; kind: 'listed' | 'degraded'; subject: string; zone: string }>;
  /** IP state changes made by the scan, each audited with actor `reputation-scan`. */
  ipChanges: Array<{ ip: string; from: string; to: string; reason: string }>;
  /** Zones that refused our queries this scan (ops warnings, never listings). */
  warnings: Array<{ zone: string; codes: string[]; why: string }>;
}

export interface AlertsSent { sent: Array<{ incidentId: string; kind: 'opened' | 'reminder' | 'resolved'; messageId: string }> }

export interface ReputationActivities {
  listScanTargets(): Promise<ScanTargets>;
  /** One DNS lookup per subject in one zone. */
  lookupBlocklist(batch: LookupBatch): Promise<LookupBatchResult>;
  /** The service's own signals per IP and sender domain over the rolling window, judged against the thresholds. */
  measureOwnSignals(): Promise<SubjectSignals[]>;
  /** Incidents opened/resolved, swaps and delistings, ops warnings; idempotent per scanId. */
  applyScanResults(input: { scanId: string; lookups: LookupBatchResult[]; signals: SubjectSignals[] }): Promise<ScanDecisions>;
  /** Alert emails due at `nowMs` (workflow time): new incidents, reminders, resolutions. */
  sendReputationAlerts(input: { nowMs: number }): Promise<AlertsSent>;
}
