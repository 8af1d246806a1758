import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { type Sink, type SinkMessage } from '../helpers/destination-sink.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { createAccount, type Stack, type TestAccount } from '../helpers/stack.js';
import { finishedMessage, submitMail, viewMessage } from '../helpers/submit.js';
import { waitFor } from '../helpers/wait-for.js';
import { mimeChunks } from '../tracking/mime-parts.js';

// Opens and clicks end to end: an HTML+text message with links and an attachment, submitted over SMTP to two
// recipients of an account with tracking on, arrives as one copy per recipient, each with its own VERP envelope
// sender, pixel and links; everything but the HTML is byte for byte what was submitted; the pixel and links record
// the right recipient and redirect where the sender meant.

let pipeline: Pipeline;
let stack: Stack;
let sink: Sink;
let acct: TestAccount;

before(async () => {
  pipeline = await startPipeline({ relays: { count: 1, push: true } });
  ({ stack, sink } = pipeline);
  acct = await createAccount(stack, { domain: 'example.com', cidr: '127.0.0.0/8' });
  const patched = await stack.api('PATCH', `/v1/accounts/${acct.accountId}`, { trackOpens: true, trackClicks: true });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
});

after(() => pipeline?.close());

const html =
  '<html><body><p>Your invoice</p><a href="https://shop.example.com/invoice/42?x=1&amp;y=2">invoice</a> ' +
  '<a href="https://shop.example.com/help">help</a> <a href="mailto:help@example.com">mail us</a> ' +
  '<a href="https://shop.example.com/unsubscribe" data-relay-notrack>unsubscribe</a></body></html>';

function compose(): Promise<Buffer> {
  return new MailComposer({
    from: 'billing@example.com',
    to: 'ann@dest.test',
    cc: 'bob@dest.test',
    subject: 'Invoice 42',
    messageId: '<inv-42@example.com>',
    text: 'Your invoice: https://shop.example.com/invoice/42',
    html,
    attachments: [{ filename: 'invoice.pdf', content: Buffer.from('%PDF-1.4 not really a pdf\n'.repeat(40)) }],
  })
    .compile()
    .build();
}

/** Tracking URLs in the copy's HTML part, decoded from its transfer encoding (quoted-printable wraps long lines). */
async function trackingLinks(m: SinkMessage): Promise<string[]> {
  const html = (await simpleParser(m.raw)).html || '';
  return [...html.matchAll(/https?:\/\/127\.0\.0\.1:\d+\/t\/[oc]\/[A-Za-z0-9_-]+/g)].map((x) => x[0]);
}

test('each recipient gets its own copy: VERP sender, own pixel and links; text part and attachment unchanged; opens and clicks are attributed', async () => {
  const submitted = await compose();
  const id = await submitMail(stack, acct, {
    envelope: { from: 'billing@example.com', to: ['ann@dest.test', 'bob@dest.test'] },
    raw: submitted,
  });
  await waitFor(finishedMessage(stack, acct, id), { timeoutMs: 60_000, what: 'message delivered' });
  const copies = await sink.waitForMessages(2);
  assert.deepEqual(
    copies.map((c) => c.rcptTo.join()).sort(),
    ['ann@dest.test', 'bob@dest.test'],
    'one copy per recipient',
  );
  for (const c of copies) {
    assert.match(c.mailFrom, /^bounces\+[^@]+@bounces\.localhost$/, 'the envelope sender is a VERP address');
    const delivered = (await simpleParser(c.raw)).html || '';
    assert.doesNotMatch(delivered, /href="https:\/\/shop\.example\.com\/(invoice|help)/, 'tracked links are rewritten');
    assert.match(delivered, /href="https:\/\/shop\.example\.com\/unsubscribe"/, 'data-relay-notrack links stay');
    assert.match(delivered, /href="mailto:help@example\.com"/, 'mailto links stay');
  }
  assert.notEqual(copies[0]!.mailFrom, copies[1]!.mailFrom);
  const [ann, bob] = [
    copies.find((c) => c.rcptTo[0] === 'ann@dest.test')!,
    copies.find((c) => c.rcptTo[0] === 'bob@dest.test')!,
  ];
  const [annLinks, bobLinks] = [await trackingLinks(ann), await trackingLinks(bob)];
  assert.equal(annLinks.length, 3, 'a pixel and two tracked links');
  assert.equal(annLinks.filter((l) => bobLinks.includes(l)).length, 0, 'no token is shared between recipients');

  // Everything that is not the HTML part is byte for byte the submitted message's.
  const before = (await mimeChunks(submitted)).filter((c) => c.kind === 'body' && c.contentType !== 'text/html');
  const afterParts = (await mimeChunks(ann.raw)).filter((c) => c.kind === 'body' && c.contentType !== 'text/html');
  assert.equal(afterParts.length, before.length);
  for (const [i, part] of before.entries())
    assert.ok(part.bytes.equals(afterParts[i]!.bytes), `part ${part.contentType} is unchanged`);

  // Bob opens (as a browser would fetch the pixel), Ann clicks.
  const pixel = bobLinks.find((l) => l.includes('/t/o/'))!;
  // PUBLIC_URL is the default http://127.0.0.1:8080; this stack's api listens on an ephemeral port.
  const viaApi = (u: string): string => stack.apiUrl + new URL(u).pathname;
  const opened = await fetch(viaApi(pixel), {
    headers: { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0' },
  });
  assert.equal(opened.status, 200);
  assert.equal(opened.headers.get('content-type'), 'image/gif');
  const click = annLinks.find((l) => l.includes('/t/c/'))!;
  const clicked = await fetch(viaApi(click), {
    redirect: 'manual',
    headers: { 'user-agent': 'Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15' },
  });
  assert.equal(clicked.status, 302);
  assert.match(clicked.headers.get('location') ?? '', /^https:\/\/shop\.example\.com\/(invoice\/42\?x=1&y=2|help)$/);
  const tampered = await fetch(viaApi(click).slice(0, -3) + (click.endsWith('AAA') ? 'BBB' : 'AAA'), {
    redirect: 'manual',
  });
  assert.equal(tampered.status, 404);
  assert.equal(tampered.headers.get('location'), null, 'a forged token redirects nowhere');

  const view = await waitFor(
    async () => {
      const v = await viewMessage(stack, acct, id);
      return v.events.some((e) => e.type === 'opened') && v.events.some((e) => e.type === 'clicked') && v;
    },
    { what: 'opened and clicked events' },
  );
  assert.deepEqual(
    view.events.filter((e) => e.type === 'opened').map((e) => e.recipient),
    ['bob@dest.test'],
  );
  assert.deepEqual(
    view.events.filter((e) => e.type === 'clicked').map((e) => e.recipient),
    ['ann@dest.test'],
  );
});

test('X-Relay-Track: none turns tracking off for one message (and the header is not delivered)', async () => {
  const id = await submitMail(stack, acct, {
    from: 'billing@example.com',
    to: 'cat@dest.test',
    subject: 'no tracking',
    html,
    headers: { 'X-Relay-Track': 'none' },
  });
  await waitFor(finishedMessage(stack, acct, id), { timeoutMs: 60_000, what: 'message delivered' });
  const copy = await waitFor(() => sink.messages.find((m) => m.rcptTo.includes('cat@dest.test')), {
    what: 'copy at the sink',
  });
  assert.equal((await trackingLinks(copy)).length, 0, 'no pixel, no rewritten link');
  assert.doesNotMatch(copy.raw.toString('latin1'), /^X-Relay-Track/im);
});
