import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RelayHandle } from '../../src/relay/relay-server.js';
import { startTestRelay } from '../helpers/relays.js';
import { startDestinationSink, type Sink, type SinkMessage } from '../helpers/destination-sink.js';
import { createAccount, startStack, type Stack, type TestAccount } from '../helpers/stack.js';
import { finishedMessage, submitMail } from '../helpers/submit.js';
import { waitFor } from '../helpers/wait-for.js';

// A pool reserved for one account: pool `otp` (relay-otp, 127.0.0.2) is reserved for account A, and a rule sends
// every message tagged `otp` there; the catch-all rule sends the rest to pool `bulk` (relay-bulk, 127.0.0.3).
// Account B tagging its mail `otp` must not reach the otp IP: the tag rule does not match for B, its mail leaves from
// the bulk IP (the source address seen by the destination), and explain says why.

let stack: Stack;
let sink: Sink;
let a: TestAccount;
let b: TestAccount;
const handles: RelayHandle[] = [];

async function ok<T>(res: Promise<{ status: number; body: T }>, expected: number): Promise<T> {
  const r = await res;
  assert.equal(r.status, expected, JSON.stringify(r.body));
  return r.body;
}

async function addRelay(id: string, sourceIp: string): Promise<void> {
  handles.push(await startTestRelay(stack, id, sourceIp, { transport: `*=127.0.0.1:${sink.port}`, push: true }));
}

before(async () => {
  sink = await startDestinationSink();
  stack = await startStack();
  await addRelay('relay-otp', '127.0.0.2');
  await addRelay('relay-bulk', '127.0.0.3');
  a = await createAccount(stack, { name: 'A', domain: 'a.example', cidr: '127.0.0.0/8' });
  b = await createAccount(stack, { name: 'B', domain: 'b.example', cidr: '127.0.0.0/8' });
  const created = await ok(
    stack.api<{ accounts: string[] }>('POST', '/v1/ip-pools', { name: 'otp', accounts: [a.accountId] }),
    201,
  );
  assert.deepEqual(created.accounts, [a.accountId]);
  await ok(stack.api('POST', '/v1/ip-pools', { name: 'bulk' }), 201);
  await ok(stack.api('PATCH', '/v1/ips/127.0.0.2', { pool: 'otp', reason: 'otp traffic' }), 200);
  await ok(stack.api('PATCH', '/v1/ips/127.0.0.3', { pool: 'bulk', reason: 'everything else' }), 200);
  await ok(stack.api('POST', '/v1/mde/rules', { priority: 5, match: { tag: 'otp' }, pool: 'otp' }), 201);
  await ok(stack.api('PATCH', '/v1/mde/rules/rule_default', { pool: 'bulk' }), 200);
});

after(async () => {
  await stack?.close();
  for (const h of handles) await h.close();
  await sink?.close();
});

const messageIdHeader = (m: SinkMessage): string =>
  /^Message-ID:\s*<([^>]+)>/im.exec(m.raw.toString('latin1'))?.[1] ?? '';

async function sendOtp(acct: TestAccount, domain: string, to: string): Promise<SinkMessage> {
  const messageId = `${Math.random().toString(36).slice(2)}@${domain}`;
  const id = await submitMail(stack, acct, {
    from: `app@${domain}`,
    to: [to],
    subject: 'code',
    text: 'your code is 123456',
    messageId: `<${messageId}>`,
    headers: { 'X-Relay-Tag': 'otp' },
  });
  const view = await waitFor(finishedMessage(stack, acct, id), { timeoutMs: 60_000, what: `message ${id} final` });
  assert.equal(view.status, 'delivered');
  return waitFor(() => sink.messages.find((m) => messageIdHeader(m) === messageId), { what: 'arrival at the sink' });
}

interface ExplainRoute {
  ruleId: string | null;
  pool: string;
  ip: string | null;
  skipped: Array<{ ruleId: string; pool: string; why: string }>;
  why: string;
}

async function explain(acct: TestAccount, domain: string): Promise<ExplainRoute[]> {
  const body = await ok(
    stack.api<{ routes: ExplainRoute[] }>('POST', '/v1/mde/explain', {
      accountId: acct.accountId,
      mailFrom: `app@${domain}`,
      recipients: ['user@dest.test'],
      headers: { 'X-Relay-Tag': 'otp' },
    }),
    200,
  );
  return body.routes;
}

test('account B tagging its mail otp leaves from the catch-all pool, and explain says the otp pool is reserved', async () => {
  const arrival = await sendOtp(b, 'b.example', 'user@dest.test');
  assert.equal(arrival.remoteAddress, '127.0.0.3', 'not the otp IP');
  const [route] = await explain(b, 'b.example');
  assert.equal(route?.pool, 'bulk');
  assert.equal(route?.ruleId, 'rule_default');
  assert.equal(route?.skipped.length, 1);
  assert.equal(route?.skipped[0]?.pool, 'otp');
  assert.equal(route?.skipped[0]?.why, 'pool otp is reserved for other accounts');
  assert.match(route?.why ?? '', /skipped: pool otp is reserved for other accounts/);
});

test('account A, which the otp pool is reserved for, leaves from the otp IP', async () => {
  const arrival = await sendOtp(a, 'a.example', 'user@dest.test');
  assert.equal(arrival.remoteAddress, '127.0.0.2');
  const [route] = await explain(a, 'a.example');
  assert.equal(route?.pool, 'otp');
  assert.deepEqual(route?.skipped, []);
});

test('reserving a pool is validated and can be lifted: unknown accounts and the default pool are refused', async () => {
  const unknown = await stack.api<{ error: { code: string } }>('PATCH', '/v1/ip-pools/bulk', {
    accounts: ['acc_does_not_exist'],
  });
  assert.equal(unknown.status, 400);
  const dflt = await stack.api('PATCH', '/v1/ip-pools/default', { accounts: [a.accountId] });
  assert.equal(dflt.status, 400);
  const opened = await ok(stack.api<{ accounts: string[] }>('PATCH', '/v1/ip-pools/otp', { accounts: [] }), 200);
  assert.deepEqual(opened.accounts, []);
  const [route] = await explain(b, 'b.example');
  assert.equal(route?.pool, 'otp', 'open to all again: the tag rule matches for B');
  await ok(stack.api('PATCH', '/v1/ip-pools/otp', { accounts: [a.accountId] }), 200);
});
