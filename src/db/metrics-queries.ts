import type { Queryable } from './pool.js';

// Gauges read from the database when /metrics is scraped: cheap, bounded queries (a capped count and an indexed range).

/** Outbox events past the webhook dispatcher's cursor are counted up to this many: a scrape stays cheap in a flood. */
export const OUTBOX_BACKLOG_CAP = 100_000;

export interface WebhookBacklog {
  /** Events committed but not yet read by the dispatcher (at most OUTBOX_BACKLOG_CAP). */
  outbox: number;
  /** (webhook, event) pairs whose latest attempt failed and has a retry scheduled. */
  retrying: number;
}

export async function readWebhookBacklog(db: Queryable): Promise<WebhookBacklog> {
  const [outbox, retrying] = await Promise.all([
    db.query<{ n: number }>(
      `WITH c AS (
         SELECT COALESCE((SELECT last_tx FROM webhook_dispatch_cursor WHERE name = 'webhooks'), '0'::xid8) AS tx,
                COALESCE((SELECT last_id FROM webhook_dispatch_cursor WHERE name = 'webhooks'), 0::bigint) AS id)
       SELECT count(*)::int AS n FROM (SELECT 1 FROM message_events e, c WHERE (e.tx, e.id) > (c.tx, c.id) LIMIT $1) x`,
      [OUTBOX_BACKLOG_CAP],
    ),
    // Attempts of the last 25 hours (the retry window is 24 h by default): the newest per pair decides.
    db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT DISTINCT ON (webhook_id, event_id) ok, next_retry_at FROM webhook_deliveries
          WHERE at > now() - interval '25 hours'
          ORDER BY webhook_id, event_id, attempt DESC) last
        WHERE NOT ok AND next_retry_at IS NOT NULL`,
    ),
  ]);
  return { outbox: outbox.rows[0]?.n ?? 0, retrying: retrying.rows[0]?.n ?? 0 };
}
