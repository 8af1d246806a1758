import type { BounceMessage, MessageHeader } from '../../../src/domain/bounces/bounce-message.js';
import { classifyBounce, type RecipientReport } from '../../../src/domain/bounces/classify-bounce.js';

// Small synthetic bounces for the classifier's unit tests.

/** One header line of a synthetic message. */
export const h = (name: string, value: string) => ({ name, value });

/**
 * The opening of qmail-send's failure notice (qmail-send.c), which Haraka's outbound bounce copies word for word with
 * its own program name.
 */
export const qmailOpening = (host: string, program = 'qmail-send'): string =>
  `Hi. This is the ${program} program at ${host}.\nI'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n`;

/** The opening of Exim's permanent failure notice (its default bounce text, wrapped as Exim wraps it). */
const EXIM_FAILED_OPENING =
  'This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n';

/** Exim's permanent failure notice listing the given entries, as the host's Mailer-Daemon sends it. */
export function eximFailure(
  entries: string,
  host = 'mx.example.org',
  headers: readonly MessageHeader[] = [],
): BounceMessage {
  return textNotice(EXIM_FAILED_OPENING + entries, {
    subject: 'Mail delivery failed: returning message to sender',
    from: `Mail Delivery System <Mailer-Daemon@${host}>`,
    headers,
  });
}

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
