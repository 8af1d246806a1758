import { blocklistQueryName, type LookupKind } from './dnsbl.js';

// Alert emails for reputation incidents as pure logic: when one is due (one per incident, a reminder at most every
// interval, one "resolved"), and what it says (what is listed where, since when, what was done, the lookup to repeat).

export interface AlertIncident {
  id: string;
  kind: 'listed' | 'degraded';
  subject: string;
  subjectKind: LookupKind;
  zone: string;
  reason: string;
  evidence: Record<string, unknown>;
  action: string | null;
  pool: string | null;
  openedAt: Date;
  resolvedAt: Date | null;
}

export interface AlertLog {
  openedSent: boolean;
  lastSentAt: Date | null;
  reminders: number;
  resolvedSent: boolean;
}

export type AlertDue = { kind: 'opened' | 'resolved'; seq: 0 } | { kind: 'reminder'; seq: number } | undefined;

/** Which alert an incident needs now, if any. A resolved incident whose opening alert never went gets only "resolved". */
export function alertDue(
  i: Pick<AlertIncident, 'resolvedAt'>,
  log: AlertLog,
  nowMs: number,
  remindIntervalMs: number,
): AlertDue {
  if (i.resolvedAt) return log.resolvedSent || !log.openedSent ? undefined : { kind: 'resolved', seq: 0 };
  if (!log.openedSent) return { kind: 'opened', seq: 0 };
  if (log.lastSentAt && nowMs - log.lastSentAt.getTime() >= remindIntervalMs)
    return { kind: 'reminder', seq: log.reminders + 1 };
  return undefined;
}

/** The command an operator can paste to repeat the lookup. */
export function lookupToRepeat(
  i: Pick<AlertIncident, 'subject' | 'subjectKind' | 'zone' | 'kind'>,
): string | undefined {
  if (i.kind !== 'listed') return undefined;
  const name = blocklistQueryName(i.subject, i.zone, i.subjectKind);
  return `dig +short ${name} A; dig +short ${name} TXT`;
}

export interface AlertEmail {
  subject: string;
  text: string;
}

/**
 * What was done with a listed active IP whose pool has no standby, per the pool's `onListedWithoutStandby`. The text
 * starts with "NO STANDBY IP" (composeAlert makes such alerts loud); a stopped pool's says "STOPPED".
 */
export function noStandbyAction(
  pool: string,
  ip: string,
  policy: 'keep-sending' | 'stop',
  othersActive: boolean,
): string {
  if (policy === 'keep-sending')
    return `NO STANDBY IP in pool ${pool}: ${ip} stays ACTIVE and keeps sending while listed`;
  return othersActive
    ? `NO STANDBY IP in pool ${pool}: ${ip} quarantined (onListedWithoutStandby=stop); the pool sends only from its other active IP(s)`
    : `NO STANDBY IP in pool ${pool}: ${ip} quarantined and pool ${pool} STOPPED sending (onListedWithoutStandby=stop)`;
}

export function composeAlert(i: AlertIncident, due: NonNullable<AlertDue>, now: Date): AlertEmail {
  const what =
    i.kind === 'listed'
      ? `${i.subjectKind === 'ip' ? 'IP' : 'domain'} ${i.subject} is listed on ${i.zone}`
      : `${i.subjectKind === 'ip' ? 'IP' : 'sender domain'} ${i.subject} is degraded (own delivery signals)`;
  const tag = due.kind === 'opened' ? 'ALERT' : due.kind === 'reminder' ? `REMINDER ${due.seq}` : 'RESOLVED';
  const noStandby = i.action?.startsWith('NO STANDBY') ?? false;
  const stopped = noStandby && (i.action?.includes('STOPPED') ?? false);
  const quarantined = noStandby && (i.action?.includes('onListedWithoutStandby=stop') ?? false);
  const loud = stopped
    ? ' - NO STANDBY IP, POOL STOPPED SENDING'
    : quarantined
      ? ' - NO STANDBY IP, IP QUARANTINED'
      : ' - NO STANDBY IP, STILL SENDING';
  const subject = `[reputation ${tag}] ${due.kind === 'resolved' ? `${i.subject}: ${i.kind === 'listed' ? `no longer listed on ${i.zone}` : 'signals back to normal'}` : what}${noStandby && due.kind !== 'resolved' ? loud : ''}`;
  const lookup = lookupToRepeat(i);
  const lines = [
    due.kind === 'resolved'
      ? `RESOLVED: ${what} — cleared ${i.resolvedAt?.toISOString() ?? now.toISOString()}.`
      : `${what}.`,
    '',
    `Incident:     ${i.id} (${i.kind})`,
    `Subject:      ${i.subject}${i.pool ? ` (pool ${i.pool})` : ''}`,
    `Where:        ${i.zone}`,
    `Reason:       ${i.reason}`,
    `Since:        ${i.openedAt.toISOString()}`,
    `What was done: ${i.action ?? 'nothing automatic (alert only)'}`,
  ];
  if (noStandby && due.kind !== 'resolved') {
    lines.push(
      '',
      stopped
        ? `!!! Pool ${i.pool ?? '?'} has NO standby IP and is configured to stop: the listed IP is quarantined and the pool has STOPPED SENDING. Its messages wait (deferred) until it has a usable IP: add or activate one now. !!!`
        : quarantined
          ? `!!! Pool ${i.pool ?? '?'} has NO standby IP and is configured to stop: the listed IP is quarantined; the pool sends from its other active IP(s) only. Add a standby IP now. !!!`
          : `!!! Pool ${i.pool ?? '?'} has NO standby IP: the listed IP stays ACTIVE and keeps sending. Add or free a standby IP now. !!!`,
    );
  }
  if (lookup) lines.push('', 'Repeat the lookup:', `  ${lookup}`);
  lines.push(
    '',
    'Evidence:',
    ...JSON.stringify(i.evidence, null, 2)
      .split('\n')
      .map((l) => `  ${l}`),
  );
  return { subject, text: lines.join('\n') };
}
