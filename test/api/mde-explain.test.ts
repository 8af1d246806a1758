import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { explainMessageId } from '../../src/api/routes/mde-explain.js';
import { startStack, type Stack } from '../helpers/stack.js';

// POST /v1/mde/explain: the routing decision the MDE would make now, with the rule, pool, IP, relay and the
// candidates it rejected. gmail.test goes to pool a (relay-1), the rest to pool b (relay-2 and relay-3).
let stack: Stack;
let gmailRule: string;
let catchAll: string;

interface Route {
  recipients: string[];
  recipientDomain: string;
  ruleId: string | null;
  ruleVersion: number | null;
  pool: string;
  ip: string | null;
  relayId: string | null;
  rejected: Array<{ ip: string; why: string }>;
  why: string;
}
interface Explain {
  configVersion: number;
  messageId: string;
  hints: { tags: string[]; priority?: string; metadata: Record<string, string>; track: Record<string, boolean> };
  routes: Route[];
}

const question = (recipients: string[], extra: Record<string, unknown> = {}) => ({
  accountId: 'acc_test',
  mailFrom: 'app@sender.test',
  recipients,
  ...extra,
});
const explain = async (recipients: string[], extra: Record<string, unknown> = {}): Promise<Explain> => {
  const res = await stack.api<Explain>('POST', '/v1/mde/explain', question(recipients, extra));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
};
const routeOf = (e: Explain, recipient: string): Route => e.routes.find((r) => r.recipients.includes(recipient))!;

before(async () => {
  stack = await startStack({ roles: ['api'] });
  for (const name of ['a', 'b']) assert.equal((await stack.api('POST', '/v1/ip-pools', { name })).status, 201);
  for (const [i, pool] of [
    [1, 'a'],
    [2, 'b'],
    [3, 'b'],
  ] as const) {
    assert.equal(
      (
        await stack.api('POST', '/v1/relays', {
          id: `relay-${i}`,
          smtpHost: '127.0.0.1',
          smtpPort: 2500 + i,
          statusUrl: `http://127.0.0.1:${2600 + i}`,
        })
      ).status,
      201,
    );
    assert.equal(
      (await stack.api('POST', '/v1/ips', { ip: `127.0.0.${i + 1}`, pool, relayId: `relay-${i}`, state: 'active' }))
        .status,
      201,
    );
  }
  assert.equal((await stack.api('PUT', '/v1/mde/groups/gmail', { domains: ['gmail.test'] })).status, 201);
  gmailRule = (
    await stack.api<{ id: string }>('POST', '/v1/mde/rules', {
      priority: 10,
      match: { recipientDomain: 'group:gmail' },
      pool: 'a',
    })
  ).body.id;
  catchAll = (await stack.api<{ id: string }>('POST', '/v1/mde/rules', { priority: 1000, match: {}, pool: 'b' })).body
    .id;
});
after(async () => {
  await stack.close();
});

test('gmail.test goes to pool a on relay-1, the rest to pool b on relay-2 or relay-3, with the rule and why', async () => {
  const e = await explain(['x@gmail.test', 'y@GMAIL.test', 'z@other.test']);
  const gmail = routeOf(e, 'x@gmail.test');
  assert.deepEqual(gmail.recipients, ['x@gmail.test', 'y@GMAIL.test']);
  assert.deepEqual(
    [gmail.ruleId, gmail.ruleVersion, gmail.pool, gmail.ip, gmail.relayId, gmail.rejected],
    [gmailRule, 1, 'a', '127.0.0.2', 'relay-1', []],
  );
  assert.match(gmail.why, new RegExp(`rule ${gmailRule}`));
  const other = routeOf(e, 'z@other.test');
  assert.deepEqual([other.ruleId, other.pool], [catchAll, 'b']);
  assert.ok(['127.0.0.3', '127.0.0.4'].includes(other.ip ?? ''), String(other.ip));
  assert.equal(other.relayId, other.ip === '127.0.0.3' ? 'relay-2' : 'relay-3');
  assert.equal(e.messageId, explainMessageId('acc_test', 'app@sender.test'));
  assert.ok(e.configVersion > 0);
  // The same question gets the same answer: the choice is stable per (message, recipient domain).
  assert.deepEqual(await explain(['x@gmail.test', 'y@GMAIL.test', 'z@other.test']), e);
  // Over many messages, both IPs of pool b take traffic.
  const chosen = new Set<string>();
  for (let i = 0; i < 20; i++)
    chosen.add(routeOf(await explain(['z@other.test'], { messageId: `m${i}` }), 'z@other.test').ip ?? '');
  assert.deepEqual([...chosen].sort(), ['127.0.0.3', '127.0.0.4']);
});

test('quarantining an IP moves the route and lists the IP as rejected with why; no usable IP is said so', async () => {
  const before = routeOf(await explain(['z@other.test']), 'z@other.test');
  const chosen = before.ip!;
  const spare = chosen === '127.0.0.3' ? '127.0.0.4' : '127.0.0.3';
  assert.equal((await stack.api('PATCH', `/v1/ips/${chosen}`, { state: 'quarantined', reason: 'test' })).status, 200);
  const afterQ = routeOf(await explain(['z@other.test']), 'z@other.test');
  assert.equal(afterQ.ip, spare);
  assert.deepEqual(afterQ.rejected, [{ ip: chosen, why: 'state is quarantined' }]);

  assert.equal((await stack.api('PATCH', `/v1/ips/${spare}`, { state: 'standby', reason: 'test' })).status, 200);
  const none = routeOf(await explain(['z@other.test']), 'z@other.test');
  assert.deepEqual([none.pool, none.ip, none.relayId], ['b', null, null]);
  assert.deepEqual(none.rejected.map((r) => r.why).sort(), ['state is quarantined', 'state is standby']);
  assert.match(none.why, /no usable IP/);

  for (const ip of [chosen, spare])
    assert.equal((await stack.api('PATCH', `/v1/ips/${ip}`, { state: 'active', reason: 'test' })).status, 200);
  assert.equal(routeOf(await explain(['z@other.test']), 'z@other.test').ip, chosen);
});

test("an unhealthy relay's IPs are rejected with why", async () => {
  const chosen = routeOf(await explain(['z@other.test']), 'z@other.test');
  // What the poll records when a relay's status feed cannot be read (savePollResult with an error).
  await stack.pool.query("UPDATE relays SET healthy = false, last_poll_error = 'connect ECONNREFUSED' WHERE id = $1", [
    chosen.relayId,
  ]);
  try {
    const moved = routeOf(await explain(['z@other.test']), 'z@other.test');
    assert.notEqual(moved.ip, chosen.ip);
    assert.deepEqual(moved.rejected, [{ ip: chosen.ip, why: `relay ${chosen.relayId} is unhealthy` }]);
    const ips = await stack.api<{ items: Array<{ ip: string; relayHealthy: boolean }> }>('GET', '/v1/ips?pool=b');
    assert.equal(ips.body.items.find((i) => i.ip === chosen.ip)?.relayHealthy, false);
  } finally {
    await stack.pool.query('UPDATE relays SET healthy = true, last_poll_error = NULL WHERE id = $1', [chosen.relayId]);
  }
});

test('rule changes take effect at once: headers become tags and priority, and a new rule wins', async () => {
  const v1 = (await explain(['z@other.test'])).configVersion;
  const otp = await stack.api<{ id: string }>('POST', '/v1/mde/rules', {
    priority: 5,
    match: { tag: 'otp', priority: 'high' },
    pool: 'a',
  });
  assert.equal(otp.status, 201);
  const e = await explain(['z@other.test'], {
    headers: { 'X-Relay-Tag': ['billing, OTP'], 'x-relay-priority': 'High' },
  });
  assert.ok(e.configVersion > v1);
  assert.deepEqual(e.hints, { tags: ['billing', 'OTP'], priority: 'high', metadata: {}, track: {} });
  assert.deepEqual([routeOf(e, 'z@other.test').ruleId, routeOf(e, 'z@other.test').pool], [otp.body.id, 'a']);
  // Without the priority header the rule does not match.
  assert.equal(
    routeOf(await explain(['z@other.test'], { headers: { 'X-Relay-Tag': 'otp' } }), 'z@other.test').ruleId,
    catchAll,
  );
  assert.equal((await stack.api('DELETE', `/v1/mde/rules/${otp.body.id}`)).status, 204);
});

test('explain validates its input', async () => {
  for (const body of [
    {},
    question([]),
    question(['not-an-address']),
    question(['a@b.test'], { extra: 1 }),
    question(['a@b.test'], { headers: { 'X-Relay-Tag': 5 } }),
  ]) {
    const res = await stack.api<{ error: { code: string } }>('POST', '/v1/mde/explain', body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.body.error.code, 'invalid_request');
  }
});
