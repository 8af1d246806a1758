import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accountStandingRefusal,
  exhaustedPeriod,
  reachesWarning,
  warningThreshold,
} from '../../src/domain/policy/quota.js';
import { smtpReplies } from '../../src/domain/smtp-reply.js';

// The pure decisions of account standing: which limit is exhausted, when the 90% warning fires, what MAIL answers.

const unlimited = { perMinute: null, perDay: null };

test('a limit is exhausted once the count reaches it; null is unlimited; the minute is reported first', () => {
  assert.equal(exhaustedPeriod(unlimited, { minute: 1e9, day: 1e9 }), undefined);
  assert.equal(exhaustedPeriod({ perMinute: 10, perDay: null }, { minute: 9, day: 500 }), undefined);
  assert.equal(exhaustedPeriod({ perMinute: 10, perDay: null }, { minute: 10, day: 10 }), 'minute');
  assert.equal(exhaustedPeriod({ perMinute: 10, perDay: 100 }, { minute: 3, day: 100 }), 'day');
  assert.equal(exhaustedPeriod({ perMinute: 10, perDay: 100 }, { minute: 10, day: 100 }), 'minute');
  assert.equal(exhaustedPeriod({ perMinute: 0, perDay: null }, { minute: 0, day: 0 }), 'minute', '0 sends nothing');
});

test('the warning fires at exactly one count per bucket: the first reaching 90% of the limit', () => {
  assert.equal(warningThreshold(10), 9);
  assert.equal(warningThreshold(1), 1);
  assert.equal(warningThreshold(15), 14); // 13.5 rounds up
  for (const limit of [1, 2, 7, 10, 15, 1000]) {
    const hits = Array.from({ length: limit }, (_, i) => i + 1).filter((count) => reachesWarning(limit, count));
    assert.equal(hits.length, 1, `limit ${limit}`);
    assert.ok(hits[0]! >= 0.9 * limit, `limit ${limit}: at ${hits[0]}`);
  }
  assert.equal(reachesWarning(null, 9), false);
  assert.equal(reachesWarning(0, 1), false);
});

test('MAIL is refused for a suspended account (550 5.7.1) and an exhausted quota (451 4.7.1, temporary)', () => {
  const usage = { minute: 0, day: 0 };
  assert.equal(accountStandingRefusal({ state: 'active', limits: unlimited, usage }), undefined);
  assert.equal(accountStandingRefusal({ state: 'sandbox', limits: unlimited, usage }), undefined);
  assert.equal(accountStandingRefusal({ state: 'suspended', limits: unlimited, usage }), smtpReplies.accountSuspended);
  const over = accountStandingRefusal({
    state: 'active',
    limits: { perMinute: null, perDay: 5 },
    usage: { minute: 0, day: 5 },
  });
  assert.deepEqual(over, smtpReplies.quotaPerDay);
  assert.equal(smtpReplies.quotaPerMinute.code, 451);
  assert.equal(smtpReplies.quotaPerMinute.enhanced, '4.7.1');
});
