import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Request } from 'express';
import { createConsoleSessions, readCookie, sameOrigin } from '../../src/api/console/session.js';

// The sealed session cookie alone (no server): it opens under its own master secret until it expires, and any change
// to it, or another master secret, makes it invalid.

const TTL = 3_600_000;
const keyHash = 'ab'.repeat(32);
const request = (headers: Record<string, string>): Request => ({ headers }) as unknown as Request;
const withCookie = (value: string): Request => request({ cookie: `other=1; console_session=${value}; x=y` });

test('a session opens until its expiry, and not after', () => {
  const sessions = createConsoleSessions('master-one', TTL);
  const { value, session } = sessions.issue(keyHash, 1_000);
  assert.deepEqual(sessions.open(withCookie(value), 1_000 + TTL - 1), session);
  assert.equal(session.keyHash, keyHash);
  assert.equal(sessions.open(withCookie(value), 1_000 + TTL), 'invalid');
  assert.equal(sessions.open(request({}), 1_000), undefined);
});

test('a changed cookie, or one sealed under another master secret, is invalid', () => {
  const sessions = createConsoleSessions('master-one', TTL);
  const { value } = sessions.issue(keyHash, 1_000);
  for (let i = 0; i < value.length; i += 7) {
    const flipped = value.slice(0, i) + (value[i] === 'A' ? 'B' : 'A') + value.slice(i + 1);
    assert.equal(sessions.open(withCookie(flipped), 1_000), 'invalid', `change at ${i}`);
  }
  assert.equal(createConsoleSessions('master-two', TTL).open(withCookie(value), 1_000), 'invalid');
  assert.equal(sessions.open(withCookie('not base64!'), 1_000), 'invalid');
  assert.equal(sessions.open(withCookie('A'.repeat(5000)), 1_000), 'invalid');
});

test('the CSRF token is per session and per master secret', () => {
  const one = createConsoleSessions('master-one', TTL);
  const a = one.issue(keyHash).session;
  const b = one.issue(keyHash).session;
  assert.notEqual(a.sid, b.sid);
  assert.equal(one.csrfToken(a), one.csrfToken(a));
  assert.notEqual(one.csrfToken(a), one.csrfToken(b));
  assert.notEqual(createConsoleSessions('master-two', TTL).csrfToken(a), one.csrfToken(a));
});

test('cookies and origins are read as browsers send them', () => {
  assert.equal(readCookie('a=1; console_session=xyz', 'console_session'), 'xyz');
  assert.equal(readCookie('xconsole_session=1', 'console_session'), undefined);
  assert.equal(sameOrigin(request({ host: 'api.test:8080' })), true);
  assert.equal(sameOrigin(request({ host: 'api.test:8080', origin: 'http://api.test:8080' })), true);
  assert.equal(sameOrigin(request({ host: 'api.test:8080', origin: 'http://evil.test:8080' })), false);
  assert.equal(sameOrigin(request({ host: 'api.test:8080', origin: 'null' })), false);
  assert.equal(sameOrigin(request({ host: 'api.test:8080', 'sec-fetch-site': 'same-site' })), false);
  assert.equal(sameOrigin(request({ host: 'api.test:8080', 'sec-fetch-site': 'same-origin' })), true);
});
