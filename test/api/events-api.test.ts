import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAccount, startStack, type Stack, type TestAccount } from '../helpers/stack.js';
import { submitMail } from '../helpers/submit.js';
import { appendEvent } from '../../src/db/messages-repo.js';
import type { MessageView } from '../../src/db/message-queries.js';

// Events, stats and message filters over the real API and database. Delivery itself is not under test here (no
// worker): the later events are written the way the pipeline writes them (appendEvent), with chosen times.
let stack: Stack;
let a: TestAccount;
let b: TestAccount;
let m1: string;
let m2: string;
let mB: string;

interface EventItem {
  id: string;
  type: string;
  messageId: string;
  recipient: string | null;
  at: string;
  data: Record<string, unknown>;
  tags: string[];
  metadata: Record<string, string>;
}
type Page = { items: EventItem[]; nextCursor: string | null };

before(async () => {
  stack = await startStack({ roles: ['ingress', 'api'], env: { BOUNCE_SMTP_PORT: '0' } });
  a = await createAccount(stack, { name: 'A', domain: 'a.test' });
  b = await createAccount(stack, { name: 'B', domain: 'b.test' });
  m1 = await submitMail(stack, a, {
    from: 'app@a.test',
    to: ['r1@dest.test', 'r2@dest.test'],
    subject: 'm1',
    text: 'x',
    headers: {
      'X-Relay-Tag': 'welcome, onboarding',
      'X-Relay-Metadata-UserId': '42',
      'X-Relay-Track': 'opens',
      'X-Mailgun-Variables': '{"plan": "pro"}',
    },
  });
  m2 = await submitMail(stack, a, {
    from: 'app@a.test',
    to: 'r3@dest.test',
    subject: 'm2',
    text: 'y',
    headers: { 'X-PM-Tag': 'receipt', 'X-PM-Metadata-userid': '7' },
  });
  mB = await submitMail(stack, b, { from: 'app@b.test', to: 'z@dest.test', subject: 'mB', text: 'z' });
  // Day 1 (2026-01-05): m1 relayed to both, delivered to both, one open (twice), one click; an internal step too.
  const day1 = '2026-01-05T10:00:00Z',
    day2 = '2026-01-06T09:30:00Z';
  const ev = (
    messageId: string,
    type: string,
    recipient: string | null,
    at: string,
    data: Record<string, unknown> = {},
  ) =>
    stack.pool.query('INSERT INTO message_events (message_id, type, recipient, data, at) VALUES ($1, $2, $3, $4, $5)', [
      messageId,
      type,
      recipient,
      JSON.stringify(data),
      at,
    ]);
  await ev(m1, 'routed', null, day1, { pool: 'default' });
  await ev(m1, 'relayed', null, day1, { recipients: ['r1@dest.test', 'r2@dest.test'] });
  await ev(m1, 'delivered', 'r1@dest.test', day1);
  await ev(m1, 'delivered', 'r2@dest.test', day1);
  await ev(m1, 'opened', 'r1@dest.test', day1);
  await ev(m1, 'opened', 'r1@dest.test', day1);
  await ev(m1, 'clicked', 'r2@dest.test', day1, { url: 'https://a.test/x' });
  // Day 2: m2 relayed, deferred twice, bounced; mB (another account) delivered.
  await ev(m2, 'relayed', null, day2, { recipients: ['r3@dest.test'] });
  await ev(m2, 'deferred', 'r3@dest.test', day2);
  await ev(m2, 'deferred', 'r3@dest.test', day2);
  await ev(m2, 'bounced', 'r3@dest.test', day2, { smtpCode: 550 });
  await appendEvent(stack.pool, { messageId: mB, type: 'delivered', recipient: 'z@dest.test' });
});
after(async () => {
  await stack.close();
});

test('tags, metadata and tracking overrides from the submission headers are on the message', async () => {
  const v = (await stack.api<MessageView>('GET', `/v1/messages/${m1}`, undefined, a.apiKey)).body;
  assert.deepEqual(v.tags, ['welcome', 'onboarding']);
  assert.deepEqual(v.metadata, { userid: '42', plan: 'pro' });
  assert.deepEqual(v.track, { opens: true, clicks: false });
  const v2 = (await stack.api<MessageView>('GET', `/v1/messages/${m2}`, undefined, a.apiKey)).body;
  assert.deepEqual([v2.tags, v2.metadata, v2.track], [['receipt'], { userid: '7' }, { opens: null, clicks: null }]);
  const raw = await stack.pool.query<{ raw: Buffer }>('SELECT raw FROM messages WHERE id = $1', [m1]);
  assert.doesNotMatch(raw.rows[0]!.raw.toString(), /^X-(Relay|Mailgun)-/im, 'stored without control headers');
});

test('GET /v1/messages filters by tag and by metadata', async () => {
  const ids = async (q: string, key = a.apiKey) =>
    (await stack.api<{ items: Array<{ id: string }> }>('GET', `/v1/messages${q}`, undefined, key)).body.items.map(
      (m) => m.id,
    );
  assert.deepEqual(await ids('?tag=onboarding'), [m1]);
  assert.deepEqual(await ids('?tag=receipt'), [m2]);
  assert.deepEqual(await ids('?metadata[userid]=42'), [m1]);
  assert.deepEqual(await ids('?metadata.userid=7'), [m2]);
  assert.deepEqual(await ids('?metadata[userid]=42&metadata[plan]=pro&tag=welcome'), [m1]);
  assert.deepEqual(await ids('?metadata[userid]=42&metadata[plan]=free'), []);
  assert.deepEqual(await ids('?tag=welcome', b.apiKey), [], 'account-scoped');
  assert.equal(
    (await stack.api('GET', '/v1/messages?tag=a&tag=b', undefined, a.apiKey)).status,
    400,
    'one tag filter at a time',
  );
});

test('GET /v1/messages/:id/events: public types for the account, everything for the admin; 404 across accounts', async () => {
  const own = await stack.api<{ items: Array<{ type: string; recipient: string | null; at: string; data: unknown }> }>(
    'GET',
    `/v1/messages/${m1}/events`,
    undefined,
    a.apiKey,
  );
  assert.equal(own.status, 200);
  assert.deepEqual(
    own.body.items.map((e) => e.type),
    ['accepted', 'relayed', 'delivered', 'delivered', 'opened', 'opened', 'clicked'],
  );
  assert.equal(own.body.items[2]!.recipient, 'r1@dest.test');
  assert.deepEqual(own.body.items[6]!.data, { url: 'https://a.test/x' });
  const admin = await stack.api<{ items: Array<{ type: string }> }>('GET', `/v1/messages/${m1}/events`);
  assert.ok(
    admin.body.items.some((e) => e.type === 'routed'),
    'the admin sees internal steps',
  );
  assert.equal((await stack.api('GET', `/v1/messages/${m1}/events`, undefined, b.apiKey)).status, 404);
});

test('GET /v1/events: account feed with type and since filters and a cursor', async () => {
  const all = await stack.api<Page>('GET', '/v1/events?limit=1000', undefined, a.apiKey);
  assert.ok(
    all.body.items.every((e) => e.messageId === m1 || e.messageId === m2),
    "only the account's own messages",
  );
  assert.ok(all.body.items.every((e) => e.type !== 'routed'));
  const bounced = await stack.api<Page>('GET', '/v1/events?type=bounced,deferred', undefined, a.apiKey);
  assert.deepEqual(
    bounced.body.items.map((e) => e.type),
    ['deferred', 'deferred', 'bounced'],
  );
  assert.deepEqual(bounced.body.items[2]!.tags, ['receipt']);
  assert.deepEqual(bounced.body.items[2]!.metadata, { userid: '7' });
  // Paging: oldest first, 3 at a time, the pages together are the whole feed.
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: Page } = await stack.api<Page>(
      'GET',
      `/v1/events?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      undefined,
      a.apiKey,
    );
    seen.push(...page.body.items.map((e) => e.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  assert.deepEqual(
    seen,
    all.body.items.map((e) => e.id),
  );
  const since = await stack.api<Page>('GET', '/v1/events?since=2026-01-06T00:00:00Z&type=relayed', undefined, a.apiKey);
  assert.deepEqual(
    since.body.items.map((e) => e.messageId),
    [m2],
  );
  assert.equal(
    (await stack.api('GET', '/v1/events?type=routed', undefined, a.apiKey)).status,
    400,
    'internal types are for the admin',
  );
  assert.equal((await stack.api('GET', '/v1/events?since=yesterday', undefined, a.apiKey)).status, 400);
  const adminAll = await stack.api<Page>('GET', '/v1/events?type=delivered&limit=1000');
  assert.ok(
    adminAll.body.items.some((e) => e.messageId === mB),
    'the admin sees every account',
  );
});

test('a paging cursor that is no row id, or one beyond what a database can hold, is a 400 on every feed', async () => {
  // 2^63 - 1 is the largest bigint: one more is no row id, though it has the 19 digits a cursor may have.
  const hook = await stack.api<{ id: string }>(
    'POST',
    '/v1/webhooks',
    { url: 'https://hooks.example.com/relay', events: ['bounced'] },
    a.apiKey,
  );
  assert.equal(hook.status, 201);
  for (const feed of ['/v1/events', '/v1/suppressions', `/v1/webhooks/${hook.body.id}/deliveries`]) {
    const last = await stack.api<unknown>('GET', `${feed}?cursor=9223372036854775807`, undefined, a.apiKey);
    assert.equal(last.status, 200, `${feed}: the largest row id is a cursor`);
    for (const cursor of ['9223372036854775808', 'null', '-1']) {
      const bad = await stack.api<{ error: { message: string } }>(
        'GET',
        `${feed}?cursor=${cursor}`,
        undefined,
        a.apiKey,
      );
      assert.equal(bad.status, 400, `${feed}?cursor=${cursor}`);
      assert.match(bad.body.error.message, /cursor/, feed);
    }
  }
});

test('GET /v1/stats: per-day counts of each public type and the rates', async () => {
  const res = await stack.api<{
    items: Array<{ start: string; counts: Record<string, number>; rates: Record<string, number | null> }>;
    totals: { counts: Record<string, number> };
  }>('GET', '/v1/stats?from=2026-01-05T00:00:00Z&to=2026-01-07T00:00:00Z&interval=day', undefined, a.apiKey);
  assert.equal(res.status, 200);
  assert.deepEqual(
    res.body.items.map((i) => i.start),
    ['2026-01-05T00:00:00.000Z', '2026-01-06T00:00:00.000Z'],
  );
  const [d1, d2] = res.body.items;
  assert.deepEqual(d1!.counts, {
    accepted: 0,
    relayed: 2,
    delivered: 2,
    deferred: 0,
    bounced: 0,
    failed: 0,
    suppressed: 0,
    sandboxed: 0,
    opened: 1,
    clicked: 1,
    complained: 0,
  });
  assert.deepEqual(d1!.rates, { delivered: 1, bounce: 0, open: 0.5, click: 0.5, complaint: 0 });
  assert.deepEqual(d2!.counts, {
    accepted: 0,
    relayed: 1,
    delivered: 0,
    deferred: 2,
    bounced: 1,
    failed: 0,
    suppressed: 0,
    sandboxed: 0,
    opened: 0,
    clicked: 0,
    complained: 0,
  });
  assert.deepEqual(d2!.rates, { delivered: 0, bounce: 1, open: null, click: null, complaint: null });
  const hourly = await stack.api<{ items: unknown[] }>(
    'GET',
    '/v1/stats?from=2026-01-05T00:00:00Z&to=2026-01-06T00:00:00Z&interval=hour',
    undefined,
    a.apiKey,
  );
  assert.equal(hourly.body.items.length, 24);
  assert.equal(
    (await stack.api('GET', '/v1/stats?from=2026-01-07T00:00:00Z&to=2026-01-05T00:00:00Z', undefined, a.apiKey)).status,
    400,
  );
  assert.equal(
    (
      await stack.api(
        'GET',
        '/v1/stats?from=2020-01-01T00:00:00Z&to=2026-01-05T00:00:00Z&interval=hour',
        undefined,
        a.apiKey,
      )
    ).status,
    400,
  );
});
