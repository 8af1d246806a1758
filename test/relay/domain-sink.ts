// A destination SMTP server that behaves per recipient domain, for the relay's throttling and priority tests: it
// answers RCPT or end of DATA from per-domain scripts, can hold a reply until the test releases it (a slow or stuck
// destination), and counts the sessions open at each domain at once (from the first RCPT for the domain until the
// session's final reply for it), so a test can check a per-destination concurrency limit from the receiving side.
import crypto from 'node:crypto';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { smtpReplies } from '../../src/domain/smtp-reply.js';
import { applySmtpReplyPatch } from '../../src/smtp/smtp-reply-patch.js';
import { waitFor } from '../helpers/wait-for.js';
import type { SinkReply } from '../helpers/destination-sink.js';

export interface DomainSinkOptions {
  /** RCPT reply for a recipient, asked at every RCPT (so a test can change its mind); undefined accepts. */
  rcpt?: (domain: string, rcpt: string) => SinkReply | undefined;
  /** End-of-DATA reply for a session whose recipients are at `domain`; undefined accepts. */
  data?: (domain: string) => SinkReply | undefined;
  /** Awaited before a RCPT reply, or before the end-of-DATA reply: stand-ins for a slow or stuck destination. */
  beforeRcptReply?: (domain: string) => Promise<void> | undefined;
  beforeDataReply?: (domain: string) => Promise<void> | undefined;
}

export interface DomainSinkMessage {
  domain: string;
  rcptTo: string[];
  raw: Buffer;
  remoteAddress: string;
  subject: string | undefined;
}

export interface DomainSink {
  port: number;
  /** Accepted messages in the order the sink answered 250. */
  messages: DomainSinkMessage[];
  /** Sessions that reached RCPT for this domain. */
  sessions(domain: string): number;
  /** Most sessions open at this domain at once since the start (or the last resetPeak). */
  peak(domain: string): number;
  resetPeak(domain: string): void;
  /** Replies being held by beforeRcptReply/beforeDataReply right now. */
  held(): number;
  waitForMessages(n: number, timeoutMs?: number): Promise<DomainSinkMessage[]>;
  close(): Promise<void>;
}

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();
const asError = (r: SinkReply): Error => Object.assign(new Error(r.message), { responseCode: r.code });

export async function startDomainSink(opts: DomainSinkOptions = {}): Promise<DomainSink> {
  applySmtpReplyPatch(smtpReplies.tlsRequired); // lets "4.7.0 ..." messages keep their own enhanced code
  const messages: DomainSinkMessage[] = [];
  const sessionCounts = new Map<string, number>();
  const open = new Map<string, number>();
  const peaks = new Map<string, number>();
  const openIn = new Map<string, Set<string>>(); // session id → domains it is open at
  let holding = 0;

  const enter = (session: SMTPServerSession, domain: string): void => {
    const set = openIn.get(session.id) ?? new Set<string>();
    openIn.set(session.id, set);
    if (set.has(domain)) return;
    set.add(domain);
    sessionCounts.set(domain, (sessionCounts.get(domain) ?? 0) + 1);
    const n = (open.get(domain) ?? 0) + 1;
    open.set(domain, n);
    peaks.set(domain, Math.max(peaks.get(domain) ?? 0, n));
  };
  // Called before the final reply goes out, so a client that hears it can never be counted as still open here.
  const leave = (session: SMTPServerSession): void => {
    for (const d of openIn.get(session.id) ?? []) open.set(d, (open.get(d) ?? 1) - 1);
    openIn.delete(session.id);
  };
  const hold = async (wait: Promise<void> | undefined): Promise<void> => {
    if (!wait) return;
    holding++;
    try {
      await wait;
    } finally {
      holding--;
    }
  };

  const server = new SMTPServer({
    name: 'domain-sink.localhost',
    hideSTARTTLS: true,
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 1000,
    onRcptTo(address, session, callback) {
      const domain = domainOf(address.address);
      enter(session, domain);
      hold(opts.beforeRcptReply?.(domain)).then(
        () => {
          const r = opts.rcpt?.(domain, address.address);
          if (r && (r.code === 421 || r.code >= 500)) leave(session); // 421 closes the session; a 5xx ends it for this domain
          callback(r ? asError(r) : undefined);
        },
        (err: Error) => callback(err),
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const rcptTo = session.envelope.rcptTo.map((r) => r.address);
        const domain = domainOf(rcptTo[0] ?? '');
        hold(opts.beforeDataReply?.(domain)).then(
          () => {
            const r = opts.data?.(domain);
            leave(session);
            if (r) return callback(asError(r));
            const raw = Buffer.concat(chunks);
            messages.push({
              domain,
              rcptTo,
              raw,
              remoteAddress: session.remoteAddress,
              subject: /\r?\nSubject: ([^\r\n]*)/.exec(raw.toString())?.[1],
            });
            callback(null, `2.0.0 Ok: queued as ${crypto.randomBytes(5).toString('hex').toUpperCase()}`);
          },
          (err: Error) => callback(err),
        );
      });
    },
    onClose(session) {
      leave(session);
    },
  });
  server.on('error', () => undefined);
  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const a = server.server.address();
      resolve(typeof a === 'object' && a ? a.port : 0);
    });
  });
  return {
    port,
    messages,
    sessions: (d) => sessionCounts.get(d) ?? 0,
    peak: (d) => peaks.get(d) ?? 0,
    resetPeak: (d) => {
      peaks.set(d, open.get(d) ?? 0);
    },
    held: () => holding,
    waitForMessages: (n, timeoutMs = 30_000) =>
      waitFor(() => messages.length >= n && messages, { timeoutMs, what: `${n} message(s) at the domain sink` }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
