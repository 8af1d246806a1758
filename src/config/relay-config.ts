import { z } from 'zod';
import { THROTTLE_DEFAULTS } from '../domain/relay/destination-throttle.js';
import * as defaults from './defaults.js';
import { count, duration, durationList, ipAddress, ipList, logLevel, optional, parseEnv, port } from './env-parsers.js';

/** Every environment variable a relay process reads (RELAY_*, TLS_*, LOG_LEVEL), parsed once. */
export const relayConfigSchema = z.object({
  RELAY_ID: z.string().regex(/^[A-Za-z0-9._-]+$/),
  RELAY_SMTP_HOST: z.string().default('127.0.0.1'),
  RELAY_SMTP_PORT: port,
  RELAY_HTTP_HOST: z.string().default('127.0.0.1'),
  RELAY_HTTP_PORT: port,
  /** The default source address; RELAY_SOURCE_IPS adds the others the MDE may choose per handoff (the union is hosted). */
  RELAY_SOURCE_IP: ipAddress,
  RELAY_SOURCE_IPS: ipList.default([]),
  /** Sessions at once per (source address, destination domain), like Postfix's per-destination concurrency. */
  RELAY_DOMAIN_CONCURRENCY: count(1).default(THROTTLE_DEFAULTS.concurrency),
  /** Messages per minute per (source address, destination domain); 0 = unlimited. */
  RELAY_DOMAIN_RATE: count(0).default(THROTTLE_DEFAULTS.ratePerMinute),
  /** The pauses of a destination answering 421/451, consecutive answers walking the list. */
  RELAY_THROTTLE_BACKOFF: durationList(THROTTLE_DEFAULTS.backoffMs.map((ms) => `${ms}ms`).join(','), {
    nonEmpty: true,
  }),
  RELAY_DATABASE_URL: z.string().min(1),
  RELAY_SECRET: z.string().min(1),
  /** Postfix-style transport map; unset = real MX lookup. */
  RELAY_TRANSPORT: z.string().optional(),
  /** Resolver for MX and address lookups as host:port (port 53 when omitted); unset = the system's. */
  RELAY_DNS_RESOLVER: z.string().optional(),
  /**
   * Honour recipient domains' MTA-STS policies (RFC 8461) on MX routes: on by default, since a domain that publishes
   * `enforce` has asked never to be sent mail in clear or to an unverified host.
   */
  RELAY_MTA_STS: z.enum(['on', 'off']).default('on'),
  /** PEM file of CAs trusted besides the system's, for MTA-STS policy hosts and MX certificates; unset = none. */
  RELAY_EXTRA_CA_FILE: z.string().optional(),
  /**
   * `on` lets MX hosts and MTA-STS policy hosts resolve to loopback/private addresses: local use and tests only
   * (default off: no SMTP or HTTPS into the relay's own network because a domain's DNS says so).
   */
  RELAY_ALLOW_PRIVATE: z.enum(['on', 'off']).default('off'),
  /** 4xx retry delays, the last step repeating (the same default as the service hands its local relays). */
  RELAY_RETRY_SCHEDULE: durationList(defaults.RELAY_RETRY_SCHEDULE, { nonEmpty: true }),
  /** How long a recipient is retried before it fails as expired. */
  RELAY_MAX_LIFETIME: duration(defaults.RELAY_MAX_LIFETIME),
  /** Name in EHLO; unset = `<RELAY_ID>.relay.localhost`. */
  RELAY_HELO_NAME: z.string().optional(),
  /** The MDE's push callback for outcome events (e.g. http://api:8080/v1/relay-reports); unset = the MDE polls only. */
  RELAY_PUSH_URL: z
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** A finished message's body is purged this long after the relay received it (30 days, as the service's RAW_RETENTION). */
  RELAY_RAW_RETENTION: duration('30d'),
  /** How often the relay runs that purge (hourly: cheap, bounded batches). */
  RELAY_RETENTION_INTERVAL: duration('1h'),
  /** Bearer token for GET /metrics (the service's METRICS_TOKEN, handed on); unset = loopback callers only. */
  METRICS_TOKEN: optional.refine((s) => s === undefined || s.length >= 16, 'must be at least 16 characters'),
  TLS_CERT: z.string().optional(),
  TLS_KEY: z.string().optional(),
  LOG_LEVEL: logLevel(defaults.LOG_LEVEL),
});

export type RelayConfig = z.infer<typeof relayConfigSchema>;

/** Parses a relay process's settings; throws one error naming every invalid variable. */
export function loadRelayConfig(env: NodeJS.ProcessEnv = process.env): RelayConfig {
  return parseEnv(relayConfigSchema, env);
}
