import crypto from 'node:crypto';
import type pg from 'pg';
import { domainOf } from '../domain/mime/address.js';
import type { DeliveryTls } from '../domain/relay/mta-sts.js';
import type { ParsedReply } from '../domain/relay/smtp-reply-parse.js';
import type { FeedItem } from '../relay-protocol/feed.js';
import { feedColumns, toFeedItem, type FeedRow } from './status-queries.js';

// The relay's durable queue: intake writes a message and its recipients in one transaction, the delivery loop claims
// due recipients with a lease and writes each attempt's outcome (row + event) in one statement. Times come from the
// relay's clock as epoch ms, so scheduling and the retry decision read the same clock.

export type FinalOrDeferred = 'deferred' | 'delivered' | 'bounced' | 'failed';

export interface ClaimedRecipient {
  id: string;
  recipient: string;
  /** Counts this attempt; it is also the claim's token, so a stale worker can never overwrite a newer claim. */
  attempts: number;
  queuedAt: number;
}
/** One SMTP session's worth: the recipients of one queued message at one domain, sent from one source address. */
export interface DeliveryGroup {
  messageId: string;
  envid: string;
  domain: string;
  sourceIp: string;
  recipients: ClaimedRecipient[];
}

/** Where the relay sends from: its default address and every address it hosts (the default among them). */
export interface SourceAddresses {
  defaultIp: string;
  hosted: readonly string[];
}

/**
 * SQL for a recipient row's effective source address, given the hosted list and the default as parameters: the
 * stored address while the relay still hosts it, else the default (NULL, i.e. no choice by the MDE, included).
 */
export const effectiveSourceIp = (hosted: string, defaultIp: string): string =>
  `(CASE WHEN r.source_ip = ANY(${hosted}::text[]) THEN r.source_ip ELSE ${defaultIp}::text END)`;

export interface AttemptResult {
  id: string;
  attempts: number;
  status: FinalOrDeferred;
  reply: ParsedReply;
  reason: string | null;
  nextAttemptAt: number | null;
  /** The TLS of the attempt; null when no host was tried. */
  tls?: DeliveryTls | null;
}

/** A short, unguessable queue id in the style of Postfix's "queued as 4F2A...". */
export function newQueueId(): string {
  return crypto.randomBytes(8).toString('hex').toUpperCase();
}

/**
 * Stores the body once and one row per recipient. A recipient already queued under the same envid is skipped (the
 * handoff is idempotent); when nothing is new, nothing is written and the earlier queue id is returned.
 */
export async function enqueueMessage(
  pool: pg.Pool,
  m: {
    queueId: string;
    envid: string;
    mailFrom: string;
    recipients: string[];
    body: Buffer;
    now: number;
    /** The address the MDE chose; null = the relay's default. */
    sourceIp: string | null;
    priority: number;
  },
): Promise<{ queueId: string; added: number }> {
  const { queueId } = m;
  const recipients = [...new Set(m.recipients)];
  // Intake refuses a recipient without a domain; should one get here anyway, the whole address stands in for its
  // domain (the column is NOT NULL).
  const domains = recipients.map((r) => domainOf(r) ?? r.toLowerCase());
  const now = new Date(m.now);
  // One statement, so one round trip and an implicit transaction: the recipients first (their foreign key to the
  // message is deferred to the commit at the statement's end), then the body only if at least one of them is new,
  // and an event per new recipient.
  const res = await pool.query<{ added: number }>(
    `WITH rec AS (
       INSERT INTO relay_recipients (message_id, envid, recipient, domain, status, queued_at, next_attempt_at, updated_at, source_ip, priority)
       SELECT $1, $2, r, d, 'queued', $5, $5, $5, $6, $7 FROM unnest($3::text[], $4::text[]) AS t(r, d)
       ON CONFLICT (envid, recipient) DO NOTHING RETURNING id, envid, recipient
     ), body AS (
       INSERT INTO relay_messages (id, envid, mail_from, body, size, received_at)
       SELECT $1, $2, $8, $9, $10, $5 WHERE EXISTS (SELECT 1 FROM rec)
     ), events AS (
       INSERT INTO relay_events (recipient_id, envid, recipient, status, attempts, at)
       SELECT id, envid, recipient, 'queued', 0, $5 FROM rec ORDER BY id
     )
     SELECT count(*)::int AS added FROM rec`,
    [queueId, m.envid, recipients, domains, now, m.sourceIp, m.priority, m.mailFrom, m.body, m.body.length],
  );
  const added = res.rows[0]?.added ?? 0;
  if (added > 0) return { queueId, added };
  const prior = await pool.query<{ message_id: string }>(
    'SELECT message_id FROM relay_recipients WHERE envid = $1 AND recipient = ANY($2) ORDER BY id LIMIT 1',
    [m.envid, recipients],
  );
  return { queueId: prior.rows[0]?.message_id ?? queueId, added: 0 };
}

const DUE = `((r.status IN ('queued','deferred') AND r.next_attempt_at <= $1) OR (r.status = 'delivering' AND r.lease_until <= $1))`;

/** Per-destination limits for one claim: the keys below `defaultAllowed`, and how many sessions each may start. */
export interface ClaimLimits {
  keys: ReadonlyArray<{ sourceIp: string; domain: string; allowed: number }>;
  defaultAllowed: number;
}

/**
 * Claims up to `maxGroups` due (message, domain, source address) groups, higher priority first, then the longest
 * waiting. Each (source address, domain) key contributes at most its allowance, so a key at its concurrency limit
 * or paused by the throttle is skipped and the groups behind it are claimed instead: a slow destination never holds
 * up the head of the queue. Within a key, too, priority decides which group goes first. Claimed rows become
 * `delivering` until `leaseMs` from now: a relay that dies mid-delivery leaves them to be picked again.
 */
export async function claimDueGroups(
  pool: pg.Pool,
  p: { now: number; maxGroups: number; leaseMs: number; source: SourceAddresses; limits: ClaimLimits },
): Promise<DeliveryGroup[]> {
  const now = new Date(p.now);
  const ip = effectiveSourceIp('$4', '$5');
  const keys = p.limits.keys;
  const res = await pool.query<{
    id: string;
    message_id: string;
    envid: string;
    recipient: string;
    domain: string;
    source_ip: string;
    attempts: number;
    queued_at: Date;
  }>(
    `WITH grp AS (
       SELECT r.message_id, r.domain, ${ip} AS source_ip, max(r.priority) AS prio, min(r.next_attempt_at) AS since
       FROM relay_recipients r WHERE ${DUE} GROUP BY 1, 2, 3
     ), ranked AS (
       SELECT g.*, row_number() OVER (PARTITION BY g.source_ip, g.domain ORDER BY g.prio DESC, g.since, g.message_id) AS n FROM grp g
     ), chosen AS (
       SELECT k.message_id, k.domain, k.source_ip FROM ranked k
       LEFT JOIN unnest($6::text[], $7::text[], $8::int[]) AS l(ip, domain, allowed) ON l.ip = k.source_ip AND l.domain = k.domain
       WHERE k.n <= coalesce(l.allowed, $9) ORDER BY k.prio DESC, k.since LIMIT $2
     ), picked AS (
       SELECT r.id, c.source_ip FROM relay_recipients r JOIN chosen c ON c.message_id = r.message_id AND c.domain = r.domain AND c.source_ip = ${ip}
       WHERE ${DUE} FOR UPDATE OF r SKIP LOCKED
     )
     UPDATE relay_recipients r SET status = 'delivering', lease_until = $3, attempts = r.attempts + 1, updated_at = $1
     FROM picked WHERE r.id = picked.id
     RETURNING r.id, r.message_id, r.envid, r.recipient, r.domain, picked.source_ip, r.attempts, r.queued_at`,
    [
      now,
      p.maxGroups,
      new Date(p.now + p.leaseMs),
      p.source.hosted,
      p.source.defaultIp,
      keys.map((k) => k.sourceIp),
      keys.map((k) => k.domain),
      keys.map((k) => k.allowed),
      p.limits.defaultAllowed,
    ],
  );
  const groups = new Map<string, DeliveryGroup>();
  for (const r of res.rows.sort((a, b) => Number(a.id) - Number(b.id))) {
    const key = `${r.message_id}\n${r.domain}\n${r.source_ip}`;
    let g = groups.get(key);
    if (!g)
      groups.set(
        key,
        (g = { messageId: r.message_id, envid: r.envid, domain: r.domain, sourceIp: r.source_ip, recipients: [] }),
      );
    g.recipients.push({ id: r.id, recipient: r.recipient, attempts: r.attempts, queuedAt: r.queued_at.getTime() });
  }
  return [...groups.values()];
}

export async function loadMessage(
  pool: pg.Pool,
  messageId: string,
): Promise<{ mailFrom: string; body: Buffer } | undefined> {
  const res = await pool.query<{ mail_from: string; body: Buffer }>(
    // A purged body (retention, finished messages only) reads as missing: the loop fails such a row, never sends NULL.
    'SELECT mail_from, body FROM relay_messages WHERE id = $1 AND body IS NOT NULL',
    [messageId],
  );
  const row = res.rows[0];
  return row && { mailFrom: row.mail_from, body: row.body };
}

/**
 * Writes one attempt's outcomes and their events in a single statement (atomic without a transaction round trip,
 * which keeps the window between a destination's 250 and our commit short). Rows whose claim was superseded are
 * left alone. Returns the events written, as status feed items (what the relay pushes to the MDE).
 */
export async function recordAttempt(
  pool: pg.Pool,
  p: { now: number; sourceIp: string; results: AttemptResult[] },
): Promise<FeedItem[]> {
  const r = p.results;
  const res = await pool.query<FeedRow>(
    `WITH input AS (
       SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $11::text[], $12::text[], $13::text[])
         AS t(id, attempts, status, smtp_code, enhanced_code, response, reason, next_at, tls, smtp_command, remote_host)
     ), upd AS (
       UPDATE relay_recipients r SET status = i.status, smtp_code = i.smtp_code, enhanced_code = i.enhanced_code,
         response = i.response, reason = i.reason, next_attempt_at = coalesce(i.next_at, r.next_attempt_at), tls = i.tls::jsonb,
         smtp_command = i.smtp_command, remote_host = i.remote_host, lease_until = NULL, updated_at = $9
       FROM input i WHERE r.id = i.id AND r.status = 'delivering' AND r.attempts = i.attempts
       RETURNING r.*
     )
     INSERT INTO relay_events (recipient_id, envid, recipient, status, attempts, smtp_code, enhanced_code, response, reason, source_ip, at, tls, smtp_command, remote_host)
     SELECT id, envid, recipient, status, attempts, smtp_code, enhanced_code, response, reason, $10, $9, tls, smtp_command, remote_host FROM upd ORDER BY id
     RETURNING ${feedColumns}`,
    [
      r.map((x) => x.id),
      r.map((x) => x.attempts),
      r.map((x) => x.status),
      r.map((x) => x.reply.code),
      r.map((x) => x.reply.enhanced),
      r.map((x) => x.reply.response),
      r.map((x) => x.reason),
      r.map((x) => (x.nextAttemptAt === null ? null : new Date(x.nextAttemptAt))),
      new Date(p.now),
      p.sourceIp,
      r.map((x) => (x.tls ? JSON.stringify(x.tls) : null)),
      r.map((x) => x.reply.command ?? null),
      r.map((x) => x.reply.remoteHost ?? null),
    ],
  );
  return res.rows.map(toFeedItem).sort((a, b) => a.seq - b.seq);
}
