import { SMTPServer } from 'smtp-server';
import type pg from 'pg';
import { takeMdeControlHeaders } from '../domain/relay/handoff-headers.js';
import { relayReplies, sourceNotHostedReply } from '../domain/relay/relay-replies.js';
import { canonicalIp } from '../domain/relay/source-ips.js';
import { queuedReply } from '../domain/smtp-reply.js';
import { smtpReplies } from '../domain/smtp-reply.js';
import type { Logger } from '../log.js';
import { MDE_USERNAME, secretMatches } from '../relay-protocol/auth.js';
import { readMessage } from '../smtp/read-message.js';
import { receivedHeader } from '../smtp/received-header.js';
import { applySmtpReplyPatch, smtpError } from '../smtp/smtp-reply-patch.js';
import { applyDataDotsPatch } from '../smtp/data-dots-patch.js';
import { enqueueMessage, newQueueId } from './relay-queue.js';

// The relay's SMTP intake: only the MDE talks to it (STARTTLS, then AUTH as `mde` with the shared secret: AUTH is
// neither advertised nor accepted before TLS, so the secret never crosses the network in clear), every MAIL FROM carries
// the central message id as DSN ENVID, and the 250 goes out only after the message is committed to the queue. The
// MDE's X-Mde-* control headers (source address, priority) are taken off the message here, before it is stored.

export interface IntakeOptions {
  pool: pg.Pool;
  secret: string;
  heloName: string;
  relayId: string;
  /** The addresses this relay sends from (canonical spelling); the first is the default. */
  sourceIps: readonly string[];
  maxMessageBytes: number;
  /** Always present: AUTH is accepted only after STARTTLS. */
  tls: { key: string | Buffer; cert: string | Buffer };
  log: Logger;
  /** Called after each commit so the delivery loop starts without waiting for its next scan. */
  onQueued: () => void;
}

export function createSmtpIntake(o: IntakeOptions): SMTPServer {
  // Lets a reply text that starts with an enhanced code keep it (smtp-server would otherwise derive one from the
  // basic code alone, e.g. 2.6.0 for every DATA reply); shared with the ingress (src/smtp), applied once per process.
  applySmtpReplyPatch(smtpReplies.tlsRequired);
  applyDataDotsPatch();
  const log = o.log.child({ component: 'relay-intake' });
  return new SMTPServer({
    name: o.heloName,
    banner: `ESMTP relay ${o.relayId}`,
    size: o.maxMessageBytes,
    authMethods: ['PLAIN', 'LOGIN'],
    // AUTH before STARTTLS is answered 530 5.7.0 (smtpReplies.tlsRequired, through the reply patch), as the ingress does.
    allowInsecureAuth: false,
    authRequiredMessage: `${relayReplies.authRequired.enhanced} ${relayReplies.authRequired.text}`,
    key: o.tls.key,
    cert: o.tls.cert,
    minVersion: 'TLSv1.2',
    hideDSN: false, // the MDE sends its message id as ENVID (RFC 3461), which needs DSN advertised
    disableReverseLookup: true, // a reverse lookup per connection costs more than the handoff itself
    logger: false,
    closeTimeout: 5_000, // on shutdown, an idle MDE connection must not hold the relay open for smtp-server's default 30 s

    onAuth(auth, session, callback) {
      if (auth.username === MDE_USERNAME && secretMatches(auth.password ?? '', o.secret))
        return callback(null, { user: MDE_USERNAME });
      log.warn('relay.auth_failed', { username: auth.username, clientIp: session.remoteAddress });
      callback(smtpError(relayReplies.authInvalid));
    },

    onMailFrom(_address, session, callback) {
      const envid = session.envelope.dsn?.envid;
      if (!envid || envid.length > 100) return callback(smtpError(relayReplies.envidRequired));
      callback();
    },

    onRcptTo(address, _session, callback) {
      const at = address.address.lastIndexOf('@');
      callback(
        at <= 0 || at === address.address.length - 1 ? smtpError(relayReplies.recipientWithoutDomain) : undefined,
      );
    },

    onData(stream, session, callback) {
      readMessage(stream).then(
        (read) => {
          if (read.tooBig) return callback(smtpError(relayReplies.messageTooBig));
          const envid = session.envelope.dsn?.envid ?? '';
          const recipients = session.envelope.rcptTo.map((r) => r.address);
          const { raw, control } = takeMdeControlHeaders(read.body);
          if (control.problems.length > 0)
            log.warn('relay.control_header_ignored', { messageId: envid, problems: control.problems });
          // The default address is stored as NULL ("whatever the default is at delivery"), a chosen one as itself.
          const chosen = control.sourceIp === undefined ? undefined : canonicalIp(control.sourceIp);
          if (control.sourceIp !== undefined && (chosen === undefined || !o.sourceIps.includes(chosen))) {
            log.warn('relay.source_ip_not_hosted', { messageId: envid, sourceIp: control.sourceIp });
            return callback(smtpError(sourceNotHostedReply(control.sourceIp, o.relayId)));
          }
          const sourceIp = chosen ?? null;
          const now = Date.now();
          const queueId = newQueueId();
          const trace = receivedHeader({
            clientHostname: session.hostNameAppearsAs || 'unknown',
            clientIp: session.remoteAddress,
            hostname: o.heloName,
            secure: session.secure,
            authenticated: true,
            id: queueId,
            date: new Date(now),
          });
          enqueueMessage(o.pool, {
            queueId,
            envid,
            mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            recipients,
            body: Buffer.concat([Buffer.from(trace), raw]),
            now,
            sourceIp,
            priority: control.priority,
          }).then(
            (stored) => {
              log.info(stored.added > 0 ? 'relay.queued' : 'relay.duplicate_handoff', {
                messageId: envid,
                queueId: stored.queueId,
                recipients: recipients.length,
                added: stored.added,
                sourceIp: chosen ?? o.sourceIps[0],
                priority: control.priority,
              });
              if (stored.added > 0) o.onQueued();
              const r = queuedReply(stored.queueId);
              callback(null, `${r.enhanced} ${r.text}`);
            },
            (err: unknown) => {
              log.error('relay.queue_error', { messageId: envid, error: err });
              callback(smtpError(relayReplies.temporaryFailure));
            },
          );
        },
        (err: Error) => callback(err),
      );
    },
  });
}
