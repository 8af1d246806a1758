import type { Queryable } from './pool.js';
import { newId } from '../ids.js';
import type { AccountState, SendingLimits, SendingUsage } from '../domain/policy/quota.js';
import { bucketSql } from './account-standing-repo.js';
import type { SendingPolicy } from '../domain/sender-auth/verification.js';

// Accounts and everything that says who may submit what from where.

export interface Account {
  id: string;
  name: string;
  disabled: boolean;
  trackOpens: boolean;
  trackClicks: boolean;
  createdAt: Date;
  state: AccountState;
  stateReason: string | null;
  limits: SendingLimits;
}

const accountColumns =
  'id, name, disabled, track_opens, track_clicks, created_at, state, state_reason, limit_per_minute, limit_per_day';
const toAccount = (r: {
  id: string;
  name: string;
  disabled: boolean;
  track_opens: boolean;
  track_clicks: boolean;
  created_at: Date;
  state: AccountState;
  state_reason: string | null;
  limit_per_minute: number | null;
  limit_per_day: number | null;
}): Account => ({
  id: r.id,
  name: r.name,
  disabled: r.disabled,
  trackOpens: r.track_opens,
  trackClicks: r.track_clicks,
  createdAt: r.created_at,
  state: r.state,
  stateReason: r.state_reason,
  limits: { perMinute: r.limit_per_minute, perDay: r.limit_per_day },
});

export async function createAccount(db: Queryable, name: string): Promise<Account> {
  const { rows } = await db.query(`INSERT INTO accounts (id, name) VALUES ($1, $2) RETURNING ${accountColumns}`, [
    newId('acc'),
    name,
  ]);
  return toAccount(rows[0]);
}

export async function getAccount(db: Queryable, id: string): Promise<Account | undefined> {
  const { rows } = await db.query(`SELECT ${accountColumns} FROM accounts WHERE id = $1`, [id]);
  return rows[0] ? toAccount(rows[0]) : undefined;
}

/** Per-account open and click tracking defaults (a message may override them); unset fields stay as they are. */
/** Creates an account with a fixed id (the system account); an existing one is left as it is. */
export async function insertAccountIfMissing(db: Queryable, id: string, name: string): Promise<void> {
  await db.query('INSERT INTO accounts (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [id, name]);
}

export async function accountExists(db: Queryable, id: string): Promise<boolean> {
  const r = await db.query('SELECT 1 FROM accounts WHERE id = $1', [id]);
  return (r.rowCount ?? 0) > 0;
}

export async function updateAccountTracking(
  db: Queryable,
  id: string,
  t: { trackOpens?: boolean; trackClicks?: boolean },
): Promise<Account | undefined> {
  const { rows } = await db.query(
    `UPDATE accounts SET track_opens = COALESCE($2, track_opens), track_clicks = COALESCE($3, track_clicks) WHERE id = $1 RETURNING ${accountColumns}`,
    [id, t.trackOpens ?? null, t.trackClicks ?? null],
  );
  return rows[0] ? toAccount(rows[0]) : undefined;
}

export async function insertSmtpCredential(
  db: Queryable,
  accountId: string,
  username: string,
  passwordHash: string,
): Promise<void> {
  await db.query('INSERT INTO smtp_credentials (username, account_id, password_hash) VALUES ($1, $2, $3)', [
    username,
    accountId,
    passwordHash,
  ]);
}

export async function findSmtpCredential(
  db: Queryable,
  username: string,
): Promise<{ accountId: string; passwordHash: string; disabled: boolean; state: AccountState } | undefined> {
  const { rows } = await db.query(
    'SELECT c.account_id, c.password_hash, a.disabled, a.state FROM smtp_credentials c JOIN accounts a ON a.id = c.account_id WHERE c.username = $1 AND c.revoked_at IS NULL',
    [username],
  );
  const r = rows[0];
  return r
    ? { accountId: r.account_id, passwordHash: r.password_hash, disabled: r.disabled, state: r.state }
    : undefined;
}

export async function insertApiKey(db: Queryable, accountId: string | null, keyHash: string): Promise<string> {
  const id = newId('key');
  await db.query(
    'INSERT INTO api_keys (id, account_id, key_hash) VALUES ($1, $2, $3) ON CONFLICT (key_hash) DO NOTHING',
    [id, accountId, keyHash],
  );
  return id;
}

/** Resolves an API key hash: undefined = unknown key; accountId null = admin. */
export async function findApiKey(db: Queryable, keyHash: string): Promise<{ accountId: string | null } | undefined> {
  const { rows } = await db.query('SELECT account_id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL', [
    keyHash,
  ]);
  return rows[0] ? { accountId: rows[0].account_id } : undefined;
}

/**
 * Lists a domain without DNS records of its own: used for the system account's alert domain, which the operator
 * manages, so it is recorded as verified by hand. Customers' domains go through src/db/sender-domains-repo.ts.
 */
export async function addSenderDomain(
  db: Queryable,
  accountId: string,
  domain: string,
  manual?: { note: string },
): Promise<boolean> {
  const r = await db.query(
    `INSERT INTO sender_domains (account_id, domain, verified_by, verified_at, verified_note)
     VALUES ($1, $2, $3, CASE WHEN $3::text IS NULL THEN NULL ELSE now() END, $4) ON CONFLICT DO NOTHING`,
    [accountId, domain, manual ? 'manual' : null, manual?.note ?? null],
  );
  return (r.rowCount ?? 0) > 0;
}

/** Every customer sender domain, lower-cased, each once, in order. */
export async function listSenderDomains(db: Queryable): Promise<string[]> {
  const { rows } = await db.query('SELECT DISTINCT lower(domain) AS domain FROM sender_domains ORDER BY 1');
  return rows.map((r) => r.domain as string);
}

export async function addAllowedIp(
  db: Queryable,
  accountId: string,
  cidr: string,
): Promise<{ id: string; created: boolean }> {
  const id = newId('aip');
  const r = await db.query(
    'INSERT INTO allowed_ips (id, account_id, cidr) VALUES ($1, $2, $3) ON CONFLICT (account_id, cidr) DO NOTHING',
    [id, accountId, cidr],
  );
  if ((r.rowCount ?? 0) > 0) return { id, created: true };
  const existing = await db.query('SELECT id FROM allowed_ips WHERE account_id = $1 AND cidr = $2', [accountId, cidr]);
  return { id: existing.rows[0].id, created: false };
}

export async function listIpCredentials(
  db: Queryable,
): Promise<Array<{ id: string; accountId: string; cidr: string }>> {
  const { rows } = await db.query(
    'SELECT id, account_id, cidr FROM ip_credentials WHERE revoked_at IS NULL ORDER BY created_at',
  );
  return rows.map((r) => ({ id: r.id, accountId: r.account_id, cidr: r.cidr }));
}

/**
 * Locks ip_credentials against concurrent writers until the caller's transaction ends (reads still go on), so an
 * overlap check and the insert it allows happen as one step.
 */
export async function lockIpCredentials(db: Queryable): Promise<void> {
  await db.query('LOCK TABLE ip_credentials IN EXCLUSIVE MODE');
}

export async function insertIpCredential(db: Queryable, accountId: string, cidr: string): Promise<string> {
  const id = newId('ipc');
  await db.query('INSERT INTO ip_credentials (id, account_id, cidr) VALUES ($1, $2, $3)', [id, accountId, cidr]);
  return id;
}

/** Everything the submission policy needs to know about one account, in one round trip. */
export interface AccountPolicyFacts {
  accountId: string;
  disabled: boolean;
  /** The domains the account may send as under the sending policy (SENDER_DOMAIN_POLICY). */
  senderDomains: string[];
  /** Listed domains that may not send yet because they are not verified (for the 550 that says so). */
  unverifiedDomains: string[];
  allowedCidrs: string[];
  /** Standing, read at every MAIL FROM: a suspension or an exhausted quota refuses the transaction. */
  state: AccountState;
  limits: SendingLimits;
  usage: SendingUsage;
}

/** `policy`: `verified` (the default) lets only verified domains send; `listed` every listed one. */
export async function loadPolicyFacts(
  db: Queryable,
  accountId: string,
  policy: SendingPolicy = 'verified',
): Promise<AccountPolicyFacts | undefined> {
  const { rows } = await db.query(
    `SELECT a.id, a.disabled, a.state, a.limit_per_minute, a.limit_per_day,
            COALESCE((SELECT array_agg(domain) FROM sender_domains
                       WHERE account_id = a.id AND ($2 = 'listed' OR verified_by IS NOT NULL)), '{}') AS domains,
            COALESCE((SELECT array_agg(domain) FROM sender_domains
                       WHERE account_id = a.id AND $2 <> 'listed' AND verified_by IS NULL), '{}') AS unverified,
            COALESCE((SELECT array_agg(cidr) FROM allowed_ips WHERE account_id = a.id), '{}') AS cidrs,
            COALESCE((SELECT count FROM account_usage WHERE account_id = a.id AND period = 'minute'
                        AND bucket_start = ${bucketSql.minute}), 0) AS used_minute,
            COALESCE((SELECT count FROM account_usage WHERE account_id = a.id AND period = 'day'
                        AND bucket_start = ${bucketSql.day}), 0) AS used_day
       FROM accounts a WHERE a.id = $1`,
    [accountId, policy],
  );
  const r = rows[0];
  return r
    ? {
        accountId: r.id,
        disabled: r.disabled,
        senderDomains: r.domains,
        unverifiedDomains: r.unverified,
        allowedCidrs: r.cidrs,
        state: r.state,
        limits: { perMinute: r.limit_per_minute, perDay: r.limit_per_day },
        usage: { minute: Number(r.used_minute), day: Number(r.used_day) },
      }
    : undefined;
}
