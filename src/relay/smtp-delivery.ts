import SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';
import { localFailure, parseSmtpReply, type ParsedReply } from '../domain/relay/smtp-reply-parse.js';
import type { DeliveryHost } from './resolve-route.js';

// One SMTP delivery attempt for a group of recipients of one message at one domain: try the hosts in order until
// one answers, send once, and return the reply that concerns each recipient (its RCPT rejection, or the DATA reply).

export interface DeliveryAttempt {
  hosts: DeliveryHost[];
  from: string;
  to: string[];
  raw: Buffer;
  sourceIp: string;
  heloName: string;
  timeoutsMs?: { connect?: number; greeting?: number; socket?: number };
}
export interface DeliveryReport { replies: Map<string, ParsedReply>; host: string | null; secure: boolean }

type SmtpError = Error & { response?: string; responseCode?: number; code?: string; recipient?: string; rejectedErrors?: SmtpError[] };

function errorReply(err: SmtpError): ParsedReply {
  if (err.response) return parseSmtpReply(err.response);
  // A message larger than the destination's advertised SIZE will never fit there.
  return localFailure(err.message, err.code === 'EMESSAGE' ? '5.3.4' : null);
}

function open(o: DeliveryAttempt, h: DeliveryHost): Promise<SMTPConnection> {
  const conn = new SMTPConnection({
    host: h.host, port: h.port, localAddress: o.sourceIp, name: o.heloName,
    // Opportunistic STARTTLS as MTAs do between each other: encrypt when offered, without authenticating the peer.
    opportunisticTLS: true, tls: { rejectUnauthorized: false },
    connectionTimeout: o.timeoutsMs?.connect ?? 30_000, greetingTimeout: o.timeoutsMs?.greeting ?? 60_000,
    socketTimeout: o.timeoutsMs?.socket ?? 5 * 60_000, logger: false,
  });
  conn.on('error', () => undefined); // errors arrive through the callbacks below; an unhandled 'error' would crash the process
  return new Promise((resolve, reject) => {
    conn.once('error', reject);
    conn.connect((err) => (err ? reject(err) : resolve(conn)));
  }).then(() => conn, (err: unknown) => { conn.close(); throw err; });
}

function send(conn: SMTPConnection, o: DeliveryAttempt): Promise<{ response: string; rejectedErrors?: SmtpError[] }> {
  return new Promise((resolve, reject) => {
    conn.send({ from: o.from, to: o.to }, o.raw, (err, info) => (err || !info ? reject(err ?? new Error('no send result')) : resolve(info)));
  });
}

export async function deliverOverSmtp(o: DeliveryAttempt): Promise<DeliveryReport> {
  let failure: ParsedReply = localFailure('no delivery host');
  for (const h of o.hosts) {
    let conn: SMTPConnection;
    try {
      conn = await open(o, h);
    } catch (err) {
      failure = errorReply(err as SmtpError); // the next host may answer; otherwise every recipient gets this
      continue;
    }
    const replies = new Map<string, ParsedReply>();
    try {
      const info = await send(conn, o);
      for (const e of info.rejectedErrors ?? []) if (e.recipient) replies.set(e.recipient, errorReply(e));
      const accepted = parseSmtpReply(info.response);
      for (const r of o.to) if (!replies.has(r)) replies.set(r, accepted);
    } catch (err) {
      const e = err as SmtpError;
      for (const re of e.rejectedErrors ?? []) if (re.recipient) replies.set(re.recipient, errorReply(re));
      const reply = errorReply(e);
      for (const r of o.to) if (!replies.has(r)) replies.set(r, reply);
    } finally {
      conn.quit();
    }
    return { replies, host: `${h.host}:${h.port}`, secure: conn.secure };
  }
  return { replies: new Map(o.to.map((r) => [r, failure])), host: null, secure: false };
}
