import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { appendEvent, insertAcceptedMessage, insertRecipients } from '../../src/db/messages-repo.js';
import { newMessageId } from '../../src/ids.js';
import { pixelGif } from '../../src/api/routes/tracking.js';
import { personalizeCopy } from '../../src/tracking/personalize-copy.js';
import { signToken, trackingKeys } from '../../src/tracking/tokens.js';
import { createAccount, startStack, type Stack, type TestAccount } from '../helpers/stack.js';

// The tracking endpoints on a real api (real HTTP, real PostgreSQL): pixels and links taken from real personalised
// copies record the right recipient's events; a click redirects to the original URL; a tampered token is a 404
// that redirects nowhere; machine opens are recorded but flagged.

let stack: Stack;
let account: TestAccount;
let messageId: string;
const browser =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15';
const links = ['https://example.com/one?a=1&b=2', 'https://example.com/two', 'http://example.org/three#x'];
const copies = new Map<string, { pixel: string; clicks: string[] }>();

interface EventRow {
  type: string;
  recipient: string;
  data: { url?: string; userAgent: string | null; ip: string | null; machine: boolean; machineReason?: string };
}

async function events(type: string): Promise<EventRow[]> {
  const { rows } = await stack.pool.query(
    'SELECT type, recipient, data FROM message_events WHERE message_id = $1 AND type = $2 ORDER BY id',
    [messageId, type],
  );
  return rows as EventRow[];
}

before(async () => {
  stack = await startStack({ roles: ['api'] });
  account = await createAccount(stack, { domain: 'example.com' });
  const raw = await new MailComposer({
    from: 'news@example.com',
    to: 'ann@dest.test, bob@dest.test',
    subject: 'Links',
    text: 'see the HTML',
    html: `<html><body>${links.map((l) => `<p><a href="${l.replace(/&/g, '&amp;')}">link</a></p>`).join('\n')}</body></html>`,
    attachments: [{ filename: 'a.bin', content: Buffer.from([0, 1, 2, 3]) }],
  })
    .compile()
    .build();
  messageId = newMessageId();
  await insertAcceptedMessage(stack.pool, {
    id: messageId,
    accountId: account.accountId,
    mailFrom: 'news@example.com',
    envelopeRcpts: ['ann@dest.test', 'bob@dest.test'],
    raw,
    clientIp: '127.0.0.1',
    submittedAt: new Date(),
    headers: { from: 'news@example.com', to: ['ann@dest.test', 'bob@dest.test'], cc: [], subject: 'Links' },
  });
  await insertRecipients(stack.pool, messageId, [
    { address: 'ann@dest.test', kind: 'to' },
    { address: 'bob@dest.test', kind: 'to' },
  ]);
  // Delivered an hour ago (the relay's own time), so a browser open now is a person's.
  for (const r of ['ann@dest.test', 'bob@dest.test']) {
    await appendEvent(stack.pool, {
      messageId,
      type: 'delivered',
      recipient: r,
      data: { at: new Date(Date.now() - 3_600_000).toISOString() },
    });
  }
  for (const recipient of ['ann@dest.test', 'bob@dest.test']) {
    const copy = await personalizeCopy(raw, {
      messageId,
      recipient,
      opens: true,
      clicks: true,
      publicUrl: stack.apiUrl,
      secret: stack.masterSecret,
    });
    const html = (await simpleParser(copy)).html as string;
    const urls = [...html.matchAll(/(?:src|href)="([^"]+\/t\/[oc]\/[^"]+)"/g)].map((m) => m[1]!);
    copies.set(recipient, {
      pixel: urls.find((u) => u.includes('/t/o/'))!,
      clicks: urls.filter((u) => u.includes('/t/c/')),
    });
  }
});
after(async () => {
  await stack.close();
});

test('each copy has its own pixel and links on PUBLIC_URL', () => {
  const ann = copies.get('ann@dest.test')!;
  const bob = copies.get('bob@dest.test')!;
  assert.equal(ann.clicks.length, 3);
  assert.equal(bob.clicks.length, 3);
  for (const u of [ann.pixel, bob.pixel, ...ann.clicks, ...bob.clicks])
    assert.ok(u.startsWith(`${stack.apiUrl}/t/`), u);
  assert.notEqual(ann.pixel, bob.pixel);
  ann.clicks.forEach((u, i) => assert.notEqual(u, bob.clicks[i]));
});

test('the pixel answers a 1x1 GIF that is never cached, and records the opener', async () => {
  const res = await fetch(copies.get('ann@dest.test')!.pixel, { headers: { 'user-agent': browser } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/gif');
  assert.match(res.headers.get('cache-control') ?? '', /no-store/);
  assert.match(res.headers.get('cache-control') ?? '', /no-cache/);
  assert.equal(res.headers.get('pragma'), 'no-cache');
  const body = Buffer.from(await res.arrayBuffer());
  assert.ok(body.equals(pixelGif));
  assert.deepEqual([body.readUInt16LE(6), body.readUInt16LE(8)], [1, 1], '1x1');
  const opened = await events('opened');
  assert.equal(opened.length, 1);
  assert.equal(opened[0]!.recipient, 'ann@dest.test');
  assert.deepEqual(opened[0]!.data, { userAgent: browser, ip: '127.0.0.1', machine: false });
});

test('a click records the right recipient and URL and redirects to the original URL', async () => {
  const res = await fetch(copies.get('bob@dest.test')!.clicks[0]!, {
    redirect: 'manual',
    headers: { 'user-agent': browser },
  });
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), links[0]);
  assert.match(res.headers.get('cache-control') ?? '', /no-store/);
  const third = await fetch(copies.get('bob@dest.test')!.clicks[2]!, {
    redirect: 'manual',
    headers: { 'user-agent': browser },
  });
  assert.equal(third.headers.get('location'), links[2]);
  const clicked = await events('clicked');
  assert.deepEqual(
    clicked.map((e) => [e.recipient, e.data.url, e.data.machine]),
    [
      ['bob@dest.test', links[0], false],
      ['bob@dest.test', links[2], false],
    ],
  );
});

test('a tampered, truncated, forged or misused token is a 404 with no Location, and records nothing', async () => {
  const before = (await events('clicked')).length + (await events('opened')).length;
  const click = copies.get('ann@dest.test')!.clicks[1]!;
  const token = click.slice(click.lastIndexOf('/') + 1);
  const flip = (t: string, i: number): string => t.slice(0, i) + (t[i] === 'A' ? 'B' : 'A') + t.slice(i + 1);
  const forged = signToken(trackingKeys('not-the-server-secret'), {
    kind: 'click',
    messageId,
    recipient: 'ann@dest.test',
    url: 'https://evil.example/',
  });
  const openToken = copies.get('ann@dest.test')!.pixel.split('/').pop()!;
  const bad = [
    `/t/c/${flip(token, 0)}`,
    `/t/c/${flip(token, 30)}`,
    `/t/c/${flip(token, token.length - 2)}`,
    `/t/c/${token.slice(0, -3)}`,
    `/t/c/${token}xyz`,
    `/t/c/${forged}`,
    `/t/c/${openToken}`,
    '/t/c/',
    '/t/c/%2F%2Fevil.example',
    `/t/o/${flip(openToken, 5)}`,
    `/t/o/${token}`,
  ];
  for (const p of bad) {
    const res = await fetch(stack.apiUrl + p, { redirect: 'manual' });
    assert.equal(res.status, 404, p);
    assert.equal(res.headers.get('location'), null, p);
    await res.arrayBuffer();
  }
  assert.equal((await events('clicked')).length + (await events('opened')).length, before);
});

test('a valid token for a message that does not exist is a 404', async () => {
  const keys = trackingKeys(stack.masterSecret);
  const ghost = signToken(keys, {
    kind: 'click',
    messageId: newMessageId(),
    recipient: 'ann@dest.test',
    url: 'https://example.com/',
  });
  const res = await fetch(`${stack.apiUrl}/t/c/${ghost}`, { redirect: 'manual' });
  assert.equal(res.status, 404);
  assert.equal(res.headers.get('location'), null);
  const pixel = await fetch(
    `${stack.apiUrl}/t/o/${signToken(keys, { kind: 'open', messageId: 'nope', recipient: 'a@b.test' })}`,
  );
  assert.equal(pixel.status, 404);
});

test('a machine open (Google image proxy) and a link scanner click are recorded but flagged', async () => {
  const proxy = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';
  const res = await fetch(copies.get('bob@dest.test')!.pixel, { headers: { 'user-agent': proxy } });
  assert.equal(res.status, 200);
  await res.arrayBuffer();
  const opened = (await events('opened')).filter((e) => e.recipient === 'bob@dest.test');
  assert.deepEqual(
    opened.map((e) => e.data),
    [{ userAgent: proxy, ip: '127.0.0.1', machine: true, machineReason: 'image_proxy' }],
  );
  const scan = await fetch(copies.get('ann@dest.test')!.clicks[1]!, {
    redirect: 'manual',
    headers: { 'user-agent': 'Mozilla/5.0 (compatible; Barracuda Sentinel)' },
  });
  assert.equal(scan.status, 302, 'a scanner is still redirected (it must see the real page)');
  const head = await fetch(copies.get('ann@dest.test')!.clicks[2]!, {
    method: 'HEAD',
    redirect: 'manual',
    headers: { 'user-agent': browser },
  });
  assert.equal(head.status, 302);
  assert.equal(head.headers.get('location'), links[2]);
  const clicked = (await events('clicked')).filter((e) => e.recipient === 'ann@dest.test');
  assert.deepEqual(
    clicked.map((e) => [e.data.url, e.data.machine, e.data.machineReason]),
    [
      [links[1], true, 'link_scanner'],
      [links[2], true, 'head_request'],
    ],
  );
});

test('an open right after delivery is flagged too_fast', async () => {
  // The delivery report says the copy arrived in the future of the open: no person opens mail before it arrives.
  await appendEvent(stack.pool, {
    messageId,
    type: 'delivered',
    recipient: 'ann@dest.test',
    data: { at: new Date(Date.now() + 3_600_000).toISOString() },
  });
  const res = await fetch(copies.get('ann@dest.test')!.pixel, { headers: { 'user-agent': browser } });
  await res.arrayBuffer();
  const last = (await events('opened')).filter((e) => e.recipient === 'ann@dest.test').at(-1)!;
  assert.equal(last.data.machine, true);
  assert.equal(last.data.machineReason, 'too_fast');
});

test('PATCH /v1/accounts/:id sets trackOpens/trackClicks; GET shows them', async () => {
  const id = account.accountId;
  const initial = await stack.api<{ trackOpens: boolean; trackClicks: boolean }>('GET', `/v1/accounts/${id}`);
  assert.deepEqual([initial.body.trackOpens, initial.body.trackClicks], [false, false]);
  const opens = await stack.api<{ trackOpens: boolean; trackClicks: boolean }>('PATCH', `/v1/accounts/${id}`, {
    trackOpens: true,
  });
  assert.equal(opens.status, 200);
  assert.deepEqual([opens.body.trackOpens, opens.body.trackClicks], [true, false]);
  await stack.api('PATCH', `/v1/accounts/${id}`, { trackClicks: true });
  const both = await stack.api<{ trackOpens: boolean; trackClicks: boolean }>('GET', `/v1/accounts/${id}`);
  assert.deepEqual([both.body.trackOpens, both.body.trackClicks], [true, true]);
  const { rows } = await stack.pool.query('SELECT track_opens, track_clicks FROM accounts WHERE id = $1', [id]);
  assert.deepEqual(rows[0], { track_opens: true, track_clicks: true });
  assert.equal((await stack.api('PATCH', `/v1/accounts/${id}`, { trackOpens: 'yes' })).status, 400);
  assert.equal((await stack.api('PATCH', `/v1/accounts/${id}`, { name: 'x' })).status, 400);
  assert.equal((await stack.api('PATCH', `/v1/accounts/${id}`, {})).status, 400);
  assert.equal((await stack.api('PATCH', '/v1/accounts/acc_missing', { trackOpens: true })).status, 404);
  assert.equal(
    (await stack.api('PATCH', `/v1/accounts/${id}`, { trackOpens: false }, account.apiKey)).status,
    403,
    'admin only',
  );
});
