import type { Queryable } from './pool.js';

// The per-account suppression list (migration 004): who is never sent to again, why, and which message caused it.

export const suppressionReasons = ['hard-bounce', 'complaint', 'manual', 'unsubscribe'] as const;
export type SuppressionReason = (typeof suppressionReasons)[number];

export interface Suppression {
  accountId: string;
  address: string;
  reason: SuppressionReason;
  sourceMessageId: string | null;
  detail: string | null;
  /** For a bounce: the classified reason (src/domain/bounces/reasons.ts) and the reply it was read from. */
  bounceReason: string | null;
  evidence: string | null;
  createdAt: string;
}

type Row = Record<string, unknown>;
const toSuppression = (r: Row): Suppression => ({
  accountId: r.account_id as string,
  address: r.address as string,
  reason: r.reason as SuppressionReason,
  sourceMessageId: (r.source_message_id as string | null) ?? null,
  detail: (r.detail as string | null) ?? null,
  bounceReason: (r.bounce_reason as string | null) ?? null,
  evidence: (r.evidence as string | null) ?? null,
  createdAt: r.created_at instanceof Date ? r.created_at.toISOString() : String(r.created_at),
});
const columns = 'id, account_id, address, reason, source_message_id, detail, bounce_reason, evidence, created_at';

/** Adds an address for an account; returns the row, or undefined when the address was already on the list. */
export async function insertSuppression(
  db: Queryable,
  s: {
    accountId: string;
    address: string;
    reason: SuppressionReason;
    sourceMessageId?: string | null;
    detail?: string | null;
  },
): Promise<Suppression | undefined> {
  const { rows } = await db.query(
    `INSERT INTO suppressions (account_id, address, reason, source_message_id, detail) VALUES ($1, lower($2), $3, $4, $5)
     ON CONFLICT (account_id, address) DO NOTHING RETURNING ${columns}`,
    [s.accountId, s.address.trim(), s.reason, s.sourceMessageId ?? null, s.detail ?? null],
  );
  return rows[0] ? toSuppression(rows[0]) : undefined;
}

/**
 * Suppresses a recipient of a message for the message's account (hard bounce or complaint). Idempotent: an address
 * already listed keeps its first reason. Returns whether a row was added.
 */
export async function suppressRecipientOfMessage(
  db: Queryable,
  messageId: string,
  address: string,
  reason: SuppressionReason,
  detail: string | null,
): Promise<boolean> {
  const r = await db.query(
    `INSERT INTO suppressions (account_id, address, reason, source_message_id, detail)
     SELECT account_id, lower($2), $3, id, $4 FROM messages WHERE id = $1
     ON CONFLICT (account_id, address) DO NOTHING`,
    [messageId, address.trim(), reason, detail],
  );
  return (r.rowCount ?? 0) > 0;
}

export async function deleteSuppression(db: Queryable, accountId: string, address: string): Promise<boolean> {
  const r = await db.query('DELETE FROM suppressions WHERE account_id = $1 AND address = lower($2)', [
    accountId,
    address.trim(),
  ]);
  return (r.rowCount ?? 0) > 0;
}

export async function getSuppression(
  db: Queryable,
  accountId: string,
  address: string,
): Promise<Suppression | undefined> {
  const { rows } = await db.query(`SELECT ${columns} FROM suppressions WHERE account_id = $1 AND address = lower($2)`, [
    accountId,
    address.trim(),
  ]);
  return rows[0] ? toSuppression(rows[0]) : undefined;
}

export interface SuppressionFilter {
  accountId: string;
  q?: string;
  limit: number;
  cursor?: string;
}

/** Newest first; `q` matches a substring of the address; the cursor is the last row's id (checked by the caller). */
export async function listSuppressions(
  db: Queryable,
  f: SuppressionFilter,
): Promise<{ items: Suppression[]; nextCursor: string | null }> {
  const pattern = f.q ? `%${f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const { rows } = await db.query(
    `SELECT ${columns} FROM suppressions
      WHERE account_id = $1 AND ($2::text IS NULL OR address LIKE $2) AND ($3::bigint IS NULL OR id < $3)
      ORDER BY id DESC LIMIT $4`,
    [f.accountId, pattern, f.cursor ?? null, f.limit + 1],
  );
  const page = rows.slice(0, f.limit);
  return {
    items: page.map(toSuppression),
    nextCursor: rows.length > f.limit ? String(page[page.length - 1]?.id) : null,
  };
}
