// A real receiving SMTP server standing in for destination MX hosts: records what arrives (with the client's source
// address and whether STARTTLS was used) and answers per recipient from a script, so tests can make a destination
// refuse (550 5.1.1), defer (451 4.3.0 twice, then accept) or accept with a known "queued as" reply.
import crypto from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { generate } from 'selfsigned';
import { smtpReplies } from '../../src/domain/smtp-reply.js';
import { applySmtpReplyPatch } from '../../src/smtp/smtp-reply-patch.js';
import { waitFor } from './wait-for.js';

/** A reply; a message starting with an enhanced code ("5.1.1 No such user") is sent as is. */
export interface SinkReply {
  code: number;
  message: string;
}

export interface SinkMessage {
  mailFrom: string;
  rcptTo: string[];
  raw: Buffer;
  remoteAddress: string;
  receivedAt: number;
  secure: boolean;
  /** The final reply the sink gave, e.g. "250 2.0.0 Ok: queued as 1A2B3C4D5E". */
  reply: string;
}

export interface SinkOptions {
  host?: string;
  port?: number;
  /** RCPT-time reply for a recipient on its n-th RCPT (1-based); undefined accepts. */
  script?: (rcpt: string, attempt: number) => SinkReply | undefined;
  /** Final reply after DATA; undefined accepts with "250 2.0.0 Ok: queued as <random>". */
  dataReply?: (m: { mailFrom: string; rcptTo: string[]; raw: Buffer; attempt: number }) => SinkReply | undefined;
  /** Offer STARTTLS (default true). */
  starttls?: boolean;
  /** The certificate STARTTLS presents (e.g. one issued by a test CA); default a self-signed one for sink.localhost. */
  tlsCertificate?: { key: string; cert: string };
}

export interface Sink {
  host: string;
  port: number;
  messages: SinkMessage[];
  /** How many times this recipient was offered in RCPT TO. */
  attempts(rcpt: string): number;
  waitForMessages(n: number, timeoutMs?: number): Promise<SinkMessage[]>;
  close(): Promise<void>;
}

let certificate: Promise<{ key: string; cert: string }> | undefined;
function testCertificate(): Promise<{ key: string; cert: string }> {
  certificate ??= generate([{ name: 'commonName', value: 'sink.localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
  }).then((p) => ({ key: p.private, cert: p.cert }));
  return certificate;
}

const asError = (r: SinkReply): Error => Object.assign(new Error(r.message), { responseCode: r.code });

export async function startDestinationSink(opts: SinkOptions = {}): Promise<Sink> {
  applySmtpReplyPatch(smtpReplies.tlsRequired); // lets "5.1.1 ..." messages keep their own enhanced code
  const host = opts.host ?? '127.0.0.1';
  const tls = opts.starttls === false ? { hideSTARTTLS: true } : (opts.tlsCertificate ?? (await testCertificate()));
  const messages: SinkMessage[] = [];
  const rcptCounts = new Map<string, number>();
  let dataAttempts = 0;
  const server = new SMTPServer({
    ...tls,
    name: 'sink.localhost',
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 1000,
    onRcptTo(address, _session, callback) {
      const n = (rcptCounts.get(address.address) ?? 0) + 1;
      rcptCounts.set(address.address, n);
      const r = opts.script?.(address.address, n);
      callback(r ? asError(r) : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const m = {
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        };
        const r = opts.dataReply?.({ ...m, attempt: ++dataAttempts });
        if (r) return callback(asError(r));
        const text = `2.0.0 Ok: queued as ${crypto.randomBytes(5).toString('hex').toUpperCase()}`;
        messages.push({
          ...m,
          remoteAddress: session.remoteAddress,
          receivedAt: Date.now(),
          secure: session.secure,
          reply: `250 ${text}`,
        });
        callback(null, text);
      });
    },
  });
  server.on('error', () => undefined);
  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      const a = server.server.address();
      resolve(typeof a === 'object' && a ? a.port : 0);
    });
  });
  return {
    host,
    port,
    messages,
    attempts: (rcpt) => rcptCounts.get(rcpt) ?? 0,
    waitForMessages: (n, timeoutMs = 15_000) =>
      waitFor(() => messages.length >= n && messages, {
        timeoutMs,
        what: `${n} message(s) at the sink on port ${port}`,
      }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
