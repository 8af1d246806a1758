import type pg from 'pg';
import { listedWithoutStandbyPoliciesByPool } from '../db/ip-pools-repo.js';
import { changeIp } from '../db/ips-repo.js';
import { inTransaction } from '../db/pool.js';
import { relayHeloNames } from '../db/relay-admin-repo.js';
import {
  claimAlert, countCleanScan, findOpenIncident, incidentsForAlerts, markStillListed, openIncident, openIncidents, ownSignalCounts,
  recordWarning, resolveIncident, saveSubjectScan, setIncidentAction,
} from '../db/incidents-repo.js';
import { alertDue, composeAlert, lookupToRepeat, noStandbyAction } from '../domain/reputation/alerts.js';
import { blocklistQueryName, interpretBlocklistAnswer } from '../domain/reputation/dnsbl.js';
import { blockReplyPostgresPattern, judgeSignals } from '../domain/reputation/own-signals.js';
import { registrableDomain } from '../domain/reputation/registrable-domain.js';
import type { LookupResult, ReputationActivities, ScanDecisions } from '../domain/reputation/scan-types.js';
import { newMessageId } from '../ids.js';
import { sendAlertMail } from '../reputation/alert-mail.js';
import { createBlocklistResolver, type BlocklistResolver } from '../reputation/dns-resolver.js';
import type { ReputationSettings } from '../reputation/settings.js';
import type { ActivityDeps } from './deps.js';

/** The actor of every IP change the scan makes (ip_changes.actor). */
export const REPUTATION_ACTOR = 'reputation-scan';
const OWN_SIGNALS_ZONE = 'own-signals';

export function createReputationActivities(deps: ActivityDeps, settings: ReputationSettings, resolver: BlocklistResolver = createBlocklistResolver({ resolver: settings.resolver, timeoutMs: settings.dnsTimeoutMs })): ReputationActivities {
  const { pool, log } = deps;
  return {
    async listScanTargets() {
      // Quarantined IPs are scanned too: their clean scans are what returns them to standby.
      const ips = await pool.query("SELECT ip FROM ips WHERE state IN ('active', 'standby', 'quarantined') ORDER BY ip");
      const domains = await pool.query('SELECT DISTINCT lower(domain) AS domain FROM sender_domains ORDER BY 1');
      // Relay HELO names are scanned by their registrable domain (what domain blocklists list).
      const heloDomains = (await relayHeloNames(pool)).map(registrableDomain).filter((d) => d !== undefined);
      const all = [...new Set([...domains.rows.map((r) => r.domain as string), ...heloDomains, ...settings.ownDomains])].sort();
      return { ips: ips.rows.map((r) => r.ip as string), domains: all, ipZones: settings.ipZones, domainZones: settings.domainZones };
    },

    async lookupBlocklist({ zone, kind, subjects }) {
      const results = await Promise.all(subjects.map(async (subject): Promise<LookupResult> => {
        let queryName: string;
        try {
          queryName = blocklistQueryName(subject, zone, kind);
        } catch (err) {
          const outcome = { kind: 'error' as const, message: String(err) };
          return { subject, queryName: '', outcome, verdict: interpretBlocklistAnswer(zone, outcome) };
        }
        const outcome = await resolver.lookup(queryName);
        return { subject, queryName, outcome, verdict: interpretBlocklistAnswer(zone, outcome) };
      }));
      return { zone, kind, results };
    },

    async measureOwnSignals() {
      const rows = await ownSignalCounts(pool, settings.signalWindowMs, blockReplyPostgresPattern);
      return rows.map((r) => ({ subject: r.subject, kind: r.kind, judgement: judgeSignals(r.counts, settings.thresholds), sampleReplies: r.counts.sampleReplies }));
    },

    async applyScanResults({ scanId, lookups, signals }) {
      const d: ScanDecisions = { opened: [], resolved: [], ipChanges: [], warnings: [] };
      const ipPools = new Map((await pool.query('SELECT ip, pool FROM ips')).rows.map((r) => [r.ip as string, r.pool as string]));
      const subjectStates = new Map<string, { kind: 'ip' | 'domain'; listed: boolean; known: boolean; degraded: boolean; results: unknown[] }>();
      const stateOf = (subject: string, kind: 'ip' | 'domain') => {
        let s = subjectStates.get(subject);
        if (!s) { s = { kind, listed: false, known: false, degraded: false, results: [] }; subjectStates.set(subject, s); }
        return s;
      };

      // 1. Blocklist answers: listings open (or keep) incidents, clean answers count towards delisting, refusals warn.
      for (const batch of lookups) {
        const refused = batch.results.filter((r) => r.verdict.status === 'refused');
        if (refused.length > 0) {
          const codes = [...new Set(refused.flatMap((r) => (r.verdict.status === 'refused' ? r.verdict.codes : [])))];
          const why = refused[0]!.verdict.status === 'refused' ? refused[0]!.verdict.why : 'refused';
          d.warnings.push({ zone: batch.zone, codes, why });
          if (await recordWarning(pool, { scanId, zone: batch.zone, codes, why, subjects: refused.map((r) => r.subject) })) {
            log.warn('reputation.zone_refused', { zone: batch.zone, codes, why, subjects: refused.length, scanId });
          }
        }
        for (const r of batch.results) {
          const s = stateOf(r.subject, batch.kind);
          s.results.push({ zone: batch.zone, status: r.verdict.status, ...(r.verdict.status === 'listed' ? { codes: r.verdict.codes, txt: r.verdict.txt } : {}) });
          if (r.verdict.status === 'listed') {
            s.listed = true; s.known = true;
            const evidence = { queryName: r.queryName, codes: r.verdict.codes, meanings: r.verdict.meanings, txt: r.verdict.txt, lookup: lookupToRepeat({ subject: r.subject, subjectKind: batch.kind, zone: batch.zone, kind: 'listed' }) };
            const reason = [r.verdict.meanings.join('; '), ...r.verdict.txt].filter((x) => x !== '').join(' — ');
            const { incident, created } = await openIncident(pool, { kind: 'listed', subject: r.subject, subjectKind: batch.kind, zone: batch.zone, reason, evidence, pool: ipPools.get(r.subject) ?? null, scanId });
            if (created) {
              d.opened.push({ id: incident.id, kind: 'listed', subject: r.subject, zone: batch.zone });
              log.warn('reputation.listed', { incidentId: incident.id, subject: r.subject, zone: batch.zone, codes: r.verdict.codes, reason });
            } else if (incident.lastScanId !== scanId) {
              await markStillListed(pool, incident.id, scanId, evidence);
            }
          } else if (r.verdict.status === 'clean') {
            s.known = true;
            const open = await findOpenIncident(pool, 'listed', r.subject, batch.zone);
            if (open) {
              const after = await countCleanScan(pool, open.id, scanId, settings.delistConfirmScans);
              if (after?.resolvedAt) {
                d.resolved.push({ id: open.id, kind: 'listed', subject: r.subject, zone: batch.zone });
                log.info('reputation.delisted', { incidentId: open.id, subject: r.subject, zone: batch.zone, cleanScans: after.cleanScans });
              }
            }
          }
        }
      }

      // 2. Own signals: a subject over a threshold is degraded; one back under (or without traffic) recovers.
      const degradedNow = new Set<string>();
      for (const sig of signals) {
        if (!sig.judgement.degraded) continue;
        degradedNow.add(sig.subject);
        const s = stateOf(sig.subject, sig.kind);
        s.degraded = true;
        const { incident, created } = await openIncident(pool, {
          kind: 'degraded', subject: sig.subject, subjectKind: sig.kind, zone: OWN_SIGNALS_ZONE, reason: sig.judgement.breaches.join('; '),
          evidence: { metrics: sig.judgement.metrics, breaches: sig.judgement.breaches, sampleReplies: sig.sampleReplies, windowMs: settings.signalWindowMs },
          pool: ipPools.get(sig.subject) ?? null, scanId,
        });
        if (created) {
          d.opened.push({ id: incident.id, kind: 'degraded', subject: sig.subject, zone: OWN_SIGNALS_ZONE });
          log.warn('reputation.degraded', { incidentId: incident.id, subject: sig.subject, breaches: sig.judgement.breaches });
        }
      }
      for (const open of await openIncidents(pool, 'degraded')) {
        if (degradedNow.has(open.subject)) continue;
        await resolveIncident(pool, open.id);
        d.resolved.push({ id: open.id, kind: 'degraded', subject: open.subject, zone: open.zone });
      }

      // 3. IP states: swap listed active IPs for a standby of their pool; keep listed standbys out; delist to standby.
      await applyIpStates(pool, settings, d, log);

      for (const [subject, s] of subjectStates) {
        await saveSubjectScan(pool, { subject, kind: s.kind, scanId, results: s.results, state: s.listed ? 'listed' : s.degraded ? 'degraded' : s.known ? 'clean' : 'unknown' });
      }
      return d;
    },

    async sendReputationAlerts({ nowMs }) {
      const sent: Array<{ incidentId: string; kind: 'opened' | 'reminder' | 'resolved'; messageId: string }> = [];
      if (settings.alertTo.length === 0) return { sent };
      for (const { incident, log: alertLog } of await incidentsForAlerts(pool)) {
        const due = alertDue(incident, alertLog, nowMs, settings.remindIntervalMs);
        if (!due) continue;
        const claim = await claimAlert(pool, { incidentId: incident.id, kind: due.kind, seq: due.seq, messageId: newMessageId(nowMs), sentAt: new Date(nowMs) });
        await sendAlertMail({ pool, temporal: deps.temporal, log, settings }, claim.messageId, composeAlert(incident, due, new Date(nowMs)), incident.id);
        log.info('reputation.alert_sent', { incidentId: incident.id, kind: due.kind, messageId: claim.messageId });
        sent.push({ incidentId: incident.id, kind: due.kind, messageId: claim.messageId });
      }
      return { sent };
    },
  };
}

async function lastChangeActor(db: pg.Pool, ip: string): Promise<{ actor: string; toState: string | null } | undefined> {
  const { rows } = await db.query('SELECT actor, to_state FROM ip_changes WHERE ip = $1 ORDER BY id DESC LIMIT 1', [ip]);
  return rows[0] ? { actor: rows[0].actor, toState: rows[0].to_state } : undefined;
}

async function applyIpStates(pool: pg.Pool, settings: ReputationSettings, d: ScanDecisions, log: ActivityDeps['log']): Promise<void> {
  const listedIncidents = (await openIncidents(pool, 'listed')).filter((i) => i.subjectKind === 'ip');
  const listedIps = new Set(listedIncidents.map((i) => i.subject));
  const ips = (await pool.query('SELECT ip, pool, state FROM ips ORDER BY ip')).rows as Array<{ ip: string; pool: string; state: string }>;
  const policies = await listedWithoutStandbyPoliciesByPool(pool);
  const stopped: typeof ips = [];
  const setAction = async (ip: string, action: string): Promise<void> => {
    for (const i of listedIncidents.filter((x) => x.subject === ip && x.action !== action)) await setIncidentAction(pool, i.id, action);
  };
  const change = async (c: pg.PoolClient | pg.Pool, ip: string, from: string, to: 'active' | 'standby' | 'quarantined', reason: string): Promise<void> => {
    await changeIp(c, ip, { state: to }, REPUTATION_ACTOR, reason);
    d.ipChanges.push({ ip, from, to, reason });
    log.warn('reputation.ip_state', { ip, from, to, reason });
  };

  for (const ip of ips) {
    if (!listedIps.has(ip.ip)) continue;
    const where = listedIncidents.filter((i) => i.subject === ip.ip).map((i) => i.zone).join(', ');
    if (ip.state === 'standby') {
      await change(pool, ip.ip, 'standby', 'quarantined', `listed on ${where}: kept out of the standby pool`);
      await setAction(ip.ip, `standby IP ${ip.ip} quarantined (listed) so it is not swapped in`);
      continue;
    }
    if (ip.state !== 'active') continue;
    if (!settings.autoSwap) { await setAction(ip.ip, `AUTO_SWAP is off: ${ip.ip} left active, no automatic change`); continue; }
    const standby = ips.find((s) => s.pool === ip.pool && s.state === 'standby' && !listedIps.has(s.ip));
    if (!standby) {
      // The pool decides: keep sending from the listed IP (default), or stop (its messages wait until it has a usable IP).
      if (policies.get(ip.pool) === 'stop') {
        await change(pool, ip.ip, 'active', 'quarantined', `listed on ${where}; no standby in pool ${ip.pool}, which is configured to stop`);
        ip.state = 'quarantined';
        stopped.push(ip);
      } else {
        await setAction(ip.ip, noStandbyAction(ip.pool, ip.ip, 'keep-sending', false));
      }
      continue;
    }
    await inTransaction(pool, async (c) => {
      await change(c, ip.ip, 'active', 'quarantined', `listed on ${where}; replaced by standby ${standby.ip}`);
      await change(c, standby.ip, 'standby', 'active', `replaces ${ip.ip} (listed on ${where})`);
    });
    ip.state = 'quarantined';
    standby.state = 'active';
    await setAction(ip.ip, `${ip.ip} quarantined; standby ${standby.ip} of pool ${ip.pool} made active`);
  }
  // Said once every listed IP is handled: whether the stopping pool still has an active IP of its own.
  for (const ip of stopped) {
    const othersActive = ips.some((o) => o.pool === ip.pool && o.state === 'active');
    await setAction(ip.ip, noStandbyAction(ip.pool, ip.ip, 'stop', othersActive));
  }

  // Delisting: a quarantined IP the scan itself quarantined, with no open listing left, returns to standby (never active).
  for (const ip of ips) {
    if (ip.state !== 'quarantined' || listedIps.has(ip.ip)) continue;
    const last = await lastChangeActor(pool, ip.ip);
    if (last?.actor !== REPUTATION_ACTOR || last.toState !== 'quarantined') continue; // an operator's quarantine stays
    await change(pool, ip.ip, 'quarantined', 'standby', `clean for ${settings.delistConfirmScans} scans in a row: back to standby`);
  }
}
