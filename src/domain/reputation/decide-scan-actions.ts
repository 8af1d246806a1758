import type { IpState } from '../mde/routing-rules.js';
import { lookupToRepeat, noStandbyAction } from './alerts.js';
import type { LookupKind } from './dnsbl.js';
import type { SignalMetrics } from './own-signals.js';
import type { LookupBatchResult, SubjectSignals } from './scan-types.js';

// What a reputation scan does, as one pure function: from the scan's answers (blocklist lookups, own signals) and the
// state before it (open incidents, IPs with their pools and last change, each pool's policy, the settings) to the list
// of actions to apply: incidents opened, kept, counted clean or resolved; listed IPs swapped for a standby, kept
// sending, or stopped; IPs the scan quarantined returned to standby once clean; each subject's scan state. The
// activity loads the state, calls this, and applies the actions in one transaction.

/** What the scan does when a listed active IP of a pool has no standby to swap in (a setting of each pool). */
export const listedWithoutStandbyPolicies = ['keep-sending', 'stop'] as const;
export type ListedWithoutStandbyPolicy = (typeof listedWithoutStandbyPolicies)[number];

/** The actor of every IP change the scan makes (ip_changes.actor); an IP it quarantined is the only kind it returns. */
export const REPUTATION_ACTOR = 'reputation-scan';
/** The "zone" of degraded incidents (the service's own delivery signals). */
export const OWN_SIGNALS_ZONE = 'own-signals';

export type IncidentKind = 'listed' | 'degraded';

/** An incident open before the scan. */
export interface OpenIncident {
  id: string;
  kind: IncidentKind;
  subject: string;
  subjectKind: LookupKind;
  zone: string;
  /** Clean scans in a row since the last listed answer. */
  cleanScans: number;
  /** The scan that last counted it: a retried scan (same id) counts nothing twice. */
  lastScanId: string | null;
}

export interface IpStatus {
  ip: string;
  pool: string;
  state: IpState;
  /** The IP's latest audited change (ip_changes), if any. */
  lastChange?: { actor: string; toState: string | null };
}

export interface ScanDecisionSettings {
  /** AUTO_SWAP: swap or stop automatically; off = alert only. */
  autoSwap: boolean;
  /** DELIST_CONFIRM_SCANS: clean scans in a row that resolve a listing. */
  delistConfirmScans: number;
  /** REPUTATION_SIGNAL_WINDOW, recorded in a degraded incident's evidence. */
  signalWindowMs: number;
}

export interface ScanState {
  scanId: string;
  lookups: LookupBatchResult[];
  signals: SubjectSignals[];
  /** Every incident open before the scan, oldest first (opened_at, id). */
  openIncidents: OpenIncident[];
  /** Every IP, ordered by address (the order swaps are decided in). */
  ips: IpStatus[];
  /** Each pool's onListedWithoutStandby; a pool missing here keeps sending. */
  poolPolicies: ReadonlyMap<string, ListedWithoutStandbyPolicy>;
  settings: ScanDecisionSettings;
}

export interface ListingEvidence {
  queryName: string;
  codes: string[];
  meanings: string[];
  txt: string[];
  lookup: string | undefined;
}
export interface DegradedEvidence {
  metrics: SignalMetrics;
  breaches: string[];
  sampleReplies: string[];
  windowMs: number;
}

export type SubjectScanState = 'clean' | 'listed' | 'degraded' | 'unknown';
export interface ZoneResult {
  zone: string;
  status: string;
  codes?: string[];
  txt?: string[];
}

/**
 * One thing to do. IP actions carry `note`: what was done, recorded as the `action` of the IP's open listings (the
 * alert emails quote it). IP changes are audited with REPUTATION_ACTOR.
 */
export type ScanAction =
  /** A zone refused our queries (its answer is an operator error code): an ops warning, never a listing. */
  | { type: 'warn-refused'; zone: string; codes: string[]; why: string; subjects: string[] }
  | {
      type: 'open-listing';
      subject: string;
      subjectKind: LookupKind;
      zone: string;
      reason: string;
      evidence: ListingEvidence;
      pool: string | null;
    }
  /** Listed again: the clean-scan count starts over, the latest evidence is kept. */
  | { type: 'still-listed'; incidentId: string; subject: string; zone: string; evidence: ListingEvidence }
  /** One more clean answer for an open listing; `resolve` when it reaches DELIST_CONFIRM_SCANS. */
  | {
      type: 'count-clean-scan';
      incidentId: string;
      subject: string;
      zone: string;
      cleanScans: number;
      resolve: boolean;
    }
  | {
      type: 'open-degraded';
      subject: string;
      subjectKind: LookupKind;
      reason: string;
      evidence: DegradedEvidence;
      pool: string | null;
    }
  /** Own signals back under every threshold (or no traffic left to judge). */
  | { type: 'resolve-degraded'; incidentId: string; subject: string; zone: string }
  /** A listed standby IP leaves the standby pool so it is never swapped in. */
  | { type: 'quarantine-standby'; ip: string; reason: string; note: string }
  /** Quarantine the listed active IP and activate a clean standby of its pool, together. */
  | {
      type: 'swap';
      ip: string;
      standby: string;
      pool: string;
      quarantineReason: string;
      activateReason: string;
      note: string;
    }
  /** AUTO_SWAP is off: nothing changes, the alert says so. */
  | { type: 'alert-only'; ip: string; note: string }
  /** No standby, pool policy keep-sending: the listed IP stays active; the note makes the alert loud. */
  | { type: 'keep-sending'; ip: string; pool: string; note: string }
  /** No standby, pool policy stop: the listed IP is quarantined anyway; `othersActive` = the pool still sends. */
  | { type: 'stop'; ip: string; pool: string; othersActive: boolean; reason: string; note: string }
  /** An IP the scan quarantined, no longer listed anywhere: back to standby (never straight to active). */
  | { type: 'return-to-standby'; ip: string; reason: string }
  | { type: 'save-subject-scan'; subject: string; kind: LookupKind; state: SubjectScanState; results: ZoneResult[] };

/** An open incident as the scan tracks it: one it opens itself has no id yet. */
type TrackedIncident = Omit<OpenIncident, 'id'> & { id: string | undefined };

const keyOf = (kind: IncidentKind, subject: string, zone: string): string => JSON.stringify([kind, subject, zone]);

/**
 * Every action of one scan, in the order to apply them: incidents (blocklist answers, then own signals), then IP
 * states (decided on the listings still open after this scan), then each subject's scan state. Deterministic: the
 * same state gives the same actions, and a retried scan (same scanId, state already updated) gives no duplicates.
 */
export function decideScanActions(s: ScanState): ScanAction[] {
  const actions: ScanAction[] = [];
  const poolOf = new Map(s.ips.map((i) => [i.ip, i.pool]));
  // The open incidents as this scan changes them, in (opened_at, id) order; new ones come last, as they open later.
  const open = new Map<string, TrackedIncident>(
    s.openIncidents.map((i) => [keyOf(i.kind, i.subject, i.zone), { ...i }]),
  );
  const subjects = new Map<
    string,
    { kind: LookupKind; listed: boolean; known: boolean; degraded: boolean; results: ZoneResult[] }
  >();
  const subjectOf = (subject: string, kind: LookupKind) => {
    let x = subjects.get(subject);
    if (!x) {
      x = { kind, listed: false, known: false, degraded: false, results: [] };
      subjects.set(subject, x);
    }
    return x;
  };

  // 1. Blocklist answers: a listing opens (or keeps) an incident, a clean answer counts towards delisting, a refusal warns.
  for (const batch of s.lookups) {
    const refused = batch.results.flatMap((r) =>
      r.verdict.status === 'refused' ? [{ subject: r.subject, verdict: r.verdict }] : [],
    );
    if (refused.length > 0) {
      const codes = [...new Set(refused.flatMap((r) => r.verdict.codes))];
      actions.push({
        type: 'warn-refused',
        zone: batch.zone,
        codes,
        why: refused[0]!.verdict.why,
        subjects: refused.map((r) => r.subject),
      });
    }
    for (const r of batch.results) {
      const subject = subjectOf(r.subject, batch.kind);
      const v = r.verdict;
      subject.results.push({
        zone: batch.zone,
        status: v.status,
        ...(v.status === 'listed' ? { codes: v.codes, txt: v.txt } : {}),
      });
      const key = keyOf('listed', r.subject, batch.zone);
      const incident = open.get(key);
      if (v.status === 'listed') {
        subject.listed = true;
        subject.known = true;
        const evidence: ListingEvidence = {
          queryName: r.queryName,
          codes: v.codes,
          meanings: v.meanings,
          txt: v.txt,
          lookup: lookupToRepeat({ subject: r.subject, subjectKind: batch.kind, zone: batch.zone, kind: 'listed' }),
        };
        if (!incident) {
          const reason = [v.meanings.join('; '), ...v.txt].filter((x) => x !== '').join(' — ');
          actions.push({
            type: 'open-listing',
            subject: r.subject,
            subjectKind: batch.kind,
            zone: batch.zone,
            reason,
            evidence,
            pool: poolOf.get(r.subject) ?? null,
          });
          open.set(key, {
            id: undefined,
            kind: 'listed',
            subject: r.subject,
            subjectKind: batch.kind,
            zone: batch.zone,
            cleanScans: 0,
            lastScanId: s.scanId,
          });
        } else if (incident.lastScanId !== s.scanId) {
          if (incident.id !== undefined)
            actions.push({
              type: 'still-listed',
              incidentId: incident.id,
              subject: r.subject,
              zone: batch.zone,
              evidence,
            });
          incident.cleanScans = 0;
          incident.lastScanId = s.scanId;
        }
      } else if (v.status === 'clean') {
        subject.known = true;
        if (incident?.id !== undefined && incident.lastScanId !== s.scanId) {
          const cleanScans = incident.cleanScans + 1;
          const resolve = cleanScans >= s.settings.delistConfirmScans;
          actions.push({
            type: 'count-clean-scan',
            incidentId: incident.id,
            subject: r.subject,
            zone: batch.zone,
            cleanScans,
            resolve,
          });
          incident.cleanScans = cleanScans;
          incident.lastScanId = s.scanId;
          if (resolve) open.delete(key);
        }
      }
      // unknown (timeout, SERVFAIL) and refused answers change no incident: they are neither listed nor clean.
    }
  }

  // 2. Own signals: a subject over a threshold is degraded; an open degraded incident whose subject is not, resolves.
  const degradedNow = new Set<string>();
  for (const sig of s.signals) {
    if (!sig.judgement.degraded) continue;
    degradedNow.add(sig.subject);
    subjectOf(sig.subject, sig.kind).degraded = true;
    const key = keyOf('degraded', sig.subject, OWN_SIGNALS_ZONE);
    if (open.has(key)) continue;
    actions.push({
      type: 'open-degraded',
      subject: sig.subject,
      subjectKind: sig.kind,
      reason: sig.judgement.breaches.join('; '),
      evidence: {
        metrics: sig.judgement.metrics,
        breaches: sig.judgement.breaches,
        sampleReplies: sig.sampleReplies,
        windowMs: s.settings.signalWindowMs,
      },
      pool: poolOf.get(sig.subject) ?? null,
    });
    open.set(key, {
      id: undefined,
      kind: 'degraded',
      subject: sig.subject,
      subjectKind: sig.kind,
      zone: OWN_SIGNALS_ZONE,
      cleanScans: 0,
      lastScanId: s.scanId,
    });
  }
  for (const [key, i] of open) {
    if (i.kind !== 'degraded' || i.id === undefined || degradedNow.has(i.subject)) continue;
    actions.push({ type: 'resolve-degraded', incidentId: i.id, subject: i.subject, zone: i.zone });
    open.delete(key);
  }

  // 3. IP states, from the IP listings still open after this scan.
  const listingZones = new Map<string, string[]>();
  for (const i of open.values()) {
    if (i.kind === 'listed' && i.subjectKind === 'ip')
      listingZones.set(i.subject, [...(listingZones.get(i.subject) ?? []), i.zone]);
  }
  actions.push(...decideIpActions(s.ips, listingZones, s.poolPolicies, s.settings));

  // 4. Each scanned subject's state: listed beats degraded beats clean; no definite answer at all = unknown.
  for (const [subject, x] of subjects) {
    actions.push({
      type: 'save-subject-scan',
      subject,
      kind: x.kind,
      state: x.listed ? 'listed' : x.degraded ? 'degraded' : x.known ? 'clean' : 'unknown',
      results: x.results,
    });
  }
  return actions;
}

/**
 * Listed IPs, in address order: a listed standby is quarantined; a listed active IP is swapped for a clean standby of
 * its pool, or, without one, keeps sending (alert loudly) or is quarantined (pool policy `stop`); with AUTO_SWAP off
 * nothing changes. Then an IP the scan itself quarantined, with no listing left, returns to standby; an operator's
 * quarantine stays.
 */
export function decideIpActions(
  before: IpStatus[],
  listingZones: ReadonlyMap<string, string[]>,
  poolPolicies: ReadonlyMap<string, ListedWithoutStandbyPolicy>,
  settings: ScanDecisionSettings,
): ScanAction[] {
  const actions: ScanAction[] = [];
  const ips = before.map((i) => ({ ...i })); // states as this scan changes them
  const stops: Array<Extract<ScanAction, { type: 'stop' }>> = [];
  for (const ip of ips) {
    const zones = listingZones.get(ip.ip);
    if (!zones) continue;
    const where = zones.join(', ');
    if (ip.state === 'standby') {
      actions.push({
        type: 'quarantine-standby',
        ip: ip.ip,
        reason: `listed on ${where}: kept out of the standby pool`,
        note: `standby IP ${ip.ip} quarantined (listed) so it is not swapped in`,
      });
      ip.state = 'quarantined';
      continue;
    }
    if (ip.state !== 'active') continue;
    if (!settings.autoSwap) {
      actions.push({
        type: 'alert-only',
        ip: ip.ip,
        note: `AUTO_SWAP is off: ${ip.ip} left active, no automatic change`,
      });
      continue;
    }
    const standby = ips.find((x) => x.pool === ip.pool && x.state === 'standby' && !listingZones.has(x.ip));
    if (standby) {
      actions.push({
        type: 'swap',
        ip: ip.ip,
        standby: standby.ip,
        pool: ip.pool,
        quarantineReason: `listed on ${where}; replaced by standby ${standby.ip}`,
        activateReason: `replaces ${ip.ip} (listed on ${where})`,
        note: `${ip.ip} quarantined; standby ${standby.ip} of pool ${ip.pool} made active`,
      });
      ip.state = 'quarantined';
      standby.state = 'active';
    } else if (poolPolicies.get(ip.pool) === 'stop') {
      // The note is written once every listed IP is handled: it says whether the pool still has an active IP.
      const stop = {
        type: 'stop' as const,
        ip: ip.ip,
        pool: ip.pool,
        othersActive: false,
        reason: `listed on ${where}; no standby in pool ${ip.pool}, which is configured to stop`,
        note: '',
      };
      actions.push(stop);
      stops.push(stop);
      ip.state = 'quarantined';
    } else {
      actions.push({
        type: 'keep-sending',
        ip: ip.ip,
        pool: ip.pool,
        note: noStandbyAction(ip.pool, ip.ip, 'keep-sending', false),
      });
    }
  }
  for (const stop of stops) {
    stop.othersActive = ips.some((o) => o.pool === stop.pool && o.state === 'active');
    stop.note = noStandbyAction(stop.pool, stop.ip, 'stop', stop.othersActive);
  }
  for (const ip of ips) {
    if (ip.state !== 'quarantined' || listingZones.has(ip.ip)) continue;
    if (ip.lastChange?.actor !== REPUTATION_ACTOR || ip.lastChange.toState !== 'quarantined') continue; // an operator's quarantine stays
    actions.push({
      type: 'return-to-standby',
      ip: ip.ip,
      reason: `clean for ${settings.delistConfirmScans} scans in a row: back to standby`,
    });
  }
  return actions;
}
