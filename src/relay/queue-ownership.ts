import pg from 'pg';
import type { Logger } from '../log.js';

// One relay process owns a queue database. It holds a session advisory lock for its whole life; PostgreSQL drops the
// lock the moment that process dies (even by kill -9), so a new owner knows that every row still marked `delivering`
// belongs to a dead process and can be retried at once instead of waiting for its lease to run out.

const LOCK_KEY = `hashtext('smtp_relay_queue_owner')`;

export interface QueueOwnership {
  release(): Promise<void>;
}

export async function acquireQueueOwnership(
  databaseUrl: string,
  log: Logger,
  waitMs = 15_000,
): Promise<QueueOwnership> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', (err) => log.error('relay.ownership_lost', { error: err }));
  await client.connect();
  const deadline = Date.now() + waitMs;
  // A predecessor that just exited may still hold the lock for a moment while its backend notices.
  for (;;) {
    const res = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${LOCK_KEY}) AS ok`);
    if (res.rows[0]?.ok) break;
    if (Date.now() > deadline) {
      await client.end();
      throw new Error('another relay process owns this queue database (advisory lock held)');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await client.query(`UPDATE relay_recipients SET lease_until = $1 WHERE status = 'delivering'`, [new Date()]);
  return { release: () => client.end() };
}
