import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveVerpSecret, parseVerp, verpAddress, verpRecipientHash } from '../../src/bounces/verp.js';
import { newMessageId } from '../../src/ids.js';

const secret = deriveVerpSecret('master-secret-for-tests');
const domain = 'bounces.example.net';

test('a VERP address round-trips to its message and recipient hash, with a local part of at most 64 characters', () => {
  const messageId = newMessageId();
  const address = verpAddress({ messageId, recipient: 'Alice@Dest.Test' }, secret, domain);
  const [local, host] = address.split('@') as [string, string];
  assert.match(local, /^bounces\+[0-9a-z]+-[0-9a-f]{8}-[0-9a-f]{16}$/);
  assert.ok(local.length <= 64, `${local.length} characters`);
  assert.equal(host, domain);
  assert.deepEqual(parseVerp(address, secret, domain), {
    messageId,
    recipientHash: verpRecipientHash('alice@dest.test', secret),
  });
  // MTAs may change the case of the address or keep the angle brackets.
  assert.deepEqual(parseVerp(`<${address.toUpperCase()}>`, secret, domain.toUpperCase()), {
    messageId,
    recipientHash: verpRecipientHash('ALICE@dest.test', secret),
  });
  // Deterministic: the same message and recipient always get the same address; another recipient another one.
  assert.equal(verpAddress({ messageId, recipient: 'alice@dest.test' }, secret, domain), address);
  assert.notEqual(verpAddress({ messageId, recipient: 'bob@dest.test' }, secret, domain), address);
});

test('a tampered, foreign or malformed VERP address is refused', () => {
  const messageId = newMessageId();
  const address = verpAddress({ messageId, recipient: 'alice@dest.test' }, secret, domain);
  const [local] = address.split('@') as [string];
  const flip = (s: string, i: number): string => s.slice(0, i) + (s[i] === '0' ? '1' : '0') + s.slice(i + 1);
  const macAt = local.length - 1;
  const hashAt = local.length - 18;
  const idAt = 'bounces+'.length + 12;
  for (const bad of [
    `${flip(local, macAt)}@${domain}`, // MAC altered
    `${flip(local, hashAt)}@${domain}`, // recipient hash swapped
    `${flip(local, idAt)}@${domain}`, // another message id
    `${local}@other.example`, // not our bounce domain
    `${local}@${domain}.evil.test`,
    `${local.replace('bounces+', 'bounce+')}@${domain}`,
    `bounces+${messageId}@${domain}`,
    `postmaster@${domain}`,
    'alice@dest.test',
    '',
  ]) {
    assert.equal(parseVerp(bad, secret, domain), undefined, bad);
  }
  // Another key (another deployment, or a rotated master secret) does not accept it.
  assert.equal(parseVerp(address, deriveVerpSecret('another-master'), domain), undefined);
});

test('the VERP key is HMAC(master, "verp-v1"), distinct from the master secret, and ids that do not fit are refused', () => {
  assert.equal(deriveVerpSecret('m'), deriveVerpSecret('m'));
  assert.notEqual(deriveVerpSecret('m'), deriveVerpSecret('n'));
  assert.notEqual(deriveVerpSecret('m'), 'm');
  assert.throws(() => verpAddress({ messageId: 'x'.repeat(40), recipient: 'a@b.c' }, secret, domain), /64/);
  assert.throws(() => verpAddress({ messageId: 'Not-An-Id', recipient: 'a@b.c' }, secret, domain), /not usable/);
});

test('a per-message VERP address (one copy to several recipients) round-trips without a recipient hash and is not interchangeable', () => {
  const messageId = newMessageId();
  const address = verpAddress({ messageId }, secret, domain);
  assert.match(address, /^bounces\+[0-9a-z]+-[0-9a-f]{16}@/);
  assert.deepEqual(parseVerp(address, secret, domain), { messageId });
  const [local] = address.split('@') as [string];
  assert.equal(
    parseVerp(`${local.slice(0, -1)}${local.endsWith('0') ? '1' : '0'}@${domain}`, secret, domain),
    undefined,
  );
  // Its MAC does not validate a per-recipient token, nor the other way round.
  const perRecipient = verpAddress({ messageId, recipient: 'a@b.test' }, secret, domain);
  const mac = local.slice(-16);
  const hash = perRecipient.split('@')[0]!.split('-')[1]!;
  assert.equal(parseVerp(`bounces+${messageId}-${hash}-${mac}@${domain}`, secret, domain), undefined);
  assert.equal(
    parseVerp(`bounces+${messageId}-${perRecipient.split('@')[0]!.slice(-16)}@${domain}`, secret, domain),
    undefined,
  );
});
