import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createAccount, type Stack, type TestAccount } from '../helpers/stack.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { waitFor } from '../helpers/wait-for.js';
import { finishedMessage, submitMail, viewMessage } from '../helpers/submit.js';
import { deriveVerpSecret, verpAddress } from '../../src/bounces/verp.js';
import { classifySmtpReply } from '../../src/domain/bounces/classify-smtp-reply.js';
import { classifyRawBounce } from '../../src/bounces/classify-raw-bounce.js';
import { deliverToReceiver, dsn } from './bounce-mail.js';

// Hostile input at the bounce receiver and ingress, on a real stack. The crafted reports below made the classifier
// backtrack for minutes on a single message (a 40 KB one took 49 s): the SMTP listeners, the bounce receiver and the
// API share one event loop, so every session of the process stalled. Now classification is linear, cut, and runs on
// a worker thread: other sessions are served while the crafted reports are being read and classified.
const bounceDomain = 'bounces.localhost';
let pipeline: Pipeline;
let stack: Stack;
let acct: TestAccount;
let delivered: string;

/** Phrases that start the classifier's gap patterns ("client host ... rejected ... reverse"), never completed. */
const HOSTILE =
  'client host rejected ptr dkim banned access denied rfc 822 score size limit exceeded unable to deliver mail from your ip rejected because error code ';
const hostileText = (bytes: number): string => HOSTILE.repeat(Math.ceil(bytes / HOSTILE.length)).slice(0, bytes);

/** A diagnostic followed by more per-recipient blocks, so that dsn() puts them all in its delivery-status part. */
const withRecords = (diagnostic: string, n: number, record: (i: number) => string): string =>
  [diagnostic, '', ...Array.from({ length: n }, (_, i) => `${record(i)}\n`)].join('\n');

before(async () => {
  pipeline = await startPipeline({
    stack: {
      env: { BOUNCE_SMTP_HOST: '127.0.0.1', BOUNCE_SMTP_PORT: '0', BOUNCE_DOMAIN: bounceDomain },
    },
    relays: { count: 1, push: true },
  });
  ({ stack } = pipeline);
  assert.ok(stack.roles.bounce?.ok, `bounce receiver not listening: ${stack.roles.bounce?.error}`);
  acct = await createAccount(stack, { domain: 'example.com', cidr: '127.0.0.0/8' });
  delivered = await submitMail(stack, acct, {
    from: 'billing@example.com',
    to: ['alice@dest.test', 'bob@dest.test', 'carol@dest.test', 'dave@dest.test'],
    subject: 'Invoice',
    text: 'x',
  });
  await waitFor(finishedMessage(stack, acct, delivered), { timeoutMs: 60_000, what: 'message delivered' });
});
after(() => pipeline?.close());

/**
 * Runs in a separate process, so its deadline is kept by a clock of its own even if this process's event loop is
 * stuck: connects to each SMTP port and waits for the 220 greeting, and GETs /healthz, each within `deadlineMs`.
 * Exits 0 when all answered in time, else 1 naming what did not.
 */
function probeInOwnProcess(
  smtpPorts: number[],
  healthUrl: string,
  deadlineMs: number,
): Promise<{ code: number; output: string }> {
  const script = `
    const net = require('node:net');
    const deadline = Date.now() + ${deadlineMs};
    const timer = setTimeout(() => { console.log('deadline passed'); process.exit(1); }, ${deadlineMs});
    const greeting = (port) => new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1');
      s.setEncoding('utf8');
      let got = '';
      s.on('data', (d) => { got += d; if (got.includes('\\n')) { s.end('QUIT\\r\\n'); resolve(got.split('\\n')[0]); } });
      s.on('error', reject);
    });
    Promise.all([...${JSON.stringify(smtpPorts)}.map(greeting), fetch(${JSON.stringify(healthUrl)}).then((r) => r.json())]).then((answers) => {
      clearTimeout(timer);
      console.log(JSON.stringify(answers));
      const ok = answers.slice(0, -1).every((a) => a.startsWith('220 ')) && answers[answers.length - 1].ok === true && Date.now() <= deadline;
      process.exit(ok ? 0 : 1);
    }, (err) => { console.log(String(err)); process.exit(1); });
  `;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.once('exit', (code) => resolve({ code: code ?? 1, output }));
  });
}

test('while crafted large DSNs and a large submission are being processed, new SMTP sessions are greeted and /healthz answers', async () => {
  const receiverPort = stack.roles.bounce!.port;
  const verpSecret = deriveVerpSecret(stack.masterSecret);
  // Four reports of about 1 MiB (the receiver reads the first 1 MiB of a message): one huge diagnostic, many records
  // with hostile diagnostics, a prose bounce of hostile text, and an HTML notice of unclosed tags.
  const rcpts = ['alice@dest.test', 'bob@dest.test', 'carol@dest.test', 'dave@dest.test'];
  const verps = rcpts.map((r) => verpAddress({ messageId: delivered, recipient: r }, verpSecret, bounceDomain));
  const reports = [
    dsn({
      verp: verps[0]!,
      recipient: rcpts[0]!,
      action: 'failed',
      status: '5.0.0',
      diagnostic: `550 ${hostileText(1000 * 1024)}`,
    }),
    dsn({
      verp: verps[1]!,
      recipient: rcpts[1]!,
      action: 'failed',
      status: '5.0.0',
      diagnostic: withRecords(
        '550 5.1.1 User unknown',
        200,
        (i) =>
          `Final-Recipient: rfc822; u${i}@dest.test\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; 550 ${hostileText(4800)}`,
      ),
    }),
    `From: MAILER-DAEMON@mx.dest.test\nTo: ${verps[2]}\nSubject: Undelivered Mail Returned to Sender\nX-Failed-Recipients: ${rcpts[2]}\n\n${hostileText(1000 * 1024)}\n`,
    `From: MAILER-DAEMON@mx.dest.test\nTo: ${verps[3]}\nSubject: Undelivered Mail Returned to Sender\nX-Failed-Recipients: ${rcpts[3]}\nContent-Type: text/html\n\n${'<br'.repeat(340 * 1024)}\n`,
  ];
  const crafted = reports.map((raw, i) => deliverToReceiver(receiverPort, [verps[i]!], raw));
  const bigSubmission = submitMail(stack, acct, {
    from: 'billing@example.com',
    to: 'erin@dest.test',
    subject: 'Large',
    text: hostileText(2 * 1024 * 1024),
  });

  const probe = await probeInOwnProcess([receiverPort, stack.submissionPort], `${stack.apiUrl}/healthz`, 5000);
  assert.equal(
    probe.code,
    0,
    `a second session or /healthz did not answer within 5 s while the crafted input was processed: ${probe.output}`,
  );

  const replies = await Promise.all(crafted);
  for (const r of replies)
    assert.match(
      r.data ?? '',
      /^(?:250|451) /,
      'each report is answered: recorded, or deferred when the classifier queue is full',
    );
  assert.ok(await bigSubmission, 'the large submission was accepted');
  // The reports that were taken were classified: the recipient each names bounced.
  const v = await viewMessage(stack, acct, delivered);
  const recorded = replies
    .map((r, i) => (r.data?.startsWith('250') ? rcpts[i]! : null))
    .filter((x): x is string => x !== null);
  assert.ok(recorded.length > 0, 'at least one crafted report was taken');
  for (const a of recorded)
    assert.equal(v.recipients.find((x) => x.address === a)?.status, 'bounced', `${a}: ${JSON.stringify(v.recipients)}`);
});

test('hostile texts are classified in bounded work: the crafted reply and bounce give an answer', () => {
  // No timing here: these inputs made the old patterns run for minutes; the test run's timeout is the bound.
  // a megabyte of it is read as its start is: the same answer as one copy of the phrases
  assert.deepEqual(
    classifySmtpReply(550, null, `5.7.1 ${hostileText(1024 * 1024)}`),
    classifySmtpReply(550, null, `5.7.1 ${HOSTILE}`),
  );
  assert.deepEqual(classifySmtpReply(550, null, `5.7.1 ${HOSTILE}`), { reason: 'authfailure', hard: false });
  const report = classifyRawBounce(
    `From: MAILER-DAEMON@x\nSubject: Undelivered Mail\nX-Failed-Recipients: a@dest.test\n\n${hostileText(512 * 1024)}`,
  );
  assert.equal(report.kind, 'bounce');
  assert.equal(report.recipients.length, 1);
  assert.ok(report.recipients[0]!.diagnostic.length <= 4096);
});

test('a report naming more recipients than the bound is read up to the bound', () => {
  const many = dsn({
    verp: 'x@b.test',
    recipient: 'r0@dest.test',
    action: 'failed',
    status: '5.1.1',
    diagnostic: withRecords(
      '550 5.1.1 User unknown',
      500,
      (i) => `Final-Recipient: rfc822; r${i + 1}@dest.test\nAction: failed\nStatus: 5.1.1`,
    ),
  });
  const report = classifyRawBounce(many);
  assert.equal(report.kind, 'bounce');
  assert.equal(report.recipients.length, 50);
  assert.equal(report.recipients[0]!.reason, 'userunknown');
});

test('an API body over 1 MiB is refused with 413 and a JSON error', async () => {
  const res = await fetch(`${stack.apiUrl}/v1/suppressions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${acct.apiKey}` },
    body: JSON.stringify({ address: 'x@dest.test', note: 'x'.repeat(1024 * 1024 + 10) }),
  });
  assert.equal(res.status, 413);
  const body = (await res.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'too_large');
  assert.match(body.error.message, /too large/);
});
