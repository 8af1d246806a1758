import type { Queryable } from './pool.js';
import type { DomainGroup, IpCandidate, IpState, RoutingRule } from '../domain/mde/routing-rules.js';

// What one routing decision reads: rules (with their pool's account restriction) and groups (cached per process, reloaded when the mde_config counter moves,
// which database triggers bump on every change) and the IPs with their relays' health (read each time: they change
// with every poll, and 200 rows cost less than a round trip).

export interface RoutingSnapshot {
  configVersion: number;
  rules: RoutingRule[];
  groups: DomainGroup[];
  ips: IpCandidate[];
}

/** The rules, each with the accounts its pool is reserved for (empty = open to all), so a decision needs no join. */
export async function loadRules(db: Queryable): Promise<RoutingRule[]> {
  const { rows } = await db.query(
    `SELECT r.id, r.priority, r.version, r.match, r.pool, p.accounts
       FROM mde_rules r JOIN ip_pools p ON p.name = r.pool ORDER BY r.priority, r.id`,
  );
  return rows.map((r) => ({
    id: r.id,
    priority: r.priority,
    version: r.version,
    match: r.match,
    pool: r.pool,
    ...((r.accounts as string[]).length > 0 ? { poolAccounts: r.accounts as string[] } : {}),
  }));
}

export async function loadGroups(db: Queryable): Promise<DomainGroup[]> {
  const { rows } = await db.query('SELECT name, domains FROM domain_groups ORDER BY name');
  return rows.map((r) => ({ name: r.name, domains: r.domains }));
}

export async function loadIpCandidates(db: Queryable): Promise<IpCandidate[]> {
  const { rows } = await db.query(
    `SELECT i.ip, i.pool, i.relay_id, i.state, i.weight, r.healthy
       FROM ips i JOIN relays r ON r.id = i.relay_id ORDER BY i.ip`,
  );
  return rows.map((r) => ({
    ip: r.ip,
    pool: r.pool,
    relayId: r.relay_id,
    state: r.state as IpState,
    weight: r.weight,
    relayHealthy: r.healthy,
  }));
}

/** A per-process cache of the rule set; `load` costs one single-row query when nothing changed. */
export function createRoutingSnapshotLoader(): (db: Queryable) => Promise<RoutingSnapshot> {
  let cached: { version: number; rules: RoutingRule[]; groups: DomainGroup[] } | undefined;
  return async (db) => {
    const { rows } = await db.query('SELECT version FROM mde_config');
    const version = Number(rows[0]?.version ?? 0);
    if (!cached || cached.version !== version) {
      const [rules, groups] = await Promise.all([loadRules(db), loadGroups(db)]);
      cached = { version, rules, groups };
    }
    return { configVersion: version, rules: cached.rules, groups: cached.groups, ips: await loadIpCandidates(db) };
  };
}
