import SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';
import { boundedReply, localFailure, parseSmtpReply, type ParsedReply } from '../domain/relay/smtp-reply-parse.js';
import { parseIpAddress } from '../domain/network/address-class.js';
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

type SmtpError = Error & {
  response?: string;
  responseCode?: number;
  code?: string;
  command?: string;
  recipient?: string;
  rejectedErrors?: SmtpError[];
};

// A destination's reply is recorded, but a hostile or broken server can answer with megabytes: every reply and error
// text leaves this module cut to MAX_REPLY_CHARS (the basic and enhanced codes are parsed from the whole reply first).
const parseReply = (text: string): ParsedReply => boundedReply(parseSmtpReply(text));

function errorReply(err: SmtpError): ParsedReply {
  if (err.response) return parseReply(err.response);
  // A message larger than the destination's advertised SIZE will never fit there.
  return boundedReply(localFailure(err.message, err.code === 'EMESSAGE' ? '5.3.4' : null));
}

/** One connection target: a checked address of a host (its name kept for TLS SNI), or a transport host as written. */
interface Endpoint {
  host: string;
  port: number;
  address?: string;
}

/** The addresses to try: those of the source address's family first (a bound socket cannot reach the other one). */
function endpoints(h: DeliveryHost, sourceIp: string): Endpoint[] {
  if (!h.addresses) return [{ host: h.host, port: h.port }];
  const v6 = sourceIp.includes(':');
  const ordered = [
    ...h.addresses.filter((a) => a.includes(':') === v6),
    ...h.addresses.filter((a) => a.includes(':') !== v6),
  ];
  return ordered.map((address) => ({ host: h.host, port: h.port, address }));
}

function open(o: DeliveryAttempt, h: Endpoint): Promise<SMTPConnection> {
  const conn = new SMTPConnection({
    // A checked address is connected to as the IP it is (no second lookup); the name stays the TLS servername.
    host: h.address ?? h.host,
    port: h.port,
    localAddress: o.sourceIp,
    name: o.heloName,
    // Opportunistic STARTTLS as MTAs do between each other: encrypt when offered, without authenticating the peer.
    opportunisticTLS: true,
    tls: {
      rejectUnauthorized: false,
      ...(h.address !== undefined && parseIpAddress(h.host) === undefined ? { servername: h.host } : {}),
    },
    connectionTimeout: o.timeoutsMs?.connect ?? 30_000,
    greetingTimeout: o.timeoutsMs?.greeting ?? 60_000,
    socketTimeout: o.timeoutsMs?.socket ?? 5 * 60_000,
    logger: false,
  });
  conn.on('error', () => undefined); // errors arrive through the callbacks below; an unhandled 'error' would crash the process
  return new Promise((resolve, reject) => {
    conn.once('error', reject);
    conn.connect((err) => (err ? reject(err) : resolve(conn)));
  }).then(
    () => conn,
    (err: unknown) => {
      conn.close();
      throw err;
    },
  );
}

function send(conn: SMTPConnection, o: DeliveryAttempt): Promise<{ response: string; rejectedErrors?: SmtpError[] }> {
  return new Promise((resolve, reject) => {
    conn.send({ from: o.from, to: o.to }, o.raw, (err, info) =>
      err || !info ? reject(err ?? new Error('no send result')) : resolve(info),
    );
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
  for (const h of o.hosts.flatMap((x) => endpoints(x, o.sourceIp))) {
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
      const accepted = parseReply(info.response);
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
    return {
      replies,
      host:
        h.address === undefined || h.address === h.host ? `${h.host}:${h.port}` : `${h.host}[${h.address}]:${h.port}`,
      secure: conn.secure,
      sessionCodes,
      rcptCodes,
    };
  }
  return { replies: new Map(o.to.map((r) => [r, failure])), host: null, secure: false, sessionCodes, rcptCodes };
}
