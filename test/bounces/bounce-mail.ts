// Test helpers for the bounce receiver: a raw SMTP delivery as a remote MTA makes it (null sender, no AUTH), and an
// RFC 3464 delivery report as Postfix writes one.
import { SmtpChat, isWellFormedReply } from '../helpers/smtp-chat.js';

export interface DeliveryReplies {
  greeting: string;
  ehlo: string;
  mail: string;
  rcpts: string[];
  data?: string;
}

/** MAIL FROM:<sender> (default the null sender), one RCPT per address, then DATA if any RCPT was accepted. */
export async function deliverToReceiver(
  port: number,
  rcpts: string[],
  raw: string,
  sender = '',
): Promise<DeliveryReplies> {
  const { chat, greeting } = await SmtpChat.connect(port);
  try {
    const ehlo = await chat.send('EHLO mx.remote.test');
    const mail = await chat.send(`MAIL FROM:<${sender}>`);
    const replies: string[] = [];
    for (const r of rcpts) replies.push(await chat.send(`RCPT TO:<${r}>`));
    const out: DeliveryReplies = { greeting, ehlo, mail, rcpts: replies };
    if (replies.some((r) => r.startsWith('250'))) {
      const go = await chat.send('DATA');
      if (!go.startsWith('354')) throw new Error(`DATA refused: ${go}`);
      const body = raw.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
      out.data = await chat.send(`${body}${body.endsWith('\r\n') ? '' : '\r\n'}.`);
    }
    await chat.send('QUIT').catch(() => undefined);
    for (const r of [greeting, ehlo, mail, ...replies, out.data ?? '220 x'])
      if (!isWellFormedReply(r)) throw new Error(`malformed reply: ${r}`);
    return out;
  } finally {
    chat.close();
  }
}

/** A Postfix-style DSN (multipart/report; report-type=delivery-status) for one recipient. */
export function dsn(o: {
  verp: string;
  recipient: string;
  action: 'failed' | 'delayed';
  status: string;
  diagnostic: string;
  subject?: string;
}): string {
  return [
    'From: MAILER-DAEMON@mx.dest.test (Mail Delivery System)',
    `To: ${o.verp}`,
    `Subject: ${o.subject ?? (o.action === 'failed' ? 'Undelivered Mail Returned to Sender' : 'Delayed Mail (still being retried)')}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B1"',
    '',
    '--B1',
    'Content-Type: text/plain',
    '',
    o.action === 'failed'
      ? "I'm sorry to have to inform you that your message could not be delivered."
      : 'Your message could not be delivered for 4 hours. It will be retried until it is 5 days old.',
    '',
    '--B1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.dest.test',
    '',
    `Final-Recipient: rfc822; ${o.recipient}`,
    `Action: ${o.action}`,
    `Status: ${o.status}`,
    'Remote-MTA: dns; mailbox.dest.test',
    `Diagnostic-Code: smtp; ${o.diagnostic}`,
    '',
    '--B1',
    'Content-Type: text/rfc822-headers',
    '',
    `Return-Path: <${o.verp}>`,
    'From: billing@example.com',
    `To: ${o.recipient}`,
    'Subject: Invoice',
    '',
    '--B1--',
    '',
  ].join('\n');
}
