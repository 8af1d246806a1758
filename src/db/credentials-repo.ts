import type { Queryable } from './pool.js';

// The lifecycle of what authenticates a client: API keys, SMTP credentials and IP credentials are revoked (revoked_at
// set, the row kept for audit) and carry created_at and last_used_at; sender domains and allowed IPs are list entries
// and are deleted outright. Every statement is scoped by account, so one account's id never reaches another's rows.

export interface CredentialInfo {
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const info = (r: { created_at: Date; last_used_at: Date | null; revoked_at: Date | null }): CredentialInfo => ({
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export async function listApiKeys(db: Queryable, accountId: string): Promise<Array<{ id: string } & CredentialInfo>> {
  const { rows } = await db.query(
    'SELECT id, created_at, last_used_at, revoked_at FROM api_keys WHERE account_id = $1 ORDER BY created_at, id',
    [accountId],
  );
  return rows.map((r) => ({ id: r.id, ...info(r) }));
}

export async function listSmtpCredentials(
  db: Queryable,
  accountId: string,
): Promise<Array<{ username: string } & CredentialInfo>> {
  const { rows } = await db.query(
    'SELECT username, created_at, last_used_at, revoked_at FROM smtp_credentials WHERE account_id = $1 ORDER BY created_at, username',
    [accountId],
  );
  return rows.map((r) => ({ username: r.username, ...info(r) }));
}

export async function listAccountIpCredentials(
  db: Queryable,
  accountId: string,
): Promise<Array<{ id: string; cidr: string } & CredentialInfo>> {
  const { rows } = await db.query(
    'SELECT id, cidr, created_at, last_used_at, revoked_at FROM ip_credentials WHERE account_id = $1 ORDER BY created_at, id',
    [accountId],
  );
  return rows.map((r) => ({ id: r.id, cidr: r.cidr, ...info(r) }));
}

/**
 * Revokes one of the account's API keys, SMTP credentials or IP credentials. Revoking twice keeps the first time.
 * Returns false when the account has no such item (unknown, or another account's).
 */
export async function revokeCredential(
  db: Queryable,
  kind: 'api-key' | 'smtp-credential' | 'ip-credential',
  accountId: string,
  id: string,
): Promise<boolean> {
  const [table, key] =
    kind === 'api-key'
      ? ['api_keys', 'id']
      : kind === 'smtp-credential'
        ? ['smtp_credentials', 'username']
        : ['ip_credentials', 'id'];
  const r = await db.query(
    `UPDATE ${table} SET revoked_at = COALESCE(revoked_at, now()) WHERE ${key} = $1 AND account_id = $2`,
    [id, accountId],
  );
  return (r.rowCount ?? 0) > 0;
}

export async function deleteSenderDomain(db: Queryable, accountId: string, domain: string): Promise<boolean> {
  const r = await db.query('DELETE FROM sender_domains WHERE account_id = $1 AND lower(domain) = lower($2)', [
    accountId,
    domain,
  ]);
  return (r.rowCount ?? 0) > 0;
}

export async function deleteAllowedIp(db: Queryable, accountId: string, id: string): Promise<boolean> {
  const r = await db.query('DELETE FROM allowed_ips WHERE account_id = $1 AND id = $2', [accountId, id]);
  return (r.rowCount ?? 0) > 0;
}

/** Whether an SMTP credential still authenticates: it exists and is not revoked. */
export async function smtpCredentialActive(db: Queryable, username: string): Promise<boolean> {
  const r = await db.query('SELECT 1 FROM smtp_credentials WHERE username = $1 AND revoked_at IS NULL', [username]);
  return (r.rowCount ?? 0) > 0;
}

/**
 * How precisely last_used_at follows use, in ms: a minute tells a credential still in use, and writing it on every
 * message (or API request) would rewrite one hot row per credential from every session at once.
 */
export const LAST_USED_PRECISION_MS = 60_000;
/** The touches' guard: last_used_at is older than $2 ms (LAST_USED_PRECISION_MS), or was never set. */
const LAST_USE_STALE = `(last_used_at IS NULL OR last_used_at < now() - $2 * interval '1 millisecond')`;

export async function touchSmtpCredential(db: Queryable, username: string): Promise<void> {
  await db.query(`UPDATE smtp_credentials SET last_used_at = now() WHERE username = $1 AND ${LAST_USE_STALE}`, [
    username,
    LAST_USED_PRECISION_MS,
  ]);
}

export async function touchIpCredential(db: Queryable, id: string): Promise<void> {
  await db.query(`UPDATE ip_credentials SET last_used_at = now() WHERE id = $1 AND ${LAST_USE_STALE}`, [
    id,
    LAST_USED_PRECISION_MS,
  ]);
}
