import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startDestinationSink } from '../helpers/destination-sink.js';
import { waitFor } from '../helpers/wait-for.js';
import { feedUntil, handOff, readFeed, startTestRelay, statusesOf } from './relay-harness.js';

// The relay's own retention (RELAY_RAW_RETENTION, here 1 ms, run every 100 ms): once every recipient of a message is
// final its body is dropped; a message with any recipient still queued or deferred keeps its body whatever its age.
test('a relay purges the body of a finished message and keeps the body of one still being delivered', async (t) => {
  // slow@ is deferred on every attempt (and retried only after a minute): it stays open for the whole test.
  const sink = await startDestinationSink({
    script: (rcpt) => (rcpt.startsWith('slow') ? { code: 451, message: '4.3.0 Try again later' } : undefined),
  });
  t.after(() => sink.close());
  const relay = await startTestRelay({
    transport: `*=127.0.0.1:${sink.port}`,
    retryScheduleMs: [60_000],
    rawRetentionMs: 1,
    retentionIntervalMs: 100,
  });
  t.after(() => relay.close());
  const db = new pg.Pool({ connectionString: relay.databaseUrl, max: 2 });
  t.after(() => db.end());
  const body = async (envid: string): Promise<{ body: Buffer | null; purgedAt: Date | null }> => {
    const { rows } = await db.query('SELECT body, body_purged_at FROM relay_messages WHERE envid = $1', [envid]);
    assert.equal(rows.length, 1, `one queued message for ${envid}`);
    return { body: rows[0].body, purgedAt: rows[0].body_purged_at };
  };

  await handOff(relay, { envid: 'open-1', to: ['slow@a.example'] });
  await handOff(relay, { envid: 'mixed-1', to: ['ok@a.example', 'slow2@a.example'] });
  await feedUntil(
    relay,
    (feed) =>
      statusesOf(feed, 'slow@a.example').includes('deferred') &&
      statusesOf(feed, 'slow2@a.example').includes('deferred') &&
      statusesOf(feed, 'ok@a.example').includes('delivered'),
    'the open recipients deferred, the mixed message half delivered',
  );
  await handOff(relay, { envid: 'done-1', to: ['one@a.example', 'two@a.example'] });

  // A retention run after done-1 finished purges it: its cutoff is past every message above.
  const done = await waitFor(
    async () => {
      const b = await body('done-1');
      return b.body === null && b;
    },
    { what: 'the finished message purged' },
  );
  assert.ok(done.purgedAt instanceof Date);
  for (const envid of ['open-1', 'mixed-1']) {
    const b = await body(envid);
    assert.ok(b.body && b.body.length > 0, `${envid} keeps its body`);
    assert.equal(b.purgedAt, null);
  }
  // The rows stay: the feed still reports every recipient the relay held.
  const feed = await readFeed(relay);
  assert.deepEqual(statusesOf(feed, 'one@a.example'), ['delivered']);
  assert.deepEqual(statusesOf(feed, 'two@a.example'), ['delivered']);
  const { rows } = await db.query(
    `SELECT r.status FROM relay_recipients r WHERE r.envid = 'done-1' ORDER BY r.recipient`,
  );
  assert.deepEqual(
    rows.map((r) => r.status),
    ['delivered', 'delivered'],
  );
});
