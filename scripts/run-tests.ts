// Test driver behind `npm test`: starts ONE real PostgreSQL (embedded) and ONE real Temporal dev server for the
// whole run, hands their addresses to the test files through the environment, runs node's test runner, stops both.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { startEmbeddedPostgres } from '../src/infra/embedded-postgres.js';
import { startTemporalDevServer } from '../src/infra/temporal-dev-server.js';
import { freePort } from '../src/infra/free-port.js';
import { createLogger } from '../src/log.js';
import { TapFailures } from './tap-failures.js';

const log = createLogger({ component: 'test-driver' });

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(p));
    else if (entry.name.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

const filter = process.argv.slice(2);
const files = findTests('test').filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)));
const workDir = path.resolve('.test-data', String(process.pid));
fs.mkdirSync(workDir, { recursive: true });

const pg = process.env.DATABASE_URL
  ? undefined
  : await startEmbeddedPostgres(path.join(workDir, 'pg'), await freePort(), log);
// A Temporal server that cannot start must not leave the PostgreSQL just started behind it.
const temporal = process.env.TEMPORAL_ADDRESS
  ? undefined
  : await startTemporalDevServer({ port: await freePort(), log }).catch(async (err: unknown) => {
      await pg?.stop();
      fs.rmSync(workDir, { recursive: true, force: true });
      throw err;
    });

const env = {
  ...process.env,
  TEST_PG_ADMIN_URL: pg?.adminUrl ?? process.env.DATABASE_URL,
  TEMPORAL_ADDRESS: temporal?.address ?? process.env.TEMPORAL_ADDRESS,
  TEST_WORK_DIR: workDir,
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
};
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=tap',
    `--test-concurrency=${concurrency}`,
    '--test-timeout=600000',
    ...files,
  ],
  {
    stdio: ['inherit', 'pipe', 'inherit'],
    env,
  },
);
child.stdout.pipe(process.stdout);
const failures = new TapFailures();
const lines = readline.createInterface({ input: child.stdout, crlfDelay: Infinity });
lines.on('line', (line) => failures.line(line));
const linesDone = new Promise((resolve) => lines.once('close', resolve));
const code: number = await new Promise((resolve) => child.once('exit', (c) => resolve(c ?? 1)));
await linesDone;
await temporal?.stop();
await pg?.stop();
fs.rmSync(workDir, { recursive: true, force: true });
process.stdout.write(failures.summary());
process.exit(code);
