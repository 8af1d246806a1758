import SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';
import { localFailure, parseSmtpReply, type ParsedReply } from '../domain/relay/smtp-reply-parse.js';
import type { DeliveryHost } from './resolve-route.js';

// One SMTP delivery attempt for a group of recipients of one message at one domain: try the hosts in order until
// one answers, send once, and return the reply that concerns each recipient (its RCPT rejection, or the DATA reply),
// plus the codes the destination answered with, by stage, for the per-destination throttle.

export interface DeliveryAttempt {
  hosts: DeliveryHost[];
  from: string;
  to: string[];
  raw: Buffer;
  sourceIp: string;
  heloName: string;
  timeoutsMs?: { connect?: number; greeting?: number; socket?: number };
}
export interface DeliveryReport {
  replies: Map<string, ParsedReply>;
  host: string | null;
  secure: boolean;
  /**
   * Reply codes that concern the session as a whole (greeting, EHLO, MAIL, DATA, a 421 at any point), from every
   * host tried, and those given to single recipients at RCPT: what the per-destination throttle judges by.
   */
  sessionCodes: number[];
  rcptCodes: number[];
}

type SmtpError = Error & { response?: string; responseCode?: number; code?: string; command?: string; recipient?: string; rejectedErrors?: SmtpError[] };

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
  const sessionCodes: number[] = [];
  const rcptCodes: number[] = [];
  const note = (codes: number[], reply: ParsedReply): ParsedReply => {
    if (reply.code !== null) codes.push(reply.code);
    return reply;
  };
  const rejected = (errors: SmtpError[] | undefined, replies: Map<string, ParsedReply>): void => {
    for (const e of errors ?? []) if (e.recipient) replies.set(e.recipient, note(rcptCodes, errorReply(e)));
  };
  for (const h of o.hosts) {
    let conn: SMTPConnection;
    try {
      conn = await open(o, h);
    } catch (err) {
      failure = note(sessionCodes, errorReply(err as SmtpError)); // the next host may answer; otherwise every recipient gets this
      continue;
    }
    const replies = new Map<string, ParsedReply>();
    try {
      const info = await send(conn, o);
      rejected(info.rejectedErrors, replies);
      const accepted = parseSmtpReply(info.response);
      for (const r of o.to) if (!replies.has(r)) replies.set(r, accepted);
    } catch (err) {
      const e = err as SmtpError;
      rejected(e.rejectedErrors, replies);
      // "all recipients were rejected" repeats a RCPT reply; anything else (MAIL, DATA, a 421) is the session's
      const reply = e.command === 'RCPT TO' ? errorReply(e) : note(sessionCodes, errorReply(e));
      for (const r of o.to) if (!replies.has(r)) replies.set(r, reply);
    } finally {
      conn.quit();
    }
    return { replies, host: `${h.host}:${h.port}`, secure: conn.secure, sessionCodes, rcptCodes };
  }
  return { replies: new Map(o.to.map((r) => [r, failure])), host: null, secure: false, sessionCodes, rcptCodes };
}
