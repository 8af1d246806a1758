import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, Connection } from '@temporalio/client';
import { createAccount, startStack, type Stack, type TestAccount } from '../helpers/stack.js';
import { SmtpChat, isWellFormedReply, openSubmission } from '../helpers/smtp-chat.js';
import { startIngress } from '../../src/ingress/smtp-ingress.js';
import { loadTlsMaterial } from '../../src/ingress/tls-material.js';
import { createLogger } from '../../src/log.js';
import { smtpPasswordKey } from '../../src/secrets.js';
import { authLockoutFromConfig, sessionLimitsFromConfig } from '../../src/ingress/session-limits.js';
import { waitFor } from '../helpers/wait-for.js';

// Each policy failure during the SMTP dialogue gets its exact reply and enhanced code, and nothing is stored.
let stack: Stack;
let acct: TestAccount;
let narrow: TestAccount;

const message = (from: string, size = 0): string =>
  [`From: ${from}`, 'To: alice@dest.test', 'Subject: policy test', '', 'x'.repeat(size), '.'].join('\r\n');

const authed = (user: TestAccount): Promise<SmtpChat> =>
  openSubmission(stack.submissionPort, user.username, user.password);

async function storedCount(): Promise<number> {
  return Number((await stack.pool.query('SELECT count(*) FROM messages')).rows[0].count);
}

before(async () => {
  stack = await startStack({ roles: ['ingress', 'api'], env: { MAX_MESSAGE_BYTES: '4000', SMTP_PLAIN_PORT: '0' } });
  acct = await createAccount(stack, { domain: 'example.com', cidr: '127.0.0.0/8' });
  narrow = await createAccount(stack, { name: 'Narrow', domain: 'narrow.test', cidr: '10.0.0.0/8' });
});
after(async () => {
  await stack.close();
});

test('AUTH is neither offered nor accepted before STARTTLS: 530 5.7.0', async () => {
  const { chat, greeting } = await SmtpChat.connect(stack.submissionPort);
  assert.match(greeting, /^220 /);
  const ehlo = await chat.send('EHLO client.test');
  assert.ok(isWellFormedReply(ehlo));
  assert.match(ehlo, /STARTTLS/);
  assert.doesNotMatch(ehlo, /AUTH/);
  const reply = await chat.authPlain(acct.username, acct.password);
  assert.match(reply, /^530 5\.7\.0 /);
  chat.close();
});

test('after STARTTLS, AUTH is offered; wrong password → 535 5.7.8', async () => {
  const { chat } = await SmtpChat.connect(stack.submissionPort);
  await chat.send('EHLO client.test');
  await chat.startTls();
  assert.match(await chat.send('EHLO client.test'), /AUTH PLAIN LOGIN/);
  assert.match(await chat.authPlain(acct.username, 'wrong-password'), /^535 5\.7\.8 /);
  assert.match(await chat.authPlain('nobody', 'x'), /^535 5\.7\.8 /);
  chat.close();
});

test('relaying without AUTH on a submission port → 530 5.7.0', async () => {
  const { chat } = await SmtpChat.connect(stack.submissionPort);
  await chat.send('EHLO client.test');
  await chat.startTls();
  await chat.send('EHLO client.test');
  assert.match(await chat.send('MAIL FROM:<billing@example.com>'), /^530 5\.7\.0 /);
  chat.close();
});

test('sender domain not on the account list → 553 5.7.1 at MAIL FROM', async () => {
  const chat = await authed(acct);
  assert.match(await chat.send('MAIL FROM:<ceo@bank.test>'), /^553 5\.7\.1 /);
  assert.match(await chat.send('MAIL FROM:<billing@mail.example.com>'), /^250 /);
  chat.close();
});

test('client address not on the account acceptance list → 554 5.7.1', async () => {
  const chat = await authed(narrow);
  assert.match(await chat.send('MAIL FROM:<a@narrow.test>'), /^554 5\.7\.1 /);
  chat.close();
});

test('From header of another domain → 550 5.7.1 after DATA; oversize → 552 5.3.4 (SIZE and actual)', async () => {
  const before = await storedCount();
  const chat = await authed(acct);
  assert.match(await chat.send('MAIL FROM:<billing@example.com> SIZE=999999'), /^552 5\.3\.4 /);
  assert.match(await chat.send('MAIL FROM:<billing@example.com>'), /^250 /);
  assert.match(await chat.send('RCPT TO:<alice@dest.test>'), /^250 /);
  assert.match(await chat.send('DATA'), /^354 /);
  assert.match(await chat.send(message('ceo@bank.test')), /^550 5\.7\.1 /);
  assert.match(await chat.send('MAIL FROM:<billing@example.com>'), /^250 /);
  assert.match(await chat.send('RCPT TO:<alice@dest.test>'), /^250 /);
  assert.match(await chat.send('DATA'), /^354 /);
  assert.match(await chat.send(message('billing@example.com', 6000)), /^552 5\.3\.4 /);
  chat.close();
  assert.equal(await storedCount(), before, 'a refused message must leave nothing stored');
});

test('a good submission is stored and answered 250 2.0.0 Ok: queued as <id>', async () => {
  const chat = await authed(acct);
  await chat.send('MAIL FROM:<billing@example.com>');
  await chat.send('RCPT TO:<alice@dest.test>');
  await chat.send('DATA');
  const reply = await chat.send(message('billing@example.com'));
  const m = /^250 2\.0\.0 Ok: queued as (\w+)$/.exec(reply);
  assert.ok(m, reply);
  const row = await stack.pool.query('SELECT account_id, mail_from FROM messages WHERE id = $1', [m[1]]);
  assert.equal(row.rows[0]?.account_id, acct.accountId);
  // The workflow is started right after the commit, without holding up the 250.
  const wf = await waitFor(() => stack.temporal.workflow.getHandle(`msg-${m[1]}`).describe(), { what: 'workflow' });
  assert.equal(wf.type, 'deliverMessageWorkflow');
  chat.close();
});

test('plain port: outside every trust zone → 554 5.7.1; inside, an IP credential submits without AUTH', async () => {
  const refused = await SmtpChat.connect(stack.plainPort!);
  assert.match(refused.greeting, /^554 5\.7\.1 /);
  refused.chat.close();

  const zone = await stack.api<{ id: string }>('POST', '/v1/trust-zones', { cidr: '127.0.0.0/8', name: 'loopback' });
  assert.equal(zone.status, 201);
  const printer = await createAccount(stack, { name: 'Printer', domain: 'printer.test', cidr: '127.0.0.0/8' });
  const cred = await stack.api('POST', `/v1/accounts/${printer.accountId}/ip-credentials`, { cidr: '127.0.0.9/32' });
  assert.equal(cred.status, 201);

  // From an address without an IP credential: AUTH is required (and allowed in plaintext on this port only).
  const other = await SmtpChat.connect(stack.plainPort!, '127.0.0.1', '127.0.0.1');
  assert.match(other.greeting, /^220 /);
  await other.chat.send('EHLO printer');
  assert.match(await other.chat.send('MAIL FROM:<scan@printer.test>'), /^530 5\.7\.0 /);
  other.chat.close();

  const device = await SmtpChat.connect(stack.plainPort!, '127.0.0.1', '127.0.0.9');
  await device.chat.send('EHLO printer');
  assert.match(await device.chat.send('MAIL FROM:<scan@printer.test>'), /^250 /);
  assert.match(await device.chat.send('RCPT TO:<office@dest.test>'), /^250 /);
  assert.match(await device.chat.send('DATA'), /^354 /);
  assert.match(await device.chat.send(message('scan@printer.test')), /^250 2\.0\.0 Ok: queued as \w+$/);
  device.chat.close();

  // Submission ports now also enforce the zone list: a zone that excludes loopback refuses at connect.
  await stack.api('DELETE', `/v1/trust-zones/${zone.body.id}`);
  await stack.api('POST', '/v1/trust-zones', { cidr: '10.0.0.0/8', name: 'office' });
  const outside = await SmtpChat.connect(stack.submissionPort);
  assert.match(outside.greeting, /^554 5\.7\.1 /);
  outside.chat.close();
});

test('Temporal unreachable → 250 after the commit; another ingress process starts the workflow later', async () => {
  const dead = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 }) });
  const tls = await loadTlsMaterial({ dataDir: stack.config.DATA_DIR, hostname: 'localhost' });
  await stack.pool.query('DELETE FROM trust_zones');
  const ingress = await startIngress({
    pool: stack.pool,
    temporal: dead,
    taskQueue: 'nowhere',
    startTimeoutMs: 2000,
    log: createLogger(),
    tls,
    hostname: 'localhost',
    host: '127.0.0.1',
    submissionPorts: [0],
    maxMessageBytes: 100_000,
    maxRecipients: 10,
    smtpPasswordKey: smtpPasswordKey(stack.masterSecret),
    limits: sessionLimitsFromConfig(stack.config),
    authLockout: authLockoutFromConfig(stack.config),
    workflowInput: { statusCheckIntervalMs: 1000, maxLifetimeMs: 1000, handoffRetryMs: [100, 100] },
  });
  const before = await storedCount();
  const chat = await openSubmission(ingress.results[0]!.port, acct.username, acct.password);
  await chat.send('MAIL FROM:<billing@example.com>');
  await chat.send('RCPT TO:<alice@dest.test>');
  await chat.send('DATA');
  const reply = /^250 2\.0\.0 Ok: queued as (\w+)$/.exec(await chat.send(message('billing@example.com')));
  assert.ok(reply);
  chat.close();
  await ingress.close();
  // Stored with its start request; the stack's own ingress drains the start outbox and starts it on its Temporal.
  assert.equal(await storedCount(), before + 1);
  await waitFor(() => stack.temporal.workflow.getHandle(`msg-${reply[1]}`).describe(), {
    what: 'workflow started by the drain loop',
  });
  await waitFor(
    async () => Number((await stack.pool.query('SELECT count(*) FROM workflow_start_outbox')).rows[0].count) === 0,
    { what: 'start request removed' },
  );
});
