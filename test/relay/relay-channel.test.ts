import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { fetchStatusFeed } from '../../src/activities/relay-api-client.js';
import { relayReportsPath } from '../../src/api/routes/relay-reports.js';
import { relayPushHeaders, SIGNATURE_HEADER, signRelayMessage, signed } from '../../src/relay-protocol/auth.js';
import { generateRelayCertificate } from '../../src/relay/relay-tls.js';
import type { RelayHandle } from '../../src/relay/relay-server.js';
import { startTestRelay } from '../helpers/relays.js';
import { createAccount, startStack, type Stack, type TestAccount } from '../helpers/stack.js';
import { finishedMessage, submitMail, viewMessage } from '../helpers/submit.js';
import { waitFor } from '../helpers/wait-for.js';

// The channel between the MDE and its relays over the real stack: the MDE hands off only to the certificate registered
// for a relay (an impostor never sees AUTH), pushes and poll answers count only when signed with the relay's secret,
// and a relay's report moves only the recipients that were handed to that relay.

let stack: Stack;
let acct: TestAccount;
let relay1: RelayHandle;
/** An SMTP server posing as relay-x, with a certificate of its own: it counts what the MDE dares to send it. */
let impostor: SMTPServer & { port: number };
const seen = { connections: 0, auth: 0, mail: 0 };

async function ok<T>(res: Promise<{ status: number; body: T }>, expected: number): Promise<T> {
  const r = await res;
  assert.equal(r.status, expected, JSON.stringify(r.body));
  return r.body;
}

before(async () => {
  // No poll or overdue check during the test: the fake relays' status ports are closed, which would mark them unhealthy.
  stack = await startStack({
    env: { STATUS_CHECK_INTERVAL: '1h', RELAY_POLL_INTERVAL: '1h', HANDOFF_RETRY: '200ms,400ms' },
  });
  acct = await createAccount(stack, { domain: 'example.com', cidr: '127.0.0.0/8' });
  // relay-1: a real relay whose deliveries go to a closed port, so its recipients stay open (deferred) for the test.
  relay1 = await startTestRelay(stack, 'relay-1', '127.0.0.2', {
    transport: '*=127.0.0.1:9',
    retryScheduleMs: [3_600_000],
    maxLifetimeMs: 7_200_000,
    push: true,
  });

  impostor = await fakeRelay('relay-x', {
    onConnect(_session, callback) {
      seen.connections++;
      callback();
    },
    onAuth(_auth, _session, callback) {
      seen.auth++;
      callback(null, { user: 'mde' });
    },
    onMailFrom(_address, _session, callback) {
      seen.mail++;
      callback();
    },
  });
  // relay-x is registered with relay-1's fingerprint: whatever answers at its address must hold relay-1's key.
  await stack.registerRelay({
    id: 'relay-x',
    smtpPort: impostor.port,
    httpPort: 9,
    sourceIp: '127.0.0.4',
    tlsFingerprint: relay1.tlsFingerprint,
  });
  // relay-2 is registered (its secret can sign) but gets no mail: its IP sits in a pool no rule uses.
  await stack.registerRelay({
    id: 'relay-2',
    smtpPort: 9,
    httpPort: 9,
    sourceIp: '127.0.0.3',
    tlsFingerprint: relay1.tlsFingerprint,
  });
  await ok(stack.api('POST', '/v1/ip-pools', { name: 'impostor' }), 201);
  await ok(stack.api('POST', '/v1/ip-pools', { name: 'spare' }), 201);
  await ok(stack.api('PATCH', '/v1/ips/127.0.0.4', { pool: 'impostor', reason: 'test' }), 200);
  await ok(stack.api('PATCH', '/v1/ips/127.0.0.3', { pool: 'spare', reason: 'test' }), 200);
  await ok(
    stack.api('POST', '/v1/mde/rules', { priority: 5, match: { recipientDomain: 'impostor.test' }, pool: 'impostor' }),
    201,
  );
});

after(async () => {
  await stack?.close();
  await relay1?.close();
  await new Promise<void>((r) => (impostor ? impostor.close(() => r()) : r()));
});

/**
 * An SMTP server standing in for relay `id`, with a certificate of its own (`fingerprint`), listening on 127.0.0.1 on
 * `port`; `handlers` are smtp-server's callbacks.
 */
async function fakeRelay(
  id: string,
  handlers: Partial<SMTPServerOptions>,
): Promise<SMTPServer & { port: number; fingerprint: string }> {
  const own = await generateRelayCertificate([`${id}.relay.localhost`]);
  const server = new SMTPServer({
    key: own.key,
    cert: own.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    hideDSN: false,
    logger: false,
    disableReverseLookup: true,
    // The MDE keeps its pooled connection open: don't wait the default 30 s for it on close.
    closeTimeout: 100,
    ...handlers,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as { port: number }).port;
  return Object.assign(server, { port, fingerprint: own.fingerprint });
}

async function pushAs(relayId: string, items: unknown, headers?: Record<string, string>): Promise<number> {
  const body = JSON.stringify({ items });
  const res = await fetch(stack.apiUrl + relayReportsPath, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(headers ?? relayPushHeaders(relayId, stack.relaySecret(relayId), body, Date.now())),
    },
    body,
  });
  await res.body?.cancel();
  return res.status;
}

test('a relay presenting another certificate than the registered one: the handoff fails and it never sees AUTH', async () => {
  const id = await submitMail(stack, acct, {
    from: 'app@example.com',
    to: 'someone@impostor.test',
    subject: 'pinned',
    text: 'x',
  });
  // The workflow gives up on that IP after the activity's tries and records why.
  const failed = await waitFor(
    async () =>
      (await viewMessage(stack, acct, id)).events
        .filter((e) => e.type === 'handoff-failed')
        .map((e) => e.data as { relayId?: string; error?: string })
        .find((d) => d.relayId === 'relay-x'),
    { what: 'handoff-failed event', timeoutMs: 60_000 },
  );
  assert.match(
    String(failed.error),
    /^relay relay-x presented a TLS certificate with SHA-256 fingerprint [0-9A-F:]{95}, not the registered [0-9A-F:]{95}; nothing was sent$/,
  );
  assert.ok(seen.connections >= 1, 'the MDE did connect to the impostor');
  assert.deepEqual([seen.auth, seen.mail], [0, 0], 'no AUTH, no MAIL sent to a certificate that is not pinned');
  const v = await viewMessage(stack, acct, id);
  assert.notEqual(v.recipients[0]?.status, 'relayed');
});

test("a relay's report about a recipient handed to another relay changes nothing; its own report does", async () => {
  const id = await submitMail(stack, acct, {
    from: 'app@example.com',
    to: 'bob@dest.test',
    subject: 'cross',
    text: 'x',
  });
  // relay-1 took it and reported the deferral (its destination is a closed port).
  await waitFor(async () => (await viewMessage(stack, acct, id)).recipients[0]?.status === 'deferred', {
    what: 'recipient deferred at relay-1',
    timeoutMs: 60_000,
  });
  const item = (seq: number) => ({
    seq,
    messageId: id,
    recipient: 'bob@dest.test',
    status: 'delivered',
    smtpCode: 250,
    enhancedCode: '2.0.0',
    response: '250 2.0.0 Ok',
    reason: null,
    sourceIp: '127.0.0.3',
    at: new Date().toISOString(),
  });
  assert.equal(await pushAs('relay-2', [item(900_001)]), 200, 'relay-2 is authentic');
  const v = await viewMessage(stack, acct, id);
  assert.equal(v.recipients[0]?.status, 'deferred', 'relay-2 was never handed bob@dest.test');
  assert.ok(!v.events.some((e) => e.type === 'delivered'));
  // The control: the same report signed by relay-1, which holds the recipient, is applied.
  assert.equal(await pushAs('relay-1', [item(900_002)]), 200);
  assert.equal((await viewMessage(stack, acct, id)).recipients[0]?.status, 'delivered');
});

test('a report that overtakes the handoff it comes from (the relay delivered before the MDE recorded it) is applied', async () => {
  // relay-slow holds the handoff's DATA until released, so its report arrives while the MDE still waits for the 250.
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let holding = false;
  const slow = await fakeRelay('relay-slow', {
    onAuth: (_auth, _session, callback) => callback(null, { user: 'mde' }),
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => {
        holding = true;
        void released.then(() => callback());
      });
    },
  });
  after(() => new Promise<void>((r) => slow.close(() => r())));
  await stack.registerRelay({
    id: 'relay-slow',
    smtpPort: slow.port,
    httpPort: 9,
    sourceIp: '127.0.0.5',
    tlsFingerprint: slow.fingerprint,
  });
  await ok(stack.api('POST', '/v1/ip-pools', { name: 'slow' }), 201);
  await ok(stack.api('PATCH', '/v1/ips/127.0.0.5', { pool: 'slow', reason: 'test' }), 200);
  await ok(
    stack.api('POST', '/v1/mde/rules', { priority: 6, match: { recipientDomain: 'slow.test' }, pool: 'slow' }),
    201,
  );

  const id = await submitMail(stack, acct, {
    from: 'app@example.com',
    to: 'ann@slow.test',
    subject: 'race',
    text: 'x',
  });
  await waitFor(() => holding, { what: 'relay-slow holds the handoff', timeoutMs: 60_000 });
  assert.ok(!(await viewMessage(stack, acct, id)).events.some((e) => e.type === 'relayed'), 'handoff not recorded yet');
  const delivered = {
    seq: 1,
    messageId: id,
    recipient: 'ann@slow.test',
    status: 'delivered',
    smtpCode: 250,
    enhancedCode: '2.0.0',
    response: '250 2.0.0 Ok: queued as RACE1',
    reason: null,
    sourceIp: '127.0.0.5',
    at: new Date().toISOString(),
  };
  assert.equal(await pushAs('relay-slow', [delivered]), 200);
  const early = await viewMessage(stack, acct, id);
  assert.equal(early.recipients[0]?.status, 'delivered', 'applied before the handoff finished');

  release();
  const v = await waitFor(finishedMessage(stack, acct, id), { what: 'message completed', timeoutMs: 60_000 });
  assert.equal(v.status, 'delivered', 'the late handoff record does not move it back');
  assert.equal(v.recipients[0]?.smtpResponse, delivered.response);
});

test('pushes that are unsigned, signed for another body, stale, or carry the bare secret are refused', async () => {
  const body = JSON.stringify({ items: [] });
  const secret = stack.relaySecret('relay-1');
  const sign = (b: string, at: number): string => signRelayMessage(secret, signed.push('relay-1', b), at).header;
  const cases: Array<[string, Record<string, string>]> = [
    ['unsigned', { 'x-relay-id': 'relay-1' }],
    ['bare secret', { 'x-relay-id': 'relay-1', authorization: `Bearer ${secret}` }],
    ['another body', { 'x-relay-id': 'relay-1', [SIGNATURE_HEADER]: sign('{"items":[1]}', Date.now()) }],
    ['stale', { 'x-relay-id': 'relay-1', [SIGNATURE_HEADER]: sign(body, Date.now() - 10 * 60_000) }],
    ['another relay id', { 'x-relay-id': 'relay-2', [SIGNATURE_HEADER]: sign(body, Date.now()) }],
  ];
  for (const [name, headers] of cases) assert.equal(await pushAs('relay-1', [], headers), 401, name);
  assert.equal(await pushAs('relay-1', []), 200, 'correctly signed');
});

test('poll: the relay refuses unsigned requests, and the MDE refuses answers that are unsigned, changed or replayed', async () => {
  // The real relay's signed answer is accepted.
  const page = await fetchStatusFeed(`http://127.0.0.1:${relay1.httpPort}`, stack.relaySecret('relay-1'), 0);
  assert.ok(Array.isArray(page.items));
  const unsigned = await fetch(`http://127.0.0.1:${relay1.httpPort}/status?after=0`, {
    headers: { authorization: `Bearer ${stack.relaySecret('relay-1')}` },
  });
  assert.equal(unsigned.status, 401);
  await unsigned.body?.cancel();

  // A man in the middle answering for the relay: it knows an old, genuinely signed answer, but not the secret.
  const secret = stack.relaySecret('relay-1');
  const genuine = JSON.stringify({ items: [], next: 0 });
  const oldRequest = signRelayMessage(
    secret,
    signed.request('GET', '/status?after=0&limit=500', 'an-old-nonce'),
    Date.now(),
  );
  const modes: Record<string, (res: http.ServerResponse) => void> = {
    unsigned: (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(genuine),
    changed: (res) =>
      res
        .writeHead(200, {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signRelayMessage(secret, signed.answer(oldRequest.v1, genuine), Date.now()).header,
        })
        .end(JSON.stringify({ items: [], next: 99 })),
    replayed: (res) =>
      res
        .writeHead(200, {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signRelayMessage(secret, signed.answer(oldRequest.v1, genuine), Date.now()).header,
        })
        .end(genuine),
  };
  let mode = 'unsigned';
  const mitm = http.createServer((_req, res) => modes[mode]?.(res));
  await new Promise<void>((r) => mitm.listen(0, '127.0.0.1', r));
  after(() => new Promise<void>((r) => mitm.close(() => r())));
  const url = `http://127.0.0.1:${(mitm.address() as { port: number }).port}`;
  for (mode of Object.keys(modes))
    await assert.rejects(fetchStatusFeed(url, secret, 0), /relay answer \(HTTP 200\) refused/, mode);
});
