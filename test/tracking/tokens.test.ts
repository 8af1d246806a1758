import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signToken, trackingKeys, verifyToken } from '../../src/tracking/tokens.js';

const keys = trackingKeys('master-secret-for-tests');

test('tokens round-trip, are deterministic and URL-safe, and do not show what they carry', () => {
  const open = { kind: 'open' as const, messageId: '01hx8z3abcd', recipient: 'Ann.Lee@dest.test' };
  const click = {
    kind: 'click' as const,
    messageId: '01hx8z3abcd',
    recipient: 'ann.lee@dest.test',
    url: 'https://example.com/p?q=1&r=\u00fc#frag',
  };
  const o = signToken(keys, open);
  const c = signToken(keys, click);
  assert.match(o, /^[A-Za-z0-9_-]+$/);
  assert.match(c, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(verifyToken(keys, o), open);
  assert.deepEqual(verifyToken(keys, c), click);
  assert.equal(signToken(keys, open), o);
  for (const t of [o, c]) {
    const bytes = Buffer.from(t, 'base64url').toString('latin1');
    assert.ok(
      !bytes.includes('dest.test') && !bytes.includes('example.com') && !bytes.includes('01hx8z3abcd'),
      'opaque',
    );
  }
  assert.ok(c.length < 140, `a short link stays short (${c.length})`);
});

test('a token for another recipient or kind differs', () => {
  const a = signToken(keys, { kind: 'open', messageId: 'm', recipient: 'a@x.test' });
  const b = signToken(keys, { kind: 'open', messageId: 'm', recipient: 'b@x.test' });
  const c = signToken(keys, { kind: 'click', messageId: 'm', recipient: 'a@x.test', url: 'https://x.test' });
  assert.notEqual(a, b);
  assert.notEqual(a, c);
});

test('any altered, truncated, extended or foreign token is refused', () => {
  const t = signToken(keys, { kind: 'click', messageId: 'm1', recipient: 'a@x.test', url: 'https://example.com/' });
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  for (let i = 0; i < t.length; i++) {
    const other = alphabet[(alphabet.indexOf(t[i]!) + 1) % alphabet.length]!;
    assert.equal(verifyToken(keys, t.slice(0, i) + other + t.slice(i + 1)), undefined, `changed char ${i}`);
  }
  assert.equal(verifyToken(keys, t.slice(0, -1)), undefined);
  assert.equal(verifyToken(keys, t.slice(0, -4)), undefined);
  assert.equal(verifyToken(keys, `${t}AAAA`), undefined);
  assert.equal(verifyToken(keys, ''), undefined);
  assert.equal(verifyToken(keys, 'not a token!'), undefined);
  assert.equal(verifyToken(trackingKeys('another-secret'), t), undefined);
  // A well-formed token made with another key by someone who knows the format.
  const forged = signToken(trackingKeys('guess'), {
    kind: 'click',
    messageId: 'm1',
    recipient: 'a@x.test',
    url: 'https://evil.test/',
  });
  assert.equal(verifyToken(keys, forged), undefined);
});

test('a token can carry its issue time (whole seconds); one without still verifies, without a time', () => {
  const issuedAt = new Date('2026-03-01T12:34:56.789Z');
  const timed = signToken(keys, {
    kind: 'click',
    messageId: 'm1',
    recipient: 'a@x.test',
    url: 'https://x.test/',
    issuedAt,
  });
  assert.deepEqual(verifyToken(keys, timed), {
    kind: 'click',
    messageId: 'm1',
    recipient: 'a@x.test',
    url: 'https://x.test/',
    issuedAt: new Date('2026-03-01T12:34:56.000Z'),
  });
  assert.equal(
    signToken(keys, { kind: 'click', messageId: 'm1', recipient: 'a@x.test', url: 'https://x.test/', issuedAt }),
    timed,
  );
  const plain = signToken(keys, { kind: 'open', messageId: 'm1', recipient: 'a@x.test' });
  assert.deepEqual(verifyToken(keys, plain), { kind: 'open', messageId: 'm1', recipient: 'a@x.test' });
  const other = signToken(keys, { kind: 'open', messageId: 'm1', recipient: 'a@x.test', issuedAt: new Date(0) });
  assert.notEqual(other, plain, 'the time is authenticated content');
  assert.throws(() => signToken(keys, { kind: 'open', messageId: 'm', recipient: 'a', issuedAt: new Date(-1000) }));
});
