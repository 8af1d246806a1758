import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideRetry, retryDelayMs } from '../../../src/domain/relay/retry-schedule.js';

const schedule = [5, 10, 20];

test('attempt n waits schedule[n-1] and the last step repeats', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 9].map((n) => retryDelayMs(n, schedule)),
    [5, 10, 20, 20, 20],
  );
  assert.throws(() => retryDelayMs(1, []), /at least one step/);
});

test('retries until the lifetime, capping the wait at the deadline, then expires', () => {
  const base = { queuedAt: 1000, scheduleMs: schedule, maxLifetimeMs: 100 };
  assert.deepEqual(decideRetry({ ...base, attempts: 1, now: 1000 }), { kind: 'retry', at: 1005 });
  assert.deepEqual(decideRetry({ ...base, attempts: 3, now: 1050 }), { kind: 'retry', at: 1070 });
  assert.deepEqual(decideRetry({ ...base, attempts: 7, now: 1095 }), { kind: 'retry', at: 1100 });
  assert.deepEqual(decideRetry({ ...base, attempts: 8, now: 1100 }), { kind: 'expire' });
  assert.deepEqual(decideRetry({ ...base, attempts: 1, now: 5000 }), { kind: 'expire' });
});
