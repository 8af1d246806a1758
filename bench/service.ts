// Our service for the benchmark, started the way the tests start it: one embedded PostgreSQL and one Temporal dev
// server of our own (under .bench-data/), then the in-process stack (worker + ingress + api) and two in-process relays
// (source addresses 127.0.0.2 and 127.0.0.3) delivering to the benchmark sink.
import fs from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../src/infra/embedded-postgres.js';
import { startTemporalDevServer, type TemporalDevServer } from '../src/infra/temporal-dev-server.js';
import { freePort } from '../src/infra/free-port.js';
import type { Logger } from '../src/log.js';
import type { RelayHandle } from '../src/relay/relay-server.js';
import { createAccount, startStack, type Stack, type TestAccount } from '../test/helpers/stack.js';
import { startRelays } from '../test/helpers/relays.js';

export interface Infra { pg: EmbeddedPostgresHandle; temporal: TemporalDevServer; stop(): Promise<void> }

export async function startInfra(workDir: string, log: Logger): Promise<Infra> {
  const pg = await startEmbeddedPostgres(path.join(workDir, 'pg'), await freePort(), log);
  let temporal: TemporalDevServer;
  try {
    temporal = await startTemporalDevServer({ port: await freePort(), log });
  } catch (err) {
    await pg.stop();
    throw err;
  }
  process.env.TEST_PG_ADMIN_URL = pg.adminUrl;
  process.env.TEMPORAL_ADDRESS = temporal.address;
  process.env.TEST_WORK_DIR = workDir;
  return {
    pg, temporal,
    async stop() { await temporal.stop(); await pg.stop(); },
  };
}

export interface Service {
  stack: Stack;
  account: TestAccount;
  relays: RelayHandle[];
  plainPort: number;
  submissionPort: number;
  close(): Promise<void>;
}

export async function startService(sinkPort: number): Promise<Service> {
  fs.mkdirSync(process.env.TEST_WORK_DIR ?? '/tmp', { recursive: true });
  const stack = await startStack({ env: { SMTP_PLAIN_PORT: '0', RELAY_POLL_INTERVAL: '1s' } });
  const relays = await startRelays(stack, { count: 2, transport: `*=127.0.0.1:${sinkPort}` });
  const account = await createAccount(stack, { name: 'Bench', domain: 'example.com', cidr: '127.0.0.0/8' });
  const zone = await stack.api('POST', '/v1/trust-zones', { cidr: '127.0.0.0/8', name: 'bench' });
  if (zone.status !== 201) throw new Error(`trust zone: ${zone.status} ${JSON.stringify(zone.body)}`);
  const cred = await stack.api('POST', `/v1/accounts/${account.accountId}/ip-credentials`, { cidr: '127.0.0.1/32' });
  if (cred.status !== 201) throw new Error(`ip credential: ${cred.status} ${JSON.stringify(cred.body)}`);
  if (!stack.plainPort) throw new Error('plain port did not start');
  return {
    stack, account, relays, plainPort: stack.plainPort, submissionPort: stack.submissionPort,
    async close() {
      await stack.close();
      for (const r of relays) await r.close();
    },
  };
}
