import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { insertAcceptedMessage } from '../../src/db/messages-repo.js';
import { parseMessageHeaders } from '../../src/domain/mime/message-headers.js';
import { newMessageId } from '../../src/ids.js';
import { createLogger } from '../../src/log.js';
import { SYSTEM_CLIENT_IP, sendAlertMail } from '../../src/reputation/alert-mail.js';
import { SYSTEM_ACCOUNT_ID, reputationSettingsFromConfig } from '../../src/reputation/settings.js';
import type { RelayHandle } from '../../src/relay/relay-server.js';
import { startTestRelay } from '../helpers/relays.js';
import { reputationScheduleId } from '../../src/temporal/schedules.js';
import type { ScanSummary, scanReputationWorkflow } from '../../src/workflows/scan-reputation.js';
import { startDnsFixture, type DnsFixture } from '../helpers/dns-fixture.js';
import { startDestinationSink, type Sink, type SinkMessage } from '../helpers/destination-sink.js';
import { createAccount, startStack, type Stack, type TestAccount } from '../helpers/stack.js';
import { finishedMessage, submitMail } from '../helpers/submit.js';
import { waitFor } from '../helpers/wait-for.js';

// Reputation monitoring end to end: a DNS fixture on 127.0.0.1 serves the blocklists (one relay IP listed
// with a TXT reason, one sender domain listed, one zone refusing queries, one zone never answering); scans run as the
// real workflow on the real worker; the listed IP is swapped for its pool's standby; alerts travel through the
// service's own pipeline to the destination sink; delisting takes DELIST_CONFIRM_SCANS clean scans.

const LISTED_IP = '127.0.0.2';
const STANDBY_IP = '127.0.0.3';
const ALERT_TO = 'ops@team.test';
const LISTED_NAME = '2.0.0.127.zen.spamhaus.org';
const TXT_REASON = 'Listed by SBL, see https://check.spamhaus.org/sbl/query/SBL12345';

let dns: DnsFixture;
let sink: Sink;
let stack: Stack;
let relay: RelayHandle;
let acct: TestAccount;
let scans = 0;

interface IncidentView {
  id: string;
  kind: string;
  subject: string;
  zone: string;
  reason: string;
  openedAt: string;
  resolvedAt: string | null;
  action: string | null;
}
interface IpView {
  ip: string;
  state: string;
  reputation: {
    state: string;
    lastScanAt: string | null;
    listings: Array<{ zone: string; resolvedAt: string | null }>;
  };
}

before(async () => {
  dns = await startDnsFixture({
    listings: {
      [LISTED_NAME]: { a: ['127.0.0.2'], txt: [TXT_REASON] },
      'badsender.test.dbl.spamhaus.org': { a: ['127.0.1.2'], txt: ['spam domain, see https://check.spamhaus.org/'] },
    },
    refusingZones: { 'b.barracudacentral.org': '127.255.255.254' },
    silentZones: ['bl.spamcop.net'],
  });
  // The destination refuses "blocked" recipients the way a provider refuses a blocked sender.
  sink = await startDestinationSink({
    script: (rcpt) =>
      rcpt.startsWith('blocked')
        ? { code: 554, message: '5.7.1 Service unavailable; client host blocked using zen.spamhaus.org' }
        : undefined,
  });
  stack = await startStack({
    env: {
      DNS_RESOLVER: dns.address,
      DNS_TIMEOUT: '300ms',
      DNSBL_ZONES: 'zen.spamhaus.org,b.barracudacentral.org,bl.spamcop.net',
      DOMAIN_BL_ZONES: 'dbl.spamhaus.org',
      REPUTATION_SCAN_INTERVAL: '24h', // scans are started by the test; the Schedule itself is checked separately
      ALERT_EMAIL_TO: ALERT_TO,
      ALERT_EMAIL_FROM: 'reputation@alerts.test',
      DELIST_CONFIRM_SCANS: '3',
      REPUTATION_MIN_VOLUME: '3',
      REPUTATION_BOUNCE_RATE: '0.5',
      REPUTATION_BLOCK_REPLIES: '3',
    },
  });
  // One in-process relay hosts both addresses of the pool: the active one and its standby.
  relay = await startTestRelay(stack, 'relay-1', LISTED_IP, {
    transport: `*=127.0.0.1:${sink.port}`,
    push: true,
    extra: { sourceIps: [STANDBY_IP] },
  });
  const standby = await stack.api('POST', '/v1/ips', {
    ip: STANDBY_IP,
    pool: 'default',
    relayId: 'relay-1',
    state: 'standby',
  });
  assert.equal(standby.status, 201, JSON.stringify(standby.body));
  acct = await createAccount(stack, { domain: 'example.com', cidr: '127.0.0.0/8' });
  assert.equal(
    (await stack.api('POST', `/v1/accounts/${acct.accountId}/sender-domains`, { domain: 'badsender.test' })).status,
    201,
  );
});

after(async () => {
  await stack?.close();
  await relay?.close();
  await sink?.close();
  await dns?.close();
});

async function scan(): Promise<ScanSummary> {
  scans++;
  return stack.temporal.workflow.execute<typeof scanReputationWorkflow>('scanReputationWorkflow', {
    taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
    workflowId: `scan-test-${stack.config.TEMPORAL_TASK_QUEUE}-${scans}`,
    workflowExecutionTimeout: '2m', // a stuck scan fails the test with a reason instead of hanging it
  });
}

async function incidents(): Promise<IncidentView[]> {
  const r = await stack.api<{ items: IncidentView[] }>('GET', '/v1/incidents');
  assert.equal(r.status, 200);
  return r.body.items;
}

async function ip(address: string): Promise<IpView> {
  const r = await stack.api<IpView>('GET', `/v1/ips/${address}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

/** A header's value, unfolded (long subjects are folded over lines). */
const header = (m: SinkMessage, name: string): string | undefined => {
  const head = m.raw
    .toString('utf8')
    .split(/\r?\n\r?\n/)[0]!
    .replace(/\r?\n[ \t]+/g, ' ');
  return new RegExp(`^${name}:\\s*(.+)$`, 'im').exec(head)?.[1]?.trim();
};
const alertsAtSink = (): SinkMessage[] => sink.messages.filter((m) => m.rcptTo.includes(ALERT_TO));
const alertsFor = (incidentId: string): SinkMessage[] =>
  alertsAtSink().filter((m) => header(m, 'X-Reputation-Incident') === incidentId);
/** Quoted-printable soft breaks undone, so long lines can be searched. */
const bodyOf = (m: SinkMessage): string =>
  m.raw
    .toString('utf8')
    .replace(/=\r?\n/g, '')
    .replace(/=3D/g, '=');

test('a scan finds exactly the two listings, warns once about the refusing zone, and never reads a timeout as a listing', async () => {
  const summary = await scan();
  assert.deepEqual(summary.listed, [
    { subject: LISTED_IP, zone: 'zen.spamhaus.org' },
    { subject: 'badsender.test', zone: 'dbl.spamhaus.org' },
  ]);
  const open = await incidents();
  assert.equal(open.length, 2, JSON.stringify(open));
  const ipIncident = open.find((i) => i.subject === LISTED_IP)!;
  const domainIncident = open.find((i) => i.subject === 'badsender.test')!;
  assert.equal(ipIncident.kind, 'listed');
  assert.equal(ipIncident.zone, 'zen.spamhaus.org');
  assert.match(ipIncident.reason, /SBL12345/);
  assert.equal(domainIncident.zone, 'dbl.spamhaus.org');
  assert.ok(
    !open.some((i) => ['b.barracudacentral.org', 'bl.spamcop.net'].includes(i.zone)),
    'refused and timed-out zones are never listings',
  );
  assert.deepEqual(summary.warnings.length, 1, JSON.stringify(summary.warnings));
  const warnings = await stack.api<{ items: Array<{ zone: string; codes: string[] }> }>(
    'GET',
    '/v1/incidents/warnings',
  );
  assert.deepEqual(
    warnings.body.items.map((w) => [w.zone, w.codes]),
    [['b.barracudacentral.org', ['127.255.255.254']]],
  );
  // The scan's history shows each lookup's answer: one activity per (zone, kind) batch with its results.
  const history = await stack.temporal.workflow
    .getHandle(`scan-test-${stack.config.TEMPORAL_TASK_QUEUE}-1`)
    .fetchHistory();
  const scheduled = (history.events ?? []).filter(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'lookupBlocklist',
  );
  assert.equal(scheduled.length, 4, 'three IP zones and one domain zone');
  const completed = (history.events ?? [])
    .map((e) => e.activityTaskCompletedEventAttributes?.result?.payloads?.[0]?.data)
    .filter((d) => d !== undefined && d !== null);
  assert.ok(
    completed.some((d) => Buffer.from(d!).toString('utf8').includes(TXT_REASON)),
    'the TXT reason is in the workflow history',
  );
});

test('the listed active IP is quarantined, the standby takes over, and the next message leaves from the new address', async () => {
  assert.equal((await ip(LISTED_IP)).state, 'quarantined');
  assert.equal((await ip(STANDBY_IP)).state, 'active');
  const listed = await ip(LISTED_IP);
  assert.equal(listed.reputation.state, 'listed');
  assert.ok(listed.reputation.lastScanAt);
  assert.deepEqual(
    listed.reputation.listings.map((l) => l.zone),
    ['zen.spamhaus.org'],
  );
  const history = await stack.api<{ history: Array<{ actor: string; toState: string | null }> }>(
    'GET',
    `/v1/ips/${LISTED_IP}`,
  );
  assert.ok(
    history.body.history.some((h) => h.actor === 'reputation-scan' && h.toState === 'quarantined'),
    'audited with who made it',
  );
  const [incident] = (await incidents()).filter((i) => i.subject === LISTED_IP);
  assert.match(incident!.action ?? '', new RegExp(`standby ${STANDBY_IP.replace(/\./g, '\\.')}`));

  const id = await submitMail(stack, acct, {
    from: 'app@example.com',
    to: ['user@dest.test'],
    subject: 'after swap',
    text: 'hello',
    messageId: '<after-swap@example.com>',
  });
  await waitFor(finishedMessage(stack, acct, id), { timeoutMs: 60_000, what: 'message delivered' });
  const arrival = await waitFor(
    () => sink.messages.find((m) => /after-swap@example\.com/.test(m.raw.toString('latin1'))),
    { what: 'message at the sink' },
  );
  assert.equal(arrival.remoteAddress, STANDBY_IP);
});

test('one alert email per incident reaches ALERT_EMAIL_TO with the zone, the reason, what was done and the lookup to repeat; a second scan sends none', async () => {
  const open = await incidents();
  const ipIncident = open.find((i) => i.subject === LISTED_IP)!;
  const alerts = await waitFor(() => alertsAtSink().length >= 2 && alertsAtSink(), {
    timeoutMs: 60_000,
    what: 'two alert emails at the sink',
  });
  const ipAlert = alertsFor(ipIncident.id);
  assert.equal(ipAlert.length, 1);
  const body = bodyOf(ipAlert[0]!);
  assert.match(header(ipAlert[0]!, 'Subject') ?? '', /listed on zen\.spamhaus\.org/);
  assert.match(body, /zen\.spamhaus\.org/);
  assert.match(body, /SBL12345/);
  assert.match(body, /dig \+short 2\.0\.0\.127\.zen\.spamhaus\.org/);
  assert.match(body, /quarantined; standby 127\.0\.0\.3/);
  assert.match(header(ipAlert[0]!, 'From') ?? '', /reputation@alerts\.test/);
  // Accepted like any submission: its workflow carries the same search attributes as an SMTP message's.
  const sentAlerts = await stack.api<{ alerts: Array<{ kind: string; messageId: string }> }>(
    'GET',
    `/v1/incidents/${ipIncident.id}`,
  );
  const alertMessageId = sentAlerts.body.alerts.find((a) => a.kind === 'opened')!.messageId;
  const attributes = (await stack.temporal.workflow.getHandle(`msg-${alertMessageId}`).describe()).searchAttributes;
  assert.deepEqual([attributes.AccountId, attributes.SenderDomain], [[SYSTEM_ACCOUNT_ID], ['alerts.test']]);
  const before = alerts.length;

  const second = await scan();
  assert.equal(second.alerts, 0);
  assert.equal(second.opened, 0);
  assert.equal((await incidents()).length, 2, 'the open incidents are found again, not duplicated');
  // Alerts are started inside the scan; none was, so nothing more can arrive.
  assert.equal(alertsAtSink().length, before);
});

test('delisting: the IP returns to standby only after DELIST_CONFIRM_SCANS clean scans, and one resolved email goes out', async () => {
  dns.unlist(LISTED_NAME);
  const incidentId = (await incidents()).find((i) => i.subject === LISTED_IP)!.id;
  for (let i = 1; i <= 2; i++) {
    await scan();
    assert.equal((await ip(LISTED_IP)).state, 'quarantined', `still quarantined after ${i} clean scan(s)`);
    assert.equal((await incidents()).find((x) => x.id === incidentId)!.resolvedAt, null);
  }
  const third = await scan();
  assert.equal(third.resolved, 1);
  assert.equal((await ip(LISTED_IP)).state, 'standby', 'back to standby, never straight to active');
  assert.equal((await ip(STANDBY_IP)).state, 'active');
  assert.ok((await incidents()).find((x) => x.id === incidentId)!.resolvedAt);
  const resolved = await waitFor(() => alertsFor(incidentId).length === 2 && alertsFor(incidentId), {
    timeoutMs: 60_000,
    what: 'the resolved email',
  });
  assert.match(header(resolved[1]!, 'Subject') ?? '', /RESOLVED/);
  await scan();
  assert.equal(alertsFor(incidentId).length, 2, 'one resolved email only');
});

test('a bounce-rate spike from one IP (the destination answering 5xx "blocked") raises a degraded incident', async () => {
  const ids = await Promise.all(
    Array.from({ length: 4 }, (_, i) =>
      submitMail(stack, acct, { from: 'app@example.com', to: [`blocked${i}@dest.test`], subject: 'spike', text: 'x' }),
    ),
  );
  for (const id of ids) {
    const v = await waitFor(finishedMessage(stack, acct, id), { timeoutMs: 60_000, what: 'bounce recorded' });
    assert.equal(v.status, 'bounced');
  }
  const summary = await scan();
  assert.ok(summary.opened >= 1);
  const degraded = (await incidents()).find((i) => i.kind === 'degraded' && i.subject === STANDBY_IP);
  assert.ok(degraded, 'degraded incident for the sending IP');
  assert.equal(degraded.zone, 'own-signals');
  assert.match(degraded.reason, /bounce rate/);
  assert.match(degraded.reason, /name a block/);
  const full = await stack.api<{ evidence: { metrics: { bounceRate: number }; sampleReplies: string[] } }>(
    'GET',
    `/v1/incidents/${degraded.id}`,
  );
  assert.ok(full.body.evidence.metrics.bounceRate >= 0.5);
  assert.match(full.body.evidence.sampleReplies[0] ?? '', /blocked/);
  assert.equal(degraded.resolvedAt, null);
});

test('no usable standby left: the listed active IP stays active (mail keeps flowing) and the alert says so loudly', async () => {
  // Both addresses listed now: the standby one is kept out of rotation, the active one has nothing to swap with.
  dns.list(LISTED_NAME, ['127.0.0.4'], ['XBL listing']);
  dns.list('3.0.0.127.zen.spamhaus.org', ['127.0.0.2'], ['SBL listing of the replacement']);
  const summary = await scan();
  assert.deepEqual(summary.listed.map((l) => l.subject).sort(), [LISTED_IP, STANDBY_IP, 'badsender.test'].sort());
  assert.equal((await ip(LISTED_IP)).state, 'quarantined', 'a listed standby is never swapped in');
  assert.equal((await ip(STANDBY_IP)).state, 'active', 'the only usable IP keeps sending');
  const incident = (await incidents()).find((i) => i.subject === STANDBY_IP && i.kind === 'listed')!;
  assert.match(incident.action ?? '', /NO STANDBY IP in pool default/);
  const [alert] = await waitFor(() => alertsFor(incident.id).length === 1 && alertsFor(incident.id), {
    timeoutMs: 60_000,
    what: 'the loud alert',
  });
  assert.match(header(alert!, 'Subject') ?? '', /NO STANDBY IP, STILL SENDING/);
  assert.match(bodyOf(alert!), /has NO standby IP/);
});

test('the scan-reputation Schedule runs every REPUTATION_SCAN_INTERVAL, one scan at a time (overlap skipped)', async () => {
  const d = await stack.temporal.schedule.getHandle(reputationScheduleId(stack.config.TEMPORAL_TASK_QUEUE)).describe();
  assert.equal(d.spec.intervals?.[0]?.every, 24 * 3600_000);
  assert.equal(d.policies.overlap, 'SKIP');
  assert.equal(d.action.type === 'startWorkflow' ? d.action.workflowType : '', 'scanReputationWorkflow');
});

test('an alert an earlier try stored but never started (a crash in between) is started again, with the same search attributes', async () => {
  const settings = reputationSettingsFromConfig(stack.config);
  const id = newMessageId();
  const raw = Buffer.from(
    `From: ${settings.alertFrom}\r\nTo: ${ALERT_TO}\r\nSubject: stored before a crash\r\nX-Reputation-Incident: inc_crash\r\n\r\nbody\r\n`,
  );
  await insertAcceptedMessage(stack.pool, {
    id,
    accountId: SYSTEM_ACCOUNT_ID,
    mailFrom: settings.alertFrom,
    envelopeRcpts: [ALERT_TO],
    raw,
    clientIp: SYSTEM_CLIENT_IP,
    submittedAt: new Date(),
    headers: parseMessageHeaders(raw),
  });
  const deps = { pool: stack.pool, temporal: stack.temporal, log: createLogger({ test: true }), settings };
  const email = { subject: 'not used: the stored message is sent', text: '' };
  await sendAlertMail(deps, id, email, 'inc_crash');
  await sendAlertMail(deps, id, email, 'inc_crash'); // a further retry: the workflow exists, nothing more happens
  const attributes = (await stack.temporal.workflow.getHandle(`msg-${id}`).describe()).searchAttributes;
  assert.deepEqual([attributes.AccountId, attributes.SenderDomain], [[SYSTEM_ACCOUNT_ID], ['alerts.test']]);
  await waitFor(() => alertsFor('inc_crash').length === 1, { timeoutMs: 60_000, what: 'the stored alert at the sink' });
  assert.equal(
    (await stack.pool.query('SELECT count(*)::int AS n FROM messages WHERE id = $1', [id])).rows[0].n,
    1,
    'stored once',
  );
});
