import type { Queryable } from './pool.js';

// Read models for the API: one message with its recipients and events, and a paged, filtered list.

export interface MessageView {
  id: string;
  status: string;
  mailFrom: string;
  headerFrom: string | null;
  subject: string | null;
  messageId: string | null;
  size: number;
  /** `stored` while the raw MIME is kept; `purged` once retention dropped it (the row, recipients and events stay). */
  raw: 'stored' | 'purged';
  rawPurgedAt: string | null;
  clientIp: string;
  submittedAt: string;
  tags: string[];
  priority: string | null;
  /** From X-Relay-Metadata-* and the providers' aliases at submission. */
  metadata: Record<string, string>;
  /** Per-message tracking override from the submission headers; null = the account's setting. */
  track: { opens: boolean | null; clicks: boolean | null };
  recipients: Array<{
    address: string;
    kind: string;
    status: string;
    smtpCode: number | null;
    enhancedCode: string | null;
    smtpResponse: string | null;
    /** The SMTP step smtpResponse answered (CONN, HELO, MAIL, RCPT, DATA) and the host that gave it, when known. */
    smtpCommand: string | null;
    remoteHost: string | null;
    relayId: string | null;
    sourceIp: string | null;
    route: { pool: string; ruleId: string | null; ruleVersion: number | null } | null;
    /** Classification of a bounce (synchronous reply or DSN): reason from a fixed vocabulary, hard or soft. */
    bounce: { reason: string; hard: boolean } | null;
    /** The TLS of the last delivery attempt as the relay reported it; null before any (or from an older relay). */
    tls: {
      version: string | null;
      cipher: string | null;
      verified: boolean;
      mtaSts: string;
      failure: string | null;
    } | null;
    updatedAt: string;
  }>;
  events: Array<{ type: string; recipient: string | null; at: string; data: unknown }>;
}

type Row = Record<string, unknown>;
const iso = (d: unknown): string => (d instanceof Date ? d.toISOString() : String(d));

function summary(r: Row): Omit<MessageView, 'recipients' | 'events'> {
  return {
    id: r.id as string,
    status: r.status as string,
    mailFrom: r.mail_from as string,
    headerFrom: (r.header_from as string | null) ?? null,
    subject: (r.subject as string | null) ?? null,
    messageId: (r.message_id as string | null) ?? null,
    size: r.size as number,
    raw: r.raw_purged_at ? 'purged' : 'stored',
    rawPurgedAt: r.raw_purged_at ? iso(r.raw_purged_at) : null,
    clientIp: r.client_ip as string,
    submittedAt: iso(r.submitted_at),
    tags: (r.tags as string[] | null) ?? [],
    priority: (r.priority as string | null) ?? null,
    metadata: (r.metadata as Record<string, string> | null) ?? {},
    track: { opens: (r.track_opens as boolean | null) ?? null, clicks: (r.track_clicks as boolean | null) ?? null },
  };
}

const summaryColumns =
  'id, account_id, status, mail_from, header_from, subject, message_id, size, raw_purged_at, client_ip, submitted_at, tags, priority, metadata, track_opens, track_clicks';

/** accountId undefined = admin (sees all); otherwise another account's message is simply not found. */
export async function getMessageView(
  db: Queryable,
  id: string,
  accountId: string | undefined,
): Promise<MessageView | undefined> {
  const { rows } = await db.query(
    `SELECT ${summaryColumns} FROM messages WHERE id = $1 AND ($2::text IS NULL OR account_id = $2)`,
    [id, accountId ?? null],
  );
  const m = rows[0];
  if (!m) return undefined;
  const rcpts = await db.query(
    'SELECT address, kind, status, smtp_code, enhanced_code, smtp_response, smtp_command, remote_host, relay_id, source_ip, pool, rule_id, rule_version, bounce_reason, bounce_hard, tls, updated_at FROM recipients WHERE message_id = $1 ORDER BY kind DESC, address',
    [id],
  );
  const events = await db.query(
    'SELECT type, recipient, data, at FROM message_events WHERE message_id = $1 ORDER BY id LIMIT 1000',
    [id],
  );
  return {
    ...summary(m),
    recipients: rcpts.rows.map((r) => ({
      address: r.address,
      kind: r.kind,
      status: r.status,
      smtpCode: r.smtp_code,
      enhancedCode: r.enhanced_code,
      smtpResponse: r.smtp_response,
      smtpCommand: r.smtp_command,
      remoteHost: r.remote_host,
      relayId: r.relay_id,
      sourceIp: r.source_ip,
      route: r.pool ? { pool: r.pool, ruleId: r.rule_id, ruleVersion: r.rule_version } : null,
      bounce: r.bounce_reason ? { reason: r.bounce_reason, hard: r.bounce_hard === true } : null,
      tls: r.tls ?? null,
      updatedAt: iso(r.updated_at),
    })),
    events: events.rows.map((e) => ({ type: e.type, recipient: e.recipient, at: iso(e.at), data: e.data })),
  };
}

export interface MessageListFilter {
  accountId?: string;
  messageId?: string;
  recipient?: string;
  status?: string;
  limit: number;
  cursor?: string;
  /** Messages carrying this tag (exact match). */
  tag?: string;
  /** Messages whose metadata has every one of these key/value pairs (exact match). */
  metadata?: Record<string, string>;
  /** Part of the envelope sender or the From header (case-insensitive substring). */
  sender?: string;
  /** Part of the subject (case-insensitive substring). */
  subject?: string;
  /** Submitted at or after `since`, before `until`. */
  since?: Date;
  until?: Date;
}

/** Newest first; the cursor is the last id of the previous page (ids sort by submission time). */
export async function listMessages(
  db: Queryable,
  f: MessageListFilter,
): Promise<{ items: Array<Omit<MessageView, 'recipients' | 'events'>>; nextCursor: string | null }> {
  const { rows } = await db.query(
    `SELECT ${summaryColumns} FROM messages m
      WHERE ($1::text IS NULL OR account_id = $1)
        AND ($2::text IS NULL OR message_id = $2)
        AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM recipients r WHERE r.message_id = m.id AND lower(r.address) = lower($3)))
        AND ($4::text IS NULL OR status = $4)
        AND ($5::text IS NULL OR id < $5)
        AND ($7::text IS NULL OR tags @> ARRAY[$7::text])
        AND ($8::jsonb IS NULL OR metadata @> $8::jsonb)
        AND ($9::text IS NULL OR strpos(lower(mail_from), lower($9)) > 0 OR strpos(lower(coalesce(header_from, '')), lower($9)) > 0)
        AND ($10::text IS NULL OR strpos(lower(coalesce(subject, '')), lower($10)) > 0)
        AND ($11::timestamptz IS NULL OR submitted_at >= $11)
        AND ($12::timestamptz IS NULL OR submitted_at < $12)
      ORDER BY id DESC LIMIT $6`,
    [
      f.accountId ?? null,
      f.messageId ?? null,
      f.recipient ?? null,
      f.status ?? null,
      f.cursor ?? null,
      f.limit + 1,
      f.tag ?? null,
      f.metadata && Object.keys(f.metadata).length > 0 ? JSON.stringify(f.metadata) : null,
      f.sender || null,
      f.subject || null,
      f.since ?? null,
      f.until ?? null,
    ],
  );
  const page = rows.slice(0, f.limit).map(summary);
  return { items: page, nextCursor: rows.length > f.limit ? (page[page.length - 1]?.id ?? null) : null };
}
