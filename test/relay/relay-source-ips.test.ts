import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../../src/infra/free-port.js';
import { startDestinationSink } from '../helpers/destination-sink.js';
import { api, feedUntil, handOff, rawMessage, readStats, startTestRelay, withControl } from './relay-harness.js';
import type { HourCounts, QueueCounts } from '../../src/relay-protocol/stats.js';

// A relay with several source addresses: the MDE picks one per handoff with X-Mde-Source-Ip; the relay sends from
// it, reports it, never shows the control headers to the destination, and refuses an address it does not host.

const RECEIVED = /^Received: [^\r\n]*\r\n(?:\t[^\r\n]*\r\n)*$/;

/** A sink and a relay hosting 127.0.0.2 (default) and 127.0.0.3 that delivers to it, both closed after the test. */
async function startSinkAndRelay(t: TestContext) {
  const sink = await startDestinationSink();
  t.after(() => sink.close());
  const relay = await startTestRelay({
    transport: `*=127.0.0.1:${sink.port}`,
    sourceIp: '127.0.0.2',
    sourceIps: ['127.0.0.3'],
  });
  t.after(() => relay.close());
  return { sink, relay };
}

test('the destination sees each message from the address the MDE chose, without the X-Mde-* lines', async (t) => {
  const { sink, relay } = await startSinkAndRelay(t);

  const cases = [
    { envid: 'ip-3', to: 'three@dest.example', control: { sourceIp: '127.0.0.3', priority: 10 }, expect: '127.0.0.3' },
    { envid: 'ip-2', to: 'two@dest.example', control: { sourceIp: '127.0.0.2', priority: -10 }, expect: '127.0.0.2' },
    { envid: 'ip-default', to: 'default@dest.example', control: {}, expect: '127.0.0.2' },
  ];
  for (const c of cases) {
    assert.match(
      await handOff(relay, { envid: c.envid, to: [c.to], raw: withControl(rawMessage(c.envid), c.control) }),
      /^250 2\.0\.0 Ok: queued as /,
    );
  }
  const got = await sink.waitForMessages(3);
  const feed = await feedUntil(relay, (f) => f.length === 3, 'three outcomes');
  for (const c of cases) {
    const m = got.find((x) => x.rcptTo.includes(c.to));
    assert.ok(m, c.envid);
    assert.equal(m.remoteAddress, c.expect, `${c.envid} sent from the chosen address`);
    const text = m.raw.toString('latin1');
    assert.doesNotMatch(text, /x-mde-/i);
    // the relay's trace header, then the message exactly as the MDE wrote it, control lines aside
    const original = rawMessage(c.envid);
    assert.ok(text.endsWith(original), `${c.envid}: message body changed`);
    assert.match(text.slice(0, text.length - original.length), RECEIVED);
    const item = feed.find((i) => i.recipient === c.to);
    assert.deepEqual(
      [item?.status, item?.sourceIp],
      ['delivered', c.expect],
      `${c.envid}: the feed reports the address used`,
    );
  }
});

test('an address the relay does not host: 550 5.7.1 at end of DATA, nothing queued', async (t) => {
  const { sink, relay } = await startSinkAndRelay(t);

  await assert.rejects(
    handOff(relay, {
      envid: 'ip-9',
      to: ['x@dest.example'],
      raw: withControl(rawMessage('ip-9'), { sourceIp: '127.0.0.9', priority: 0 }),
    }),
    (err: Error & { response?: string; responseCode?: number }) => {
      assert.equal(err.responseCode, 550);
      assert.equal(err.response, '550 5.7.1 Source address 127.0.0.9 is not hosted on relay r1');
      return true;
    },
  );
  assert.equal((await api(relay, '/messages/ip-9')).status, 404);
  const stats = await readStats(relay);
  assert.deepEqual(stats.queue, { queued: 0, deferred: 0, delivering: 0 });
  // the same message with a hosted address is then accepted as usual
  await handOff(relay, {
    envid: 'ip-9',
    to: ['x@dest.example'],
    raw: withControl(rawMessage('ip-9'), { sourceIp: '127.0.0.3' }),
  });
  await sink.waitForMessages(1);
  assert.equal(sink.messages[0]?.remoteAddress, '127.0.0.3');
});

test('GET /v1/stats: queue and last hour, in total and per source address; bearer auth', async (t) => {
  const sink = await startDestinationSink({
    script: (rcpt) => (rcpt.startsWith('nobody@') ? { code: 550, message: '5.1.1 No such user' } : undefined),
  });
  t.after(() => sink.close());
  // down.test goes to a closed port and its retry is far away, so it stays deferred in the queue
  const relay = await startTestRelay({
    transport: `down.test=127.0.0.1:${await freePort()},*=127.0.0.1:${sink.port}`,
    retryScheduleMs: [600_000],
    sourceIp: '127.0.0.2',
    sourceIps: ['127.0.0.3', '127.0.0.4'],
  });
  t.after(() => relay.close());

  assert.equal((await api(relay, '/v1/stats', null)).status, 401);
  assert.equal((await api(relay, '/v1/stats', 'wrong')).status, 401);

  await handOff(relay, {
    envid: 'st-1',
    to: ['ok1@a.test', 'nobody@a.test'],
    raw: withControl(rawMessage('st-1'), { sourceIp: '127.0.0.3' }),
  });
  await handOff(relay, { envid: 'st-2', to: ['ok2@a.test'] });
  await handOff(relay, {
    envid: 'st-3',
    to: ['wait@down.test'],
    raw: withControl(rawMessage('st-3'), { sourceIp: '127.0.0.3' }),
  });
  await feedUntil(relay, (f) => f.length === 4, 'four outcomes');

  const q = (o: Partial<QueueCounts> = {}): QueueCounts => ({ queued: 0, deferred: 0, delivering: 0, ...o });
  const h = (o: Partial<HourCounts> = {}): HourCounts => ({ delivered: 0, deferred: 0, bounced: 0, failed: 0, ...o });
  assert.deepEqual(await readStats(relay), {
    relayId: 'r1',
    sourceIps: ['127.0.0.2', '127.0.0.3', '127.0.0.4'],
    queue: q({ deferred: 1 }),
    lastHour: h({ delivered: 2, bounced: 1, deferred: 1 }),
    bySourceIp: {
      '127.0.0.2': { queue: q(), lastHour: h({ delivered: 1 }) },
      '127.0.0.3': { queue: q({ deferred: 1 }), lastHour: h({ delivered: 1, bounced: 1, deferred: 1 }) },
      '127.0.0.4': { queue: q(), lastHour: h() },
    },
    throttled: [],
  });
});
