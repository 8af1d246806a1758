import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideAttemptOutcome } from '../../../src/domain/relay/attempt-outcome.js';

test('final replies stay final, temporary ones retry until the lifetime expires', () => {
  const base = { queuedAt: 0, scheduleMs: [100], maxLifetimeMs: 1000 };
  const r = (code: number | null, enhanced: string | null = null) => ({ code, enhanced, response: `${code ?? 'x'}` });
  assert.deepEqual(decideAttemptOutcome({ ...base, reply: r(250), attempts: 1, now: 5000 }), {
    status: 'delivered',
    reason: null,
    nextAttemptAt: null,
  });
  assert.deepEqual(decideAttemptOutcome({ ...base, reply: r(550, '5.1.1'), attempts: 1, now: 10 }), {
    status: 'bounced',
    reason: null,
    nextAttemptAt: null,
  });
  assert.deepEqual(decideAttemptOutcome({ ...base, reply: r(451), attempts: 1, now: 10 }), {
    status: 'deferred',
    reason: null,
    nextAttemptAt: 110,
  });
  assert.deepEqual(decideAttemptOutcome({ ...base, reply: r(null), attempts: 3, now: 950 }), {
    status: 'deferred',
    reason: null,
    nextAttemptAt: 1000,
  });
  assert.deepEqual(decideAttemptOutcome({ ...base, reply: r(451), attempts: 4, now: 1000 }), {
    status: 'failed',
    reason: 'expired',
    nextAttemptAt: null,
  });
});
