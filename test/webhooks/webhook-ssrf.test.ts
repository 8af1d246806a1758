import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAccount, startStack, type Stack, type TestAccount } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait-for.js';
import { appendEvent } from '../../src/db/messages-repo.js';
import type { DeliveryAttempt } from '../../src/db/webhooks-repo.js';

// The service as configured by default (WEBHOOK_ALLOW_PRIVATE off): webhook URLs cannot point into its own network.
// Internal IP literals are refused at registration; a name resolving to loopback (localhost) is accepted there but
// refused at every delivery attempt, before any connection; the account sees "blocked address", never socket errors.
let stack: Stack;
let acct: TestAccount;
let receiver: http.Server;
let port: number;
let hits = 0;

before(async () => {
  receiver = http.createServer((_req, res) => {
    hits++;
    res.writeHead(200).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  port = (receiver.address() as AddressInfo).port;
  stack = await startStack({
    roles: ['worker', 'api'],
    env: { WEBHOOK_RETRY: '200ms,1s', WEBHOOK_SCAN_INTERVAL: '1s' },
  });
  acct = await createAccount(stack, { domain: 'example.com' });
});
after(async () => {
  await stack.close();
  receiver.closeAllConnections();
  await new Promise((r) => receiver.close(r));
});

test('registration refuses internal IP literals in every spelling with a 400 that says why', async () => {
  assert.equal(stack.config.WEBHOOK_ALLOW_PRIVATE, 'off', 'off by default');
  const hosts = [
    '127.0.0.1',
    '169.254.169.254',
    '10.0.0.1',
    '192.168.0.10',
    '172.16.5.4',
    '100.64.1.1',
    '0.0.0.0',
    '2130706433',
    '0x7f000001',
    '0177.0.0.1',
    '127.1',
    '[::1]',
    '[::ffff:127.0.0.1]',
    '[::ffff:169.254.169.254]',
    '[fd00::1]',
    '[fe80::1]',
    '[64:ff9b::a00:1]',
    '[2002:a9fe:a9fe::1]',
  ];
  for (const host of hosts) {
    const res = await stack.api<{ error: { code: string; message: string } }>(
      'POST',
      '/v1/webhooks',
      { url: `http://${host}:${port}/hook`, events: ['delivered'] },
      acct.apiKey,
    );
    assert.equal(res.status, 400, host);
    assert.equal(res.body.error.code, 'invalid_request', host);
    assert.match(
      res.body.error.message,
      /^url: host \S+ is an internal address \([a-z-]+\): webhooks are delivered to public addresses only$/,
      host,
    );
  }
  const metadata = await stack.api<{ error: { message: string } }>(
    'POST',
    '/v1/webhooks',
    { url: 'http://169.254.169.254/latest/meta-data/', events: ['delivered'] },
    acct.apiKey,
  );
  assert.match(metadata.body.error.message, /169\.254\.169\.254 is an internal address \(link-local\)/);
  const listed = await stack.api<{ items: unknown[] }>('GET', '/v1/webhooks', undefined, acct.apiKey);
  assert.deepEqual(listed.body.items, [], 'nothing was stored');
});

test('a name resolving to loopback is refused at delivery: "blocked address", no connection, no socket error text', async () => {
  const created = await stack.api<{ id: string }>(
    'POST',
    '/v1/webhooks',
    { url: `http://localhost:${port}/hook`, events: ['delivered'] },
    acct.apiKey,
  );
  assert.equal(created.status, 201, 'a name is accepted at registration: it is checked when delivering');
  await stack.pool.query(
    `INSERT INTO messages (id, account_id, mail_from, envelope_rcpts, raw, size, client_ip, submitted_at) VALUES ('m-ssrf', $1, 'a@example.com', '{}', '\\x00', 1, '127.0.0.1', now())`,
    [acct.accountId],
  );
  await appendEvent(stack.pool, {
    messageId: 'm-ssrf',
    type: 'delivered',
    recipient: 'r@dest.test',
    sourceKey: 'm-ssrf:delivered',
  });
  const attempts = await waitFor(
    async () => {
      const d = await stack.api<{ items: DeliveryAttempt[] }>(
        'GET',
        `/v1/webhooks/${created.body.id}/deliveries`,
        undefined,
        acct.apiKey,
      );
      return d.body.items.length >= 2 ? d.body.items : undefined;
    },
    { timeoutMs: 30_000, what: 'two failed attempts' },
  );
  for (const a of attempts) assert.deepEqual([a.ok, a.statusCode, a.error], [false, null, 'blocked address']);
  assert.equal(hits, 0, 'the loopback receiver was never connected to');
});

test('attempts recorded with raw error text (before errors were classified) are listed as a generic failure', async () => {
  const created = await stack.api<{ id: string }>(
    'POST',
    '/v1/webhooks',
    { url: 'https://hooks.invalid/in', events: ['complained'] },
    acct.apiKey,
  );
  await stack.pool.query(
    `INSERT INTO webhook_deliveries (webhook_id, event_id, message_id, attempt, ok, status_code, error) VALUES
       ($1, 1, 'm-ssrf', 1, false, null, 'fetch failed: connect ECONNREFUSED 10.0.0.7:5432'),
       ($1, 1, 'm-ssrf', 2, false, 502, 'HTTP 502 (retry window over: given up)')`,
    [created.body.id],
  );
  const d = await stack.api<{ items: DeliveryAttempt[] }>(
    'GET',
    `/v1/webhooks/${created.body.id}/deliveries`,
    undefined,
    acct.apiKey,
  );
  assert.deepEqual(
    d.body.items.map((a) => a.error),
    ['http 502 (retry window over: given up)', 'connection failed'],
  );
});
