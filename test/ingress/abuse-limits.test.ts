import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { createAccount, startStack, type Stack, type TestAccount } from '../helpers/stack.js';
import { SmtpChat } from '../helpers/smtp-chat.js';
import { waitFor } from '../helpers/wait-for.js';
import { startIngress } from '../../src/ingress/smtp-ingress.js';
import { loadTlsMaterial } from '../../src/ingress/tls-material.js';
import { authLockoutFromConfig, sessionLimitsFromConfig } from '../../src/ingress/session-limits.js';
import { insertSmtpCredential } from '../../src/db/accounts-repo.js';
import { hashPasswordScrypt, smtpPasswordKey } from '../../src/secrets.js';
import { createLogger } from '../../src/log.js';
import type { SessionLimits } from '../../src/ingress/session-limits.js';
import type { Logger } from '../../src/log.js';

// AUTH lockout per address and per username, connection caps, recipients and messages per session, the session
// deadline: over real SMTP on TCP against the real ingress and PostgreSQL. Each test uses its own loopback source
// addresses (all of 127.0.0.0/8 reaches the listener) so that the per-address counters of one test do not touch another.
let stack: Stack;

before(async () => {
  stack = await startStack({
    roles: ['ingress', 'api'],
    env: {
      AUTH_FAIL_LIMIT_IP: '4',
      AUTH_FAIL_LIMIT_USER: '6',
      SMTP_MAX_CONNECTIONS_PER_IP: '3',
      MAX_RECIPIENTS: '3',
      SMTP_MAX_MESSAGES_PER_SESSION: '2',
    },
  });
});
after(async () => {
  await stack.close();
});

/** A submission session up to (not including) AUTH, from a chosen loopback address. */
async function beforeAuth(from?: string): Promise<SmtpChat> {
  const { chat, greeting } = await SmtpChat.connect(stack.submissionPort, '127.0.0.1', from);
  assert.match(greeting, /^220 /);
  await chat.send('EHLO client.test');
  assert.match(await chat.startTls(), /^220 /);
  await chat.send('EHLO client.test');
  return chat;
}

async function authOnce(from: string | undefined, user: string, pass: string): Promise<string> {
  const chat = await beforeAuth(from);
  const reply = await chat.authPlain(user, pass);
  chat.close();
  return reply;
}

async function failures(key: string): Promise<number> {
  const { rows } = await stack.pool.query('SELECT failures FROM auth_failures WHERE key = $1', [key]);
  return rows[0] ? Number(rows[0].failures) : 0;
}

test('an address is locked after AUTH_FAIL_LIMIT_IP failures, even the right password is refused; the admin clears it', async () => {
  const acct = await createAccount(stack, { name: 'Lockout', domain: 'lockout.test' });
  const ip = '127.0.0.2';
  // Session 1: the per-session limit (3 failures, then 421) still holds.
  const chat = await beforeAuth(ip);
  assert.match(await chat.authPlain(acct.username, 'wrong-1'), /^535 5\.7\.8 /);
  assert.match(await chat.authPlain(acct.username, 'wrong-2'), /^535 5\.7\.8 /);
  assert.match(
    await chat.authPlain(acct.username, 'wrong-3'),
    /^421 4\.7\.0 Too many failed authentication attempts, closing/,
  );
  chat.close();
  // Session 2: the fourth failure from this address locks it.
  assert.match(await authOnce(ip, acct.username, 'wrong-4'), /^421 4\.7\.0 .*from this address/);
  // Locked: the right password does not get in either, and nothing is counted while locked.
  assert.match(await authOnce(ip, acct.username, acct.password), /^421 4\.7\.0 .*from this address/);
  assert.equal(await failures(`ip:${ip}`), 4);
  // Another address is not affected.
  assert.match(await authOnce('127.0.0.12', acct.username, acct.password), /^235 /);

  const listed = await stack.api<{
    items: Array<{ key: string; kind: string; failures: number; lockedUntil: string }>;
  }>('GET', '/v1/auth-lockouts');
  assert.equal(listed.status, 200);
  const lock = listed.body.items.find((i) => i.key === `ip:${ip}`);
  assert.ok(lock, 'the locked address is listed');
  assert.equal(lock.kind, 'ip');
  assert.equal(lock.failures, 4);
  assert.ok(new Date(lock.lockedUntil).getTime() > Date.now());
  // Not for account keys.
  assert.equal((await stack.api('GET', '/v1/auth-lockouts', undefined, acct.apiKey)).status, 403);

  assert.equal((await stack.api('DELETE', `/v1/auth-lockouts/${encodeURIComponent(`ip:${ip}`)}`)).status, 204);
  assert.equal((await stack.api('DELETE', `/v1/auth-lockouts/${encodeURIComponent(`ip:${ip}`)}`)).status, 404);
  assert.match(await authOnce(ip, acct.username, acct.password), /^235 /);
});

test('a username guessed from many addresses is refused outside its acceptance list; its owner still gets in', async () => {
  // The owner sends from 127.0.0.1 only.
  const acct = await createAccount(stack, { name: 'Owner', domain: 'owner.test', cidr: '127.0.0.1/32' });
  // Six failures (AUTH_FAIL_LIMIT_USER) from three addresses, two each: no address reaches its own limit of four.
  for (const ip of ['127.0.1.1', '127.0.1.2', '127.0.1.3'])
    for (let i = 0; i < 2; i++) assert.match(await authOnce(ip, acct.username, `guess-${ip}-${i}`), /^535 5\.7\.8 /);
  assert.equal(await failures(`user:${acct.username}`), 6);
  // A fresh address outside the list: refused before the password is looked at (the right one included).
  assert.match(await authOnce('127.0.1.4', acct.username, acct.password), /^454 4\.7\.0 /);
  // The owner's network is on the acceptance list: it authenticates (and can send).
  const owner = await beforeAuth('127.0.0.1');
  assert.match(await owner.authPlain(acct.username, acct.password), /^235 /);
  assert.match(await owner.send('MAIL FROM:<app@owner.test>'), /^250 /);
  owner.close();
  const listed = await stack.api<{ items: Array<{ key: string; kind: string }> }>('GET', '/v1/auth-lockouts');
  assert.ok(listed.body.items.some((i) => i.key === `user:${acct.username}` && i.kind === 'user'));
});

test('known and unknown usernames fail the same way and are counted the same way', async () => {
  const acct = await createAccount(stack, { name: 'Known', domain: 'known.test', cidr: '127.0.0.1/32' });
  const unknown = 'smtp_doesnotexist';
  const replies: Record<string, string[]> = { known: [], unknown: [] };
  // Six addresses, one failure for each name from each: two per address, under its limit of four.
  for (let i = 1; i <= 6; i++) {
    replies.known?.push(await authOnce(`127.0.2.${i}`, acct.username, `guess-${i}`));
    replies.unknown?.push(await authOnce(`127.0.2.${i}`, unknown, `guess-${i}`));
  }
  assert.deepEqual(replies.known, replies.unknown);
  assert.ok(replies.known?.every((r) => /^535 5\.7\.8 /.test(r)));
  // Both names went through the same counting (one failure per attempt, one lock at the limit).
  assert.equal(await failures(`user:${acct.username}`), 6);
  assert.equal(await failures(`user:${unknown}`), 6);
  // Locked, seen from outside the owner's list: the same reply for both.
  const known = await authOnce('127.0.2.7', acct.username, acct.password);
  const ghost = await authOnce('127.0.2.7', unknown, 'anything');
  assert.match(known, /^454 4\.7\.0 /);
  assert.equal(ghost, known);
});

test('a credential stored with the older scrypt scheme still works and is rehashed with the keyed hash', async () => {
  const acct = await createAccount(stack, { name: 'Legacy', domain: 'legacy.test' });
  const password = 'legacy-password-of-an-older-version';
  await insertSmtpCredential(stack.pool, acct.accountId, 'smtp_legacy', await hashPasswordScrypt(password));
  assert.match(await authOnce('127.0.3.1', 'smtp_legacy', password), /^235 /);
  await waitFor(
    async () =>
      (
        await stack.pool.query(
          "SELECT 1 FROM smtp_credentials WHERE username = 'smtp_legacy' AND password_hash LIKE 'hmac256$%'",
        )
      ).rowCount,
    { what: 'the hash upgraded' },
  );
  assert.match(await authOnce('127.0.3.1', 'smtp_legacy', password), /^235 /);
  assert.match(await authOnce('127.0.3.1', 'smtp_legacy', 'wrong'), /^535 5\.7\.8 /);
  // New credentials are stored with the keyed hash.
  const { rows } = await stack.pool.query('SELECT password_hash FROM smtp_credentials WHERE username = $1', [
    acct.username,
  ]);
  assert.match(rows[0].password_hash, /^hmac256\$/);
});

test('connections from one address beyond SMTP_MAX_CONNECTIONS_PER_IP get 421 4.7.0; a closed one frees its place', async () => {
  const ip = '127.0.4.1';
  const open = await Promise.all([1, 2, 3].map(() => SmtpChat.connect(stack.submissionPort, '127.0.0.1', ip)));
  for (const o of open) assert.match(o.greeting, /^220 /);
  const fourth = await SmtpChat.connect(stack.submissionPort, '127.0.0.1', ip);
  assert.match(fourth.greeting, /^421 4\.7\.0 Too many connections from this address/);
  fourth.chat.close();
  // Another address is not affected.
  const other = await SmtpChat.connect(stack.submissionPort, '127.0.0.1', '127.0.4.2');
  assert.match(other.greeting, /^220 /);
  other.chat.close();
  open[0]?.chat.close();
  await waitFor(
    async () => {
      const again = await SmtpChat.connect(stack.submissionPort, '127.0.0.1', ip);
      again.chat.close();
      return again.greeting.startsWith('220 ');
    },
    { what: 'a place freed' },
  );
  for (const o of open) o.chat.close();
});

test('recipients beyond MAX_RECIPIENTS get 452 4.5.3; messages beyond SMTP_MAX_MESSAGES_PER_SESSION get 421 4.7.0', async () => {
  const acct: TestAccount = await createAccount(stack, { name: 'Busy', domain: 'busy.test' });
  const chat = await beforeAuth('127.0.5.1');
  assert.match(await chat.authPlain(acct.username, acct.password), /^235 /);
  assert.match(await chat.send('MAIL FROM:<app@busy.test>'), /^250 /);
  for (let i = 1; i <= 3; i++) assert.match(await chat.send(`RCPT TO:<r${i}@dest.test>`), /^250 /);
  assert.match(await chat.send('RCPT TO:<r4@dest.test>'), /^452 4\.5\.3 /);
  assert.match(await chat.send('RSET'), /^250 /);
  assert.match(await chat.send('MAIL FROM:<app@busy.test>'), /^250 /);
  assert.match(await chat.send('RSET'), /^250 /);
  assert.match(await chat.send('MAIL FROM:<app@busy.test>'), /^421 4\.7\.0 Too many messages in this session/);
  chat.close();
});

/** A second ingress on the stack's database with some limits changed (the stack's own keep the defaults). */
async function withIngress(
  limits: Partial<SessionLimits>,
  run: (port: number) => Promise<void>,
  log: Logger = createLogger(),
): Promise<void> {
  const tls = await loadTlsMaterial({ dataDir: stack.config.DATA_DIR, hostname: 'localhost' });
  const connection = await Connection.connect({ address: stack.env.TEMPORAL_ADDRESS as string });
  const ingress = await startIngress({
    pool: stack.pool,
    temporal: new Client({ connection }),
    taskQueue: 'nowhere',
    log,
    tls,
    hostname: 'localhost',
    host: '127.0.0.1',
    submissionPorts: [0],
    maxMessageBytes: 100_000,
    maxRecipients: 10,
    smtpPasswordKey: smtpPasswordKey(stack.masterSecret),
    limits: { ...sessionLimitsFromConfig(stack.config), ...limits },
    authLockout: authLockoutFromConfig(stack.config),
    workflowInput: { statusCheckIntervalMs: 1000, maxLifetimeMs: 1000, handoffRetryMs: [100, 100] },
  });
  try {
    await run(ingress.results[0]?.port ?? 0);
  } finally {
    await ingress.close();
    await connection.close();
  }
}

test('connections beyond SMTP_MAX_CONNECTIONS get 421 4.7.0', async () => {
  await withIngress({ maxConnections: 2 }, async (port) => {
    const first = await SmtpChat.connect(port);
    const second = await SmtpChat.connect(port, '127.0.0.1', '127.0.6.2');
    assert.match(first.greeting, /^220 /);
    assert.match(second.greeting, /^220 /);
    const third = await SmtpChat.connect(port, '127.0.0.1', '127.0.6.3');
    assert.match(third.greeting, /^421 4\.7\.0 Too many connections, try again later/);
    for (const c of [first, second, third]) c.chat.close();
  });
});

test('the session deadline closes a session with 421 4.4.2', async () => {
  await withIngress({ sessionTimeoutMs: 300 }, async (port) => {
    // A raw socket that only listens: the server speaks first (greeting), then the deadline reply, then closes.
    const socket = net.connect({ port, host: '127.0.0.1' });
    let received = '';
    let closed = false;
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (received += d));
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    await waitFor(() => closed, { what: 'the session deadline to close the connection', timeoutMs: 10_000 });
    assert.match(received, /^220 /);
    assert.match(received, /\r\n421 4\.4\.2 Session time limit exceeded/);
  });
});

test('a lock is logged once, as one JSON event without the password', async () => {
  const acct = await createAccount(stack, { name: 'Logged', domain: 'logged.test' });
  const lines: Array<{ event: string; fields: Record<string, unknown> }> = [];
  const capture = (base: Record<string, unknown>): Logger => ({
    info: () => undefined,
    warn: (event, fields) => lines.push({ event, fields: { ...base, ...fields } }),
    error: () => undefined,
    child: (more) => capture({ ...base, ...more }),
  });
  await withIngress(
    {},
    async (port) => {
      const ip = '127.0.7.1';
      for (let i = 1; i <= 5; i++) {
        const { chat } = await SmtpChat.connect(port, '127.0.0.1', ip);
        await chat.send('EHLO client.test');
        await chat.startTls();
        await chat.send('EHLO client.test');
        const reply = await chat.authPlain(acct.username, `secret-guess-${i}`);
        assert.match(reply, i < 4 ? /^535 5\.7\.8 / : /^421 4\.7\.0 .*from this address/);
        chat.close();
      }
      const locks = lines.filter((l) => l.event === 'auth.lockout');
      assert.equal(locks.length, 1);
      assert.equal(locks[0]?.fields.lock, 'ip');
      assert.equal(locks[0]?.fields.clientIp, ip);
      assert.equal(locks[0]?.fields.failures, 4);
      assert.doesNotMatch(JSON.stringify(lines), /secret-guess/);
    },
    capture({}),
  );
});

test('the bounce receiver has the same per-address connection cap', async () => {
  const port = stack.roles.bounce?.port ?? 0;
  const ip = '127.0.8.1';
  const open = await Promise.all([1, 2, 3].map(() => SmtpChat.connect(port, '127.0.0.1', ip)));
  for (const o of open) assert.match(o.greeting, /^220 /);
  const fourth = await SmtpChat.connect(port, '127.0.0.1', ip);
  assert.match(fourth.greeting, /^421 4\.7\.0 Too many connections from this address/);
  for (const c of [...open, fourth]) c.chat.close();
});
