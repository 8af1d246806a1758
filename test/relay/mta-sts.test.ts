import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { feedItem } from '../../src/relay-protocol/feed.js';
import { createRouteDns } from '../../src/relay/resolve-route.js';
import { startDestinationSink, type SinkOptions } from '../helpers/destination-sink.js';
import { startDnsFixture, type DnsFixture } from '../helpers/dns-fixture.js';
import {
  issuedCertificate,
  mtaStsDomainDns,
  startPolicyServer,
  stsPolicy,
  testCa,
  type Pem,
  type PolicyServer,
} from '../helpers/mta-sts-fixture.js';
import { feedUntil, handOff, startTestRelay, type FeedItem } from './relay-harness.js';

// MTA-STS on a relay over real sockets: a DNS fixture serves each domain's MX, its `_mta-sts` TXT record and the
// policy host; a local HTTPS server serves the policies with a certificate from a test CA, which the relay is
// told to trust (as RELAY_EXTRA_CA_FILE does); the destination sink stands in for the MX host, with or without
// STARTTLS and with a certificate from that CA or a self-signed one. Every name resolves to 127.0.0.1, which the
// relay accepts only because these tests allow private destinations (RELAY_ALLOW_PRIVATE).

const issued = (name: string): Promise<Pem> => issuedCertificate([name]);

async function setup(
  t: TestContext,
  o: {
    domain: string;
    policy: string;
    sink: SinkOptions;
    maxLifetimeMs?: number;
  },
): Promise<{
  dns: DnsFixture;
  policies: PolicyServer;
  sink: Awaited<ReturnType<typeof startDestinationSink>>;
  relay: Awaited<ReturnType<typeof startTestRelay>>;
}> {
  const dns = await startDnsFixture({ listings: mtaStsDomainDns(o.domain, 'id1') });
  t.after(() => dns.close());
  const policies = await startPolicyServer([o.domain]);
  t.after(() => policies.close());
  policies.policies.set(o.domain, o.policy);
  const sink = await startDestinationSink(o.sink);
  t.after(() => sink.close());
  const relay = await startTestRelay({
    transport: '',
    dns: createRouteDns({ server: dns.address, timeoutMs: 2_000 }),
    extraCa: (await testCa()).cert,
    allowPrivateDestinations: true,
    destinationPorts: { smtp: sink.port, https: policies.port },
    retryScheduleMs: [200],
    maxLifetimeMs: o.maxLifetimeMs ?? 60_000,
  });
  t.after(() => relay.close());
  return { dns, policies, sink, relay };
}

test('enforce, and the MX offers no STARTTLS: deferred with 4.7.5, never sent, and failed at the end of its lifetime', async (t) => {
  const { sink, relay, policies } = await setup(t, {
    domain: 'enforce.test',
    policy: stsPolicy('enforce', 'mx.enforce.test'),
    sink: { starttls: false },
    maxLifetimeMs: 1_500,
  });
  await handOff(relay, { envid: 'msg-sts-1', to: ['ann@enforce.test'] });
  const feed = await feedUntil(relay, (f) => f.some((i) => i.status === 'failed'), 'the recipient failed');

  const deferred = feed.filter((i) => i.status === 'deferred');
  assert.ok(deferred.length >= 1, 'deferred at least once before failing');
  for (const i of [...deferred, feed.find((x) => x.status === 'failed') as FeedItem]) {
    assert.deepEqual([i.smtpCode, i.enhancedCode], [null, '4.7.5']);
    assert.equal(i.response, 'MTA-STS policy not met: mx.enforce.test (starttls-not-supported)');
    assert.deepEqual(i.tls, {
      version: null,
      cipher: null,
      verified: false,
      mtaSts: 'enforce',
      failure: 'starttls-not-supported',
    });
    feedItem.parse(i); // the wire contract carries it as is
  }
  assert.equal(feed.find((i) => i.status === 'failed')?.reason, 'expired');
  // The sink saw EHLO and QUIT only: no RCPT, no message.
  assert.equal(sink.attempts('ann@enforce.test'), 0);
  assert.equal(sink.messages.length, 0);
  assert.deepEqual(policies.fetches, ['mta-sts.enforce.test'], 'fetched once, then served from the cache');
});

test('enforce, and the MX offers STARTTLS with a certificate valid for its name: delivered, tls.verified', async (t) => {
  const { sink, relay } = await setup(t, {
    domain: 'secure.test',
    policy: stsPolicy('enforce', '*.secure.test'),
    sink: { tlsCertificate: await issued('mx.secure.test') },
  });
  await handOff(relay, { envid: 'msg-sts-2', to: ['bob@secure.test'] });
  const [got] = await sink.waitForMessages(1);
  assert.equal(got?.secure, true);
  const [item] = await feedUntil(relay, (f) => f.length === 1, 'one feed item');
  assert.deepEqual([item?.status, item?.smtpCode], ['delivered', 250]);
  assert.equal(item?.tls?.verified, true);
  assert.equal(item?.tls?.mtaSts, 'enforce');
  assert.equal(item?.tls?.failure, null);
  assert.match(item?.tls?.version ?? '', /^TLSv1\.[23]$/);
  assert.ok((item?.tls?.cipher ?? '').length > 0);
});

test('enforce, and the MX certificate is self-signed: deferred with 4.7.5, never sent', async (t) => {
  const { sink, relay } = await setup(t, {
    domain: 'selfsigned.test',
    policy: stsPolicy('enforce', 'mx.selfsigned.test'),
    sink: {}, // STARTTLS with the sink's own self-signed certificate
  });
  await handOff(relay, { envid: 'msg-sts-3', to: ['cy@selfsigned.test'] });
  const feed = await feedUntil(relay, (f) => f.length >= 1, 'a feed item');
  assert.deepEqual(
    [feed[0]?.status, feed[0]?.enhancedCode, feed[0]?.tls?.failure, feed[0]?.tls?.verified],
    ['deferred', '4.7.5', 'certificate-not-trusted', false],
  );
  assert.match(feed[0]?.tls?.version ?? '', /^TLSv1\.[23]$/, 'TLS was negotiated; only the certificate failed');
  assert.equal(sink.attempts('cy@selfsigned.test'), 0);
  assert.equal(sink.messages.length, 0);
});

test('enforce, and the MX host is not in the policy: deferred with 4.7.5, never sent', async (t) => {
  const { sink, relay } = await setup(t, {
    domain: 'other.test',
    policy: stsPolicy('enforce', 'mail.elsewhere.test'),
    sink: { tlsCertificate: await issued('mx.other.test') },
  });
  await handOff(relay, { envid: 'msg-sts-4', to: ['di@other.test'] });
  const feed = await feedUntil(relay, (f) => f.length >= 1, 'a feed item');
  assert.deepEqual(
    [feed[0]?.status, feed[0]?.enhancedCode, feed[0]?.tls?.failure],
    ['deferred', '4.7.5', 'mx-not-in-policy'],
  );
  assert.equal(sink.attempts('di@other.test'), 0);
});

test('testing, and the MX certificate is not trusted: delivered, the failure recorded', async (t) => {
  const { sink, relay } = await setup(t, {
    domain: 'trial.test',
    policy: stsPolicy('testing', 'mx.trial.test'),
    sink: {}, // self-signed
  });
  await handOff(relay, { envid: 'msg-sts-5', to: ['eve@trial.test'] });
  await sink.waitForMessages(1);
  const [item] = await feedUntil(relay, (f) => f.length === 1, 'one feed item');
  assert.equal(item?.status, 'delivered');
  assert.deepEqual(
    [item?.tls?.mtaSts, item?.tls?.verified, item?.tls?.failure],
    ['testing', false, 'certificate-not-trusted'],
  );
});

test('the policy is cached under its TXT id and fetched again when the id changes', async (t) => {
  const { dns, sink, relay, policies } = await setup(t, {
    domain: 'rotate.test',
    policy: stsPolicy('testing', 'mx.rotate.test'),
    sink: { tlsCertificate: await issued('mx.rotate.test') },
  });
  await handOff(relay, { envid: 'msg-sts-6', to: ['fay@rotate.test'] });
  await sink.waitForMessages(1);
  await handOff(relay, { envid: 'msg-sts-7', to: ['fay@rotate.test'] });
  await sink.waitForMessages(2);
  assert.equal(policies.fetches.length, 1, 'same id: the cached policy');

  // The domain moves to enforce and publishes a new id: the next delivery fetches and enforces it.
  policies.policies.set('rotate.test', stsPolicy('enforce', 'mx.rotate.test'));
  dns.list('_mta-sts.rotate.test', [], ['v=STSv1; id=id2;']);
  await handOff(relay, { envid: 'msg-sts-8', to: ['fay@rotate.test'] });
  await sink.waitForMessages(3);
  const feed = await feedUntil(relay, (f) => f.length === 3, 'three feed items');
  assert.deepEqual(
    feed.map((i) => [i.messageId, i.status, i.tls?.mtaSts, i.tls?.verified]),
    [
      ['msg-sts-6', 'delivered', 'testing', true],
      ['msg-sts-7', 'delivered', 'testing', true],
      ['msg-sts-8', 'delivered', 'enforce', true],
    ],
  );
  assert.equal(policies.fetches.length, 2);
});

test('a domain without an _mta-sts record is delivered as before, its TLS recorded', async (t) => {
  const dns = await startDnsFixture({ listings: mtaStsDomainDns('plain.test') });
  t.after(() => dns.close());
  const sink = await startDestinationSink({ starttls: false });
  t.after(() => sink.close());
  const relay = await startTestRelay({
    transport: '',
    dns: createRouteDns({ server: dns.address, timeoutMs: 2_000 }),
    allowPrivateDestinations: true,
    destinationPorts: { smtp: sink.port },
  });
  t.after(() => relay.close());
  await handOff(relay, { envid: 'msg-sts-9', to: ['gus@plain.test'] });
  await sink.waitForMessages(1);
  const [item] = await feedUntil(relay, (f) => f.length === 1, 'one feed item');
  assert.equal(item?.status, 'delivered');
  assert.deepEqual(item?.tls, { version: null, cipher: null, verified: false, mtaSts: 'none', failure: null });
  assert.ok(dns.queries.some((q) => q.name === '_mta-sts.plain.test' && q.type === 'TXT'));
});
