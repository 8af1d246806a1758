import type { TLSSocket } from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';
import { boundedReply, localFailure, parseSmtpReply, type ParsedReply } from '../domain/relay/smtp-reply-parse.js';
import { parseIpAddress } from '../domain/network/address-class.js';
import {
  decideSession,
  mxAllowed,
  type DeliveryTls,
  type MtaStsPolicy,
  type SessionTls,
  type TlsFailure,
} from '../domain/relay/mta-sts.js';
import { relayLocalFailures } from '../domain/relay/relay-replies.js';
import type { SmtpCommand } from '../domain/bounces/smtp-codes.js';
import { MAX_HOST_NAME } from '../domain/mime/address.js';
import { messageForData } from '../smtp/message-for-data.js';
import type { DeliveryHost } from './resolve-route.js';

// One SMTP delivery attempt for a group of recipients of one message at one domain: try the hosts in order until
// one answers, send once, and return the reply that concerns each recipient (its RCPT rejection, or the DATA reply),
// plus the codes the destination answered with, by stage, for the per-destination throttle, and the TLS used.
//
// Under a domain's MTA-STS policy (RFC 8461) each host is judged before the mail transaction starts: after EHLO and
// STARTTLS, the session's TLS (and the host's match with the policy's mx patterns) goes to decideSession. In
// `enforce` a host that fails is left with QUIT before MAIL FROM, so the mail is never sent in clear or to an
// unverified host; when every host fails, each recipient gets the relay's own 4.7.5 (a deferral). In `testing` the
// failure is recorded in the TLS facts and the mail goes on.

export interface DeliveryAttempt {
  hosts: DeliveryHost[];
  from: string;
  to: string[];
  raw: Buffer;
  sourceIp: string;
  heloName: string;
  timeoutsMs?: { connect?: number; greeting?: number; socket?: number };
  /** The recipient domain's MTA-STS policy; absent = none (opportunistic TLS, as before). */
  mtaSts?: MtaStsPolicy;
  /** Trusted CAs for the certificate check (the system's plus RELAY_EXTRA_CA_FILE); absent = Node's defaults. */
  ca?: string[];
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
  /** The TLS of the session that carried the mail, or of the last host tried; null when no host was tried. */
  tls: DeliveryTls | null;
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

/** nodemailer's name of the command a reply answered, as the session's step the bounce rules read. */
const ANSWERED: Readonly<Record<string, SmtpCommand>> = {
  CONN: 'CONN',
  EHLO: 'HELO',
  HELO: 'HELO',
  LHLO: 'HELO',
  'MAIL FROM': 'MAIL',
  'RCPT TO': 'RCPT',
  DATA: 'DATA',
};

/** A destination's reply with where it came from: the command it answered and its host (a DNS name's length at most). */
const answered = (reply: ParsedReply, command: SmtpCommand | null, host: string): ParsedReply => ({
  ...reply,
  command,
  remoteHost: host.slice(0, MAX_HOST_NAME),
});

/** The reply in an error, with the command it answered and the host that gave it, or the local failure. */
function errorReply(err: SmtpError, host: string): ParsedReply {
  if (err.response) return answered(parseReply(err.response), ANSWERED[err.command ?? ''] ?? null, host);
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

function open(o: DeliveryAttempt, h: Endpoint, enforce: boolean): Promise<SMTPConnection> {
  const conn = new SMTPConnection({
    // A checked address is connected to as the IP it is (no second lookup); the name stays the TLS servername.
    host: h.address ?? h.host,
    port: h.port,
    localAddress: o.sourceIp,
    name: o.heloName,
    // Opportunistic STARTTLS as MTAs do between each other: encrypt when offered, without authenticating the peer
    // at the handshake. The certificate is still checked against `ca` and the host name (Node sets `authorized`),
    // and under an MTA-STS policy that verdict decides before anything is sent. Under `enforce` a failed STARTTLS
    // is an error rather than a fall-back to plaintext.
    opportunisticTLS: !enforce,
    tls: {
      rejectUnauthorized: false,
      ...(o.ca ? { ca: o.ca } : {}),
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
    conn.send({ from: o.from, to: o.to }, messageForData(o.raw), (err, info) =>
      err || !info ? reject(err ?? new Error('no send result')) : resolve(info),
    );
  });
}

/** The session's TLS as Node reports it, read after EHLO (and STARTTLS when it happened). */
function sessionTls(conn: SMTPConnection): SessionTls & { version: string | null; cipher: string | null } {
  // nodemailer keeps its socket private; after STARTTLS it is the TLSSocket (null/false before a connection).
  const socket = (conn as unknown as { _socket?: TLSSocket | false | null })._socket;
  if (!conn.secure || !socket || typeof socket.getProtocol !== 'function')
    return { secure: false, verified: false, verifyError: null, version: null, cipher: null };
  const error = socket.authorizationError as unknown as string | Error | null | undefined;
  return {
    secure: true,
    verified: socket.authorized,
    verifyError: socket.authorized ? null : typeof error === 'string' ? error : (error?.message ?? 'unknown'),
    version: socket.getProtocol(),
    cipher: socket.getCipher()?.name ?? null,
  };
}

const notMet = (domainHost: string, failure: TlsFailure): ParsedReply => {
  const f = relayLocalFailures.mtaStsNotMet;
  return localFailure(`${f.text}: ${domainHost} (${failure})`, f.enhanced);
};

export async function deliverOverSmtp(o: DeliveryAttempt): Promise<DeliveryReport> {
  let failure: ParsedReply = localFailure('no delivery host');
  let lastTls: DeliveryTls | null = null;
  const mode = o.mtaSts?.mode ?? 'none';
  const enforce = mode === 'enforce';
  const sessionCodes: number[] = [];
  const rcptCodes: number[] = [];
  const note = (codes: number[], reply: ParsedReply): ParsedReply => {
    if (reply.code !== null) codes.push(reply.code);
    return reply;
  };
  const rejected = (errors: SmtpError[] | undefined, replies: Map<string, ParsedReply>, host: string): void => {
    for (const e of errors ?? []) if (e.recipient) replies.set(e.recipient, note(rcptCodes, errorReply(e, host)));
  };
  for (const h of o.hosts.flatMap((x) => endpoints(x, o.sourceIp))) {
    const mxMatched = o.mtaSts === undefined || mxAllowed(o.mtaSts, h.host);
    if (enforce && !mxMatched) {
      // Not even a connection: the policy does not name this host.
      failure = notMet(h.host, 'mx-not-in-policy');
      lastTls = { version: null, cipher: null, verified: false, mtaSts: mode, failure: 'mx-not-in-policy' };
      continue;
    }
    let conn: SMTPConnection;
    try {
      conn = await open(o, h, enforce);
    } catch (err) {
      const e = err as SmtpError;
      // Under enforce a STARTTLS that failed is the policy not met (4.7.5), not a host that did not answer.
      if (enforce && e.code === 'ETLS') {
        failure = notMet(h.host, 'validation-failure');
        lastTls = { version: null, cipher: null, verified: false, mtaSts: mode, failure: 'validation-failure' };
      } else failure = note(sessionCodes, errorReply(e, h.host)); // the next host may answer; otherwise every recipient gets this
      continue;
    }
    const got = sessionTls(conn);
    const decision = decideSession(mode, { ...got, mxMatched });
    const tls: DeliveryTls = {
      version: got.version,
      cipher: got.cipher,
      verified: got.verified,
      mtaSts: mode,
      failure: decision.failure,
    };
    if (!decision.send) {
      conn.quit(); // before MAIL FROM: nothing of the message has left
      failure = notMet(h.host, decision.failure ?? 'validation-failure');
      lastTls = tls;
      continue;
    }
    const replies = new Map<string, ParsedReply>();
    try {
      const info = await send(conn, o);
      rejected(info.rejectedErrors, replies, h.host);
      const accepted = answered(parseReply(info.response), 'DATA', h.host);
      for (const r of o.to) if (!replies.has(r)) replies.set(r, accepted);
    } catch (err) {
      const e = err as SmtpError;
      rejected(e.rejectedErrors, replies, h.host);
      // "all recipients were rejected" repeats a RCPT reply; anything else (MAIL, DATA, a 421) is the session's
      const reply = e.command === 'RCPT TO' ? errorReply(e, h.host) : note(sessionCodes, errorReply(e, h.host));
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
      tls,
    };
  }
  return {
    replies: new Map(o.to.map((r) => [r, failure])),
    host: null,
    secure: false,
    sessionCodes,
    rcptCodes,
    tls: lastTls,
  };
}
