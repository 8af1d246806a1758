import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifySession,
  DestinationThrottle,
  THROTTLE_DEFAULTS,
  type ThrottleConfig,
} from '../../src/domain/relay/destination-throttle.js';

// The per-destination throttle as a pure state machine, on a hand-driven clock.

const A = { sourceIp: '192.0.2.1', domain: 'slow.test' };
const B = { sourceIp: '192.0.2.1', domain: 'fast.test' };
const A2 = { sourceIp: '192.0.2.2', domain: 'slow.test' };

function setup(cfg: Partial<ThrottleConfig> = {}): { t: DestinationThrottle; clock: { now: number } } {
  const clock = { now: 1_000_000 };
  const t = new DestinationThrottle(
    { concurrency: 3, ratePerMinute: 0, backoffMs: [30_000, 60_000, 120_000], ...cfg },
    () => clock.now,
  );
  return { t, clock };
}

test('classifySession: 421 anywhere or 451 to the session throttles; 451 to a RCPT slows; a delivery succeeds', () => {
  const c = (sessionCodes: number[], rcptCodes: number[], delivered = false) =>
    classifySession({ sessionCodes, rcptCodes, delivered });
  assert.equal(c([421], []), 'throttled'); // greeting / any command, the server closes
  assert.equal(c([451], []), 'throttled'); // MAIL or DATA
  assert.equal(c([], [421]), 'throttled');
  assert.equal(c([], [451], true), 'slowed'); // greylisting one recipient while another is accepted
  assert.equal(c([], [451]), 'slowed');
  assert.equal(c([], [550], true), 'succeeded');
  assert.equal(c([], [], true), 'succeeded');
  assert.equal(c([], [550]), 'none');
  assert.equal(c([554], []), 'none');
  assert.equal(c([], []), 'none'); // connection refused, timeout: no SMTP answer at all
  assert.equal(c([450, 452], [450]), 'none'); // other 4xx are the recipients' business (retry schedule), not throttling
});

test('normal limits: concurrency per key, other keys and other source addresses unaffected', () => {
  const { t } = setup();
  assert.equal(t.defaultAllowance(), 3);
  const tickets = [t.start(A), t.start(A)];
  assert.equal(t.allowance(A), 1);
  assert.deepEqual(t.allowances(), [{ ...A, allowed: 1 }]);
  tickets.push(t.start(A));
  assert.deepEqual(t.allowances(), [{ ...A, allowed: 0 }]);
  assert.equal(t.allowance(B), 3);
  assert.equal(t.allowance(A2), 3);
  for (const k of tickets) assert.equal(t.finish(k, 'succeeded'), null);
  assert.deepEqual(t.allowances(), [], 'a key back at its normal limits with nothing running is forgotten');
  assert.deepEqual(t.throttled(), []);
});

test('421/451: one session at a time, paused for the next backoff step; consecutive answers walk the list; a success restores', () => {
  const { t, clock } = setup();
  const s1 = t.start(A);
  assert.equal(t.finish(s1, 'throttled', '421 4.7.0 Slow down'), 'throttled');
  assert.equal(t.allowance(A), 0);
  assert.deepEqual(t.throttled(), [{ ...A, pausedUntil: clock.now + 30_000, reason: '421 4.7.0 Slow down', level: 1 }]);
  assert.equal(t.allowance(B), 3, 'another domain is not affected');
  assert.equal(t.allowance(A2), 3, 'the same domain from another source address is not affected');

  clock.now += 29_999;
  assert.equal(t.allowance(A), 0);
  clock.now += 1;
  assert.equal(t.allowance(A), 1, 'after the pause: one session, not the normal three');
  assert.deepEqual(
    t.throttled().map((k) => k.pausedUntil),
    [null],
  );
  const s2 = t.start(A);
  assert.equal(t.allowance(A), 0);
  t.finish(s2, 'throttled', '451 4.7.1 Try later');
  assert.equal(t.throttled()[0]?.pausedUntil, clock.now + 60_000, 'second consecutive answer: second step');
  clock.now += 60_000;
  t.finish(t.start(A), 'throttled', '421 again');
  assert.equal(t.throttled()[0]?.pausedUntil, clock.now + 120_000);
  clock.now += 120_000;
  t.finish(t.start(A), 'throttled', '421 again');
  assert.deepEqual(
    t.throttled().map((k) => [k.level, k.pausedUntil]),
    [[4, clock.now + 120_000]],
    'the last step repeats',
  );

  clock.now += 120_000;
  assert.equal(t.finish(t.start(A), 'none'), null, 'no answer at all (connection refused) changes nothing');
  assert.equal(t.allowance(A), 1);
  assert.equal(t.finish(t.start(A), 'succeeded'), 'restored');
  assert.equal(t.allowance(A), 3);
  assert.deepEqual(t.throttled(), []);
  t.finish(t.start(A), 'throttled', '421');
  assert.equal(t.throttled()[0]?.pausedUntil, clock.now + 30_000, 'after a success the list starts over');
});

test('answers from sessions already under way share one step; their successes do not lift a newer throttle', () => {
  const { t, clock } = setup();
  const [a, b, c, d] = [t.start(A), t.start(A), t.start(A), t.start(A)];
  t.finish(a, 'throttled', '421 first');
  clock.now += 10;
  t.finish(b, 'throttled', '421 second');
  assert.deepEqual(
    t.throttled().map((k) => k.level),
    [1],
    'one step, not two',
  );
  assert.equal(t.throttled()[0]?.pausedUntil, clock.now + 30_000, 'the pause runs from the latest answer');
  assert.equal(t.finish(c, 'succeeded'), null, 'a session started before the throttle says nothing about now');
  assert.equal(t.allowance(A), 0);
  assert.equal(t.finish(d, 'slowed', '451 greylisted'), null);
  assert.equal(t.throttled()[0]?.reason, '421 second', 'a RCPT 451 does not hide the throttling reply');
});

test('451 to a RCPT only slows the key to one session, without a pause', () => {
  const { t } = setup();
  const [a, b] = [t.start(A), t.start(A)];
  assert.equal(t.finish(a, 'slowed', '451 4.7.1 Greylisted'), 'slowed');
  assert.equal(t.allowance(A), 0, 'one session is still running');
  assert.equal(t.finish(b, 'succeeded'), null, 'started before the slow-down');
  assert.equal(t.allowance(A), 1);
  assert.deepEqual(t.throttled(), [{ ...A, pausedUntil: null, reason: '451 4.7.1 Greylisted', level: 0 }]);
  assert.equal(t.finish(t.start(A), 'succeeded'), 'restored');
  assert.equal(t.allowance(A), 3);
});

test('rate: session starts spaced by 60 s / rate per key', () => {
  const { t, clock } = setup({ ratePerMinute: 6 });
  assert.equal(t.defaultAllowance(), 1, 'at most one start per claim');
  const s = t.start(A);
  t.finish(s, 'succeeded');
  assert.deepEqual(t.allowances(), [{ ...A, allowed: 0 }], 'the key is remembered until its spacing has passed');
  assert.equal(t.allowance(B), 1);
  clock.now += 9_999;
  assert.equal(t.allowance(A), 0);
  clock.now += 1;
  assert.equal(t.allowance(A), 1);
  assert.deepEqual(t.allowances(), []);
});

test('configuration is checked; the defaults are Postfix-like', () => {
  assert.deepEqual(THROTTLE_DEFAULTS, {
    concurrency: 5,
    ratePerMinute: 0,
    backoffMs: [30_000, 60_000, 120_000, 300_000, 600_000],
  });
  const make = (cfg: Partial<ThrottleConfig>) => () =>
    new DestinationThrottle({ ...THROTTLE_DEFAULTS, ...cfg }, Date.now);
  assert.throws(make({ concurrency: 0 }), /concurrency/);
  assert.throws(make({ ratePerMinute: -1 }), /rate/);
  assert.throws(make({ backoffMs: [] }), /backoff/);
});
