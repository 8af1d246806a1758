import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAccount, type Stack, type TestAccount } from '../helpers/stack.js';
import type { Sink } from '../helpers/destination-sink.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { submitAndFinish } from '../helpers/submit.js';

// The suppression list through its API, and its effect on delivery over the real pipeline.
let pipeline: Pipeline;
let stack: Stack;
let sink: Sink;
let acct: TestAccount;
let other: TestAccount;

interface Item {
  address: string;
  reason: string;
  bounceReason?: string | null;
  evidence?: string | null;
  detail?: string | null;
  sourceMessageId: string | null;
  createdAt: string;
  accountId: string;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}
interface ErrorBody {
  error: { code: string; message: string };
}

before(async () => {
  pipeline = await startPipeline({
    stack: { env: { BOUNCE_SMTP_HOST: '127.0.0.1', BOUNCE_SMTP_PORT: '0' } },
    relays: { count: 1, push: true },
    // The destination refuses two addresses at RCPT TO: one that does not exist, one by its local policy.
    sink: {
      script: (rcpt) =>
        rcpt.toLowerCase() === 'gone@dest.test'
          ? { code: 550, message: '5.1.1 <gone@dest.test>: Recipient address rejected: User unknown' }
          : rcpt.toLowerCase() === 'strict@dest.test'
            ? { code: 550, message: '5.7.1 Message refused by local policy' }
            : undefined,
    },
  });
  ({ stack, sink } = pipeline);
  acct = await createAccount(stack, { name: 'Acme', domain: 'example.com', cidr: '127.0.0.0/8' });
  other = await createAccount(stack, { name: 'Other', domain: 'other.example', cidr: '' });
});
after(() => pipeline?.close());

test('a suppressed recipient gets status suppressed and is never sent; the other recipients are delivered', async () => {
  const added = await stack.api<Item>(
    'POST',
    '/v1/suppressions',
    { address: 'Blocked@dest.test', reason: 'unsubscribe' },
    acct.apiKey,
  );
  assert.equal(added.status, 201);
  assert.equal(added.body.address, 'blocked@dest.test');
  // Another account's list does not affect this account's mail.
  assert.equal((await stack.api('POST', '/v1/suppressions', { address: 'ok@dest.test' }, other.apiKey)).status, 201);

  const { v } = await submitAndFinish(stack, acct, {
    from: 'news@example.com',
    to: 'ok@dest.test',
    cc: 'Blocked@dest.test',
    subject: 'Suppression 1',
    text: 'x',
  });
  const status = Object.fromEntries(v.recipients.map((r) => [r.address, r.status]));
  assert.deepEqual(status, { 'Blocked@dest.test': 'suppressed', 'ok@dest.test': 'delivered' });
  assert.equal(v.status, 'partial');
  const events = v.events.filter((e) => e.type === 'suppressed');
  assert.deepEqual(
    events.map((e) => e.recipient),
    ['Blocked@dest.test'],
  );
  assert.equal((events[0]!.data as { reason: string }).reason, 'unsubscribe');

  const copies = sink.messages.filter((m) => m.raw.includes('Subject: Suppression 1'));
  assert.equal(copies.length, 1);
  assert.deepEqual(copies[0]!.rcptTo, ['ok@dest.test']);
  assert.equal(
    sink.attempts('blocked@dest.test') + sink.attempts('Blocked@dest.test'),
    0,
    'the destination never saw the suppressed address',
  );
});

test('a message whose every recipient is suppressed finishes as suppressed without reaching a relay', async () => {
  const { v } = await submitAndFinish(stack, acct, {
    from: 'news@example.com',
    to: 'blocked@dest.test',
    subject: 'Suppression 2',
    text: 'x',
  });
  assert.equal(v.status, 'suppressed');
  assert.ok(!v.events.some((e) => e.type === 'relayed'), v.events.map((e) => e.type).join(','));
  assert.ok(!sink.messages.some((m) => m.raw.includes('Subject: Suppression 2')));
});

test('the suppression API: create, conflict, search, paging, account scope, delete', async () => {
  const key = acct.apiKey;
  for (const a of ['page1@list.test', 'page2@list.test', 'page3@list.test', 'someone@else.test']) {
    assert.equal((await stack.api('POST', '/v1/suppressions', { address: a }, key)).status, 201);
  }
  const dup = await stack.api<ErrorBody>('POST', '/v1/suppressions', { address: 'PAGE1@list.test' }, key);
  assert.equal(dup.status, 409);
  assert.equal(dup.body.error.code, 'conflict');
  assert.equal(
    (await stack.api<ErrorBody>('POST', '/v1/suppressions', { address: 'not an address' }, key)).body.error.code,
    'invalid_request',
  );
  assert.equal(
    (await stack.api('POST', '/v1/suppressions', { address: 'x@y.test', reason: 'because' }, key)).status,
    400,
  );

  // Search by substring, newest first, paged with a cursor.
  const seen: Item[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: Page } = await stack.api<Page>(
      'GET',
      `/v1/suppressions?q=LIST.test&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      undefined,
      key,
    );
    assert.equal(page.status, 200);
    assert.ok(page.body.items.length <= 2);
    seen.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  assert.deepEqual(
    seen.map((s) => s.address),
    ['page3@list.test', 'page2@list.test', 'page1@list.test'],
  );
  assert.deepEqual(
    seen.map((s) => s.reason),
    ['manual', 'manual', 'manual'],
  );
  assert.ok(
    seen.every(
      (s) => s.accountId === acct.accountId && s.sourceMessageId === null && !Number.isNaN(Date.parse(s.createdAt)),
    ),
  );
  // Wildcards in q are literal.
  assert.deepEqual((await stack.api<Page>('GET', '/v1/suppressions?q=%25', undefined, key)).body.items, []);

  // Scope: an account sees only its own list; the admin names the account.
  const theirs = await stack.api<Page>('GET', '/v1/suppressions', undefined, other.apiKey);
  assert.deepEqual(
    theirs.body.items.map((s) => s.address),
    ['ok@dest.test'],
  );
  assert.equal(
    (await stack.api('GET', `/v1/suppressions?accountId=${acct.accountId}`, undefined, other.apiKey)).status,
    403,
  );
  assert.equal((await stack.api<ErrorBody>('GET', '/v1/suppressions')).status, 400);
  const admin = await stack.api<Page>('GET', `/v1/suppressions?accountId=${other.accountId}`);
  assert.deepEqual(
    admin.body.items.map((s) => s.address),
    ['ok@dest.test'],
  );
  assert.equal((await stack.api('GET', '/v1/suppressions?accountId=acc_nope')).status, 404);
  assert.equal(
    (
      await stack.api('POST', `/v1/suppressions?accountId=${other.accountId}`, {
        address: 'admin-added@dest.test',
        reason: 'manual',
      })
    ).status,
    201,
  );
  assert.equal((await fetch(`${stack.apiUrl}/v1/suppressions`)).status, 401);

  // Delete: 204, then 404; case does not matter.
  assert.equal((await stack.api('DELETE', '/v1/suppressions/Page2@List.test', undefined, key)).status, 204);
  const gone = await stack.api<ErrorBody>('DELETE', '/v1/suppressions/page2@list.test', undefined, key);
  assert.equal(gone.status, 404);
  assert.equal(gone.body.error.code, 'not_found');
  assert.equal(
    (await stack.api('DELETE', `/v1/suppressions/admin-added@dest.test?accountId=${other.accountId}`)).status,
    204,
  );
  assert.ok(
    !(await stack.api<Page>('GET', '/v1/suppressions?q=page', undefined, key)).body.items.some(
      (s) => s.address === 'page2@list.test',
    ),
  );
});

test('removing an address from the list lets later mail through again', async () => {
  assert.equal((await stack.api('POST', '/v1/suppressions', { address: 'back@dest.test' }, acct.apiKey)).status, 201);
  assert.equal((await stack.api('DELETE', '/v1/suppressions/back@dest.test', undefined, acct.apiKey)).status, 204);
  const { v } = await submitAndFinish(stack, acct, {
    from: 'news@example.com',
    to: 'back@dest.test',
    subject: 'Suppression 3',
    text: 'x',
  });
  assert.equal(v.status, 'delivered');
});

async function listed(address: string): Promise<Item | undefined> {
  const page = await stack.api<Page>(
    'GET',
    `/v1/suppressions?q=${encodeURIComponent(address)}`,
    undefined,
    acct.apiKey,
  );
  return page.body.items.find((s) => s.address === address);
}

test('a user-unknown bounce suppresses at once, with its reason and the reply as evidence', async () => {
  const { v } = await submitAndFinish(stack, acct, {
    from: 'news@example.com',
    to: 'gone@dest.test',
    subject: 'Suppression 4',
    text: 'x',
  });
  assert.equal(v.status, 'bounced');
  const entry = await listed('gone@dest.test');
  assert.ok(entry, 'listed after one bounce');
  assert.equal(entry.reason, 'hard-bounce');
  assert.equal(entry.bounceReason, 'userunknown');
  assert.match(entry.evidence ?? '', /User unknown/);
  assert.match(entry.detail ?? '', /first bounce/);
});

test('a policy refusal suppresses only when it repeats: once is not enough, twice is', async () => {
  const first = await submitAndFinish(stack, acct, {
    from: 'news@example.com',
    to: 'strict@dest.test',
    subject: 'Suppression 5',
    text: 'x',
  });
  assert.equal(first.v.status, 'bounced');
  assert.equal(first.v.recipients[0]?.bounce?.reason, 'policyviolation');
  assert.equal(await listed('strict@dest.test'), undefined, 'one policy refusal does not suppress');

  const second = await submitAndFinish(stack, acct, {
    from: 'news@example.com',
    to: 'strict@dest.test',
    subject: 'Suppression 6',
    text: 'x',
  });
  assert.equal(second.v.status, 'bounced');
  const entry = await listed('strict@dest.test');
  assert.ok(entry, 'two policy refusals within the window suppress');
  assert.equal(entry.bounceReason, 'policyviolation');
  assert.match(entry.evidence ?? '', /local policy/);
  assert.match(entry.detail ?? '', /2 of 2 failures in 30d/);
  assert.equal(entry.sourceMessageId, second.id);

  // and the next message to it is not sent
  const third = await submitAndFinish(stack, acct, {
    from: 'news@example.com',
    to: 'strict@dest.test',
    subject: 'Suppression 7',
    text: 'x',
  });
  assert.equal(third.v.status, 'suppressed');
  assert.equal(sink.attempts('strict@dest.test'), 2);
});
