import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { freePort } from '../../src/infra/free-port.js';
import { startDestinationSink } from '../helpers/destination-sink.js';
import { waitFor } from '../helpers/wait-for.js';
import { api, feedUntil, handOff, readFeed, startTestRelay, statusesOf, type FeedItem } from './relay-harness.js';

test('handoff → delivered from the source address, feed shows the destination reply, cursor-paged', async (t) => {
  const sink = await startDestinationSink();
  t.after(() => sink.close());
  const relay = await startTestRelay({ transport: `a.example=127.0.0.1:${sink.port},*=127.0.0.1:${sink.port}` });
  t.after(() => relay.close());

  const reply = await handOff(relay, { envid: 'msg-1', to: ['one@a.example', 'two@a.example', 'three@b.example'] });
  assert.match(reply, /^250 2\.0\.0 Ok: queued as [0-9A-F]{16}$/);

  // one SMTP session per (message, domain): two deliveries, both from 127.0.0.2, both over STARTTLS
  const got = await sink.waitForMessages(2);
  assert.deepEqual(got.map((m) => m.rcptTo.sort()).sort(), [['one@a.example', 'two@a.example'], ['three@b.example']]);
  for (const m of got) {
    assert.equal(m.remoteAddress, '127.0.0.2');
    assert.equal(m.secure, true);
    assert.equal(m.mailFrom, 'sender@mde.example');
    assert.match(
      m.raw.toString(),
      /^Received: from [^\r\n]+\r\n\tby r1\.relay\.localhost with ESMTPSA id [0-9A-F]{16};/,
    );
    assert.match(m.raw.toString(), /\r\nSubject: msg-1\r\n/);
  }

  const feed = await feedUntil(relay, (f) => f.length === 3, 'three feed items');
  for (const item of feed) {
    const at = got.find((m) => m.rcptTo.includes(item.recipient));
    assert.deepEqual(
      { ...item, seq: 0, at: '', tls: item.tls && { ...item.tls, cipher: '' } },
      {
        seq: 0,
        at: '',
        messageId: 'msg-1',
        recipient: item.recipient,
        status: 'delivered',
        smtpCode: 250,
        enhancedCode: '2.0.0',
        response: at?.reply,
        reason: null,
        sourceIp: '127.0.0.2',
        // STARTTLS with the sink's self-signed certificate: encrypted, not verified; a transport-map host has no MTA-STS
        tls: { version: 'TLSv1.3', cipher: '', verified: false, mtaSts: 'none', failure: null },
        // the reply answered the end of DATA, from the host the transport map names
        command: 'DATA',
        remoteHost: '127.0.0.1',
      },
    );
    assert.ok(!Number.isNaN(Date.parse(item.at)));
  }

  // paging one item at a time walks the same items in seq order; past the end, next stays at the cursor
  const paged: FeedItem[] = [];
  let after = 0;
  for (;;) {
    const { body } = await api<{ items: FeedItem[]; next: number }>(relay, `/status?after=${after}&limit=1`);
    if (body.items.length === 0) {
      assert.equal(body.next, after);
      break;
    }
    assert.equal(body.items.length, 1);
    assert.equal(body.next, body.items[0]?.seq);
    assert.ok(body.next > after);
    paged.push(...body.items);
    after = body.next;
  }
  assert.deepEqual(paged, feed);

  const msg = await api<{
    messageId: string;
    recipients: Array<{ recipient: string; status: string; attempts: number; response: string }>;
  }>(relay, '/messages/msg-1');
  assert.equal(msg.status, 200);
  assert.deepEqual(
    msg.body.recipients.map((r) => [r.recipient, r.status, r.attempts]),
    [
      ['one@a.example', 'delivered', 1],
      ['two@a.example', 'delivered', 1],
      ['three@b.example', 'delivered', 1],
    ],
  );
  assert.deepEqual(await api(relay, '/healthz', null), { status: 200, body: { ok: true, id: 'r1', queueDepth: 0 } });
});

test('550 5.1.1 bounces; 451 twice then 250 goes deferred, deferred, delivered; an accepted recipient is delivered at once', async (t) => {
  const sink = await startDestinationSink({
    script: (rcpt, attempt) => {
      if (rcpt === 'nobody@dest.example')
        return { code: 550, message: '5.1.1 <nobody@dest.example>: Recipient address rejected: User unknown' };
      if (rcpt === 'busy@dest.example' && attempt <= 2)
        return { code: 451, message: '4.3.0 Temporary failure, try again later' };
      return undefined;
    },
  });
  t.after(() => sink.close());
  const relay = await startTestRelay({ transport: `*=127.0.0.1:${sink.port}`, retryScheduleMs: [200] });
  t.after(() => relay.close());

  await handOff(relay, { envid: 'msg-2', to: ['ok@dest.example', 'nobody@dest.example', 'busy@dest.example'] });
  const feed = await feedUntil(
    relay,
    (f) => statusesOf(f, 'busy@dest.example').includes('delivered'),
    'busy recipient delivered',
  );

  assert.deepEqual(statusesOf(feed, 'ok@dest.example'), ['delivered']);
  assert.deepEqual(statusesOf(feed, 'nobody@dest.example'), ['bounced']);
  assert.deepEqual(statusesOf(feed, 'busy@dest.example'), ['deferred', 'deferred', 'delivered']);
  const bounce = feed.find((i) => i.status === 'bounced');
  assert.deepEqual(
    [bounce?.smtpCode, bounce?.enhancedCode, bounce?.response, bounce?.command, bounce?.remoteHost],
    [550, '5.1.1', '550 5.1.1 <nobody@dest.example>: Recipient address rejected: User unknown', 'RCPT', '127.0.0.1'],
  );
  const deferral = feed.find((i) => i.status === 'deferred');
  assert.deepEqual(
    [deferral?.smtpCode, deferral?.enhancedCode, deferral?.response, deferral?.reason, deferral?.command],
    [451, '4.3.0', '451 4.3.0 Temporary failure, try again later', null, 'RCPT'],
  );
  const delivered = feed.filter((i) => i.status === 'delivered');
  assert.deepEqual(
    delivered.map((i) => i.response),
    sink.messages.map((m) => m.reply),
  );
  assert.equal(sink.messages.length, 2);
  assert.equal(sink.attempts('nobody@dest.example'), 1);
  assert.equal(sink.attempts('busy@dest.example'), 3);
  // retries waited for the schedule: the two deferrals of "busy" are at least ~200 ms apart
  const busy = feed.filter((i) => i.recipient === 'busy@dest.example').map((i) => Date.parse(i.at));
  assert.ok((busy[1] ?? 0) - (busy[0] ?? 0) >= 150, `retry came too early: ${busy.join(', ')}`);

  const msg = await api<{ recipients: Array<{ recipient: string; status: string; attempts: number }> }>(
    relay,
    '/messages/msg-2',
  );
  assert.deepEqual(
    msg.body.recipients.map((r) => [r.recipient, r.status, r.attempts]),
    [
      ['ok@dest.example', 'delivered', 1],
      ['nobody@dest.example', 'bounced', 1],
      ['busy@dest.example', 'delivered', 3],
    ],
  );
});

test('a refusal after DATA is reported with the command it answered, in the feed and the per-message state', async (t) => {
  // a destination that takes every RCPT TO and refuses the message afterwards, as some consumer MXs do for a
  // recipient's reception filter: the same words mean something else at RCPT TO, so the step travels with the reply
  const sink = await startDestinationSink({ dataReply: () => ({ code: 550, message: 'Unknown user' }) });
  t.after(() => sink.close());
  const relay = await startTestRelay({ transport: `*=127.0.0.1:${sink.port}` });
  t.after(() => relay.close());

  await handOff(relay, { envid: 'msg-data', to: ['someone@dest.example'] });
  const feed = await feedUntil(relay, (f) => f.length === 1, 'the refusal in the feed');
  assert.deepEqual(
    feed.map((i) => [i.status, i.smtpCode, i.response, i.command, i.remoteHost]),
    [['bounced', 550, '550 Unknown user', 'DATA', '127.0.0.1']],
  );
  const msg = await api<{ recipients: Array<{ recipient: string; command: string; remoteHost: string }> }>(
    relay,
    '/messages/msg-data',
  );
  assert.deepEqual(
    msg.body.recipients.map((r) => [r.recipient, r.command, r.remoteHost]),
    [['someone@dest.example', 'DATA', '127.0.0.1']],
  );
});

test('a duplicate handoff of the same (envid, recipient) is answered 250 and delivered once', async (t) => {
  const sink = await startDestinationSink();
  t.after(() => sink.close());
  const relay = await startTestRelay({ transport: `*=127.0.0.1:${sink.port}` });
  t.after(() => relay.close());

  const [first, second] = await Promise.all([
    handOff(relay, { envid: 'msg-3', to: ['dup@dest.example'] }),
    handOff(relay, { envid: 'msg-3', to: ['dup@dest.example'] }),
  ]);
  const queueId = (r: string): string | undefined => /queued as (\w+)$/.exec(r)?.[1];
  assert.equal(queueId(first), queueId(second));
  await sink.waitForMessages(1);
  await feedUntil(relay, (f) => f.length === 1, 'delivered event');

  // after delivery: a third handoff adds nothing; a handoff with one new recipient queues only that one
  assert.equal(queueId(await handOff(relay, { envid: 'msg-3', to: ['dup@dest.example'] })), queueId(first));
  assert.equal((await api<{ queueDepth: number }>(relay, '/healthz', null)).body.queueDepth, 0);
  await handOff(relay, { envid: 'msg-3', to: ['dup@dest.example', 'new@dest.example'] });
  await sink.waitForMessages(2);
  await waitFor(async () => (await api<{ queueDepth: number }>(relay, '/healthz', null)).body.queueDepth === 0, {
    what: 'queue drained',
  });
  assert.deepEqual(
    sink.messages.map((m) => m.rcptTo),
    [['dup@dest.example'], ['new@dest.example']],
  );
  const feed = await readFeed(relay);
  assert.deepEqual(
    feed.map((i) => [i.recipient, i.status]),
    [
      ['dup@dest.example', 'delivered'],
      ['new@dest.example', 'delivered'],
    ],
  );
});

test('a recipient deferred past the lifetime fails with reason expired and the last reply', async (t) => {
  const sink = await startDestinationSink({
    script: () => ({ code: 451, message: '4.7.1 Greylisted, come back later' }),
  });
  t.after(() => sink.close());
  const relay = await startTestRelay({
    transport: `*=127.0.0.1:${sink.port}`,
    retryScheduleMs: [150],
    maxLifetimeMs: 700,
  });
  t.after(() => relay.close());

  await handOff(relay, { envid: 'msg-4', to: ['grey@dest.example'] });
  const feed = await feedUntil(relay, (f) => f.some((i) => i.status === 'failed'), 'expiry');
  const statuses = statusesOf(feed, 'grey@dest.example');
  assert.equal(statuses.at(-1), 'failed');
  assert.ok(
    statuses.slice(0, -1).length >= 2 && statuses.slice(0, -1).every((s) => s === 'deferred'),
    statuses.join(','),
  );
  const failed = feed.at(-1);
  assert.deepEqual(
    [failed?.reason, failed?.smtpCode, failed?.enhancedCode, failed?.response],
    ['expired', 451, '4.7.1', '451 4.7.1 Greylisted, come back later'],
  );
  assert.equal(sink.attempts('grey@dest.example'), statuses.length);
  assert.equal(sink.messages.length, 0);
});

test('restart: queued for a down destination, a new relay on the same database delivers exactly once', async (t) => {
  const port = await freePort();
  const first = await startTestRelay({ transport: `*=127.0.0.1:${port}`, retryScheduleMs: [200] });
  await handOff(first, { envid: 'msg-5', to: ['later@dest.example'] });
  const deferred = await waitFor(async () => (await readFeed(first)).find((i) => i.status === 'deferred'), {
    what: 'connection-refused deferral',
  });
  assert.equal(deferred.smtpCode, null);
  assert.match(deferred.response ?? '', /ECONNREFUSED/);
  await first.close();

  // as if the relay had been killed mid-attempt: the row is left `delivering` under a lease that has not run out
  const db = new pg.Client({ connectionString: first.databaseUrl });
  await db.connect();
  await db.query(`UPDATE relay_recipients SET status = 'delivering', lease_until = now() + interval '1 hour'`);
  await db.end();

  const sink = await startDestinationSink({ port });
  t.after(() => sink.close());
  const second = await startTestRelay({
    transport: `*=127.0.0.1:${port}`,
    databaseUrl: first.databaseUrl,
    sourceIp: '127.0.0.3',
  });
  t.after(() => second.close());
  await sink.waitForMessages(1);
  await waitFor(async () => (await api<{ queueDepth: number }>(second, '/healthz', null)).body.queueDepth === 0, {
    what: 'queue drained',
  });
  const feed = await readFeed(second);
  assert.equal(sink.messages.length, 1);
  assert.equal(sink.messages[0]?.remoteAddress, '127.0.0.3');
  assert.deepEqual(
    feed.filter((i) => i.status === 'delivered').map((i) => [i.recipient, i.response, i.sourceIp]),
    [['later@dest.example', sink.messages[0]?.reply, '127.0.0.3']],
  );
});
