import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { createAccount, startStack, type Stack, type TestAccount } from '../helpers/stack.js';
import { openSubmission } from '../helpers/smtp-chat.js';

// The REST API: validation errors are clear JSON, unknown ids are 404, accounts see only their own messages.
let stack: Stack;
let a: TestAccount;
let b: TestAccount;
let messageOfA: string;

type ErrorBody = { error: { code: string; message: string } };

before(async () => {
  stack = await startStack({ roles: ['ingress', 'api'] });
  a = await createAccount(stack, { name: 'A', domain: 'a.test', cidr: '127.0.0.0/8' });
  b = await createAccount(stack, { name: 'B', domain: 'b.test', cidr: '127.0.0.0/8' });
  const chat = await openSubmission(stack.submissionPort, a.username, a.password);
  await chat.send('MAIL FROM:<x@a.test>');
  await chat.send('RCPT TO:<r@dest.test>');
  await chat.send('DATA');
  messageOfA = /queued as (\w+)/.exec(
    await chat.send('From: x@a.test\r\nTo: r@dest.test\r\nSubject: iso\r\n\r\nhi\r\n.'),
  )![1]!;
  chat.close();
});
after(async () => {
  await stack.close();
});

test('health and readiness', async () => {
  assert.equal((await fetch(`${stack.apiUrl}/healthz`)).status, 200);
  const ready = await fetch(`${stack.apiUrl}/readyz`);
  assert.equal(ready.status, 200);
  assert.deepEqual(((await ready.json()) as { checks: Record<string, boolean> }).checks, {
    database: true,
    temporal: true,
    smtp: true,
  });
});

test('an account key sees its own message; another account gets 404, not a hint that it exists', async () => {
  const own = await stack.api<{ id: string; subject: string; recipients: unknown[] }>(
    'GET',
    `/v1/messages/${messageOfA}`,
    undefined,
    a.apiKey,
  );
  assert.equal(own.status, 200);
  assert.equal(own.body.subject, 'iso');
  const other = await stack.api<ErrorBody>('GET', `/v1/messages/${messageOfA}`, undefined, b.apiKey);
  assert.equal(other.status, 404);
  assert.equal(other.body.error.code, 'not_found');
  const listB = await stack.api<{ items: unknown[] }>('GET', '/v1/messages', undefined, b.apiKey);
  assert.deepEqual(listB.body.items, []);
  const listA = await stack.api<{ items: Array<{ id: string }>; nextCursor: string | null }>(
    'GET',
    '/v1/messages?limit=1',
    undefined,
    a.apiKey,
  );
  assert.deepEqual(
    listA.body.items.map((m) => m.id),
    [messageOfA],
  );
  assert.equal(listA.body.nextCursor, null);
  // Account keys cannot use admin routes.
  const forbidden = await stack.api<ErrorBody>('POST', '/v1/accounts', { name: 'x' }, a.apiKey);
  assert.equal(forbidden.status, 403);
});

test('authentication errors are JSON 401', async () => {
  const res = await stack.api<ErrorBody>('GET', '/v1/messages', undefined, 'rk_not_a_key');
  assert.equal(res.status, 401);
  assert.equal(res.body.error.code, 'unauthorized');
});

test('invalid input is refused with a JSON error naming the field, and changes nothing', async () => {
  const noName = await stack.api<ErrorBody>('POST', '/v1/accounts', {});
  assert.equal(noName.status, 400);
  assert.equal(noName.body.error.code, 'invalid_request');
  assert.match(noName.body.error.message, /name/);
  const badCidr = await stack.api<ErrorBody>('POST', `/v1/accounts/${a.accountId}/allowed-ips`, { cidr: '10.0.0.1/8' });
  assert.equal(badCidr.status, 400);
  assert.match(badCidr.body.error.message, /did you mean 10\.0\.0\.0\/8/);
  const badDomain = await stack.api<ErrorBody>('POST', `/v1/accounts/${a.accountId}/sender-domains`, {
    domain: 'not a domain',
  });
  assert.equal(badDomain.status, 400);
  const badJson = await stack.api<ErrorBody>('POST', '/v1/accounts', '{"name":');
  assert.equal(badJson.status, 400);
  assert.equal(badJson.body.error.code, 'invalid_json');
  const badStatus = await stack.api<ErrorBody>('GET', '/v1/messages?status=lost');
  assert.equal(badStatus.status, 400);
  const { rows } = await stack.pool.query("SELECT count(*)::int AS n FROM allowed_ips WHERE cidr LIKE '10.%'");
  assert.equal(rows[0].n, 0);
});

test('a request too large or malformed for the HTTP parser still gets a documented JSON error', async () => {
  // a request line over Node's 16 KiB limit never reaches a route: RFC 6585's 431, in the API's error shape
  const long = await fetch(`${stack.apiUrl}/v1/messages/${'%F0%9F%8F%BB'.repeat(2000)}`, {
    headers: { authorization: `Bearer ${stack.adminKey}` },
  });
  assert.equal(long.status, 431);
  assert.match(long.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(((await long.json()) as ErrorBody).error.code, 'too_large');
  // ... and the document says every route may answer so
  const doc = (await (await fetch(`${stack.apiUrl}/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  };
  const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
  assert.ok(operations.length > 0);
  assert.deepEqual(
    operations.filter((o) => !o.responses['431']),
    [],
  );
  // a request line that is no HTTP at all: 400 in the same shape
  const raw = await rawExchange(new URL(stack.apiUrl), 'NOT HTTP\r\n\r\n');
  assert.match(raw, /^HTTP\/1\.1 400 /);
  assert.equal((JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as ErrorBody).error.code, 'invalid_request');
});

/** What the server answers to bytes written on a fresh connection, read until it closes. */
function rawExchange(url: URL, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => socket.write(bytes));
    let got = '';
    socket.on('data', (d: Buffer) => (got += d.toString()));
    socket.on('end', () => resolve(got));
    socket.on('error', reject);
  });
}

test('unknown ids and routes answer 404', async () => {
  assert.equal((await stack.api('GET', '/v1/messages/nonexistent')).status, 404);
  assert.equal((await stack.api('POST', '/v1/accounts/acc_missing/api-keys', {})).status, 404);
  assert.equal((await stack.api('DELETE', '/v1/trust-zones/tz_missing')).status, 404);
  assert.equal((await stack.api('GET', '/v1/nothing-here')).status, 404);
});

test('IPv6 networks are accepted; overlapping IP credentials of two accounts are refused with 409', async () => {
  assert.equal(
    (await stack.api('POST', `/v1/accounts/${a.accountId}/allowed-ips`, { cidr: '2001:db8::/32' })).status,
    201,
  );
  assert.equal((await stack.api('POST', `/v1/accounts/${a.accountId}/allowed-ips`, { cidr: '0.0.0.0/0' })).status, 201);
  assert.equal(
    (await stack.api('POST', `/v1/accounts/${a.accountId}/ip-credentials`, { cidr: '192.0.2.0/24' })).status,
    201,
  );
  const clash = await stack.api<ErrorBody>('POST', `/v1/accounts/${b.accountId}/ip-credentials`, {
    cidr: '192.0.2.128/25',
  });
  assert.equal(clash.status, 409);
  assert.match(clash.body.error.message, /overlaps 192\.0\.2\.0\/24/);
  assert.equal(
    (await stack.api('POST', `/v1/accounts/${b.accountId}/ip-credentials`, { cidr: '198.51.100.0/24' })).status,
    201,
  );
});

test('SMTP passwords and API keys are stored only as hashes', async () => {
  const { rows } = await stack.pool.query('SELECT password_hash FROM smtp_credentials WHERE username = $1', [
    a.username,
  ]);
  assert.match(rows[0].password_hash, /^hmac256\$/);
  assert.ok(!rows[0].password_hash.includes(a.password));
  const keys = await stack.pool.query('SELECT key_hash FROM api_keys');
  assert.ok(keys.rows.every((r) => /^[0-9a-f]{64}$/.test(r.key_hash) && r.key_hash !== a.apiKey));
});
