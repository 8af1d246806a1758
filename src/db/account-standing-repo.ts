import type { Queryable } from './pool.js';
import { findApiKeyIdentity } from './api-keys-repo.js';
import {
  accountStandingRefusal,
  limitOf,
  quotaPeriods,
  quotaReply,
  reachesWarning,
  type AccountState,
  type QuotaPeriod,
  type SendingLimits,
  type SendingUsage,
} from '../domain/policy/quota.js';
import type { SmtpReply } from '../domain/smtp-reply.js';

// Account standing in the database: state changes with their audit trail, sending limits, usage counted per time
// bucket at acceptance, and account-level events.

/** Bucket starts by the database clock (UTC), so every ingress instance counts into the same rows. */
export const bucketSql: Record<QuotaPeriod, string> = {
  minute: "date_trunc('minute', now())",
  day: "(date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')",
};

/** Accepted messages of an account in the current minute and UTC day. */
export async function getUsage(db: Queryable, accountId: string): Promise<SendingUsage> {
  const { rows } = await db.query(
    `SELECT COALESCE((SELECT count FROM account_usage WHERE account_id = $1 AND period = 'minute' AND bucket_start = ${bucketSql.minute}), 0) AS minute,
            COALESCE((SELECT count FROM account_usage WHERE account_id = $1 AND period = 'day' AND bucket_start = ${bucketSql.day}), 0) AS day`,
    [accountId],
  );
  return { minute: Number(rows[0].minute), day: Number(rows[0].day) };
}

/**
 * Counts one accepted message inside the acceptance transaction, after the message row was inserted: increments the
 * account's minute and day buckets (the upsert's row lock serialises concurrent acceptances of the account across
 * ingress instances until this transaction ends), and returns the refusal when the account is suspended or a limit
 * is now exceeded — the caller then rolls back, so neither the message nor the count is kept. Otherwise writes a
 * `quota-warning` account event when a count reaches 90% of its limit, and marks the message sandboxed when the
 * account is in sandbox mode.
 */
export async function countAcceptance(
  db: Queryable,
  accountId: string,
  messageId: string,
): Promise<SmtpReply | undefined> {
  // One round trip for the standing and both counts. The buckets are locked in one order (minute, then day) by every
  // acceptance; a suspended account's message is counted too, and rolled back with it by the caller.
  const { rows } = await db.query(
    `WITH acc AS (SELECT state, limit_per_minute, limit_per_day FROM accounts WHERE id = $1),
          counted AS (
            INSERT INTO account_usage (account_id, period, bucket_start, count)
            SELECT $1, v.period, v.bucket_start, 1
              FROM acc, (VALUES (1, 'minute', ${bucketSql.minute}), (2, 'day', ${bucketSql.day})) AS v(n, period, bucket_start)
             ORDER BY v.n
            ON CONFLICT (account_id, period, bucket_start) DO UPDATE SET count = account_usage.count + 1
            RETURNING period, count, bucket_start, (xmax = 0) AS fresh)
     SELECT acc.state, acc.limit_per_minute, acc.limit_per_day, c.period, c.count, c.bucket_start, c.fresh
       FROM acc LEFT JOIN counted c ON true`,
    [accountId],
  );
  const a = rows[0];
  if (!a) return undefined;
  const limits: SendingLimits = { perMinute: a.limit_per_minute, perDay: a.limit_per_day };
  const state = a.state as AccountState;
  const refusal = accountStandingRefusal({ state, limits, usage: { minute: 0, day: 0 } });
  if (refusal) return refusal;
  for (const period of quotaPeriods) {
    const row = rows.find((r) => r.period === period);
    const count = Number(row?.count);
    const bucketStart = row?.bucket_start as Date;
    const limit = limitOf(limits, period);
    if (limit !== null && count > limit) return quotaReply(period);
    if (reachesWarning(limit, count)) {
      await appendAccountEvent(db, {
        accountId,
        type: 'quota-warning',
        data: { period, limit, count, bucketStart: bucketStart.toISOString() },
        sourceKey: `${accountId}:quota-warning:${period}:${bucketStart.toISOString()}`,
      });
    }
  }
  // Earlier minute buckets are no longer read; day buckets stay (one row per account and day) as sending history.
  // Cleaned once per minute, by the acceptance that opened the new minute's bucket. Rows another acceptance still
  // holds are skipped, not waited for: an acceptance of the previous minute that has not committed yet holds its
  // minute row, and waiting on it while holding ours deadlocks at minute boundaries. A skipped row goes a minute later.
  if (rows.some((r) => r.period === 'minute' && r.fresh === true))
    await db.query(
      `DELETE FROM account_usage WHERE ctid IN (
         SELECT ctid FROM account_usage
          WHERE account_id = $1 AND period = 'minute' AND bucket_start < ${bucketSql.minute}
          FOR UPDATE SKIP LOCKED)`,
      [accountId],
    );
  if (state === 'sandbox') await db.query('UPDATE messages SET sandboxed = true WHERE id = $1', [messageId]);
  return undefined;
}

export async function appendAccountEvent(
  db: Queryable,
  e: { accountId: string; type: string; data: Record<string, unknown>; sourceKey?: string },
): Promise<void> {
  await db.query(
    'INSERT INTO account_events (account_id, type, data, source_key) VALUES ($1, $2, $3, $4) ON CONFLICT (source_key) DO NOTHING',
    [e.accountId, e.type, JSON.stringify(e.data), e.sourceKey ?? null],
  );
}

export interface AccountEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
  at: Date;
}

/** The account's most recent events, newest first. */
export async function listAccountEvents(db: Queryable, accountId: string, limit = 50): Promise<AccountEvent[]> {
  const { rows } = await db.query(
    'SELECT id, type, data, at FROM account_events WHERE account_id = $1 ORDER BY id DESC LIMIT $2',
    [accountId, limit],
  );
  return rows.map((r) => ({ id: String(r.id), type: r.type, data: r.data, at: r.at }));
}

export interface StateChange {
  from: AccountState;
  to: AccountState;
  reason: string;
  actor: string;
  at: Date;
}

/**
 * Moves an account to `to` with a reason, recording who did it (the API key id); the same state again changes
 * nothing and writes no audit row. Returns undefined when the account does not exist.
 */
export async function changeAccountState(
  db: Queryable,
  c: { accountId: string; to: AccountState; reason: string; actor: string },
): Promise<{ changed: boolean } | undefined> {
  const cur = await db.query('SELECT state FROM accounts WHERE id = $1 FOR UPDATE', [c.accountId]);
  if (!cur.rows[0]) return undefined;
  const from = cur.rows[0].state as AccountState;
  if (from === c.to) return { changed: false };
  await db.query('UPDATE accounts SET state = $2, state_reason = $3 WHERE id = $1', [c.accountId, c.to, c.reason]);
  await db.query(
    'INSERT INTO account_state_changes (account_id, from_state, to_state, reason, actor) VALUES ($1, $2, $3, $4, $5)',
    [c.accountId, from, c.to, c.reason, c.actor],
  );
  return { changed: true };
}

/** The account's state changes, oldest first. */
export async function listStateChanges(db: Queryable, accountId: string): Promise<StateChange[]> {
  const { rows } = await db.query(
    'SELECT from_state, to_state, reason, actor, at FROM account_state_changes WHERE account_id = $1 ORDER BY id',
    [accountId],
  );
  return rows.map((r) => ({ from: r.from_state, to: r.to_state, reason: r.reason, actor: r.actor, at: r.at }));
}

/** Sets the limits given; an omitted one stays, null makes it unlimited. */
export async function updateLimits(
  db: Queryable,
  accountId: string,
  l: { perMinute?: number | null; perDay?: number | null },
): Promise<void> {
  await db.query(
    `UPDATE accounts SET limit_per_minute = CASE WHEN $2 THEN $3::integer ELSE limit_per_minute END,
                         limit_per_day = CASE WHEN $4 THEN $5::integer ELSE limit_per_day END
      WHERE id = $1`,
    [accountId, l.perMinute !== undefined, l.perMinute ?? null, l.perDay !== undefined, l.perDay ?? null],
  );
}

/** An API key with the state of its account (undefined for the admin key). */
export async function findApiKeyWithStanding(
  db: Queryable,
  keyHash: string,
): Promise<{ id: string; accountId: string | null; lastUsedAt: Date | null; accountState?: AccountState } | undefined> {
  const key = await findApiKeyIdentity(db, keyHash);
  if (!key || key.accountId === null) return key;
  const { rows } = await db.query('SELECT state FROM accounts WHERE id = $1', [key.accountId]);
  return { ...key, accountState: rows[0]?.state };
}
