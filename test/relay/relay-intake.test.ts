import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { generate } from 'selfsigned';
import { isWellFormedReply, SmtpChat } from '../helpers/smtp-chat.js';
import { api, SECRET, startTestRelay } from './relay-harness.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const plain = (user: string, pass: string): string => `AUTH PLAIN ${b64(`\0${user}\0${pass}`)}`;

// Each scenario is one SMTP session: commands in order, and the reply each must get (a regex on the whole reply).
// Sessions start with EHLO and STARTTLS unless `plain` (the MDE always starts TLS; AUTH is refused before it).
const scenarios: Array<{ name: string; plain?: true; steps: Array<[string, RegExp]> }> = [
  {
    name: 'AUTH PLAIN before STARTTLS: not advertised, refused even with the right secret',
    plain: true,
    steps: [
      ['EHLO mde.localhost', /^250-(?![\s\S]*\bAUTH\b)[\s\S]*\r\n250[- ]STARTTLS\b/],
      [plain('mde', SECRET), /^530 5\.7\.0 Must issue a STARTTLS command first$/],
      ['MAIL FROM:<a@mde.example> ENVID=m0', /^530 5\.7\.0 Authentication required$/],
    ],
  },
  {
    name: 'AUTH LOGIN before STARTTLS',
    plain: true,
    steps: [
      ['EHLO mde.localhost', /^250-/],
      ['AUTH LOGIN', /^530 5\.7\.0 Must issue a STARTTLS command first$/],
    ],
  },
  {
    name: 'MAIL FROM without AUTH',
    steps: [
      ['EHLO mde.localhost', /^250-/],
      ['MAIL FROM:<a@mde.example> ENVID=m1', /^530 5\.7\.0 Authentication required$/],
    ],
  },
  {
    name: 'AUTH PLAIN with a wrong password',
    steps: [
      ['EHLO mde.localhost', /^250-/],
      [plain('mde', 'wrong'), /^535 5\.7\.8 Authentication credentials invalid$/],
    ],
  },
  {
    name: 'AUTH PLAIN with a wrong user',
    steps: [
      ['EHLO mde.localhost', /^250-/],
      [plain('admin', SECRET), /^535 5\.7\.8 /],
    ],
  },
  {
    name: 'AUTH LOGIN with a wrong password',
    steps: [
      ['EHLO mde.localhost', /^250-/],
      ['AUTH LOGIN', /^334 /],
      [b64('mde'), /^334 /],
      [b64('nope'), /^535 5\.7\.8 /],
    ],
  },
  {
    name: 'MAIL FROM without ENVID',
    steps: [
      ['EHLO mde.localhost', /^250-/],
      [plain('mde', SECRET), /^235 /],
      ['MAIL FROM:<a@mde.example>', /^555 5\.5\.4 MAIL FROM must carry ENVID=<message id>/],
    ],
  },
  {
    name: 'a recipient without a domain',
    steps: [
      ['EHLO mde.localhost', /^250-/],
      ['AUTH LOGIN', /^334 /],
      [b64('mde'), /^334 /],
      [b64(SECRET), /^235 /],
      ['MAIL FROM:<a@mde.example> ENVID=m1', /^250 /],
      ['RCPT TO:<postmaster>', /^501 5\.1\.3 /],
    ],
  },
  {
    name: 'a full handoff over a raw session',
    steps: [
      ['EHLO mde.localhost', /^250-[\s\S]*\r\n250[- ](?:2\.0\.0 )?DSN\b/],
      [plain('mde', SECRET), /^235 /],
      ['MAIL FROM:<a@mde.example> ENVID=chat+2Dm2', /^250 /],
      ['RCPT TO:<x@dest.example>', /^250 /],
      ['DATA', /^354 /],
      ['Subject: chat\r\n\r\nbody\r\n.', /^250 2\.0\.0 Ok: queued as [0-9A-F]{16}$/],
    ],
  },
];

test('SMTP intake: AUTH, ENVID and replies', async (t) => {
  // deliveries go nowhere (a closed port); these scenarios only look at the intake
  const relay = await startTestRelay({ transport: '*=127.0.0.1:9', retryScheduleMs: [60_000] });
  t.after(() => relay.close());
  for (const s of scenarios) {
    await t.test(s.name, async () => {
      const { chat, greeting } = await SmtpChat.connect(relay.smtpPort);
      try {
        assert.match(greeting, /^220 r1\.relay\.localhost ESMTP/);
        if (!s.plain) {
          assert.match(await chat.send('EHLO mde.localhost'), /\r\n250[- ]STARTTLS\b/);
          assert.match(await chat.startTls(), /^220 /);
        }
        for (const [command, want] of s.steps) {
          const reply = await chat.send(command);
          assert.ok(isWellFormedReply(reply), `malformed reply ${JSON.stringify(reply)}`);
          assert.match(reply, want, `${command} → ${reply}`);
        }
      } finally {
        chat.close();
      }
    });
  }
  // the xtext-encoded ENVID arrived decoded, as the message id the MDE knows
  const msg = await api<{ messageId: string; recipients: Array<{ recipient: string }> }>(relay, '/messages/chat-m2');
  assert.deepEqual([msg.status, msg.body.recipients.map((r) => r.recipient)], [200, ['x@dest.example']]);
});

test('status API: signed requests only, validation, JSON errors', async (t) => {
  const relay = await startTestRelay({ transport: '*=127.0.0.1:9' });
  t.after(() => relay.close());
  assert.deepEqual(await api(relay, '/status', null), {
    status: 401,
    body: {
      error: { code: 'unauthorized', message: 'request signature refused: missing or malformed signature' },
    },
  });
  assert.equal((await api(relay, '/status', 'wrong')).status, 401);
  assert.equal((await api(relay, '/messages/x', null)).status, 401);
  assert.deepEqual(await api(relay, '/status'), { status: 200, body: { items: [], next: 0 } });
  assert.deepEqual(await api(relay, '/status?after=42'), { status: 200, body: { items: [], next: 42 } });
  const tooMany = await api<{ error: { code: string } }>(relay, '/status?limit=1001');
  assert.deepEqual([tooMany.status, tooMany.body.error.code], [400, 'invalid_request']);
  assert.deepEqual(await api(relay, '/messages/never-seen'), {
    status: 404,
    body: { error: { code: 'not_found', message: 'message never-seen not found' } },
  });
  assert.deepEqual(await api(relay, '/healthz', null), { status: 200, body: { ok: true, id: 'r1', queueDepth: 0 } });
});

test('SMTP intake with a configured certificate: presents it, reports its fingerprint, takes a handoff over it', async (t) => {
  const pems = await generate([{ name: 'commonName', value: 'r1.relay.localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
  });
  const relay = await startTestRelay({
    transport: '*=127.0.0.1:9',
    retryScheduleMs: [60_000],
    tls: { key: pems.private, cert: pems.cert },
  });
  t.after(() => relay.close());
  assert.equal(relay.tlsFingerprint, new crypto.X509Certificate(pems.cert).fingerprint256);
  const { chat } = await SmtpChat.connect(relay.smtpPort);
  t.after(() => chat.close());
  assert.match(await chat.send('EHLO mde.localhost'), /\r\n250[- ]STARTTLS\b/);
  assert.match(await chat.startTls(), /^220 /);
  const ehlo = await chat.send('EHLO mde.localhost');
  assert.doesNotMatch(ehlo, /STARTTLS/);
  assert.match(ehlo, /\r\n250[- ]AUTH PLAIN LOGIN\b/);
  assert.match(await chat.authPlain('mde', SECRET), /^235 /);
  assert.match(await chat.send('MAIL FROM:<a@mde.example> ENVID=tls-1'), /^250 /);
  assert.match(await chat.send('RCPT TO:<x@dest.example>'), /^250 /);
  assert.match(await chat.send('DATA'), /^354 /);
  assert.match(await chat.send('Subject: tls\r\n\r\nbody\r\n.'), /^250 2\.0\.0 Ok: queued as /);
  assert.equal((await api(relay, '/messages/tls-1')).status, 200);
});
