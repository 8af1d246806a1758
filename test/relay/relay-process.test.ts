import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../src/infra/free-port.js';
import type { RelayHandle } from '../../src/relay/relay-server.js';
import { createTestDatabase } from '../helpers/database.js';
import { startDestinationSink } from '../helpers/destination-sink.js';
import { waitFor } from '../helpers/wait-for.js';
import { api, feedUntil, handOff, rawMessage, readFeed, readStats, SECRET, withControl } from './relay-harness.js';

// The relay as the operator runs it: `tsx src/relay/main.ts` configured by environment, stopped by signals.

interface RelayProcess {
  child: ChildProcess;
  handle: RelayHandle;
  exited: Promise<number | null>;
}

async function spawnRelay(env: Record<string, string>): Promise<RelayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/relay/main.ts'], {
    env: {
      ...process.env,
      LOG_LEVEL: 'info',
      RELAY_ID: 'p1',
      RELAY_SMTP_PORT: '0',
      RELAY_HTTP_PORT: '0',
      RELAY_SOURCE_IP: '127.0.0.2',
      RELAY_SECRET: SECRET,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  const ready = await waitFor(
    () =>
      out
        .split('\n')
        .map((l) => (l.startsWith('{') ? (JSON.parse(l) as Record<string, unknown>) : {}))
        .find((l) => l.event === 'relay.ready'),
    { what: 'relay.ready', timeoutMs: 30_000 },
  );
  const handle: RelayHandle = {
    id: 'p1',
    smtpPort: Number(ready.smtpPort),
    httpPort: Number(ready.httpPort),
    tlsFingerprint: String(ready.tlsFingerprint),
    close: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
  return { child, handle, exited };
}

test('relay process: ready line, delivery, SIGTERM exits cleanly; after kill -9 a new process takes the queue over', async (t) => {
  const databaseUrl = await createTestDatabase('relayp');
  const port = await freePort();
  const env = {
    RELAY_DATABASE_URL: databaseUrl,
    RELAY_TRANSPORT: `*=127.0.0.1:${port}`,
    RELAY_RETRY_SCHEDULE: '200ms',
    RELAY_SOURCE_IPS: '127.0.0.3, 127.0.0.4',
  };

  const first = await spawnRelay(env);
  t.after(() => first.child.kill('SIGKILL'));
  await handOff(first.handle, { envid: 'proc-1', to: ['x@dest.example'] });
  await feedUntil(
    first.handle,
    (f) => f.some((i) => i.status === 'deferred'),
    'deferral while the destination is down',
  );
  first.child.kill('SIGKILL');
  await first.exited;

  const sink = await startDestinationSink({ port });
  t.after(() => sink.close());
  const second = await spawnRelay(env);
  t.after(() => second.child.kill('SIGKILL'));
  await sink.waitForMessages(1);
  await waitFor(
    async () => (await api<{ queueDepth: number }>(second.handle, '/healthz', null)).body.queueDepth === 0,
    { what: 'queue drained' },
  );
  const delivered = (await readFeed(second.handle)).filter((i) => i.status === 'delivered');
  assert.deepEqual(
    delivered.map((i) => [i.messageId, i.recipient, i.response]),
    [['proc-1', 'x@dest.example', sink.messages[0]?.reply]],
  );
  assert.equal(sink.messages[0]?.remoteAddress, '127.0.0.2');

  // RELAY_SOURCE_IPS: the MDE may pick any of them per handoff
  assert.deepEqual((await readStats(second.handle)).sourceIps, ['127.0.0.2', '127.0.0.3', '127.0.0.4']);
  await handOff(second.handle, {
    envid: 'proc-2',
    to: ['y@dest.example'],
    raw: withControl(rawMessage('proc-2'), { sourceIp: '127.0.0.4', priority: 10 }),
  });
  await sink.waitForMessages(2);
  assert.equal(sink.messages[1]?.remoteAddress, '127.0.0.4');

  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0);
});

test('relay process: invalid configuration is refused with a JSON line and exit code 2', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/relay/main.ts'], {
    env: { ...process.env, LOG_LEVEL: 'info', RELAY_ID: 'p2', RELAY_RETRY_SCHEDULE: 'soon' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 2);
  const line = JSON.parse(err.trim().split('\n')[0] ?? '{}') as { event: string; issues: string[] };
  assert.equal(line.event, 'relay.config_invalid');
  assert.ok(
    line.issues.some((i) => i.startsWith('RELAY_RETRY_SCHEDULE')),
    line.issues.join('; '),
  );
  assert.ok(line.issues.some((i) => i.startsWith('RELAY_DATABASE_URL')));
});
