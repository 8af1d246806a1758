// `npm start`: the whole service on one machine. Starts and supervises PostgreSQL (embedded unless DATABASE_URL),
// the Temporal dev server (unless TEMPORAL_ADDRESS), the local relays, and the worker + SMTP ingress + REST API.
// Every child runs in a process group of its own, so a Ctrl-C at the terminal reaches only this process; it then
// stops everything in dependency order: relays → roles (ingress, API, worker) → Temporal → PostgreSQL. A Temporal
// dev server or PostgreSQL that dies on its own is restarted on the same port and data (src/runtime/supervisor.ts).
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from './config/config.js';
import { configureLogging, createLogger } from './log.js';
import { createPool } from './db/pool.js';
import { ensureDatabase, migrate } from './db/migrate.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './infra/embedded-postgres.js';
import { crashSafeSqlitePragmas, startTemporalDevServer, type TemporalDevServer } from './infra/temporal-dev-server.js';
import { ensureAdminKey, localRelaySpecs, registerLocalRelays } from './runtime/bootstrap.js';
import { loadRelayMasterSecret } from './runtime/master-secret.js';
import { localRelayCertificate, superviseRelay } from './runtime/relay-processes.js';
import { startRoles, allRoles } from './runtime/roles.js';
import { supervise, type Supervisor } from './runtime/supervisor.js';
import { deriveRelaySecret } from './secrets.js';
import { relayReportsPath } from './api/routes/relay-reports.js';

const config = loadConfig();
configureLogging(config);
const log = createLogger({ component: 'main' });
const dataDir = path.resolve(config.DATA_DIR);
fs.mkdirSync(dataDir, { recursive: true });

// What to stop, by stage, in the order of stageOrder: each stage only after the one before has ended, so nothing
// loses a dependency while it still works (a relay pushing to the API, a worker writing to PostgreSQL).
const stageOrder = ['relays', 'roles', 'pool', 'temporal', 'postgres'] as const;
type Stage = (typeof stageOrder)[number];
const stages: Record<Stage, Array<() => Promise<void>>> = {
  relays: [],
  roles: [],
  pool: [],
  temporal: [],
  postgres: [],
};
/** Called first on shutdown, before any stage: from then on nothing restarts (Temporal, PostgreSQL, the worker). */
const holds: Array<() => void> = [];

/** Thrown by a start-up step once stopping has begun: the start ends there and shutdown stops what it started. */
class StopRequested extends Error {}
let stopping = false;
const checkpoint = (): void => {
  if (!stopping) return;
  for (const hold of holds) hold(); // a supervisor that was still starting when shutdown began
  throw new StopRequested('stopping');
};
let startup: Promise<void> = Promise.resolve();

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  const began = Date.now();
  log.info('main.stopping');
  // First of all no more restarts, whatever ends while the stages below run.
  for (const hold of holds) hold();
  await startup;
  for (const stage of stageOrder) {
    if (stages[stage].length === 0) continue;
    await Promise.all(
      stages[stage].map((stop) => stop().catch((err: unknown) => log.warn('main.stop_error', { stage, error: err }))),
    );
    log.info('main.stage_stopped', { stage, ms: Date.now() - began });
  }
  log.info('main.stopped', { ms: Date.now() - began });
  process.exit(code);
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void shutdown(0));
// An exception nothing catches would end this process at once, and PostgreSQL, Temporal and the relays (each in a
// process group of its own) would run on without it, holding their ports and the data folder: stop them in order.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (err: unknown) => {
    log.error('main.crashed', { error: err, stack: err instanceof Error ? err.stack : undefined });
    void shutdown(1);
  });
}

async function start(): Promise<void> {
  let pg: EmbeddedPostgresHandle | undefined;
  let pgSupervisor: Supervisor<EmbeddedPostgresHandle> | undefined;
  let databaseUrl = config.DATABASE_URL;
  let relayDbUrl: (n: string) => string;
  if (databaseUrl) {
    const base = new URL(databaseUrl);
    relayDbUrl = (name) => {
      const u = new URL(base);
      u.pathname = `/${base.pathname.slice(1)}_${name}`;
      return u.toString();
    };
  } else {
    const sup = await supervise({
      name: 'postgres',
      log,
      start: () =>
        startEmbeddedPostgres(path.join(dataDir, 'postgres'), config.PG_PORT, log, { ownProcessGroup: true }),
    });
    holds.push(sup.hold);
    stages.postgres.push(() => sup.stop());
    pgSupervisor = sup;
    pg = sup.current();
    if (!pg) throw new Error('postgres ended right after its start');
    const p = pg;
    databaseUrl = pg.databaseUrl('relay');
    relayDbUrl = (name) => p.databaseUrl(`relay_${name}`);
  }
  checkpoint();
  const admin = createPool(pg ? pg.adminUrl : databaseUrl, 2);
  if (pg) await ensureDatabase(admin, 'relay');

  let temporal: TemporalDevServer | undefined;
  let temporalSupervisor: Supervisor<TemporalDevServer> | undefined;
  let temporalAddress = config.TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    // Same port and SQLite file at every restart: workflows, schedules and search attributes survive a crash.
    const sup = await supervise({
      name: 'temporal',
      log,
      start: () =>
        startTemporalDevServer({
          port: config.TEMPORAL_PORT,
          uiPort: config.TEMPORAL_UI_PORT,
          dbFile: path.join(dataDir, 'temporal', 'temporal.db'),
          sqlitePragmas: crashSafeSqlitePragmas,
          log,
          ownProcessGroup: true,
        }),
    });
    holds.push(sup.hold);
    stages.temporal.push(() => sup.stop());
    temporalSupervisor = sup;
    temporal = sup.current();
    if (!temporal) throw new Error('temporal dev server ended right after its start');
    temporalAddress = temporal.address;
  }
  checkpoint();

  const pool = createPool(databaseUrl);
  stages.pool.push(() => pool.end());
  await migrate(pool);
  const adminKey = await ensureAdminKey(pool, config.ADMIN_API_KEY);

  const master = loadRelayMasterSecret(dataDir, config.RELAY_MASTER_SECRET);
  const specs = localRelaySpecs(config.RELAY_COUNT, config.RELAY_BASE_PORT);
  // The relays start before the API listens: a push that finds it not yet up is retried, then left to the poll.
  const apiHost = ['0.0.0.0', '::'].includes(config.API_HOST)
    ? '127.0.0.1'
    : config.API_HOST.includes(':')
      ? `[${config.API_HOST}]`
      : config.API_HOST;
  const pushUrl =
    config.RELAY_PUSH === 'on' && config.API_PORT !== 0
      ? `http://${apiHost}:${config.API_PORT}${relayReportsPath}`
      : undefined;
  const relayCerts = new Map<string, Awaited<ReturnType<typeof localRelayCertificate>>>();
  for (const spec of specs) relayCerts.set(spec.id, await localRelayCertificate(dataDir, spec));
  await registerLocalRelays(
    pool,
    specs.map((s) => ({ ...s, tlsFingerprint: relayCerts.get(s.id)?.fingerprint })),
  );
  for (const spec of specs) {
    checkpoint();
    const dbName = spec.id.replace(/\W/g, '_');
    await ensureDatabase(admin, pg ? `relay_${dbName}` : new URL(relayDbUrl(dbName)).pathname.slice(1));
    const relay = superviseRelay({
      spec,
      databaseUrl: relayDbUrl(dbName),
      secret: deriveRelaySecret(master, spec.id),
      tls: relayCerts.get(spec.id) ?? (await localRelayCertificate(dataDir, spec)),
      env: {
        RELAY_TRANSPORT: config.RELAY_TRANSPORT,
        RELAY_RETRY_SCHEDULE: config.RELAY_RETRY_SCHEDULE,
        RELAY_MAX_LIFETIME: config.RELAY_MAX_LIFETIME,
        RELAY_PUSH_URL: pushUrl,
      },
      log,
    });
    stages.relays.push(() => relay.stop());
  }
  await admin.end();
  checkpoint();

  const running = await startRoles(allRoles, {
    config,
    pool,
    temporalAddress,
    relayMasterSecret: master,
    log,
    dependencyUp: {
      ...(pgSupervisor ? { database: pgSupervisor.isUp } : {}),
      ...(temporalSupervisor ? { temporal: temporalSupervisor.isUp } : {}),
    },
  });
  holds.push(running.hold);
  stages.roles.push(() => running.close());

  const lines = [
    '',
    'SMTP relay is running',
    ...running.smtp.map(
      (s) =>
        `  SMTP ${s.kind === 'plain' ? 'plain (trust zone only)' : 'submission (STARTTLS + AUTH)'}: ${config.SMTP_HOST}:${s.port} ${s.ok ? '' : `NOT LISTENING (${s.error})`}`,
    ),
    ...(running.bounce
      ? [
          `  Bounces:        ${config.BOUNCE_SMTP_HOST}:${running.bounce.port}  (SMTP for bounces+<token>@${config.BOUNCE_DOMAIN}) ${running.bounce.ok ? '' : `NOT LISTENING (${running.bounce.error})`}`,
        ]
      : []),
    `  REST API:       http://127.0.0.1:${running.apiPort}  (GET /healthz, /readyz, /v1/...)`,
    temporal?.uiUrl
      ? `  Temporal UI:    ${temporal.uiUrl}  (workflows msg-<id>, schedule poll-relays)`
      : `  Temporal:       ${temporalAddress}`,
    ...specs.map(
      (s) =>
        `  ${s.id}:        smtp 127.0.0.1:${s.smtpPort}, status http://127.0.0.1:${s.httpPort}, sends from ${s.sourceIp}`,
    ),
    adminKey.key
      ? `  Admin API key:  ${adminKey.key}${adminKey.generated ? '  (generated now and shown once: keep it; only its hash is stored)' : ''}`
      : config.ADMIN_API_KEY
        ? `  Admin API key:  set by ADMIN_API_KEY (not shown)${adminKey.revoked ? `; ${adminKey.revoked} previous admin key(s) revoked` : ''}`
        : '  Admin API key:  shown at first start; to set a new one, start with ADMIN_API_KEY=<key>',
    `  Data:           ${dataDir}`,
    'Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  log.info('main.ready', {
    apiPort: running.apiPort,
    ...(temporal ? { temporalPid: temporal.pid } : {}),
    ...(pg ? { postgresPid: pg.pid } : {}),
  });
}

startup = start().catch((err: unknown) => {
  if (err instanceof StopRequested) return;
  log.error('main.start_failed', { error: err, stack: err instanceof Error ? err.stack : undefined });
  // After this promise has settled: shutdown waits for the start-up to end.
  setImmediate(() => void shutdown(1));
});
