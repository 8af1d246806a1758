import type pg from 'pg';
import { decideAttemptOutcome } from '../domain/relay/attempt-outcome.js';
import { localFailure, type ParsedReply } from '../domain/relay/smtp-reply-parse.js';
import type { TransportRule } from '../domain/relay/transport-map.js';
import type { Logger } from '../log.js';
import { claimDueGroups, loadMessage, recordAttempt, type AttemptResult, type DeliveryGroup } from './relay-queue.js';
import { resolveRoute, type MxResolver } from './resolve-route.js';
import { deliverOverSmtp } from './smtp-delivery.js';
import type { FeedItem } from './status-queries.js';

// Scans the queue, claims due (message, domain) groups up to the concurrency limit and delivers each over one SMTP
// session. Retry state lives only in the database: this loop holds nothing a crash could lose.

export interface DeliveryLoopOptions {
  pool: pg.Pool;
  sourceIp: string;
  heloName: string;
  rules: readonly TransportRule[];
  retryScheduleMs: readonly number[];
  maxLifetimeMs: number;
  concurrency: number;
  pollIntervalMs: number;
  /** How long a claim stands before another scan may take the rows again; longer than any one attempt can last. */
  leaseMs: number;
  log: Logger;
  resolveMx?: MxResolver;
  /** Told about every outcome event once it is committed (the status push); must return at once and not throw. */
  onRecorded?: (events: FeedItem[]) => void;
}

export interface DeliveryLoop { wake(): void; stop(): Promise<void> }

export function startDeliveryLoop(o: DeliveryLoopOptions): DeliveryLoop {
  const inflight = new Set<Promise<void>>();
  let stopped = false;
  let woken = false;
  let interrupt: (() => void) | undefined;
  const wake = (): void => { woken = true; interrupt?.(); };
  const pause = (ms: number): Promise<void> => new Promise((resolve) => {
    if (woken) return resolve();
    const t = setTimeout(resolve, ms);
    interrupt = () => { clearTimeout(t); resolve(); };
  });

  const run = async (): Promise<void> => {
    while (!stopped) {
      woken = false;
      const free = o.concurrency - inflight.size;
      if (free > 0) {
        try {
          const groups = await claimDueGroups(o.pool, { now: Date.now(), maxGroups: free, leaseMs: o.leaseMs });
          for (const g of groups) {
            const job: Promise<void> = deliverGroup(o, g)
              .catch((err: unknown) => o.log.error('relay.delivery_error', { messageId: g.envid, domain: g.domain, error: err }))
              .finally(() => { inflight.delete(job); wake(); });
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

async function deliverGroup(o: DeliveryLoopOptions, g: DeliveryGroup): Promise<void> {
  const to = g.recipients.map((r) => r.recipient);
  const log = o.log.child({ messageId: g.envid, queueId: g.messageId, domain: g.domain });
  const [message, route] = await Promise.all([loadMessage(o.pool, g.messageId), resolveRoute(g.domain, o.rules, g.envid, o.resolveMx)]);
  let replies: Map<string, ParsedReply>;
  let host: string | null = null;
  if (!message) replies = new Map(to.map((r) => [r, localFailure('message body missing from the relay queue', '5.3.0')]));
  else if (!route.ok) replies = new Map(to.map((r) => [r, route.reply]));
  else ({ replies, host } = await deliverOverSmtp({ hosts: route.hosts, from: message.mailFrom, to, raw: message.body, sourceIp: o.sourceIp, heloName: o.heloName }));

  // From the destination's reply to our commit: nothing but this computation and one statement.
  const now = Date.now();
  const results: AttemptResult[] = g.recipients.map((r) => {
    const reply = replies.get(r.recipient) ?? localFailure('no reply recorded for recipient');
    const outcome = decideAttemptOutcome({ reply, attempts: r.attempts, queuedAt: r.queuedAt, now, scheduleMs: o.retryScheduleMs, maxLifetimeMs: o.maxLifetimeMs });
    return { id: r.id, attempts: r.attempts, reply, ...outcome };
  });
  const written = await recordAttempt(o.pool, { now, sourceIp: o.sourceIp, results });
  o.onRecorded?.(written);
  for (const [i, r] of results.entries()) {
    log.info(`relay.${r.status}`, {
      recipient: to[i], attempts: r.attempts, smtpCode: r.reply.code, enhancedCode: r.reply.enhanced, response: r.reply.response,
      reason: r.reason, nextAttemptAt: r.nextAttemptAt === null ? undefined : new Date(r.nextAttemptAt).toISOString(), via: route.via, host,
    });
  }
  if (written.length < results.length) log.warn('relay.stale_claim', { expected: results.length, written: written.length });
}
