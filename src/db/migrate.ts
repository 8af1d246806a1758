import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { advisoryLocks } from './advisory-locks.js';
import type pg from 'pg';
import { inTransaction } from './pool.js';

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Applies the numbered SQL files in src/db/migrations that have not run yet, each in its own transaction. An advisory
 * lock lets several processes (worker, ingress, api) start at once without racing.
 */
export async function migrate(pool: pg.Pool): Promise<string[]> {
  const applied: string[] = [];
  await inTransaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [advisoryLocks.migrations]);
    await c.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await c.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name),
    );
    for (const file of fs
      .readdirSync(migrationsDir)
      .filter((f) => f.endsWith('.sql'))
      .sort()) {
      if (done.has(file)) continue;
      await c.query(fs.readFileSync(path.join(migrationsDir, file), 'utf8'));
      await c.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      applied.push(file);
    }
  });
  return applied;
}

/** Creates a database on the server of `adminUrl` if it does not exist yet. */
export async function ensureDatabase(adminPool: pg.Pool, name: string): Promise<void> {
  const exists = await adminPool.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (exists.rowCount === 0) await adminPool.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
}
