import type { Queryable } from './pool.js';
import { publicEventTypes } from '../domain/event-types.js';

// Read models over message_events for the events API, the stats API, the webhook payloads and open/click tracking.

export interface EventView {
  /** The message_events id as a string (bigint): unique per event, the paging cursor of GET /v1/events. */
  id: string;
  type: string;
  messageId: string;
  recipient: string | null;
  at: string;
  data: unknown;
  tags: string[];
  metadata: Record<string, string>;
}

type Row = Record<string, unknown>;
const iso = (d: unknown): string => (d instanceof Date ? d.toISOString() : String(d));

function eventView(r: Row): EventView {
  return {
    id: String(r.id),
    type: r.type as string,
    messageId: r.message_id as string,
    recipient: (r.recipient as string | null) ?? null,
    at: iso(r.at),
    data: r.data,
    tags: (r.tags as string[] | null) ?? [],
    metadata: (r.metadata as Record<string, string> | null) ?? {},
  };
}

const eventColumns = 'e.id, e.type, e.message_id, e.recipient, e.at, e.data, m.tags, m.metadata';

/** accountId undefined = admin; publicOnly hides the internal steps. undefined when the message is not visible. */
export async function listMessageEvents(
  db: Queryable,
  messageId: string,
  o: { accountId?: string; publicOnly: boolean },
): Promise<EventView[] | undefined> {
  const m = await db.query('SELECT 1 FROM messages WHERE id = $1 AND ($2::text IS NULL OR account_id = $2)', [
    messageId,
    o.accountId ?? null,
  ]);
  if (m.rowCount === 0) return undefined;
  const { rows } = await db.query(
    `SELECT ${eventColumns} FROM message_events e JOIN messages m ON m.id = e.message_id
      WHERE e.message_id = $1 AND ($2::text[] IS NULL OR e.type = ANY($2)) ORDER BY e.id LIMIT 5000`,
    [messageId, o.publicOnly ? [...publicEventTypes] : null],
  );
  return rows.map(eventView);
}

export interface EventFilter {
  accountId?: string;
  types?: string[];
  since?: Date;
  cursor?: string;
  limit: number;
}

/** Oldest first (a feed: keep the last id as the cursor and come back for more). */
export async function listEvents(
  db: Queryable,
  f: EventFilter,
): Promise<{ items: EventView[]; nextCursor: string | null }> {
  const { rows } = await db.query(
    `SELECT ${eventColumns} FROM message_events e JOIN messages m ON m.id = e.message_id
      WHERE ($1::text IS NULL OR m.account_id = $1)
        AND ($2::text[] IS NULL OR e.type = ANY($2))
        AND ($3::timestamptz IS NULL OR e.at >= $3)
        AND ($4::bigint IS NULL OR e.id > $4)
      ORDER BY e.id LIMIT $5`,
    [f.accountId ?? null, f.types ?? null, f.since ?? null, f.cursor ?? null, f.limit + 1],
  );
  const page = rows.slice(0, f.limit).map(eventView);
  return { items: page, nextCursor: rows.length > f.limit ? (page[page.length - 1]?.id ?? null) : null };
}

/** One event with its message's account, tags and metadata (the webhook payload's source). */
export async function getEventForWebhook(
  db: Queryable,
  eventId: string,
): Promise<(EventView & { accountId: string }) | undefined> {
  const { rows } = await db.query(
    `SELECT ${eventColumns}, m.account_id FROM message_events e JOIN messages m ON m.id = e.message_id WHERE e.id = $1`,
    [eventId],
  );
  const r = rows[0];
  return r ? { ...eventView(r), accountId: r.account_id as string } : undefined;
}

export type StatsInterval = 'day' | 'hour';

export interface StatsBucket {
  start: string;
  counts: Record<string, number>;
  rates: {
    delivered: number | null;
    bounce: number | null;
    open: number | null;
    click: number | null;
    complaint: number | null;
  };
}

const ratio = (n: number, d: number): number | null => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null);

export function ratesOf(c: Record<string, number>): StatsBucket['rates'] {
  const sent = c.relayed ?? 0,
    delivered = c.delivered ?? 0;
  return {
    delivered: ratio(delivered, sent),
    bounce: ratio(c.bounced ?? 0, sent),
    open: ratio(c.opened ?? 0, delivered),
    click: ratio(c.clicked ?? 0, delivered),
    complaint: ratio(c.complained ?? 0, delivered),
  };
}

/**
 * Per UTC interval [from, to): for each public type, the number of distinct (message, recipient) pairs with such an
 * event (a `relayed` part counts each of its recipients; `accepted` counts messages), except `deferred`, which counts
 * every deferral. So opens and clicks are unique per recipient, and a re-routed recipient is sent once.
 */
export async function eventStats(
  db: Queryable,
  o: { accountId?: string; from: Date; to: Date; interval: StatsInterval },
): Promise<{ items: StatsBucket[]; totals: Omit<StatsBucket, 'start'> }> {
  const { rows } = await db.query(
    `WITH ev AS (
       SELECT date_trunc($1, e.at, 'UTC') AS start, e.type, e.message_id || '|' || coalesce(e.recipient, r.rcpt, '') AS who, e.id
         FROM message_events e JOIN messages m ON m.id = e.message_id
         LEFT JOIN LATERAL jsonb_array_elements_text(
           CASE WHEN e.recipient IS NULL AND jsonb_typeof(e.data -> 'recipients') = 'array' THEN e.data -> 'recipients' ELSE '[]'::jsonb END) AS r(rcpt) ON true
        WHERE e.at >= $2 AND e.at < $3 AND e.type = ANY($4) AND ($5::text IS NULL OR m.account_id = $5))
     SELECT start, type, CASE WHEN type = 'deferred' THEN count(DISTINCT id) ELSE count(DISTINCT who) END AS n FROM ev GROUP BY start, type
     UNION ALL
     SELECT NULL, type, CASE WHEN type = 'deferred' THEN count(DISTINCT id) ELSE count(DISTINCT who) END FROM ev GROUP BY type`,
    [o.interval, o.from, o.to, [...publicEventTypes], o.accountId ?? null],
  );
  const zero = (): Record<string, number> => Object.fromEntries(publicEventTypes.map((t) => [t, 0]));
  const step = o.interval === 'day' ? 86_400_000 : 3_600_000;
  const first = Math.floor(o.from.getTime() / step) * step;
  const buckets = new Map<number, Record<string, number>>();
  for (let t = first; t < o.to.getTime(); t += step) buckets.set(t, zero());
  const totals = zero();
  for (const r of rows) {
    const n = Number(r.n);
    if (r.start === null) {
      totals[r.type as string] = n;
      continue;
    }
    const c = buckets.get((r.start as Date).getTime());
    if (c) c[r.type as string] = n;
  }
  return {
    items: [...buckets].map(([start, counts]) => ({
      start: new Date(start).toISOString(),
      counts,
      rates: ratesOf(counts),
    })),
    totals: { counts: totals, rates: ratesOf(totals) },
  };
}

/**
 * What says when a recipient's copy arrived, newest first (at most 50 rows): the recipient's `delivered` events (`reportedAt`
 * is the relay's own time, when it gave one) and the message's `relayed` (handoff) events.
 */
export async function listDeliveryEvidence(
  db: Queryable,
  messageId: string,
  recipient: string,
): Promise<Array<{ type: 'delivered' | 'relayed'; reportedAt: string | null; at: Date }>> {
  const { rows } = await db.query(
    `SELECT type, data->>'at' AS reported_at, at FROM message_events
      WHERE message_id = $1 AND ((type = 'delivered' AND lower(recipient) = lower($2)) OR type = 'relayed')
      ORDER BY id DESC LIMIT 50`,
    [messageId, recipient],
  );
  return rows.map((r) => ({
    type: r.type as 'delivered' | 'relayed',
    reportedAt: (r.reported_at as string | null) ?? null,
    at: r.at as Date,
  }));
}
