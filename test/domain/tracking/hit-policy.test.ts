import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideHit, isTokenExpired, type TokenHits } from '../../../src/domain/tracking/hit-policy.js';

const limits = { tokenTtlMs: 90 * 86_400_000, hitsPerMinute: 3 };
const t0 = new Date('2026-05-01T10:00:00Z');
const at = (ms: number): Date => new Date(t0.getTime() + ms);
const issuedAt = new Date('2026-04-30T10:00:00Z');

/** Applies hits in order, returning what each decided and the final counters. */
function run(hits: Array<{ ms: number; machine?: boolean }>): { outcomes: string[]; state: TokenHits | undefined } {
  let state: TokenHits | undefined;
  const outcomes = hits.map((h) => {
    const d = decideHit(state, { issuedAt, now: at(h.ms), machine: h.machine ?? false }, limits);
    if (!d.record) return d.reason;
    state = d.next;
    return d.event ? 'event' : 'counted';
  });
  return { outcomes, state };
}

test('the first person hit is an event, repeats are counted', () => {
  const { outcomes, state } = run([{ ms: 0 }, { ms: 1000 }, { ms: 2000 }]);
  assert.deepEqual(outcomes, ['event', 'counted', 'counted']);
  assert.equal(state?.hits, 3);
});

test('a machine hit first does not hide the person: one event for each, then counts', () => {
  const { outcomes } = run([{ ms: 0, machine: true }, { ms: 1, machine: true }, { ms: 2 }]);
  assert.deepEqual(outcomes, ['event', 'counted', 'event']);
});

test('beyond the per-minute limit nothing is recorded until the window has passed', () => {
  const { outcomes, state } = run([
    { ms: 0 },
    { ms: 10 },
    { ms: 20 },
    { ms: 30 },
    { ms: 59_999 },
    { ms: 60_000 },
    { ms: 60_001 },
  ]);
  assert.deepEqual(outcomes, ['event', 'counted', 'counted', 'rate_limited', 'rate_limited', 'counted', 'counted']);
  assert.equal(state?.hits, 5);
  assert.equal(state?.windowStart.getTime(), at(60_000).getTime());
  assert.equal(state?.windowHits, 2);
});

test('an expired token records nothing; the TTL boundary itself still counts', () => {
  assert.equal(isTokenExpired(issuedAt, new Date(issuedAt.getTime() + limits.tokenTtlMs), limits.tokenTtlMs), false);
  assert.equal(isTokenExpired(issuedAt, new Date(issuedAt.getTime() + limits.tokenTtlMs + 1), limits.tokenTtlMs), true);
  const old = new Date(t0.getTime() - limits.tokenTtlMs - 1);
  assert.deepEqual(decideHit(undefined, { issuedAt: old, now: t0, machine: false }, limits), {
    record: false,
    reason: 'expired',
  });
});
