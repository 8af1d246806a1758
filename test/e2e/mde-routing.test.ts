import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { relayReportsPath } from '../../src/api/routes/relay-reports.js';
import type { MessageView } from '../../src/db/message-queries.js';
import { startRelay, type RelayHandle, type RelayOptions } from '../../src/relay/relay-server.js';
import { createTestDatabase } from '../helpers/database.js';
import { startDestinationSink, type Sink, type SinkMessage } from '../helpers/destination-sink.js';
import { createAccount, startStack, type Stack, type TestAccount } from '../helpers/stack.js';
import { finishedMessage, submitMail, viewMessage } from '../helpers/submit.js';
import { waitFor } from '../helpers/wait-for.js';

// The Mail Distribution Engine end to end: three relays on 127.0.0.2, .3 and .4; rules send gmail.test recipients to
// pool `a` (relay-1) and everything else to pool `b` (relays 2 and 3). What the destination sees (the source address
// of each delivery) must agree with the API and with `explain`.

let stack: Stack;
let sink: Sink;
let acct: TestAccount;
const relays = new Map<string, { options: RelayOptions; handle?: RelayHandle }>();

const RELAY_IPS: Record<string, string> = { 'relay-1': '127.0.0.2', 'relay-2': '127.0.0.3', 'relay-3': '127.0.0.4' };

async function startNamedRelay(id: string): Promise<void> {
  const known = relays.get(id);
  const options: RelayOptions = known?.options ?? {
    id,
    smtpHost: '127.0.0.1',
    smtpPort: 0,
    httpHost: '127.0.0.1',
    httpPort: 0,
    sourceIp: RELAY_IPS[id]!,
    databaseUrl: await createTestDatabase('relay'),
    secret: stack.relaySecret(id),
    transport: `*=127.0.0.1:${sink.port}`,
    retryScheduleMs: [300, 600],
    maxLifetimeMs: 60_000,
    heloName: `${id}.relay.localhost`,
    pushUrl: stack.apiUrl + relayReportsPath,
  };
  const handle = await startRelay(options);
  // A restart keeps its ports, as a relay host would: the MDE's registration stays valid.
  relays.set(id, { options: { ...options, smtpPort: handle.smtpPort, httpPort: handle.httpPort }, handle });
  if (!known)
    await stack.registerRelay({
      id,
      smtpPort: handle.smtpPort,
      httpPort: handle.httpPort,
      sourceIp: options.sourceIp,
      tlsFingerprint: handle.tlsFingerprint,
    });
}

async function ok<T>(res: Promise<{ status: number; body: T }>, expected: number): Promise<T> {
  const r = await res;
  assert.equal(r.status, expected, JSON.stringify(r.body));
  return r.body;
}

before(async () => {
  sink = await startDestinationSink();
  stack = await startStack();
  for (const id of ['relay-1', 'relay-2', 'relay-3']) await startNamedRelay(id);
  acct = await createAccount(stack, { domain: 'example.com', cidr: '127.0.0.0/8' });
  // The delivery team's set-up: two pools, IPs moved into them, a gmail rule, and the catch-all pointed at `b`.
  await ok(stack.api('POST', '/v1/ip-pools', { name: 'a' }), 201);
  await ok(stack.api('POST', '/v1/ip-pools', { name: 'b' }), 201);
  await ok(stack.api('PATCH', '/v1/ips/127.0.0.2', { pool: 'a', reason: 'otp traffic' }), 200);
  await ok(stack.api('PATCH', '/v1/ips/127.0.0.3', { pool: 'b', reason: 'transactional' }), 200);
  await ok(stack.api('PATCH', '/v1/ips/127.0.0.4', { pool: 'b', reason: 'transactional' }), 200);
  await ok(stack.api('PUT', '/v1/mde/groups/gmail', { domains: ['gmail.test', 'googlemail.test'] }), 201);
  await ok(
    stack.api('POST', '/v1/mde/rules', { priority: 10, match: { recipientDomain: 'group:gmail' }, pool: 'a' }),
    201,
  );
  await ok(stack.api('PATCH', '/v1/mde/rules/rule_default', { pool: 'b' }), 200);
});

after(async () => {
  await stack?.close();
  for (const r of relays.values()) await r.handle?.close();
  await sink?.close();
});

const messageIdHeader = (m: SinkMessage): string =>
  /^Message-ID:\s*<([^>]+)>/im.exec(m.raw.toString('latin1'))?.[1] ?? '';
const arrivalsOf = (messageId: string): SinkMessage[] => sink.messages.filter((m) => messageIdHeader(m) === messageId);

async function send(to: string[], extra: Record<string, string> = {}): Promise<{ id: string; messageId: string }> {
  const messageId = `${Math.random().toString(36).slice(2)}@example.com`;
  const id = await submitMail(stack, acct, {
    from: 'app@example.com',
    to,
    subject: 'mde',
    text: 'hello',
    messageId: `<${messageId}>`,
    headers: extra,
  });
  return { id, messageId };
}

async function finished(id: string): Promise<MessageView> {
  return waitFor(finishedMessage(stack, acct, id), { timeoutMs: 60_000, what: `message ${id} final` });
}

interface ExplainRoute {
  recipients: string[];
  ruleId: string | null;
  pool: string;
  ip: string | null;
  relayId: string | null;
  rejected: Array<{ ip: string; why: string }>;
}

async function explain(messageId: string, recipients: string[]): Promise<ExplainRoute[]> {
  const body = await ok(
    stack.api<{ routes: ExplainRoute[] }>('POST', '/v1/mde/explain', {
      accountId: acct.accountId,
      mailFrom: 'app@example.com',
      recipients,
      messageId,
    }),
    200,
  );
  return body.routes;
}

test('recipients are split per route: gmail.test leaves from pool a (127.0.0.2), the rest from pool b; explain agrees', async () => {
  const sent = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      send([`g${i}@gmail.test`, `o${i}@other.test`], { 'X-Relay-Tag': 'otp', 'X-Relay-Priority': 'high' }),
    ),
  );
  for (const s of sent) {
    const view = await finished(s.id);
    assert.equal(view.status, 'delivered');
    assert.deepEqual(view.tags, ['otp']);
    assert.equal(view.priority, 'high');
    const arrivals = await waitFor(() => arrivalsOf(s.messageId).length === 2 && arrivalsOf(s.messageId), {
      what: 'both parts at the sink',
    });
    const gmail = arrivals.find((m) => m.rcptTo.some((r) => r.endsWith('@gmail.test')))!;
    const other = arrivals.find((m) => m.rcptTo.some((r) => r.endsWith('@other.test')))!;
    assert.deepEqual(gmail.rcptTo.length, 1, 'each part carries only its own recipients');
    assert.equal(gmail.remoteAddress, '127.0.0.2');
    assert.ok(['127.0.0.3', '127.0.0.4'].includes(other.remoteAddress), `pool b IP, got ${other.remoteAddress}`);
    assert.doesNotMatch(
      gmail.raw.toString('latin1'),
      /^X-(Relay|Mde)-/im,
      'control headers never reach the destination',
    );
    // The API shows each recipient's route; explain, asked about the same message, names the same IPs.
    const byAddress = new Map(view.recipients.map((r) => [r.address, r]));
    assert.deepEqual(byAddress.get(gmail.rcptTo[0]!)?.route?.pool, 'a');
    assert.equal(byAddress.get(other.rcptTo[0]!)?.sourceIp, other.remoteAddress);
    const routes = await explain(s.id, [...gmail.rcptTo, ...other.rcptTo]);
    assert.equal(routes.find((r) => r.pool === 'a')?.ip, gmail.remoteAddress);
    assert.equal(routes.find((r) => r.pool === 'b')?.ip, other.remoteAddress);
  }
  // Each relay's health as the delivery team sees it: heartbeat and queue depth from the poll, last-hour counters.
  const health = await waitFor(
    async () => {
      const { body } = await stack.api<{
        items: Array<{
          id: string;
          healthy: boolean;
          lastHeartbeatAt: string | null;
          queueDepth: number | null;
          lastHour: { delivered: number };
        }>;
      }>('GET', '/v1/relays');
      return (
        body.items.length === 3 &&
        body.items.every((r) => r.lastHeartbeatAt !== null && r.queueDepth !== null) &&
        body.items
      );
    },
    { what: 'relay heartbeats and queue depths' },
  );
  assert.ok(health.every((r) => r.healthy));
  assert.equal(
    health.find((r) => r.id === 'relay-1')?.lastHour.delivered,
    6,
    'relay-1 delivered the six gmail.test recipients',
  );
});

test('a quarantined IP is never chosen again; explain lists it as rejected with its state', async () => {
  await ok(
    stack.api('PATCH', '/v1/ips/127.0.0.3', { state: 'quarantined', reason: 'listed on a test blocklist' }),
    200,
  );
  const sent = await Promise.all(Array.from({ length: 8 }, (_, i) => send([`q${i}@other.test`])));
  for (const s of sent) {
    await finished(s.id);
    const [arrival] = await waitFor(() => arrivalsOf(s.messageId).length === 1 && arrivalsOf(s.messageId), {
      what: 'arrival',
    });
    assert.equal(arrival!.remoteAddress, '127.0.0.4');
  }
  const routes = await explain('any-message', ['x@other.test']);
  assert.deepEqual(routes[0]?.rejected, [{ ip: '127.0.0.3', why: 'state is quarantined' }]);
  const ip = await ok(
    stack.api<{ history: Array<{ toState: string | null; reason: string | null }> }>('GET', '/v1/ips/127.0.0.3'),
    200,
  );
  assert.ok(
    ip.history.some((h) => h.toState === 'quarantined' && h.reason === 'listed on a test blocklist'),
    'the state change is audited',
  );
  await ok(stack.api('PATCH', '/v1/ips/127.0.0.3', { state: 'active', reason: 'delisted' }), 200);
});

test('a pool without a usable IP makes its recipients wait (deferred, with an alert), not bounce; they go once an IP is back', async () => {
  await ok(stack.api('PATCH', '/v1/ips/127.0.0.2', { state: 'standby', reason: 'maintenance' }), 200);
  const s = await send(['wait@gmail.test', 'now@other.test']);
  const waiting = await waitFor(
    async () => {
      const v = await viewMessage(stack, acct, s.id);
      const r = v.recipients.find((x) => x.address === 'wait@gmail.test');
      return r?.status === 'deferred' && v.events.some((e) => e.type === 'alert') && v;
    },
    { what: 'gmail recipient deferred with an alert event' },
  );
  assert.match(waiting.recipients.find((x) => x.address === 'wait@gmail.test')!.smtpResponse ?? '', /no usable IP/);
  // The workflow shows the waiting part to ops as well.
  const progress = await stack.temporal.workflow
    .getHandle(`msg-${s.id}`)
    .query<{ parts: Array<{ state: string; pool: string }> }>('getProgress');
  assert.ok(
    progress.parts.some((p) => p.state === 'waiting' && p.pool === 'a'),
    JSON.stringify(progress.parts),
  );
  await waitFor(() => arrivalsOf(s.messageId).length === 1, { what: 'other.test part delivered meanwhile' });

  await ok(stack.api('PATCH', '/v1/ips/127.0.0.2', { state: 'active', reason: 'maintenance over' }), 200);
  const view = await finished(s.id);
  assert.equal(view.status, 'delivered');
  const gmail = arrivalsOf(s.messageId).find((m) => m.rcptTo.includes('wait@gmail.test'));
  assert.equal(gmail?.remoteAddress, '127.0.0.2');
});

test('relay-2 stops mid-load: new traffic goes to relay-3, every accepted message is final, and after its restart relay-2 delivers nothing twice', async () => {
  const first = await Promise.all(Array.from({ length: 10 }, (_, i) => send([`l${i}@other.test`])));
  await relays.get('relay-2')!.handle!.close();
  const later = await Promise.all(Array.from({ length: 10 }, (_, i) => send([`m${i}@other.test`])));
  for (const s of later) {
    const view = await finished(s.id);
    assert.equal(view.status, 'delivered');
    assert.equal(view.recipients[0]?.sourceIp, '127.0.0.4', 'relay-2 is down: pool b has only relay-3 left');
  }
  await startNamedRelay('relay-2');
  for (const s of [...first, ...later]) {
    const view = await finished(s.id);
    assert.equal(view.status, 'delivered');
  }
  // Exactly once at the destination, whichever relay carried it and whatever was re-routed.
  for (const s of [...first, ...later])
    assert.equal(arrivalsOf(s.messageId).length, 1, `message ${s.id} arrived ${arrivalsOf(s.messageId).length} times`);
});
