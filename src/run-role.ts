// Runs one or more service roles in this process against an existing PostgreSQL and Temporal:
//   tsx src/run-role.ts worker|ingress|api [...]
// Used by docker-compose (one role per container) and by tests that kill a worker with -9.
import { loadConfig } from './config/config.js';
import { createPool } from './db/pool.js';
import { migrate } from './db/migrate.js';
import { configureLogging, createLogger } from './log.js';
import { allRoles, startRoles, type Role } from './runtime/roles.js';
import { loadRelayMasterSecret } from './runtime/master-secret.js';
import { ensureAdminKey } from './runtime/bootstrap.js';
import { registerRelayNetwork } from './runtime/bootstrap.js';

const roles = process.argv.slice(2) as Role[];
if (roles.length === 0 || roles.some((r) => !allRoles.includes(r))) {
  console.error(`usage: run-role ${allRoles.join('|')} [...]`);
  process.exit(2);
}
const config = loadConfig();
configureLogging(config);
const log = createLogger({ component: roles.join('+'), pid: process.pid });
if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
  log.error('role.config', { msg: 'DATABASE_URL and TEMPORAL_ADDRESS are required when running a single role' });
  process.exit(2);
}
const pool = createPool(config.DATABASE_URL);
await migrate(pool);
if (roles.includes('api')) await ensureAdminKey(pool, config.ADMIN_API_KEY);
await registerRelayNetwork(pool, config.RELAY_ENDPOINTS);
const running = await startRoles(roles, {
  config,
  pool,
  temporalAddress: config.TEMPORAL_ADDRESS,
  relayMasterSecret: loadRelayMasterSecret(config.DATA_DIR, config.RELAY_MASTER_SECRET),
  log,
});
log.info('role.ready', { roles, smtp: running.smtp, apiPort: running.apiPort });

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    void running
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0));
  });
}
