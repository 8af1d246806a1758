import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../helpers/wait-for.js';
import { startDomainSink } from './domain-sink.js';
import { handOff, rawMessage, readStats, startTestRelay, withControl } from './relay-harness.js';

// Priority (X-Mde-Priority) decides which queued message goes next: an OTP handed off behind a long backlog of bulk
// mail for the same destination goes out ahead of most of it.

test('a priority-10 message queued behind 100 bulk messages to one domain (one session at a time) overtakes them', async (t) => {
  // The destination holds its reply to the first message until the whole backlog and the OTP are queued, so the
  // backlog is really there when the OTP arrives, however fast this machine is.
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  let first = true;
  const sink = await startDomainSink({
    beforeDataReply: () => {
      if (!first) return undefined;
      first = false;
      return gate;
    },
  });
  t.after(() => {
    release();
    return sink.close();
  });
  const relay = await startTestRelay({ transport: `*=127.0.0.1:${sink.port}`, domainConcurrency: 1 });
  t.after(() => relay.close());

  // ten handoffs at a time (each SMTP connection costs the server's 100 ms early-talker check)
  for (let i = 0; i < 100; i += 10) {
    await Promise.all(
      Array.from({ length: 10 }, (_, j) =>
        handOff(relay, {
          envid: `bulk-${i + j}`,
          to: [`b${i + j}@bulk.test`],
          raw: withControl(rawMessage(`bulk-${i + j}`), { priority: -10 }),
        }),
      ),
    );
  }
  await waitFor(() => sink.held() === 1, { what: 'the first bulk message held at the destination' });
  const stats = await readStats(relay);
  assert.equal(stats.queue.queued + stats.queue.delivering, 100, 'the backlog is queued');
  await handOff(relay, {
    envid: 'otp-1',
    to: ['otp@bulk.test'],
    raw: withControl(rawMessage('otp-1'), { priority: 10 }),
  });
  release();

  const got = await sink.waitForMessages(101, 60_000);
  const order = got.map((m) => m.subject);
  const position = order.indexOf('otp-1');
  assert.ok(position >= 0 && position < 50, `the OTP arrived at position ${position} of ${order.length}`);
  assert.equal(new Set(order).size, 101, 'each message once');
});
