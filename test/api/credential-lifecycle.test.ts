import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createAccount, startStack, type Stack, type TestAccount } from '../helpers/stack.js';
import { killHard, spawnTs, waitForLogEvent } from '../helpers/processes.js';
import { ensureAdminKey } from '../../src/runtime/bootstrap.js';

// Revoking API keys and the other account items through the admin API, created/last-used times, and rotation of the
// admin key by ADMIN_API_KEY (the old key fails at once; a configured key is never printed).
let stack: Stack;
let a: TestAccount;
let b: TestAccount;

type ErrorBody = { error: { code: string; message: string } };
type KeyItem = { id: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };

before(async () => {
  stack = await startStack({ roles: ['api'] });
  a = await createAccount(stack, { name: 'A', domain: 'a.test', cidr: '127.0.0.0/8' });
  b = await createAccount(stack, { name: 'B', domain: 'b.test', cidr: '127.0.0.0/8' });
});
after(async () => {
  await stack.close();
});

const keysOf = async (accountId: string): Promise<KeyItem[]> => {
  const res = await stack.api<{ items: KeyItem[] }>('GET', `/v1/accounts/${accountId}/api-keys`);
  assert.equal(res.status, 200);
  return res.body.items;
};

test('an API key lists created-at and last-used-at; revoked, it gets 401 at its next request', async () => {
  const created = await stack.api<{ id: string; key: string }>('POST', `/v1/accounts/${a.accountId}/api-keys`, {});
  assert.equal(created.status, 201);
  const before = (await keysOf(a.accountId)).find((k) => k.id === created.body.id);
  assert.ok(before);
  assert.ok(!Number.isNaN(Date.parse(before.createdAt)));
  assert.equal(before.lastUsedAt, null);
  assert.equal(before.revokedAt, null);

  assert.equal((await stack.api('GET', '/v1/messages', undefined, created.body.key)).status, 200);
  const used = (await keysOf(a.accountId)).find((k) => k.id === created.body.id);
  assert.ok(used?.lastUsedAt, 'lastUsedAt is set by the first use');
  assert.ok(Date.parse(used.lastUsedAt) >= Date.parse(used.createdAt));

  // Account isolation: under another account's path the key is unknown; an account key may not revoke at all.
  const viaB = await stack.api<ErrorBody>('DELETE', `/v1/accounts/${b.accountId}/api-keys/${created.body.id}`);
  assert.equal(viaB.status, 404);
  assert.equal(viaB.body.error.code, 'not_found');
  const byB = await stack.api<ErrorBody>(
    'DELETE',
    `/v1/accounts/${a.accountId}/api-keys/${created.body.id}`,
    undefined,
    b.apiKey,
  );
  assert.equal(byB.status, 403);
  assert.equal((await stack.api('GET', '/v1/messages', undefined, created.body.key)).status, 200);

  const del = await stack.api('DELETE', `/v1/accounts/${a.accountId}/api-keys/${created.body.id}`);
  assert.equal(del.status, 204);
  const after = await stack.api<ErrorBody>('GET', '/v1/messages', undefined, created.body.key);
  assert.equal(after.status, 401);
  assert.equal(after.body.error.code, 'unauthorized');
  const listed = (await keysOf(a.accountId)).find((k) => k.id === created.body.id);
  assert.ok(listed?.revokedAt, 'a revoked key stays listed with revokedAt, for audit');
  // The account's other key is untouched.
  assert.equal((await stack.api('GET', '/v1/messages', undefined, a.apiKey)).status, 200);
});

test('DELETE of an unknown item, or one under another account, is a 404 JSON error', async () => {
  const aip = await stack.api<{ id: string }>('POST', `/v1/accounts/${a.accountId}/allowed-ips`, {
    cidr: '127.0.0.0/8',
  });
  const ipc = await stack.api<{ id: string }>('POST', `/v1/accounts/${a.accountId}/ip-credentials`, {
    cidr: '192.0.2.7/32',
  });
  const paths = [
    `/v1/accounts/${b.accountId}/api-keys/key_unknown`,
    `/v1/accounts/${b.accountId}/smtp-credentials/${a.username}`,
    `/v1/accounts/${b.accountId}/ip-credentials/${ipc.body.id}`,
    `/v1/accounts/${b.accountId}/sender-domains/a.test`,
    `/v1/accounts/${b.accountId}/allowed-ips/${aip.body.id}`,
    `/v1/accounts/acc_unknown/api-keys/key_unknown`,
    `/v1/trust-zones/tz_unknown`,
  ];
  for (const p of paths) {
    const res = await stack.api<ErrorBody>('DELETE', p);
    assert.equal(res.status, 404, p);
    assert.equal(res.body.error.code, 'not_found', p);
  }
  // Nothing of A's was touched by those attempts.
  const creds = await stack.api<{ items: Array<{ username: string; revokedAt: string | null }> }>(
    'GET',
    `/v1/accounts/${a.accountId}/smtp-credentials`,
  );
  assert.equal(creds.body.items.find((c) => c.username === a.username)?.revokedAt, null);
  const ipcs = await stack.api<{ items: Array<{ id: string; revokedAt: string | null }> }>(
    'GET',
    `/v1/accounts/${a.accountId}/ip-credentials`,
  );
  assert.equal(ipcs.body.items.find((c) => c.id === ipc.body.id)?.revokedAt, null);
  assert.equal((await stack.api('DELETE', `/v1/accounts/${a.accountId}/ip-credentials/${ipc.body.id}`)).status, 204);
  assert.equal((await stack.api('DELETE', `/v1/accounts/${a.accountId}/allowed-ips/${aip.body.id}`)).status, 204);
  assert.equal((await stack.api('DELETE', `/v1/accounts/${a.accountId}/allowed-ips/${aip.body.id}`)).status, 404);
});

test('restarting the API role with a new ADMIN_API_KEY revokes the old admin key and never prints the new one', async () => {
  const k1 = stack.adminKey;
  const k2 = `rk_admin_rotated_${crypto.randomBytes(16).toString('hex')}`;
  assert.equal((await stack.api('GET', '/v1/accounts/' + a.accountId, undefined, k1)).status, 200);

  const child = spawnTs('src/run-role.ts', ['api'], { ...stack.env, ADMIN_API_KEY: k2, LOG_LEVEL: 'debug' });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  try {
    await waitForLogEvent(child, 'role.ready');
  } finally {
    await killHard(child);
  }
  assert.match(output, /"event":"role.ready"/, 'the startup output was captured');
  assert.ok(!output.includes(k2), 'the configured admin key appears nowhere in the startup output');

  const old = await stack.api<ErrorBody>('GET', '/v1/accounts/' + a.accountId, undefined, k1);
  assert.equal(old.status, 401);
  assert.equal((await stack.api('GET', '/v1/accounts/' + a.accountId, undefined, k2)).status, 200);

  // Configuring the same key again changes nothing and returns nothing to print.
  assert.deepEqual(await ensureAdminKey(stack.pool, k2), { generated: false, revoked: 0 });
  const admins = await stack.pool.query(
    'SELECT count(*)::int AS n FROM api_keys WHERE account_id IS NULL AND revoked_at IS NULL',
  );
  assert.equal(admins.rows[0].n, 1);
});
