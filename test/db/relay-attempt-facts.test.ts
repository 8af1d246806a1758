import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { messageView } from '../../src/api/response-schemas.js';
import { createPool } from '../../src/db/pool.js';
import { migrate } from '../../src/db/migrate.js';
import { getMessageView } from '../../src/db/message-queries.js';
import { failOpenRecipients } from '../../src/db/pipeline-moves-repo.js';
import { applyRecipientUpdate } from '../../src/db/relay-outcome-repo.js';
import { relayOutcomeUpdate } from '../../src/delivery/apply-relay-report.js';
import { feedItem } from '../../src/relay-protocol/feed.js';
import { createTestDatabase } from '../helpers/database.js';

// What a relay reports of an attempt besides its reply (the TLS, the command the reply answered and the host that gave
// it) on its way into the central database and out through the API's message view and the suppression list, on a real
// PostgreSQL: a feed item as it arrives (parsed by the wire schema), applied the way the poll and the push apply it,
// then read back as the API shows it (and checked against the API's response schema).
let pool: pg.Pool;

before(async () => {
  pool = createPool(await createTestDatabase('dtls'));
  await migrate(pool);
  await pool.query(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'A')`);
  await pool.query(
    `INSERT INTO messages (id, account_id, mail_from, envelope_rcpts, raw, size, client_ip, submitted_at)
     VALUES ('m1', 'acc_1', 'a@a.test', $1, '\\x00', 1, '127.0.0.1', now())`,
    [['ann@enforce.test', 'bob@trial.test', 'cy@old.test']],
  );
  for (const a of ['ann@enforce.test', 'bob@trial.test', 'cy@old.test'])
    await pool.query(`INSERT INTO recipients (message_id, address, kind, status) VALUES ('m1', $1, 'to', 'relayed')`, [
      a,
    ]);
});
after(async () => {
  await pool.end();
});

const item = (seq: number, recipient: string, status: string, tls: unknown) =>
  feedItem.parse({
    seq,
    messageId: 'm1',
    recipient,
    status,
    smtpCode: status === 'delivered' ? 250 : null,
    enhancedCode: status === 'delivered' ? '2.0.0' : '4.7.5',
    response:
      status === 'delivered' ? '250 2.0.0 Ok' : 'MTA-STS policy not met: mx.enforce.test (starttls-not-supported)',
    sourceIp: '127.0.0.2',
    ...(tls === undefined ? {} : { tls }),
    at: new Date().toISOString(),
  });

test('each recipient shows the TLS of its last attempt as tls {version, cipher, verified, mtaSts, failure}', async () => {
  const relay = { id: 'relay-1' };
  const refused = {
    version: null,
    cipher: null,
    verified: false,
    mtaSts: 'enforce',
    failure: 'starttls-not-supported',
  };
  const verified = {
    version: 'TLSv1.3',
    cipher: 'TLS_AES_256_GCM_SHA384',
    verified: true,
    mtaSts: 'enforce',
    failure: null,
  };
  const testing = {
    version: 'TLSv1.3',
    cipher: 'TLS_AES_128_GCM_SHA256',
    verified: false,
    mtaSts: 'testing',
    failure: 'certificate-not-trusted',
  };
  const apply = (i: ReturnType<typeof item>, key: string) =>
    applyRecipientUpdate(pool, 'm1', relayOutcomeUpdate(relay, i), key);

  assert.equal(await apply(item(1, 'ann@enforce.test', 'deferred', refused), 'k1'), 'deferred');
  let view = await getMessageView(pool, 'm1', undefined);
  assert.deepEqual(view?.recipients.find((r) => r.address === 'ann@enforce.test')?.tls, refused);

  // The later, delivering attempt replaces it; a relay that reports no TLS (older relay) leaves the column alone.
  assert.equal(await apply(item(2, 'ann@enforce.test', 'delivered', verified), 'k2'), 'delivered');
  assert.equal(await apply(item(3, 'bob@trial.test', 'delivered', testing), 'k3'), 'delivered');
  assert.equal(await apply(item(4, 'cy@old.test', 'delivered', undefined), 'k4'), 'delivered');
  view = await getMessageView(pool, 'm1', undefined);
  assert.deepEqual(
    view?.recipients.map((r) => [r.address, r.tls]),
    [
      ['ann@enforce.test', verified],
      ['bob@trial.test', testing],
      ['cy@old.test', null],
    ],
  );
  messageView.parse(view);
  // The event keeps the attempt's TLS too (the refused attempt's deferral included).
  const events = view?.events.filter((e) => e.recipient === 'ann@enforce.test') ?? [];
  assert.deepEqual(
    events.map((e) => (e.data as { tls?: unknown }).tls),
    [refused, verified],
  );
});

/** A relay's report on a new recipient of m1, applied as the poll applies it; the recipient's status after. */
async function reportedByRelay(
  seq: number,
  recipient: string,
  reply: {
    status: string;
    command?: string;
    remoteHost?: string;
    smtpCode: number;
    enhancedCode: string | null;
    response: string;
  },
) {
  await pool.query(
    `INSERT INTO recipients (message_id, address, kind, status) VALUES ('m1', $1, 'to', 'relayed') ON CONFLICT DO NOTHING`,
    [recipient],
  );
  const item = feedItem.parse({
    seq,
    messageId: 'm1',
    recipient,
    sourceIp: '127.0.0.2',
    at: new Date().toISOString(),
    ...reply,
  });
  return applyRecipientUpdate(pool, 'm1', relayOutcomeUpdate({ id: 'relay-1' }, item), `k${seq}`);
}

/** A relay's bounce of a new recipient of m1, from mx.dest.test. */
const bouncedByRelay = (
  seq: number,
  recipient: string,
  reply: { command: string; smtpCode: number; enhancedCode: string | null; response: string },
) => reportedByRelay(seq, recipient, { status: 'bounced', remoteHost: 'mx.dest.test', ...reply });

const recipientIn = async (address: string) =>
  (await getMessageView(pool, 'm1', undefined))?.recipients.find((r) => r.address === address);

test("a relay's reply keeps the command it answered and the host that gave it on the recipient and its event", async () => {
  const reply = { command: 'DATA', smtpCode: 550, enhancedCode: null, response: '550 Unknown user' };
  assert.equal(await bouncedByRelay(10, 'dee@dest.test', reply), 'bounced');
  const view = await getMessageView(pool, 'm1', undefined);
  const dee = view?.recipients.find((r) => r.address === 'dee@dest.test');
  assert.deepEqual(
    [dee?.smtpResponse, dee?.smtpCommand, dee?.remoteHost],
    ['550 Unknown user', 'DATA', 'mx.dest.test'],
  );
  const event = view?.events.find((e) => e.recipient === 'dee@dest.test');
  const data = event?.data as { command?: string; remoteHost?: string; reason?: string; hard?: boolean };
  // the words after DATA came once the address had been taken: a filter's refusal, not an unknown mailbox
  assert.deepEqual(
    [data.command, data.remoteHost, data.reason, data.hard],
    ['DATA', 'mx.dest.test', 'filtered', false],
  );
  messageView.parse(view);
});

test("a suppression from a relay's bounce says which step and host refused the address", async () => {
  const reply = {
    command: 'RCPT',
    smtpCode: 550,
    enhancedCode: '5.1.1',
    response: '550 5.1.1 <gone@dest.test>: Recipient address rejected: User unknown',
  };
  assert.equal(await bouncedByRelay(11, 'gone@dest.test', reply), 'bounced');
  const { rows } = await pool.query<{ detail: string; bounce_reason: string }>(
    `SELECT detail, bounce_reason FROM suppressions WHERE address = 'gone@dest.test'`,
  );
  assert.deepEqual(rows, [
    { detail: 'userunknown 5.1.1, RCPT at mx.dest.test (first bounce)', bounce_reason: 'userunknown' },
  ]);
});

test("the service's own last word on a recipient clears the origin of the destination's reply before it", async () => {
  const greylisted = {
    status: 'deferred',
    command: 'RCPT',
    remoteHost: 'mx1.dest.test',
    smtpCode: 450,
    enhancedCode: '4.7.1',
    response: '450 4.7.1 Greylisted, try again later',
  };
  assert.equal(await reportedByRelay(20, 'fay@dest.test', greylisted), 'deferred');
  let fay = await recipientIn('fay@dest.test');
  assert.deepEqual([fay?.smtpCommand, fay?.remoteHost], ['RCPT', 'mx1.dest.test']);
  // the message's lifetime ran out: the text is the service's, no host's answer to a command
  await failOpenRecipients(pool, 'm1', 'lifetime expired', ['fay@dest.test']);
  fay = await recipientIn('fay@dest.test');
  assert.deepEqual(
    [fay?.status, fay?.smtpResponse, fay?.smtpCommand, fay?.remoteHost],
    ['failed', 'lifetime expired', null, null],
  );
});
