import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fnv1a } from '../../src/domain/mde/stable-hash.js';

// The routing's hash must never change between versions: a changed value would move every message to another IP.

test('FNV-1a 32-bit gives the published test vectors', () => {
  assert.equal(fnv1a(''), 0x811c9dc5);
  assert.equal(fnv1a('a'), 0xe40c292c);
  assert.equal(fnv1a('foobar'), 0xbf9cf968);
});
