import type { BounceMessage } from '../../../src/domain/bounces/bounce-message.js';

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
