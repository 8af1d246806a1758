import type { Queryable } from './pool.js';
import { deriveMessageStatus, type MessageStatus, type RecipientStatus } from '../domain/status.js';
import type { RecipientKind } from '../domain/mime/recipient-kinds.js';
import type { MessageHeaders } from '../domain/mime/message-headers.js';
import { HEADER_LIMITS } from '../domain/mime/header-fields.js';
import { normalizeAddress } from '../domain/mime/address.js';

export interface AcceptedMessage {
  id: string;
  accountId: string;
  mailFrom: string;
  envelopeRcpts: string[];
  raw: Buffer;
  clientIp: string;
  submittedAt: Date;
  headers: MessageHeaders;
  /** From X-Relay-Tag / X-Relay-Priority (removed from raw). */
  tags?: string[];
  priority?: string | null;
  /** From X-Relay-Metadata-* and provider aliases (removed from raw). */
  metadata?: Record<string, string>;
  /** Per-message tracking override; undefined/null = the account's setting. */
  trackOpens?: boolean | null;
  trackClicks?: boolean | null;
}

/** Stores a message the moment ingress accepts it (before the 250): the raw MIME is durable from here on. */
export async function insertAcceptedMessage(db: Queryable, m: AcceptedMessage): Promise<void> {
  await db.query(
    `INSERT INTO messages (id, account_id, mail_from, envelope_rcpts, raw, size, client_ip, submitted_at, header_from, subject, message_id, tags, priority,
                           metadata, track_opens, track_clicks)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
    [
      m.id,
      m.accountId,
      m.mailFrom,
      m.envelopeRcpts,
      m.raw,
      m.raw.length,
      m.clientIp,
      m.submittedAt,
      m.headers.from ?? null,
      m.headers.subject ?? null,
      m.headers.messageId ?? null,
      m.tags ?? [],
      m.priority ?? null,
      JSON.stringify(m.metadata ?? {}),
      m.trackOpens ?? null,
      m.trackClicks ?? null,
    ],
  );
}

/** Undoes an acceptance whose workflow could not be started, so nothing half-done is kept (ingress then answers 451). */
export async function deleteMessage(db: Queryable, id: string): Promise<void> {
  await db.query('DELETE FROM messages WHERE id = $1', [id]);
}

export async function getRawMessage(
  db: Queryable,
  id: string,
  /** raw is null once retention purged it. */
): Promise<{ raw: Buffer | null; mailFrom: string; envelopeRcpts: string[]; priority: string | null } | undefined> {
  const { rows } = await db.query('SELECT raw, mail_from, envelope_rcpts, priority FROM messages WHERE id = $1', [id]);
  const r = rows[0];
  return r ? { raw: r.raw, mailFrom: r.mail_from, envelopeRcpts: r.envelope_rcpts, priority: r.priority } : undefined;
}

export async function messageExists(db: Queryable, id: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM messages WHERE id = $1', [id]);
  return rows.length > 0;
}

/** Who submitted the message: its account and envelope sender (what restarting its workflow needs). */
export async function getMessageSender(
  db: Queryable,
  id: string,
): Promise<{ accountId: string; mailFrom: string } | undefined> {
  const { rows } = await db.query<{ account_id: string; mail_from: string }>(
    'SELECT account_id, mail_from FROM messages WHERE id = $1',
    [id],
  );
  const r = rows[0];
  return r ? { accountId: r.account_id, mailFrom: r.mail_from } : undefined;
}

/** What the MDE's rules match on besides the recipient domain: account, envelope sender, tags and priority. */
export async function getMessageRoutingFacts(
  db: Queryable,
  id: string,
): Promise<{ accountId: string; mailFrom: string; tags: string[]; priority: string | null } | undefined> {
  const { rows } = await db.query<{ account_id: string; mail_from: string; tags: string[]; priority: string | null }>(
    'SELECT account_id, mail_from, tags, priority FROM messages WHERE id = $1',
    [id],
  );
  const r = rows[0];
  return r ? { accountId: r.account_id, mailFrom: r.mail_from, tags: r.tags, priority: r.priority } : undefined;
}

/**
 * Whether the message's copies get an open pixel and tracked links: its X-Relay-Track (or provider alias) override,
 * else its account's settings. An unknown message is untracked.
 */
export async function getMessageTracking(db: Queryable, id: string): Promise<{ opens: boolean; clicks: boolean }> {
  const { rows } = await db.query<{ opens: boolean; clicks: boolean }>(
    `SELECT coalesce(m.track_opens, a.track_opens) AS opens, coalesce(m.track_clicks, a.track_clicks) AS clicks
       FROM messages m JOIN accounts a ON a.id = m.account_id WHERE m.id = $1`,
    [id],
  );
  return { opens: rows[0]?.opens === true, clicks: rows[0]?.clicks === true };
}

export interface MessageEnvelope {
  id: string;
  accountId: string;
  mailFrom: string;
  envelopeRcpts: string[];
  clientIp: string;
  headerFrom: string | null;
  /** The start of the message, as long as the largest header block ingress accepts: what recording needs, without loading attachments. */
  /** null once retention purged the raw MIME. */
  headerBlock: Buffer | null;
}

export async function getMessageEnvelope(db: Queryable, id: string): Promise<MessageEnvelope | undefined> {
  const { rows } = await db.query(
    'SELECT id, account_id, mail_from, envelope_rcpts, client_ip, header_from, substring(raw from 1 for $2) AS head FROM messages WHERE id = $1',
    [id, HEADER_LIMITS.maxBlockBytes],
  );
  const r = rows[0];
  return r
    ? {
        id: r.id,
        accountId: r.account_id,
        mailFrom: r.mail_from,
        envelopeRcpts: r.envelope_rcpts,
        clientIp: r.client_ip,
        headerFrom: r.header_from,
        headerBlock: r.head,
      }
    : undefined;
}

/** Idempotent: a replayed activity inserts nothing twice. */
export async function insertRecipients(
  db: Queryable,
  messageId: string,
  recipients: Array<{ address: string; kind: RecipientKind }>,
): Promise<void> {
  if (recipients.length === 0) return;
  await db.query(
    `INSERT INTO recipients (message_id, address, kind)
     SELECT $1, a, k FROM unnest($2::text[], $3::text[]) AS t(a, k)
     ON CONFLICT (message_id, address) DO NOTHING`,
    [messageId, recipients.map((r) => r.address), recipients.map((r) => r.kind)],
  );
}

export async function getRecipientStatuses(
  db: Queryable,
  messageId: string,
): Promise<Array<{ address: string; kind: RecipientKind; status: RecipientStatus }>> {
  const { rows } = await db.query(
    'SELECT address, kind, status FROM recipients WHERE message_id = $1 ORDER BY address',
    [messageId],
  );
  return rows.map((r) => ({ address: r.address, kind: r.kind, status: r.status }));
}

/**
 * Appends an event. With a sourceKey (e.g. "relay-1:feed:42") the same report arriving twice — poll and direct check,
 * or a replayed activity — is stored once; the return value says whether this call stored it.
 */
export async function appendEvent(
  db: Queryable,
  e: { messageId: string; type: string; recipient?: string | null; data?: unknown; sourceKey?: string },
): Promise<boolean> {
  const r = await db.query(
    'INSERT INTO message_events (message_id, type, recipient, data, source_key) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (source_key) DO NOTHING',
    [e.messageId, e.type, e.recipient ?? null, JSON.stringify(e.data ?? {}), e.sourceKey ?? null],
  );
  return (r.rowCount ?? 0) > 0;
}

/** Remembers the route chosen for recipients (pool, rule and the rule's version), for the API and audits. */
export async function recordRoute(
  db: Queryable,
  messageId: string,
  r: { recipients: string[]; pool: string; ruleId: string | null; ruleVersion: number | null },
): Promise<void> {
  await db.query(
    `UPDATE recipients SET pool = $3, rule_id = $4, rule_version = $5 WHERE message_id = $1 AND lower(address) = ANY($2::text[])`,
    [messageId, r.recipients.map(normalizeAddress), r.pool, r.ruleId, r.ruleVersion],
  );
}

/**
 * Derives the message's status from its recipients and stores it when it changed (the finalize stage). The owner of
 * recipient state (recipient-state-repo.ts) reads the statuses with its move and calls storeMessageStatus directly.
 */
export async function refreshMessageStatus(db: Queryable, messageId: string): Promise<MessageStatus> {
  const { rows } = await db.query('SELECT status FROM recipients WHERE message_id = $1', [messageId]);
  return storeMessageStatus(
    db,
    messageId,
    rows.map((r) => r.status as RecipientStatus),
  );
}

/**
 * Stores the status derived from `statuses` (every recipient's, as they are now). `stored` is the message's status as
 * read with them: when the derived one is the same, nothing is written (no round trip).
 */
export async function storeMessageStatus(
  db: Queryable,
  messageId: string,
  statuses: readonly RecipientStatus[],
  stored?: MessageStatus,
): Promise<MessageStatus> {
  const status = deriveMessageStatus(statuses);
  if (status !== stored)
    await db.query('UPDATE messages SET status = $2, updated_at = now() WHERE id = $1 AND status <> $2', [
      messageId,
      status,
    ]);
  return status;
}
