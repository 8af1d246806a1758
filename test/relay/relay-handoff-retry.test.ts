import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startDestinationSink } from '../helpers/destination-sink.js';
import { waitFor } from '../helpers/wait-for.js';
import { feedUntil, handOff, startTestRelay } from './relay-harness.js';

// The MDE hands a message off again when it did not see the relay's 250 (a lost reply, a worker restart). The relay
// keeps one copy per (message, recipient): a repeated handoff is answered with the first queue id and sends nothing
// again; a later handoff of the same message with one more recipient queues that recipient alone.
test('a repeated handoff queues and delivers each recipient once; a new recipient of the same message is added', async (t) => {
  const sink = await startDestinationSink({});
  t.after(() => sink.close());
  const relay = await startTestRelay({ transport: `*=127.0.0.1:${sink.port}` });
  t.after(() => relay.close());
  const queueIdOf = (reply: string): string => /queued as (\S+)/.exec(reply)?.[1] ?? `no queue id in ${reply}`;

  const first = await handOff(relay, { envid: 'retry-1', to: ['a@dest.test', 'b@dest.test'] });
  const again = await handOff(relay, { envid: 'retry-1', to: ['a@dest.test', 'b@dest.test'] });
  assert.match(first, /^250 /);
  assert.equal(queueIdOf(again), queueIdOf(first), 'the repeat is answered with the first queue id');
  const more = await handOff(relay, { envid: 'retry-1', to: ['a@dest.test', 'c@dest.test'] });
  assert.notEqual(queueIdOf(more), queueIdOf(first), 'the new recipient is queued under a queue id of its own');

  const delivered = (): string[] =>
    sink.messages
      .filter((m) => m.raw.toString('latin1').includes('retry-1'))
      .flatMap((m) => m.rcptTo)
      .sort();
  await waitFor(() => delivered().length >= 3, { timeoutMs: 20_000, what: 'three copies at the sink' });
  const db = new pg.Pool({ connectionString: relay.databaseUrl, max: 1 });
  t.after(() => db.end());
  const count = async (sql: string): Promise<number> => Number((await db.query(sql, ['retry-1'])).rows[0].n);
  assert.equal(await count('SELECT count(*) AS n FROM relay_recipients WHERE envid = $1'), 3, 'one row per recipient');
  assert.equal(await count('SELECT count(*) AS n FROM relay_messages WHERE envid = $1'), 2, 'a body per new queue id');
  assert.equal(
    await count("SELECT count(*) AS n FROM relay_events WHERE envid = $1 AND status = 'queued'"),
    3,
    'one queued event per recipient',
  );
  await feedUntil(
    relay,
    (f) => f.filter((i) => i.messageId === 'retry-1' && i.status === 'delivered').length === 3,
    'three delivered events',
  );
  assert.deepEqual(delivered(), ['a@dest.test', 'b@dest.test', 'c@dest.test'], 'each recipient received it once');
});
