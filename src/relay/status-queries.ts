import type pg from 'pg';
import type { DeliveryTls } from '../domain/relay/mta-sts.js';
import type { SmtpCommand } from '../domain/bounces/smtp-codes.js';
import type { FeedItem, FeedPage } from '../relay-protocol/feed.js';
import type { RecipientState } from '../relay-protocol/message-state.js';

// Read side of the relay's queue for its HTTP API: the event feed (cursor = seq), one message's recipients, depth.
// The shapes they answer with are the wire contract in src/relay-protocol.

/** The relay_events columns a feed item is made of, and the mapping (shared with the delivery loop's push). */
export const feedColumns =
  'seq, envid, recipient, status, smtp_code, enhanced_code, response, reason, source_ip, at, tls, smtp_command, remote_host';
export interface FeedRow {
  seq: string;
  envid: string;
  recipient: string;
  status: FeedItem['status'];
  smtp_code: number | null;
  enhanced_code: string | null;
  response: string | null;
  reason: string | null;
  source_ip: string | null;
  at: Date;
  tls: DeliveryTls | null;
  smtp_command: SmtpCommand | null;
  remote_host: string | null;
}
export const toFeedItem = (r: FeedRow): FeedItem => ({
  seq: Number(r.seq),
  messageId: r.envid,
  recipient: r.recipient,
  status: r.status,
  smtpCode: r.smtp_code,
  enhancedCode: r.enhanced_code,
  response: r.response,
  reason: r.reason,
  sourceIp: r.source_ip,
  tls: r.tls,
  command: r.smtp_command,
  remoteHost: r.remote_host,
  at: r.at.toISOString(),
});

/** Outcome events after `after`, oldest first. `queued` events stay internal: the MDE knows it handed the message over. */
export async function readStatusFeed(pool: pg.Pool, after: number, limit: number): Promise<FeedPage> {
  const res = await pool.query<FeedRow>(
    `SELECT ${feedColumns} FROM relay_events
     WHERE seq > $1 AND status IN ('deferred','delivered','bounced','failed') ORDER BY seq LIMIT $2`,
    [after, limit],
  );
  const items = res.rows.map(toFeedItem);
  return { items, next: items.at(-1)?.seq ?? after };
}

/** Every recipient the relay holds under this envid (across handoffs), or undefined when it never got the message. */
export async function readMessageState(pool: pg.Pool, envid: string): Promise<RecipientState[] | undefined> {
  const res = await pool.query<{
    recipient: string;
    status: string;
    smtp_code: number | null;
    enhanced_code: string | null;
    response: string | null;
    reason: string | null;
    attempts: number;
    updated_at: Date;
    tls: DeliveryTls | null;
    smtp_command: SmtpCommand | null;
    remote_host: string | null;
  }>(
    'SELECT recipient, status, smtp_code, enhanced_code, response, reason, attempts, updated_at, tls, smtp_command, remote_host FROM relay_recipients WHERE envid = $1 ORDER BY id',
    [envid],
  );
  if (res.rows.length === 0) return undefined;
  return res.rows.map((r) => ({
    recipient: r.recipient,
    status: r.status,
    smtpCode: r.smtp_code,
    enhancedCode: r.enhanced_code,
    response: r.response,
    reason: r.reason,
    attempts: r.attempts,
    tls: r.tls,
    command: r.smtp_command,
    remoteHost: r.remote_host,
    updatedAt: r.updated_at.toISOString(),
  }));
}

/** Recipients not yet final. */
export async function readQueueDepth(pool: pg.Pool): Promise<number> {
  const res = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM relay_recipients WHERE status IN ('queued','delivering','deferred')`,
  );
  return Number(res.rows[0]?.n ?? 0);
}
