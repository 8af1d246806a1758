import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { composeAlert, noStandbyAction, type AlertIncident } from '../../src/domain/reputation/alerts.js';
import { registrableDomain } from '../../src/domain/reputation/registrable-domain.js';
import { localRelaySpecs } from '../../src/runtime/bootstrap.js';
import type { ScanSummary, scanReputationWorkflow } from '../../src/workflows/scan-reputation.js';
import { startDnsFixture, type DnsFixture } from '../helpers/dns-fixture.js';
import { createAccount, startStack, type Stack, type TestAccount } from '../helpers/stack.js';
import { submitMail, viewMessage } from '../helpers/submit.js';
import { waitFor } from '../helpers/wait-for.js';

// Two pool/relay settings of reputation monitoring: relay HELO names are scanned (by registrable domain) on the domain
// blocklists, and a pool configured `onListedWithoutStandby: stop` quarantines its listed IP even without a standby,
// so its messages wait (deferred, with an alert) instead of leaving from a listed address.

const STOP_IP = '127.0.0.5';
const HELO = 'mx1.out.badhelo.test';

let dns: DnsFixture;
let stack: Stack;
let acct: TestAccount;
let scans = 0;

type ErrorBody = { error: { code: string; message: string } };
interface PoolView {
  name: string;
  onListedWithoutStandby: string;
}
interface RelayView {
  id: string;
  heloName: string | null;
}
interface IncidentView {
  id: string;
  kind: string;
  subject: string;
  zone: string;
  action: string | null;
  resolvedAt: string | null;
}

async function ok<T>(res: Promise<{ status: number; body: T }>, expected: number): Promise<T> {
  const r = await res;
  assert.equal(r.status, expected, JSON.stringify(r.body));
  return r.body;
}

before(async () => {
  dns = await startDnsFixture({
    listings: {
      'badhelo.test.dbl.spamhaus.org': { a: ['127.0.1.2'], txt: ['HELO domain listed'] },
      '5.0.0.127.zen.spamhaus.org': { a: ['127.0.0.2'], txt: ['SBL listing of the only IP of pool strict'] },
    },
  });
  stack = await startStack({
    env: {
      DNS_RESOLVER: dns.address,
      DNS_TIMEOUT: '300ms',
      DNSBL_ZONES: 'zen.spamhaus.org',
      DOMAIN_BL_ZONES: 'dbl.spamhaus.org',
      REPUTATION_SCAN_INTERVAL: '24h', // scans are started by the test
    },
  });
  acct = await createAccount(stack, { domain: 'example.com', cidr: '127.0.0.0/8' });
});

after(async () => {
  await stack?.close();
  await dns?.close();
});

async function scan(): Promise<ScanSummary> {
  scans++;
  return stack.temporal.workflow.execute<typeof scanReputationWorkflow>('scanReputationWorkflow', {
    taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
    workflowId: `scan-policy-${stack.config.TEMPORAL_TASK_QUEUE}-${scans}`,
    workflowExecutionTimeout: '2m',
  });
}

async function incidents(): Promise<IncidentView[]> {
  return (await ok(stack.api<{ items: IncidentView[] }>('GET', '/v1/incidents'), 200)).items;
}

test('registrable domain of a HELO name; local relays register the HELO name the relay process uses by default', () => {
  assert.equal(registrableDomain('MX1.Out.BadHelo.test.'), 'badhelo.test');
  assert.equal(registrableDomain('relay-1.relay.localhost'), 'relay.localhost');
  assert.equal(registrableDomain('smtp.mail.example.co.uk'), 'example.co.uk');
  assert.equal(registrableDomain('example.com'), 'example.com');
  assert.equal(registrableDomain('co.uk'), undefined);
  assert.equal(registrableDomain('localhost'), undefined);
  assert.equal(registrableDomain('192.0.2.1'), undefined);
  assert.equal(registrableDomain('[2001:db8::1]'), undefined);
  // src/relay/main.ts: heloName = RELAY_HELO_NAME ?? `${RELAY_ID}.relay.localhost`
  assert.deepEqual(
    localRelaySpecs(2, 2500).map((s) => s.heloName),
    ['relay-1.relay.localhost', 'relay-2.relay.localhost'],
  );
});

test('API: relays carry an optional heloName (validated, shown, kept when omitted, cleared by null)', async () => {
  const relay = { id: 'relay-x', smtpHost: '127.0.0.1', smtpPort: 9, statusUrl: 'http://127.0.0.1:9' };
  const bad = await stack.api<ErrorBody>('POST', '/v1/relays', { ...relay, heloName: 'not a host name' });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /heloName/);
  assert.equal((await stack.api<ErrorBody>('POST', '/v1/relays', { ...relay, heloName: 42 })).status, 400);
  assert.equal(
    (await stack.api<ErrorBody>('POST', '/v1/relays', { ...relay, heloName: 'localhost' })).status,
    400,
    'a HELO name is a fully qualified name',
  );

  const created = await ok(
    stack.api<{ heloName: string }>('POST', '/v1/relays', { ...relay, heloName: 'MX1.Out.BadHelo.test' }),
    201,
  );
  assert.equal(created.heloName, HELO);
  assert.equal((await ok(stack.api<RelayView>('GET', '/v1/relays/relay-x'), 200)).heloName, HELO);
  await ok(stack.api('POST', '/v1/relays', relay), 200);
  const listed = await ok(stack.api<{ items: RelayView[] }>('GET', '/v1/relays'), 200);
  assert.equal(
    listed.items.find((r) => r.id === 'relay-x')?.heloName,
    HELO,
    'a re-registration without heloName keeps it',
  );

  await ok(stack.api('POST', '/v1/relays', { ...relay, id: 'relay-y', heloName: 'relay-y.example.net' }), 201);
  await ok(stack.api('POST', '/v1/relays', { ...relay, id: 'relay-y', heloName: null }), 200);
  assert.equal((await ok(stack.api<RelayView>('GET', '/v1/relays/relay-y'), 200)).heloName, null, 'null clears it');
});

test('API: pools take onListedWithoutStandby (default keep-sending) on POST and PATCH; bad values are 400', async () => {
  const plain = await ok(stack.api<PoolView>('POST', '/v1/ip-pools', { name: 'plain' }), 201);
  assert.equal(plain.onListedWithoutStandby, 'keep-sending');
  const bad = await stack.api<ErrorBody>('POST', '/v1/ip-pools', { name: 'odd', onListedWithoutStandby: 'halt' });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /onListedWithoutStandby/);
  assert.equal((await stack.api('GET', '/v1/ip-pools/odd')).status, 404, 'nothing created by a refused request');

  const strict = await ok(
    stack.api<PoolView>('POST', '/v1/ip-pools', { name: 'strict', onListedWithoutStandby: 'stop' }),
    201,
  );
  assert.equal(strict.onListedWithoutStandby, 'stop');

  assert.equal(
    (await stack.api<ErrorBody>('PATCH', '/v1/ip-pools/plain', { onListedWithoutStandby: 'pause' })).status,
    400,
  );
  assert.equal((await stack.api<ErrorBody>('PATCH', '/v1/ip-pools/plain', {})).status, 400);
  assert.equal((await stack.api<ErrorBody>('PATCH', '/v1/ip-pools/plain', { name: 'renamed' })).status, 400);
  assert.equal(
    (await stack.api<ErrorBody>('PATCH', '/v1/ip-pools/nope', { onListedWithoutStandby: 'stop' })).status,
    404,
  );
  const patched = await ok(
    stack.api<PoolView & { description: string | null }>('PATCH', '/v1/ip-pools/plain', {
      onListedWithoutStandby: 'stop',
    }),
    200,
  );
  assert.equal(patched.onListedWithoutStandby, 'stop');
  assert.equal(patched.description, null);
  const back = await ok(
    stack.api<PoolView & { description: string | null }>('PATCH', '/v1/ip-pools/plain', {
      onListedWithoutStandby: 'keep-sending',
      description: 'spare',
    }),
    200,
  );
  assert.deepEqual([back.onListedWithoutStandby, back.description], ['keep-sending', 'spare']);
  const pools = await ok(stack.api<{ items: PoolView[] }>('GET', '/v1/ip-pools'), 200);
  assert.deepEqual(
    pools.items.map((p) => [p.name, p.onListedWithoutStandby]),
    [
      ['plain', 'keep-sending'],
      ['strict', 'stop'],
    ],
  );
});

test("a scan lists the relay's HELO domain and quarantines the only listed IP of a 'stop' pool", async () => {
  // Pool strict (stop) holds one active IP and no standby; mail for strict.test goes there.
  await ok(stack.api('POST', '/v1/ips', { ip: STOP_IP, pool: 'strict', relayId: 'relay-x', state: 'active' }), 201);
  await ok(
    stack.api('POST', '/v1/mde/rules', { priority: 10, match: { recipientDomain: 'strict.test' }, pool: 'strict' }),
    201,
  );

  const summary = await scan();
  assert.deepEqual(summary.listed, [
    { subject: STOP_IP, zone: 'zen.spamhaus.org' },
    { subject: 'badhelo.test', zone: 'dbl.spamhaus.org' },
  ]);
  assert.ok(
    dns.queries.some((q) => q.name === 'badhelo.test.dbl.spamhaus.org'),
    'the HELO name is looked up by its registrable domain',
  );
  assert.ok(!dns.queries.some((q) => q.name.includes('relay-y')), 'a cleared HELO name is not scanned');

  const open = await incidents();
  const helo = open.find((i) => i.subject === 'badhelo.test');
  assert.ok(helo, JSON.stringify(open));
  assert.deepEqual([helo.kind, helo.zone, helo.resolvedAt], ['listed', 'dbl.spamhaus.org', null]);

  const ipIncident = open.find((i) => i.subject === STOP_IP)!;
  assert.match(ipIncident.action ?? '', /NO STANDBY IP in pool strict/);
  assert.match(ipIncident.action ?? '', /STOPPED sending/);
  const ip = await ok(
    stack.api<{ state: string; history: Array<{ actor: string; fromState: string | null; toState: string | null }> }>(
      'GET',
      `/v1/ips/${STOP_IP}`,
    ),
    200,
  );
  assert.equal(ip.state, 'quarantined');
  assert.ok(
    ip.history.some((h) => h.actor === 'reputation-scan' && h.fromState === 'active' && h.toState === 'quarantined'),
    'audited as the scan',
  );

  // A second scan changes nothing more (the IP is no longer active).
  const second = await scan();
  assert.equal(second.ipChanges, 0);
  assert.equal(second.opened, 0);
});

test('a message for the stopped pool waits: its recipient is deferred with an alert event, the quarantined IP rejected', async () => {
  const id = await submitMail(stack, acct, {
    from: 'app@example.com',
    to: ['user@strict.test'],
    subject: 'stopped pool',
    text: 'hello',
  });
  const view = await waitFor(
    async () => {
      const v = await viewMessage(stack, acct, id);
      const r = v.recipients.find((x) => x.address === 'user@strict.test');
      return r?.status === 'deferred' && v.events.some((e) => e.type === 'alert') && v;
    },
    { timeoutMs: 60_000, what: 'recipient deferred with an alert event' },
  );
  assert.match(view.recipients[0]!.smtpResponse ?? '', /no usable IP/);
  const alert = view.events.find((e) => e.type === 'alert')!;
  assert.deepEqual(alert.data, { kind: 'pool-unusable', pool: 'strict', recipients: ['user@strict.test'] });
  const routed = view.events.find((e) => e.type === 'routed')!.data as {
    pool: string;
    ip: string | null;
    rejected: Array<{ ip: string; why: string }>;
  };
  assert.equal(routed.pool, 'strict');
  assert.equal(routed.ip, null);
  assert.deepEqual(routed.rejected, [{ ip: STOP_IP, why: 'state is quarantined' }]);
  await stack.temporal.workflow.getHandle(`msg-${id}`).terminate('test over');
});

test('the alert for a stopped pool says so loudly; keep-sending and partly stopped pools say what they do', () => {
  const incident = (action: string): AlertIncident => ({
    id: 'inc_1',
    kind: 'listed',
    subject: STOP_IP,
    subjectKind: 'ip',
    zone: 'zen.spamhaus.org',
    reason: 'SBL',
    evidence: {},
    action,
    pool: 'strict',
    openedAt: new Date('2026-01-01T00:00:00Z'),
    resolvedAt: null,
  });
  const now = new Date('2026-01-01T00:01:00Z');
  const stopped = composeAlert(
    incident(noStandbyAction('strict', STOP_IP, 'stop', false)),
    { kind: 'opened', seq: 0 },
    now,
  );
  assert.match(stopped.subject, /NO STANDBY IP, POOL STOPPED SENDING$/);
  assert.match(stopped.text, /pool has STOPPED SENDING/);
  assert.match(stopped.text, /messages wait/);
  const partly = composeAlert(
    incident(noStandbyAction('strict', STOP_IP, 'stop', true)),
    { kind: 'opened', seq: 0 },
    now,
  );
  assert.match(partly.subject, /NO STANDBY IP, IP QUARANTINED$/);
  assert.match(partly.text, /other active IP/);
  const keep = composeAlert(
    incident(noStandbyAction('strict', STOP_IP, 'keep-sending', false)),
    { kind: 'opened', seq: 0 },
    now,
  );
  assert.match(keep.subject, /NO STANDBY IP, STILL SENDING$/);
  assert.match(keep.text, /stays ACTIVE and keeps sending/);
  const resolved = composeAlert(
    { ...incident(noStandbyAction('strict', STOP_IP, 'stop', false)), resolvedAt: now },
    { kind: 'resolved', seq: 0 },
    now,
  );
  assert.doesNotMatch(resolved.subject, /NO STANDBY/);
});
