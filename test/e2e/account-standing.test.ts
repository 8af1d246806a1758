import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAccount, type Stack, type TestAccount } from '../helpers/stack.js';
import type { Sink } from '../helpers/destination-sink.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { SmtpChat, isWellFormedReply, openSubmission } from '../helpers/smtp-chat.js';
import { waitFor } from '../helpers/wait-for.js';
import { submitMail, viewMessage } from '../helpers/submit.js';

// Account standing over the real stack: sending limits per minute (451 4.7.1, nothing stored, usage and a warning
// event at 90% on the account), suspension (AUTH, the next MAIL of an open session and API keys refused; audited;
// lifted again) and sandbox mode (accepted and recorded, recipients `sandboxed`, nothing reaches the destination).
let pipeline: Pipeline;
let stack: Stack;
let sink: Sink;

interface AccountView {
  id: string;
  state: string;
  stateReason: string | null;
  limits: { perMinute: number | null; perDay: number | null };
  usage: { minute: number; day: number };
  stateChanges: Array<{ from: string; to: string; reason: string; actor: string; at: string }>;
  events: Array<{ type: string; data: Record<string, unknown> }>;
}

const message = (subject: string): string =>
  ['From: app@example.com', 'To: someone@dest.test', `Subject: ${subject}`, '', 'hello', '.'].join('\r\n');

/** One transaction on an open session; returns the reply to the last command sent. */
async function sendOne(chat: SmtpChat, subject: string): Promise<string> {
  const mail = await chat.send('MAIL FROM:<app@example.com>');
  if (!mail.startsWith('250')) return mail;
  assert.match(await chat.send('RCPT TO:<someone@dest.test>'), /^250 /);
  assert.match(await chat.send('DATA'), /^354 /);
  return chat.send(message(subject));
}

async function storedFor(acct: TestAccount): Promise<number> {
  const r = await stack.pool.query('SELECT count(*) FROM messages WHERE account_id = $1', [acct.accountId]);
  return Number(r.rows[0].count);
}

const view = async (acct: TestAccount): Promise<AccountView> =>
  (await stack.api<AccountView>('GET', `/v1/accounts/${acct.accountId}`)).body;

before(async () => {
  pipeline = await startPipeline({ stack: { env: { SMTP_PLAIN_PORT: '0' } }, relays: { count: 1, push: true } });
  ({ stack, sink } = pipeline);
});
after(() => pipeline?.close());

test('a per-minute limit: N accepted, then 451 4.7.1 at MAIL and at DATA, nothing stored; usage and a 90% warning', async () => {
  const acct = await createAccount(stack, { name: 'Quota', domain: 'example.com', cidr: '127.0.0.0/8' });
  const set = await stack.api<AccountView>('PATCH', `/v1/accounts/${acct.accountId}`, { limits: { perMinute: 10 } });
  assert.equal(set.status, 200);
  assert.deepEqual(set.body.limits, { perMinute: 10, perDay: null });
  // The whole test must fall inside one minute bucket (by the database clock, which defines the buckets): start it
  // early enough in a minute that the few submissions below cannot cross into the next one.
  await waitFor(
    async () =>
      Number((await stack.pool.query('SELECT extract(second FROM clock_timestamp()) AS s')).rows[0].s) < 30 ||
      undefined,
    { timeoutMs: 65_000, what: 'the first half of a minute' },
  );

  const chat = await openSubmission(stack.submissionPort, acct.username, acct.password);
  for (let i = 1; i <= 9; i++) assert.match(await sendOne(chat, `quota ${i}`), /^250 2\.0\.0 /, `message ${i}`);
  // Two sessions both pass MAIL with 9 of 10 used; the acceptance transaction lets exactly one of them through.
  const other = await openSubmission(stack.submissionPort, acct.username, acct.password);
  for (const c of [chat, other]) {
    assert.match(await c.send('MAIL FROM:<app@example.com>'), /^250 /);
    assert.match(await c.send('RCPT TO:<someone@dest.test>'), /^250 /);
    assert.match(await c.send('DATA'), /^354 /);
  }
  const replies = await Promise.all([chat.send(message('quota 10a')), other.send(message('quota 10b'))]);
  assert.equal(replies.filter((r) => /^250 2\.0\.0 /.test(r)).length, 1, replies.join(' | '));
  const refusedAtData = replies.find((r) => !r.startsWith('250')) ?? '';
  assert.match(refusedAtData, /^451 4\.7\.1 /);
  assert.ok(isWellFormedReply(refusedAtData));
  other.close();

  // The 11th: refused at MAIL, temporary, the session stays usable.
  const refused = await chat.send('MAIL FROM:<app@example.com>');
  assert.match(refused, /^451 4\.7\.1 .*minute/);
  assert.ok(isWellFormedReply(refused));
  assert.match(await chat.send('RSET'), /^250 /);
  chat.close();
  assert.equal(await storedFor(acct), 10, 'exactly the limit is stored');

  const v = await view(acct);
  assert.deepEqual(v.usage, { minute: 10, day: 10 });
  const warnings = v.events.filter((e) => e.type === 'quota-warning');
  assert.equal(warnings.length, 1, JSON.stringify(v.events));
  assert.deepEqual(
    { period: warnings[0]!.data.period, limit: warnings[0]!.data.limit, count: warnings[0]!.data.count },
    { period: 'minute', limit: 10, count: 9 },
  );

  // Lifting the limit lets the account send again at once.
  const lifted = await stack.api<AccountView>('PATCH', `/v1/accounts/${acct.accountId}`, {
    limits: { perMinute: null },
  });
  assert.deepEqual(lifted.body.limits, { perMinute: null, perDay: null });
  const again = await openSubmission(stack.submissionPort, acct.username, acct.password);
  assert.match(await sendOne(again, 'quota 11'), /^250 2\.0\.0 /);
  again.close();
});

test('limits are validated: negative, fractional or unknown fields → 400', async () => {
  const acct = await createAccount(stack, { name: 'Bad limits', domain: 'example.com', cidr: '127.0.0.0/8' });
  for (const body of [{ limits: { perMinute: -1 } }, { limits: { perDay: 1.5 } }, { limits: { perHour: 1 } }, {}]) {
    const r = await stack.api('PATCH', `/v1/accounts/${acct.accountId}`, body);
    assert.equal(r.status, 400, JSON.stringify(body));
  }
});

test('suspension: an open session is refused at its next MAIL, AUTH and API keys are refused; audited; lifted again', async () => {
  const acct = await createAccount(stack, { name: 'Suspect', domain: 'example.com', cidr: '127.0.0.0/8' });
  const open = await openSubmission(stack.submissionPort, acct.username, acct.password);
  assert.equal((await stack.api('GET', '/v1/messages', undefined, acct.apiKey)).status, 200);

  const noReason = await stack.api('PATCH', `/v1/accounts/${acct.accountId}`, { state: 'suspended' });
  assert.equal(noReason.status, 400, 'a state change needs a reason');
  const s = await stack.api<AccountView>('PATCH', `/v1/accounts/${acct.accountId}`, {
    state: 'suspended',
    reason: 'spam complaints',
  });
  assert.equal(s.status, 200);
  assert.equal(s.body.state, 'suspended');
  assert.equal(s.body.stateReason, 'spam complaints');

  const mail = await open.send('MAIL FROM:<app@example.com>');
  assert.match(mail, /^550 5\.7\.1 Account suspended/);
  assert.ok(isWellFormedReply(mail));
  open.close();

  const { chat } = await SmtpChat.connect(stack.submissionPort);
  await chat.send('EHLO client.test');
  await chat.startTls();
  await chat.send('EHLO client.test');
  const auth = await chat.authPlain(acct.username, acct.password);
  assert.match(auth, /^535 5\.7\.8 .*account suspended/);
  chat.close();

  // An IP credential of the suspended account on the plain port: refused at MAIL.
  assert.equal((await stack.api('POST', '/v1/trust-zones', { cidr: '127.0.0.0/8', name: 'loopback' })).status, 201);
  const cred = await stack.api('POST', `/v1/accounts/${acct.accountId}/ip-credentials`, { cidr: '127.0.0.1/32' });
  assert.equal(cred.status, 201);
  const plain = await SmtpChat.connect(stack.plainPort!);
  assert.match(plain.greeting, /^220 /);
  await plain.chat.send('EHLO printer.test');
  assert.match(await plain.chat.send('MAIL FROM:<app@example.com>'), /^550 5\.7\.1 Account suspended/);
  plain.chat.close();

  const api = await stack.api<{ error: { code: string; message: string } }>(
    'GET',
    '/v1/messages',
    undefined,
    acct.apiKey,
  );
  assert.equal(api.status, 403);
  assert.equal(api.body.error.code, 'account_suspended');
  assert.equal(await storedFor(acct), 0);

  const back = await stack.api<AccountView>('PATCH', `/v1/accounts/${acct.accountId}`, {
    state: 'active',
    reason: 'customer cleaned its list',
  });
  assert.equal(back.body.state, 'active');
  const resumed = await openSubmission(stack.submissionPort, acct.username, acct.password);
  assert.match(await sendOne(resumed, 'after suspension'), /^250 2\.0\.0 /);
  resumed.close();
  assert.equal((await stack.api('GET', '/v1/messages', undefined, acct.apiKey)).status, 200);

  // The audit trail names the admin key that made each change.
  const adminKeyId = (await stack.pool.query('SELECT id FROM api_keys WHERE account_id IS NULL')).rows[0].id as string;
  const v = await view(acct);
  assert.deepEqual(
    v.stateChanges.map((c) => [c.from, c.to, c.reason, c.actor]),
    [
      ['active', 'suspended', 'spam complaints', adminKeyId],
      ['suspended', 'active', 'customer cleaned its list', adminKeyId],
    ],
  );
  // The same state again is no change and leaves no audit row.
  await stack.api('PATCH', `/v1/accounts/${acct.accountId}`, { state: 'active', reason: 'again' });
  assert.equal((await view(acct)).stateChanges.length, 2);
});

test('sandbox: the message is accepted and recorded, every recipient ends sandboxed, nothing is delivered', async () => {
  const acct = await createAccount(stack, { name: 'Trial', domain: 'example.com', cidr: '127.0.0.0/8' });
  const s = await stack.api<AccountView>('PATCH', `/v1/accounts/${acct.accountId}`, {
    state: 'sandbox',
    reason: 'new customer, not yet reviewed',
  });
  assert.equal(s.body.state, 'sandbox');
  const id = await submitMail(stack, acct, {
    from: 'app@example.com',
    to: 'first@dest.test',
    cc: 'second@dest.test',
    subject: 'Sandboxed message',
    text: 'never delivered',
  });
  const v = await waitFor(
    async () => {
      const m = await viewMessage(stack, acct, id);
      return m.events.some((e) => e.type === 'completed') ? m : undefined;
    },
    { timeoutMs: 60_000, what: 'sandboxed message completed' },
  );
  assert.equal(v.status, 'sandboxed');
  assert.deepEqual(v.recipients.map((r) => `${r.address}=${r.status}`).sort(), [
    'first@dest.test=sandboxed',
    'second@dest.test=sandboxed',
  ]);
  assert.deepEqual(
    v.events
      .filter((e) => e.type === 'sandboxed')
      .map((e) => e.recipient)
      .sort(),
    ['first@dest.test', 'second@dest.test'],
  );
  const steps = (await stack.pool.query('SELECT type FROM message_events WHERE message_id = $1', [id])).rows.map(
    (r) => r.type as string,
  );
  assert.ok(!steps.includes('routed') && !steps.includes('relayed'), `nothing was routed: ${steps.join(', ')}`);
  // The workflow has finished, so nothing can still be on its way to the destination.
  assert.equal(sink.attempts('first@dest.test') + sink.attempts('second@dest.test'), 0);
  assert.equal(sink.messages.filter((m) => m.raw.includes('Subject: Sandboxed message')).length, 0);
  // Sandboxed mail counts against the account's usage like any other.
  assert.equal((await view(acct)).usage.day, 1);
});
