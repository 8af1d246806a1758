import crypto from 'node:crypto';
import type { Queryable } from './pool.js';
import type { TokenHits } from '../domain/tracking/hit-policy.js';

// Per-token counters of tracking hits (table tracking_hits): one row per (message, recipient, open | click URL).

export interface TokenKey {
  messageId: string;
  recipient: string;
  kind: 'open' | 'click';
  url?: string;
}

const linkOf = (k: TokenKey): string =>
  k.kind === 'click'
    ? crypto
        .createHash('sha256')
        .update(k.url ?? '', 'utf8')
        .digest('hex')
    : '';

/** When the message was accepted; undefined when there is no such message. */
export async function messageAcceptedAt(db: Queryable, messageId: string): Promise<Date | undefined> {
  const { rows } = await db.query('SELECT submitted_at FROM messages WHERE id = $1', [messageId]);
  return rows[0]?.submitted_at as Date | undefined;
}

/**
 * Locks the token's row for the rest of the transaction (creating it with zero hits first), so concurrent hits on
 * one token are decided one after the other.
 */
export async function lockTokenHits(db: Queryable, k: TokenKey, now: Date): Promise<TokenHits | undefined> {
  await db.query(
    `INSERT INTO tracking_hits (message_id, recipient, kind, link, first_at, last_at, window_start)
     VALUES ($1, $2, $3, $4, $5, $5, $5) ON CONFLICT DO NOTHING`,
    [k.messageId, k.recipient, k.kind, linkOf(k), now],
  );
  const { rows } = await db.query(
    `SELECT hits, window_start, window_hits, person_event, machine_event FROM tracking_hits
      WHERE message_id = $1 AND recipient = $2 AND kind = $3 AND link = $4 FOR UPDATE`,
    [k.messageId, k.recipient, k.kind, linkOf(k)],
  );
  const r = rows[0];
  if (!r || r.hits === 0) return undefined;
  return {
    hits: r.hits,
    windowStart: r.window_start,
    windowHits: r.window_hits,
    personEvent: r.person_event,
    machineEvent: r.machine_event,
  };
}

export async function saveTokenHits(db: Queryable, k: TokenKey, h: TokenHits, now: Date): Promise<void> {
  await db.query(
    `UPDATE tracking_hits SET hits = $5, last_at = $6, window_start = $7, window_hits = $8, person_event = $9,
            machine_event = $10, first_at = CASE WHEN hits = 0 THEN $6 ELSE first_at END
      WHERE message_id = $1 AND recipient = $2 AND kind = $3 AND link = $4`,
    [
      k.messageId,
      k.recipient,
      k.kind,
      linkOf(k),
      h.hits,
      now,
      h.windowStart,
      h.windowHits,
      h.personEvent,
      h.machineEvent,
    ],
  );
}

/** How often each of the message's tracked links was hit (recorded hits; the first ones are also events). */
export async function listTokenHits(
  db: Queryable,
  messageId: string,
): Promise<Array<{ recipient: string; kind: 'open' | 'click'; hits: number; firstAt: Date; lastAt: Date }>> {
  const { rows } = await db.query(
    `SELECT recipient, kind, hits, first_at, last_at FROM tracking_hits WHERE message_id = $1 AND hits > 0
      ORDER BY first_at, recipient, kind`,
    [messageId],
  );
  return rows.map((r) => ({
    recipient: r.recipient,
    kind: r.kind,
    hits: r.hits,
    firstAt: r.first_at,
    lastAt: r.last_at,
  }));
}
