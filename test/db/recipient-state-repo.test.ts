import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { createPool, inTransaction } from '../../src/db/pool.js';
import { migrate } from '../../src/db/migrate.js';
import { changeRecipientStatus, type RecipientChange } from '../../src/db/recipient-state-repo.js';
import { failOpenRecipients } from '../../src/db/pipeline-moves-repo.js';
import { applyRecipientUpdate } from '../../src/db/relay-outcome-repo.js';
import { markSuppressedRecipients } from '../../src/db/suppressed-recipients-repo.js';
import { markSandboxedRecipients } from '../../src/db/sandboxed-recipients-repo.js';
import {
  canChange,
  deriveMessageStatus,
  recipientStatuses,
  statusCauses,
  type RecipientStatus,
  type StatusCause,
} from '../../src/domain/status.js';
import { createTestDatabase } from '../helpers/database.js';

// The SQL guard of the one owner of recipient state, on a real PostgreSQL, against the pure transition table: for
// every (cause, from, to) a recipient is set to `from`, the change to `to` is attempted, and the row must have moved
// exactly when the table allows it. The address is stored in mixed case and named in lower case, as callers do.
let pool: pg.Pool;
let seq = 0;
const ADDRESS = 'Ann@Dest.test';
const BYSTANDER = 'bob@dest.test';

async function newMessage(addresses: string[]): Promise<string> {
  const id = `m${++seq}`;
  await pool.query(
    `INSERT INTO messages (id, account_id, mail_from, envelope_rcpts, raw, size, client_ip, submitted_at) VALUES ($1, 'acc_1', 'a@a.test', $2, '\\x00', 1, '127.0.0.1', now())`,
    [id, addresses],
  );
  for (const a of addresses)
    await pool.query(`INSERT INTO recipients (message_id, address, kind) VALUES ($1, $2, 'to')`, [id, a]);
  return id;
}

async function row(
  messageId: string,
  address: string,
): Promise<{ status: RecipientStatus; smtp_response: string | null }> {
  const { rows } = await pool.query(
    'SELECT status, smtp_response FROM recipients WHERE message_id = $1 AND address = $2',
    [messageId, address],
  );
  return rows[0];
}

async function messageStatus(messageId: string): Promise<string> {
  return (await pool.query('SELECT status FROM messages WHERE id = $1', [messageId])).rows[0].status;
}

before(async () => {
  pool = createPool(await createTestDatabase('rstate'));
  await migrate(pool);
  await pool.query(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'A')`);
});
after(async () => {
  await pool.end();
});

test('the SQL guard agrees with the transition table for every (cause, from, to)', async () => {
  const messageId = await newMessage([ADDRESS, BYSTANDER]);
  const reportCauses: readonly StatusCause[] = ['relay-report', 'async-bounce'];
  let moves = 0;
  for (const cause of statusCauses) {
    for (const from of recipientStatuses) {
      for (const to of recipientStatuses) {
        await pool.query(
          `UPDATE recipients SET status = $2, smtp_response = 'before' WHERE message_id = $1 AND address = $3`,
          [messageId, from, ADDRESS],
        );
        await pool.query(`UPDATE messages SET status = $2 WHERE id = $1`, [
          messageId,
          deriveMessageStatus([from, 'pending']),
        ]);
        const marker = `${cause}:${from}:${to}`;
        // Reports go the way real reports go (one recipient, event first); the pipeline's moves name a set.
        const change: RecipientChange = {
          messageId,
          recipients: [ADDRESS.toLowerCase()],
          move: { cause, to, set: { smtpResponse: marker } },
          ...(reportCauses.includes(cause)
            ? { event: { kind: 'report' as const, type: to, sourceKey: `test:${marker}`, data: {} } }
            : {}),
        };
        const result = await inTransaction(pool, (c) => changeRecipientStatus(c, change));
        const allowed = canChange(cause, from, to);
        const after = await row(messageId, ADDRESS);
        const what = `${cause}: ${from} → ${to}`;
        if (allowed) {
          moves++;
          assert.deepEqual(after, { status: to, smtp_response: marker }, what);
          assert.deepEqual(result.moved, [ADDRESS], what);
          assert.equal(
            await messageStatus(messageId),
            deriveMessageStatus([to, 'pending']),
            `${what}: message status refreshed`,
          );
        } else {
          assert.deepEqual(after, { status: from, smtp_response: 'before' }, what);
          assert.deepEqual(result.moved, [], what);
        }
        if (reportCauses.includes(cause)) assert.equal(result.status, allowed ? to : from, what);
        assert.equal((await row(messageId, BYSTANDER)).status, 'pending', `${what}: the other recipient is untouched`);
      }
    }
  }
  assert.equal(moves, 30);
});

test('a report seen before changes nothing; a relay bounce suppresses only when it moved the recipient', async () => {
  const messageId = await newMessage(['hard@dest.test', 'late@dest.test']);
  const bounce = (recipient: string) => ({
    recipient,
    status: 'bounced' as const,
    smtpCode: 550,
    enhancedCode: '5.1.1',
    response: '550 5.1.1 no such user',
    relayId: 'relay-1',
    sourceIp: null,
    at: new Date().toISOString(),
    bounce: { reason: 'userunknown', hard: true },
  });
  assert.equal(await applyRecipientUpdate(pool, messageId, bounce('hard@dest.test'), 'k-hard'), 'bounced');
  await pool.query(`UPDATE recipients SET status = 'relayed' WHERE message_id = $1 AND address = 'hard@dest.test'`, [
    messageId,
  ]);
  assert.equal(
    await applyRecipientUpdate(pool, messageId, bounce('hard@dest.test'), 'k-hard'),
    'relayed',
    'same source key: no change',
  );

  await pool.query(`UPDATE recipients SET status = 'delivered' WHERE message_id = $1 AND address = 'late@dest.test'`, [
    messageId,
  ]);
  assert.equal(
    await applyRecipientUpdate(pool, messageId, bounce('late@dest.test'), 'k-late'),
    'delivered',
    'a relay report never turns delivered into bounced',
  );
  const listed = (
    await pool.query(`SELECT address, reason FROM suppressions WHERE account_id = 'acc_1' ORDER BY address`)
  ).rows;
  assert.deepEqual(listed, [{ address: 'hard@dest.test', reason: 'hard-bounce' }]);
  assert.equal(await applyRecipientUpdate(pool, 'nope', bounce('x@dest.test'), 'k-none'), undefined);
});

test('the record stage suppresses only pending listed recipients; giving up fails only open ones, one event each', async () => {
  await pool.query(
    `INSERT INTO suppressions (account_id, address, reason) VALUES ('acc_1', 'listed@dest.test', 'unsubscribe'), ('acc_1', 'gone@dest.test', 'manual')`,
  );
  const messageId = await newMessage(['Listed@Dest.test', 'gone@dest.test', 'open@dest.test', 'done@dest.test']);
  await pool.query(`UPDATE recipients SET status = 'relayed' WHERE message_id = $1 AND address = 'gone@dest.test'`, [
    messageId,
  ]);
  await pool.query(`UPDATE recipients SET status = 'delivered' WHERE message_id = $1 AND address = 'done@dest.test'`, [
    messageId,
  ]);
  assert.deepEqual(await markSuppressedRecipients(pool, messageId), ['Listed@Dest.test']);
  assert.deepEqual(await markSuppressedRecipients(pool, messageId), [], 'a replay changes nothing');
  assert.deepEqual(await row(messageId, 'Listed@Dest.test'), {
    status: 'suppressed',
    smtp_response: 'suppressed: unsubscribe',
  });

  await failOpenRecipients(pool, messageId, 'lifetime exceeded');
  await failOpenRecipients(pool, messageId, 'lifetime exceeded');
  const statuses = (await pool.query('SELECT address, status FROM recipients WHERE message_id = $1', [messageId])).rows;
  assert.deepEqual(statuses.map((r) => `${r.address}=${r.status}`).sort(), [
    'Listed@Dest.test=suppressed',
    'done@dest.test=delivered',
    'gone@dest.test=failed',
    'open@dest.test=failed',
  ]);
  const events = (await pool.query('SELECT type, recipient FROM message_events WHERE message_id = $1', [messageId]))
    .rows;
  assert.deepEqual(events.map((e) => `${e.type}:${e.recipient}`).sort(), [
    'failed:gone@dest.test',
    'failed:open@dest.test',
    'suppressed:Listed@Dest.test',
  ]);
  assert.equal(await messageStatus(messageId), 'partial');
});

test('the record stage sandboxes only pending recipients of a message accepted in sandbox mode, once each', async () => {
  const normal = await newMessage(['x@dest.test']);
  assert.deepEqual(await markSandboxedRecipients(pool, normal), [], 'a message not accepted in sandbox mode is left');
  const messageId = await newMessage(['One@Dest.test', 'two@dest.test', 'gone@dest.test']);
  await pool.query('UPDATE messages SET sandboxed = true WHERE id = $1', [messageId]);
  await pool.query(`UPDATE recipients SET status = 'suppressed' WHERE message_id = $1 AND address = 'gone@dest.test'`, [
    messageId,
  ]);
  assert.deepEqual((await markSandboxedRecipients(pool, messageId)).sort(), ['One@Dest.test', 'two@dest.test']);
  assert.deepEqual(await markSandboxedRecipients(pool, messageId), [], 'a replay changes nothing');
  assert.deepEqual(await row(messageId, 'One@Dest.test'), {
    status: 'sandboxed',
    smtp_response: 'sandboxed: account in sandbox mode, not sent',
  });
  const events = (await pool.query('SELECT type, recipient FROM message_events WHERE message_id = $1', [messageId]))
    .rows;
  assert.deepEqual(events.map((e) => `${e.type}:${e.recipient}`).sort(), [
    'sandboxed:One@Dest.test',
    'sandboxed:two@dest.test',
  ]);
  assert.equal(await messageStatus(messageId), 'partial');
  assert.equal(deriveMessageStatus(['sandboxed', 'sandboxed']), 'sandboxed');
});
