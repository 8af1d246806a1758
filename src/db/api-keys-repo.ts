import type { Queryable } from './pool.js';

/** Resolves an API key hash to its id (the actor recorded in audit trails) and account (null = admin key). */
export async function findApiKeyIdentity(
  db: Queryable,
  keyHash: string,
): Promise<{ id: string; accountId: string | null } | undefined> {
  const { rows } = await db.query('SELECT id, account_id FROM api_keys WHERE key_hash = $1', [keyHash]);
  return rows[0] ? { id: rows[0].id, accountId: rows[0].account_id } : undefined;
}

/** Whether any admin key (one without an account) is registered. */
export async function adminKeyExists(db: Queryable): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM api_keys WHERE account_id IS NULL LIMIT 1');
  return rows.length > 0;
}
