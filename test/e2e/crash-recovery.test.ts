import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createAccount, startStack, type Stack, type TestAccount } from '../helpers/stack.js';
import { startDestinationSink, type Sink } from '../helpers/destination-sink.js';
import { createTestDatabase } from '../helpers/database.js';
import { killHard, spawnTs, waitForLogEvent } from '../helpers/processes.js';
import { freePort } from '../../src/infra/free-port.js';
import { ensureRelayCertificateFiles } from '../../src/relay/relay-tls.js';
import { waitFor } from '../helpers/wait-for.js';
import { deliveredCopies, submitBatch } from '../helpers/submit.js';

// kill -9 of the worker, and separately of a relay, while messages are in flight: every message that got a 250
// reaches a final status, none is lost, none is delivered twice.
let stack: Stack;
let sink: Sink;
let acct: TestAccount;
const children: ChildProcess[] = [];

before(async () => {
  // The destination defers each recipient's first attempt, so messages sit in the relay queue for a while.
  sink = await startDestinationSink({
    script: (_rcpt, attempt) => (attempt === 1 ? { code: 451, message: '4.7.1 Greylisted, try again' } : undefined),
  });
  stack = await startStack({ roles: ['ingress', 'api'], env: { STATUS_CHECK_INTERVAL: '5s' } });
  acct = await createAccount(stack, { domain: 'example.com', cidr: '127.0.0.0/8' });
});
after(async () => {
  for (const c of children) await killHard(c);
  await stack.close();
  await sink.close();
  fs.rmSync(relayTlsDir, { recursive: true, force: true });
});

function startWorker(): ChildProcess {
  const child = spawnTs('src/run-role.ts', ['worker'], { ...stack.env, LOG_LEVEL: 'info' });
  children.push(child);
  return child;
}

// Each relay keeps one certificate across its restarts, as on its own host; the MDE has its fingerprint registered.
const relayTlsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crash-relay-tls-'));
const relayCert = (id: string): ReturnType<typeof ensureRelayCertificateFiles> =>
  ensureRelayCertificateFiles(path.join(relayTlsDir, id), ['localhost']);

async function startRelayProcess(o: {
  id: string;
  smtpPort: number;
  httpPort: number;
  sourceIp: string;
  databaseUrl: string;
  retrySchedule?: string;
}): Promise<ChildProcess> {
  const child = spawnTs('src/relay/main.ts', [], {
    RELAY_ID: o.id,
    RELAY_SMTP_PORT: String(o.smtpPort),
    RELAY_HTTP_PORT: String(o.httpPort),
    RELAY_SOURCE_IP: o.sourceIp,
    RELAY_DATABASE_URL: o.databaseUrl,
    RELAY_SECRET: stack.relaySecret(o.id),
    TLS_CERT: (await relayCert(o.id)).certFile,
    TLS_KEY: (await relayCert(o.id)).keyFile,
    RELAY_TRANSPORT: `*=127.0.0.1:${sink.port}`,
    RELAY_RETRY_SCHEDULE: o.retrySchedule ?? '1s',
    RELAY_MAX_LIFETIME: '10m',
    LOG_LEVEL: 'info',
  });
  children.push(child);
  await waitForLogEvent(child, 'relay.ready');
  return child;
}

async function allFinal(ids: string[]): Promise<boolean> {
  const { rows } = await stack.pool.query(
    `SELECT count(*)::int AS open FROM recipients WHERE message_id = ANY($1) AND status NOT IN ('delivered','bounced','failed')`,
    [ids],
  );
  const { rows: done } = await stack.pool.query(
    `SELECT count(*)::int AS n FROM message_events WHERE type = 'completed' AND message_id = ANY($1)`,
    [ids],
  );
  return rows[0].open === 0 && done[0].n === ids.length;
}

test('worker killed with -9 mid-flight: after restart every accepted message finishes exactly once', async () => {
  const relayPorts = { smtpPort: await freePort(), httpPort: await freePort() };
  await startRelayProcess({
    id: 'relay-1',
    ...relayPorts,
    sourceIp: '127.0.0.2',
    databaseUrl: await createTestDatabase('relay'),
  });
  await stack.registerRelay({
    id: 'relay-1',
    ...relayPorts,
    sourceIp: '127.0.0.2',
    tlsFingerprint: (await relayCert('relay-1')).fingerprint,
  });

  const worker = startWorker();
  await waitForLogEvent(worker, 'role.ready');
  const ids = await submitBatch(stack, acct, 12, 'wk');
  // Kill once some messages have been handed to the relay and others have not finished.
  await waitFor(
    async () =>
      (await stack.pool.query(`SELECT 1 FROM message_events WHERE type = 'relayed' AND message_id = ANY($1)`, [ids]))
        .rowCount! > 0,
    { what: 'first handoff' },
  );
  await killHard(worker);
  const survivor = startWorker();
  await waitForLogEvent(survivor, 'role.ready');
  await waitFor(() => allFinal(ids), { timeoutMs: 120_000, what: 'all messages final after worker restart' });
  const copies = deliveredCopies(sink, 'wk');
  assert.equal(copies.size, 12, 'every message arrived');
  assert.ok(
    [...copies.values()].every((n) => n === 1),
    `no duplicates: ${JSON.stringify([...copies])}`,
  );
  await killHard(survivor);
});

test('relay killed with -9 with messages queued: after restart nothing is lost or delivered twice', async () => {
  const worker = startWorker();
  await waitForLogEvent(worker, 'role.ready');
  const relayPorts = { smtpPort: await freePort(), httpPort: await freePort() };
  const databaseUrl = await createTestDatabase('relay');
  await stack.pool.query('DELETE FROM ips');
  await stack.pool.query('DELETE FROM relays');
  const relay = await startRelayProcess({
    id: 'relay-2',
    ...relayPorts,
    sourceIp: '127.0.0.3',
    databaseUrl,
    retrySchedule: '10s',
  });
  await stack.registerRelay({
    id: 'relay-2',
    ...relayPorts,
    sourceIp: '127.0.0.3',
    tlsFingerprint: (await relayCert('relay-2')).fingerprint,
  });

  const ids = await submitBatch(stack, acct, 10, 'rl');
  // Crash the relay while it holds all ten messages in its queue: each handed off and greylisted once, waiting for
  // its retry. (A crash in the milliseconds between a destination's 250 and the relay recording it can duplicate
  // that one delivery, as with any MTA; that window is not what this test is about.)
  const relayDb = new pg.Client({ connectionString: databaseUrl });
  await relayDb.connect();
  try {
    await waitFor(
      async () => {
        const { rows } = await relayDb.query(
          `SELECT count(*) FILTER (WHERE status = 'deferred')::int AS deferred, count(*)::int AS total FROM relay_recipients`,
        );
        return rows[0].total === 10 && rows[0].deferred === 10;
      },
      { what: 'all ten recipients queued for retry at the relay', intervalMs: 20 },
    );
  } finally {
    await relayDb.end();
  }
  await killHard(relay);
  await startRelayProcess({ id: 'relay-2', ...relayPorts, sourceIp: '127.0.0.3', databaseUrl, retrySchedule: '10s' });
  await waitFor(() => allFinal(ids), { timeoutMs: 120_000, what: 'all messages final after relay restart' });
  const copies = deliveredCopies(sink, 'rl');
  assert.equal(copies.size, 10, 'every message arrived');
  assert.ok(
    [...copies.values()].every((n) => n === 1),
    `no duplicates: ${JSON.stringify([...copies])}`,
  );
  const { rows } = await stack.pool.query(`SELECT DISTINCT status FROM recipients WHERE message_id = ANY($1)`, [ids]);
  assert.deepEqual(
    rows.map((r) => r.status),
    ['delivered'],
  );
});
