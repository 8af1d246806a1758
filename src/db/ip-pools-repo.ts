import type { Queryable } from './pool.js';
import {
  listedWithoutStandbyPolicies,
  type ListedWithoutStandbyPolicy,
} from '../domain/reputation/decide-scan-actions.js';

// IP pools of the Mail Distribution Engine and how many of their IPs are in each state.

export interface IpStateCounts {
  active: number;
  standby: number;
  quarantined: number;
  retired: number;
}
/** What the reputation scan does when a listed active IP of the pool has no standby to swap in (defined by the decision). */
export { listedWithoutStandbyPolicies, type ListedWithoutStandbyPolicy };
export interface IpPoolRecord {
  name: string;
  description: string | null;
  onListedWithoutStandby: ListedWithoutStandbyPolicy;
  /** The accounts the pool is reserved for; empty = open to every account. */
  accounts: string[];
  createdAt: Date;
  ips: IpStateCounts;
}

const select = `
  SELECT p.name, p.description, p.on_listed_without_standby, p.accounts, p.created_at,
         count(i.ip) FILTER (WHERE i.state = 'active')::int AS active,
         count(i.ip) FILTER (WHERE i.state = 'standby')::int AS standby,
         count(i.ip) FILTER (WHERE i.state = 'quarantined')::int AS quarantined,
         count(i.ip) FILTER (WHERE i.state = 'retired')::int AS retired
    FROM ip_pools p LEFT JOIN ips i ON i.pool = p.name`;

const toRecord = (r: Record<string, unknown>): IpPoolRecord => ({
  name: r.name as string,
  description: (r.description as string | null) ?? null,
  onListedWithoutStandby: r.on_listed_without_standby as ListedWithoutStandbyPolicy,
  accounts: r.accounts as string[],
  createdAt: r.created_at as Date,
  ips: {
    active: r.active as number,
    standby: r.standby as number,
    quarantined: r.quarantined as number,
    retired: r.retired as number,
  },
});

/** undefined = a pool of that name exists already. */
export async function insertIpPool(
  db: Queryable,
  name: string,
  description: string | null,
  onListedWithoutStandby: ListedWithoutStandbyPolicy = 'keep-sending',
  accounts: readonly string[] = [],
): Promise<IpPoolRecord | undefined> {
  const r = await db.query(
    'INSERT INTO ip_pools (name, description, on_listed_without_standby, accounts) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING',
    [name, description, onListedWithoutStandby, [...accounts]],
  );
  return (r.rowCount ?? 0) > 0 ? getIpPool(db, name) : undefined;
}

/** Changes a pool's settings (undefined = unchanged); undefined when there is no such pool. */
export async function updateIpPool(
  db: Queryable,
  name: string,
  p: { description?: string | null; onListedWithoutStandby?: ListedWithoutStandbyPolicy; accounts?: readonly string[] },
): Promise<IpPoolRecord | undefined> {
  const r = await db.query(
    `UPDATE ip_pools SET description = CASE WHEN $2 THEN $3 ELSE description END, on_listed_without_standby = COALESCE($4, on_listed_without_standby),
            accounts = COALESCE($5, accounts)
      WHERE name = $1`,
    [
      name,
      p.description !== undefined,
      p.description ?? null,
      p.onListedWithoutStandby ?? null,
      p.accounts ? [...p.accounts] : null,
    ],
  );
  return (r.rowCount ?? 0) > 0 ? getIpPool(db, name) : undefined;
}

/** Each pool's policy for a listed active IP without a standby. */
export async function listedWithoutStandbyPoliciesByPool(
  db: Queryable,
): Promise<Map<string, ListedWithoutStandbyPolicy>> {
  const { rows } = await db.query('SELECT name, on_listed_without_standby FROM ip_pools');
  return new Map(rows.map((r) => [r.name as string, r.on_listed_without_standby as ListedWithoutStandbyPolicy]));
}

export async function listIpPools(db: Queryable): Promise<IpPoolRecord[]> {
  const { rows } = await db.query(`${select} GROUP BY p.name ORDER BY p.name`);
  return rows.map(toRecord);
}

export async function getIpPool(db: Queryable, name: string): Promise<IpPoolRecord | undefined> {
  const { rows } = await db.query(`${select} WHERE p.name = $1 GROUP BY p.name`, [name]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/** Those of `ids` that are not accounts (a pool can only be reserved for accounts that exist). */
export async function unknownAccounts(db: Queryable, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query('SELECT id FROM accounts WHERE id = ANY($1::text[])', [[...ids]]);
  const known = new Set(rows.map((r) => r.id as string));
  return ids.filter((id) => !known.has(id));
}

export async function ipPoolNames(db: Queryable): Promise<Set<string>> {
  const { rows } = await db.query('SELECT name FROM ip_pools');
  return new Set(rows.map((r) => r.name as string));
}

export type DeletePoolResult =
  | { deleted: true }
  | { deleted: false; reason: 'not_found' }
  | { deleted: false; reason: 'in_use'; ips: number; rules: number };

/**
 * Deletes a pool nothing refers to. The foreign keys of ips and mde_rules are the final guard: a reference created
 * between the check and the delete makes the delete fail (23503), reported as in use.
 */
export async function deleteIpPool(db: Queryable, name: string): Promise<DeletePoolResult> {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM ips WHERE pool = $1)::int AS ips, (SELECT count(*) FROM mde_rules WHERE pool = $1)::int AS rules,
            EXISTS (SELECT 1 FROM ip_pools WHERE name = $1) AS found`,
    [name],
  );
  const r = rows[0];
  if (!r.found) return { deleted: false, reason: 'not_found' };
  if (r.ips > 0 || r.rules > 0) return { deleted: false, reason: 'in_use', ips: r.ips, rules: r.rules };
  try {
    const del = await db.query('DELETE FROM ip_pools WHERE name = $1', [name]);
    return (del.rowCount ?? 0) > 0 ? { deleted: true } : { deleted: false, reason: 'not_found' };
  } catch (err) {
    if ((err as { code?: string }).code === '23503') return deleteIpPool(db, name);
    throw err;
  }
}
