import type { Queryable } from './pool.js';
import { newId } from '../ids.js';
import type { AlertIncident, AlertLog } from '../domain/reputation/alerts.js';
import type { LookupKind } from '../domain/reputation/dnsbl.js';
import type { SignalCounts } from '../domain/reputation/own-signals.js';

// Reputation incidents (listed / degraded) with their evidence, the alert emails sent for them, each subject's last
// scan, and ops warnings (a blocklist refusing our queries).

export type IncidentKind = 'listed' | 'degraded';
export interface IncidentRow extends AlertIncident {
  cleanScans: number;
  lastScanId: string | null;
}

const columns =
  'id, kind, subject, subject_kind, zone, reason, evidence, action, pool, opened_at, resolved_at, clean_scans, last_scan_id';
const toRow = (r: Record<string, unknown>): IncidentRow => ({
  id: r.id as string,
  kind: r.kind as IncidentKind,
  subject: r.subject as string,
  subjectKind: r.subject_kind as LookupKind,
  zone: r.zone as string,
  reason: r.reason as string,
  evidence: r.evidence as Record<string, unknown>,
  action: r.action as string | null,
  pool: r.pool as string | null,
  openedAt: r.opened_at as Date,
  resolvedAt: r.resolved_at as Date | null,
  cleanScans: r.clean_scans as number,
  lastScanId: r.last_scan_id as string | null,
});

export async function findOpenIncident(
  db: Queryable,
  kind: IncidentKind,
  subject: string,
  zone: string,
): Promise<IncidentRow | undefined> {
  const { rows } = await db.query(
    `SELECT ${columns} FROM reputation_incidents WHERE kind = $1 AND subject = $2 AND zone = $3 AND resolved_at IS NULL`,
    [kind, subject, zone],
  );
  return rows[0] ? toRow(rows[0]) : undefined;
}

/** Opens an incident unless one is open for (kind, subject, zone); `created` says which. */
export async function openIncident(
  db: Queryable,
  i: {
    kind: IncidentKind;
    subject: string;
    subjectKind: LookupKind;
    zone: string;
    reason: string;
    evidence: Record<string, unknown>;
    pool: string | null;
    scanId: string;
  },
): Promise<{ incident: IncidentRow; created: boolean }> {
  const { rows } = await db.query(
    // clock_timestamp(), not now(): incidents opened in one scan's transaction keep the order they were opened in.
    `INSERT INTO reputation_incidents (id, kind, subject, subject_kind, zone, reason, evidence, pool, last_scan_id, opened_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, clock_timestamp())
     ON CONFLICT (kind, subject, zone) WHERE resolved_at IS NULL DO NOTHING RETURNING ${columns}`,
    [newId('inc'), i.kind, i.subject, i.subjectKind, i.zone, i.reason, JSON.stringify(i.evidence), i.pool, i.scanId],
  );
  if (rows[0]) return { incident: toRow(rows[0]), created: true };
  const existing = await findOpenIncident(db, i.kind, i.subject, i.zone);
  if (!existing) throw new Error(`incident for ${i.kind} ${i.subject} ${i.zone} neither inserted nor found`);
  return { incident: existing, created: false };
}

/** Listed again: the clean-scan count starts over (latest evidence kept). */
export async function markStillListed(
  db: Queryable,
  id: string,
  scanId: string,
  evidence: Record<string, unknown>,
): Promise<void> {
  await db.query('UPDATE reputation_incidents SET clean_scans = 0, last_scan_id = $2, evidence = $3 WHERE id = $1', [
    id,
    scanId,
    JSON.stringify(evidence),
  ]);
}

/**
 * Records one more clean scan as decided (the new count, and whether it resolves the incident), once per scan: a
 * retried scan finds last_scan_id already set and changes nothing. Returns the incident after; undefined = no change.
 */
export async function countCleanScan(
  db: Queryable,
  id: string,
  scanId: string,
  next: { cleanScans: number; resolve: boolean },
): Promise<IncidentRow | undefined> {
  const { rows } = await db.query(
    `UPDATE reputation_incidents SET clean_scans = $3, last_scan_id = $2, resolved_at = CASE WHEN $4 THEN now() ELSE NULL END
      WHERE id = $1 AND resolved_at IS NULL AND last_scan_id IS DISTINCT FROM $2 RETURNING ${columns}`,
    [id, scanId, next.cleanScans, next.resolve],
  );
  return rows[0] ? toRow(rows[0]) : undefined;
}

export async function resolveIncident(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE reputation_incidents SET resolved_at = now() WHERE id = $1 AND resolved_at IS NULL', [id]);
}

/** Records what was done with a listed IP on each of its open listings (those saying something else). */
export async function setOpenListingsAction(db: Queryable, ip: string, action: string): Promise<void> {
  await db.query(
    `UPDATE reputation_incidents SET action = $2
      WHERE kind = 'listed' AND subject_kind = 'ip' AND subject = $1 AND resolved_at IS NULL AND action IS DISTINCT FROM $2`,
    [ip, action],
  );
}

export async function openIncidents(db: Queryable, kind?: IncidentKind): Promise<IncidentRow[]> {
  const { rows } = await db.query(
    `SELECT ${columns} FROM reputation_incidents WHERE resolved_at IS NULL AND ($1::text IS NULL OR kind = $1) ORDER BY opened_at, id`,
    [kind ?? null],
  );
  return rows.map(toRow);
}

export interface IncidentFilter {
  subject?: string;
  kind?: IncidentKind;
  open?: boolean;
}

export async function listIncidents(db: Queryable, f: IncidentFilter = {}): Promise<IncidentRow[]> {
  const { rows } = await db.query(
    `SELECT ${columns} FROM reputation_incidents
      WHERE ($1::text IS NULL OR subject = $1) AND ($2::text IS NULL OR kind = $2)
        AND ($3::boolean IS NULL OR (resolved_at IS NULL) = $3)
      ORDER BY opened_at DESC, id DESC LIMIT 500`,
    [f.subject ?? null, f.kind ?? null, f.open ?? null],
  );
  return rows.map(toRow);
}

export async function getIncident(db: Queryable, id: string): Promise<IncidentRow | undefined> {
  const { rows } = await db.query(`SELECT ${columns} FROM reputation_incidents WHERE id = $1`, [id]);
  return rows[0] ? toRow(rows[0]) : undefined;
}

/** Incidents that may need an alert: open ones, and resolved ones whose "resolved" email has not gone. */
export async function incidentsForAlerts(db: Queryable): Promise<Array<{ incident: IncidentRow; log: AlertLog }>> {
  const { rows } = await db.query(
    `SELECT ${columns
      .split(', ')
      .map((c) => `i.${c}`)
      .join(', ')},
            bool_or(a.kind = 'opened') AS opened_sent, bool_or(a.kind = 'resolved') AS resolved_sent,
            max(a.sent_at) AS last_sent_at, coalesce(max(a.seq) FILTER (WHERE a.kind = 'reminder'), 0) AS reminders
       FROM reputation_incidents i LEFT JOIN reputation_alerts a ON a.incident_id = i.id
      WHERE i.resolved_at IS NULL OR NOT EXISTS (SELECT 1 FROM reputation_alerts r WHERE r.incident_id = i.id AND r.kind = 'resolved')
      GROUP BY i.id ORDER BY i.opened_at, i.id`,
  );
  return rows.map((r) => ({
    incident: toRow(r),
    log: {
      openedSent: r.opened_sent === true,
      resolvedSent: r.resolved_sent === true,
      lastSentAt: r.last_sent_at as Date | null,
      reminders: Number(r.reminders),
    },
  }));
}

/** Claims an alert slot; returns the message id to use (a new one, or the one a previous try stored). */
export async function claimAlert(
  db: Queryable,
  a: { incidentId: string; kind: string; seq: number; messageId: string; sentAt: Date },
): Promise<{ messageId: string; fresh: boolean }> {
  const { rows } = await db.query(
    `INSERT INTO reputation_alerts (incident_id, kind, seq, message_id, sent_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (incident_id, kind, seq) DO NOTHING RETURNING message_id`,
    [a.incidentId, a.kind, a.seq, a.messageId, a.sentAt],
  );
  if (rows[0]) return { messageId: rows[0].message_id, fresh: true };
  const found = await db.query(
    'SELECT message_id FROM reputation_alerts WHERE incident_id = $1 AND kind = $2 AND seq = $3',
    [a.incidentId, a.kind, a.seq],
  );
  return { messageId: found.rows[0].message_id, fresh: false };
}

export async function alertsOf(
  db: Queryable,
  incidentId: string,
): Promise<Array<{ kind: string; seq: number; messageId: string; sentAt: Date }>> {
  const { rows } = await db.query(
    'SELECT kind, seq, message_id, sent_at FROM reputation_alerts WHERE incident_id = $1 ORDER BY sent_at, seq',
    [incidentId],
  );
  return rows.map((r) => ({ kind: r.kind, seq: r.seq, messageId: r.message_id, sentAt: r.sent_at }));
}

export async function saveSubjectScan(
  db: Queryable,
  s: {
    subject: string;
    kind: LookupKind;
    state: 'clean' | 'listed' | 'degraded' | 'unknown';
    scanId: string;
    results: unknown;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO reputation_subjects (subject, subject_kind, state, last_scan_at, last_scan_id, results) VALUES ($1, $2, $3, now(), $4, $5)
     ON CONFLICT (subject) DO UPDATE SET state = EXCLUDED.state, last_scan_at = EXCLUDED.last_scan_at, last_scan_id = EXCLUDED.last_scan_id, results = EXCLUDED.results`,
    [s.subject, s.kind, s.state, s.scanId, JSON.stringify(s.results)],
  );
}

/** Records an ops warning once per (scan, zone); true when it is new. */
export async function recordWarning(
  db: Queryable,
  w: { scanId: string; zone: string; codes: string[]; why: string; subjects: string[] },
): Promise<boolean> {
  const { rowCount } = await db.query(
    'INSERT INTO reputation_warnings (scan_id, zone, codes, why, subjects) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (scan_id, zone) DO NOTHING',
    [w.scanId, w.zone, w.codes, w.why, w.subjects],
  );
  return rowCount === 1;
}

export async function listWarnings(
  db: Queryable,
  limit = 100,
): Promise<Array<{ scanId: string; zone: string; codes: string[]; why: string; subjects: string[]; at: Date }>> {
  const { rows } = await db.query(
    'SELECT scan_id, zone, codes, why, subjects, at FROM reputation_warnings ORDER BY id DESC LIMIT $1',
    [limit],
  );
  return rows.map((r) => ({
    scanId: r.scan_id,
    zone: r.zone,
    codes: r.codes,
    why: r.why,
    subjects: r.subjects,
    at: r.at,
  }));
}

export interface IpReputation {
  state: 'clean' | 'listed' | 'degraded' | 'unknown' | 'not scanned';
  lastScanAt: Date | null;
  listings: Array<{
    incidentId: string;
    kind: IncidentKind;
    zone: string;
    reason: string;
    openedAt: Date;
    resolvedAt: Date | null;
  }>;
}

/** Reputation state, last scan and listing history of each given IP (for GET /v1/ips). */
export async function reputationOfSubjects(db: Queryable, subjects: string[]): Promise<Map<string, IpReputation>> {
  const out = new Map<string, IpReputation>(
    subjects.map((s) => [s, { state: 'not scanned', lastScanAt: null, listings: [] }]),
  );
  if (subjects.length === 0) return out;
  const scans = await db.query('SELECT subject, state, last_scan_at FROM reputation_subjects WHERE subject = ANY($1)', [
    subjects,
  ]);
  for (const r of scans.rows) Object.assign(out.get(r.subject)!, { state: r.state, lastScanAt: r.last_scan_at });
  const inc = await db.query(
    'SELECT id, subject, kind, zone, reason, opened_at, resolved_at FROM reputation_incidents WHERE subject = ANY($1) ORDER BY opened_at DESC, id DESC',
    [subjects],
  );
  for (const r of inc.rows)
    out.get(r.subject)!.listings.push({
      incidentId: r.id,
      kind: r.kind,
      zone: r.zone,
      reason: r.reason,
      openedAt: r.opened_at,
      resolvedAt: r.resolved_at,
    });
  return out;
}

/**
 * The service's own signals over the window, per sending IP (data.sourceIp of each relay report) and per sender
 * domain (the message's MAIL FROM domain): final outcomes, deferrals, complaints, and replies naming a block.
 */
export async function ownSignalCounts(
  db: Queryable,
  windowMs: number,
  blockPattern: string,
): Promise<Array<{ subject: string; kind: LookupKind; counts: SignalCounts }>> {
  const { rows } = await db.query(
    `WITH ev AS (
       SELECT e.type, e.data->>'sourceIp' AS ip, lower(split_part(m.mail_from, '@', 2)) AS domain, e.data->>'response' AS response
         FROM message_events e JOIN messages m ON m.id = e.message_id
        WHERE e.at > now() - make_interval(secs => $1::double precision / 1000)
          AND e.type IN ('delivered', 'bounced', 'failed', 'deferred', 'complained', 'complaint')
     ), per AS (
       SELECT 'ip' AS kind, ip AS subject, type, response FROM ev WHERE ip IS NOT NULL
       UNION ALL
       SELECT 'domain', domain, type, response FROM ev WHERE domain <> ''
     )
     SELECT kind, subject,
            count(*) FILTER (WHERE type = 'delivered')::int AS delivered,
            count(*) FILTER (WHERE type = 'bounced')::int AS bounced,
            count(*) FILTER (WHERE type = 'failed')::int AS failed,
            count(*) FILTER (WHERE type = 'deferred')::int AS deferred,
            count(*) FILTER (WHERE type IN ('complained', 'complaint'))::int AS complaints,
            count(*) FILTER (WHERE type IN ('bounced', 'deferred', 'failed') AND response ~* $2)::int AS block_replies,
            (array_agg(response) FILTER (WHERE type IN ('bounced', 'deferred', 'failed') AND response ~* $2))[1:3] AS samples
       FROM per GROUP BY kind, subject ORDER BY kind, subject`,
    [windowMs, blockPattern],
  );
  return rows.map((r) => ({
    subject: r.subject,
    kind: r.kind,
    counts: {
      delivered: r.delivered,
      bounced: r.bounced,
      failed: r.failed,
      deferred: r.deferred,
      complaints: r.complaints,
      blockReplies: r.block_replies,
      sampleReplies: r.samples ?? [],
    },
  }));
}
