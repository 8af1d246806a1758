import {
  ActivityFailure,
  condition,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { DeliveryActivities, RoutedPart } from '../activities/types.js';
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
// Asking a relay directly: one retry; "unreachable" is an answer the workflow handles.
const probe = proxyActivities<Pick<DeliveryActivities, 'checkRelayStatus'>>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumAttempts: 2 },
});

/** After this many status checks find the relay unreachable, the part is re-routed (a duplicate is possible). */
const UNREACHABLE_CHECKS_BEFORE_REROUTE = 3;

/**
 * One accepted message, from policy check to final per-recipient status. Stages: policy → record → route (the MDE may
 * split the recipients into parts, one per pool/IP) → per part, concurrently: handoff → await status (signals from
 * the poller and the relays' push; on timeout ask the relay; re-route within the pool if it refused or lost the part)
 * → finalize. A part whose pool has no usable IP waits, deferred, with a bounded backoff until the message's lifetime.
 */
export async function deliverMessageWorkflow(input: DeliverMessageInput): Promise<{ status: string }> {
  const { messageId } = input;
  const recipients = new Map<string, RecipientStatus>();
  const parts = new Map<number, PartProgress>();
  let nextPartId = 1;
  let stage = 'policy';

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

  // Stage 1: policy checks (the account may have changed since ingress accepted the message).
  const policy = await db.checkPolicy(messageId);
  // Stage 2: database records: recipients with kind to/cc/bcc.
  stage = 'record';
  const recorded = await db.recordMessage(messageId);
  for (const r of recorded.recipients) if (!recipients.has(r.address)) recipients.set(r.address, r.status);
  if (!policy.allowed) {
    const refusal = policy.decisions.find((d) => !d.allowed);
    await db.failMessage(messageId, `policy: ${refusal?.reason ?? 'refused'}`);
    return finish();
  }

  const startedAt = workflowInfo().startTime.getTime();
  stage = 'deliver';
  await routeAndDeliver(openOf([...recipients.keys()]), [], input.handoffRetryMs[0]);
  return finish();

  /** Stage 3: routing of some recipients; each resulting part is delivered on its own, concurrently. */
  async function routeAndDeliver(addresses: string[], excludeIps: string[], waitMs: number): Promise<void> {
    const open = openOf(addresses);
    if (open.length === 0) return;
    const { parts: routed } = await db.routeRecipients(messageId, open, excludeIps);
    await Promise.all(routed.map((part) => deliverPart(part, excludeIps, waitMs)));
  }

  async function deliverPart(part: RoutedPart, excludeIps: string[], waitMs: number): Promise<void> {
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
        return await routeAndDeliver(part.recipients, [], Math.min(waitMs * 2, input.handoffRetryMs[1]));
      }
      // Stage 4: relay delivery (handoff over authenticated SMTP, from the chosen IP).
      progress.state = 'handoff';
      try {
        await relay.handOffToRelay(messageId, {
          relayId: part.relayId,
          sourceIp: part.ip,
          recipients: part.recipients,
        });
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        await db.recordMessageEvent(messageId, 'handoff-failed', {
          relayId: part.relayId,
          ip: part.ip,
          recipients: part.recipients,
          error: err.cause?.message ?? err.message,
        });
        parts.delete(id);
        return await routeAndDeliver(part.recipients, [...excludeIps, part.ip], waitMs);
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
        return await routeAndDeliver(part.recipients, [...excludeIps, part.ip], input.handoffRetryMs[0]);
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
