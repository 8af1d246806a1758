import type pg from 'pg';
import { advisoryLocks } from './advisory-locks.js';
import type { Queryable } from './pool.js';

// Webhook endpoints, their delivery attempts, the dispatcher's outbox cursor and its leadership. Secrets are stored sealed
// (secret-box.ts) and never leave this module in a listing.

export interface WebhookView {
  id: string;
  accountId: string;
  url: string;
  events: string[];
  createdAt: string;
}
export interface WebhookTarget {
  id: string;
  accountId: string;
  url: string;
  events: string[];
  secretEnc: string;
  createdAt: Date;
}

const iso = (d: unknown): string => (d instanceof Date ? d.toISOString() : String(d));
const view = (r: Record<string, unknown>): WebhookView => ({
  id: r.id as string,
  accountId: r.account_id as string,
  url: r.url as string,
  events: r.events as string[],
  createdAt: iso(r.created_at),
});

export async function insertWebhook(
  db: Queryable,
  w: { id: string; accountId: string; url: string; events: string[]; secretEnc: string },
): Promise<WebhookView> {
  const { rows } = await db.query(
    'INSERT INTO webhooks (id, account_id, url, events, secret_enc) VALUES ($1, $2, $3, $4, $5) RETURNING id, account_id, url, events, created_at',
    [w.id, w.accountId, w.url, w.events, w.secretEnc],
  );
  return view(rows[0] as Record<string, unknown>);
}

export async function listWebhooks(db: Queryable, accountId: string | undefined): Promise<WebhookView[]> {
  const { rows } = await db.query(
    'SELECT id, account_id, url, events, created_at FROM webhooks WHERE ($1::text IS NULL OR account_id = $1) ORDER BY created_at, id',
    [accountId ?? null],
  );
  return rows.map(view);
}

export async function findWebhook(db: Queryable, id: string, accountId?: string): Promise<WebhookView | undefined> {
  const { rows } = await db.query(
    'SELECT id, account_id, url, events, created_at FROM webhooks WHERE id = $1 AND ($2::text IS NULL OR account_id = $2)',
    [id, accountId ?? null],
  );
  return rows[0] ? view(rows[0]) : undefined;
}

export async function deleteWebhook(db: Queryable, id: string, accountId?: string): Promise<boolean> {
  const r = await db.query('DELETE FROM webhooks WHERE id = $1 AND ($2::text IS NULL OR account_id = $2)', [
    id,
    accountId ?? null,
  ]);
  return (r.rowCount ?? 0) > 0;
}

const targetColumns = 'id, account_id, url, events, secret_enc, created_at';
const toTarget = (r: Record<string, unknown>): WebhookTarget => ({
  id: r.id as string,
  accountId: r.account_id as string,
  url: r.url as string,
  events: r.events as string[],
  secretEnc: r.secret_enc as string,
  createdAt: r.created_at as Date,
});

/** Everything the dispatcher and the delivery activity need, sealed secret included. */
export async function listWebhookTargets(db: Queryable): Promise<WebhookTarget[]> {
  const { rows } = await db.query(`SELECT ${targetColumns} FROM webhooks`);
  return rows.map(toTarget);
}

export async function getWebhookTarget(db: Queryable, id: string): Promise<WebhookTarget | undefined> {
  const { rows } = await db.query(`SELECT ${targetColumns} FROM webhooks WHERE id = $1`, [id]);
  return rows[0] ? toTarget(rows[0]) : undefined;
}

export interface DeliveryAttempt {
  eventId: string;
  messageId: string;
  attempt: number;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  at: string;
  nextRetryAt: string | null;
}

/** Idempotent per (webhook, event, attempt); at most one successful row per (webhook, event). */
export async function recordAttempt(
  db: Queryable,
  webhookId: string,
  a: Omit<DeliveryAttempt, 'at' | 'nextRetryAt'> & { nextRetryInMs: number | null },
): Promise<void> {
  await db.query(
    `INSERT INTO webhook_deliveries (webhook_id, event_id, message_id, attempt, ok, status_code, error, next_retry_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8::bigint IS NULL THEN NULL ELSE now() + $8::bigint * interval '1 millisecond' END)
     ON CONFLICT DO NOTHING`,
    [webhookId, a.eventId, a.messageId, a.attempt, a.ok, a.statusCode, a.error, a.nextRetryInMs],
  );
}

export async function wasDelivered(db: Queryable, webhookId: string, eventId: string): Promise<boolean> {
  const r = await db.query('SELECT 1 FROM webhook_deliveries WHERE webhook_id = $1 AND event_id = $2 AND ok', [
    webhookId,
    eventId,
  ]);
  return (r.rowCount ?? 0) > 0;
}

// What an attempt's error may show the account: one of the generic classes of post-webhook.ts (and the given-up
// note). Anything else (rows written before errors were classified held raw socket errors naming internal hosts and
// ports) is shown as a plain failure, so no listing can serve as a probe of the service's network.
const SHOWN_ERROR =
  /^(?:invalid url|dns|blocked address|connection refused|connection failed|timeout|tls|http [1-5]\d\d)(?: \(retry window over: given up\))?$/;
const shownError = (e: string | null): string | null => {
  if (e === null || SHOWN_ERROR.test(e)) return e;
  const legacyHttp = /^HTTP ([1-5]\d\d)\b/.exec(e);
  return `${legacyHttp ? `http ${legacyHttp[1]}` : 'connection failed'}${e.endsWith(' (retry window over: given up)') ? ' (retry window over: given up)' : ''}`;
};

/** Newest first; the cursor is the last row id of the previous page. */
export async function listDeliveries(
  db: Queryable,
  webhookId: string,
  o: { cursor?: string; limit: number },
): Promise<{ items: DeliveryAttempt[]; nextCursor: string | null }> {
  const { rows } = await db.query(
    `SELECT id, event_id, message_id, attempt, ok, status_code, error, at, next_retry_at FROM webhook_deliveries
      WHERE webhook_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
    [webhookId, o.cursor ?? null, o.limit + 1],
  );
  const page = rows.slice(0, o.limit);
  return {
    items: page.map((r) => ({
      eventId: String(r.event_id),
      messageId: r.message_id,
      attempt: r.attempt,
      ok: r.ok,
      statusCode: r.status_code,
      error: shownError(r.error),
      at: iso(r.at),
      nextRetryAt: r.next_retry_at ? iso(r.next_retry_at) : null,
    })),
    nextCursor: rows.length > o.limit ? String(page[page.length - 1]?.id) : null,
  };
}

export interface OutboxCursor {
  tx: string;
  id: string;
}
export interface OutboxEvent {
  id: string;
  tx: string;
  messageId: string;
  accountId: string;
  type: string;
  at: Date;
}

export async function loadCursor(db: Queryable, name: string): Promise<OutboxCursor> {
  const { rows } = await db.query(
    'SELECT last_tx::text AS tx, last_id::text AS id FROM webhook_dispatch_cursor WHERE name = $1',
    [name],
  );
  return rows[0] ? { tx: rows[0].tx, id: rows[0].id } : { tx: '0', id: '0' };
}

export async function saveCursor(db: Queryable, name: string, c: OutboxCursor): Promise<void> {
  await db.query(
    `INSERT INTO webhook_dispatch_cursor (name, last_tx, last_id) VALUES ($1, $2::xid8, $3)
     ON CONFLICT (name) DO UPDATE SET last_tx = EXCLUDED.last_tx, last_id = EXCLUDED.last_id`,
    [name, c.tx, c.id],
  );
}

/**
 * The next committed events after the cursor, in (transaction, id) order, limited to transactions older than every
 * running one: whatever commits later has a newer transaction id, so it sorts after the cursor and is not lost.
 */
export async function readOutbox(db: Queryable, after: OutboxCursor, limit: number): Promise<OutboxEvent[]> {
  const { rows } = await db.query(
    `SELECT e.id::text AS id, e.tx::text AS tx, e.message_id, m.account_id, e.type, e.at
       FROM message_events e JOIN messages m ON m.id = e.message_id
      WHERE (e.tx, e.id) > ($1::xid8, $2::bigint) AND e.tx < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY e.tx, e.id LIMIT $3`,
    [after.tx, after.id, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    tx: r.tx,
    messageId: r.message_id,
    accountId: r.account_id,
    type: r.type,
    at: r.at,
  }));
}

/** The channel the insert trigger on message_events notifies after a commit (migration 005). */
const OUTBOX_CHANNEL = 'relay_message_events';

/** Subscribes this session to the outbox's commit notifications (they arrive as the client's `notification` events). */
export async function listenForOutbox(session: pg.PoolClient): Promise<void> {
  await session.query(`LISTEN ${OUTBOX_CHANNEL}`);
}

/**
 * Tries to make this session the one dispatcher of the database (a session advisory lock, held until the session
 * ends or is destroyed); true when it is the leader.
 */
export async function tryLeadDispatch(session: pg.PoolClient): Promise<boolean> {
  const r = await session.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
    advisoryLocks.webhookDispatcher,
  ]);
  return r.rows[0]?.ok === true;
}
