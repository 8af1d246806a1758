// The bounce receiver: the SMTP server behind BOUNCE_DOMAIN's MX (BOUNCE_SMTP_PORT; port 25 in production). It takes
// mail only for valid VERP addresses of known recipients (anything else 550 5.1.1: never a relay), no AUTH, any
// MAIL FROM including the null sender. Each message is classified (DSN and non-standard bounces, ARF complaints,
// auto-replies) and its outcome committed before the 250; workflows are not signalled (they may be long finished):
// the status lives in the database. Classification runs on worker threads (classifier-pool.ts), never on the event
// loop that also serves the ingress listeners: only reading DATA, a digest and the database writes happen here.
import crypto from 'node:crypto';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type pg from 'pg';
import { bounceReplies } from '../domain/bounces/bounce-replies.js';
import type { BounceReport } from '../domain/bounces/classify-bounce.js';
import { inboundOutcome, recipientsConcerned } from '../domain/bounces/inbound-outcome.js';
import { smtpReplies } from '../domain/smtp-reply.js';
import { applySmtpReplyPatch, smtpError } from '../smtp/smtp-reply-patch.js';
import { applyDataDotsPatch } from '../smtp/data-dots-patch.js';
import { bindFailureHint, listenSmtp } from '../smtp/listen-smtp.js';
import type { Logger } from '../log.js';
import { findVerpTarget, recordInboundOutcome, type VerpTarget } from '../db/inbound-bounces-repo.js';
import {
  ClassifierBusy,
  createClassifierPool,
  type BounceClassifier,
  type ClassifierPoolOptions,
} from './classifier-pool.js';
import { isReturnPathCandidate, parseVerp } from './verp.js';
import { withReturnPath } from './return-path.js';
import { isVerifiedReturnPath } from '../db/sender-domains-repo.js';
import { ConnectionLimiter, type SessionLimits } from '../ingress/session-limits.js';

export interface BounceReceiverOptions {
  pool: pg.Pool;
  log: Logger;
  /** The VERP key (deriveVerpSecret of the master secret). Never logged. */
  verpSecret: string;
  bounceDomain: string;
  /** Name in the greeting. */
  hostname: string;
  /** Offered with STARTTLS when given (remote MTAs encrypt opportunistically). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Largest message accepted (SIZE), bytes. Returned originals can be as big as what we send. */
  maxMessageBytes?: number;
  /** Bytes of each message kept for classification: the report parts come first, the returned original last. */
  maxParseBytes?: number;
  /** VERP recipients per transaction. */
  maxRecipients?: number;
  /** The worker threads that classify (threads, queued bytes, per-message timeout); defaults in classifier-pool.ts. */
  classifier?: ClassifierPoolOptions;
  /** Connection caps, command and session deadlines, messages per session: the same settings as the SMTP listeners. */
  limits?: SessionLimits;
}

/** Limits when none are given (tests): smtp-server's own idle timeout, generous caps. */
const DEFAULT_LIMITS: SessionLimits = {
  maxConnections: 1000,
  maxConnectionsPerIp: 50,
  commandTimeoutMs: 5 * 60_000,
  sessionTimeoutMs: 60 * 60_000,
  maxMessagesPerSession: 1000,
};

/** MAIL transactions per session. */
const transactions = new WeakMap<SMTPServerSession, number>();

const DEFAULT_MAX_MESSAGE = 30 * 1024 * 1024;
const DEFAULT_MAX_PARSE = 1024 * 1024;
const DEFAULT_MAX_RECIPIENTS = 50;

const targets = new WeakMap<SMTPServerSession, VerpTarget[]>();

/** Reads DATA keeping only the first `keep` bytes (the rest is drained); flags a message over the SIZE limit. */
function readHead(stream: SMTPServerDataStream, keep: number): Promise<{ tooBig: boolean; head: Buffer }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    stream.on('data', (c: Buffer) => {
      if (kept >= keep) return;
      const part = c.subarray(0, keep - kept);
      chunks.push(part);
      kept += part.length;
    });
    stream.once('error', reject);
    stream.once('end', () => resolve({ tooBig: stream.sizeExceeded, head: Buffer.concat(chunks) }));
  });
}

/**
 * A message the parser chokes on (or that times out its thread) is treated as ordinary mail: a 451 would only make
 * the sender retry it for days. A full queue is the exception: that is our state, not the message's, so 451.
 */
async function classifyOrNothing(
  classifier: BounceClassifier,
  raw: Buffer,
  log: Logger,
): Promise<BounceReport | 'busy'> {
  try {
    return await classifier.classify(raw);
  } catch (err) {
    if (err instanceof ClassifierBusy) {
      log.warn('bounce.classifier_busy', { bytes: raw.length, error: err });
      return 'busy';
    }
    log.warn('bounce.unparsable', { error: err, bytes: raw.length });
    return { kind: 'not_bounce', recipients: [] };
  }
}

/** The SMTP server; `classifier` does the parsing and classification (the caller closes it). */
export function createBounceServer(o: BounceReceiverOptions, classifier: BounceClassifier): SMTPServer {
  applySmtpReplyPatch(smtpReplies.tlsRequired);
  applyDataDotsPatch();
  const log = o.log.child({ component: 'bounce-receiver' });
  const maxRecipients = o.maxRecipients ?? DEFAULT_MAX_RECIPIENTS;
  const maxParse = o.maxParseBytes ?? DEFAULT_MAX_PARSE;
  const limits = o.limits ?? DEFAULT_LIMITS;
  const limiter = new ConnectionLimiter(limits);
  const server: SMTPServer = new SMTPServer({
    name: o.hostname,
    banner: 'ESMTP bounce receiver',
    ...(o.tls ? { key: o.tls.key, cert: o.tls.cert } : {}),
    minVersion: 'TLSv1.2',
    size: o.maxMessageBytes ?? DEFAULT_MAX_MESSAGE,
    authOptional: true,
    disabledCommands: o.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    hideENHANCEDSTATUSCODES: false,
    disableReverseLookup: true,
    logger: false,
    socketTimeout: limits.commandTimeoutMs,

    onConnect(session, callback) {
      const capped = limiter.admit(server, session);
      if (capped) {
        log.warn('bounce.refused', { check: 'connection-limit', clientIp: session.remoteAddress, reason: capped.text });
        return callback(smtpError(capped));
      }
      callback();
    },

    // Any sender, including the null sender <> that bounces use; a new transaction forgets the previous recipients.
    onMailFrom(_address, session, callback) {
      targets.delete(session);
      const n = (transactions.get(session) ?? 0) + 1;
      transactions.set(session, n);
      if (n > limits.maxMessagesPerSession) return callback(smtpError(smtpReplies.tooManyMessagesInSession));
      callback();
    },

    onRcptTo(address, session, callback) {
      const list = targets.get(session) ?? [];
      if (list.length >= maxRecipients) return callback(smtpError(bounceReplies.tooManyRecipients));
      const token = parseVerp(address.address, o.verpSecret, o.bounceDomain, isReturnPathCandidate);
      if (!token) {
        log.warn('bounce.rcpt_refused', { clientIp: session.remoteAddress, why: 'not a valid VERP address' });
        return callback(smtpError(bounceReplies.unknownRecipient));
      }
      // Under a customer's rp.<domain>: only while that return path is verified.
      const known = async (): Promise<boolean> =>
        token.returnPath === undefined || (await isVerifiedReturnPath(o.pool, token.returnPath));
      (async () => ((await known()) ? findVerpTarget(o.pool, token, o.verpSecret) : undefined))().then(
        (target) => {
          if (!target) {
            log.warn('bounce.rcpt_refused', {
              messageId: token.messageId,
              clientIp: session.remoteAddress,
              why: 'no such message or recipient',
            });
            return callback(smtpError(bounceReplies.unknownRecipient));
          }
          list.push(target);
          targets.set(session, list);
          callback();
        },
        (err: unknown) => {
          log.error('bounce.db_error', { messageId: token.messageId, error: err });
          callback(smtpError(bounceReplies.temporaryFailure));
        },
      );
    },

    onData(stream, session, callback) {
      readHead(stream, maxParse)
        .then(async ({ tooBig, head }) => {
          if (tooBig) return callback(smtpError(bounceReplies.messageTooBig));
          const mailFrom = session.envelope.mailFrom;
          const report = await classifyOrNothing(
            classifier,
            withReturnPath(head, mailFrom ? mailFrom.address : ''),
            log,
          );
          if (report === 'busy') return callback(smtpError(bounceReplies.temporaryFailure));
          const reportKey = crypto.createHash('sha256').update(head).digest('hex').slice(0, 24);
          for (const target of targets.get(session) ?? []) {
            const concerned =
              target.recipient !== undefined ? [target.recipient] : recipientsConcerned(report, target.recipients);
            if (concerned.length === 0)
              log.warn('bounce.unmatched', {
                messageId: target.messageId,
                accountId: target.accountId,
                kind: report.kind,
              });
            for (const recipient of concerned) {
              const outcome = inboundOutcome(report, recipient);
              const result = await recordInboundOutcome(
                o.pool,
                { messageId: target.messageId, accountId: target.accountId, recipient },
                outcome,
                reportKey,
              );
              log.info('bounce.received', {
                messageId: target.messageId,
                accountId: target.accountId,
                outcome: outcome.kind,
                recorded: result.fresh,
                status: result.status,
                suppressed: result.suppressed,
                ...(outcome.kind === 'bounced' || outcome.kind === 'delayed'
                  ? { dsnStatus: outcome.status, reason: outcome.reason, hard: outcome.hard }
                  : {}),
                ...(outcome.kind === 'ignored' ? { why: outcome.why } : {}),
              });
            }
          }
          callback(null, `${bounceReplies.recorded.enhanced} ${bounceReplies.recorded.text}`);
        })
        .catch((err: unknown) => {
          log.error('bounce.record_failed', {
            messageIds: (targets.get(session) ?? []).map((t) => t.messageId),
            error: err,
          });
          callback(smtpError(bounceReplies.temporaryFailure));
        });
    },

    onClose(session) {
      targets.delete(session);
      limiter.release(session);
    },
  });
  return server;
}

export interface BounceReceiver {
  port: number;
  ok: boolean;
  error?: string;
  close(): Promise<void>;
}

/** Starts the receiver; a port that cannot be bound is reported (ok: false), not thrown, like the SMTP listeners. */
export async function startBounceReceiver(
  o: BounceReceiverOptions & { host: string; port: number },
): Promise<BounceReceiver> {
  const classifier = createClassifierPool(o.classifier);
  const server = createBounceServer(o, classifier);
  const result = await listenSmtp(server, o.port, o.host, (err) => o.log.warn('bounce.server_error', { error: err }));
  if (!result.ok) {
    o.log.error('bounce.bind_failed', {
      port: o.port,
      error: result.error,
      hint: bindFailureHint(o.port),
    });
    await classifier.close();
    return { ...result, close: async () => undefined };
  }
  return {
    ...result,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await classifier.close();
    },
  };
}
