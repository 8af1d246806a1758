import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { startTimeSkippingEnv } from '../helpers/time-skipping.js';
import type { Activities, PolicyOutcome, RelayCheck, RoutedPart } from '../../src/activities/types.js';
import type { RecipientStatus } from '../../src/domain/status.js';
import { workflowBundle } from '../../src/temporal/worker.js';
import { DELIVERY_REVISION, getProgressQuery, relayStatusSignal } from '../../src/workflows/definitions.js';
import { createPrepareActivities } from '../../src/activities/prepare-activities.js';
import { waitFor } from '../helpers/wait-for.js';

// Workflow logic with Temporal's time-skipping test server: the 30-minute status wait passes instantly, and fake
// activities (this is a unit test of the workflow alone) record what the workflow asked for.
let env: TestWorkflowEnvironment;

before(async () => {
  env = await startTimeSkippingEnv();
});
after(() => env?.teardown());

interface Trace {
  calls: string[];
  events: Array<{ type: string; data: Record<string, unknown> }>;
}

/** Relay `relay-N` hosts IP `10.0.0.N`; the fake MDE picks the first relay not excluded, all recipients in one part. */
const ipOf = (relayId: string): string => `10.0.0.${relayId.split('-')[1]}`;

function fakeActivities(
  o: {
    relays: string[];
    check: (relayId: string, n: number) => RelayCheck;
    recipients?: string[];
    route?: (recipients: string[], exclude: string[]) => RoutedPart[];
    /** Relays whose handoff fails (connection refused) at every try. */
    refusing?: string[];
    /** What the policy re-check finds (default: allowed). */
    policy?: PolicyOutcome;
  },
  trace: Trace,
): Activities {
  let checks = 0;
  const addresses = o.recipients ?? ['alice@dest.test'];
  const part = (recipients: string[], relayId: string | undefined, poolName = 'default'): RoutedPart => ({
    recipients,
    pool: poolName,
    ruleId: 'rule-default',
    ruleVersion: 1,
    ip: relayId ? ipOf(relayId) : null,
    relayId: relayId ?? null,
    why: relayId ? 'test' : 'no usable IP',
    poolUnusable: relayId === undefined && o.relays.length === 0,
  });
  const stages: Omit<Activities, 'prepareMessage'> = {
    async checkPolicy() {
      trace.calls.push('checkPolicy');
      return o.policy ?? { allowed: true, decisions: [] };
    },
    async recordMessage() {
      trace.calls.push('recordMessage');
      return {
        recipients: addresses.map((address) => ({
          address,
          kind: 'to' as const,
          status: 'pending' as RecipientStatus,
        })),
      };
    },
    async routeRecipients(_id, recipients, exclude) {
      trace.calls.push(`route(${exclude.join(',')})`);
      if (o.route) return { configVersion: 1, parts: o.route(recipients, exclude) };
      return {
        configVersion: 1,
        parts: [
          part(
            recipients,
            o.relays.find((r) => !exclude.includes(ipOf(r))),
          ),
        ],
      };
    },
    async handOffToRelay(_id, p) {
      trace.calls.push(`handoff(${p.relayId}${o.recipients ? `:${p.recipients.join('+')}` : ''})`);
      if (o.refusing?.includes(p.relayId)) throw new Error(`connect ECONNREFUSED (${p.relayId})`);
      return { response: '250 ok' };
    },
    async deferRecipients(_id, recipients, data) {
      trace.calls.push(`defer(${recipients.join('+')})`);
      trace.events.push({ type: 'waiting', data });
    },
    async checkRelayStatus(_id, relayId) {
      trace.calls.push(`check(${relayId})`);
      return o.check(relayId, ++checks);
    },
    async recordMessageEvent(_id, type, data) {
      trace.events.push({ type, data });
    },
    async failMessage(_id, reason, recipients) {
      trace.calls.push('fail');
      trace.events.push({ type: 'failed', data: { reason, recipients } });
    },
    async finalizeMessage() {
      trace.calls.push('finalize');
      return { status: 'delivered' };
    },
    async listRelayIds() {
      return o.relays;
    },
    async pollRelay() {
      return { applied: 0, cursor: 0 };
    },
    async deliverWebhookEvent() {
      return { state: 'skipped' as const };
    },
    // The reputation scan's activities (unused by the message workflow).
    async listScanTargets() {
      return { ips: [], domains: [], ipZones: [], domainZones: [] };
    },
    async lookupBlocklist(b) {
      return { zone: b.zone, kind: b.kind, results: [] };
    },
    async measureOwnSignals() {
      return [];
    },
    async applyScanResults() {
      return { opened: [], resolved: [], ipChanges: [], warnings: [] };
    },
    async sendReputationAlerts() {
      return { sent: [] };
    },
    // Retention's activities (unused by the message workflow).
    async purgeRawMime() {
      return { purged: 0, more: false };
    },
    async purgeEvents() {
      return { purged: 0, more: false };
    },
    ...senderDomainActivities,
  };
  // The real composition of the first stages, over these fakes.
  return { ...stages, ...createPrepareActivities(stages) };
}

/** The sender-domain check's activities (unused by the message workflow). */
const senderDomainActivities = {
  async listSenderDomainsToCheck() {
    return [];
  },
  async checkSenderDomainBatch() {
    return [];
  },
  async sendSenderDomainAlert() {
    return false;
  },
};

async function run(taskQueue: string, activities: Activities, body: (id: string) => Promise<void>): Promise<void> {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities,
  });
  await worker.runUntil(body(`msg-${taskQueue}`));
}

const input = (messageId: string) => ({
  messageId,
  statusCheckIntervalMs: 30 * 60_000,
  maxLifetimeMs: 2 * 86_400_000,
  handoffRetryMs: [1000, 30_000] as [number, number],
  revision: DELIVERY_REVISION,
});

/** Starts deliverMessageWorkflow `id` on `taskQueue` with the test input (and any overrides). */
const startDelivery = (taskQueue: string, id: string, overrides: Partial<ReturnType<typeof input>> = {}) =>
  env.client.workflow.start('deliverMessageWorkflow', {
    taskQueue,
    workflowId: id,
    args: [{ ...input(id), ...overrides }],
  });

test('a status signal completes the message without asking the relay', async () => {
  const trace: Trace = { calls: [], events: [] };
  await run(
    'wf-signal',
    fakeActivities({ relays: ['relay-1'], check: () => ({ state: 'unknown' }) }, trace),
    async (id) => {
      const handle = await startDelivery('wf-signal', id);
      // The poller signals only after the handoff; ops can see the stage through the progress query.
      await waitFor(async () => (await handle.query(getProgressQuery)).parts.some((x) => x.state === 'await-status'), {
        what: 'await-status stage',
      });
      await handle.signal(relayStatusSignal, {
        relayId: 'relay-1',
        updates: [{ recipient: 'alice@dest.test', status: 'delivered' }],
      });
      assert.deepEqual(await handle.result(), { status: 'delivered' });
    },
  );
  assert.deepEqual(trace.calls, ['checkPolicy', 'recordMessage', 'route()', 'handoff(relay-1)', 'finalize']);
});

test('a message the policy re-check refuses is recorded and failed with the reason, never routed', async () => {
  const trace: Trace = { calls: [], events: [] };
  const policy = {
    allowed: false,
    decisions: [{ check: 'account-state', allowed: false, reason: 'account suspended' }],
  };
  await run(
    'wf-policy',
    fakeActivities({ relays: ['relay-1'], check: () => ({ state: 'unknown' }), policy }, trace),
    async (id) => {
      await (await startDelivery('wf-policy', id)).result();
    },
  );
  assert.deepEqual(trace.calls, ['checkPolicy', 'recordMessage', 'fail', 'finalize']);
  assert.deepEqual(trace.events, [
    { type: 'failed', data: { reason: 'policy: account suspended', recipients: undefined } },
  ]);
});

test('no status within the interval: the workflow asks the relay; a relay that lost the message is routed around', async () => {
  const trace: Trace = { calls: [], events: [] };
  const activities = fakeActivities(
    {
      relays: ['relay-1', 'relay-2'],
      check: (relayId) =>
        relayId === 'relay-1'
          ? { state: 'unknown' }
          : {
              state: 'known',
              known: ['alice@dest.test'],
              recipients: [{ recipient: 'alice@dest.test', status: 'delivered' }],
            },
    },
    trace,
  );
  await run('wf-lost', activities, async (id) => {
    const start = await env.currentTimeMs();
    const handle = await startDelivery('wf-lost', id);
    assert.deepEqual(await handle.result(), { status: 'delivered' });
    const elapsed = (await env.currentTimeMs()) - start;
    assert.ok(elapsed >= 60 * 60_000, `two status waits of 30 min were skipped, elapsed ${elapsed} ms`);
  });
  assert.deepEqual(trace.calls, [
    'checkPolicy',
    'recordMessage',
    'route()',
    'handoff(relay-1)',
    'check(relay-1)',
    'route(10.0.0.1)',
    'handoff(relay-2)',
    'check(relay-2)',
    'finalize',
  ]);
  const rerouted = trace.events.find((e) => e.type === 'rerouted');
  assert.equal(rerouted?.data.relayId, 'relay-1');
  assert.equal(rerouted?.data.duplicatePossible, false);
});

test('a relay unreachable for three checks is routed around, recording that a duplicate is possible', async () => {
  const trace: Trace = { calls: [], events: [] };
  const activities = fakeActivities(
    {
      relays: ['relay-1', 'relay-2'],
      check: (relayId) =>
        relayId === 'relay-1'
          ? { state: 'unreachable', error: 'ECONNREFUSED' }
          : {
              state: 'known',
              known: ['alice@dest.test'],
              recipients: [{ recipient: 'alice@dest.test', status: 'delivered' }],
            },
    },
    trace,
  );
  await run('wf-down', activities, async (id) => {
    const handle = await startDelivery('wf-down', id);
    assert.deepEqual(await handle.result(), { status: 'delivered' });
  });
  assert.equal(trace.calls.filter((c) => c === 'check(relay-1)').length, 3);
  assert.equal(trace.events.find((e) => e.type === 'rerouted')?.data.duplicatePossible, true);
});

test('no relay at all: the message waits with a growing backoff, alerts once, and fails only after its lifetime', async () => {
  const trace: Trace = { calls: [], events: [] };
  let start = 0;
  await run('wf-none', fakeActivities({ relays: [], check: () => ({ state: 'unknown' }) }, trace), async (id) => {
    start = await env.currentTimeMs();
    const handle = await startDelivery('wf-none', id, { maxLifetimeMs: 3_600_000 });
    await handle.result();
    const elapsed = (await env.currentTimeMs()) - start;
    assert.ok(elapsed >= 3_600_000, `failed after the lifetime, not before (${elapsed} ms)`);
  });
  const routes = trace.calls.filter((c) => c.startsWith('route(')).length;
  // 1 s doubling to 15 min over one hour: 1+2+…+512 s (about 17 min), then 15 min waits up to the hour.
  assert.ok(routes >= 12 && routes <= 16, `${routes} routing rounds`);
  const waiting = trace.events.filter((e) => e.type === 'waiting');
  assert.equal(waiting.length, 1, 'one waiting row for the episode, not one per round');
  assert.equal(waiting[0]?.data.alert, true, 'the empty pool raises its alert once');
  assert.deepEqual(
    trace.calls.filter((c) => c === 'fail'),
    ['fail'],
  );
});

/** Every run of a workflow chain (continueAsNew), first to last, with its history. */
async function historiesOfChain(workflowId: string, firstRunId: string) {
  const runs = [];
  for (let runId: string | undefined = firstRunId; runId !== undefined;) {
    const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.push(history);
    const last = history.events?.at(-1);
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

test('a pool unusable for the whole 2-day lifetime: a bounded history, one alert, and one clear failure at the end', async (t) => {
  const trace: Trace = { calls: [], events: [] };
  let firstRunId = '';
  let id = '';
  await run('wf-dead-pool', fakeActivities({ relays: [], check: () => ({ state: 'unknown' }) }, trace), async (wid) => {
    id = wid;
    const start = await env.currentTimeMs();
    const handle = await startDelivery('wf-dead-pool', wid);
    firstRunId = handle.firstExecutionRunId;
    await env.client.workflow.getHandle(wid).result(); // the last run's result
    const elapsed = (await env.currentTimeMs()) - start;
    assert.ok(elapsed >= 2 * 86_400_000, `the recipients waited the whole lifetime (${elapsed} ms)`);
  });
  const runs = await historiesOfChain(id, firstRunId);
  const counts = runs.map((h) => h.events?.length ?? 0);
  const total = counts.reduce((a, b) => a + b, 0);
  t.diagnostic(
    `history events per run: ${counts.join(' + ')} = ${total}; routing rounds ${trace.calls.filter((c) => c.startsWith('route(')).length}`,
  );
  assert.ok(runs.length >= 2, `the long wait continued as new at least once (runs: ${counts.join(', ')})`);
  assert.ok(total < 2000, `history events over the whole lifetime: ${counts.join(' + ')} = ${total}`);
  for (const n of counts) assert.ok(n <= 1100, `a run of ${n} events`);
  // The continued run carried the episode: the policy and records were not redone, nor the alert raised again.
  assert.equal(trace.calls.filter((c) => c === 'checkPolicy').length, 1);
  assert.equal(trace.calls.filter((c) => c === 'recordMessage').length, 1);
  assert.equal(trace.events.filter((e) => e.type === 'waiting').length, 1);
  const failed = trace.events.filter((e) => e.type === 'failed');
  assert.equal(failed.length, 1, 'the recipients fail once, at the end');
  assert.deepEqual(failed[0]?.data.recipients, ['alice@dest.test']);
  assert.match(
    String(failed[0]?.data.reason),
    /^no usable IP in pool default within the message lifetime \(48 h; waiting since \S+: no usable IP\)$/,
  );
  // Every run of the new code replays against itself, the continued ones included.
  for (const [i, history] of runs.entries())
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, `${id}-run-${i}`);
});

test('a pool that comes back after the wait continued as new: the continued run hands off and completes', async () => {
  const trace: Trace = { calls: [], events: [] };
  let rounds = 0;
  const activities = fakeActivities(
    {
      relays: ['relay-1'],
      check: () => ({
        state: 'known',
        known: ['alice@dest.test'],
        recipients: [{ recipient: 'alice@dest.test', status: 'delivered' }],
      }),
      // No usable IP for the first 180 rounds (about 1.8 days, past the first run's 1,000 events), then relay-1.
      route: (recipients) => [
        {
          recipients,
          pool: 'default',
          ruleId: 'rule-default',
          ruleVersion: 1,
          ip: ++rounds > 180 ? '10.0.0.1' : null,
          relayId: rounds > 180 ? 'relay-1' : null,
          why: rounds > 180 ? 'test' : 'no usable IP',
          poolUnusable: rounds <= 180,
        },
      ],
    },
    trace,
  );
  let firstRunId = '';
  await run('wf-pool-back', activities, async (id) => {
    const handle = await startDelivery('wf-pool-back', id);
    firstRunId = handle.firstExecutionRunId;
    assert.deepEqual(await env.client.workflow.getHandle(id).result(), { status: 'delivered' });
  });
  assert.ok((await historiesOfChain('msg-wf-pool-back', firstRunId)).length >= 2, 'continued as new while waiting');
  assert.deepEqual(
    trace.calls.filter((c) => !c.startsWith('route(')),
    ['checkPolicy', 'recordMessage', 'defer(alice@dest.test)', 'handoff(relay-1)', 'check(relay-1)', 'finalize'],
  );
  assert.equal(rounds, 181);
});

test('recipients routed to different pools are delivered as separate parts; a part with no usable IP waits and alerts', async () => {
  const trace: Trace = { calls: [], events: [] };
  let otpUsable = false;
  const activities = fakeActivities(
    {
      relays: ['relay-1', 'relay-2'],
      recipients: ['a@gmail.test', 'b@other.test'],
      check: () => ({ state: 'unknown' }),
      route: (recipients) =>
        recipients.map((r) =>
          r.endsWith('@gmail.test')
            ? {
                recipients: [r],
                pool: 'otp',
                ruleId: 'r-gmail',
                ruleVersion: 3,
                ip: otpUsable ? '10.0.0.1' : null,
                relayId: otpUsable ? 'relay-1' : null,
                why: 'otp',
                poolUnusable: !otpUsable,
              }
            : {
                recipients: [r],
                pool: 'transactional',
                ruleId: null,
                ruleVersion: null,
                ip: '10.0.0.2',
                relayId: 'relay-2',
                why: 'default',
                poolUnusable: false,
              },
        ),
    },
    trace,
  );
  await run('wf-split', activities, async (id) => {
    const handle = await startDelivery('wf-split', id);
    await waitFor(
      async () => {
        const p = await handle.query(getProgressQuery);
        return (
          p.parts.some((x) => x.state === 'waiting' && x.pool === 'otp') &&
          p.parts.some((x) => x.state === 'await-status' && x.relayId === 'relay-2')
        );
      },
      { what: 'one part waiting for the otp pool, one on relay-2' },
    );
    await handle.signal(relayStatusSignal, {
      relayId: 'relay-2',
      updates: [{ recipient: 'b@other.test', status: 'delivered' }],
    });
    otpUsable = true; // an operator activates an IP in the otp pool; the waiting part picks it up on its next try
    await waitFor(
      async () =>
        (await handle.query(getProgressQuery)).parts.some((x) => x.state === 'await-status' && x.relayId === 'relay-1'),
      { what: 'otp part handed off' },
    );
    await handle.signal(relayStatusSignal, {
      relayId: 'relay-1',
      updates: [{ recipient: 'a@gmail.test', status: 'delivered' }],
    });
    assert.deepEqual(await handle.result(), { status: 'delivered' });
  });
  assert.ok(trace.calls.includes('handoff(relay-2:b@other.test)'));
  assert.ok(trace.calls.includes('handoff(relay-1:a@gmail.test)'));
  assert.ok(trace.calls.includes('defer(a@gmail.test)'), 'the waiting recipient is marked deferred');
  assert.equal(trace.events.find((e) => e.type === 'waiting')?.data.alert, true, 'an empty pool raises an alert');
});

/** Delivers one message whose recipients are all in one part, signalled delivered; returns its history. */
async function deliveredHistory(taskQueue: string, recipients: string[]) {
  const trace: Trace = { calls: [], events: [] };
  let history: Awaited<ReturnType<ReturnType<typeof env.client.workflow.getHandle>['fetchHistory']>> | undefined;
  await run(
    taskQueue,
    fakeActivities({ relays: ['relay-1'], recipients, check: () => ({ state: 'unknown' }) }, trace),
    async (id) => {
      const handle = await startDelivery(taskQueue, id);
      await waitFor(async () => (await handle.query(getProgressQuery)).parts.some((x) => x.state === 'await-status'), {
        what: 'await-status stage',
      });
      await handle.signal(relayStatusSignal, {
        relayId: 'relay-1',
        updates: recipients.map((recipient) => ({ recipient, status: 'delivered' as const })),
      });
      assert.deepEqual(await handle.result(), { status: 'delivered' });
      history = await handle.fetchHistory();
      await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, `${id}-replay`);
    },
  );
  assert.ok(
    trace.calls.some((c) => c.startsWith('handoff(relay-1')),
    'handed off',
  );
  const events = history?.events ?? [];
  const markers = events.flatMap((e, i) =>
    e.markerRecordedEventAttributes?.markerName === 'core_local_activity' ? [i] : [],
  );
  // each marker's first payload is the local activity's record: {"seq":1,"activity_type":"prepareMessage",...}
  const typeOf = (i: number): string => {
    const data = events[i]!.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data;
    return data ? String((JSON.parse(Buffer.from(data).toString()) as { activity_type?: string }).activity_type) : '';
  };
  const firstActivityTask = events.findIndex((e) => e.activityTaskScheduledEventAttributes);
  // Only workflow tasks between two events: nothing was waited for (no activity task, timer or signal). On a
  // starved machine the SDK may close a workflow task while a local activity still runs and record its result in
  // the next one, which is still no round trip for an activity.
  const onlyWorkflowTasksBetween = (from: number, to: number): boolean =>
    from >= 0 &&
    to > from &&
    events
      .slice(from + 1, to)
      .every(
        (e) =>
          e.workflowTaskScheduledEventAttributes ||
          e.workflowTaskStartedEventAttributes ||
          e.workflowTaskCompletedEventAttributes,
      );
  return {
    activityTasks: events.filter((e) => e.activityTaskScheduledEventAttributes).length,
    workflowTasks: events.filter((e) => e.workflowTaskCompletedEventAttributes).length,
    localActivities: markers.map(typeOf),
    /** Routing (the first local activity) and the local handoff (the second) recorded with nothing waited between. */
    localHandoffRightAfterRouting: markers.length >= 2 && onlyWorkflowTasksBetween(markers[0]!, markers[1]!),
    /** The handoff's activity task scheduled right after routing. */
    activityHandoffRightAfterRouting: markers.length >= 1 && onlyWorkflowTasksBetween(markers[0]!, firstActivityTask),
  };
}

test('a part of up to 10 recipients is handed off as a local activity right after routing; a larger one as an activity task', async (t) => {
  const local = await deliveredHistory('wf-local-handoff', ['alice@dest.test']);
  const remote = await deliveredHistory(
    'wf-remote-handoff',
    Array.from({ length: 11 }, (_, i) => `r${i}@dest.test`),
  );
  t.diagnostic(`workflow tasks: local handoff ${local.workflowTasks}, remote handoff ${remote.workflowTasks}`);
  assert.equal(local.activityTasks, 0, 'no activity task through the server');
  // prepareMessage (policy, record, route) and the handoff, one local activity right after the other.
  assert.deepEqual(local.localActivities.slice(0, 2), ['prepareMessage', 'handOffToRelay']);
  assert.ok(local.localHandoffRightAfterRouting, 'the handoff follows the routing with nothing waited for');
  // The larger part keeps the remote activity (its 10-minute timeout and heartbeat): an activity task after routing.
  assert.equal(remote.activityTasks, 1, 'one handOffToRelay activity task');
  assert.equal(remote.localActivities[0], 'prepareMessage');
  assert.ok(!remote.localActivities.includes('handOffToRelay'), 'no local handoff');
  assert.ok(remote.activityHandoffRightAfterRouting, 'the handoff task is scheduled right after the routing');
});

test('a relay that refuses connections: the local handoff tries three times, then the part is routed around it', async () => {
  const trace: Trace = { calls: [], events: [] };
  const activities = fakeActivities(
    {
      relays: ['relay-1', 'relay-2'],
      refusing: ['relay-1'],
      check: () => ({
        state: 'known',
        known: ['alice@dest.test'],
        recipients: [{ recipient: 'alice@dest.test', status: 'delivered' }],
      }),
    },
    trace,
  );
  await run('wf-refused', activities, async (id) => {
    const handle = await startDelivery('wf-refused', id);
    assert.deepEqual(await handle.result(), { status: 'delivered' });
  });
  assert.deepEqual(trace.calls, [
    'checkPolicy',
    'recordMessage',
    'route()',
    'handoff(relay-1)',
    'handoff(relay-1)',
    'handoff(relay-1)',
    'route(10.0.0.1)',
    'handoff(relay-2)',
    'check(relay-2)',
    'finalize',
  ]);
  const failed = trace.events.find((e) => e.type === 'handoff-failed');
  assert.equal(failed?.data.relayId, 'relay-1');
  assert.match(String(failed?.data.error), /ECONNREFUSED \(relay-1\)/);
});
