import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { authenticate, type MailauthResolver } from 'mailauth';
import { startDnsFixture, type DnsFixture } from '../helpers/dns-fixture.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { createAccount, type TestAccount } from '../helpers/stack.js';
import { submitAndFinish } from '../helpers/submit.js';
import { isWellFormedReply, openSubmission, SmtpChat } from '../helpers/smtp-chat.js';
import { waitFor } from '../helpers/wait-for.js';
import type { SinkMessage } from '../helpers/destination-sink.js';
import { loadPolicyFacts } from '../../src/db/accounts-repo.js';
import type { SenderDomainCheckSummary } from '../../src/workflows/check-sender-domains.js';

// Sender authentication over the real stack: the API hands out the DNS records, a DNS fixture publishes them, the
// domain verifies, and a message sent over SMTP reaches the destination sink signed so that mailauth (as a receiver
// would) finds DKIM, SPF and DMARC passing for the From domain. The default policy (verified) is on.

const DOMAIN = 'shop.test';
const SPF_DOMAIN = 'spf.relay.test';
const BOUNCE_DOMAIN = 'bounces.relay.test';

interface RecordView {
  host: string;
  type: 'TXT' | 'CNAME';
  value: string;
  purpose: string;
  status: string;
  found?: string;
  selector?: string;
}
interface DomainView {
  domain: string;
  state: string;
  problems: string[];
  records: RecordView[];
  returnPath: { host: string; verified: boolean };
  dkim: { signingSelector: string | null; keys: Array<{ selector: string; retireAfter: string | null }> };
}

let p: Pipeline;
let dns: DnsFixture;
let acct: TestAccount;
let added: DomainView;

const expectReply = async (chat: SmtpChat, line: string, pattern: RegExp): Promise<string> => {
  const reply = await chat.send(line);
  assert.ok(isWellFormedReply(reply), reply);
  assert.match(reply, pattern, `${line} → ${reply}`);
  return reply;
};

/** mailauth's resolver, asking the fixture (as the destination's resolver would ask the Internet). */
function fixtureResolver(): MailauthResolver {
  const r = new Resolver({ timeout: 2000, tries: 1 });
  r.setServers([dns.address]);
  return (name, rrtype) => r.resolve(name, rrtype as 'TXT') as Promise<unknown>;
}

/** Publishes the records as the API gave them (TXT values as one string each, the CNAME as an alias). */
function publish(records: readonly RecordView[]): void {
  const txt = new Map<string, string[]>();
  for (const r of records) {
    if (r.type === 'CNAME') dns.set(r.host, { a: [], cname: r.value });
    else txt.set(r.host, [...(txt.get(r.host) ?? []), r.value]);
  }
  for (const [host, values] of txt) dns.set(host, { a: [], txt: values });
}

const view = async (path = ''): Promise<DomainView> =>
  (await p.stack.api<DomainView>('GET', `/v1/accounts/${acct.accountId}/sender-domains/${DOMAIN}${path}`)).body;
const verify = async (): Promise<DomainView> => {
  const res = await p.stack.api<DomainView>('POST', `/v1/accounts/${acct.accountId}/sender-domains/${DOMAIN}/verify`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
};

before(async () => {
  dns = await startDnsFixture({
    listings: {
      // The service's own records: its SPF (the relays' addresses) and BOUNCE_DOMAIN's, which rp.<domain> aliases.
      [SPF_DOMAIN]: { a: [], txt: ['v=spf1 ip4:127.0.0.0/8 -all'] },
      [BOUNCE_DOMAIN]: { a: [], txt: [`v=spf1 include:${SPF_DOMAIN} -all`] },
    },
  });
  p = await startPipeline({
    stack: {
      env: {
        DNS_RESOLVER: dns.address,
        SPF_INCLUDE_DOMAIN: SPF_DOMAIN,
        BOUNCE_DOMAIN,
        ALERT_EMAIL_TO: 'ops@ops.test',
        DKIM_ROTATION_OVERLAP: '2d',
      },
    },
  });
  acct = await createAccount(p.stack, { domain: '', cidr: '127.0.0.0/8' });
  const res = await p.stack.api<DomainView>('POST', `/v1/accounts/${acct.accountId}/sender-domains`, {
    domain: DOMAIN,
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  added = res.body;
});
after(async () => {
  await p?.close();
  await dns?.close();
});

test('adding a domain returns the records to publish, and it is pending', () => {
  assert.equal(added.state, 'pending');
  const by = (purpose: string): RecordView[] => added.records.filter((r) => r.purpose === purpose);
  assert.match(by('ownership')[0]!.value, /^smtp-relay-verification=[0-9a-f]{32}$/);
  assert.equal(by('ownership')[0]!.host, `_smtp-relay.${DOMAIN}`);
  const dkim = by('dkim');
  assert.equal(dkim.length, 1);
  assert.match(dkim[0]!.host, new RegExp(`^rs\\w+\\._domainkey\\.${DOMAIN.replace('.', '\\.')}$`));
  // An RSA-2048 key: its SubjectPublicKeyInfo is 294 bytes.
  const pub = /p=([A-Za-z0-9+/=]+)$/.exec(dkim[0]!.value)?.[1] ?? '';
  assert.equal(Buffer.from(pub, 'base64').length, 294);
  assert.deepEqual(
    by('spf').map((r) => [r.host, r.value]),
    [[DOMAIN, `v=spf1 include:${SPF_DOMAIN} ~all`]],
  );
  assert.deepEqual(
    by('return-path').map((r) => [r.host, r.type, r.value]),
    [[`rp.${DOMAIN}`, 'CNAME', BOUNCE_DOMAIN]],
  );
  assert.deepEqual(
    by('dmarc').map((r) => [r.host, r.value]),
    [[`_dmarc.${DOMAIN}`, 'v=DMARC1; p=none']],
  );
  assert.ok(added.records.every((r) => r.status === 'unchecked'));
});

test('an unverified domain: 550 5.7.1 at MAIL FROM saying it is not verified', async () => {
  const chat = await openSubmission(p.stack.submissionPort, acct.username, acct.password);
  await expectReply(chat, `MAIL FROM:<app@${DOMAIN}>`, /^550 5\.7\.1 Sender domain is not verified/);
  await expectReply(chat, 'MAIL FROM:<app@unlisted.test>', /^553 5\.7\.1 /);
  chat.close();
  // What each policy lets send: `listed` (SENDER_DOMAIN_POLICY=listed) is the allowed list of old.
  const facts = async (policy: 'verified' | 'listed') => {
    const f = await loadPolicyFacts(p.stack.pool, acct.accountId, policy);
    return [f?.senderDomains, f?.unverifiedDomains];
  };
  assert.deepEqual(await facts('verified'), [[], [DOMAIN]]);
  assert.deepEqual(await facts('listed'), [[DOMAIN], []]);
});

test('a wrong DKIM record shows `wrong` with the value found, and the domain stays pending', async () => {
  const wrongKey = 'v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwrong';
  publish(added.records.map((r) => (r.purpose === 'dkim' ? { ...r, value: wrongKey } : r)));
  const v = await verify();
  const dkim = v.records.find((r) => r.purpose === 'dkim');
  assert.equal(dkim?.status, 'wrong');
  assert.equal(dkim?.found, wrongKey);
  assert.equal(v.records.find((r) => r.purpose === 'ownership')?.status, 'ok');
  assert.equal(v.state, 'pending');
  assert.ok(
    v.problems.some((x) => x.startsWith('dkim record')),
    JSON.stringify(v.problems),
  );
  assert.deepEqual(await view(), v, 'GET shows the same as the check');
});

test('published as given: verifies; a message arrives signed, and DKIM, SPF and DMARC pass at the receiver', async () => {
  dns.set(`_dmarc.${DOMAIN}`, { a: [], txt: ['v=DMARC1; p=reject'] }); // the customer's own, stricter policy
  publish(added.records.filter((r) => r.purpose !== 'dmarc'));
  const v = await verify();
  assert.equal(v.state, 'verified', JSON.stringify(v));
  assert.deepEqual(
    v.records.map((r) => [r.purpose, r.status]),
    [
      ['ownership', 'ok'],
      ['dkim', 'ok'],
      ['spf', 'ok'],
      ['return-path', 'ok'],
      ['dmarc', 'ok'],
    ],
  );
  assert.equal(v.returnPath.verified, true);

  const { v: msg } = await submitAndFinish(p.stack, acct, {
    from: `Shop <billing@${DOMAIN}>`,
    to: 'alice@dest.test',
    cc: 'bob@dest.test',
    replyTo: `help@${DOMAIN}`,
    subject: 'Your invoice',
    text: 'Amount due: 10 EUR',
    html: '<p>Amount due: <a href="https://shop.test/pay">pay</a></p>',
    headers: { 'List-Unsubscribe': '<https://shop.test/u/1>' },
  });
  assert.ok(
    msg.recipients.every((r) => r.status === 'delivered'),
    JSON.stringify(msg.recipients),
  );
  const copies = await p.sink.waitForMessages(2);
  const copy = copies.find((m) => m.rcptTo.includes('alice@dest.test')) as SinkMessage;
  assert.match(copy.mailFrom, new RegExp(`^bounces\\+[0-9a-z-]+@rp\\.${DOMAIN.replace('.', '\\.')}$`));

  const resolver = fixtureResolver();
  const check = (raw: Buffer) =>
    authenticate(raw, {
      ip: copy.remoteAddress.replace(/^::ffff:/, ''),
      helo: 'relay.test',
      sender: copy.mailFrom,
      mta: 'mx.dest.test',
      resolver,
    });
  const res = await check(copy.raw);
  const sig = res.dkim.results[0];
  assert.equal(sig?.status.result, 'pass', JSON.stringify(res.dkim.results));
  assert.equal(sig?.signingDomain, DOMAIN);
  assert.equal(sig?.selector, v.dkim.signingSelector);
  assert.equal(res.spf && res.spf.status.result, 'pass', JSON.stringify(res.spf));
  assert.equal(res.dmarc && res.dmarc.status.result, 'pass', JSON.stringify(res.dmarc));
  const signature = /^DKIM-Signature:[^]*?(?=\r\n\S)/m.exec(copy.raw.toString('latin1'))?.[0] ?? '';
  const h =
    /\bh=([^;]+)/
      .exec(signature.replace(/\r\n\s+/g, ' '))?.[1]
      ?.toLowerCase()
      .split(/\s*:\s*/) ?? [];
  for (const f of ['from', 'to', 'cc', 'subject', 'date', 'message-id', 'mime-version', 'content-type', 'reply-to'])
    assert.ok(h.includes(f), `h= signs ${f}: ${h.join(':')}`);
  assert.ok(h.includes('list-unsubscribe'));
  assert.equal(h.filter((f) => f === 'from').length, 2, 'From is over-signed');

  // Altered after signing: the body, or a second From on top (the over-signed From catches it).
  const text = copy.raw.toString('latin1');
  const altered = await check(Buffer.from(text.replace('Amount due: 10 EUR', 'Amount due: 99 EUR'), 'latin1'));
  assert.equal(altered.dkim.results[0]?.status.result, 'neutral', JSON.stringify(altered.dkim.results));
  assert.match(altered.dkim.results[0]?.status.comment ?? '', /body hash did not verify/);
  // DMARC still passes here through SPF, aligned by the rp.<domain> return path: the two are independent.
  assert.equal(altered.dmarc && altered.dmarc.status.result, 'pass');
  // Without the aligned return path (a copy relayed on by someone else), DMARC rests on DKIM alone and fails.
  const relayedOn = await authenticate(
    Buffer.from(text.replace('Amount due: 10 EUR', 'Amount due: 99 EUR'), 'latin1'),
    {
      ip: '192.0.2.1',
      helo: 'elsewhere.test',
      sender: 'someone@elsewhere.test',
      mta: 'mx.dest.test',
      resolver,
    },
  );
  assert.equal(relayedOn.dmarc && relayedOn.dmarc.status.result, 'fail');
  const extraFrom = await check(Buffer.from(`From: ceo@${DOMAIN}\r\n${text}`, 'latin1'));
  assert.equal(extraFrom.dkim.results[0]?.status.result, 'fail');

  // A bounce to the rp.<domain> VERP address is taken by the bounce receiver; one under an unverified rp is not.
  const { chat: bounce } = await SmtpChat.connect(p.stack.roles.bounce?.port ?? 0);
  await expectReply(bounce, 'EHLO mx.dest.test', /^250/);
  await expectReply(bounce, 'MAIL FROM:<>', /^250 /);
  await expectReply(bounce, `RCPT TO:<${copy.mailFrom}>`, /^250 /);
  await expectReply(bounce, `RCPT TO:<${copy.mailFrom.replace(`rp.${DOMAIN}`, 'rp.other.test')}>`, /^550 5\.1\.1 /);
  bounce.close();
});

test('a verified envelope domain with a From of a pending domain: 550 5.7.1 at DATA saying so', async () => {
  const pending = await p.stack.api('POST', `/v1/accounts/${acct.accountId}/sender-domains`, { domain: 'later.test' });
  assert.equal(pending.status, 201);
  const chat = await openSubmission(p.stack.submissionPort, acct.username, acct.password);
  await expectReply(chat, `MAIL FROM:<app@${DOMAIN}>`, /^250 /);
  await expectReply(chat, 'RCPT TO:<alice@dest.test>', /^250 /);
  await expectReply(chat, 'DATA', /^354 /);
  await expectReply(
    chat,
    'From: app@later.test\r\nTo: alice@dest.test\r\nSubject: s\r\n\r\nbody\r\n.',
    /^550 5\.7\.1 From header domain is not verified/,
  );
  chat.close();
});

test('rotation: a new key signs once DNS shows it; the old one stays expected for the overlap', async () => {
  const before = await view();
  const oldSelector = before.dkim.signingSelector;
  const rotated = await p.stack.api<DomainView>(
    'POST',
    `/v1/accounts/${acct.accountId}/sender-domains/${DOMAIN}/dkim-keys`,
  );
  assert.equal(rotated.status, 201);
  const fresh = rotated.body.records.find((r) => r.purpose === 'dkim' && r.selector !== oldSelector) as RecordView;
  assert.ok(fresh, 'the new key is listed');
  assert.equal((await verify()).dkim.signingSelector, oldSelector, 'not in DNS yet: the old key still signs');
  publish(rotated.body.records.filter((r) => r.purpose === 'dkim'));
  const after = await verify();
  assert.equal(after.dkim.signingSelector, fresh.selector);
  const old = after.dkim.keys.find((k) => k.selector === oldSelector);
  assert.ok(old?.retireAfter, 'the old key has a retirement time');
  const overlap = Date.parse(old.retireAfter) - Date.now();
  assert.ok(overlap > 47 * 3600_000 && overlap <= 48 * 3600_000, `overlap ${overlap} ms`);
  assert.equal(after.records.filter((r) => r.purpose === 'dkim').length, 2, 'both keys stay expected');
});

test('the daily check: a verified domain whose DKIM record disappears fails, with an event and an alert email', async () => {
  for (const r of (await view()).records.filter((x) => x.purpose === 'dkim')) dns.unlist(r.host);
  const summary = await p.stack.temporal.workflow.execute<() => Promise<SenderDomainCheckSummary>>(
    'checkSenderDomainsWorkflow',
    {
      taskQueue: p.stack.config.TEMPORAL_TASK_QUEUE,
      workflowId: `check-sender-domains-test-${p.stack.config.TEMPORAL_TASK_QUEUE}`,
      workflowExecutionTimeout: '2m',
    },
  );
  const change = summary.changed.find((c) => c.domain === DOMAIN);
  assert.equal(change?.transition, 'started-failing', JSON.stringify(summary));
  assert.equal(summary.alerts, 1);
  const v = await view();
  assert.equal(v.state, 'failing');
  assert.ok(
    v.problems.some((x) => /^dkim record .* is missing$/.test(x)),
    JSON.stringify(v.problems),
  );
  const account = await p.stack.api<{ events: Array<{ type: string; data: { domain?: string } }> }>(
    'GET',
    `/v1/accounts/${acct.accountId}`,
  );
  assert.ok(account.body.events.some((e) => e.type === 'sender-domain.started-failing' && e.data.domain === DOMAIN));
  const alert = await waitFor(() => p.sink.messages.find((m) => m.rcptTo.includes('ops@ops.test')), {
    timeoutMs: 60_000,
    what: 'the alert email at the sink',
  });
  assert.match(alert.raw.toString('latin1'), new RegExp(`Subject: Sender domain ${DOMAIN} fails its DNS checks`));
});
