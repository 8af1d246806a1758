import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { bindFailureHint, listenSmtp, type ListenOutcome } from '../smtp/listen-smtp.js';
import type pg from 'pg';
import {
  findSmtpCredential,
  listIpCredentials,
  loadPolicyFacts,
  type AccountPolicyFacts,
} from '../db/accounts-repo.js';
import type { SendingPolicy } from '../domain/sender-auth/verification.js';
import { listTrustZones } from '../db/trust-zones-repo.js';
import { findContainingCidr, normalizeIp } from '../domain/network/cidr.js';
import {
  checkAcceptanceList,
  checkAuthorHeaders,
  checkHeaderBlock,
  checkSenderDomain,
  checkTrustZone,
  firstRefusal,
  type ListenerKind,
  type PolicyDecision,
} from '../domain/policy/submission-policy.js';
import { parseHeaderBlock } from '../domain/mime/header-fields.js';
import { authorHeadersOf, messageHeadersOf } from '../domain/mime/message-headers.js';
import { takeRelayHeaders } from '../domain/mime/relay-headers.js';
import { smtpReplies } from '../domain/smtp-reply.js';
import { accountStandingRefusal } from '../domain/policy/quota.js';
import { newMessageId } from '../ids.js';
import { hashSmtpPassword, needsRehash, UNMATCHABLE_HASH, verifyPassword } from '../secrets.js';
import {
  acceptanceListOfUsername,
  lockedKeys,
  recordAuthFailure,
  replaceSmtpPasswordHash,
  sweepAuthFailures,
} from '../db/auth-failures-repo.js';
import {
  authFailureKey,
  decideAuthGate,
  limitFor,
  type AuthKeyKind,
  type AuthLockoutSettings,
} from '../domain/policy/auth-lockout.js';
import { ConnectionLimiter, type SessionLimits } from './session-limits.js';
import type { Logger } from '../log.js';
import { acceptMessage, type AcceptorDeps } from './message-acceptor.js';
import { sessionCredentialRefusal } from './session-credential.js';
import { touchSmtpCredential } from '../db/credentials-repo.js';
import { readMessage } from '../smtp/read-message.js';
import { receivedHeader } from '../smtp/received-header.js';
import { applySmtpReplyPatch, smtpError } from '../smtp/smtp-reply-patch.js';
import { applyDataDotsPatch } from '../smtp/data-dots-patch.js';
import { applyNoGreetingDelayPatch } from '../smtp/greeting-delay-patch.js';
import type { TlsMaterial } from './tls-material.js';
import { serviceMetrics } from '../infra/metrics.js';

export interface IngressOptions extends AcceptorDeps {
  pool: pg.Pool;
  hostname: string;
  tls: TlsMaterial;
  maxMessageBytes: number;
  maxRecipients: number;
  /** Key of SMTP password hashes (smtpPasswordKey of the master secret). */
  smtpPasswordKey: Buffer;
  limits: SessionLimits;
  authLockout: AuthLockoutSettings;
  /** SENDER_DOMAIN_POLICY: unset = `verified`. */
  senderDomainPolicy?: SendingPolicy;
}

/** What a session learns as it goes: who the client is and which checks it passed. */
interface SessionState {
  accountId?: string;
  via?: 'auth' | 'ip-credential';
  facts?: AccountPolicyFacts;
  trail: Array<Pick<PolicyDecision, 'check' | 'allowed' | 'reason'>>;
  /** Failed AUTH attempts in this session (smtp-server itself sets no limit when AUTH is optional). */
  authFailures?: number;
  /** MAIL transactions started in this session. */
  transactions?: number;
}

/** Failed AUTH attempts a session gets before it is closed with 421 (besides the per-address and per-username locks). */
const MAX_AUTH_FAILURES = 3;

const states = new WeakMap<SMTPServerSession, SessionState>();
const stateOf = (s: SMTPServerSession): SessionState => {
  let st = states.get(s);
  if (!st) {
    st = { trail: [] };
    states.set(s, st);
  }
  return st;
};
const remember = (st: SessionState, d: PolicyDecision): void => {
  st.trail.push({ check: d.check, allowed: d.allowed, reason: d.reason });
};

/** Failures recorded by this process between two sweeps of expired counters. */
const SWEEP_EVERY = 100;
let failuresSinceSweep = 0;

/**
 * Counts a failed AUTH against the client address and the username (known or not, the same two upserts), logs a lock
 * when one starts, and says whether the address is now locked.
 */
async function countAuthFailure(
  o: IngressOptions,
  log: Logger,
  f: { ip: string; username: string },
): Promise<{ ipLocked: boolean }> {
  const s = o.authLockout;
  const kinds: Array<[AuthKeyKind, string]> = [
    ['ip', f.ip],
    ['user', f.username],
  ];
  const results = await Promise.all(
    kinds.map(([kind, value]) =>
      recordAuthFailure(o.pool, authFailureKey(kind, value), {
        limit: limitFor(kind, s),
        windowMs: s.windowMs,
        lockoutMs: s.lockoutMs,
      }),
    ),
  );
  results.forEach((r, i) => {
    const [kind] = kinds[i] as [AuthKeyKind, string];
    if (r.newlyLocked)
      log.warn('auth.lockout', {
        lock: kind,
        key: authFailureKey(kind, kinds[i]?.[1] ?? ''),
        clientIp: f.ip,
        username: f.username,
        failures: r.failures,
        lockedUntil: r.lockedUntil,
      });
  });
  if (++failuresSinceSweep >= SWEEP_EVERY) {
    failuresSinceSweep = 0;
    sweepAuthFailures(o.pool, s.windowMs).catch((err: unknown) => log.warn('auth.sweep_failed', { error: err }));
  }
  const ipResult = results[0];
  return { ipLocked: ipResult !== undefined && ipResult.lockedUntil !== null && ipResult.lockedUntil > new Date() };
}

/**
 * Builds the SMTP server for one listener kind: submission (587/2525: STARTTLS then AUTH) or plain (port 25 exception).
 * `limiter` counts connections; listeners of one process share one so that the caps hold across them.
 */
export function createSmtpServer(
  kind: ListenerKind,
  o: IngressOptions,
  limiter = new ConnectionLimiter(o.limits),
): SMTPServer {
  applySmtpReplyPatch(smtpReplies.tlsRequired);
  applyDataDotsPatch();
  applyNoGreetingDelayPatch();
  const log = o.log.child({ component: 'ingress', listener: kind });
  // Every hook's callback is wrapped so that the reply it leads to is counted by stage and code.
  const metrics = serviceMetrics();
  const server: SMTPServer = new SMTPServer({
    name: o.hostname,
    banner: 'ESMTP relay ready',
    key: o.tls.key,
    cert: o.tls.cert,
    minVersion: 'TLSv1.2',
    size: o.maxMessageBytes,
    authMethods: ['PLAIN', 'LOGIN'],
    // We require AUTH ourselves at MAIL FROM, to answer with the right code and to let IP credentials through on the
    // plain port; on submission ports AUTH is neither offered nor accepted before STARTTLS.
    authOptional: true,
    allowInsecureAuth: kind === 'plain',
    hideENHANCEDSTATUSCODES: false, // RFC 2034 codes on every reply
    disableReverseLookup: true, // a reverse lookup per connection costs more than the whole submission
    logger: false,
    socketTimeout: o.limits.commandTimeoutMs,

    onConnect(session, done) {
      const callback = metrics.countedCallback('connect', done);
      const ip = normalizeIp(session.remoteAddress) ?? session.remoteAddress;
      const capped = limiter.admit(server, session);
      if (capped) {
        log.warn('ingress.refused', { check: 'connection-limit', clientIp: ip, reason: capped.text });
        return callback(smtpError(capped));
      }
      listTrustZones(o.pool).then(
        (zones) => {
          const d = checkTrustZone(
            ip,
            kind,
            zones.map((z) => z.cidr),
          );
          remember(stateOf(session), d);
          if (!d.allowed) {
            log.warn('ingress.refused', { check: d.check, clientIp: ip, reason: d.reason });
            return callback(smtpError(d.reply));
          }
          callback();
        },
        (err: unknown) => {
          log.error('ingress.db_error', { error: err });
          callback(smtpError(smtpReplies.temporaryFailure));
        },
      );
    },

    onClose(session) {
      limiter.release(session);
    },

    onAuth(auth, session, done) {
      const callback = metrics.countedCallback('auth', done);
      if (kind === 'submission' && !session.secure) return callback(smtpError(smtpReplies.tlsRequired));
      const username = auth.username ?? '';
      const ip = normalizeIp(session.remoteAddress) ?? session.remoteAddress;
      const ipKey = authFailureKey('ip', ip);
      const userKey = authFailureKey('user', username);
      Promise.all([lockedKeys(o.pool, [ipKey, userKey]), findSmtpCredential(o.pool, username)])
        .then(async ([locked, cred]) => {
          const userLocked = locked.has(userKey);
          const gate = decideAuthGate({
            ipLocked: locked.has(ipKey),
            userLocked,
            // Only read when it matters; an unknown username has no list, like a known one seen from outside it.
            onAcceptanceList:
              userLocked && !locked.has(ipKey)
                ? findContainingCidr(await acceptanceListOfUsername(o.pool, username), ip) !== undefined
                : false,
          });
          if (!gate.open) {
            log.warn('ingress.auth_locked', { lock: gate.lock, username, clientIp: ip });
            return callback(smtpError(gate.reply));
          }
          // Known and unknown usernames do the same work: one keyed hash and one constant-time comparison (a hash of
          // the older scrypt scheme costs more once, and is replaced at its first successful AUTH).
          const stored = cred !== undefined && !cred.disabled ? cred.passwordHash : UNMATCHABLE_HASH;
          const matches = await verifyPassword(auth.password ?? '', stored, o.smtpPasswordKey);
          const ok = matches && cred !== undefined && !cred.disabled;
          if (!ok || !cred) {
            const st = stateOf(session);
            st.authFailures = (st.authFailures ?? 0) + 1;
            log.warn('ingress.auth_failed', { username, clientIp: ip, attempt: st.authFailures });
            const { ipLocked } = await countAuthFailure(o, log, { ip, username });
            if (ipLocked) return callback(smtpError(smtpReplies.authAddressLocked));
            return callback(
              smtpError(
                st.authFailures >= MAX_AUTH_FAILURES ? smtpReplies.authTooManyFailures : smtpReplies.authInvalid,
              ),
            );
          }
          if (needsRehash(cred.passwordHash))
            replaceSmtpPasswordHash(
              o.pool,
              username,
              cred.passwordHash,
              hashSmtpPassword(auth.password ?? '', o.smtpPasswordKey),
            ).catch((err: unknown) => log.warn('ingress.rehash_failed', { error: err }));
          if (cred.state === 'suspended') return callback(smtpError(smtpReplies.authAccountSuspended));
          const st = stateOf(session);
          st.accountId = cred.accountId;
          st.via = 'auth';
          await touchSmtpCredential(o.pool, username);
          callback(null, { user: { accountId: cred.accountId, username } });
        })
        .catch((err: unknown) => {
          log.error('ingress.db_error', { error: err });
          callback(smtpError(smtpReplies.temporaryFailure));
        });
    },

    onMailFrom(address, session, done) {
      const callback = metrics.countedCallback('mail', done);
      const st = stateOf(session);
      const ip = normalizeIp(session.remoteAddress) ?? session.remoteAddress;
      st.transactions = (st.transactions ?? 0) + 1;
      if (st.transactions > o.limits.maxMessagesPerSession)
        return callback(smtpError(smtpReplies.tooManyMessagesInSession));
      (async () => {
        const revoked = await sessionCredentialRefusal(o.pool, kind, session, st, ip);
        if (revoked) return revoked;
        if (!st.accountId && kind === 'plain') {
          const creds = await listIpCredentials(o.pool);
          const hit = creds.find((c) => findContainingCidr([c.cidr], ip));
          if (hit) {
            st.accountId = hit.accountId;
            st.via = 'ip-credential';
          }
        }
        if (!st.accountId) return smtpError(smtpReplies.authRequired);
        const facts = await loadPolicyFacts(o.pool, st.accountId, o.senderDomainPolicy);
        if (!facts || facts.disabled) return smtpError(smtpReplies.accountDisabled);
        const standing = accountStandingRefusal(facts);
        if (standing) return smtpError(standing);
        st.facts = facts;
        const decisions = [
          checkAcceptanceList(ip, facts.allowedCidrs),
          checkSenderDomain(address.address, facts.senderDomains, facts.unverifiedDomains),
        ];
        const refusal = firstRefusal(decisions);
        if (refusal) {
          log.warn('ingress.refused', {
            check: refusal.check,
            accountId: st.accountId,
            clientIp: ip,
            reason: refusal.reason,
          });
          return smtpError(refusal.reply);
        }
        decisions.forEach((d) => remember(st, d));
        return undefined;
      })().then(
        (err) => callback(err),
        (err: unknown) => {
          log.error('ingress.db_error', { error: err });
          callback(smtpError(smtpReplies.temporaryFailure));
        },
      );
    },

    onRcptTo(_address, session, done) {
      const callback = metrics.countedCallback('rcpt', done);
      if (session.envelope.rcptTo.length >= o.maxRecipients) return callback(smtpError(smtpReplies.tooManyRecipients));
      callback();
    },

    onData(stream, session, done) {
      const callback = metrics.countedCallback('data', done);
      readMessage(stream).then(
        (read) => {
          const dataEnd = performance.now();
          if (read.tooBig) return callback(smtpError(smtpReplies.messageTooBig));
          const st = stateOf(session);
          const body = read.body;
          // One strict, bounded split of the header block: every check below and the header removal use these fields,
          // so what is checked is what is stored and delivered. The body is never scanned (a bare LF there is kept).
          const block = parseHeaderBlock(body);
          const checks = [
            checkHeaderBlock(block),
            ...(block.ok
              ? [
                  checkAuthorHeaders(
                    authorHeadersOf(body, block.fields),
                    st.facts?.senderDomains ?? [],
                    st.facts?.unverifiedDomains ?? [],
                  ),
                ]
              : []),
          ];
          const refusal = firstRefusal(checks);
          if (refusal || !block.ok) {
            // a refused block always comes with a refusal; `!block.ok` only narrows the type
            log.warn('ingress.refused', { check: refusal?.check, accountId: st.accountId, reason: refusal?.reason });
            return callback(smtpError(refusal?.reply ?? smtpReplies.temporaryFailure));
          }
          const headers = messageHeadersOf(body, block.fields, { recipients: false });
          const id = newMessageId();
          const clientIp = normalizeIp(session.remoteAddress) ?? session.remoteAddress;
          const now = new Date();
          // Control headers (X-Relay-* and providers' aliases: tags, priority, metadata, tracking) are kept as message data and
          // never delivered; internal headers (X-Mde-*, which steer the relay) are dropped whatever a customer put there.
          const control = takeRelayHeaders(body, block);
          const trace = receivedHeader({
            clientHostname: session.hostNameAppearsAs || 'unknown',
            clientIp,
            hostname: o.hostname,
            secure: session.secure,
            authenticated: st.via === 'auth',
            id,
            date: now,
          });
          acceptMessage(
            o,
            {
              id,
              accountId: st.accountId as string,
              mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              envelopeRcpts: session.envelope.rcptTo.map((r) => r.address),
              raw: Buffer.concat([Buffer.from(trace), control.raw]),
              clientIp,
              submittedAt: now,
              headers,
              tags: control.hints.tags,
              priority: control.hints.priority ?? null,
              metadata: control.hints.metadata,
              trackOpens: control.hints.track.opens ?? null,
              trackClicks: control.hints.track.clicks ?? null,
            },
            [...st.trail, ...checks].map((d) => ({ check: d.check, allowed: d.allowed, reason: d.reason })),
          ).then(
            (reply) => {
              if (reply.code !== 250) return callback(smtpError(reply));
              metrics.acceptanceSeconds.observe((performance.now() - dataEnd) / 1000);
              callback(null, `${reply.enhanced} ${reply.text}`);
            },
            (err: unknown) => callback(err as Error),
          );
        },
        (err: Error) => callback(err),
      );
    },
  });
  return server;
}

export interface ListenResult extends ListenOutcome {
  kind: ListenerKind;
}

/** Starts every configured listener; a port that cannot be bound is reported and the others still start. */
export async function startIngress(
  o: IngressOptions & { host: string; submissionPorts: number[]; plainPort?: number },
): Promise<{ results: ListenResult[]; close(): Promise<void> }> {
  const servers: SMTPServer[] = [];
  const listeners: Array<{ port: number; kind: ListenerKind }> = o.submissionPorts.map((port) => ({
    port,
    kind: 'submission' as const,
  }));
  if (o.plainPort !== undefined) listeners.push({ port: o.plainPort, kind: 'plain' });
  const results: ListenResult[] = [];
  const limiter = new ConnectionLimiter(o.limits);
  for (const l of listeners) {
    const server = createSmtpServer(l.kind, o, limiter);
    const outcome = await listenSmtp(server, l.port, o.host, (err) =>
      o.log.warn('ingress.server_error', { error: err }),
    );
    const result: ListenResult = { kind: l.kind, ...outcome };
    if (result.ok) servers.push(server);
    else
      o.log.error('ingress.bind_failed', {
        port: l.port,
        kind: l.kind,
        error: result.error,
        hint: bindFailureHint(l.port),
      });
    results.push(result);
  }
  return {
    results,
    close: () => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined),
  };
}
