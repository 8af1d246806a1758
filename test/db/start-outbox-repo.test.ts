import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { createPool, inTransaction } from '../../src/db/pool.js';
import { migrate } from '../../src/db/migrate.js';
import {
  claimDueStarts,
  deleteStartRequests,
  insertStartRequest,
  releaseStartRequests,
  startBacklogSize,
} from '../../src/db/start-outbox-repo.js';
import { createTestDatabase } from '../helpers/database.js';

// The start outbox on a real PostgreSQL: the backlog limit, claims that never overlap between concurrent drainers,
// leases, and release with the error kept for operators.
let pool: pg.Pool;
let seq = 0;

/** Accepts a message the way the acceptor does: start request first (checked against the limit), then the row. */
async function accept(leaseMs: number, limit?: number): Promise<string | undefined> {
  const id = `m${++seq}`;
  return inTransaction(pool, async (c) => {
    if (!(await insertStartRequest(c, id, leaseMs, limit))) return undefined;
    await c.query(
      `INSERT INTO messages (id, account_id, mail_from, envelope_rcpts, raw, size, client_ip, submitted_at)
       VALUES ($1, 'acc_1', 'a@example.com', ARRAY['b@dest.test'], '\\x00', 1, '127.0.0.1', now())`,
      [id],
    );
    return id;
  });
}

before(async () => {
  pool = createPool(await createTestDatabase('outbox'));
  await migrate(pool);
  await pool.query(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'Acme')`);
});
after(() => pool.end());

test('the backlog limit refuses the start request once that many wait; without a limit nothing is refused', async () => {
  await pool.query('DELETE FROM workflow_start_outbox');
  for (let i = 0; i < 3; i++) assert.ok(await accept(0, 3));
  assert.equal(await accept(0, 3), undefined);
  assert.equal(await startBacklogSize(pool), 3);
  assert.ok(await accept(0));
  assert.equal(await startBacklogSize(pool), 4);
});

test('a start request without its message is refused at commit (the foreign key is deferred, not absent)', async () => {
  await assert.rejects(
    inTransaction(pool, (c) => insertStartRequest(c, 'no-such-message', 0)),
    /foreign key/,
  );
});

test('concurrent drainers claim disjoint rows; leased rows are not due; released rows come back with their error', async () => {
  await pool.query('DELETE FROM workflow_start_outbox');
  const due: string[] = [];
  for (let i = 0; i < 40; i++) due.push((await accept(0)) as string);
  const leased = (await accept(60_000)) as string;

  const claims = await Promise.all(Array.from({ length: 4 }, () => claimDueStarts(pool, 15, 60_000)));
  const ids = claims.flat().map((r) => r.id);
  assert.equal(ids.length, 40, 'every due row claimed');
  assert.equal(new Set(ids).size, 40, 'no row claimed twice');
  assert.ok(!ids.includes(leased), 'a row leased by its accepting process is not due');
  assert.deepEqual(
    claims.flat().find((r) => r.id === due[0]),
    {
      id: due[0],
      attempts: 1,
      accountId: 'acc_1',
      mailFrom: 'a@example.com',
      envelopeRcpts: ['b@dest.test'],
    },
  );
  assert.deepEqual(await claimDueStarts(pool, 100, 60_000), [], 'all claimed rows are leased');

  await releaseStartRequests(pool, [due[0]!, due[1]!], 0, 'connection refused');
  await releaseStartRequests(pool, [due[1]!], 0);
  const again = await claimDueStarts(pool, 100, 60_000);
  assert.deepEqual(again.map((r) => r.id).sort(), [due[0], due[1]].sort());
  const { rows } = await pool.query<{ message_id: string; last_error: string; attempts: number }>(
    'SELECT message_id, last_error, attempts FROM workflow_start_outbox WHERE message_id = ANY($1) ORDER BY message_id',
    [[due[0], due[1]]],
  );
  assert.ok(
    rows.every((r) => r.last_error === 'connection refused' && r.attempts === 2),
    JSON.stringify(rows),
  );

  await deleteStartRequests(pool, [...due, leased]);
  assert.equal(await startBacklogSize(pool), 0);
});

test('a message deleted (retention, cleanup) takes its start request with it', async () => {
  const id = (await accept(0)) as string;
  await pool.query('DELETE FROM messages WHERE id = $1', [id]);
  assert.equal(await startBacklogSize(pool), 0);
});
