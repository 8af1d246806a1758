import { ActivityFailure, condition, proxyActivities, proxyLocalActivities, setHandler, sleep, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { DeliveryActivities } from '../activities/types.js';
import { isFinal, type RecipientStatus } from '../domain/status.js';
import { DeliveryStatusKey } from '../temporal/search-attributes.js';
import { getProgressQuery, relayStatusSignal, type DeliverMessageInput } from './definitions.js';

// Database work: quick, retried until the database is back (a message must never be dropped for a DB blip). Local
// activities: they run in the worker that runs the workflow, saving a task-queue round trip through the Temporal
// server per stage (the benchmark found those round trips dominating the end-to-end cost).
const db = proxyLocalActivities<DeliveryActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});
// Handoff to a relay: a few quick tries, then the workflow re-routes to another relay.
const relay = proxyActivities<Pick<DeliveryActivities, 'handOffToRelay'>>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumAttempts: 3, nonRetryableErrorTypes: ['RelayRefused'] },
});
// Asking a relay directly: one retry; "unreachable" is an answer the workflow handles.
const probe = proxyActivities<Pick<DeliveryActivities, 'checkRelayStatus'>>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumAttempts: 2 },
});

/** After this many status checks find the relay unreachable, the message is re-routed (a duplicate is possible). */
const UNREACHABLE_CHECKS_BEFORE_REROUTE = 3;

/**
 * One accepted message, from policy check to final per-recipient status. Stages: policy → record → route → handoff →
 * await status (signals from the poller; on timeout ask the relay; re-route if it lost the message) → finalize.
 */
export async function deliverMessageWorkflow(input: DeliverMessageInput): Promise<{ status: string }> {
  const { messageId } = input;
  const recipients = new Map<string, RecipientStatus>();
  const tried: string[] = [];
  let stage = 'policy';
  let currentRelay: string | null = null;

  setHandler(relayStatusSignal, ({ updates }) => {
    for (const u of updates) {
      const key = [...recipients.keys()].find((a) => a.toLowerCase() === u.recipient.toLowerCase()) ?? u.recipient;
      const before = recipients.get(key);
      if (before === undefined || !isFinal(before)) recipients.set(key, u.status);
    }
  });
  setHandler(getProgressQuery, () => ({ stage, relayId: currentRelay, triedRelays: [...tried], recipients: Object.fromEntries(recipients) }));

  const allFinal = (): boolean => recipients.size > 0 && [...recipients.values()].every(isFinal);

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
  let waitMs = input.handoffRetryMs[0];
  while (!allFinal()) {
    // Stage 3: routing.
    stage = 'route';
    const route = await db.routeMessage(messageId, tried);
    if (!route) {
      if (Date.now() - startedAt > input.maxLifetimeMs) {
        await db.failMessage(messageId, 'no relay accepted the message within its lifetime');
        return finish();
      }
      if (tried.length > 0) tried.length = 0; // every relay failed once: start over after a pause
      await db.recordMessageEvent(messageId, 'waiting', { reason: 'no usable relay', retryInMs: waitMs });
      await sleep(waitMs);
      waitMs = Math.min(waitMs * 2, input.handoffRetryMs[1]);
      continue;
    }
    // Stage 4: relay delivery (handoff over authenticated SMTP).
    stage = 'handoff';
    try {
      await relay.handOffToRelay(messageId, route.relayId);
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      tried.push(route.relayId);
      await db.recordMessageEvent(messageId, 'handoff-failed', { relayId: route.relayId, error: err.cause?.message ?? err.message });
      continue;
    }
    currentRelay = route.relayId;
    waitMs = input.handoffRetryMs[0];

    // Stage 5: wait for the relay's status.
    stage = 'await-status';
    let unreachable = 0;
    let reroute = false;
    while (!allFinal() && !reroute) {
      if (await condition(allFinal, input.statusCheckIntervalMs)) break;
      const check = await probe.checkRelayStatus(messageId, route.relayId);
      if (check.state === 'known') {
        unreachable = 0;
        for (const r of check.recipients) {
          const before = recipients.get(r.recipient);
          if (before !== undefined && !isFinal(before)) recipients.set(r.recipient, r.status);
        }
      } else if (check.state === 'unknown') {
        await db.recordMessageEvent(messageId, 'rerouted', { relayId: route.relayId, why: 'relay does not know the message', duplicatePossible: false });
        reroute = true;
      } else if (++unreachable >= UNREACHABLE_CHECKS_BEFORE_REROUTE) {
        await db.recordMessageEvent(messageId, 'rerouted', { relayId: route.relayId, why: `relay unreachable: ${check.error}`, duplicatePossible: true });
        reroute = true;
      }
    }
    if (reroute) tried.push(route.relayId);
  }
  return finish();

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
