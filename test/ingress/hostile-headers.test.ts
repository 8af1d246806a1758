import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAccount, type Stack, type TestAccount } from '../helpers/stack.js';
import { type Sink, type SinkMessage } from '../helpers/destination-sink.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { SmtpChat, isWellFormedReply, openSubmission } from '../helpers/smtp-chat.js';
import { finishedMessage } from '../helpers/submit.js';
import { waitFor } from '../helpers/wait-for.js';
import { colonLessLines } from '../helpers/hostile-inputs.js';

// Hostile header blocks at submission, over a raw SMTP chat into the real stack (ingress → workflow → relay → sink):
// what the From check reads is what is delivered, the header block is bounded, and internal headers do not pass.
let pipeline: Pipeline;
let stack: Stack;
let sink: Sink;
let acct: TestAccount;

before(async () => {
  pipeline = await startPipeline({ relays: { count: 2 } });
  ({ stack, sink } = pipeline);
  acct = await createAccount(stack, { domain: 'own.test', cidr: '127.0.0.0/8' });
});
after(() => pipeline?.close());

async function storedCount(): Promise<number> {
  return Number((await stack.pool.query('SELECT count(*) FROM messages')).rows[0].count);
}

/** One transaction over a fresh authenticated session; `data` is the message as sent (the final CRLF.CRLF is added). */
async function submitRaw(data: string): Promise<string> {
  const chat = await openSubmission(stack.submissionPort, acct.username, acct.password);
  try {
    assert.match(await chat.send('MAIL FROM:<me@own.test>'), /^250 /);
    assert.match(await chat.send('RCPT TO:<alice@dest.test>'), /^250 /);
    assert.match(await chat.send('DATA'), /^354 /);
    const reply = await chat.send(`${data}\r\n.`);
    assert.ok(isWellFormedReply(reply), reply);
    return reply;
  } finally {
    chat.close();
  }
}

/** Submits and checks the reply, and that nothing was stored. */
async function refused(data: string, reply: RegExp): Promise<void> {
  const before = await storedCount();
  assert.match(await submitRaw(data), reply);
  assert.equal(await storedCount(), before, 'a refused message leaves nothing stored');
}

const queuedId = (reply: string): string => {
  const m = /^250 2\.0\.0 Ok: queued as (\w+)$/.exec(reply);
  assert.ok(m, reply);
  return m[1]!;
};

const fromLine = (m: SinkMessage): string => /^From:.*$/im.exec(m.raw.toString('latin1'))?.[0] ?? '';

test('a bare CR that would hide a second From (mailsplit splits on LF, delivery turns CR into CRLF) → 554 5.6.0', async () => {
  await refused(
    'X-A: x\rFrom: CEO <ceo@victim.test>\r\rSubject: hi\r\nFrom: <me@own.test>\r\nTo: alice@dest.test\r\n\r\nhello',
    /^554 5\.6\.0 Message header contains a bare CR or LF; header lines must end with CRLF$/,
  );
  await refused(
    'From: <me@own.test>\r\nSubject: hi\rFrom: ceo@victim.test\r\n\r\nhello',
    /^554 5\.6\.0 .*bare CR or LF/,
  );
});

test('a bare LF in the header block → 554 5.6.0; a bare LF in the body is accepted and kept as sent', async () => {
  await refused('From: <me@own.test>\nTo: alice@dest.test\nSubject: lf\n\nhello', /^554 5\.6\.0 .*bare CR or LF/);
  await refused(
    'From: <me@own.test>\r\nSubject: hi\nFrom: ceo@victim.test\r\n\r\nhello',
    /^554 5\.6\.0 .*bare CR or LF/,
  );
  const id = queuedId(
    await submitRaw(
      'From: <me@own.test>\r\nTo: alice@dest.test\r\nSubject: legacy body\r\n\r\nline one\nline two\rthree\n',
    ),
  );
  const row = await stack.pool.query<{ raw: Buffer }>('SELECT raw FROM messages WHERE id = $1', [id]);
  assert.ok(row.rows[0]!.raw.includes('\r\n\r\nline one\nline two\rthree\n'), 'the body is stored byte for byte');
});

test('every From address counts: a list with a foreign address, or a second From field → 550 5.7.1 naming From', async () => {
  await refused(
    'From: me@own.test, ceo@victim.test\r\nTo: alice@dest.test\r\nSubject: list\r\n\r\nhello',
    /^550 5\.7\.1 From header domain is not allowed for this account$/,
  );
  await refused(
    'From: Team: me@own.test, ceo@victim.test;\r\nTo: alice@dest.test\r\nSubject: group\r\n\r\nhello',
    /^550 5\.7\.1 From header/,
  );
  await refused(
    'From: me@own.test\r\nTo: alice@dest.test\r\nFrom: ceo@victim.test\r\nSubject: two\r\n\r\nhello',
    /^550 5\.7\.1 Message must have exactly one From header$/,
  );
  await refused(
    'To: alice@dest.test\r\nSubject: none\r\n\r\nhello',
    /^550 5\.7\.1 Message must have exactly one From header$/,
  );
  await refused('From: ceo@victim.test@own.test\r\nSubject: odd\r\n\r\nhello', /^550 5\.7\.1 From header/);
});

test('Sender is checked too: a foreign Sender → 550 5.7.1 naming Sender', async () => {
  await refused(
    'From: me@own.test\r\nSender: ceo@victim.test\r\nTo: alice@dest.test\r\nSubject: sender\r\n\r\nhello',
    /^550 5\.7\.1 Sender header domain is not allowed for this account$/,
  );
  await refused(
    'From: me@own.test\r\nSender: a@own.test\r\nSender: b@own.test\r\nSubject: senders\r\n\r\nhello',
    /^550 5\.7\.1 Message must have at most one Sender header$/,
  );
});

test('a line that is neither a field nor a continuation → 554 5.6.0', async () => {
  await refused(
    'From: me@own.test\r\nnot a header line\r\nSubject: x\r\n\r\nhello',
    /^554 5\.6\.0 Message header contains a line that is neither/,
  );
  await refused(' From: ceo@victim.test\r\nFrom: me@own.test\r\n\r\nhello', /^554 5\.6\.0 /);
});

test('header block limits → 552 5.6.0 naming the limit, nothing stored: 1 MiB block, 10,000 fields, 100 KiB field', async () => {
  const head = 'From: me@own.test\r\nTo: alice@dest.test\r\n';
  const filler = Array.from({ length: 5500 }, (_, i) => `X-Filler-${i}: ${'v'.repeat(180)}`).join('\r\n');
  await refused(`${head}${filler}\r\n\r\nhello`, /^552 5\.6\.0 Message header block exceeds 1048576 bytes$/);
  await refused(
    `${head}${'A: 1\r\n'.repeat(9_999)}\r\nhello`,
    /^552 5\.6\.0 Message header has more than 10000 fields$/,
  );
  await refused(
    `${head}X-Long: ${'a'.repeat(100 * 1024)}\r\n\r\nhello`,
    /^552 5\.6\.0 A message header field exceeds 102400 bytes$/,
  );
  await refused(
    `${head}X-Folded: a\r\n${' b\r\n'.repeat(30_000)}\r\nhello`,
    /^552 5\.6\.0 A message header field exceeds 102400 bytes$/,
  );
  // The input that used to block the event loop for seconds: colon-less lines.
  await refused(colonLessLines(2 * 1024 * 1024).toString('latin1'), /^552 5\.6\.0 /);
  // Just inside the limits is accepted.
  queuedId(await submitRaw(`${head}${'A: 1\r\n'.repeat(9_997)}X-Long: ${'a'.repeat(100 * 1024 - 12)}\r\n\r\nhello`));
});

test("a customer's X-Mde-* headers are removed at ingress: they do not steer the relay and do not reach the sink", async () => {
  const id = queuedId(
    await submitRaw(
      [
        'X-Mde-Source-Ip: 127.0.0.3',
        'X-Mde-Priority: 1000000',
        'X-Reputation-Incident: inc_forged',
        'From: <me@own.test>',
        'To: alice@dest.test',
        'Subject: mde forged',
        '',
        'hello',
      ].join('\r\n'),
    ),
  );
  const row = await stack.pool.query<{ raw: Buffer }>('SELECT raw FROM messages WHERE id = $1', [id]);
  assert.doesNotMatch(
    row.rows[0]!.raw.toString('latin1'),
    /^(X-Mde-|X-Reputation-Incident)/im,
    'the stored message carries no internal header',
  );
  const v = await waitFor(finishedMessage(stack, acct, id), { timeoutMs: 60_000, what: 'message delivered' });
  assert.equal(v.status, 'delivered');
  const copy = sink.messages.find((m) => m.raw.includes('Subject: mde forged'));
  assert.ok(copy);
  assert.doesNotMatch(copy.raw.toString('latin1'), /X-Mde-|X-Reputation-Incident/i);
  // The copy left from the address the MDE chose and recorded, whatever the customer wrote.
  assert.equal(copy.remoteAddress, v.recipients[0]!.sourceIp);
});

test('SMTP command lines are bounded by smtp-server (16 KiB): a longer line is answered 421', async () => {
  const { chat } = await SmtpChat.connect(stack.submissionPort);
  assert.match(await chat.send('EHLO client.test'), /^250/);
  assert.match(await chat.send(`NOOP ${'x'.repeat(20_000)}`), /^421 /);
  chat.close();
});

test('failed AUTH is bounded per session: the third failure is answered 421 4.7.0 (which ends the session)', async () => {
  const { chat } = await SmtpChat.connect(stack.submissionPort);
  await chat.send('EHLO client.test');
  await chat.startTls();
  await chat.send('EHLO client.test');
  assert.match(await chat.authPlain(acct.username, 'wrong-1'), /^535 5\.7\.8 /);
  assert.match(await chat.authPlain(acct.username, 'wrong-2'), /^535 5\.7\.8 /);
  assert.match(await chat.authPlain(acct.username, 'wrong-3'), /^421 4\.7\.0 Too many failed authentication attempts/);
  chat.close();
});

test('nothing with a foreign From reached the destination (checked after a message sent last arrived)', async () => {
  const id = queuedId(
    await submitRaw('From: Me <me@own.test>\r\nTo: alice@dest.test\r\nSubject: barrier\r\n\r\nhello'),
  );
  await waitFor(() => sink.messages.some((m) => m.raw.includes('Subject: barrier')), {
    timeoutMs: 60_000,
    what: `barrier ${id} at the sink`,
  });
  assert.ok(sink.messages.length >= 2);
  for (const m of sink.messages) {
    assert.doesNotMatch(m.raw.toString('latin1'), /victim\.test/, 'no refused payload was delivered');
    assert.match(fromLine(m), /^From: .*@own\.test>?$/i);
  }
});
