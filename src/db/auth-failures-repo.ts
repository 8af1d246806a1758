import type { Queryable } from './pool.js';

// Failed AUTH counters (table auth_failures, see the migration). Windows and locks run on the database clock so that
// every ingress instance agrees on them.

export interface AuthFailureRow {
  key: string;
  failures: number;
  windowStart: Date;
  lastFailure: Date;
  lockedUntil: Date | null;
}

const toRow = (r: Record<string, unknown>): AuthFailureRow => ({
  key: r.key as string,
  failures: r.failures as number,
  windowStart: r.window_start as Date,
  lastFailure: r.last_failure as Date,
  lockedUntil: (r.locked_until as Date | null) ?? null,
});

/** Which of these keys are locked now. */
export async function lockedKeys(db: Queryable, keys: string[]): Promise<Set<string>> {
  const { rows } = await db.query('SELECT key FROM auth_failures WHERE key = ANY($1) AND locked_until > now()', [keys]);
  return new Set(rows.map((r) => r.key as string));
}

/**
 * Counts one failure for `key` (a window older than `windowMs` starts over at 1) and locks the key for `lockoutMs`
 * when the count reaches `limit` and no lock is in force. `newlyLocked` is true for the failure that set the lock: one
 * statement, so now() is the same in the SET and the RETURNING.
 */
export async function recordAuthFailure(
  db: Queryable,
  key: string,
  o: { limit: number; windowMs: number; lockoutMs: number },
): Promise<{ failures: number; lockedUntil: Date | null; newlyLocked: boolean }> {
  const { rows } = await db.query(
    `INSERT INTO auth_failures AS f (key, failures, window_start, last_failure, locked_until)
     VALUES ($1, 1, now(), now(), CASE WHEN 1 >= $2 THEN now() + $4 * interval '1 millisecond' END)
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN f.window_start <= now() - $3 * interval '1 millisecond' THEN 1 ELSE f.failures + 1 END,
       window_start = CASE WHEN f.window_start <= now() - $3 * interval '1 millisecond' THEN now() ELSE f.window_start END,
       last_failure = now(),
       locked_until = CASE
         WHEN (f.locked_until IS NULL OR f.locked_until <= now())
          AND (CASE WHEN f.window_start <= now() - $3 * interval '1 millisecond' THEN 1 ELSE f.failures + 1 END) >= $2
         THEN now() + $4 * interval '1 millisecond'
         ELSE f.locked_until END
     RETURNING failures, locked_until, locked_until = now() + $4 * interval '1 millisecond' AS newly_locked`,
    [key, o.limit, o.windowMs, o.lockoutMs],
  );
  const r = rows[0];
  return { failures: r.failures, lockedUntil: r.locked_until ?? null, newlyLocked: r.newly_locked === true };
}

/** Forgets counters whose window and lock are both over (keeps the table as small as the recent attack surface). */
export async function sweepAuthFailures(db: Queryable, windowMs: number): Promise<number> {
  const r = await db.query(
    `DELETE FROM auth_failures
      WHERE last_failure < now() - $1 * interval '1 millisecond' AND (locked_until IS NULL OR locked_until < now())`,
    [windowMs],
  );
  return r.rowCount ?? 0;
}

/** Keys locked now, the newest lock first. */
export async function listAuthLockouts(db: Queryable): Promise<AuthFailureRow[]> {
  const { rows } = await db.query(
    `SELECT key, failures, window_start, last_failure, locked_until FROM auth_failures
      WHERE locked_until > now() ORDER BY locked_until DESC, key LIMIT 1000`,
  );
  return rows.map(toRow);
}

/** Clears a key's counter and lock; false when there was none. */
export async function clearAuthFailures(db: Queryable, key: string): Promise<boolean> {
  const r = await db.query('DELETE FROM auth_failures WHERE key = $1', [key]);
  return (r.rowCount ?? 0) > 0;
}

/** The acceptance list of the account that owns an SMTP username (empty for an unknown username). */
export async function acceptanceListOfUsername(db: Queryable, username: string): Promise<string[]> {
  const { rows } = await db.query(
    `SELECT i.cidr FROM smtp_credentials c JOIN allowed_ips i ON i.account_id = c.account_id WHERE c.username = $1`,
    [username],
  );
  return rows.map((r) => r.cidr as string);
}

/** Replaces a credential's stored hash (an older scheme upgraded after a successful verification). */
export async function replaceSmtpPasswordHash(
  db: Queryable,
  username: string,
  from: string,
  to: string,
): Promise<void> {
  await db.query('UPDATE smtp_credentials SET password_hash = $3 WHERE username = $1 AND password_hash = $2', [
    username,
    from,
    to,
  ]);
}
