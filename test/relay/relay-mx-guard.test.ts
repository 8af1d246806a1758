import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRouteDns } from '../../src/relay/resolve-route.js';
import { startDestinationSink } from '../helpers/destination-sink.js';
import { startDnsFixture } from '../helpers/dns-fixture.js';
import { feedUntil, handOff, startTestRelay } from './relay-harness.js';

// A relay resolving MX through a real DNS server (the fixture on 127.0.0.1): a domain whose MX host resolves to a
// loopback address is refused with a permanent 5.4.4 (no SMTP into the relay's own network), unless the transport
// map names the host explicitly, which is how tests and local setups reach their loopback sinks.

const listings = {
  'dest.test': { a: [], mx: [{ exchange: 'mx.dest.test', priority: 10 }] },
  'mx.dest.test': { a: ['127.0.0.1'] },
  'meta.test': { a: [], mx: [{ exchange: 'mx.meta.test', priority: 10 }] },
  'mx.meta.test': { a: [], aaaa: ['::ffff:169.254.169.254'] },
};

test('an MX host resolving to a loopback or link-local address: the recipient fails at once with 5.4.4', async (t) => {
  const dns = await startDnsFixture({ listings });
  t.after(() => dns.close());
  const relay = await startTestRelay({
    transport: '',
    dns: createRouteDns({ server: dns.address, timeoutMs: 2_000 }),
    retryScheduleMs: [60_000],
  });
  t.after(() => relay.close());

  await handOff(relay, { envid: 'msg-mx-1', to: ['someone@dest.test', 'other@meta.test'] });
  const feed = await feedUntil(relay, (f) => f.length === 2, 'two final feed items');
  const byRecipient = new Map(feed.map((i) => [i.recipient, i]));
  assert.deepEqual(
    ['someone@dest.test', 'other@meta.test'].map((r) => {
      const i = byRecipient.get(r);
      return i && [i.status, i.smtpCode, i.enhancedCode, i.response];
    }),
    [
      ['bounced', null, '5.4.4', 'MX host resolves to a non-public address: mx.dest.test (dest.test)'],
      ['bounced', null, '5.4.4', 'MX host resolves to a non-public address: mx.meta.test (meta.test)'],
    ],
  );
  // The answers came from the fixture: MX of each domain, then the addresses of its host.
  for (const [name, type] of [
    ['dest.test', 'MX'],
    ['mx.dest.test', 'A'],
    ['meta.test', 'MX'],
    ['mx.meta.test', 'AAAA'],
  ]) {
    assert.ok(
      dns.queries.some((q) => q.name === name && q.type === type),
      `${type} ${name} asked`,
    );
  }
});

test('the same domain named in the transport map is delivered to the host it names', async (t) => {
  const dns = await startDnsFixture({ listings });
  t.after(() => dns.close());
  const sink = await startDestinationSink();
  t.after(() => sink.close());
  const relay = await startTestRelay({
    transport: `dest.test=127.0.0.1:${sink.port}`,
    dns: createRouteDns({ server: dns.address, timeoutMs: 2_000 }),
  });
  t.after(() => relay.close());

  await handOff(relay, { envid: 'msg-mx-2', to: ['someone@dest.test'] });
  const [got] = await sink.waitForMessages(1);
  assert.deepEqual(got?.rcptTo, ['someone@dest.test']);
  const feed = await feedUntil(relay, (f) => f.length === 1, 'a final feed item');
  assert.deepEqual([feed[0]?.status, feed[0]?.smtpCode], ['delivered', 250]);
  assert.ok(!dns.queries.some((q) => q.name === 'dest.test'), 'an explicit transport host needs no MX lookup');
});

test('a destination reply of any length is stored cut, codes intact', async (t) => {
  const long = `5.1.1 ${'x'.repeat(20_000)}`;
  const sink = await startDestinationSink({ script: () => ({ code: 550, message: long }) });
  t.after(() => sink.close());
  const relay = await startTestRelay({ transport: `*=127.0.0.1:${sink.port}` });
  t.after(() => relay.close());

  await handOff(relay, { envid: 'msg-long', to: ['someone@long.test'] });
  const feed = await feedUntil(relay, (f) => f.length === 1, 'a final feed item');
  const item = feed[0]!;
  assert.deepEqual([item.status, item.smtpCode, item.enhancedCode], ['bounced', 550, '5.1.1']);
  assert.ok(
    item.response !== null && item.response.length < 4200,
    `stored reply is ${item.response?.length} characters`,
  );
  assert.match(item.response ?? '', /^550 5\.1\.1 x+ \[cut, \d+ characters\]$/);
});
