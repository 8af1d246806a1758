import type { Queryable } from './pool.js';
import { newId } from '../ids.js';

/**
 * Resolves an API key hash to its id (the actor recorded in audit trails), account (null = admin key) and when it was
 * last used. A revoked key resolves to nothing, so it fails at its very next request.
 */
export async function findApiKeyIdentity(
  db: Queryable,
  keyHash: string,
): Promise<{ id: string; accountId: string | null; lastUsedAt: Date | null } | undefined> {
  const { rows } = await db.query(
    'SELECT id, account_id, last_used_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
    [keyHash],
  );
  return rows[0] ? { id: rows[0].id, accountId: rows[0].account_id, lastUsedAt: rows[0].last_used_at } : undefined;
}

/** Records a use of a key; the caller limits how often (a write per request would cost more than the request). */
export async function touchApiKey(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [id]);
}

/** Whether any admin key (one without an account) is registered and not revoked. */
export async function adminKeyExists(db: Queryable): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM api_keys WHERE account_id IS NULL AND revoked_at IS NULL LIMIT 1');
  return rows.length > 0;
}

/**
 * Makes keyHash the one valid admin key: every other admin key is revoked, and this one is registered (or, if it was
 * revoked by an earlier rotation, made valid again: the operator configured it on purpose). Returns how many previous
 * admin keys were revoked. Run in one transaction so no moment has zero or two valid configured keys.
 */
export async function rotateAdminKey(db: Queryable, keyHash: string): Promise<number> {
  const revoked = await db.query(
    'UPDATE api_keys SET revoked_at = now() WHERE account_id IS NULL AND revoked_at IS NULL AND key_hash <> $1',
    [keyHash],
  );
  await db.query(
    `INSERT INTO api_keys (id, account_id, key_hash) VALUES ($1, NULL, $2)
     ON CONFLICT (key_hash) DO UPDATE SET revoked_at = NULL WHERE api_keys.account_id IS NULL`,
    [newId('key'), keyHash],
  );
  return revoked.rowCount ?? 0;
}
