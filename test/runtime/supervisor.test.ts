import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../src/infra/embedded-postgres.js';
import { freePort } from '../../src/infra/free-port.js';
import { createLogger } from '../../src/log.js';
import { supervise, type Supervisor } from '../../src/runtime/supervisor.js';
import { waitFor } from '../helpers/wait-for.js';

// A supervised embedded PostgreSQL, as `npm start` runs it: killed with -9, it comes back on the same port and data
// folder, with the rows written before the crash.

const dir = fs.mkdtempSync(path.join(process.env.TEST_WORK_DIR ?? '/tmp', 'supervised-pg-'));
let sup: Supervisor<EmbeddedPostgresHandle> | undefined;
after(async () => {
  await sup?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('kill -9 of PostgreSQL: restarted with backoff on the same port and data, rows intact', async () => {
  const port = await freePort();
  const log = createLogger({ test: 'supervisor' });
  sup = await supervise({
    name: 'postgres',
    log,
    start: () => startEmbeddedPostgres(dir, port, log, { ownProcessGroup: true }),
    policy: { initialDelayMs: 100, maxDelayMs: 1_000, stableAfterMs: 60_000 },
  });
  const first = sup.current();
  assert.ok(first?.pid);
  const url = first.adminUrl;
  const query = async (sql: string): Promise<pg.QueryResult> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await query('CREATE TABLE kept (v text)');
  await query(`INSERT INTO kept VALUES ('before the crash')`);

  process.kill(first.pid, 'SIGKILL');
  await first.exited;
  const second = await waitFor(
    () => {
      const c = sup?.current();
      return c && c.pid !== first.pid ? c : undefined;
    },
    { timeoutMs: 60_000, what: 'a restarted postgres' },
  );
  assert.equal(second.adminUrl, url, 'same port and credentials');
  const rows = await waitFor(async () => (await query('SELECT v FROM kept')).rows, { what: 'the table again' });
  assert.deepEqual(rows, [{ v: 'before the crash' }]);
  assert.equal(sup.isUp(), true);

  // stop(): an orderly end, not a crash: nothing comes back.
  await sup.stop();
  await second.exited;
  assert.equal(sup.isUp(), false);
  assert.equal(sup.current(), undefined);
});
