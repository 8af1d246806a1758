import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { messageView } from '../../src/api/response-schemas.js';
import type { RelayHandle } from '../../src/relay/relay-server.js';
import { startTestRelay } from '../helpers/relays.js';
import { createRouteDns } from '../../src/relay/resolve-route.js';
import { startDestinationSink, type Sink } from '../helpers/destination-sink.js';
import { startDnsFixture, type DnsFixture } from '../helpers/dns-fixture.js';
import {
  issuedCertificate,
  mtaStsDomainDns,
  startPolicyServer,
  stsPolicy,
  testCa,
  type PolicyServer,
} from '../helpers/mta-sts-fixture.js';
import { createAccount, startStack, type Stack, type TestAccount } from '../helpers/stack.js';
import { submitAndFinish } from '../helpers/submit.js';

// Submission to mailbox with MTA-STS on the relay, and the TLS of each recipient's delivery in the API's message view:
// secure.test enforces and its MX presents a certificate (from the test CA the relay trusts) valid for its name;
// trial.test is in testing mode and its MX (the same sink) presents that certificate too, which is not valid for
// mx.trial.test: delivered all the same, the failure shown.
let stack: Stack;
let acct: TestAccount;
let sink: Sink;
let dns: DnsFixture;
let policies: PolicyServer;
let relay: RelayHandle;

before(async () => {
  dns = await startDnsFixture({
    listings: { ...mtaStsDomainDns('secure.test', 's1'), ...mtaStsDomainDns('trial.test', 't1') },
  });
  policies = await startPolicyServer(['secure.test', 'trial.test']);
  policies.policies.set('secure.test', stsPolicy('enforce', 'mx.secure.test'));
  policies.policies.set('trial.test', stsPolicy('testing', 'mx.trial.test'));
  sink = await startDestinationSink({ tlsCertificate: await issuedCertificate(['mx.secure.test']) });
  stack = await startStack();
  relay = await startTestRelay(stack, 'relay-1', '127.0.0.2', {
    retryScheduleMs: [300],
    extra: {
      dns: createRouteDns({ server: dns.address, timeoutMs: 2_000 }),
      extraCa: (await testCa()).cert,
      allowPrivateDestinations: true,
      destinationPorts: { smtp: sink.port, https: policies.port },
    },
  });
  acct = await createAccount(stack, { domain: 'example.com', cidr: '127.0.0.0/8' });
});
after(async () => {
  await stack?.close();
  await relay?.close();
  await sink?.close();
  await policies?.close();
  await dns?.close();
});

test('the message view shows each recipient’s TLS: version, cipher, verified, MTA-STS mode and failure', async () => {
  const { v } = await submitAndFinish(stack, acct, {
    from: 'billing@example.com',
    to: ['ann@secure.test', 'bob@trial.test'],
    subject: 'TLS facts',
    text: 'Hello.',
  });
  messageView.parse(v);
  const tls = Object.fromEntries(v.recipients.map((r) => [r.address, [r.status, r.tls]]));
  const ann = tls['ann@secure.test'];
  const bob = tls['bob@trial.test'];
  assert.equal(ann?.[0], 'delivered');
  assert.equal(bob?.[0], 'delivered');
  const annTls = ann?.[1] as { version: string; cipher: string } | null;
  const bobTls = bob?.[1] as { version: string; cipher: string } | null;
  assert.match(annTls?.version ?? '', /^TLSv1\.[23]$/);
  assert.ok((annTls?.cipher ?? '').length > 0);
  assert.deepEqual(ann?.[1], { ...annTls, verified: true, mtaSts: 'enforce', failure: null });
  assert.deepEqual(bob?.[1], { ...bobTls, verified: false, mtaSts: 'testing', failure: 'certificate-host-mismatch' });
  assert.equal(sink.messages.length, 2);
  assert.ok(sink.messages.every((m) => m.secure));
});
