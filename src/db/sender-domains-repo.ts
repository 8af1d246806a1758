import type { Queryable } from './pool.js';
import type { RecordCheck } from '../domain/sender-auth/dns-records.js';
import type { KeyPlan, KeyState, VerifiedBy } from '../domain/sender-auth/verification.js';

// Sender domains as authenticated senders: ownership token, verification, last DNS check, return path, DKIM keys.
// (The allowed-list side, which the submission policy reads, is loadPolicyFacts in accounts-repo.ts.)

export interface SenderDomainRow {
  accountId: string;
  domain: string;
  createdAt: Date;
  ownershipToken: string | null;
  verifiedBy: VerifiedBy | null;
  verifiedAt: Date | null;
  verifiedNote: string | null;
  returnPathOk: boolean;
  lastCheck: RecordCheck[] | null;
  checkedAt: Date | null;
  failingSince: Date | null;
  alertMessageId: string | null;
}

export interface DkimKeyRow extends KeyState {
  /** Sealed PKCS#8 PEM (src/sender-auth/dkim-keys.ts dkimKeyBox). */
  privateKey: string;
  publicKey: string;
}

const domainColumns = `account_id, domain, created_at, ownership_token, verified_by, verified_at, verified_note,
  return_path_ok, last_check, checked_at, failing_since, alert_message_id`;
const toDomain = (r: Record<string, unknown>): SenderDomainRow => ({
  accountId: r.account_id as string,
  domain: r.domain as string,
  createdAt: r.created_at as Date,
  ownershipToken: r.ownership_token as string | null,
  verifiedBy: r.verified_by as VerifiedBy | null,
  verifiedAt: r.verified_at as Date | null,
  verifiedNote: r.verified_note as string | null,
  returnPathOk: r.return_path_ok as boolean,
  lastCheck: r.last_check as RecordCheck[] | null,
  checkedAt: r.checked_at as Date | null,
  failingSince: r.failing_since as Date | null,
  alertMessageId: r.alert_message_id as string | null,
});
const toKey = (r: Record<string, unknown>): DkimKeyRow => ({
  selector: r.selector as string,
  privateKey: r.private_key as string,
  publicKey: r.public_key as string,
  createdAtMs: (r.created_at as Date).getTime(),
  publishedAtMs: r.published_at ? (r.published_at as Date).getTime() : null,
  retireAfterMs: r.retire_after ? (r.retire_after as Date).getTime() : null,
});

/**
 * Adds a domain with its ownership token and first DKIM key; false when the account lists it already (then nothing
 * changes). A listed domain without a token (from before verification existed) gets one and a key here.
 */
export async function insertSenderDomain(
  db: Queryable,
  d: {
    accountId: string;
    domain: string;
    ownershipToken: string;
    key: { selector: string; privateKey: string; publicKey: string };
  },
): Promise<boolean> {
  const r = await db.query(
    'INSERT INTO sender_domains (account_id, domain, ownership_token) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [d.accountId, d.domain, d.ownershipToken],
  );
  const created = (r.rowCount ?? 0) > 0;
  const filled = created
    ? true
    : ((
        await db.query(
          'UPDATE sender_domains SET ownership_token = $3 WHERE account_id = $1 AND domain = $2 AND ownership_token IS NULL',
          [d.accountId, d.domain, d.ownershipToken],
        )
      ).rowCount ?? 0) > 0;
  if (filled) await insertDkimKey(db, d.accountId, d.domain, d.key);
  return created;
}

export async function insertDkimKey(
  db: Queryable,
  accountId: string,
  domain: string,
  key: { selector: string; privateKey: string; publicKey: string },
): Promise<void> {
  await db.query(
    'INSERT INTO dkim_keys (account_id, domain, selector, private_key, public_key) VALUES ($1, $2, $3, $4, $5)',
    [accountId, domain, key.selector, key.privateKey, key.publicKey],
  );
}

export async function getSenderDomain(
  db: Queryable,
  accountId: string,
  domain: string,
  opts: { forUpdate?: boolean } = {},
): Promise<{ domain: SenderDomainRow; keys: DkimKeyRow[] } | undefined> {
  const { rows } = await db.query(
    `SELECT ${domainColumns} FROM sender_domains WHERE account_id = $1 AND domain = $2${opts.forUpdate ? ' FOR UPDATE' : ''}`,
    [accountId, domain],
  );
  if (!rows[0]) return undefined;
  const keys = await db.query(
    'SELECT selector, private_key, public_key, created_at, published_at, retire_after FROM dkim_keys WHERE account_id = $1 AND domain = $2 ORDER BY created_at, selector',
    [accountId, domain],
  );
  return { domain: toDomain(rows[0]), keys: keys.rows.map(toKey) };
}

/** Every listed domain of every account, for the daily check. */
export async function listAllSenderDomains(db: Queryable): Promise<Array<{ accountId: string; domain: string }>> {
  const { rows } = await db.query('SELECT account_id, domain FROM sender_domains ORDER BY account_id, domain');
  return rows.map((r) => ({ accountId: r.account_id, domain: r.domain }));
}

export async function listAccountSenderDomains(db: Queryable, accountId: string): Promise<SenderDomainRow[]> {
  const { rows } = await db.query(`SELECT ${domainColumns} FROM sender_domains WHERE account_id = $1 ORDER BY domain`, [
    accountId,
  ]);
  return rows.map(toDomain);
}

/** Marks a domain verified by hand (recorded with the admin's note); false when the account does not list it. */
export async function markVerifiedByHand(
  db: Queryable,
  accountId: string,
  domain: string,
  note: string,
): Promise<boolean> {
  const r = await db.query(
    `UPDATE sender_domains SET verified_by = 'manual', verified_at = now(), verified_note = $3, failing_since = NULL
      WHERE account_id = $1 AND domain = $2`,
    [accountId, domain, note],
  );
  return (r.rowCount ?? 0) > 0;
}

/**
 * Stores one check's outcome: the record statuses, the return path, the verification (set once DNS verifies; a
 * manual one is kept), the failing mark, and the key rotation plan. Returns the alert message id claimed when the
 * domain starts failing now (one per failing period), so the alert is sent once even if the activity is retried.
 */
export async function saveDomainCheck(
  db: Queryable,
  c: {
    accountId: string;
    domain: string;
    checks: RecordCheck[];
    returnPathOk: boolean;
    transition: 'verified' | 'started-failing' | 'recovered' | 'unchanged';
    plan: KeyPlan;
    now: Date;
    alertMessageId?: string;
  },
): Promise<void> {
  await db.query(
    `UPDATE sender_domains SET last_check = $3, checked_at = $4, return_path_ok = $5,
        verified_by = CASE WHEN $6 = 'verified' THEN 'dns' ELSE verified_by END,
        verified_at = CASE WHEN $6 = 'verified' THEN $4 ELSE verified_at END,
        verified_note = CASE WHEN $6 = 'verified' THEN 'ownership and DKIM records found in DNS' ELSE verified_note END,
        failing_since = CASE WHEN $6 = 'started-failing' THEN $4 WHEN $6 = 'recovered' THEN NULL ELSE failing_since END,
        alert_message_id = CASE WHEN $6 = 'started-failing' THEN $7 WHEN $6 = 'recovered' THEN NULL
                                ELSE alert_message_id END
      WHERE account_id = $1 AND domain = $2`,
    [c.accountId, c.domain, JSON.stringify(c.checks), c.now, c.returnPathOk, c.transition, c.alertMessageId ?? null],
  );
  const key = [c.accountId, c.domain];
  if (c.plan.published.length > 0)
    await db.query(
      'UPDATE dkim_keys SET published_at = $3 WHERE account_id = $1 AND domain = $2 AND selector = ANY($4) AND published_at IS NULL',
      [...key, c.now, c.plan.published],
    );
  for (const r of c.plan.retire)
    await db.query(
      'UPDATE dkim_keys SET retire_after = $4 WHERE account_id = $1 AND domain = $2 AND selector = $3 AND retire_after IS NULL',
      [...key, r.selector, new Date(r.afterMs)],
    );
  if (c.plan.drop.length > 0)
    await db.query('DELETE FROM dkim_keys WHERE account_id = $1 AND domain = $2 AND selector = ANY($3)', [
      ...key,
      c.plan.drop,
    ]);
}

/** What a copy of a message is signed with: the sending domain's newest published key and its return path. */
export interface SigningRow {
  domain: string;
  selector: string | null;
  privateKey: string | null;
  returnPathOk: boolean;
}

/**
 * The signing facts for a message: its account's sender domain that the From domain is (or is under), with the
 * newest key DNS has shown and not retired. The longest matching domain wins (mail.example.com over example.com).
 */
export async function findSigningFor(db: Queryable, messageId: string): Promise<SigningRow | undefined> {
  const { rows } = await db.query(
    `SELECT d.domain, d.return_path_ok, k.selector, k.private_key
       FROM messages m
       JOIN sender_domains d ON d.account_id = m.account_id
        AND (lower(substring(m.header_from from '@([^@]+)$')) = d.domain
             OR lower(substring(m.header_from from '@([^@]+)$')) LIKE '%.' || d.domain)
       LEFT JOIN LATERAL (
         SELECT selector, private_key FROM dkim_keys k
          WHERE k.account_id = d.account_id AND k.domain = d.domain AND k.published_at IS NOT NULL
            AND (k.retire_after IS NULL OR k.retire_after > now())
          ORDER BY k.created_at DESC, k.selector DESC LIMIT 1) k ON true
      WHERE m.id = $1
      ORDER BY length(d.domain) DESC LIMIT 1`,
    [messageId],
  );
  const r = rows[0];
  return r
    ? { domain: r.domain, selector: r.selector, privateKey: r.private_key, returnPathOk: r.return_path_ok }
    : undefined;
}

/** Whether `host` is rp.<domain> of a sender domain whose return-path CNAME verified (the bounce receiver's check). */
export async function isVerifiedReturnPath(db: Queryable, host: string): Promise<boolean> {
  const r = await db.query(
    "SELECT 1 FROM sender_domains WHERE return_path_ok AND lower('rp.' || domain) = $1 LIMIT 1",
    [host.toLowerCase()],
  );
  return (r.rowCount ?? 0) > 0;
}
