import { test } from 'node:test';
import assert from 'node:assert/strict';
import { domainOf, normalizeAddress, sameAddress } from '../../src/domain/mime/address.js';

// One normal form for keying and comparing addresses, agreeing with sameAddress and domainOf.

test('normalizeAddress trims and lower-cases; equal normal forms are the same address', () => {
  assert.equal(normalizeAddress(' Alice@Dest.TEST '), 'alice@dest.test');
  for (const [a, b] of [
    ['Bob@X.test', 'bob@x.TEST'],
    ['carol@x.test', 'carol2@x.test'],
  ] as const) {
    assert.equal(normalizeAddress(a) === normalizeAddress(b), sameAddress(a, b), `${a} vs ${b}`);
  }
  assert.equal(domainOf(normalizeAddress('Dan@Sub.Dest.TEST')), domainOf('Dan@Sub.Dest.TEST'));
});
