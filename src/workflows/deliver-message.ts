import {
  ActivityFailure,
  CancelledFailure,
  TemporalFailure,
  condition,
  makeContinueAsNewFunc,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { DeliveryActivities, PolicyOutcome, RoutedPart } from '../activities/types.js';
import { isFinal, type RecipientStatus } from '../domain/status.js';
import { DeliveryStatusKey } from '../temporal/search-attributes.js';
import { getProgressQuery, relayStatusSignal, type DeliverMessageInput, type PartProgress } from './definitions.js';
import { failureTypes } from './failure-types.js';

// Database work: quick, retried until the database is back (a message must never be dropped for a DB blip). Local
// activities: they run in the worker that runs the workflow, saving a task-queue round trip through the Temporal
// server per stage (the benchmark found those round trips dominating the end-to-end cost).
const db = proxyLocalActivities<DeliveryActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});
// Handoff to a relay: a few quick tries, then the workflow re-routes to another relay. Long enough for one copy per
// recipient of a large message to many recipients; the activity heartbeats while it works, so a worker that dies
// mid-handoff is noticed within the heartbeat timeout, not after ten minutes.
const relay = proxyActivities<Pick<DeliveryActivities, 'handOffToRelay'>>({
  startToCloseTimeout: '10m',
  heartbeatTimeout: '30s',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumAttempts: 3,
    nonRetryableErrorTypes: [failureTypes.relayRefused],
  },
});
// The same handoff as a local activity, for a part of ordinary size (LOCAL_HANDOFF_MAX_RECIPIENTS): it runs in the
// worker that runs the workflow, in the same workflow task as the routing before it and the status timer after it, so
// a message needs no activity task from the server and one workflow task less (six history events fewer). A worker
// that dies mid-handoff loses the workflow task; after its timeout another worker replays and hands off again (the
// relay dedupes by message id and recipient). Same tries as the remote handoff; a long one heartbeats the workflow
// task by itself.
const localRelay = proxyLocalActivities<Pick<DeliveryActivities, 'handOffToRelay'>>({
  startToCloseTimeout: '2m',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumAttempts: 3,
    nonRetryableErrorTypes: [failureTypes.relayRefused],
  },
});
/**
 * Largest part handed off as a local activity: one SMTP transaction per recipient, so 10 copies of a message up to
 * the size limit stay well within the 2-minute local timeout; larger parts keep the remote activity and its 10 minutes.
 */
const LOCAL_HANDOFF_MAX_RECIPIENTS = 10;
/** Patch id of the handoff as a local activity (histories recorded before it replay with the remote activity). */
const LOCAL_HANDOFF = 'local-handoff';
// Asking a relay directly: one retry; "unreachable" is an answer the workflow handles.
const probe = proxyActivities<Pick<DeliveryActivities, 'checkRelayStatus'>>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumAttempts: 2 },
});

/** After this many status checks find the relay unreachable, the part is re-routed (a duplicate is possible). */
const UNREACHABLE_CHECKS_BEFORE_REROUTE = 3;

/**
 * A part waiting for a usable IP doubles its wait up to this cap (15 minutes, or HANDOFF_RETRY's cap if larger): a
 * pool fixed by an operator is picked up within 15 minutes, and a pool broken for the whole 2-day lifetime costs
 * about 200 rounds (a `routed` row and 6 history events each) instead of one every 30 s (about 5,800).
 */
const POOL_WAIT_CAP_MS = 15 * 60_000;
/**
 * A run whose history has grown past this many events continues as new (carrying only addresses, statuses and wait
 * counters) once every part is waiting, so no run comes near Temporal's history warning (10,240 events). An ordinary
 * message writes 20 to 50 events.
 */
const CONTINUE_AS_NEW_AFTER_EVENTS = 1000;
/** Patch id of the bounded pool wait (growing wait, one waiting row and alert per episode, continueAsNew). */
const BOUNDED_POOL_WAIT = 'bounded-pool-wait';

/** One part's stretch of waiting for a usable IP, from its first `routed` without an IP until it gets one. */
export interface WaitEpisode {
  /** Workflow time at which the episode began (ms since the epoch). */
  since: number;
  /** The next wait. */
  waitMs: number;
  /** Whether this episode has already raised its `alert` (the pool had no usable IP at all). */
  alerted: boolean;
}

/** What a run hands to the next one when it continues as new: the message's state, and its waiting parts. */
export interface DeliverMessageContinuation {
  /** Start of the first run (ms since the epoch): the message lifetime counts from there. */
  startedAtMs: number;
  recipients: Record<string, RecipientStatus>;
  waiting: Array<{ recipients: string[]; episode: WaitEpisode }>;
}

/**
 * One accepted message, from policy check to final per-recipient status. Stages: policy → record → route (the MDE may
 * split the recipients into parts, one per pool/IP) → per part, concurrently: handoff → await status (signals from
 * the poller and the relays' push; on timeout ask the relay; re-route within the pool if it refused or lost the part)
 * → finalize. A part whose pool has no usable IP waits, deferred, its wait doubling up to 15 minutes, until the
 * message's lifetime; a run whose history has grown long while every part waits continues as new.
 */
export async function deliverMessageWorkflow(
  input: DeliverMessageInput & { continued?: DeliverMessageContinuation },
): Promise<{ status: string }> {
  const { messageId } = input;
  const recipients = new Map<string, RecipientStatus>();
  const parts = new Map<number, PartProgress>();
  const episodes = new Map<number, WaitEpisode>();
  let nextPartId = 1;
  let stage = 'policy';
  // Revision 2 and later take the combined first stage, the local handoff and the bounded pool wait without the
  // patch markers (the revision is in the start event, so a replay decides the same).
  const revised = (input.revision ?? 1) >= 2;

  const keyOf = (address: string): string =>
    [...recipients.keys()].find((a) => a.toLowerCase() === address.toLowerCase()) ?? address;
  setHandler(relayStatusSignal, ({ updates }) => {
    for (const u of updates) {
      const key = keyOf(u.recipient);
      const before = recipients.get(key);
      if (before === undefined || !isFinal(before)) recipients.set(key, u.status);
    }
  });
  setHandler(getProgressQuery, () => {
    const active = [...parts.values()];
    return {
      stage,
      recipients: Object.fromEntries(recipients),
      parts: active.map((p) => ({ ...p, recipients: [...p.recipients], triedIps: [...p.triedIps] })),
    };
  });

  const final = (address: string): boolean => isFinal(recipients.get(keyOf(address)) ?? 'pending');
  const openOf = (addresses: readonly string[]): string[] => addresses.filter((a) => !final(a));

  // A continued run (the previous one grew long while every part waited for a usable IP): policy and records are
  // done; the waiting parts are routed again at once and keep their episode (wait, alert already raised).
  if (input.continued) {
    const carried = input.continued;
    for (const [address, status] of Object.entries(carried.recipients)) recipients.set(address, status);
    const startedAt = carried.startedAtMs;
    stage = 'deliver';
    await Promise.all(
      carried.waiting.map((w) => routeAndDeliver(w.recipients, [], w.episode.waitMs, w.episode, startedAt)),
    );
    return finish();
  }

  // The message lifetime counts from the start of this, the first run.
  const startedAt = workflowInfo().startTime.getTime();
  if (revised) {
    // Stages 1-3 in one local activity: policy checks (the account may have changed since ingress accepted the
    // message), database records (recipients with kind to/cc/bcc), and the routing of the open recipients.
    const prepared = await db.prepareMessage(messageId);
    for (const r of prepared.recipients) if (!recipients.has(r.address)) recipients.set(r.address, r.status);
    if (!prepared.policy.allowed) return await refuse(prepared.policy);
    stage = 'deliver';
    await deliverParts(prepared.parts, [], input.handoffRetryMs[0], undefined, startedAt);
    return finish();
  }
  // Histories started before revisions: one local activity per stage.
  const policy = await db.checkPolicy(messageId);
  stage = 'record';
  const recorded = await db.recordMessage(messageId);
  for (const r of recorded.recipients) if (!recipients.has(r.address)) recipients.set(r.address, r.status);
  if (!policy.allowed) return await refuse(policy);
  stage = 'deliver';
  await routeAndDeliver(openOf([...recipients.keys()]), [], input.handoffRetryMs[0], undefined, startedAt);
  return finish();

  async function refuse(policy: PolicyOutcome): Promise<{ status: string }> {
    const refusal = policy.decisions.find((d) => !d.allowed);
    await db.failMessage(messageId, `policy: ${refusal?.reason ?? 'refused'}`);
    return finish();
  }

  /**
   * Stage 3: routing of some recipients; each resulting part is delivered on its own, concurrently. `episode`: these
   * recipients were waiting for a usable IP (a part still without one continues that episode).
   */
  async function routeAndDeliver(
    addresses: string[],
    excludeIps: string[],
    waitMs: number,
    episode: WaitEpisode | undefined,
    startedAt: number,
  ): Promise<void> {
    const open = openOf(addresses);
    if (open.length === 0) return;
    const { parts: routed } = await db.routeRecipients(messageId, open, excludeIps);
    await deliverParts(routed, excludeIps, waitMs, episode, startedAt);
  }

  /** Each routed part is delivered on its own, concurrently. */
  async function deliverParts(
    routed: RoutedPart[],
    excludeIps: string[],
    waitMs: number,
    episode: WaitEpisode | undefined,
    startedAt: number,
  ): Promise<void> {
    await Promise.all(routed.map((part) => deliverPart(part, excludeIps, waitMs, episode, startedAt)));
  }

  /**
   * A part whose pool has no usable IP: its recipients are deferred with one `waiting` row (and one `alert` if the
   * pool has no usable IP at all) per episode, the wait doubles up to POOL_WAIT_CAP_MS, the last wait ends at the
   * message lifetime, and then the recipients fail with the reason. A run grown long continues as new.
   */
  async function waitForUsableIp(
    id: number,
    progress: PartProgress,
    part: RoutedPart,
    episode: WaitEpisode | undefined,
    startedAt: number,
  ): Promise<void> {
    const now = Date.now();
    const deadline = startedAt + input.maxLifetimeMs;
    if (now >= deadline) {
      const since = new Date(episode?.since ?? now).toISOString();
      await db.failMessage(
        messageId,
        `no usable IP in pool ${part.pool} within the message lifetime (${formatHours(input.maxLifetimeMs)}; waiting since ${since}: ${part.why})`,
        part.recipients,
      );
      return;
    }
    const current = episode ?? { since: now, waitMs: input.handoffRetryMs[0], alerted: false };
    const alert = part.poolUnusable && !current.alerted;
    if (episode === undefined || alert) {
      await db.deferRecipients(messageId, part.recipients, {
        pool: part.pool,
        why: part.why,
        retryInMs: current.waitMs,
        maxRetryInMs: waitCap(),
        alert,
      });
    }
    progress.state = 'waiting';
    episodes.set(id, { ...current, alerted: current.alerted || alert });
    await sleep(Math.min(current.waitMs, deadline - now));
    const next: WaitEpisode = {
      since: current.since,
      waitMs: Math.min(current.waitMs * 2, waitCap()),
      alerted: current.alerted || alert,
    };
    episodes.set(id, next);
    const info = workflowInfo();
    const long = info.continueAsNewSuggested || info.historyLength >= CONTINUE_AS_NEW_AFTER_EVENTS;
    // Only when no part is between handoff and status (their activities and timers would not survive the move).
    if (long && [...parts.values()].every((p) => p.state === 'waiting' || p.state === 'done')) {
      const waiting = [...parts.entries()]
        .filter(([, p]) => p.state === 'waiting')
        .map(([partId, p]) => ({
          recipients: openOf(p.recipients),
          episode: episodes.get(partId) ?? next,
        }))
        .filter((w) => w.recipients.length > 0);
      // The search attributes set at start (AccountId, SenderDomain, DeliveryStatus) go with it.
      await makeContinueAsNewFunc<typeof deliverMessageWorkflow>({ typedSearchAttributes: info.typedSearchAttributes })(
        {
          ...input,
          continued: { startedAtMs: startedAt, recipients: Object.fromEntries(recipients), waiting },
        },
      );
    }
    episodes.delete(id);
    parts.delete(id);
    return await routeAndDeliver(part.recipients, [], next.waitMs, next, startedAt);
  }

  function waitCap(): number {
    return Math.max(POOL_WAIT_CAP_MS, input.handoffRetryMs[1]);
  }

  async function deliverPart(
    part: RoutedPart,
    excludeIps: string[],
    waitMs: number,
    episode: WaitEpisode | undefined,
    startedAt: number,
  ): Promise<void> {
    const id = nextPartId++;
    const progress: PartProgress = {
      id,
      recipients: part.recipients,
      pool: part.pool,
      ruleId: part.ruleId,
      ip: part.ip,
      relayId: part.relayId,
      state: 'routed',
      triedIps: excludeIps,
    };
    parts.set(id, progress);
    try {
      if (part.ip === null || part.relayId === null) {
        // No usable IP in the pool (or every one failed for this message): wait, deferred, then route again.
        if (revised || patched(BOUNDED_POOL_WAIT)) return await waitForUsableIp(id, progress, part, episode, startedAt);
        // Before the bounded wait (histories recorded earlier replay through here): a waiting row and an alert each
        // round, the wait capped at HANDOFF_RETRY's cap.
        if (Date.now() - startedAt > input.maxLifetimeMs) {
          await db.failMessage(
            messageId,
            `no usable IP in pool ${part.pool} within the message lifetime`,
            part.recipients,
          );
          return;
        }
        progress.state = 'waiting';
        await db.deferRecipients(messageId, part.recipients, {
          pool: part.pool,
          why: part.why,
          retryInMs: waitMs,
          alert: part.poolUnusable,
        });
        await sleep(waitMs);
        parts.delete(id);
        return await routeAndDeliver(
          part.recipients,
          [],
          Math.min(waitMs * 2, input.handoffRetryMs[1]),
          undefined,
          startedAt,
        );
      }
      // Stage 4: relay delivery (handoff over authenticated SMTP, from the chosen IP).
      progress.state = 'handoff';
      try {
        const handoff =
          part.recipients.length <= LOCAL_HANDOFF_MAX_RECIPIENTS && (revised || patched(LOCAL_HANDOFF))
            ? localRelay
            : relay;
        await handoff.handOffToRelay(messageId, {
          relayId: part.relayId,
          sourceIp: part.ip,
          recipients: part.recipients,
        });
      } catch (err) {
        // A remote activity's failure arrives as an ActivityFailure; a local activity's as its own failure (an
        // ApplicationFailure, or a TimeoutFailure). Either is a failed handoff; a cancellation or a bug is not.
        if (!(err instanceof TemporalFailure) || err instanceof CancelledFailure) throw err;
        await db.recordMessageEvent(messageId, 'handoff-failed', {
          relayId: part.relayId,
          ip: part.ip,
          recipients: part.recipients,
          error: (err instanceof ActivityFailure ? err.cause?.message : undefined) ?? err.message,
        });
        parts.delete(id);
        return await routeAndDeliver(part.recipients, [...excludeIps, part.ip], waitMs, undefined, startedAt);
      }
      // Stage 5: wait for the relay's status of this part.
      progress.state = 'await-status';
      const outcome = await awaitStatus(part.recipients, part.relayId);
      if (outcome !== 'done') {
        await db.recordMessageEvent(messageId, 'rerouted', {
          relayId: part.relayId,
          ip: part.ip,
          recipients: openOf(part.recipients),
          ...outcome,
        });
        parts.delete(id);
        return await routeAndDeliver(
          part.recipients,
          [...excludeIps, part.ip],
          input.handoffRetryMs[0],
          undefined,
          startedAt,
        );
      }
      progress.state = 'done';
    } finally {
      if (progress.state !== 'done') parts.delete(id);
    }
  }

  /** Until the part's recipients are final: signals, or on each timeout a direct question to the relay. */
  async function awaitStatus(
    addresses: string[],
    relayId: string,
  ): Promise<'done' | { why: string; duplicatePossible: boolean }> {
    const partFinal = (): boolean => openOf(addresses).length === 0;
    let unreachable = 0;
    while (!partFinal()) {
      if (await condition(partFinal, input.statusCheckIntervalMs)) break;
      const check = await probe.checkRelayStatus(messageId, relayId);
      if (check.state === 'known') {
        unreachable = 0;
        for (const r of check.recipients) {
          const key = keyOf(r.recipient);
          const before = recipients.get(key);
          if (before !== undefined && !isFinal(before)) recipients.set(key, r.status);
        }
        // The relay may hold other parts of this message but not this one.
        if (!openOf(addresses).some((a) => check.known.includes(a.toLowerCase())) && !partFinal()) {
          return { why: 'relay does not hold these recipients', duplicatePossible: false };
        }
      } else if (check.state === 'unknown') {
        return { why: 'relay does not know the message', duplicatePossible: false };
      } else if (++unreachable >= UNREACHABLE_CHECKS_BEFORE_REROUTE) {
        return { why: `relay unreachable: ${check.error}`, duplicatePossible: true };
      }
    }
    return 'done';
  }

  async function finish(): Promise<{ status: string }> {
    stage = 'finalize';
    const { status } = await db.finalizeMessage(messageId);
    // Filterable in the Temporal UI: DeliveryStatus = "bounced", etc. Only where ingress set it at start, i.e. where
    // the server has the attribute registered.
    if (workflowInfo().typedSearchAttributes.get(DeliveryStatusKey) !== undefined) {
      upsertSearchAttributes([{ key: DeliveryStatusKey, value: status }]);
    }
    stage = 'done';
    return { status };
  }
}

/** A duration for a reason text: "48 h", "1.5 h". */
function formatHours(ms: number): string {
  return `${Number((ms / 3_600_000).toFixed(2))} h`;
}
