// Process entry of one relay (`tsx src/relay/main.ts`): environment → startRelay; SIGTERM/SIGINT close it cleanly.
import fs from 'node:fs';
import { ConfigError } from '../config/env-parsers.js';
import { loadRelayConfig, type RelayConfig } from '../config/relay-config.js';
import { configureLogging, createLogger } from '../log.js';
import { startRelay } from './relay-server.js';
import { createRouteDns } from './resolve-route.js';

const log = createLogger({ component: 'relay-main' });
let env: RelayConfig;
try {
  env = loadRelayConfig();
} catch (err) {
  log.error('relay.config_invalid', { issues: err instanceof ConfigError ? err.issues : [String(err)] });
  process.exit(2);
}
configureLogging(env);

const relay = await startRelay({
  id: env.RELAY_ID,
  smtpHost: env.RELAY_SMTP_HOST,
  smtpPort: env.RELAY_SMTP_PORT,
  httpHost: env.RELAY_HTTP_HOST,
  httpPort: env.RELAY_HTTP_PORT,
  sourceIp: env.RELAY_SOURCE_IP,
  sourceIps: env.RELAY_SOURCE_IPS,
  domainConcurrency: env.RELAY_DOMAIN_CONCURRENCY,
  domainRatePerMinute: env.RELAY_DOMAIN_RATE,
  throttleBackoffMs: env.RELAY_THROTTLE_BACKOFF,
  databaseUrl: env.RELAY_DATABASE_URL,
  secret: env.RELAY_SECRET,
  transport: env.RELAY_TRANSPORT,
  dns: env.RELAY_DNS_RESOLVER ? createRouteDns({ server: env.RELAY_DNS_RESOLVER }) : undefined,
  mtaSts: env.RELAY_MTA_STS === 'on',
  extraCa: env.RELAY_EXTRA_CA_FILE ? fs.readFileSync(env.RELAY_EXTRA_CA_FILE, 'utf8') : undefined,
  allowPrivateDestinations: env.RELAY_ALLOW_PRIVATE === 'on',
  retryScheduleMs: env.RELAY_RETRY_SCHEDULE,
  maxLifetimeMs: env.RELAY_MAX_LIFETIME,
  heloName: env.RELAY_HELO_NAME ?? `${env.RELAY_ID}.relay.localhost`,
  pushUrl: env.RELAY_PUSH_URL,
  metricsToken: env.METRICS_TOKEN,
  rawRetentionMs: env.RELAY_RAW_RETENTION,
  retentionIntervalMs: env.RELAY_RETENTION_INTERVAL,
  tls:
    env.TLS_CERT && env.TLS_KEY
      ? { cert: fs.readFileSync(env.TLS_CERT), key: fs.readFileSync(env.TLS_KEY) }
      : undefined,
  log: createLogger(),
}).catch((err: unknown) => {
  log.error('relay.start_failed', { relayId: env.RELAY_ID, error: err });
  process.exit(1);
});
log.info('relay.ready', {
  relayId: relay.id,
  smtpPort: relay.smtpPort,
  httpPort: relay.httpPort,
  tlsFingerprint: relay.tlsFingerprint,
});

let closing = false;
const shutdown = (signal: string): void => {
  if (closing) return;
  closing = true;
  log.info('relay.stopping', { relayId: relay.id, signal });
  relay.close().then(
    () => process.exit(0),
    (err: unknown) => {
      log.error('relay.stop_failed', { error: err });
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
