import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RecordCheck, RecordStatus } from '../../../src/domain/sender-auth/dns-records.js';
import { decideDomain, maySend, planKeys, type KeyState } from '../../../src/domain/sender-auth/verification.js';

const H = 3600_000;
const key = (
  selector: string,
  createdAtMs: number,
  publishedAtMs: number | null,
  retireAfterMs: number | null = null,
): KeyState => ({
  selector,
  createdAtMs,
  publishedAtMs,
  retireAfterMs,
});
const status = (entries: Array<[string, RecordStatus]>) => new Map(entries);

test('planKeys: a new key signs once DNS shows it, and the old one gets the overlap', () => {
  const old = key('a', 0, 1);
  const fresh = key('b', 10, null);
  assert.deepEqual(
    planKeys(
      [old, fresh],
      status([
        ['a', 'ok'],
        ['b', 'missing'],
      ]),
      100,
      48 * H,
    ),
    {
      signing: 'a',
      published: [],
      retire: [],
      drop: [],
    },
  );
  assert.deepEqual(
    planKeys(
      [old, fresh],
      status([
        ['a', 'ok'],
        ['b', 'ok'],
      ]),
      100,
      48 * H,
    ),
    {
      signing: 'b',
      published: ['b'],
      retire: [{ selector: 'a', afterMs: 100 + 48 * H }],
      drop: [],
    },
  );
});

test('planKeys: a key past its overlap is dropped; an unpublished first key does not sign', () => {
  assert.deepEqual(planKeys([key('a', 0, 1, 50), key('b', 10, 20)], status([]), 100, H), {
    signing: 'b',
    published: [],
    retire: [],
    drop: ['a'],
  });
  assert.deepEqual(planKeys([key('a', 0, null)], status([['a', 'unknown']]), 100, H), {
    published: [],
    retire: [],
    drop: [],
  });
});

const check = (purpose: RecordCheck['purpose'], s: RecordStatus, selector?: string): RecordCheck => ({
  purpose,
  host: `${purpose}.shop.test`,
  type: purpose === 'return-path' ? 'CNAME' : 'TXT',
  value: 'v',
  status: s,
  ...(selector ? { selector } : {}),
});
const all = (own: RecordStatus, dkim: RecordStatus, rp: RecordStatus = 'ok'): RecordCheck[] => [
  check('ownership', own),
  check('dkim', dkim, 'rs1'),
  check('return-path', rp),
];

test('decideDomain: pending → verified; verified → failing → recovered; unknown answers change nothing', () => {
  const pending = { verifiedBy: null, failing: false, returnPathOk: false };
  assert.equal(decideDomain(pending, all('ok', 'ok')).transition, 'verified');
  assert.equal(decideDomain(pending, all('ok', 'wrong')).transition, 'unchanged');
  const verified = { verifiedBy: 'dns' as const, failing: false, returnPathOk: true, signingSelector: 'rs1' };
  const broke = decideDomain(verified, all('ok', 'missing'));
  assert.equal(broke.transition, 'started-failing');
  assert.deepEqual(broke.problems, ['dkim record dkim.shop.test is missing']);
  assert.equal(decideDomain(verified, all('unknown', 'unknown', 'unknown')).transition, 'unchanged');
  assert.equal(decideDomain(verified, all('unknown', 'unknown', 'unknown')).returnPathOk, true, 'kept through unknown');
  assert.equal(decideDomain({ ...verified, failing: true }, all('ok', 'ok')).transition, 'recovered');
  assert.equal(decideDomain({ ...verified, failing: true }, all('ok', 'missing')).transition, 'unchanged');
  // A domain the admin vouched for is the admin's: DNS never fails it.
  assert.equal(decideDomain({ ...verified, verifiedBy: 'manual' }, all('missing', 'missing')).transition, 'unchanged');
  assert.equal(decideDomain(pending, all('ok', 'ok', 'wrong')).returnPathOk, false);
});

test('maySend: `listed` sends every listed domain, `verified` only verified ones', () => {
  assert.equal(maySend('listed', null), true);
  assert.equal(maySend('verified', null), false);
  assert.equal(maySend('verified', 'manual'), true);
  assert.equal(maySend('verified', 'dns'), true);
});
