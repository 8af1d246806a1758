// Our service for the benchmark, started the way the tests start it: one embedded PostgreSQL and one Temporal dev
// server of our own (under .bench-data/), then the in-process stack (worker + ingress + api) and in-process relays
// relay-1…relay-N (RELAY_COUNT, default 2; source addresses 127.0.0.2…127.0.0.(N+1)) delivering to the benchmark sink.
// Several stacks can run on one infra one after the other (each has its own database and Temporal task queue).
import fs from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../src/infra/embedded-postgres.js';
import {
  crashSafeSqlitePragmas,
  startTemporalDevServer,
  type TemporalDevServer,
} from '../src/infra/temporal-dev-server.js';
import { freePort } from '../src/infra/free-port.js';
import type { Logger } from '../src/log.js';
import type { RelayHandle } from '../src/relay/relay-server.js';
import { createAccount, startStack, type Stack, type TestAccount } from '../test/helpers/stack.js';
import { startRelays } from '../test/helpers/relays.js';

export interface Infra {
  pg: EmbeddedPostgresHandle;
  temporal?: TemporalDevServer;
  stop(): Promise<void>;
}

/**
 * Where the bench's Temporal dev server keeps its state (BENCH_TEMPORAL_DB): `memory` (default; in-memory SQLite, the
 * fastest it can be), `file` (a SQLite file with the CLI's own settings: rollback journal, a sync per commit) or
 * `file-wal` (a SQLite file with the settings of `npm start`, crashSafeSqlitePragmas).
 */
export function temporalStorage(workDir: string): { dbFile?: string; sqlitePragmas?: Record<string, string> } {
  const mode = process.env.BENCH_TEMPORAL_DB ?? 'memory';
  const dbFile = path.join(workDir, 'temporal', 'temporal.db');
  if (mode === 'memory') return {};
  if (mode === 'file') return { dbFile };
  if (mode === 'file-wal') return { dbFile, sqlitePragmas: { ...crashSafeSqlitePragmas } };
  throw new Error(`BENCH_TEMPORAL_DB: unknown mode ${mode}; known: memory, file, file-wal`);
}

/** PostgreSQL, and (unless `temporal: false`, for runs that need only the database) the Temporal dev server. */
export async function startInfra(workDir: string, log: Logger, o: { temporal?: boolean } = {}): Promise<Infra> {
  const pg = await startEmbeddedPostgres(path.join(workDir, 'pg'), await freePort(), log);
  let temporal: TemporalDevServer | undefined;
  if (o.temporal !== false) {
    try {
      temporal = await startTemporalDevServer({ port: await freePort(), log, ...temporalStorage(workDir) });
    } catch (err) {
      await pg.stop();
      throw err;
    }
    process.env.TEMPORAL_ADDRESS = temporal.address;
  }
  process.env.TEST_PG_ADMIN_URL = pg.adminUrl;
  process.env.TEST_WORK_DIR = workDir;
  return {
    pg,
    temporal,
    async stop() {
      await temporal?.stop();
      await pg.stop();
    },
  };
}

export interface Service {
  stack: Stack;
  account: TestAccount;
  relays: RelayHandle[];
  relayCount: number;
  /** RELAY_PUSH of this stack: whether its relays post each outcome to the API at once. */
  push: boolean;
  pollInterval: string;
  /** What was done so that the MDE routes to the relays (see ensureDefaultRouting). */
  routingSetup: string;
  plainPort: number;
  submissionPort: number;
  close(): Promise<void>;
}

export interface ServiceOptions {
  /** RELAY_COUNT: relays relay-1…relay-N on 127.0.0.2…127.0.0.(N+1). Default 2. */
  relayCount?: number;
  /** RELAY_PUSH=on: the relays push each outcome to POST /v1/relay-reports. Default off (status by the poll). */
  push?: boolean;
  /** RELAY_POLL_INTERVAL. Default 1s. */
  pollInterval?: string;
}

export async function startService(sinkPort: number, o: ServiceOptions = {}): Promise<Service> {
  fs.mkdirSync(process.env.TEST_WORK_DIR ?? '/tmp', { recursive: true });
  const relayCount = o.relayCount ?? 2;
  const push = o.push ?? false;
  const pollInterval = o.pollInterval ?? '1s';
  const stack = await startStack({
    env: {
      SMTP_PLAIN_PORT: '0',
      RELAY_POLL_INTERVAL: pollInterval,
      RELAY_COUNT: String(relayCount),
      RELAY_PUSH: push ? 'on' : 'off',
      // Both generators run on 127.0.0.1: at 50 sessions with a new connection per message, a closing connection
      // still counts while the next one opens, and the default cap of 50 per address refused banners. Postfix, the
      // reference, exempts its trusted networks from its own per-client limit (smtpd_client_event_limit_exceptions).
      SMTP_MAX_CONNECTIONS_PER_IP: '200',
    },
  });
  let relays: RelayHandle[] = [];
  try {
    relays = await startRelays(stack, { count: relayCount, transport: `*=127.0.0.1:${sinkPort}`, push });
    const routingSetup = await ensureDefaultRouting(
      stack,
      relays.map((_, i) => ({ id: `relay-${i + 1}`, ip: `127.0.0.${i + 2}` })),
    );
    const account = await createAccount(stack, { name: 'Bench', domain: 'example.com', cidr: '127.0.0.0/8' });
    const zone = await stack.api('POST', '/v1/trust-zones', { cidr: '127.0.0.0/8', name: 'bench' });
    if (zone.status !== 201) throw new Error(`trust zone: ${zone.status} ${JSON.stringify(zone.body)}`);
    const cred = await stack.api('POST', `/v1/accounts/${account.accountId}/ip-credentials`, { cidr: '127.0.0.1/32' });
    if (cred.status !== 201) throw new Error(`ip credential: ${cred.status} ${JSON.stringify(cred.body)}`);
    if (!stack.plainPort) throw new Error('plain port did not start');
    return {
      stack,
      account,
      relays,
      relayCount,
      push,
      pollInterval,
      routingSetup,
      plainPort: stack.plainPort,
      submissionPort: stack.submissionPort,
      async close() {
        await stack.close();
        for (const r of relays) await r.close();
      },
    };
  } catch (err) {
    await stack.close().catch(() => undefined);
    for (const r of relays) await r.close().catch(() => undefined);
    throw err;
  }
}

/**
 * What `npm start` guarantees: relays relay-1…relay-N with IPs 127.0.0.2…(N+1), all `active` in the pool
 * `default`, and a default rule → `default`. The bench's stack registers relays through the test helper, which may
 * or may not do this (the MDE is being built); this makes sure it holds, idempotently: through the admin API when it
 * has /v1/ips, else directly in the MDE tables (migration 002), else (no MDE tables) there is nothing to set up.
 */
async function ensureDefaultRouting(stack: Stack, relays: Array<{ id: string; ip: string }>): Promise<string> {
  const listed = await stack.api<{ items?: Array<{ ip: string }> } | Array<{ ip: string }>>('GET', '/v1/ips');
  if (listed.status === 200) {
    const items = Array.isArray(listed.body) ? listed.body : (listed.body.items ?? []);
    const have = new Set(items.map((i) => i.ip));
    const missing = relays.filter((r) => !have.has(r.ip));
    if (missing.length) {
      const pool = await stack.api('POST', '/v1/ip-pools', { name: 'default' });
      if (pool.status !== 201 && pool.status !== 409)
        throw new Error(`POST /v1/ip-pools: ${pool.status} ${JSON.stringify(pool.body)}`);
      for (const r of missing) {
        const res = await stack.api('POST', '/v1/ips', { ip: r.ip, pool: 'default', relayId: r.id, state: 'active' });
        if (res.status !== 201) throw new Error(`POST /v1/ips ${r.ip}: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    const rules = await stack.api<
      { items?: Array<{ match?: object; pool?: string }> } | Array<{ match?: object; pool?: string }>
    >('GET', '/v1/mde/rules');
    let addedRule = false;
    if (rules.status === 200) {
      const list = Array.isArray(rules.body) ? rules.body : (rules.body.items ?? []);
      if (!list.some((r) => r.pool === 'default' && Object.keys(r.match ?? {}).length === 0)) {
        const res = await stack.api('POST', '/v1/mde/rules', { priority: 1_000_000, match: {}, pool: 'default' });
        if (res.status !== 201) throw new Error(`POST /v1/mde/rules: ${res.status} ${JSON.stringify(res.body)}`);
        addedRule = true;
      }
    }
    return `MDE API: ${missing.length ? `registered ${missing.map((r) => r.ip).join(', ')}` : 'all relay IPs were registered already'} in pool default; ${rules.status !== 200 ? `GET /v1/mde/rules answered ${rules.status}` : addedRule ? 'added the default rule' : 'default rule present'}`;
  }
  const { rows } = await stack.pool.query("SELECT to_regclass('ips') IS NOT NULL AS mde");
  if (!rows[0]?.mde) return 'no MDE tables: routing picks any healthy relay';
  await stack.pool.query("INSERT INTO ip_pools (name) VALUES ('default') ON CONFLICT DO NOTHING");
  let added = 0;
  for (const r of relays) {
    const res = await stack.pool.query(
      "INSERT INTO ips (ip, pool, relay_id, state) VALUES ($1, 'default', $2, 'active') ON CONFLICT (ip) DO NOTHING",
      [r.ip, r.id],
    );
    added += res.rowCount ?? 0;
  }
  const rule = await stack.pool.query(
    `INSERT INTO mde_rules (id, priority, match, pool) SELECT 'bench-default', 1000000, '{}'::jsonb, 'default'
      WHERE NOT EXISTS (SELECT 1 FROM mde_rules WHERE match = '{}'::jsonb AND pool = 'default')`,
  );
  return `MDE tables (GET /v1/ips answered ${listed.status}): ${added ? `added ${added} IP(s)` : 'relay IPs present'} in pool default; ${rule.rowCount ? 'added the default rule' : 'default rule present'}`;
}
