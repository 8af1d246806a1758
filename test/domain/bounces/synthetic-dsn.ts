import type { BounceMessage, MessageHeader } from '../../../src/domain/bounces/bounce-message.js';
import { classifyBounce, type RecipientReport } from '../../../src/domain/bounces/classify-bounce.js';

// Small synthetic bounces for the classifier's unit tests.

/** One header line of a synthetic message. */
export const h = (name: string, value: string) => ({ name, value });

/** A multipart/report DSN from mx.example carrying the given delivery-status per-recipient fields. */
export function dsn(fields: string, text = 'I could not deliver your message.'): BounceMessage {
  return {
    headers: [
      h('from', 'MAILER-DAEMON@mx.example'),
      h('subject', 'Undelivered Mail'),
      h('content-type', 'multipart/report; report-type=delivery-status'),
    ],
    parts: [
      { type: 'text/plain', headers: [], text },
      { type: 'message/delivery-status', headers: [], text: `Reporting-MTA: dns; mx.example\n\n${fields}` },
    ],
  };
}

/**
 * A notice in one text part, as a mail system sends it to app@example.org; `headers` adds the fields a mail system
 * marks its notices with (X-Mailer, X-Failed-Recipients ...).
 */
export function textNotice(
  text: string,
  opts: { from?: string; subject?: string; type?: string; headers?: readonly MessageHeader[] } = {},
): BounceMessage {
  return {
    headers: [
      h('from', opts.from ?? 'postmaster@mx.example.org'),
      h('to', 'app@example.org'),
      h('subject', opts.subject ?? 'Undeliverable: hi'),
      ...(opts.headers ?? []),
    ],
    parts: [{ type: opts.type ?? 'text/plain', headers: [], text }],
  };
}

/** The given fields of each recipient the classifier reports for a message. */
export const reported = (m: BounceMessage, ...fields: Array<keyof RecipientReport>): unknown[][] =>
  classifyBounce(m).recipients.map((r) => fields.map((f) => r[f]));
