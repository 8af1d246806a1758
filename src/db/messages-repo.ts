import crypto from 'node:crypto';
import type pg from 'pg';
import type { Queryable } from './pool.js';
import { inTransaction } from './pool.js';
import { canTransition, deriveMessageStatus, type MessageStatus, type RecipientStatus } from '../domain/status.js';
import type { RecipientKind } from '../domain/mime/recipient-kinds.js';
import type { MessageHeaders } from '../domain/mime/message-headers.js';
import { suppressRecipientOfMessage } from './suppressions-repo.js';

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
    [m.id, m.accountId, m.mailFrom, m.envelopeRcpts, m.raw, m.raw.length, m.clientIp, m.submittedAt, m.headers.from ?? null, m.headers.subject ?? null, m.headers.messageId ?? null,
      m.tags ?? [], m.priority ?? null, JSON.stringify(m.metadata ?? {}), m.trackOpens ?? null, m.trackClicks ?? null],
  );
}

/** Undoes an acceptance whose workflow could not be started, so nothing half-done is kept (ingress then answers 451). */
export async function deleteMessage(db: Queryable, id: string): Promise<void> {
  await db.query('DELETE FROM messages WHERE id = $1', [id]);
}

export async function getRawMessage(db: Queryable, id: string): Promise<{ raw: Buffer; mailFrom: string; envelopeRcpts: string[]; priority: string | null } | undefined> {
  const { rows } = await db.query('SELECT raw, mail_from, envelope_rcpts, priority FROM messages WHERE id = $1', [id]);
  const r = rows[0];
  return r ? { raw: r.raw, mailFrom: r.mail_from, envelopeRcpts: r.envelope_rcpts, priority: r.priority } : undefined;
}

export interface MessageEnvelope {
  id: string;
  accountId: string;
  mailFrom: string;
  envelopeRcpts: string[];
  clientIp: string;
  headerFrom: string | null;
  /** The header block (first 256 KiB at most): what recording needs, without loading attachments. */
  headerBlock: Buffer;
}

export async function getMessageEnvelope(db: Queryable, id: string): Promise<MessageEnvelope | undefined> {
  const { rows } = await db.query(
    'SELECT id, account_id, mail_from, envelope_rcpts, client_ip, header_from, substring(raw from 1 for 262144) AS head FROM messages WHERE id = $1',
    [id],
  );
  const r = rows[0];
  return r ? { id: r.id, accountId: r.account_id, mailFrom: r.mail_from, envelopeRcpts: r.envelope_rcpts, clientIp: r.client_ip, headerFrom: r.header_from, headerBlock: r.head } : undefined;
}

/** Idempotent: a replayed activity inserts nothing twice. */
export async function insertRecipients(db: Queryable, messageId: string, recipients: Array<{ address: string; kind: RecipientKind }>): Promise<void> {
  if (recipients.length === 0) return;
  await db.query(
    `INSERT INTO recipients (message_id, address, kind)
     SELECT $1, a, k FROM unnest($2::text[], $3::text[]) AS t(a, k)
     ON CONFLICT (message_id, address) DO NOTHING`,
    [messageId, recipients.map((r) => r.address), recipients.map((r) => r.kind)],
  );
}

export async function getRecipientStatuses(db: Queryable, messageId: string): Promise<Array<{ address: string; kind: RecipientKind; status: RecipientStatus }>> {
  const { rows } = await db.query('SELECT address, kind, status FROM recipients WHERE message_id = $1 ORDER BY address', [messageId]);
  return rows.map((r) => ({ address: r.address, kind: r.kind, status: r.status }));
}

/**
 * Appends an event. With a sourceKey (e.g. "relay-1:feed:42") the same report arriving twice — poll and direct check,
 * or a replayed activity — is stored once; the return value says whether this call stored it.
 */
export async function appendEvent(db: Queryable, e: { messageId: string; type: string; recipient?: string | null; data?: unknown; sourceKey?: string }): Promise<boolean> {
  const r = await db.query(
    'INSERT INTO message_events (message_id, type, recipient, data, source_key) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (source_key) DO NOTHING',
    [e.messageId, e.type, e.recipient ?? null, JSON.stringify(e.data ?? {}), e.sourceKey ?? null],
  );
  return (r.rowCount ?? 0) > 0;
}

/** A part of the message (its recipients) is now on a relay, to be sent from sourceIp. */
export async function markHandedOff(db: pg.Pool, messageId: string, part: { relayId: string; sourceIp: string; recipients: string[] }, response: string): Promise<void> {
  const { relayId, sourceIp, recipients } = part;
  await inTransaction(db, async (c) => {
    await c.query('UPDATE messages SET relay_id = $2, source_ip = $3, updated_at = now() WHERE id = $1', [messageId, relayId, sourceIp]);
    // A new handoff starts a fresh attempt: a deferral (by an earlier relay, or while waiting for an IP) is history.
    await c.query(
      `UPDATE recipients SET status = 'relayed', relay_id = $2, source_ip = $3, updated_at = now()
        WHERE message_id = $1 AND lower(address) = ANY($4::text[]) AND status NOT IN ('delivered', 'bounced', 'failed', 'suppressed')`,
      [messageId, relayId, sourceIp, recipients.map((r) => r.toLowerCase())],
    );
    // One event per (relay, IP, recipient set): a retried activity does not record the handoff twice.
    const set = crypto.createHash('sha1').update([...recipients].map((r) => r.toLowerCase()).sort().join('\n')).digest('hex').slice(0, 16);
    await appendEvent(c, { messageId, type: 'relayed', data: { relayId, sourceIp, recipients, response }, sourceKey: `${messageId}:relayed:${relayId}:${sourceIp}:${set}` });
    await refreshMessageStatus(c, messageId);
  });
}

/** Remembers the route chosen for recipients (pool, rule and the rule's version), for the API and audits. */
export async function recordRoute(db: Queryable, messageId: string, r: { recipients: string[]; pool: string; ruleId: string | null; ruleVersion: number | null }): Promise<void> {
  await db.query(
    `UPDATE recipients SET pool = $3, rule_id = $4, rule_version = $5 WHERE message_id = $1 AND lower(address) = ANY($2::text[])`,
    [messageId, r.recipients.map((a) => a.toLowerCase()), r.pool, r.ruleId, r.ruleVersion],
  );
}

/** Recipients waiting for a usable IP show `deferred` with the reason as their last response. */
export async function deferWaitingRecipients(db: pg.Pool, messageId: string, recipients: string[], why: string): Promise<void> {
  await inTransaction(db, async (c) => {
    await c.query(
      `UPDATE recipients SET status = 'deferred', smtp_response = $3, updated_at = now()
        WHERE message_id = $1 AND lower(address) = ANY($2::text[]) AND status NOT IN ('delivered', 'bounced', 'failed', 'suppressed')`,
      [messageId, recipients.map((a) => a.toLowerCase()), why],
    );
    await refreshMessageStatus(c, messageId);
  });
}

export interface RecipientUpdate {
  recipient: string;
  status: RecipientStatus;
  smtpCode: number | null;
  enhancedCode: string | null;
  response: string | null;
  reason?: string | null;
  relayId: string;
  sourceIp: string | null;
  at: string;
  /** A `bounced` report's classification (src/domain/bounces): stored on the recipient; a hard one suppresses the address. */
  bounce?: { reason: string; hard: boolean } | null;
}

/**
 * Applies one status report for one recipient: stores the event once (by sourceKey) and moves the recipient forward
 * if the transition is allowed. Returns the recipient's status afterwards, or undefined if unknown.
 */
export async function applyRecipientUpdate(db: pg.Pool, messageId: string, u: RecipientUpdate, sourceKey: string): Promise<RecipientStatus | undefined> {
  return inTransaction(db, async (c) => {
    const { rows } = await c.query('SELECT status FROM recipients WHERE message_id = $1 AND lower(address) = lower($2) FOR UPDATE', [messageId, u.recipient]);
    const current = rows[0]?.status as RecipientStatus | undefined;
    if (!current) return undefined;
    const fresh = await appendEvent(c, {
      messageId,
      type: u.status,
      recipient: u.recipient,
      data: {
        smtpCode: u.smtpCode, enhancedCode: u.enhancedCode, response: u.response, reason: u.bounce?.reason ?? u.reason ?? null, relayId: u.relayId, sourceIp: u.sourceIp, at: u.at,
        ...(u.bounce ? { hard: u.bounce.hard, source: 'sync' } : {}),
      },
      sourceKey,
    });
    if (!fresh || !canTransition(current, u.status)) return current;
    await c.query(
      `UPDATE recipients SET status = $3, smtp_code = $4, enhanced_code = $5, smtp_response = $6, relay_id = $7, source_ip = COALESCE($8, source_ip), updated_at = $9,
              bounce_reason = COALESCE($10, bounce_reason), bounce_hard = COALESCE($11, bounce_hard)
        WHERE message_id = $1 AND lower(address) = lower($2)`,
      [messageId, u.recipient, u.status, u.smtpCode, u.enhancedCode, u.response, u.relayId, u.sourceIp, u.at, u.bounce?.reason ?? null, u.bounce?.hard ?? null],
    );
    await refreshMessageStatus(c, messageId);
    if (u.status === 'bounced' && u.bounce?.hard) await suppressRecipientOfMessage(c, messageId, u.recipient, 'hard-bounce', `${u.bounce.reason} ${u.enhancedCode ?? u.smtpCode ?? ''}`.trim());
    return u.status;
  });
}

export async function refreshMessageStatus(db: Queryable, messageId: string): Promise<MessageStatus> {
  const { rows } = await db.query('SELECT status FROM recipients WHERE message_id = $1', [messageId]);
  const status = deriveMessageStatus(rows.map((r) => r.status as RecipientStatus));
  await db.query('UPDATE messages SET status = $2, updated_at = now() WHERE id = $1 AND status <> $2', [messageId, status]);
  return status;
}

/**
 * Marks unfinished recipients failed (policy refusal after acceptance, or no relay could take them within the
 * lifetime): all of them, or only the given ones.
 */
export async function failOpenRecipients(db: pg.Pool, messageId: string, reason: string, only?: string[]): Promise<void> {
  await inTransaction(db, async (c) => {
    const { rows } = await c.query(
      `UPDATE recipients SET status = 'failed', smtp_response = $2, updated_at = now()
        WHERE message_id = $1 AND status NOT IN ('delivered', 'bounced', 'failed', 'suppressed') AND ($3::text[] IS NULL OR lower(address) = ANY($3::text[])) RETURNING address`,
      [messageId, reason, only ? only.map((a) => a.toLowerCase()) : null],
    );
    for (const r of rows) await appendEvent(c, { messageId, type: 'failed', recipient: r.address, data: { reason }, sourceKey: `${messageId}:failed:${r.address}` });
    await refreshMessageStatus(c, messageId);
  });
}
