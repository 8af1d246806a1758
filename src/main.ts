// `npm start`: the whole service on one machine. Starts and supervises PostgreSQL (embedded unless DATABASE_URL),
// the Temporal dev server (unless TEMPORAL_ADDRESS), the local relays, and the worker + SMTP ingress + REST API.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from './config/config.js';
import { configureLogging, createLogger } from './log.js';
import { createPool } from './db/pool.js';
import { ensureDatabase, migrate } from './db/migrate.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './infra/embedded-postgres.js';
import { startTemporalDevServer, type TemporalDevServer } from './infra/temporal-dev-server.js';
import { ensureAdminKey, localRelaySpecs, registerLocalRelays } from './runtime/bootstrap.js';
import { loadRelayMasterSecret } from './runtime/master-secret.js';
import { superviseRelay } from './runtime/relay-processes.js';
import { startRoles, allRoles } from './runtime/roles.js';
import { deriveRelaySecret } from './secrets.js';
import { relayReportsPath } from './api/routes/relay-reports.js';

const config = loadConfig();
configureLogging(config);
const log = createLogger({ component: 'main' });
const dataDir = path.resolve(config.DATA_DIR);
fs.mkdirSync(dataDir, { recursive: true });
const cleanups: Array<() => Promise<void>> = [];

async function shutdown(code: number): Promise<never> {
  log.info('main.stopping');
  for (const c of cleanups.reverse()) await c().catch((err: unknown) => log.warn('main.stop_error', { error: err }));
  log.info('main.stopped');
  process.exit(code);
}
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => {
    if (!stopping) {
      stopping = true;
      void shutdown(0);
    }
  });

try {
  let pg: EmbeddedPostgresHandle | undefined;
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
    pg = await startEmbeddedPostgres(path.join(dataDir, 'postgres'), config.PG_PORT, log);
    const p = pg;
    cleanups.push(() => p.stop());
    databaseUrl = pg.databaseUrl('relay');
    relayDbUrl = (name) => p.databaseUrl(`relay_${name}`);
  }
  const admin = createPool(pg ? pg.adminUrl : databaseUrl, 2);
  if (pg) await ensureDatabase(admin, 'relay');

  let temporal: TemporalDevServer | undefined;
  let temporalAddress = config.TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    temporal = await startTemporalDevServer({
      port: config.TEMPORAL_PORT,
      uiPort: config.TEMPORAL_UI_PORT,
      dbFile: path.join(dataDir, 'temporal', 'temporal.db'),
      log,
    });
    const t = temporal;
    cleanups.push(() => t.stop());
    temporalAddress = temporal.address;
  }

  const pool = createPool(databaseUrl);
  cleanups.push(() => pool.end());
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
  await registerLocalRelays(pool, specs);
  for (const spec of specs) {
    const dbName = spec.id.replace(/\W/g, '_');
    await ensureDatabase(admin, pg ? `relay_${dbName}` : new URL(relayDbUrl(dbName)).pathname.slice(1));
    const relay = superviseRelay({
      spec,
      databaseUrl: relayDbUrl(dbName),
      secret: deriveRelaySecret(master, spec.id),
      env: {
        RELAY_TRANSPORT: config.RELAY_TRANSPORT,
        RELAY_RETRY_SCHEDULE: config.RELAY_RETRY_SCHEDULE,
        RELAY_MAX_LIFETIME: config.RELAY_MAX_LIFETIME,
        RELAY_PUSH_URL: pushUrl,
      },
      log,
    });
    cleanups.push(() => relay.stop());
  }
  await admin.end();

  const running = await startRoles(allRoles, { config, pool, temporalAddress, relayMasterSecret: master, log });
  cleanups.push(() => running.close());

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
    temporal
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
} catch (err) {
  log.error('main.start_failed', { error: err, stack: err instanceof Error ? err.stack : undefined });
  await shutdown(1);
}
