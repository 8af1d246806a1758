import type pg from 'pg';
import { listedWithoutStandbyPoliciesByPool } from '../db/ip-pools-repo.js';
import { listSenderDomains } from '../db/accounts-repo.js';
import { changeIp, lastChangesOf, listIpAddressesInStates, lockIpStates } from '../db/ips-repo.js';
import { inTransaction } from '../db/pool.js';
import { relayHeloNames } from '../db/relay-admin-repo.js';
import {
  claimAlert,
  countCleanScan,
  incidentsForAlerts,
  markStillListed,
  openIncident,
  openIncidents,
  ownSignalCounts,
  recordWarning,
  resolveIncident,
  saveSubjectScan,
  setOpenListingsAction,
} from '../db/incidents-repo.js';
import type { IpState } from '../domain/mde/routing-rules.js';
import { alertDue, composeAlert } from '../domain/reputation/alerts.js';
import {
  OWN_SIGNALS_ZONE,
  REPUTATION_ACTOR,
  decideScanActions,
  type ScanAction,
} from '../domain/reputation/decide-scan-actions.js';
import { blocklistQueryName, interpretBlocklistAnswer } from '../domain/reputation/dnsbl.js';
import { blockReplyPostgresPattern, judgeSignals } from '../domain/reputation/own-signals.js';
import { registrableDomain } from '../domain/reputation/registrable-domain.js';
import type { LookupResult } from '../domain/reputation/scan-types.js';
import { newMessageId } from '../ids.js';
import { sendAlertMail } from '../reputation/alert-mail.js';
import { createBlocklistResolver, type BlocklistResolver } from '../reputation/dns-resolver.js';
import type { ReputationSettings } from '../reputation/settings.js';
import type { ActivityDeps } from './deps.js';
import type { ReputationActivities, ScanDecisions } from './reputation-types.js';

export function createReputationActivities(
  deps: ActivityDeps,
  settings: ReputationSettings,
  resolver: BlocklistResolver = createBlocklistResolver({
    resolver: settings.resolver,
    timeoutMs: settings.dnsTimeoutMs,
  }),
): ReputationActivities {
  const { pool, log } = deps;
  return {
    async listScanTargets() {
      // Quarantined IPs are scanned too: their clean scans are what returns them to standby.
      const ips = await listIpAddressesInStates(pool, ['active', 'standby', 'quarantined']);
      const domains = await listSenderDomains(pool);
      // Relay HELO names are scanned by their registrable domain (what domain blocklists list).
      const heloDomains = (await relayHeloNames(pool)).map(registrableDomain).filter((d) => d !== undefined);
      const all = [...new Set([...domains, ...heloDomains, ...settings.ownDomains])].sort();
      return { ips, domains: all, ipZones: settings.ipZones, domainZones: settings.domainZones };
    },

    async lookupBlocklist({ zone, kind, subjects }) {
      const results = await Promise.all(
        subjects.map(async (subject): Promise<LookupResult> => {
          let queryName: string;
          try {
            queryName = blocklistQueryName(subject, zone, kind);
          } catch (err) {
            const outcome = { kind: 'error' as const, message: String(err) };
            return { subject, queryName: '', outcome, verdict: interpretBlocklistAnswer(zone, outcome) };
          }
          const outcome = await resolver.lookup(queryName);
          return { subject, queryName, outcome, verdict: interpretBlocklistAnswer(zone, outcome) };
        }),
      );
      return { zone, kind, results };
    },

    async measureOwnSignals() {
      const rows = await ownSignalCounts(pool, settings.signalWindowMs, blockReplyPostgresPattern);
      return rows.map((r) => ({
        subject: r.subject,
        kind: r.kind,
        judgement: judgeSignals(r.counts, settings.thresholds),
        sampleReplies: r.counts.sampleReplies,
      }));
    },

    async applyScanResults({ scanId, lookups, signals }) {
      // Load, decide, apply in one transaction: the IP rows stay locked, so the decision is made on the states it
      // changes, and a failed try leaves nothing half-applied for the retry (which decides again, same scanId).
      const { decisions, events } = await inTransaction(pool, async (c) => {
        const ips = await lockIpStates(c);
        const lastChanges = await lastChangesOf(
          c,
          ips.filter((i) => i.state === 'quarantined').map((i) => i.ip),
        );
        const actions = decideScanActions({
          scanId,
          lookups,
          signals,
          openIncidents: await openIncidents(c),
          ips: ips.map((i) => ({ ...i, lastChange: lastChanges.get(i.ip) })),
          poolPolicies: await listedWithoutStandbyPoliciesByPool(c),
          settings: {
            autoSwap: settings.autoSwap,
            delistConfirmScans: settings.delistConfirmScans,
            signalWindowMs: settings.signalWindowMs,
          },
        });
        return applyScanActions(c, scanId, actions);
      });
      // Logged once committed, so a rolled-back try reports nothing it did not do.
      for (const e of events) log[e.level](e.event, e.fields);
      return decisions;
    },

    async sendReputationAlerts({ nowMs }) {
      const sent: Array<{ incidentId: string; kind: 'opened' | 'reminder' | 'resolved'; messageId: string }> = [];
      if (settings.alertTo.length === 0) return { sent };
      for (const { incident, log: alertLog } of await incidentsForAlerts(pool)) {
        const due = alertDue(incident, alertLog, nowMs, settings.remindIntervalMs);
        if (!due) continue;
        const claim = await claimAlert(pool, {
          incidentId: incident.id,
          kind: due.kind,
          seq: due.seq,
          messageId: newMessageId(nowMs),
          sentAt: new Date(nowMs),
        });
        await sendAlertMail(
          { pool, temporal: deps.temporal, log, settings },
          claim.messageId,
          composeAlert(incident, due, new Date(nowMs)),
          incident.id,
        );
        log.info('reputation.alert_sent', { incidentId: incident.id, kind: due.kind, messageId: claim.messageId });
        sent.push({ incidentId: incident.id, kind: due.kind, messageId: claim.messageId });
      }
      return { sent };
    },
  };
}

type IncidentFields = Parameters<typeof openIncident>[1];

interface LogEvent {
  level: 'info' | 'warn';
  event: string;
  fields: Record<string, unknown>;
}

/**
 * Applies a scan's actions on the caller's transaction, each idempotently (a retry of the same scan changes nothing
 * twice), and reports what changed and the log events to emit once committed.
 */
async function applyScanActions(
  c: pg.PoolClient,
  scanId: string,
  actions: ScanAction[],
): Promise<{ decisions: ScanDecisions; events: LogEvent[] }> {
  const d: ScanDecisions = { opened: [], resolved: [], ipChanges: [], warnings: [] };
  const events: LogEvent[] = [];
  /** Opens an incident (once per scan); a new one is reported and logged as `event` with its id and `fields`. */
  const open = async (
    kind: IncidentFields['kind'],
    zone: string,
    a: Pick<IncidentFields, 'subject' | 'subjectKind' | 'reason' | 'pool'> & { evidence: object },
    event: string,
    fields: Record<string, unknown>,
  ): Promise<void> => {
    const { subject, subjectKind, reason, pool } = a;
    const i = { kind, subject, subjectKind, zone, reason, evidence: { ...a.evidence }, pool, scanId };
    const { incident, created } = await openIncident(c, i);
    if (!created) return;
    d.opened.push({ id: incident.id, kind, subject, zone });
    events.push({ level: 'warn', event, fields: { incidentId: incident.id, ...fields } });
  };
  const change = async (ip: string, from: IpState, to: IpState, reason: string): Promise<void> => {
    await changeIp(c, ip, { state: to }, REPUTATION_ACTOR, reason);
    d.ipChanges.push({ ip, from, to, reason });
    events.push({ level: 'warn', event: 'reputation.ip_state', fields: { ip, from, to, reason } });
  };
  for (const a of actions) {
    switch (a.type) {
      case 'warn-refused':
        d.warnings.push({ zone: a.zone, codes: a.codes, why: a.why });
        if (await recordWarning(c, { scanId, zone: a.zone, codes: a.codes, why: a.why, subjects: a.subjects })) {
          events.push({
            level: 'warn',
            event: 'reputation.zone_refused',
            fields: { zone: a.zone, codes: a.codes, why: a.why, subjects: a.subjects.length, scanId },
          });
        }
        break;
      case 'open-listing':
        await open('listed', a.zone, a, 'reputation.listed', {
          subject: a.subject,
          zone: a.zone,
          codes: a.evidence.codes,
          reason: a.reason,
        });
        break;
      case 'still-listed':
        await markStillListed(c, a.incidentId, scanId, { ...a.evidence });
        break;
      case 'count-clean-scan': {
        const after = await countCleanScan(c, a.incidentId, scanId, { cleanScans: a.cleanScans, resolve: a.resolve });
        if (after?.resolvedAt) {
          d.resolved.push({ id: a.incidentId, kind: 'listed', subject: a.subject, zone: a.zone });
          events.push({
            level: 'info',
            event: 'reputation.delisted',
            fields: { incidentId: a.incidentId, subject: a.subject, zone: a.zone, cleanScans: after.cleanScans },
          });
        }
        break;
      }
      case 'open-degraded':
        await open('degraded', OWN_SIGNALS_ZONE, a, 'reputation.degraded', {
          subject: a.subject,
          breaches: a.evidence.breaches,
        });
        break;
      case 'resolve-degraded':
        await resolveIncident(c, a.incidentId);
        d.resolved.push({ id: a.incidentId, kind: 'degraded', subject: a.subject, zone: a.zone });
        break;
      case 'quarantine-standby':
        await change(a.ip, 'standby', 'quarantined', a.reason);
        await setOpenListingsAction(c, a.ip, a.note);
        break;
      case 'swap':
        await change(a.ip, 'active', 'quarantined', a.quarantineReason);
        await change(a.standby, 'standby', 'active', a.activateReason);
        await setOpenListingsAction(c, a.ip, a.note);
        break;
      case 'stop':
        await change(a.ip, 'active', 'quarantined', a.reason);
        await setOpenListingsAction(c, a.ip, a.note);
        break;
      case 'alert-only':
      case 'keep-sending':
        await setOpenListingsAction(c, a.ip, a.note);
        break;
      case 'return-to-standby':
        await change(a.ip, 'quarantined', 'standby', a.reason);
        break;
      case 'save-subject-scan':
        await saveSubjectScan(c, { subject: a.subject, kind: a.kind, scanId, results: a.results, state: a.state });
        break;
    }
  }
  return { decisions: d, events };
}
