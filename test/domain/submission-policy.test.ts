import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAcceptanceList, checkHeaderFrom, checkSenderDomain, checkTrustZone } from '../../src/domain/policy/submission-policy.js';

test('trust zone: submission ports are open when no zone is configured, the plain port never is', () => {
  assert.equal(checkTrustZone('203.0.113.1', 'submission', []).allowed, true);
  const plain = checkTrustZone('203.0.113.1', 'plain', []);
  assert.equal(plain.allowed, false);
  assert.deepEqual(!plain.allowed && [plain.reply.code, plain.reply.enhanced], [554, '5.7.1']);
  assert.equal(checkTrustZone('10.0.0.5', 'plain', ['10.0.0.0/8']).allowed, true);
  assert.equal(checkTrustZone('192.0.2.1', 'submission', ['10.0.0.0/8']).allowed, false);
});

test('acceptance list: an empty list accepts nobody; 0.0.0.0/0 must be explicit', () => {
  const none = checkAcceptanceList('10.0.0.1', []);
  assert.equal(none.allowed, false);
  assert.deepEqual(!none.allowed && [none.reply.code, none.reply.enhanced], [554, '5.7.1']);
  assert.equal(checkAcceptanceList('10.0.0.1', ['0.0.0.0/0']).allowed, true);
  assert.equal(checkAcceptanceList('10.0.0.1', ['192.0.2.0/24']).allowed, false);
});

test('sender domain: listed domains and their subdomains only', () => {
  assert.equal(checkSenderDomain('billing@example.com', ['example.com']).allowed, true);
  assert.equal(checkSenderDomain('billing@mail.example.com', ['example.com']).allowed, true);
  assert.equal(checkSenderDomain('billing@EXAMPLE.COM', ['example.com']).allowed, true);
  const other = checkSenderDomain('x@badexample.com', ['example.com']);
  assert.equal(other.allowed, false);
  assert.deepEqual(!other.allowed && [other.reply.code, other.reply.enhanced], [553, '5.7.1']);
  assert.equal(checkSenderDomain('', ['example.com']).allowed, false);
});

test('From header domain must be allowed too', () => {
  assert.equal(checkHeaderFrom('news@example.com', ['example.com']).allowed, true);
  const spoof = checkHeaderFrom('ceo@bank.test', ['example.com']);
  assert.deepEqual(!spoof.allowed && [spoof.reply.code, spoof.reply.enhanced], [550, '5.7.1']);
  assert.equal(checkHeaderFrom(undefined, ['example.com']).allowed, false);
});
