import { z } from 'zod';
import { parseDurationListMs, parseDurationMs } from '../domain/duration.js';
import { THROTTLE_DEFAULTS } from '../domain/relay/destination-throttle.js';

const port = z.coerce.number().int().min(0).max(65535);
const duration = z.string().transform((s, ctx) => {
  try { return parseDurationMs(s); } catch (err) { ctx.addIssue({ code: 'custom', message: (err as Error).message }); return z.NEVER; }
});
const durations = z.string().transform((s, ctx) => {
  try {
    const list = parseDurationListMs(s);
    if (list.length === 0) throw new Error('duration list is empty');
    return list;
  } catch (err) { ctx.addIssue({ code: 'custom', message: (err as Error).message }); return z.NEVER; }
});

const ip = z.ipv4().or(z.ipv6());
const ipList = z.string().transform((s, ctx) => {
  const list = s.split(',').map((x) => x.trim()).filter((x) => x !== '');
  for (const x of list) if (!ip.safeParse(x).success) ctx.addIssue({ code: 'custom', message: `"${x}" is not an IP address` });
  return list;
});
const count = (min: number) => z.coerce.number().int().min(min);

/** Every environment variable a relay process reads (RELAY_*, TLS_*), parsed once. */
export const relayEnvSchema = z.object({
  RELAY_ID: z.string().regex(/^[A-Za-z0-9._-]+$/),
  RELAY_SMTP_HOST: z.string().default('127.0.0.1'),
  RELAY_SMTP_PORT: port,
  RELAY_HTTP_HOST: z.string().default('127.0.0.1'),
  RELAY_HTTP_PORT: port,
  // The default source address; RELAY_SOURCE_IPS adds the others the MDE may choose per handoff (the union is hosted).
  RELAY_SOURCE_IP: ip,
  RELAY_SOURCE_IPS: ipList.default([]),
  // Per (source address, destination domain), like Postfix's per-destination concurrency and rate delay.
  RELAY_DOMAIN_CONCURRENCY: count(1).default(THROTTLE_DEFAULTS.concurrency),
  RELAY_DOMAIN_RATE: count(0).default(THROTTLE_DEFAULTS.ratePerMinute), // messages per minute; 0 = unlimited
  // The pauses of a destination answering 421/451, consecutive answers walking the list.
  RELAY_THROTTLE_BACKOFF: durations.default([...THROTTLE_DEFAULTS.backoffMs]),
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

