import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { relayReportsPath } from '../../src/api/routes/relay-reports.js';
import { fetchStatusFeed } from '../../src/activities/relay-api-client.js';
import { relayPushHeaders } from '../../src/relay-protocol/auth.js';
import type { RelayHandle } from '../../src/relay/relay-server.js';
import type { FeedItem } from '../../src/relay-protocol/feed.js';
import { pollScheduleId } from '../../src/workflows/definitions.js';
import { startDestinationSink, type Sink } from '../helpers/destination-sink.js';
import { startRelays } from '../helpers/relays.js';
import { createAccount, startStack, type Stack, type TestAccount } from '../helpers/stack.js';
import { finishedMessage, submitMail, viewMessage } from '../helpers/submit.js';
import { waitFor } from '../helpers/wait-for.js';

// Final outcomes reach the API by two paths, each enough alone: the relays' push callback (fast) and the scheduled
// poll of their status feeds (the reconciler). A report that arrives twice, or by both paths, counts once.

interface Env {
  stack: Stack;
  sink: Sink;
  relays: RelayHandle[];
  acct: TestAccount;
}

async function startEnv(o: { push: boolean; env: Record<string, string> }): Promise<Env> {
  // flaky@ is deferred once (451) before its 250, so deferrals travel the same paths.
  const sink = await startDestinationSink({
    script: (rcpt, attempt) =>
      rcpt.startsWith('flaky@') && attempt === 1 ? { code: 451, message: '4.7.1 Greylisted, try again' } : undefined,
  });
  // The workflow's own overdue check is a third path: keep it out of the way.
  const stack = await startStack({ env: { STATUS_CHECK_INTERVAL: '1h', ...o.env } });
  const relays = await startRelays(stack, { count: 2, transport: `*=127.0.0.1:${sink.port}`, push: o.push });
  const acct = await createAccount(stack, { domain: 'example.com', cidr: '127.0.0.0/8' });
  return { stack, sink, relays, acct };
}

async function stopEnv(e: Env | undefined): Promise<void> {
  if (!e) return;
  await e.stack.close();
  for (const r of e.relays) await r.close();
  await e.sink.close();
}

/** Submits one message from billing@example.com and waits until every recipient is final; `what` names the wait. */
async function sendFinished(env: Env, to: string[], subject: string, what: string) {
  const id = await submitMail(env.stack, env.acct, { from: 'billing@example.com', to, subject, text: 'x' });
  const v = await waitFor(finishedMessage(env.stack, env.acct, id), { timeoutMs: 30_000, what });
  return { id, v };
}

/** What the relays' feeds hold for one message: exactly the items a push of it carries. */
async function relayItems(e: Env, messageId: string): Promise<Array<{ relayId: string; items: FeedItem[] }>> {
  return Promise.all(
    e.relays.map(async (r) => {
      const page = await fetchStatusFeed(`http://127.0.0.1:${r.httpPort}`, e.stack.relaySecret(r.id), 0, 1000);
      return { relayId: r.id, items: page.items.filter((i) => i.messageId === messageId) };
    }),
  );
}

async function pushReport(
  e: Env,
  relayId: string,
  items: unknown,
  secret = e.stack.relaySecret(relayId),
): Promise<{ status: number; body: { applied?: number; error?: { code: string } } }> {
  const body = JSON.stringify({ items });
  const res = await fetch(e.stack.apiUrl + relayReportsPath, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...relayPushHeaders(relayId, secret, body, Date.now()) },
    body,
  });
  return { status: res.status, body: (await res.json()) as { applied?: number; error?: { code: string } } };
}

const outcomeEvents = (v: { events: Array<{ type: string; recipient: string | null }> }): string[] =>
  v.events
    .filter((ev) => ['deferred', 'delivered', 'bounced', 'failed', 'completed'].includes(ev.type))
    .map((ev) => `${ev.type}:${ev.recipient ?? ''}`)
    .sort();

describe('push on, poll paused', () => {
  let e: Env | undefined;
  before(async () => {
    // Neither the poll nor the workflow's own status check (both 1 h away) can bring the outcome: only the push can.
    e = await startEnv({ push: true, env: { RELAY_POLL_INTERVAL: '1h', STATUS_CHECK_INTERVAL: '1h' } });
    // An hourly schedule could still fire at the top of the hour: pause it, so nothing here is learned by polling.
    await e.stack.temporal.schedule
      .getHandle(pollScheduleId(e.stack.config.TEMPORAL_TASK_QUEUE))
      .pause('push-only test');
  });
  after(() => stopEnv(e));

  // How fast (the 2 s target) is measured by the benchmark, not asserted here: timed assertions flake on busy machines.
  test('the push alone brings the destination 250 into the API and completes the message', async () => {
    const env = e!;
    const id = await submitMail(env.stack, env.acct, {
      from: 'billing@example.com',
      to: 'alice@dest.test',
      subject: 'Pushed',
      text: 'x',
    });
    const copy = await waitFor(() => env.sink.messages.find((m) => m.raw.includes('Subject: Pushed')), {
      timeoutMs: 30_000,
      what: 'destination got the message',
    });
    await waitFor(async () => (await viewMessage(env.stack, env.acct, id)).status === 'delivered', {
      timeoutMs: 30_000,
      intervalMs: 50,
      what: 'delivered in the API',
    });
    const v = await waitFor(finishedMessage(env.stack, env.acct, id), { timeoutMs: 30_000, what: 'message completed' });
    assert.equal(v.status, 'delivered');
    assert.equal(v.recipients[0]!.smtpResponse, copy.reply);
    assert.equal(v.recipients[0]!.sourceIp, copy.remoteAddress);
    const polled = await env.stack.pool.query('SELECT id FROM relays WHERE last_poll_at IS NOT NULL');
    assert.deepEqual(polled.rows, [], 'no relay was polled');
  });

  test('the same report pushed twice changes nothing; a wrong secret or an unknown relay gets 401', async () => {
    const env = e!;
    const { id, v } = await sendFinished(
      env,
      ['flaky@dest.test', 'bob@dest.test'],
      'Twice',
      'message completed by push',
    );
    assert.equal(v.status, 'delivered');
    assert.ok(
      v.events.some((ev) => ev.type === 'deferred' && ev.recipient === 'flaky@dest.test'),
      'the deferral was pushed too',
    );
    const before = outcomeEvents(v);
    assert.deepEqual(
      before.filter((t) => t.startsWith('delivered:')),
      ['delivered:bob@dest.test', 'delivered:flaky@dest.test'],
    );

    const reports = (await relayItems(env, id)).filter((r) => r.items.length > 0);
    assert.equal(reports.length, 1, 'one relay delivered the message');
    const { relayId, items } = reports[0]!;
    assert.equal(items.length, 3, 'deferred + two delivered');
    for (let i = 0; i < 2; i++) {
      const res = await pushReport(env, relayId, items);
      assert.equal(res.status, 200);
      assert.equal(res.body.applied, 3);
    }
    const bad = await pushReport(
      env,
      relayId,
      items.map((it) => ({ ...it, status: 'bounced', seq: it.seq + 1000 })),
      'not-the-secret',
    );
    assert.equal(bad.status, 401);
    assert.equal(bad.body.error?.code, 'unauthorized');
    const unknown = await pushReport(env, 'relay-9', items, env.stack.relaySecret('relay-9'));
    assert.equal(unknown.status, 401, 'a relay that is not registered');
    const invalid = await pushReport(env, relayId, [{ messageId: id }]);
    assert.equal(invalid.status, 400);

    const afterView = await viewMessage(env.stack, env.acct, id);
    assert.deepEqual(outcomeEvents(afterView), before);
    assert.equal(afterView.status, 'delivered');
    assert.deepEqual(
      afterView.recipients.map((r) => r.status),
      ['delivered', 'delivered'],
    );
  });
});

describe('push off (RELAY_PUSH=off), poll every second', () => {
  let e: Env | undefined;
  before(async () => {
    e = await startEnv({ push: false, env: { RELAY_POLL_INTERVAL: '1s', RELAY_PUSH: 'off' } });
  });
  after(() => stopEnv(e));

  test('the poll alone completes the message; a late push of what the poll applied changes nothing', async () => {
    const env = e!;
    const { id, v } = await sendFinished(
      env,
      ['flaky@dest.test', 'carol@dest.test'],
      'Polled',
      'message completed by the poll',
    );
    assert.equal(v.status, 'delivered');
    const before = outcomeEvents(v);
    assert.deepEqual(before, [
      'completed:',
      'deferred:flaky@dest.test',
      'delivered:carol@dest.test',
      'delivered:flaky@dest.test',
    ]);

    // The push path "losing nothing": the same items arriving after the poll are no-ops.
    const { relayId, items } = (await relayItems(env, id)).find((r) => r.items.length > 0)!;
    assert.equal((await pushReport(env, relayId, items)).status, 200);
    assert.deepEqual(outcomeEvents(await viewMessage(env.stack, env.acct, id)), before);
  });
});
