import type pg from 'pg';
import { decideAttemptOutcome } from '../domain/relay/attempt-outcome.js';
import { classifySession, type DestinationThrottle, type SessionSignal } from '../domain/relay/destination-throttle.js';
import type { DeliveryTls } from '../domain/relay/mta-sts.js';
import { localFailure, type ParsedReply } from '../domain/relay/smtp-reply-parse.js';
import type { TransportRule } from '../domain/relay/transport-map.js';
import type { Logger } from '../log.js';
import {
  claimDueGroups,
  loadMessage,
  recordAttempt,
  type AttemptResult,
  type DeliveryGroup,
  type SourceAddresses,
} from './relay-queue.js';
import type { MtaStsPolicies } from './mta-sts-policies.js';
import { resolveRoute, type MxOptions, type RouteDns } from './resolve-route.js';
import { deliverOverSmtp } from './smtp-delivery.js';
import type { FeedItem } from '../relay-protocol/feed.js';

// Scans the queue, claims due (message, domain, source address) groups up to the concurrency limits (overall, and per
// destination key from the throttle) and delivers each over one SMTP session bound to its source address. Retry
// state lives only in the database: this loop holds nothing a crash could lose (the throttle is soft state).

export interface DeliveryLoopOptions {
  pool: pg.Pool;
  source: SourceAddresses;
  throttle: DestinationThrottle;
  heloName: string;
  rules: readonly TransportRule[];
  retryScheduleMs: readonly number[];
  maxLifetimeMs: number;
  concurrency: number;
  pollIntervalMs: number;
  /** How long a claim stands before another scan may take the rows again; longer than any one attempt can last. */
  leaseMs: number;
  log: Logger;
  /** MX and address lookups; default the system's resolvers. */
  dns?: RouteDns;
  /** How MX hosts are checked (internal addresses allowed, port): local use and tests only. */
  mx?: MxOptions;
  /** The recipient domains' MTA-STS policies, applied to MX routes; absent = opportunistic TLS only. */
  mtaSts?: MtaStsPolicies;
  /** Trusted CAs for destination certificates (the system's plus RELAY_EXTRA_CA_FILE); absent = Node's defaults. */
  ca?: string[];
  /** Told about every outcome event once it is committed (the status push); must return at once and not throw. */
  onRecorded?: (events: FeedItem[]) => void;
}

export interface DeliveryLoop {
  wake(): void;
  stop(): Promise<void>;
}

export function startDeliveryLoop(o: DeliveryLoopOptions): DeliveryLoop {
  const inflight = new Set<Promise<void>>();
  let stopped = false;
  let woken = false;
  let interrupt: (() => void) | undefined;
  const wake = (): void => {
    woken = true;
    interrupt?.();
  };
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (woken) return resolve();
      const t = setTimeout(resolve, ms);
      interrupt = () => {
        clearTimeout(t);
        resolve();
      };
    });

  const run = async (): Promise<void> => {
    while (!stopped) {
      woken = false;
      const free = o.concurrency - inflight.size;
      if (free > 0) {
        try {
          const limits = { keys: o.throttle.allowances(), defaultAllowed: o.throttle.defaultAllowance() };
          const groups = await claimDueGroups(o.pool, {
            now: Date.now(),
            maxGroups: free,
            leaseMs: o.leaseMs,
            source: o.source,
            limits,
          });
          for (const g of groups) {
            const job: Promise<void> = deliverThrottled(o, g)
              .catch((err: unknown) =>
                o.log.error('relay.delivery_error', { messageId: g.envid, domain: g.domain, error: err }),
              )
              .finally(() => {
                inflight.delete(job);
                wake();
              });
            inflight.add(job);
          }
        } catch (err) {
          o.log.error('relay.claim_error', { error: err });
        }
      }
      if (!stopped) await pause(o.pollIntervalMs);
      interrupt = undefined;
    }
  };
  const running = run();
  return {
    wake,
    async stop() {
      stopped = true;
      wake();
      await running;
      await Promise.all([...inflight]);
    },
  };
}

/** One group as one session of its (source address, domain) key: the throttle hears how the destination answered. */
async function deliverThrottled(o: DeliveryLoopOptions, g: DeliveryGroup): Promise<void> {
  const key = { sourceIp: g.sourceIp, domain: g.domain };
  const ticket = o.throttle.start(key);
  let signal: SessionSignal = 'none';
  let reason = '';
  try {
    ({ signal, reason } = await deliverGroup(o, g));
  } finally {
    // In `finally`: a session that threw must still give its slot back, or the key would stay at its limit.
    const change = o.throttle.finish(ticket, signal, reason);
    if (change === 'restored') o.log.info('relay.destination_restored', key);
    else if (change) {
      const state = o.throttle.throttled().find((t) => t.sourceIp === key.sourceIp && t.domain === key.domain);
      o.log.warn(`relay.destination_${change}`, {
        ...key,
        reason,
        throttleLevel: state?.level,
        pausedUntil: state?.pausedUntil ? new Date(state.pausedUntil).toISOString() : null,
      });
    }
  }
}

async function deliverGroup(
  o: DeliveryLoopOptions,
  g: DeliveryGroup,
): Promise<{ signal: SessionSignal; reason: string }> {
  const to = g.recipients.map((r) => r.recipient);
  const log = o.log.child({ messageId: g.envid, queueId: g.messageId, domain: g.domain, sourceIp: g.sourceIp });
  const [message, route] = await Promise.all([
    loadMessage(o.pool, g.messageId),
    resolveRoute(g.domain, o.rules, g.envid, o.dns, o.mx),
  ]);
  let replies: Map<string, ParsedReply>;
  let host: string | null = null;
  let tls: DeliveryTls | null = null;
  let signal: SessionSignal = 'none';
  if (!message)
    replies = new Map(to.map((r) => [r, localFailure('message body missing from the relay queue', '5.3.0')]));
  else if (!route.ok) replies = new Map(to.map((r) => [r, route.reply]));
  else {
    // RFC 8461 governs MX delivery; a host the transport map names is the operator's explicit choice.
    const mtaSts = route.mx && o.mtaSts ? await o.mtaSts.policyFor(g.domain) : undefined;
    const report = await deliverOverSmtp({
      mtaSts,
      ca: o.ca,
      hosts: route.hosts,
      from: message.mailFrom,
      to,
      raw: message.body,
      sourceIp: g.sourceIp,
      heloName: o.heloName,
    });
    ({ replies, host, tls } = report);
    const delivered = [...report.replies.values()].some((r) => r.code !== null && r.code >= 200 && r.code < 300);
    signal = classifySession({ sessionCodes: report.sessionCodes, rcptCodes: report.rcptCodes, delivered });
  }

  // From the destination's reply to our commit: nothing but this computation and one statement.
  const now = Date.now();
  const results: AttemptResult[] = g.recipients.map((r) => {
    const reply = replies.get(r.recipient) ?? localFailure('no reply recorded for recipient');
    const outcome = decideAttemptOutcome({
      reply,
      attempts: r.attempts,
      queuedAt: r.queuedAt,
      now,
      scheduleMs: o.retryScheduleMs,
      maxLifetimeMs: o.maxLifetimeMs,
    });
    return { id: r.id, attempts: r.attempts, reply, tls, ...outcome };
  });
  const written = await recordAttempt(o.pool, { now, sourceIp: g.sourceIp, results });
  o.onRecorded?.(written);
  for (const [i, r] of results.entries()) {
    log.info(`relay.${r.status}`, {
      recipient: to[i],
      attempts: r.attempts,
      smtpCode: r.reply.code,
      enhancedCode: r.reply.enhanced,
      response: r.reply.response,
      command: r.reply.command ?? undefined,
      reason: r.reason,
      nextAttemptAt: r.nextAttemptAt === null ? undefined : new Date(r.nextAttemptAt).toISOString(),
      via: route.via,
      host,
      tls,
    });
  }
  if (written.length < results.length)
    log.warn('relay.stale_claim', { expected: results.length, written: written.length });
  // The reply that slowed the destination down, for the stats endpoint: a 421/451 one when there is one.
  const pushBack =
    results.find((r) => r.reply.code === 421 || r.reply.code === 451) ??
    results.find((r) => r.reply.code !== null && r.reply.code >= 400);
  return { signal, reason: pushBack?.reply.response ?? '' };
}
