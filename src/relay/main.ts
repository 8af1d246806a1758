// Process entry of one relay (`tsx src/relay/main.ts`): environment → startRelay; SIGTERM/SIGINT close it cleanly.
import fs from 'node:fs';
import { z } from 'zod';
import { parseDurationListMs, parseDurationMs } from '../domain/duration.js';
import { createLogger } from '../log.js';
import { startRelay } from './relay-server.js';

const port = z.coerce.number().int().min(0).max(65535);
const duration = z.string().transform((s, ctx) => {
  try { return parseDurationMs(s); } catch (err) { ctx.addIssue({ code: 'custom', message: (err as Error).message }); return z.NEVER; }
});
const durations = z.string().transform((s, ctx) => {
  try {
    const list = parseDurationListMs(s);
    if (list.length === 0) throw new Error('retry schedule is empty');
    return list;
  } catch (err) { ctx.addIssue({ code: 'custom', message: (err as Error).message }); return z.NEVER; }
});

const envSchema = z.object({
  RELAY_ID: z.string().regex(/^[A-Za-z0-9._-]+$/),
  RELAY_SMTP_HOST: z.string().default('127.0.0.1'),
  RELAY_SMTP_PORT: port,
  RELAY_HTTP_HOST: z.string().default('127.0.0.1'),
  RELAY_HTTP_PORT: port,
  RELAY_SOURCE_IP: z.ipv4().or(z.ipv6()),
  RELAY_DATABASE_URL: z.string().min(1),
  RELAY_SECRET: z.string().min(1),
  RELAY_TRANSPORT: z.string().optional(),
  // Postfix's backoff (minimal_backoff_time 5m doubling up to maximal_backoff_time), the last step repeating.
  RELAY_RETRY_SCHEDULE: durations.default(parseDurationListMs('5m,10m,20m,40m,80m,160m,320m,640m')),
  // Postfix's maximal_queue_lifetime is 5d; the MDE wants a final answer sooner.
  RELAY_MAX_LIFETIME: duration.default(parseDurationMs('2d')),
  RELAY_HELO_NAME: z.string().optional(),
  TLS_CERT: z.string().optional(),
  TLS_KEY: z.string().optional(),
});

const parsed = envSchema.safeParse(process.env);
const log = createLogger({ component: 'relay-main' });
if (!parsed.success) {
  log.error('relay.config_invalid', { issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
  process.exit(2);
}
const env = parsed.data;

const relay = await startRelay({
  id: env.RELAY_ID,
  smtpHost: env.RELAY_SMTP_HOST,
  smtpPort: env.RELAY_SMTP_PORT,
  httpHost: env.RELAY_HTTP_HOST,
  httpPort: env.RELAY_HTTP_PORT,
  sourceIp: env.RELAY_SOURCE_IP,
  databaseUrl: env.RELAY_DATABASE_URL,
  secret: env.RELAY_SECRET,
  transport: env.RELAY_TRANSPORT,
  retryScheduleMs: env.RELAY_RETRY_SCHEDULE,
  maxLifetimeMs: env.RELAY_MAX_LIFETIME,
  heloName: env.RELAY_HELO_NAME ?? `${env.RELAY_ID}.relay.localhost`,
  tls: env.TLS_CERT && env.TLS_KEY ? { cert: fs.readFileSync(env.TLS_CERT), key: fs.readFileSync(env.TLS_KEY) } : undefined,
  log: createLogger(),
}).catch((err: unknown) => {
  log.error('relay.start_failed', { relayId: env.RELAY_ID, error: err });
  process.exit(1);
});
log.info('relay.ready', { relayId: relay.id, smtpPort: relay.smtpPort, httpPort: relay.httpPort });

let closing = false;
const shutdown = (signal: string): void => {
  if (closing) return;
  closing = true;
  log.info('relay.stopping', { relayId: relay.id, signal });
  relay.close().then(() => process.exit(0), (err: unknown) => { log.error('relay.stop_failed', { error: err }); process.exit(1); });
};
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
