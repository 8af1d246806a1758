import type { Queryable } from './pool.js';

// The workflow start outbox (migration 018): one row per accepted message whose workflow Temporal has not yet
// confirmed. Written in the acceptance transaction, deleted once the start succeeded.

/** What starting a message's workflow needs, read from the message row. */
export interface StartRequest {
  id: string;
  accountId: string;
  mailFrom: string;
  envelopeRcpts: string[];
}

/**
 * Records the start request in the acceptance transaction, unless `backlogLimit` requests are waiting already: then
 * nothing is written and the result is false. One statement for both, before the message row (the foreign key is
 * checked at commit), so the check costs no extra round trip. The count reads at most `backlogLimit` rows,
 * the same whether the backlog is empty or huge; concurrent acceptances do not see each other's rows, so the limit
 * can be passed by the number of acceptances in flight, which is all a limit of this kind needs.
 * `leaseMs` > 0: the accepting process starts the workflow right after the commit and holds the row that long;
 * 0: the row is due for any drain pass at once.
 */
export async function insertStartRequest(
  db: Queryable,
  messageId: string,
  leaseMs: number,
  backlogLimit?: number,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO workflow_start_outbox (message_id, claimed_until)
     SELECT $1, clock_timestamp() + $2 * interval '1 millisecond'
      WHERE $3::int IS NULL
         OR (SELECT count(*) FROM (SELECT 1 FROM workflow_start_outbox LIMIT $3::int) AS waiting) < $3::int`,
    [messageId, leaseMs, backlogLimit ?? null],
  );
  return rowCount === 1;
}

/** How many start requests are waiting (for logs and tests). */
export async function startBacklogSize(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM workflow_start_outbox');
  return rows[0]?.n ?? 0;
}

/**
 * Claims up to `batch` due rows for `leaseMs`, oldest due first. SKIP LOCKED lets several processes drain at once
 * without waiting on each other or claiming the same row; the lease keeps the row theirs after this statement ends,
 * so no transaction stays open while Temporal is called.
 */
export async function claimDueStarts(
  db: Queryable,
  batch: number,
  leaseMs: number,
): Promise<Array<StartRequest & { attempts: number }>> {
  const { rows } = await db.query<{
    message_id: string;
    attempts: number;
    account_id: string;
    mail_from: string;
    envelope_rcpts: string[];
  }>(
    `WITH due AS (
       SELECT message_id FROM workflow_start_outbox
        WHERE claimed_until <= clock_timestamp()
        ORDER BY claimed_until
        LIMIT $1
        FOR UPDATE SKIP LOCKED
     ), claimed AS (
       UPDATE workflow_start_outbox o
          SET claimed_until = clock_timestamp() + $2 * interval '1 millisecond', attempts = o.attempts + 1
         FROM due WHERE o.message_id = due.message_id
       RETURNING o.message_id, o.attempts
     )
     SELECT c.message_id, c.attempts, m.account_id, m.mail_from, m.envelope_rcpts
       FROM claimed c JOIN messages m ON m.id = c.message_id`,
    [batch, leaseMs],
  );
  return rows.map((r) => ({
    id: r.message_id,
    attempts: r.attempts,
    accountId: r.account_id,
    mailFrom: r.mail_from,
    envelopeRcpts: r.envelope_rcpts,
  }));
}

/** Removes the rows of started workflows (one statement for a batch of confirmations). */
export async function deleteStartRequests(db: Queryable, messageIds: readonly string[]): Promise<void> {
  if (messageIds.length === 0) return;
  await db.query('DELETE FROM workflow_start_outbox WHERE message_id = ANY($1)', [messageIds]);
}

/**
 * Starts failed, or were not tried: the rows are due again after `retryInMs`. `error` (kept for operators) replaces
 * the last one only when given, so rows handed back untried keep the error of their last real attempt.
 */
export async function releaseStartRequests(
  db: Queryable,
  messageIds: readonly string[],
  retryInMs: number,
  error?: string,
): Promise<void> {
  if (messageIds.length === 0) return;
  await db.query(
    `UPDATE workflow_start_outbox
        SET claimed_until = clock_timestamp() + $2 * interval '1 millisecond',
            last_error = coalesce(left($3, 500), last_error)
      WHERE message_id = ANY($1)`,
    [messageIds, retryInMs, error ?? null],
  );
}
