import { advisoryLocks } from './advisory-locks.js';
import type pg from 'pg';
import { newId } from '../ids.js';
import { inTransaction, type Queryable } from './pool.js';
import type { RoutingRule, RuleMatch } from '../domain/mde/routing-rules.js';

// Routing rules of the MDE. Every write runs under one advisory transaction lock (withMdeLock), so concurrent
// creates, edits, reorders and group deletions are serialised: each sees the rule set the previous one left.

const MDE_LOCK_KEY = advisoryLocks.mdeRules;

export interface RuleRecord extends RoutingRule {
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}
export interface RuleFields {
  priority: number;
  match: RuleMatch;
  pool: string;
  description: string | null;
}

export async function withMdeLock<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [MDE_LOCK_KEY]);
    return fn(c);
  });
}

const columns = 'id, priority, version, match, pool, description, created_at, updated_at';
const toRecord = (r: Record<string, unknown>): RuleRecord => ({
  id: r.id as string,
  priority: r.priority as number,
  version: r.version as number,
  match: r.match as RuleMatch,
  pool: r.pool as string,
  description: (r.description as string | null) ?? null,
  createdAt: r.created_at as Date,
  updatedAt: r.updated_at as Date,
});

/** In evaluation order: priority, then id (as orderRules). */
export async function listRuleRecords(db: Queryable): Promise<RuleRecord[]> {
  const { rows } = await db.query(`SELECT ${columns} FROM mde_rules ORDER BY priority, id COLLATE "C"`);
  return rows.map(toRecord);
}

export async function getRuleRecord(db: Queryable, id: string, forUpdate = false): Promise<RuleRecord | undefined> {
  const { rows } = await db.query(`SELECT ${columns} FROM mde_rules WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [
    id,
  ]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

export async function insertRule(db: Queryable, f: RuleFields): Promise<RuleRecord> {
  const { rows } = await db.query(
    `INSERT INTO mde_rules (id, priority, match, pool, description) VALUES ($1, $2, $3, $4, $5) RETURNING ${columns}`,
    [newId('rule'), f.priority, JSON.stringify(f.match), f.pool, f.description],
  );
  return toRecord(rows[0]);
}

/** Replaces a rule's fields and counts one more version. */
export async function updateRule(db: Queryable, id: string, f: RuleFields): Promise<RuleRecord | undefined> {
  const { rows } = await db.query(
    `UPDATE mde_rules SET priority = $2, match = $3, pool = $4, description = $5, version = version + 1, updated_at = now()
      WHERE id = $1 RETURNING ${columns}`,
    [id, f.priority, JSON.stringify(f.match), f.pool, f.description],
  );
  return rows[0] ? toRecord(rows[0]) : undefined;
}

export async function deleteRule(db: Queryable, id: string): Promise<boolean> {
  return ((await db.query('DELETE FROM mde_rules WHERE id = $1', [id])).rowCount ?? 0) > 0;
}

/** Priorities 10, 20, 30… in the given order; a rule whose priority changes counts one more version. */
export async function assignPriorities(db: Queryable, ids: readonly string[]): Promise<void> {
  await db.query(
    `UPDATE mde_rules r SET priority = t.ord * 10, version = r.version + 1, updated_at = now()
       FROM unnest($1::text[]) WITH ORDINALITY AS t(id, ord)
      WHERE r.id = t.id AND r.priority <> t.ord * 10`,
    [ids],
  );
}

/** Rules whose match names a domain group (as `group:<name>`). */
export async function rulesUsingGroup(db: Queryable, group: string): Promise<string[]> {
  const ref = `group:${group.toLowerCase()}`;
  const { rows } = await db.query(
    "SELECT id FROM mde_rules WHERE lower(match->>'senderDomain') = $1 OR lower(match->>'recipientDomain') = $1 ORDER BY priority, id",
    [ref],
  );
  return rows.map((r) => r.id as string);
}

export async function anyRuleExists(db: Queryable): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM mde_rules LIMIT 1');
  return rows.length > 0;
}

/** The catch-all rule `rule_default` (empty match, last by priority) → the given pool; nothing when it exists. */
export async function insertCatchAllRule(db: Queryable, pool: string): Promise<void> {
  await db.query(
    `INSERT INTO mde_rules (id, priority, match, pool, description) VALUES ('rule_default', 1000000, '{}', $1, 'catch-all: everything else') ON CONFLICT (id) DO NOTHING`,
    [pool],
  );
}
