import { z } from 'zod';
import { parseDurationListMs, parseDurationMs } from '../domain/duration.js';

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

/** Every environment variable a relay process reads (RELAY_*, TLS_*), parsed once. */
export const relayEnvSchema = z.object({
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
  // The MDE's push callback for outcome events (e.g. http://api:8080/v1/relay-reports); unset = the MDE polls only.
  RELAY_PUSH_URL: z.url().optional().or(z.literal('').transform(() => undefined)),
  TLS_CERT: z.string().optional(),
  TLS_KEY: z.string().optional(),
});

