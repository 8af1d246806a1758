import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendEvent, insertAcceptedMessage, insertRecipients } from '../../src/db/messages-repo.js';
import { newMessageId } from '../../src/ids.js';
import { signToken, trackingKeys, type TrackingToken } from '../../src/tracking/tokens.js';
import { createAccount, startStack, type Stack, type TestAccount } from '../helpers/stack.js';

// Abuse limits of the tracking endpoints on a real api (real HTTP, real PostgreSQL): repeated hits on one token make
// one event (the one webhooks see) and a count; a burst beyond the per-token rate writes nothing more; an expired
// token still redirects but records nothing. The api runs with the default limits: 10 hits per token per minute,
// tokens valid for 90 days.

let stack: Stack;
let account: TestAccount;
const browser =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15';
const dayMs = 86_400_000;

before(async () => {
  stack = await startStack({ roles: ['api'] });
  account = await createAccount(stack, { domain: 'example.com' });
});
after(async () => {
  await stack.close();
});

/** A message accepted `ageMs` ago to one recipient, delivered an hour after acceptance (so browser hits are a person's). */
async function message(ageMs = dayMs): Promise<string> {
  const id = newMessageId();
  const submittedAt = new Date(Date.now() - ageMs);
  await insertAcceptedMessage(stack.pool, {
    id,
    accountId: account.accountId,
    mailFrom: 'news@example.com',
    envelopeRcpts: ['ann@dest.test'],
    raw: Buffer.from('Subject: x\r\n\r\nhello\r\n'),
    clientIp: '127.0.0.1',
    submittedAt,
    headers: { from: 'news@example.com', to: ['ann@dest.test'], cc: [], subject: 'x' },
  });
  await insertRecipients(stack.pool, id, [{ address: 'ann@dest.test', kind: 'to' }]);
  await appendEvent(stack.pool, {
    messageId: id,
    type: 'delivered',
    recipient: 'ann@dest.test',
    data: { at: new Date(submittedAt.getTime() + 3_600_000).toISOString() },
  });
  return id;
}

function url(t: TrackingToken): string {
  return `${stack.apiUrl}/t/${t.kind === 'open' ? 'o' : 'c'}/${signToken(trackingKeys(stack.masterSecret), t)}`;
}

async function hit(u: string, userAgent = browser): Promise<Response> {
  const res = await fetch(u, { redirect: 'manual', headers: { 'user-agent': userAgent } });
  await res.arrayBuffer();
  return res;
}

async function eventsOf(messageId: string, type: string): Promise<Array<{ data: { machine: boolean } }>> {
  const { rows } = await stack.pool.query(
    'SELECT data FROM message_events WHERE message_id = $1 AND type = $2 ORDER BY id',
    [messageId, type],
  );
  return rows;
}

async function hitCount(messageId: string, kind: string): Promise<number | undefined> {
  const { rows } = await stack.pool.query('SELECT hits FROM tracking_hits WHERE message_id = $1 AND kind = $2', [
    messageId,
    kind,
  ]);
  return rows[0]?.hits;
}

test('repeated opens make one opened event and a count; a machine open after them gets its own flagged event', async () => {
  const id = await message();
  const pixel = url({ kind: 'open', messageId: id, recipient: 'ann@dest.test', issuedAt: new Date() });
  for (let i = 0; i < 5; i++) assert.equal((await hit(pixel)).status, 200);
  assert.equal((await eventsOf(id, 'opened')).length, 1, 'one webhook-eligible open');
  assert.equal(await hitCount(id, 'open'), 5);
  assert.equal((await hit(pixel, 'Mozilla/5.0 (via ggpht.com GoogleImageProxy)')).status, 200);
  assert.deepEqual(
    (await eventsOf(id, 'opened')).map((e) => e.data.machine),
    [false, true],
  );
  assert.equal(await hitCount(id, 'open'), 6);
});

test('repeated clicks make one clicked event per link; each link counts on its own', async () => {
  const id = await message();
  const one = url({ kind: 'click', messageId: id, recipient: 'ann@dest.test', url: 'https://example.com/one' });
  const two = url({ kind: 'click', messageId: id, recipient: 'ann@dest.test', url: 'https://example.com/two' });
  for (let i = 0; i < 3; i++) {
    const res = await hit(one);
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), 'https://example.com/one');
  }
  assert.equal((await hit(two)).status, 302);
  assert.equal((await eventsOf(id, 'clicked')).length, 2);
  const { rows } = await stack.pool.query(
    "SELECT hits FROM tracking_hits WHERE message_id = $1 AND kind = 'click' ORDER BY hits",
    [id],
  );
  assert.deepEqual(
    rows.map((r) => r.hits),
    [1, 3],
  );
});

test('a burst beyond the per-token rate is answered but writes nothing more', async () => {
  const id = await message();
  const link = url({ kind: 'click', messageId: id, recipient: 'ann@dest.test', url: 'https://example.com/burst' });
  const results = await Promise.all(Array.from({ length: 25 }, () => hit(link)));
  assert.ok(results.every((r) => r.status === 302 && r.headers.get('location') === 'https://example.com/burst'));
  assert.equal(await hitCount(id, 'click'), 10, 'at most 10 recorded hits per token per minute');
  assert.equal((await eventsOf(id, 'clicked')).length, 1);
  for (let i = 0; i < 5; i++) assert.equal((await hit(link)).status, 302);
  assert.equal(await hitCount(id, 'click'), 10);
});

test('an expired token redirects (and the pixel answers) but records nothing', async () => {
  const id = await message();
  const old = new Date(Date.now() - 91 * dayMs);
  const click = url({
    kind: 'click',
    messageId: id,
    recipient: 'ann@dest.test',
    url: 'https://example.com/old',
    issuedAt: old,
  });
  const res = await hit(click);
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), 'https://example.com/old');
  const pixel = url({ kind: 'open', messageId: id, recipient: 'ann@dest.test', issuedAt: old });
  assert.equal((await hit(pixel)).status, 200);
  assert.equal((await eventsOf(id, 'clicked')).length + (await eventsOf(id, 'opened')).length, 0);
  assert.equal(await hitCount(id, 'click'), undefined);
  assert.equal(await hitCount(id, 'open'), undefined);
});

test('a token without an issue time is as old as its message: expired for an old message, recorded for a new one', async () => {
  const oldMessage = await message(91 * dayMs);
  assert.equal((await hit(url({ kind: 'open', messageId: oldMessage, recipient: 'ann@dest.test' }))).status, 200);
  assert.equal((await eventsOf(oldMessage, 'opened')).length, 0);
  const fresh = await message(dayMs);
  assert.equal((await hit(url({ kind: 'open', messageId: fresh, recipient: 'ann@dest.test' }))).status, 200);
  assert.equal((await eventsOf(fresh, 'opened')).length, 1);
});
