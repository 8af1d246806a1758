import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDurationMs, parseDurationListMs } from '../../src/domain/duration.js';

test('durations are parsed with their unit', () => {
  assert.equal(parseDurationMs('10m'), 600_000);
  assert.equal(parseDurationMs('2d'), 172_800_000);
  assert.equal(parseDurationMs('500ms'), 500);
  assert.equal(parseDurationMs('3'), 3000);
  assert.deepEqual(parseDurationListMs('1s, 2s,1m'), [1000, 2000, 60_000]);
});

test('a malformed duration is refused', () => {
  assert.throws(() => parseDurationMs('ten minutes'), /invalid duration/);
  assert.throws(() => parseDurationMs('-5s'), /invalid duration/);
});
