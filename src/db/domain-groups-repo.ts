import type { Queryable } from './pool.js';

// Named domain groups (e.g. gmail = gmail.com, googlemail.com) that rules reference as `group:<name>`.

export interface DomainGroupRecord {
  name: string;
  domains: string[];
  updatedAt: Date;
}

const toRecord = (r: Record<string, unknown>): DomainGroupRecord => ({
  name: r.name as string,
  domains: r.domains as string[],
  updatedAt: r.updated_at as Date,
});

/** Creates or replaces a group; says whether it is new. */
export async function putDomainGroup(
  db: Queryable,
  name: string,
  domains: readonly string[],
): Promise<{ group: DomainGroupRecord; created: boolean }> {
  const { rows } = await db.query(
    `INSERT INTO domain_groups (name, domains) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET domains = EXCLUDED.domains, updated_at = now()
     RETURNING name, domains, updated_at, (xmax = 0) AS created`,
    [name, domains],
  );
  return { group: toRecord(rows[0]), created: rows[0].created === true };
}

export async function listDomainGroups(db: Queryable): Promise<DomainGroupRecord[]> {
  const { rows } = await db.query('SELECT name, domains, updated_at FROM domain_groups ORDER BY name');
  return rows.map(toRecord);
}

export async function getDomainGroup(db: Queryable, name: string): Promise<DomainGroupRecord | undefined> {
  const { rows } = await db.query('SELECT name, domains, updated_at FROM domain_groups WHERE name = $1', [name]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

export async function deleteDomainGroup(db: Queryable, name: string): Promise<boolean> {
  return ((await db.query('DELETE FROM domain_groups WHERE name = $1', [name])).rowCount ?? 0) > 0;
}
