import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SinkReply } from '../helpers/destination-sink.js';
import { waitFor } from '../helpers/wait-for.js';
import { startDomainSink } from './domain-sink.js';
import { api, feedUntil, handOff, readStats, startTestRelay, statusesOf } from './relay-harness.js';

// A destination that pushes back on one domain (421, or 451) slows only that (source address, domain): it gets one
// session at a time with pauses between, its recipients wait as deferrals (not failures), the stats list it, and
// mail for another domain on the same destination flows past it. When the domain accepts again, the throttle lifts.

const variants: Array<{ name: string; at: 'rcpt' | 'data'; reply: SinkReply; reason: RegExp }> = [
  {
    name: '421 at RCPT',
    at: 'rcpt',
    reply: { code: 421, message: '4.7.0 Too many connections from your IP, slow down' },
    reason: /^421 4\.7\.0 Too many connections/,
  },
  {
    name: '451 at end of DATA',
    at: 'data',
    reply: { code: 451, message: '4.7.1 Rate limited, try again later' },
    reason: /^451 4\.7\.1 Rate limited/,
  },
];

for (const v of variants) {
  test(`${v.name} for slow.test: slow.test throttled to one session, fast.test unaffected, nothing fails`, async (t) => {
    let pushingBack = true;
    const slow = (domain: string): SinkReply | undefined =>
      domain === 'slow.test' && pushingBack ? v.reply : undefined;
    // slow.test also answers slowly, so sessions that were allowed to overlap would overlap at the sink
    const lag = (domain: string): Promise<void> | undefined =>
      domain === 'slow.test' ? new Promise((r) => setTimeout(r, 40)) : undefined;
    const sink = await startDomainSink({
      rcpt: v.at === 'rcpt' ? slow : undefined,
      data: v.at === 'data' ? slow : undefined,
      beforeRcptReply: v.at === 'rcpt' ? lag : undefined,
      beforeDataReply: v.at === 'data' ? lag : undefined,
    });
    t.after(() => sink.close());
    const relay = await startTestRelay({
      transport: `*=127.0.0.1:${sink.port}`,
      concurrency: 3,
      domainConcurrency: 3,
      throttleBackoffMs: [300],
      retryScheduleMs: [200],
      maxLifetimeMs: 120_000,
    });
    t.after(() => relay.close());

    // One message trips the throttle.
    await handOff(relay, { envid: 'slow-0', to: ['u0@slow.test'] });
    const first = await waitFor(
      async () => (await readStats(relay)).throttled.find((k) => k.domain === 'slow.test' && k.pausedUntil !== null),
      { what: 'slow.test throttled' },
    );
    assert.equal(first.sourceIp, '127.0.0.2');
    assert.match(first.reason, v.reason);
    assert.ok(!Number.isNaN(Date.parse(first.pausedUntil ?? '')));
    sink.resetPeak('slow.test');
    const sessionsBefore = sink.sessions('slow.test');

    // A backlog for slow.test, queued ahead of the fast.test mail.
    const slowRcpts = ['u0@slow.test'];
    for (let i = 1; i <= 6; i++) {
      slowRcpts.push(`u${i}@slow.test`);
      await handOff(relay, { envid: `slow-${i}`, to: [`u${i}@slow.test`] });
    }
    for (let i = 0; i < 12; i++) await handOff(relay, { envid: `fast-${i}`, to: [`f${i}@fast.test`] });
    await waitFor(() => sink.messages.filter((m) => m.domain === 'fast.test').length === 12, {
      what: 'all fast.test mail delivered',
    });

    const feed = await feedUntil(
      relay,
      (f) => slowRcpts.every((r) => statusesOf(f, r).includes('deferred')),
      'every slow.test recipient deferred',
    );
    for (const r of slowRcpts)
      assert.ok(
        statusesOf(feed, r).every((s) => s === 'deferred'),
        `${r}: ${statusesOf(feed, r).join(',')}`,
      );
    assert.deepEqual(
      feed.filter((i) => i.recipient.endsWith('@fast.test')).map((i) => i.status),
      Array(12).fill('delivered'),
    );
    assert.ok(sink.sessions('slow.test') - sessionsBefore >= slowRcpts.length - 1, 'slow.test kept being tried');
    assert.equal(sink.peak('slow.test'), 1, 'slow.test never saw two sessions at once while throttled');
    const stats = await readStats(relay);
    assert.deepEqual(
      stats.throttled.map((k) => [k.sourceIp, k.domain]),
      [['127.0.0.2', 'slow.test']],
    );
    assert.equal(stats.lastHour.failed, 0);
    for (let i = 0; i <= 6; i++) {
      const m = await api<{ recipients: Array<{ status: string }> }>(relay, `/messages/slow-${i}`);
      assert.ok(
        ['queued', 'deferred', 'delivering'].includes(m.body.recipients[0]?.status ?? ''),
        `slow-${i}: ${m.body.recipients[0]?.status}`,
      );
    }

    // The destination recovers: everything queued for slow.test is delivered, once, and the throttle lifts.
    pushingBack = false;
    await waitFor(() => sink.messages.filter((m) => m.domain === 'slow.test').length === slowRcpts.length, {
      what: 'slow.test mail delivered',
    });
    await waitFor(async () => (await readStats(relay)).throttled.length === 0, { what: 'throttle lifted' });
    const final = await feedUntil(
      relay,
      (f) => slowRcpts.every((r) => statusesOf(f, r).at(-1) === 'delivered'),
      'deliveries in the feed',
    );
    assert.ok(final.every((i) => i.status !== 'failed' && i.status !== 'bounced'));
    assert.deepEqual(
      sink.messages
        .filter((m) => m.domain === 'slow.test')
        .map((m) => m.rcptTo[0])
        .sort(),
      [...slowRcpts].sort(),
    );
  });
}
