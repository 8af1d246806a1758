import { condition, continueAsNew, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { WebhookActivities } from '../activities/types.js';
import {
  getWebhookProgressQuery,
  webhookEventsSignal,
  type DeliverWebhookInput,
  type WebhookProgress,
} from './webhook-definitions.js';

// One HTTP attempt per activity execution: the workflow owns the retry schedule (so every attempt and its next retry
// time is recorded), and an activity is never retried behind its back (no hidden duplicate POSTs).
const { deliverWebhookEvent } = proxyActivities<WebhookActivities>({
  startToCloseTimeout: '1m',
  retry: { maximumAttempts: 1 },
});

/** Largest history before the run continues as new (events of one message are few; this bounds pathological cases). */
const MAX_HISTORY = 5000;
const MAX_HANDLED_CARRIED = 1000;

/**
 * Delivers the events of one message to one webhook, in order, each until it succeeds or its retry window (24 h)
 * ends, with exponential backoff. Fed by the dispatcher with signalWithStart; dedupes event ids (the activity also
 * checks the database, so a new run never re-sends an event already delivered).
 */
export async function deliverWebhookWorkflow(
  input: DeliverWebhookInput,
): Promise<{ handled: number; ended: 'idle' | 'webhook-deleted' }> {
  const pending: string[] = [...(input.pending ?? [])];
  const handled = new Set<string>(input.handled ?? []);
  let current: WebhookProgress['current'] = null;
  setHandler(webhookEventsSignal, ({ eventIds }) => {
    for (const id of eventIds) if (!handled.has(id) && !pending.includes(id)) pending.push(id);
  });
  setHandler(getWebhookProgressQuery, () => ({ pending: [...pending], handled: handled.size, current }));

  for (;;) {
    if (pending.length === 0 && !(await condition(() => pending.length > 0, input.idleMs)))
      return { handled: handled.size, ended: 'idle' };
    if (workflowInfo().historyLength > MAX_HISTORY || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof deliverWebhookWorkflow>({
        ...input,
        pending,
        handled: [...handled].slice(-MAX_HANDLED_CARRIED),
      });
    }
    const eventId = pending[0] as string;
    const outcome = await deliverOne(input, eventId, (attempt) => {
      current = { eventId, attempt };
    });
    current = null;
    handled.add(eventId);
    pending.shift();
    if (outcome === 'gone') return { handled: handled.size, ended: 'webhook-deleted' };
  }
}

/** Attempts until delivered, skipped, gone, or the retry window is over (then the event is given up, recorded so). */
async function deliverOne(
  input: DeliverWebhookInput,
  eventId: string,
  onAttempt: (n: number) => void,
): Promise<'delivered' | 'skipped' | 'gone' | 'given-up'> {
  const first = Date.now(); // workflow time: deterministic on replay
  let delay = input.retryMs[0];
  for (let attempt = 1; ; attempt++) {
    onAttempt(attempt);
    const elapsed = Date.now() - first;
    const nextRetryInMs = elapsed + delay <= input.retryForMs ? delay : null;
    let state: 'delivered' | 'failed' | 'skipped' | 'gone';
    try {
      state = (
        await deliverWebhookEvent({
          webhookId: input.webhookId,
          messageId: input.messageId,
          eventId,
          attempt,
          nextRetryInMs,
        })
      ).state;
    } catch {
      state = 'failed'; // the activity itself failed (timeout, database): counts as a failed attempt
    }
    if (state !== 'failed') return state;
    if (nextRetryInMs === null) return 'given-up';
    await sleep(nextRetryInMs);
    delay = Math.min(delay * 2, input.retryMs[1]);
  }
}
