import type { Queryable } from './pool.js';
import { newId } from '../ids.js';

export interface TrustZone {
  id: string;
  name: string;
  cidr: string;
  createdAt: Date;
}

export async function listTrustZones(db: Queryable): Promise<TrustZone[]> {
  const { rows } = await db.query('SELECT id, name, cidr, created_at FROM trust_zones ORDER BY created_at, id');
  return rows.map((r) => ({ id: r.id, name: r.name, cidr: r.cidr, createdAt: r.created_at }));
}

export async function insertTrustZone(db: Queryable, name: string, cidr: string): Promise<TrustZone | undefined> {
  const { rows } = await db.query(
    'INSERT INTO trust_zones (id, name, cidr) VALUES ($1, $2, $3) ON CONFLICT (cidr) DO NOTHING RETURNING id, name, cidr, created_at',
    [newId('tz'), name, cidr],
  );
  const r = rows[0];
  return r ? { id: r.id, name: r.name, cidr: r.cidr, createdAt: r.created_at } : undefined;
}

export async function deleteTrustZone(db: Queryable, id: string): Promise<boolean> {
  const r = await db.query('DELETE FROM trust_zones WHERE id = $1', [id]);
  return (r.rowCount ?? 0) > 0;
}
