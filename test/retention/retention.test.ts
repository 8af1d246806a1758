import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../src/activities/index.js';
import { createLogger } from '../../src/log.js';
import { retentionScheduleId } from '../../src/temporal/schedules.js';
import type { PurgeSummary } from '../../src/workflows/purge-retention.js';
import type { RelayHandle } from '../../src/relay/relay-server.js';
import { startDestinationSink, type Sink } from '../helpers/destination-sink.js';
import { startRelays } from '../helpers/relays.js';
import { createAccount, startStack, type Stack, type TestAccount } from '../helpers/stack.js';
import { finishedMessage, submitMail, viewMessage } from '../helpers/submit.js';
import { waitFor } from '../helpers/wait-for.js';

// Retention over the real stack: the `purge-retention` Schedule (here every 2 s, raw kept 1 s) purges the raw MIME of
// finished messages only; the message keeps its recipients, statuses and events and the API says `raw: "purged"`.
// Events go after their own (longer) retention; readers of a purged body fail with a non-retryable RawPurged.
let stack: Stack;
let sink: Sink;
let relays: RelayHandle[];
let acct: TestAccount;

const DAY = 86_400_000;

before(async () => {
  // slow@ is deferred by the destination on every attempt: its message stays open for the whole file.
  sink = await startDestinationSink({
    script: (rcpt) => (rcpt.startsWith('slow@') ? { code: 451, message: '4.3.0 Try again later' } : undefined),
  });
  stack = await startStack({
    env: { RAW_RETENTION: '1s', EVENT_RETENTION: '400d', RETENTION_INTERVAL: '2s' },
  });
  relays = await startRelays(stack, {
    count: 1,
    transport: `*=127.0.0.1:${sink.port}`,
    retryScheduleMs: [60_000],
    maxLifetimeMs: 3_600_000,
  });
  acct = await createAccount(stack, { domain: 'example.com', cidr: '127.0.0.0/8' });
});
after(async () => {
  await stack.close();
  for (const r of relays) await r.close();
  await sink.close();
});

let openId: string;
let doneId: string;

test('the Schedule purges the raw MIME of a finished message; one still being delivered keeps its body', async () => {
  openId = await submitMail(stack, acct, { from: 'a@example.com', to: 'slow@dest.test', subject: 'open', text: 'x' });
  await waitFor(async () => (await viewMessage(stack, acct, openId)).recipients.some((r) => r.status === 'deferred'), {
    timeoutMs: 60_000,
    what: 'the open message deferred by the destination',
  });
  doneId = await submitMail(stack, acct, { from: 'a@example.com', to: 'alice@dest.test', subject: 'done', text: 'y' });
  const delivered = await waitFor(finishedMessage(stack, acct, doneId), { timeoutMs: 60_000, what: 'delivered' });
  assert.equal(delivered.status, 'delivered');

  const purged = await waitFor(
    async () => {
      const v = await viewMessage(stack, acct, doneId);
      return v.raw === 'purged' && v;
    },
    { timeoutMs: 30_000, what: 'the finished message purged by a scheduled run' },
  );
  assert.ok(purged.rawPurgedAt && Date.parse(purged.rawPurgedAt) >= Date.parse(purged.submittedAt));
  // The message keeps everything but its body.
  assert.equal(purged.status, 'delivered');
  assert.deepEqual(
    purged.recipients.map((r) => [r.address, r.status, r.smtpCode]),
    [['alice@dest.test', 'delivered', 250]],
  );
  assert.equal(purged.subject, 'done');
  assert.ok(purged.size > 0);
  for (const t of ['accepted', 'relayed', 'delivered', 'completed'])
    assert.ok(
      purged.events.some((e) => e.type === t),
      `event ${t} kept`,
    );
  const { rows } = await stack.pool.query('SELECT raw IS NULL AS gone FROM messages WHERE id = $1', [doneId]);
  assert.equal(rows[0].gone, true);

  // The run that purged it had a cutoff past the open message's submission too: the open one was kept because open.
  const open = await viewMessage(stack, acct, openId);
  assert.equal(open.raw, 'stored');
  assert.equal(open.rawPurgedAt, null);
  assert.ok(open.recipients.some((r) => r.status === 'deferred'));
  // The list shows it as well.
  const list = await stack.api<{ items: Array<{ id: string; raw: string }> }>(
    'GET',
    '/v1/messages?limit=10',
    undefined,
    acct.apiKey,
  );
  const byId = Object.fromEntries(list.body.items.map((m) => [m.id, m.raw]));
  assert.equal(byId[doneId], 'purged');
  assert.equal(byId[openId], 'stored');
});

test('the Schedule exists: every RETENTION_INTERVAL, overlap skipped, with the retention settings', async () => {
  const d = await stack.temporal.schedule.getHandle(retentionScheduleId(stack.config.TEMPORAL_TASK_QUEUE)).describe();
  assert.equal(d.policies.overlap, 'SKIP');
  assert.deepEqual(
    d.spec.intervals?.map((i) => Number(i.every)),
    [2000],
  );
  assert.equal(d.action.type, 'startWorkflow');
  assert.equal(d.action.type === 'startWorkflow' && d.action.workflowType, 'purgeRetentionWorkflow');
  assert.deepEqual(d.action.type === 'startWorkflow' && d.action.args, [
    { rawRetentionMs: 1000, eventRetentionMs: 400 * DAY },
  ]);
});

test('readers of a purged body fail with a non-retryable RawPurged', async () => {
  const { activities, close } = createActivities({
    pool: stack.pool,
    temporal: stack.temporal,
    relaySecret: (id) => stack.relaySecret(id),
    log: createLogger({ test: true }),
  });
  try {
    // In an activity context, as the worker runs them (the handoff heartbeats).
    const env = new MockActivityEnvironment();
    for (const call of [
      () => env.run(activities.recordMessage, doneId),
      () =>
        env.run(activities.handOffToRelay, doneId, {
          relayId: 'relay-1',
          sourceIp: '127.0.0.2',
          recipients: ['alice@dest.test'],
        }),
    ]) {
      await assert.rejects(call, (err: unknown) => {
        assert.ok(err instanceof ApplicationFailure, String(err));
        assert.equal(err.type, 'RawPurged');
        assert.equal(err.nonRetryable, true);
        return true;
      });
    }
  } finally {
    close();
  }
});

test('events go after EVENT_RETENTION, only of finished (purged) messages; a rerun finds nothing', async () => {
  const run = (eventRetentionMs: number): Promise<PurgeSummary> =>
    stack.temporal.workflow.execute('purgeRetentionWorkflow', {
      taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
      workflowId: `purge-test-${Date.now()}-${eventRetentionMs}`,
      // batchSize 1: several statements per call, so the batch loop is exercised.
      args: [{ rawRetentionMs: 1000, eventRetentionMs, batchSize: 1, maxBatches: 2 }],
    });
  const openEvents = (await viewMessage(stack, acct, openId)).events.length;
  const doneEvents = (await viewMessage(stack, acct, doneId)).events.length;
  assert.ok(doneEvents >= 4);
  const first = await run(1);
  assert.ok(first.eventsPurged >= doneEvents, `purged ${first.eventsPurged} of ${doneEvents}`);
  const done = await viewMessage(stack, acct, doneId);
  assert.deepEqual(done.events, []);
  assert.equal(done.raw, 'purged');
  assert.deepEqual(
    done.recipients.map((r) => r.status),
    ['delivered'],
  );
  const open = await viewMessage(stack, acct, openId);
  assert.ok(open.events.length >= openEvents, 'the open message keeps its history');
  assert.equal(open.raw, 'stored');
  // Idempotent: nothing is left past the cutoffs.
  assert.deepEqual(await run(1), { rawPurged: 0, eventsPurged: 0 });
});
