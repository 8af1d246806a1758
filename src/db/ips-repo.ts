import pg from 'pg';
import { countsOf, lastHourOutcomesSql, type OutcomeCounts } from './last-hour-outcomes.js';
import { inTransaction, type Queryable } from './pool.js';
import type { IpState } from '../domain/mde/routing-rules.js';

// The MDE's sending IPs (each hosted by one relay) and the audit of every change to them (ip_changes).

export const ipStates = ['active', 'standby', 'quarantined', 'retired'] as const satisfies readonly IpState[];

export interface IpRecord {
  ip: string;
  pool: string;
  relayId: string;
  state: IpState;
  weight: number;
  createdAt: Date;
  updatedAt: Date;
}
export interface IpView extends IpRecord {
  relayHealthy: boolean;
  lastHour: OutcomeCounts;
}
export interface IpChangeRow {
  actor: string;
  fromState: string | null;
  toState: string | null;
  fromPool: string | null;
  toPool: string | null;
  reason: string | null;
  at: Date;
}
export interface IpChange {
  state?: IpState;
  pool?: string;
  weight?: number;
}

const columns = 'ip, pool, relay_id, state, weight, created_at, updated_at';
const toRecord = (r: Record<string, unknown>): IpRecord => ({
  ip: r.ip as string,
  pool: r.pool as string,
  relayId: r.relay_id as string,
  state: r.state as IpState,
  weight: r.weight as number,
  createdAt: r.created_at as Date,
  updatedAt: r.updated_at as Date,
});

/** Runs fn in a transaction of its own when given a pool; on a client it runs in the caller's transaction. */
async function transactional<T>(db: pg.Pool | pg.PoolClient, fn: (c: Queryable) => Promise<T>): Promise<T> {
  return db instanceof pg.Pool ? inTransaction(db, fn) : fn(db);
}

async function audit(
  db: Queryable,
  ip: string,
  actor: string,
  from: { state: string | null; pool: string | null },
  to: { state: string | null; pool: string | null },
  reason: string | null,
): Promise<void> {
  await db.query(
    'INSERT INTO ip_changes (ip, actor, from_state, to_state, from_pool, to_pool, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [ip, actor, from.state, to.state, from.pool, to.pool, reason],
  );
}

/** Registers an IP (audited as a change from nothing). undefined = the IP exists already. */
export async function insertIp(
  db: pg.Pool,
  ip: Omit<IpRecord, 'createdAt' | 'updatedAt'>,
  actor: string,
  reason: string | null,
): Promise<IpRecord | undefined> {
  return inTransaction(db, async (c) => {
    const { rows } = await c.query(
      `INSERT INTO ips (ip, pool, relay_id, state, weight) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (ip) DO NOTHING RETURNING ${columns}`,
      [ip.ip, ip.pool, ip.relayId, ip.state, ip.weight],
    );
    if (!rows[0]) return undefined;
    await audit(c, ip.ip, actor, { state: null, pool: null }, { state: ip.state, pool: ip.pool }, reason);
    return toRecord(rows[0]);
  });
}

export async function getIp(db: Queryable, ip: string): Promise<IpRecord | undefined> {
  const { rows } = await db.query(`SELECT ${columns} FROM ips WHERE ip = $1`, [ip]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/**
 * Changes an IP's state, pool and/or weight and audits it (actor: an API key id, 'system', 'reputation-scan'), in one
 * transaction with the row locked. A change that changes nothing is not audited. A weight change has no columns of
 * its own in ip_changes, so it is noted in the reason. Returns the record after the change; undefined = unknown IP.
 */
export async function changeIp(
  db: pg.Pool | pg.PoolClient,
  ip: string,
  change: IpChange,
  actor: string,
  reason: string,
): Promise<IpRecord | undefined> {
  return transactional(db, async (c) => {
    const { rows } = await c.query(`SELECT ${columns} FROM ips WHERE ip = $1 FOR UPDATE`, [ip]);
    if (!rows[0]) return undefined;
    const before = toRecord(rows[0]);
    const after = {
      state: change.state ?? before.state,
      pool: change.pool ?? before.pool,
      weight: change.weight ?? before.weight,
    };
    if (after.state === before.state && after.pool === before.pool && after.weight === before.weight) return before;
    const updated = await c.query(
      `UPDATE ips SET state = $2, pool = $3, weight = $4, updated_at = now() WHERE ip = $1 RETURNING ${columns}`,
      [ip, after.state, after.pool, after.weight],
    );
    const weightNote = after.weight !== before.weight ? `weight ${before.weight} → ${after.weight}` : '';
    const text = [reason.trim(), weightNote].filter((s) => s !== '').join('; ');
    await audit(c, ip, actor, before, after, text === '' ? null : text);
    return toRecord(updated.rows[0]);
  });
}

export type DeleteIpResult =
  | { deleted: true }
  | { deleted: false; reason: 'not_found' }
  | { deleted: false; reason: 'not_retired'; state: IpState };

/** Only a retired IP may be deleted; its audit history stays, ending with the deletion. */
export async function deleteIp(db: pg.Pool, ip: string, actor: string): Promise<DeleteIpResult> {
  return inTransaction(db, async (c) => {
    const { rows } = await c.query(`SELECT ${columns} FROM ips WHERE ip = $1 FOR UPDATE`, [ip]);
    if (!rows[0]) return { deleted: false, reason: 'not_found' } as const;
    const rec = toRecord(rows[0]);
    if (rec.state !== 'retired') return { deleted: false, reason: 'not_retired', state: rec.state } as const;
    await c.query('DELETE FROM ips WHERE ip = $1', [ip]);
    await audit(c, ip, actor, rec, { state: null, pool: null }, 'deleted');
    return { deleted: true } as const;
  });
}

/**
 * Every IP's pool and state, ordered by address, locked until the caller's transaction ends: the reputation scan
 * decides on exactly the states it then changes (an operator's change waits for the scan, or the scan for it).
 */
export async function lockIpStates(db: pg.PoolClient): Promise<Array<Pick<IpRecord, 'ip' | 'pool' | 'state'>>> {
  const { rows } = await db.query('SELECT ip, pool, state FROM ips ORDER BY ip FOR UPDATE');
  return rows.map((r) => ({ ip: r.ip as string, pool: r.pool as string, state: r.state as IpState }));
}

/** The latest audited change of each given IP (who made it, to which state). */
export async function lastChangesOf(
  db: Queryable,
  ips: string[],
): Promise<Map<string, { actor: string; toState: string | null }>> {
  if (ips.length === 0) return new Map();
  const { rows } = await db.query(
    'SELECT DISTINCT ON (ip) ip, actor, to_state FROM ip_changes WHERE ip = ANY($1) ORDER BY ip, id DESC',
    [ips],
  );
  return new Map(rows.map((r) => [r.ip as string, { actor: r.actor as string, toState: r.to_state as string | null }]));
}

export async function ipHistory(db: Queryable, ip: string): Promise<IpChangeRow[]> {
  const { rows } = await db.query(
    'SELECT actor, from_state, to_state, from_pool, to_pool, reason, at FROM ip_changes WHERE ip = $1 ORDER BY id',
    [ip],
  );
  return rows.map((r) => ({
    actor: r.actor,
    fromState: r.from_state,
    toState: r.to_state,
    fromPool: r.from_pool,
    toPool: r.to_pool,
    reason: r.reason,
    at: r.at,
  }));
}

export interface IpFilter {
  ip?: string;
  pool?: string;
  relayId?: string;
  state?: IpState;
}

export async function listIpViews(db: Queryable, f: IpFilter = {}): Promise<IpView[]> {
  const { rows } = await db.query(
    `WITH h AS (${lastHourOutcomesSql('sourceIp')})
     SELECT i.ip, i.pool, i.relay_id, i.state, i.weight, i.created_at, i.updated_at, r.healthy, h.delivered, h.deferred, h.bounced, h.failed
       FROM ips i JOIN relays r ON r.id = i.relay_id LEFT JOIN h ON h.key = i.ip
      WHERE ($1::text IS NULL OR i.ip = $1) AND ($2::text IS NULL OR i.pool = $2)
        AND ($3::text IS NULL OR i.relay_id = $3) AND ($4::text IS NULL OR i.state = $4)
      ORDER BY i.pool, i.ip`,
    [f.ip ?? null, f.pool ?? null, f.relayId ?? null, f.state ?? null],
  );
  return rows.map((r) => ({ ...toRecord(r), relayHealthy: r.healthy, lastHour: countsOf(r) }));
}

/** The addresses of the IPs in any of the given states, in order. */
export async function listIpAddressesInStates(db: Queryable, states: readonly IpState[]): Promise<string[]> {
  const { rows } = await db.query('SELECT ip FROM ips WHERE state = ANY($1::text[]) ORDER BY ip', [states]);
  return rows.map((r) => r.ip as string);
}
