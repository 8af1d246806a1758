import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { startTimeSkippingEnv } from '../helpers/time-skipping.js';
import type { WebhookActivities, WebhookAttempt, WebhookAttemptResult } from '../../src/activities/types.js';
import { workflowBundle } from '../../src/temporal/worker.js';
import {
  webhookEventsSignal,
  webhookWorkflowId,
  type DeliverWebhookInput,
} from '../../src/workflows/webhook-definitions.js';

// The webhook delivery workflow alone, on Temporal's time-skipping test server: hours of backoff pass at once. The
// fake activity stands for the HTTP POST and records each attempt.
let env: TestWorkflowEnvironment;

before(async () => {
  env = await startTimeSkippingEnv();
});
after(() => env?.teardown());

const HOUR = 3_600_000;
const input = (webhookId: string): DeliverWebhookInput => ({
  webhookId,
  messageId: 'm1',
  retryMs: [10_000, HOUR],
  retryForMs: 24 * HOUR,
  idleMs: HOUR,
});

async function run(
  taskQueue: string,
  deliver: (a: WebhookAttempt) => WebhookAttemptResult,
  body: (handle: ReturnType<typeof env.client.workflow.getHandle>) => Promise<void>,
): Promise<WebhookAttempt[]> {
  const attempts: WebhookAttempt[] = [];
  const activities: WebhookActivities = {
    async deliverWebhookEvent(a) {
      attempts.push(a);
      return deliver(a);
    },
  };
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities,
  });
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.signalWithStart('deliverWebhookWorkflow', {
      taskQueue,
      workflowId: webhookWorkflowId(taskQueue, 'm1'),
      args: [input(taskQueue)],
      signal: webhookEventsSignal,
      signalArgs: [{ eventIds: ['1', '2'] }],
    });
    await body(env.client.workflow.getHandle(handle.workflowId));
  });
  return attempts;
}

test('a receiver down for more than an hour gets every event afterwards, once, in order, with doubling backoff', async () => {
  let failuresLeft = 10; // 10 s, 20 s, ... 2560 s, then the 1 h cap: the 11th attempt comes 2.4 h after the first
  const attempts = await run(
    'wh-outage',
    () => (failuresLeft-- > 0 ? { state: 'failed', statusCode: 500 } : { state: 'delivered', statusCode: 200 }),
    async (handle) => {
      await handle.signal(webhookEventsSignal, { eventIds: ['2', '3'] }); // '2' again (a dispatcher replay): ignored
      assert.deepEqual(await handle.result(), { handled: 3, ended: 'idle' });
    },
  );
  const delivered = attempts.filter((_, i) => i >= 10).map((a) => a.eventId);
  assert.deepEqual(delivered, ['1', '2', '3'], 'every event once, in order, after the outage');
  assert.deepEqual(
    attempts.slice(0, 10).map((a) => a.eventId),
    Array(10).fill('1'),
    'later events wait behind the first',
  );
  assert.deepEqual(
    attempts.slice(0, 10).map((a) => a.nextRetryInMs),
    [...[1, 2, 4, 8, 16, 32, 64, 128, 256].map((n) => n * 10_000), HOUR],
    'doubling from 10 s, capped at 1 h',
  );
  assert.deepEqual(
    attempts.slice(0, 11).map((a) => a.attempt),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
  );
});

test('an event that never gets through is retried for 24 hours, then given up; the next event still goes', async () => {
  const attempts = await run(
    'wh-giveup',
    (a) => (a.eventId === '1' ? { state: 'failed', statusCode: 503 } : { state: 'delivered', statusCode: 200 }),
    async (handle) => {
      assert.deepEqual(await handle.result(), { handled: 2, ended: 'idle' });
    },
  );
  const first = attempts.filter((a) => a.eventId === '1');
  const waits = first.map((a) => a.nextRetryInMs);
  assert.equal(waits[waits.length - 1], null, 'the last attempt says there is no next retry');
  const total = waits.reduce<number>((s, w) => s + (w ?? 0), 0);
  assert.ok(total <= 24 * HOUR && total > 23 * HOUR, `retried for about 24 h (${total / HOUR} h)`);
  assert.ok(
    waits.slice(0, -1).every((w) => w !== null && w <= HOUR),
    'backoff capped at 1 h',
  );
  assert.deepEqual(
    attempts.filter((a) => a.eventId !== '1').map((a) => a.eventId),
    ['2'],
  );
});

test('a deleted webhook ends the workflow; an event not for this webhook is skipped', async () => {
  const attempts = await run(
    'wh-gone',
    (a) => (a.eventId === '1' ? { state: 'skipped' } : { state: 'gone' }),
    async (handle) => {
      await handle.signal(webhookEventsSignal, { eventIds: ['3'] });
      assert.deepEqual(await handle.result(), { handled: 2, ended: 'webhook-deleted' });
    },
  );
  assert.deepEqual(
    attempts.map((a) => a.eventId),
    ['1', '2'],
  );
});
