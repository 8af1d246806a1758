import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAccount, type Stack, type TestAccount } from '../helpers/stack.js';
import type { Sink } from '../helpers/destination-sink.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { waitFor } from '../helpers/wait-for.js';
import { finishedMessage, submitMail } from '../helpers/submit.js';
import { verifySignature } from '../../src/webhooks/signature.js';
import type { WebhookPayload } from '../../src/webhooks/payload.js';
import type { DeliveryAttempt } from '../../src/db/webhooks-repo.js';
import { appendEvent } from '../../src/db/messages-repo.js';
import { webhookWorkflowId } from '../../src/workflows/webhook-definitions.js';

// The real path: SMTP submission → workflow → relay → destination; events in message_events → dispatcher (outbox,
// LISTEN/NOTIFY) → webhook workflow on the dev server → POST to a receiver that answers 500 for a while, then 200.
let pipeline: Pipeline;
let stack: Stack;
let sink: Sink;
let acct: TestAccount;
let receiver: http.Server;
let receiverUrl: string;

interface Received {
  status: number;
  body: string;
  signature: string;
}
const received: Received[] = [];
let failing = true;

before(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = failing ? 500 : 200;
      received.push({
        status,
        body: Buffer.concat(chunks).toString('utf8'),
        signature: String(req.headers['x-relay-signature'] ?? ''),
      });
      res.writeHead(status).end(failing ? 'down' : 'ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  // The receiver is on loopback: WEBHOOK_ALLOW_PRIVATE lets webhooks reach it (off by default, see webhook-ssrf.test.ts).
  pipeline = await startPipeline({
    sink: {
      script: (rcpt) => (rcpt.startsWith('unknown@') ? { code: 550, message: '5.1.1 User unknown' } : undefined),
    },
    stack: {
      env: {
        WEBHOOK_RETRY: '200ms,1s',
        WEBHOOK_SCAN_INTERVAL: '1s',
        BOUNCE_SMTP_PORT: '0',
        WEBHOOK_ALLOW_PRIVATE: 'on',
      },
    },
    relays: { count: 1 },
  });
  ({ stack, sink } = pipeline);
  acct = await createAccount(stack, { domain: 'example.com', cidr: '127.0.0.0/8' });
});
after(async () => {
  await pipeline?.close();
  receiver.closeAllConnections();
  await new Promise((r) => receiver.close(r));
});

test('a receiver that fails for a while then recovers gets every event once, in order per message, signed', async () => {
  const created = await stack.api<{ id: string; secret: string; events: string[] }>(
    'POST',
    '/v1/webhooks',
    { url: receiverUrl, events: ['accepted', 'relayed', 'delivered', 'bounced'] },
    acct.apiKey,
  );
  assert.equal(created.status, 201);
  assert.match(created.body.secret, /^whsec_/);
  const secret = created.body.secret;
  const stored = await stack.pool.query<{ secret_enc: string }>('SELECT secret_enc FROM webhooks WHERE id = $1', [
    created.body.id,
  ]);
  assert.ok(!stored.rows[0]!.secret_enc.includes(secret), 'the secret is stored sealed, not in plain text');
  const listed = await stack.api<{ items: Array<Record<string, unknown>> }>(
    'GET',
    '/v1/webhooks',
    undefined,
    acct.apiKey,
  );
  assert.deepEqual(
    listed.body.items.map((w) => w.id),
    [created.body.id],
  );
  assert.ok(
    listed.body.items.every((w) => !('secret' in w) && !('secretEnc' in w)),
    'listings never show the secret',
  );

  const ids = [
    await submitMail(stack, acct, {
      from: 'app@example.com',
      to: 'alice@dest.test',
      subject: 'one',
      text: 'x',
      headers: {
        'X-Relay-Tag': 'welcome',
        'X-Relay-Metadata-User': '42',
        'X-SMTPAPI': '{"unique_args": {"Campaign": "Spring"}}',
      },
    }),
    await submitMail(stack, acct, {
      from: 'app@example.com',
      to: ['unknown@dest.test', 'dave@dest.test'],
      subject: 'two',
      text: 'y',
      headers: { 'X-PM-Tag': 'pm-alias' },
    }),
  ];
  for (const id of ids)
    await waitFor(finishedMessage(stack, acct, id), { timeoutMs: 60_000, what: `message ${id} finished` });
  for (const copy of sink.messages.filter((m) => /Subject: (one|two)\r\n/.test(m.raw.toString()))) {
    assert.doesNotMatch(
      copy.raw.toString(),
      /^(X-Relay-|X-SMTPAPI|X-PM-)/im,
      'control headers never reach the destination',
    );
  }
  // While the receiver is down, attempts pile up with a next retry time.
  const failed = await waitFor(
    async () => {
      const d = await stack.api<{ items: DeliveryAttempt[] }>(
        'GET',
        `/v1/webhooks/${created.body.id}/deliveries`,
        undefined,
        acct.apiKey,
      );
      return d.body.items.filter((a) => !a.ok).length >= 4 ? d.body.items : undefined;
    },
    { timeoutMs: 30_000, what: 'failed attempts recorded' },
  );
  assert.ok(failed.every((a) => a.statusCode === 500 && a.error === 'http 500' && a.nextRetryAt !== null));
  failing = false;

  const expected = await stack.pool.query<{ id: string; message_id: string; type: string }>(
    `SELECT e.id::text AS id, e.message_id, e.type FROM message_events e WHERE e.message_id = ANY($1) AND e.type = ANY($2) ORDER BY e.id`,
    [ids, created.body.events],
  );
  assert.ok(expected.rows.length >= 2 * 3, `events to deliver: ${expected.rows.map((r) => r.type).join(',')}`);
  const okBodies = await waitFor(
    () => {
      const ok = received.filter((r) => r.status === 200);
      return ok.length >= expected.rows.length ? ok : undefined;
    },
    { timeoutMs: 60_000, what: 'every event delivered' },
  );

  const payloads = okBodies.map((r) => {
    assert.ok(
      verifySignature(secret, r.signature, r.body, { nowSeconds: Math.floor(Date.now() / 1000) }),
      'signature verifies',
    );
    assert.ok(
      !verifySignature(secret, r.signature, r.body.replace('"type"', '"typ\u0065" '), {
        nowSeconds: Math.floor(Date.now() / 1000),
      }),
      'a changed body does not',
    );
    return JSON.parse(r.body) as WebhookPayload;
  });
  assert.deepEqual(
    payloads.map((p) => p.id).sort(),
    expected.rows.map((r) => `evt_${r.id}`).sort(),
    'every event exactly once',
  );
  for (const id of ids) {
    const got = payloads.filter((p) => p.messageId === id).map((p) => p.id);
    assert.deepEqual(
      got,
      expected.rows.filter((r) => r.message_id === id).map((r) => `evt_${r.id}`),
      'in order per message',
    );
  }
  const first = payloads.find((p) => p.messageId === ids[0] && p.type === 'delivered')!;
  assert.equal(first.recipient, 'alice@dest.test');
  assert.deepEqual(first.tags, ['welcome']);
  assert.deepEqual(first.metadata, { Campaign: 'Spring', user: '42' });
  assert.ok(!Number.isNaN(Date.parse(first.at)));
  const bounce = payloads.find((p) => p.type === 'bounced')!;
  assert.equal(bounce.recipient, 'unknown@dest.test');
  assert.deepEqual(bounce.tags, ['pm-alias']);

  // The receiver sees a request before the dispatcher records its answer: wait until every answer is recorded.
  const attempts = await waitFor(
    async () => {
      const d = await stack.api<{ items: DeliveryAttempt[] }>(
        'GET',
        `/v1/webhooks/${created.body.id}/deliveries?limit=500`,
        undefined,
        acct.apiKey,
      );
      return d.body.items.filter((a) => a.ok).length >= expected.rows.length ? d.body.items : undefined;
    },
    { timeoutMs: 30_000, what: 'every successful attempt recorded' },
  );
  assert.equal(attempts.filter((a) => a.ok).length, expected.rows.length, 'one successful attempt per event');
  assert.ok(
    attempts.filter((a) => a.ok).every((a) => a.statusCode === 200 && a.nextRetryAt === null && a.error === null),
  );
});

test('a dispatcher that replays the outbox (crash before saving its cursor) makes no duplicate visible', async () => {
  const hooks = await stack.api<{ items: Array<{ id: string }> }>('GET', '/v1/webhooks', undefined, acct.apiKey);
  const hookId = hooks.body.items[0]!.id;
  const before = received.filter((r) => r.status === 200).map((r) => (JSON.parse(r.body) as WebhookPayload).id);
  const messageId = (JSON.parse(received.find((r) => r.status === 200)!.body) as WebhookPayload).messageId;
  // One (webhook, message) workflow is gone (its run ended), so the replay starts a fresh run with no memory.
  await stack.temporal.workflow.getHandle(webhookWorkflowId(hookId, messageId)).terminate('test: forget delivered ids');
  await stack.pool.query(`UPDATE webhook_dispatch_cursor SET last_tx = '0', last_id = 0`);
  await appendEvent(stack.pool, {
    messageId,
    type: 'delivered',
    recipient: 'late@dest.test',
    data: { note: 'after replay' },
    sourceKey: `${messageId}:test-late`,
  });
  // Events of one message go out in order, so once the new event has arrived every replayed one was handled before it.
  await waitFor(() => received.some((r) => r.status === 200 && r.body.includes('late@dest.test')), {
    timeoutMs: 60_000,
    what: 'event after the replay',
  });
  const after = received.filter((r) => r.status === 200).map((r) => (JSON.parse(r.body) as WebhookPayload).id);
  assert.equal(after.length, before.length + 1, 'only the new event was sent');
  assert.equal(new Set(after).size, after.length, 'no event id twice');
});

test('webhook API: validation, account scoping, delete', async () => {
  const bad = await stack.api<{ error: { code: string } }>(
    'POST',
    '/v1/webhooks',
    { url: 'ftp://x', events: ['delivered'] },
    acct.apiKey,
  );
  assert.equal(bad.status, 400);
  const badType = await stack.api<{ error: { code: string } }>(
    'POST',
    '/v1/webhooks',
    { url: receiverUrl, events: ['routed'] },
    acct.apiKey,
  );
  assert.equal(badType.status, 400, 'internal event types cannot be subscribed');
  const own = await stack.api<{ id: string; secret: string }>(
    'POST',
    '/v1/webhooks',
    { url: receiverUrl, events: ['opened'], secret: 'my-own-secret-0123456789' },
    acct.apiKey,
  );
  assert.equal(own.status, 201);
  assert.equal(own.body.secret, 'my-own-secret-0123456789');
  const other = await createAccount(stack, { name: 'Other', domain: 'other.test' });
  assert.equal((await stack.api('GET', `/v1/webhooks/${own.body.id}/deliveries`, undefined, other.apiKey)).status, 404);
  assert.equal((await stack.api('DELETE', `/v1/webhooks/${own.body.id}`, undefined, other.apiKey)).status, 404);
  assert.equal((await stack.api('DELETE', `/v1/webhooks/${own.body.id}`, undefined, acct.apiKey)).status, 204);
  assert.equal((await stack.api('GET', `/v1/webhooks/${own.body.id}`, undefined, acct.apiKey)).status, 404);
  const adminNoAccount = await stack.api('POST', '/v1/webhooks', { url: receiverUrl, events: ['opened'] });
  assert.equal(adminNoAccount.status, 400);
});
