import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { relayReportsPath } from '../../src/api/routes/relay-reports.js';
import { relayPushHeaders } from '../../src/relay-protocol/auth.js';
import { changeIp } from '../../src/db/ips-repo.js';
import { createAccount, startStack, type Stack, type TestAccount } from '../helpers/stack.js';

// The MDE's admin API for IP pools, IPs, relays and domain groups: contract shapes, validation, audit, conflicts.
let stack: Stack;
let acct: TestAccount;
let adminKeyId: string;

type ErrorBody = { error: { code: string; message: string; details?: unknown } };
interface IpItem {
  ip: string;
  pool: string;
  relayId: string;
  state: string;
  weight: number;
  relayHealthy: boolean;
  lastHour: Record<string, number>;
  updatedAt: string;
}
interface HistoryRow {
  actor: string;
  fromState: string | null;
  toState: string | null;
  fromPool: string | null;
  toPool: string | null;
  reason: string | null;
}

const relay = (id: string, port = 2600) => ({
  id,
  smtpHost: '127.0.0.1',
  smtpPort: port,
  statusUrl: `http://127.0.0.1:${port + 1}`,
});

before(async () => {
  stack = await startStack({ roles: ['api'] });
  acct = await createAccount(stack, { name: 'A', domain: 'a.test' });
  adminKeyId = (await stack.pool.query('SELECT id FROM api_keys WHERE account_id IS NULL')).rows[0].id;
});
after(async () => {
  await stack.close();
});

test('every MDE admin route refuses account keys with 403', async () => {
  const calls: Array<[string, string, unknown?]> = [
    ['POST', '/v1/ip-pools', { name: 'x' }],
    ['GET', '/v1/ip-pools'],
    ['DELETE', '/v1/ip-pools/x'],
    ['POST', '/v1/ips', { ip: '192.0.2.1', pool: 'x', relayId: 'r', state: 'active' }],
    ['GET', '/v1/ips'],
    ['PATCH', '/v1/ips/192.0.2.1', { state: 'active' }],
    ['POST', '/v1/relays', relay('r')],
    ['GET', '/v1/relays'],
    ['GET', '/v1/relays/r'],
    ['PUT', '/v1/mde/groups/g', { domains: ['a.test'] }],
    ['GET', '/v1/mde/groups'],
    ['POST', '/v1/mde/rules', { priority: 1, match: {}, pool: 'x' }],
    ['GET', '/v1/mde/rules'],
    ['POST', '/v1/mde/rules/reorder', { ids: [] }],
    ['POST', '/v1/mde/explain', { accountId: acct.accountId, mailFrom: 'a@a.test', recipients: ['b@b.test'] }],
  ];
  for (const [method, path, body] of calls) {
    const res = await stack.api<ErrorBody>(method, path, body, acct.apiKey);
    assert.equal(res.status, 403, `${method} ${path}`);
    assert.equal(res.body.error.code, 'forbidden');
  }
  assert.equal((await stack.api('GET', '/v1/ip-pools', undefined, 'rk_nope')).status, 401);
  const { rows } = await stack.pool.query(
    'SELECT (SELECT count(*) FROM ip_pools)::int + (SELECT count(*) FROM relays)::int AS n',
  );
  assert.equal(rows[0].n, 0);
});

test('IP pools: create, list with IP counts per state, show, conflicts and validation', async () => {
  const created = await stack.api<{ name: string; description: string; ips: Record<string, number> }>(
    'POST',
    '/v1/ip-pools',
    { name: 'transactional', description: 'receipts' },
  );
  assert.equal(created.status, 201);
  assert.deepEqual(
    { ...created.body, createdAt: undefined },
    {
      name: 'transactional',
      description: 'receipts',
      onListedWithoutStandby: 'keep-sending',
      accounts: [],
      ips: { active: 0, standby: 0, quarantined: 0, retired: 0 },
      createdAt: undefined,
    },
  );
  assert.equal((await stack.api<ErrorBody>('POST', '/v1/ip-pools', { name: 'transactional' })).status, 409);
  const bad = await stack.api<ErrorBody>('POST', '/v1/ip-pools', { name: 'has space' });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /name/);
  assert.equal((await stack.api<ErrorBody>('POST', '/v1/ip-pools', { name: 'x', colour: 'red' })).status, 400);
  assert.equal((await stack.api('POST', '/v1/ip-pools', { name: 'otp' })).status, 201);
  const list = await stack.api<{ items: Array<{ name: string }> }>('GET', '/v1/ip-pools');
  assert.deepEqual(
    list.body.items.map((p) => p.name),
    ['otp', 'transactional'],
  );
  assert.equal((await stack.api('GET', '/v1/ip-pools/otp')).status, 200);
  assert.equal((await stack.api('GET', '/v1/ip-pools/nope')).status, 404);
  assert.equal((await stack.api('DELETE', '/v1/ip-pools/nope')).status, 404);
});

test('relays: registration shows the derived secret once, re-registration updates endpoints, IPs are listed with their relay', async () => {
  const created = await stack.api<Record<string, unknown>>('POST', '/v1/relays', relay('relay-a'));
  assert.equal(created.status, 201);
  assert.deepEqual(created.body, { ...relay('relay-a'), secret: stack.relaySecret('relay-a') });
  const updated = await stack.api<Record<string, unknown>>('POST', '/v1/relays', relay('relay-a', 2700));
  assert.equal(updated.status, 200);
  assert.equal(updated.body.smtpPort, 2700);
  const row = (await stack.pool.query('SELECT * FROM relays WHERE id = $1', ['relay-a'])).rows[0];
  assert.equal(row.smtp_port, 2700);
  assert.ok(!('source_ip' in row), 'a relay has no single source IP: its IPs are rows of ips');
  assert.ok(!JSON.stringify(row).includes(stack.relaySecret('relay-a')), 'the secret is not stored');
  const invalid = await stack.api<ErrorBody>('POST', '/v1/relays', {
    id: 'r b',
    smtpHost: 'h',
    smtpPort: 70000,
    statusUrl: 'ftp://x',
  });
  assert.equal(invalid.status, 400);
  assert.match(invalid.body.error.message, /id/);
  assert.match(invalid.body.error.message, /smtpPort/);
  assert.match(invalid.body.error.message, /statusUrl/);

  // A fingerprint in any spelling is stored and shown in one canonical form.
  const fingerprint = 'ab'.repeat(32);
  assert.equal(
    (await stack.api('POST', '/v1/relays', { ...relay('relay-b', 2800), tlsFingerprint: fingerprint })).status,
    201,
  );
  assert.equal(
    (
      await stack.api('POST', '/v1/ips', {
        ip: '198.51.100.7',
        pool: 'transactional',
        relayId: 'relay-a',
        state: 'active',
      })
    ).status,
    201,
  );
  assert.equal(
    (
      await stack.api('POST', '/v1/ips', {
        ip: '198.51.100.8',
        pool: 'transactional',
        relayId: 'relay-a',
        state: 'active',
      })
    ).status,
    201,
  );

  const one = await stack.api<{
    id: string;
    healthy: boolean;
    lastPollAt: unknown;
    lastPollError: unknown;
    lastHeartbeatAt: unknown;
    queueDepth: unknown;
    ips: Array<{ ip: string }>;
    lastHour: unknown;
  }>('GET', '/v1/relays/relay-a');
  assert.equal(one.status, 200);
  assert.equal(one.body.healthy, true);
  assert.equal(one.body.lastPollAt, null);
  assert.equal(one.body.queueDepth, null);
  assert.deepEqual(
    one.body.ips.map((i) => i.ip),
    ['198.51.100.7', '198.51.100.8'],
  );
  assert.deepEqual(one.body.lastHour, { delivered: 0, deferred: 0, bounced: 0, failed: 0 });
  const list = await stack.api<{ items: Array<{ id: string; tlsFingerprint: string | null }> }>('GET', '/v1/relays');
  assert.deepEqual(
    list.body.items.map((r) => [r.id, r.tlsFingerprint]),
    [
      ['relay-a', null],
      ['relay-b', 'AB:'.repeat(31) + 'AB'],
    ],
  );
  assert.equal((await stack.api('GET', '/v1/relays/nope')).status, 404);
});

test('IPs: registration normalises addresses, defaults to standby, refuses unknown pools and relays and duplicates', async () => {
  const v6 = await stack.api<IpItem>('POST', '/v1/ips', {
    ip: '2001:DB8:0:0:0:0:0:25',
    pool: 'otp',
    relayId: 'relay-b',
  });
  assert.equal(v6.status, 201);
  assert.equal(v6.body.ip, '2001:db8::25');
  assert.equal(v6.body.state, 'standby');
  assert.equal(v6.body.weight, 100);
  assert.equal(v6.body.relayHealthy, true);
  assert.deepEqual(v6.body.lastHour, { delivered: 0, deferred: 0, bounced: 0, failed: 0 });
  const dup = await stack.api<ErrorBody>('POST', '/v1/ips', {
    ip: '2001:db8::25',
    pool: 'otp',
    relayId: 'relay-b',
    state: 'active',
  });
  assert.equal(dup.status, 409);
  const noPool = await stack.api<ErrorBody>('POST', '/v1/ips', {
    ip: '192.0.2.9',
    pool: 'missing',
    relayId: 'relay-b',
    state: 'active',
  });
  assert.equal(noPool.status, 400);
  assert.equal(noPool.body.error.code, 'unknown_pool');
  assert.match(noPool.body.error.message, /pool missing does not exist/);
  const noRelay = await stack.api<ErrorBody>('POST', '/v1/ips', {
    ip: '192.0.2.9',
    pool: 'otp',
    relayId: 'relay-z',
    state: 'active',
  });
  assert.equal(noRelay.status, 400);
  assert.equal(noRelay.body.error.code, 'unknown_relay');
  const badIp = await stack.api<ErrorBody>('POST', '/v1/ips', {
    ip: '192.0.2.0/24',
    pool: 'otp',
    relayId: 'relay-b',
    state: 'active',
  });
  assert.equal(badIp.status, 400);
  assert.match(badIp.body.error.message, /not an IPv4 or IPv6 address/);
  const badState = await stack.api<ErrorBody>('POST', '/v1/ips', {
    ip: '192.0.2.9',
    pool: 'otp',
    relayId: 'relay-b',
    state: 'warm',
  });
  assert.equal(badState.status, 400);
  assert.match(badState.body.error.message, /state/);
  assert.equal((await stack.pool.query("SELECT count(*)::int AS n FROM ips WHERE ip = '192.0.2.9'")).rows[0].n, 0);

  const list = await stack.api<{ items: IpItem[] }>('GET', '/v1/ips');
  assert.deepEqual(
    list.body.items.map((i) => [i.ip, i.pool, i.relayId, i.state]),
    [
      ['2001:db8::25', 'otp', 'relay-b', 'standby'],
      ['198.51.100.7', 'transactional', 'relay-a', 'active'],
      ['198.51.100.8', 'transactional', 'relay-a', 'active'],
    ],
  );
  const filtered = await stack.api<{ items: IpItem[] }>('GET', '/v1/ips?pool=otp');
  assert.deepEqual(
    filtered.body.items.map((i) => i.ip),
    ['2001:db8::25'],
  );
  const pools = await stack.api<{ items: Array<{ name: string; ips: Record<string, number> }> }>('GET', '/v1/ip-pools');
  assert.deepEqual(pools.body.items.find((p) => p.name === 'transactional')?.ips, {
    active: 2,
    standby: 0,
    quarantined: 0,
    retired: 0,
  });
});

test('IP changes: PATCH returns the new record and every change is audited with the API key id, reason, from and to', async () => {
  const q = await stack.api<IpItem>('PATCH', '/v1/ips/198.51.100.8', {
    state: 'quarantined',
    reason: 'listed on a DNSBL',
  });
  assert.equal(q.status, 200);
  assert.equal(q.body.state, 'quarantined');
  const moved = await stack.api<IpItem>('PATCH', '/v1/ips/198.51.100.8', {
    pool: 'otp',
    state: 'active',
    weight: 50,
    reason: 'delisted',
  });
  assert.equal(moved.status, 200);
  assert.deepEqual([moved.body.pool, moved.body.state, moved.body.weight], ['otp', 'active', 50]);
  // A change that changes nothing is not a change: no audit row.
  assert.equal((await stack.api('PATCH', '/v1/ips/198.51.100.8', { state: 'active' })).status, 200);

  const shown = await stack.api<IpItem & { history: HistoryRow[] }>('GET', '/v1/ips/198.51.100.8');
  assert.equal(shown.status, 200);
  assert.deepEqual(
    shown.body.history.map(({ actor, fromState, toState, fromPool, toPool, reason }) => ({
      actor,
      fromState,
      toState,
      fromPool,
      toPool,
      reason,
    })),
    [
      {
        actor: adminKeyId,
        fromState: null,
        toState: 'active',
        fromPool: null,
        toPool: 'transactional',
        reason: 'registered',
      },
      {
        actor: adminKeyId,
        fromState: 'active',
        toState: 'quarantined',
        fromPool: 'transactional',
        toPool: 'transactional',
        reason: 'listed on a DNSBL',
      },
      {
        actor: adminKeyId,
        fromState: 'quarantined',
        toState: 'active',
        fromPool: 'transactional',
        toPool: 'otp',
        reason: 'delisted; weight 100 → 50',
      },
    ],
  );

  const badPool = await stack.api<ErrorBody>('PATCH', '/v1/ips/198.51.100.8', { pool: 'missing', reason: 'x' });
  assert.equal(badPool.status, 400);
  assert.equal(badPool.body.error.code, 'unknown_pool');
  assert.equal(
    (await stack.api<ErrorBody>('PATCH', '/v1/ips/198.51.100.8', { reason: 'nothing to change' })).status,
    400,
  );
  assert.equal(
    (await stack.api<ErrorBody>('PATCH', '/v1/ips/198.51.100.8', { state: 'active', note: 'x' })).status,
    400,
  );
  assert.equal((await stack.api<ErrorBody>('PATCH', '/v1/ips/192.0.2.200', { state: 'active' })).status, 404);
  assert.equal((await stack.api<ErrorBody>('GET', '/v1/ips/not-an-ip')).status, 400);
});

test("changeIp (for the reputation monitor) updates and audits in one go, also inside a caller's transaction", async () => {
  const after = await changeIp(
    stack.pool,
    '2001:db8::25',
    { state: 'quarantined' },
    'reputation-scan',
    'listed on zen.example',
  );
  assert.equal(after?.state, 'quarantined');
  const client = await stack.pool.connect();
  try {
    await client.query('BEGIN');
    await changeIp(client, '2001:db8::25', { state: 'active' }, 'reputation-scan', 'delisted');
    await client.query('ROLLBACK');
  } finally {
    client.release();
  }
  assert.equal(await changeIp(stack.pool, '192.0.2.250', { state: 'active' }, 'reputation-scan', 'x'), undefined);
  const shown = await stack.api<IpItem & { history: HistoryRow[] }>('GET', '/v1/ips/2001:db8::25');
  assert.equal(shown.body.state, 'quarantined', 'the rolled-back change left nothing');
  assert.deepEqual(
    shown.body.history.map((h) => [h.actor, h.toState, h.reason]),
    [
      [adminKeyId, 'standby', 'registered'],
      ['reputation-scan', 'quarantined', 'listed on zen.example'],
    ],
  );
});

test('deletes: an IP only when retired; a pool only while no IP or rule uses it', async () => {
  const active = await stack.api<ErrorBody>('DELETE', '/v1/ips/198.51.100.7');
  assert.equal(active.status, 409);
  assert.match(active.body.error.message, /only a retired IP can be deleted/);
  assert.equal((await stack.api('DELETE', '/v1/ips/192.0.2.200')).status, 404);

  assert.equal((await stack.api('POST', '/v1/ip-pools', { name: 'spare' })).status, 201);
  const rule = await stack.api<{ id: string }>('POST', '/v1/mde/rules', {
    priority: 5,
    match: { tag: 'spare' },
    pool: 'spare',
  });
  assert.equal(rule.status, 201);
  assert.equal(
    (await stack.api('POST', '/v1/ips', { ip: '203.0.113.1', pool: 'spare', relayId: 'relay-b', state: 'active' }))
      .status,
    201,
  );
  const inUse = await stack.api<ErrorBody>('DELETE', '/v1/ip-pools/spare');
  assert.equal(inUse.status, 409);
  assert.deepEqual(inUse.body.error.details, { ips: 1, rules: 1 });

  assert.equal(
    (await stack.api('PATCH', '/v1/ips/203.0.113.1', { state: 'retired', reason: 'returned to the provider' })).status,
    200,
  );
  assert.equal((await stack.api('DELETE', '/v1/ips/203.0.113.1')).status, 204);
  assert.equal((await stack.api('GET', '/v1/ips/203.0.113.1')).status, 404);
  const audit = await stack.pool.query(
    'SELECT actor, from_state, to_state, reason FROM ip_changes WHERE ip = $1 ORDER BY id',
    ['203.0.113.1'],
  );
  assert.deepEqual(audit.rows.at(-1), { actor: adminKeyId, from_state: 'retired', to_state: null, reason: 'deleted' });
  assert.equal((await stack.api<ErrorBody>('DELETE', '/v1/ip-pools/spare')).status, 409); // the rule still uses it
  assert.equal((await stack.api('DELETE', `/v1/mde/rules/${rule.body.id}`)).status, 204);
  assert.equal((await stack.api('DELETE', '/v1/ip-pools/spare')).status, 204);
  assert.equal((await stack.api('GET', '/v1/ip-pools/spare')).status, 404);
});

test('domain groups: create or replace, list, refuse bad domains, no delete while a rule uses the group', async () => {
  const created = await stack.api<{ name: string; domains: string[] }>('PUT', '/v1/mde/groups/Gmail', {
    domains: ['gmail.com', 'GoogleMail.com', 'gmail.com'],
  });
  assert.equal(created.status, 201);
  assert.deepEqual([created.body.name, created.body.domains], ['gmail', ['gmail.com', 'googlemail.com']]);
  const replaced = await stack.api<{ domains: string[] }>('PUT', '/v1/mde/groups/gmail', { domains: ['gmail.com'] });
  assert.equal(replaced.status, 200);
  assert.deepEqual(replaced.body.domains, ['gmail.com']);
  const bad = await stack.api<ErrorBody>('PUT', '/v1/mde/groups/yahoo', { domains: ['yahoo.com', 'not a domain'] });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /domains\.1/);
  assert.equal((await stack.api<ErrorBody>('PUT', '/v1/mde/groups/empty', { domains: [] })).status, 400);
  const list = await stack.api<{ items: Array<{ name: string }> }>('GET', '/v1/mde/groups');
  assert.deepEqual(
    list.body.items.map((g) => g.name),
    ['gmail'],
  );

  const rule = await stack.api<{ id: string }>('POST', '/v1/mde/rules', {
    priority: 10,
    match: { recipientDomain: 'group:gmail' },
    pool: 'otp',
  });
  assert.equal(rule.status, 201);
  const inUse = await stack.api<ErrorBody>('DELETE', '/v1/mde/groups/gmail');
  assert.equal(inUse.status, 409);
  assert.match(inUse.body.error.message, new RegExp(rule.body.id));
  assert.equal((await stack.api('DELETE', `/v1/mde/rules/${rule.body.id}`)).status, 204);
  assert.equal((await stack.api('DELETE', '/v1/mde/groups/gmail')).status, 204);
  assert.equal((await stack.api('DELETE', '/v1/mde/groups/gmail')).status, 404);
});

test("last-hour counters per IP and relay come from the relays' reports (recipients and deferral events)", async () => {
  const id = 'mde-counters-1';
  const rcpts = ['d1@x.test', 'd2@x.test', 'b@x.test', 'f@x.test', 'late@x.test', 'old@x.test'];
  await stack.pool.query(
    `INSERT INTO messages (id, account_id, mail_from, envelope_rcpts, raw, size, client_ip, submitted_at) VALUES ($1, $2, 'a@a.test', $3, 'x', 1, '127.0.0.1', now())`,
    [id, acct.accountId, rcpts],
  );
  await stack.pool.query("INSERT INTO recipients (message_id, address, kind) SELECT $1, unnest($2::text[]), 'to'", [
    id,
    rcpts,
  ]);
  // A relay's report counts only for recipients handed to it: record the handoff as markHandedOff does.
  await stack.pool.query(
    "INSERT INTO message_events (message_id, type, data) VALUES ($1, 'relayed', jsonb_build_object('relayId', 'relay-a', 'recipients', to_jsonb($2::text[])))",
    [id, rcpts],
  );
  const now = new Date().toISOString();
  const item = (seq: number, recipient: string, status: string, code: number, at = now) => ({
    seq,
    messageId: id,
    recipient,
    status,
    smtpCode: code,
    enhancedCode: null,
    response: `${code} x`,
    sourceIp: '198.51.100.7',
    at,
  });
  const body = JSON.stringify({
    items: [
      item(1, 'd1@x.test', 'delivered', 250),
      item(2, 'd2@x.test', 'delivered', 250),
      item(3, 'b@x.test', 'bounced', 550),
      item(4, 'f@x.test', 'failed', 554),
      item(5, 'late@x.test', 'deferred', 451),
      item(6, 'late@x.test', 'deferred', 451),
      item(7, 'old@x.test', 'delivered', 250, new Date(Date.now() - 2 * 3600_000).toISOString()),
    ],
  });
  const res = await fetch(stack.apiUrl + relayReportsPath, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...relayPushHeaders('relay-a', stack.relaySecret('relay-a'), body, Date.now()),
    },
    body,
  });
  assert.equal(res.status, 200);
  const expected = { delivered: 2, deferred: 2, bounced: 1, failed: 1 };
  const ip = await stack.api<IpItem>('GET', '/v1/ips/198.51.100.7');
  assert.deepEqual(ip.body.lastHour, expected);
  const other = await stack.api<IpItem>('GET', '/v1/ips/198.51.100.8');
  assert.deepEqual(other.body.lastHour, { delivered: 0, deferred: 0, bounced: 0, failed: 0 });
  const r = await stack.api<{ lastHour: unknown }>('GET', '/v1/relays/relay-a');
  assert.deepEqual(r.body.lastHour, expected);
});
