import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAccount, type Stack, type TestAccount } from '../helpers/stack.js';
import type { Sink } from '../helpers/destination-sink.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { waitFor } from '../helpers/wait-for.js';
import { finishedMessage, submitMail, type Mail } from '../helpers/submit.js';

// The whole pipeline over real sockets: nodemailer → STARTTLS+AUTH ingress → Temporal workflow → relay → destination.
let pipeline: Pipeline;
let stack: Stack;
let sink: Sink;
let acct: TestAccount;

before(async () => {
  pipeline = await startPipeline({
    sink: {
      script: (rcpt, attempt) => {
        if (rcpt.startsWith('unknown@'))
          return { code: 550, message: '5.1.1 <unknown@dest.test>: Recipient address rejected: User unknown' };
        if (rcpt.startsWith('flaky@') && attempt <= 2) return { code: 451, message: '4.3.0 Try again later' };
        return undefined;
      },
    },
    relays: { count: 2 },
  });
  ({ stack, sink } = pipeline);
  acct = await createAccount(stack, { domain: 'example.com', cidr: '127.0.0.0/8' });
});
after(() => pipeline?.close());

const send = (mail: Mail): Promise<string> => submitMail(stack, acct, mail);
const finished = (id: string) => finishedMessage(stack, acct, id);

test('To, Cc and Bcc recipients are delivered through a relay and reported with the destination reply', async () => {
  const id = await send({
    from: 'Billing <billing@example.com>',
    to: 'alice@dest.test',
    cc: 'carol@dest.test',
    bcc: 'bob@dest.test',
    subject: 'Invoice 42',
    text: 'Your invoice is attached.',
  });
  const v = await waitFor(finished(id), { timeoutMs: 60_000, what: 'message delivered' });
  assert.equal(v.status, 'delivered');
  const byAddress = Object.fromEntries(v.recipients.map((r) => [r.address, r]));
  assert.deepEqual(Object.keys(byAddress).sort(), ['alice@dest.test', 'bob@dest.test', 'carol@dest.test']);
  assert.equal(byAddress['alice@dest.test']!.kind, 'to');
  assert.equal(byAddress['carol@dest.test']!.kind, 'cc');
  assert.equal(byAddress['bob@dest.test']!.kind, 'bcc');

  // One copy per recipient, each with its own VERP envelope sender (so a later bounce names its recipient).
  const arrived = sink.messages.filter((m) => m.raw.includes('Subject: Invoice 42'));
  assert.deepEqual(arrived.map((m) => m.rcptTo.join()).sort(), ['alice@dest.test', 'bob@dest.test', 'carol@dest.test']);
  for (const copy of arrived) {
    assert.match(copy.mailFrom, /^bounces\+[^@]+@bounces\.localhost$/);
    assert.ok(['127.0.0.2', '127.0.0.3'].includes(copy.remoteAddress), copy.remoteAddress);
    assert.ok(!copy.raw.toString().includes('bob@dest.test'), 'Bcc must not be visible in the delivered headers');
    const r = byAddress[copy.rcptTo[0]!]!;
    assert.equal(r.smtpResponse, copy.reply, 'the API shows the destination reply text');
    assert.equal(r.smtpCode, 250);
    assert.equal(r.sourceIp, copy.remoteAddress);
  }
  assert.equal(v.mailFrom, 'billing@example.com');
  assert.equal(v.subject, 'Invoice 42');
  const types = v.events.map((e) => e.type);
  for (const t of ['accepted', 'policy', 'routed', 'relayed', 'delivered', 'completed'])
    assert.ok(types.includes(t), `event ${t} in ${types.join(',')}`);

  // The workflow is visible to ops under msg-<id>, with its search attributes.
  const handle = stack.temporal.workflow.getHandle(`msg-${id}`);
  assert.deepEqual(await handle.result(), { status: 'delivered' });
  const wf = await handle.describe();
  assert.equal(wf.status.name, 'COMPLETED');
  assert.deepEqual(wf.searchAttributes.DeliveryStatus, ['delivered']);
  assert.deepEqual(wf.searchAttributes.AccountId, [acct.accountId]);
});

test('a 550 5.1.1 from the destination bounces that recipient with the reply; the others are delivered', async () => {
  const id = await send({
    from: 'billing@example.com',
    to: ['unknown@dest.test', 'dave@dest.test'],
    subject: 'Bounce test',
    text: 'x',
  });
  const v = await waitFor(finished(id), { timeoutMs: 60_000, what: 'message finished' });
  const unknown = v.recipients.find((r) => r.address === 'unknown@dest.test')!;
  assert.equal(unknown.status, 'bounced');
  assert.equal(unknown.smtpCode, 550);
  assert.equal(unknown.enhancedCode, '5.1.1');
  assert.match(unknown.smtpResponse ?? '', /User unknown/);
  assert.equal(v.recipients.find((r) => r.address === 'dave@dest.test')!.status, 'delivered');
  assert.equal(v.status, 'partial');
});

test('451 twice then 250: the recipient is deferred, then delivered', async () => {
  const id = await send({ from: 'billing@example.com', to: 'flaky@dest.test', subject: 'Flaky', text: 'x' });
  const v = await waitFor(finished(id), { timeoutMs: 60_000, what: 'flaky delivered' });
  assert.equal(v.recipients[0]!.status, 'delivered');
  const deferrals = v.events.filter((e) => e.type === 'deferred');
  assert.ok(deferrals.length >= 1, `deferred events: ${JSON.stringify(v.events.map((e) => e.type))}`);
  assert.match(JSON.stringify(deferrals[0]!.data), /451/);
  assert.equal(sink.attempts('flaky@dest.test'), 3);
});
