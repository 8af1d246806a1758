import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createAccount, type Stack, type TestAccount } from '../helpers/stack.js';
import type { Sink } from '../helpers/destination-sink.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { waitFor } from '../helpers/wait-for.js';
import { finishedMessage, submitAndFinish, submitMail, viewMessage } from '../helpers/submit.js';
import type { MessageView } from '../../src/db/message-queries.js';
import { deriveVerpSecret, verpAddress } from '../../src/bounces/verp.js';
import { startBounceReceiver } from '../../src/bounces/bounce-receiver.js';
import { createLogger } from '../../src/log.js';
import { newMessageId } from '../../src/ids.js';
import { deliverToReceiver, dsn } from './bounce-mail.js';

// The bounce receiver over real SMTP, on a real stack: messages are delivered through a relay to a destination sink
// first, then reports about them arrive at their VERP addresses as a remote MTA would send them.
const corpus = path.resolve('../shared/corpus/bounces');
const bounceDomain = 'bounces.localhost';
let pipeline: Pipeline;
let stack: Stack;
let sink: Sink;
let acct: TestAccount;
let receiverPort: number;
let delivered: string; // a message delivered to every recipient below

const recipients = [
  'alice@dest.test',
  'bob@dest.test',
  'carol@dest.test',
  'dave@dest.test',
  'erin@dest.test',
  'frank@dest.test',
];

before(async () => {
  pipeline = await startPipeline({
    sink: {
      script: (rcpt) =>
        rcpt.startsWith('nosuch@')
          ? {
              code: 550,
              message: '5.1.1 <nosuch@dest.test>: Recipient address rejected: User unknown in virtual mailbox table',
            }
          : undefined,
    },
    stack: {
      env: { BOUNCE_SMTP_HOST: '127.0.0.1', BOUNCE_SMTP_PORT: '0', BOUNCE_DOMAIN: bounceDomain },
    },
    relays: { count: 1, push: true },
  });
  ({ stack, sink } = pipeline);
  assert.ok(stack.roles.bounce?.ok, `bounce receiver not listening: ${stack.roles.bounce?.error}`);
  receiverPort = stack.roles.bounce.port;
  acct = await createAccount(stack, { domain: 'example.com', cidr: '127.0.0.0/8' });
  delivered = await submitMail(stack, acct, {
    from: 'billing@example.com',
    to: recipients,
    subject: 'Invoice 7',
    text: 'Your invoice.',
  });
  const v = await waitFor(finishedMessage(stack, acct, delivered), { timeoutMs: 60_000, what: 'message delivered' });
  assert.equal(v.status, 'delivered');
});
after(() => pipeline?.close());

// The same key the service derives from its master secret: what the handoff puts in MAIL FROM.
const verp = (messageId: string, recipient: string): string =>
  verpAddress({ messageId, recipient }, deriveVerpSecret(stack.masterSecret), bounceDomain);
const view = (id: string): Promise<MessageView> => viewMessage(stack, acct, id);
const recipientOf = (v: MessageView, address: string) => v.recipients.find((r) => r.address === address)!;
const eventsOf = (v: MessageView, type: string, address: string) =>
  v.events.filter((e) => e.type === type && e.recipient === address);
const suppressions = async () =>
  (
    await stack.api<{
      items: Array<{ address: string; reason: string; sourceMessageId: string | null; detail: string | null }>;
    }>('GET', '/v1/suppressions', undefined, acct.apiKey)
  ).body.items;

test('anything but a valid VERP address of a known recipient is refused with 550 5.1.1: the receiver is never a relay', async () => {
  const forged = verp(delivered, 'alice@dest.test').replace(/[0-9a-f](?=@)/, (c) => (c === '0' ? '1' : '0'));
  const unknownMessage = verp(newMessageId(), 'alice@dest.test');
  const notARecipient = verp(delivered, 'mallory@dest.test');
  const otherKey = verpAddress(
    { messageId: delivered, recipient: 'alice@dest.test' },
    deriveVerpSecret('another-master-secret'),
    bounceDomain,
  );
  const r = await deliverToReceiver(
    receiverPort,
    [forged, unknownMessage, notARecipient, otherKey, `postmaster@${bounceDomain}`, 'victim@gmail.example'],
    'Subject: x\n\nx\n',
  );
  assert.match(r.greeting, /^220 /);
  assert.doesNotMatch(r.ehlo, /AUTH/, 'no AUTH offered');
  assert.match(r.mail, /^250 /, 'the null sender is accepted');
  for (const reply of r.rcpts) assert.match(reply, /^550 5\.1\.1 /);
  assert.equal(r.data, undefined);
});

test('a DSN for a delivered recipient turns it bounced with status, diagnostic and reason; a hard bounce suppresses the address', async () => {
  const address = verp(delivered, 'alice@dest.test');
  const report = dsn({
    verp: address,
    recipient: 'alice@dest.test',
    action: 'failed',
    status: '5.1.1',
    diagnostic: '550 5.1.1 <alice@dest.test>: Recipient address rejected: User unknown in local recipient table',
  });
  const r = await deliverToReceiver(receiverPort, [address], report);
  assert.match(r.rcpts[0]!, /^250 /);
  assert.match(r.data ?? '', /^250 2\.0\.0 /);

  // The 250 came after the commit: the API shows the result at once.
  const v = await view(delivered);
  const alice = recipientOf(v, 'alice@dest.test');
  assert.equal(alice.status, 'bounced');
  assert.equal(alice.smtpCode, 550);
  assert.equal(alice.enhancedCode, '5.1.1');
  assert.match(alice.smtpResponse ?? '', /User unknown/);
  // the report's Remote-MTA gave the reply, which names the address: its answer to RCPT TO
  assert.deepEqual([alice.smtpCommand, alice.remoteHost], ['RCPT', 'mailbox.dest.test']);
  const [event] = eventsOf(v, 'bounced', 'alice@dest.test');
  assert.ok(event, JSON.stringify(v.events));
  assert.deepEqual(
    (({ source, status, reason, hard }) => ({ source, status, reason, hard }))(event.data as Record<string, unknown>),
    { source: 'async', status: '5.1.1', reason: 'userunknown', hard: true },
  );
  assert.match(
    String((event.data as { diagnosticCode: string }).diagnosticCode),
    /User unknown in local recipient table/,
  );
  assert.equal(v.status, 'partial', 'the message now has a bounced and delivered recipients');
  const row = await stack.pool.query(
    'SELECT bounce_reason, bounce_hard FROM recipients WHERE message_id = $1 AND address = $2',
    [delivered, 'alice@dest.test'],
  );
  assert.deepEqual(row.rows[0], { bounce_reason: 'userunknown', bounce_hard: true });

  const listed = (await suppressions()).find((s) => s.address === 'alice@dest.test');
  assert.deepEqual(
    listed && { reason: listed.reason, sourceMessageId: listed.sourceMessageId, detail: listed.detail },
    {
      reason: 'hard-bounce',
      sourceMessageId: delivered,
      // the entry says why, and which step and host refused
      detail: 'userunknown 5.1.1, RCPT at mailbox.dest.test (first bounce)',
    },
  );

  // The remote MTA sends the same report again (it did not see our 250): recorded once.
  const again = await deliverToReceiver(receiverPort, [address], report);
  assert.match(again.data ?? '', /^250 /);
  assert.equal(eventsOf(await view(delivered), 'bounced', 'alice@dest.test').length, 1);
});

test('a soft async bounce (mailbox full) bounces without suppressing; a delay warning is only a deferred event', async () => {
  const bob = verp(delivered, 'bob@dest.test');
  const full = await deliverToReceiver(
    receiverPort,
    [bob],
    dsn({
      verp: bob,
      recipient: 'bob@dest.test',
      action: 'failed',
      status: '5.2.2',
      diagnostic: '552 5.2.2 Mailbox full',
    }),
  );
  assert.match(full.data ?? '', /^250 /);
  const carol = verp(delivered, 'carol@dest.test');
  const delay = await deliverToReceiver(
    receiverPort,
    [carol],
    dsn({
      verp: carol,
      recipient: 'carol@dest.test',
      action: 'delayed',
      status: '4.4.1',
      diagnostic: 'connect to mailbox.dest.test: Connection timed out',
    }),
  );
  assert.match(delay.data ?? '', /^250 /);

  const v = await view(delivered);
  assert.equal(recipientOf(v, 'bob@dest.test').status, 'bounced');
  assert.deepEqual(
    (({ reason, hard }) => ({ reason, hard }))(
      eventsOf(v, 'bounced', 'bob@dest.test')[0]!.data as Record<string, unknown>,
    ),
    { reason: 'mailboxfull', hard: false },
  );
  assert.equal(recipientOf(v, 'carol@dest.test').status, 'delivered', 'a delay does not change the status');
  const deferred = eventsOf(v, 'deferred', 'carol@dest.test');
  assert.equal(deferred.length, 1);
  assert.equal((deferred[0]!.data as { source: string; status: string }).status, '4.4.1');
  const listed = (await suppressions()).map((s) => s.address);
  assert.ok(!listed.includes('bob@dest.test') && !listed.includes('carol@dest.test'), listed.join(','));
});

test('a real MTA bounce from the corpus, naming the original address, bounces the VERP recipient', async () => {
  // rfc3464-26.eml reports kijitora@example.or.jp: 550 5.1.1 userunknown (expected.jsonl).
  const address = verp(delivered, 'dave@dest.test');
  const raw = fs.readFileSync(path.join(corpus, 'rfc3464-26.eml'), 'latin1');
  const r = await deliverToReceiver(receiverPort, [address], raw);
  assert.match(r.data ?? '', /^250 /);
  const v = await view(delivered);
  assert.equal(recipientOf(v, 'dave@dest.test').status, 'bounced');
  const data = eventsOf(v, 'bounced', 'dave@dest.test')[0]!.data as Record<string, unknown>;
  assert.deepEqual(
    { reason: data.reason, hard: data.hard, status: data.status, reportedRecipient: data.reportedRecipient },
    { reason: 'userunknown', hard: true, status: '5.1.1', reportedRecipient: 'kijitora@example.or.jp' },
  );
});

test('a notice whose subject and sender name nothing bounces its recipient when it came from the null sender', async () => {
  const { id } = await submitAndFinish(stack, acct, {
    from: 'billing@example.com',
    to: ['ivy@dest.test', 'jack@dest.test'],
    subject: 'Gateway',
    text: 'x',
  });
  // a gateway's own notice, no report part: only the envelope's null sender says what it is (RFC 5321 4.5.5)
  const notice = (rcpt: string): string =>
    [
      'From: Relay Gateway <gateway@relay.example>',
      'Subject: Message status',
      '',
      'Your message could not be delivered to the following recipient:',
      '',
      `    <${rcpt}>`,
      `    550 5.1.1 <${rcpt}>: Recipient address rejected: User unknown in local recipient table`,
      '',
    ].join('\n');
  const fromNull = await deliverToReceiver(receiverPort, [verp(id, 'ivy@dest.test')], notice('ivy@dest.test'));
  assert.match(fromNull.data ?? '', /^250 /);
  const fromPerson = await deliverToReceiver(
    receiverPort,
    [verp(id, 'jack@dest.test')],
    notice('jack@dest.test'),
    'gateway@relay.example',
  );
  assert.match(fromPerson.data ?? '', /^250 /);
  const v = await view(id);
  assert.equal(recipientOf(v, 'ivy@dest.test').status, 'bounced');
  const data = eventsOf(v, 'bounced', 'ivy@dest.test')[0]!.data as Record<string, unknown>;
  assert.deepEqual({ reason: data.reason, hard: data.hard }, { reason: 'userunknown', hard: true });
  assert.equal(recipientOf(v, 'jack@dest.test').status, 'delivered');
  assert.equal(eventsOf(v, 'bounced', 'jack@dest.test').length, 0);
});

test('an out-of-office auto-reply is not a bounce: an auto-reply event only', async () => {
  const address = verp(delivered, 'erin@dest.test');
  const raw = fs.readFileSync(path.join(corpus, 'rfc3834-02.eml'), 'latin1'); // "Automatic reply: ...", Exchange
  const r = await deliverToReceiver(receiverPort, [address], raw, 'erin@dest.test');
  assert.match(r.data ?? '', /^250 /);
  const v = await view(delivered);
  assert.equal(recipientOf(v, 'erin@dest.test').status, 'delivered');
  assert.equal(eventsOf(v, 'auto-reply', 'erin@dest.test').length, 1);
  assert.equal(eventsOf(v, 'bounced', 'erin@dest.test').length, 0);
  assert.ok(!(await suppressions()).some((s) => s.address === 'erin@dest.test'));
});

test('an ARF feedback report is a complaint: a complained event and the address suppressed, the status unchanged', async () => {
  const address = verp(delivered, 'frank@dest.test');
  const raw = fs.readFileSync(path.join(corpus, 'arf-01.eml'), 'latin1'); // Feedback-Type: abuse, recipient redacted
  const r = await deliverToReceiver(receiverPort, [address], raw, 'fbl@isp.example');
  assert.match(r.data ?? '', /^250 /);
  const v = await view(delivered);
  assert.equal(recipientOf(v, 'frank@dest.test').status, 'delivered');
  const complained = eventsOf(v, 'complained', 'frank@dest.test');
  assert.equal(complained.length, 1);
  assert.deepEqual(complained[0]!.data, { source: 'arf', feedbackType: 'abuse' });
  const listed = (await suppressions()).find((s) => s.address === 'frank@dest.test');
  assert.equal(listed?.reason, 'complaint');
});

test('a synchronous 550 5.1.1 from the destination is classified on the recipient and its event, and suppresses the address', async () => {
  const { id, v } = await submitAndFinish(stack, acct, {
    from: 'billing@example.com',
    to: ['nosuch@dest.test', 'alice2@dest.test'],
    subject: 'Sync bounce',
    text: 'x',
  });
  assert.equal(recipientOf(v, 'nosuch@dest.test').status, 'bounced');
  const data = eventsOf(v, 'bounced', 'nosuch@dest.test')[0]!.data as Record<string, unknown>;
  assert.deepEqual(
    { reason: data.reason, hard: data.hard, source: data.source, smtpCode: data.smtpCode },
    { reason: 'userunknown', hard: true, source: 'sync', smtpCode: 550 },
  );
  const row = await stack.pool.query(
    'SELECT bounce_reason, bounce_hard FROM recipients WHERE message_id = $1 AND address = $2',
    [id, 'nosuch@dest.test'],
  );
  assert.deepEqual(row.rows[0], { bounce_reason: 'userunknown', bounce_hard: true });
  const listed = (await suppressions()).find((s) => s.address === 'nosuch@dest.test');
  assert.deepEqual(listed && { reason: listed.reason, sourceMessageId: listed.sourceMessageId }, {
    reason: 'hard-bounce',
    sourceMessageId: id,
  });
});

test('a per-message VERP address (one copy for several recipients): the recipient the DSN names bounces, the others stay delivered', async () => {
  const { id } = await submitAndFinish(stack, acct, {
    from: 'billing@example.com',
    to: ['gina@dest.test', 'hank@dest.test'],
    subject: 'Shared copy',
    text: 'x',
  });
  const address = verpAddress({ messageId: id }, deriveVerpSecret(stack.masterSecret), bounceDomain);
  const r = await deliverToReceiver(
    receiverPort,
    [address],
    dsn({
      verp: address,
      recipient: 'Hank@dest.test',
      action: 'failed',
      status: '5.1.1',
      diagnostic: '550 5.1.1 No such user',
    }),
  );
  assert.match(r.data ?? '', /^250 /);
  const v = await view(id);
  assert.deepEqual(Object.fromEntries(v.recipients.map((x) => [x.address, x.status])), {
    'gina@dest.test': 'delivered',
    'hank@dest.test': 'bounced',
  });
  // A report naming none of its recipients changes nothing.
  const stray = await deliverToReceiver(
    receiverPort,
    [address],
    dsn({
      verp: address,
      recipient: 'nobody@dest.test',
      action: 'failed',
      status: '5.1.1',
      diagnostic: '550 5.1.1 No such user',
    }),
  );
  assert.match(stray.data ?? '', /^250 /);
  assert.equal((await view(id)).recipients.find((x) => x.address === 'gina@dest.test')?.status, 'delivered');
});

test('a message over the size limit is refused with 552 5.3.4 and changes nothing', async () => {
  const small = await startBounceReceiver({
    pool: stack.pool,
    log: createLogger({ test: true }),
    verpSecret: deriveVerpSecret(stack.masterSecret),
    bounceDomain,
    hostname: 'bounces.test',
    host: '127.0.0.1',
    port: 0,
    maxMessageBytes: 4096,
  });
  try {
    const address = verp(delivered, 'carol@dest.test');
    const big = dsn({
      verp: address,
      recipient: 'carol@dest.test',
      action: 'failed',
      status: '5.1.1',
      diagnostic: `550 5.1.1 User unknown ${'x'.repeat(8000)}`,
    });
    const r = await deliverToReceiver(small.port, [address], big);
    assert.match(r.data ?? '', /^552 5\.3\.4 /);
    assert.equal(recipientOf(await view(delivered), 'carol@dest.test').status, 'delivered');
  } finally {
    await small.close();
  }
});

test('the loop closed: a DSN sent back to the envelope sender the destination saw bounces that recipient', async () => {
  const { id } = await submitAndFinish(stack, acct, {
    from: 'billing@example.com',
    to: 'ivan@dest.test',
    subject: 'Loop',
    text: 'x',
  });
  const copy = sink.messages.find((m) => m.rcptTo.includes('ivan@dest.test') && m.raw.includes('Subject: Loop'));
  assert.ok(copy);
  assert.equal(copy.mailFrom, verp(id, 'ivan@dest.test'), 'the relayed copy carries the VERP envelope sender');
  const r = await deliverToReceiver(
    receiverPort,
    [copy.mailFrom],
    dsn({
      verp: copy.mailFrom,
      recipient: 'ivan@dest.test',
      action: 'failed',
      status: '5.1.1',
      diagnostic: '550 5.1.1 User unknown',
    }),
  );
  assert.match(r.data ?? '', /^250 /);
  assert.equal(recipientOf(await view(id), 'ivan@dest.test').status, 'bounced');
});
