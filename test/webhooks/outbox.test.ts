import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createPool } from '../../src/db/pool.js';
import { migrate } from '../../src/db/migrate.js';
import { readOutbox, saveCursor, loadCursor } from '../../src/db/webhooks-repo.js';
import { targetsOf } from '../../src/webhooks/dispatcher.js';
import { createSecretBox } from '../../src/webhooks/secret-box.js';
import { signatureHeader, verifySignature } from '../../src/webhooks/signature.js';
import { createTestDatabase } from '../helpers/database.js';
import { waitFor } from '../helpers/wait-for.js';

// The webhook outbox on a real PostgreSQL: an event committed late with a smaller id is still read after the cursor
// passed a bigger one (the cursor is (transaction, id) and only finished transactions are read).
let url: string;
let pool: pg.Pool;

before(async () => {
  url = await createTestDatabase('outbox');
  pool = createPool(url);
  await migrate(pool);
  await pool.query(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'A')`);
  await pool.query(
    `INSERT INTO messages (id, account_id, mail_from, envelope_rcpts, raw, size, client_ip, submitted_at) VALUES ('m1', 'acc_1', 'a@a.test', '{}', '\\x00', 1, '127.0.0.1', now())`,
  );
});
after(async () => {
  await pool.end();
});

test('an event committed after a later-numbered one is not skipped, and nothing is read while its writer runs', async () => {
  const start = await loadCursor(pool, 'test');
  const older = new pg.Client({ connectionString: url });
  const newer = new pg.Client({ connectionString: url });
  await older.connect();
  await newer.connect();
  try {
    await newer.query('BEGIN');
    await newer.query('SELECT pg_current_xact_id()'); // the older transaction id, but it writes its event last
    await older.query('BEGIN');
    const late = await older.query<{ id: string }>(
      `INSERT INTO message_events (message_id, type) VALUES ('m1', 'delivered') RETURNING id::text AS id`,
    );
    const early = await newer.query<{ id: string }>(
      `INSERT INTO message_events (message_id, type) VALUES ('m1', 'opened') RETURNING id::text AS id`,
    );
    assert.ok(Number(early.rows[0]!.id) > Number(late.rows[0]!.id));
    await newer.query('COMMIT');
    // Another test's transaction on the shared server may briefly hold back the horizon: poll, never sleep.
    const first = await waitFor(
      async () => {
        const r = await readOutbox(pool, start, 100);
        return r.length > 0 ? r : undefined;
      },
      { what: 'outbox row' },
    );
    assert.deepEqual(
      first.map((e) => e.id),
      [early.rows[0]!.id],
      'the committed event is read; the running one is not visible',
    );
    const cursor = { tx: first[0]!.tx, id: first[0]!.id };
    await saveCursor(pool, 'test', cursor);
    assert.deepEqual(await readOutbox(pool, cursor, 100), []);
    await older.query('COMMIT');
    const second = await waitFor(
      async () => {
        const r = await readOutbox(pool, await loadCursor(pool, 'test'), 100);
        return r.length > 0 ? r : undefined;
      },
      { what: 'late row' },
    );
    assert.deepEqual(
      second.map((e) => [e.id, e.type, e.accountId]),
      [[late.rows[0]!.id, 'delivered', 'acc_1']],
      'the late commit is read after the cursor',
    );
  } finally {
    await older.end();
    await newer.end();
  }
});

test('targets: same account, subscribed public type, webhook created before the event', () => {
  const at = new Date('2026-01-02T00:00:00Z');
  const event = { id: '1', tx: '1', messageId: 'm1', accountId: 'acc_1', type: 'delivered', at };
  const hook = (id: string, o: { accountId?: string; events?: string[]; createdAt?: Date } = {}) => ({
    id,
    accountId: o.accountId ?? 'acc_1',
    url: 'http://x',
    events: o.events ?? ['delivered'],
    secretEnc: '',
    createdAt: o.createdAt ?? new Date('2026-01-01T00:00:00Z'),
  });
  const hooks = [
    hook('a'),
    hook('b', { accountId: 'acc_2' }),
    hook('c', { events: ['opened'] }),
    hook('d', { createdAt: new Date('2026-01-03T00:00:00Z') }),
  ];
  assert.deepEqual(
    targetsOf(event, hooks).map((h) => h.id),
    ['a'],
  );
  assert.deepEqual(
    targetsOf({ ...event, type: 'routed' }, [hook('e', { events: ['routed'] })]),
    [],
    'internal events never go out',
  );
});

test('secrets are sealed with AES-256-GCM (random IV, tamper-evident) and signatures verify', () => {
  const box = createSecretBox('master-1');
  const a = box.seal('whsec_abc'),
    b = box.seal('whsec_abc');
  assert.notEqual(a, b, 'a fresh IV each time');
  assert.ok(!a.includes('whsec_abc'));
  assert.equal(box.open(a), 'whsec_abc');
  assert.throws(() => createSecretBox('master-2').open(a), 'another master secret cannot open it');
  // Change the next-to-last character (always fully inside the decoded bytes) to a different one.
  const tampered = `${a.slice(0, -2)}${a.at(-2) === 'A' ? 'B' : 'A'}${a.slice(-1)}`;
  assert.notEqual(tampered, a);
  assert.throws(() => box.open(tampered));
  const body = '{"id":"evt_1"}';
  const header = signatureHeader('s3cret', body, 1_700_000_000);
  assert.match(header, /^t=1700000000,v1=[0-9a-f]{64}$/);
  assert.ok(verifySignature('s3cret', header, body, { nowSeconds: 1_700_000_100 }));
  assert.ok(!verifySignature('s3cret', header, body, { nowSeconds: 1_700_001_000 }), 'too old');
  assert.ok(!verifySignature('other', header, body, { nowSeconds: 1_700_000_000 }));
});
