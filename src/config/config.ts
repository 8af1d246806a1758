import { z } from 'zod';
import * as defaults from './defaults.js';
import { normalizeFingerprint } from '../relay-protocol/tls-pin.js';
import {
  duration,
  durationList,
  durationText,
  logLevel,
  nameList,
  onOff,
  optional,
  parseEnv,
  port,
  portList,
  splitList,
} from './env-parsers.js';

const tlsFingerprint = z.string().transform((s, ctx) => {
  const fp = normalizeFingerprint(s);
  if (!fp) ctx.addIssue({ code: 'custom', message: 'tlsFingerprint: 32 hex pairs (SHA-256), colons optional' });
  return fp ?? '';
});

const relayEndpoints = z.array(
  z.object({
    id: z.string().regex(/^[A-Za-z0-9._-]+$/),
    smtpHost: z.string().min(1),
    smtpPort: port,
    statusUrl: z.url(),
    sourceIp: z.string().min(1),
    /** The relay's RELAY_HELO_NAME, recorded so the reputation scan checks its domain on the domain blocklists. */
    heloName: z.string().trim().toLowerCase().min(1).optional(),
    /** SHA-256 fingerprint of the relay's TLS certificate (src/relay/make-cert.ts prints it); the MDE hands off only to it. */
    tlsFingerprint: tlsFingerprint.optional(),
  }),
);

/** Every environment variable the service reads, parsed once. Each default says its unit and why. */
export const configSchema = z.object({
  /** Where the embedded PostgreSQL, the Temporal SQLite file, the TLS certificate and generated secrets live. */
  DATA_DIR: z.string().default('./data'),
  /** External PostgreSQL; unset = start the embedded one under DATA_DIR. */
  DATABASE_URL: optional,
  /** Port of the embedded PostgreSQL (only used when DATABASE_URL is unset). 5433 to stay clear of a system 5432. */
  PG_PORT: port.default(5433),
  /** External Temporal frontend (host:port); unset = start the Temporal CLI dev server. */
  TEMPORAL_ADDRESS: optional,
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  /**
   * Base URL of the Temporal Web UI the web console links each message's workflow to (admin sessions only). Unset =
   * the dev server's UI on this host (http://127.0.0.1:TEMPORAL_UI_PORT) when TEMPORAL_ADDRESS is unset, else no link.
   */
  TEMPORAL_UI_URL: optional.pipe(z.url({ protocol: /^https?$/ }).optional()).transform((s) => s?.replace(/\/+$/, '')),
  TEMPORAL_TASK_QUEUE: z.string().default('smtp-relay'),
  SMTP_HOST: z.string().default('0.0.0.0'),
  /** Submission ports: STARTTLS offered, AUTH only after TLS. */
  SMTP_PORTS: portList('587,2525'),
  /** The "unsecured port 25" exception: plaintext allowed, only for clients inside a trust zone. Unset = off. */
  SMTP_PLAIN_PORT: optional.transform((s) => (s === undefined ? undefined : port.parse(s))),
  /** Name in the SMTP greeting and Received headers. */
  SMTP_HOSTNAME: z.string().default('relay.localhost'),
  TLS_CERT: optional,
  TLS_KEY: optional,
  /** Largest message accepted, in bytes (advertised as SIZE). 25 MiB like the big mailbox providers. */
  MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(25 * 1024 * 1024),
  /** Most recipients in one message (RFC 5321 asks servers to accept at least 100). */
  MAX_RECIPIENTS: z.coerce.number().int().positive().default(1000),
  /**
   * Accepted messages whose workflow start Temporal has not yet confirmed (the start outbox), at which new
   * submissions get 451 4.3.2 instead of 250. 10,000 messages: hours of a typical outage's mail are still accepted,
   * and once Temporal answers again the drain loop starts them in a few minutes at the rate a 2-core dev server takes
   * starts (~50/s); past that the senders' own queues (they retry 4xx) are the better place to wait.
   */
  START_BACKLOG_LIMIT: z.coerce.number().int().positive().default(10_000),
  /**
   * The start outbox's drain loop scans for rows left behind (Temporal down, a process gone) this often; while
   * Temporal refuses starts it probes with one start at 1 s, 2 s, 4 s … up to this. 5 s: an outage's backlog starts
   * within seconds of recovery, at the cost of one indexed query per interval when there is nothing to do.
   */
  START_DRAIN_INTERVAL: duration('5s'),
  // Connection and session limits of the SMTP listeners (and the bounce receiver), far above a busy legitimate app.
  /** Open SMTP connections per listener process (421 4.7.0 beyond): 1000 sessions, each a socket and a few KiB. */
  SMTP_MAX_CONNECTIONS: z.coerce.number().int().positive().default(1000),
  /** Open SMTP connections from one client address (421 4.7.0 beyond); Postfix's smtpd_client_connection_count_limit. */
  SMTP_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().positive().default(50),
  /** Idle time allowed between two commands: RFC 5321 4.5.3.2.7's 5 minutes (Postfix smtpd_timeout 300s). */
  SMTP_COMMAND_TIMEOUT: duration('5m'),
  /** Whole-session deadline, then 421 4.4.2: an hour covers a pooled client's session, not a parked socket. */
  SMTP_SESSION_TIMEOUT: duration('1h'),
  /** MAIL transactions per session (421 4.7.0 beyond, the client reconnects); nodemailer's pool reconnects after 100. */
  SMTP_MAX_MESSAGES_PER_SESSION: z.coerce.number().int().positive().default(1000),
  // AUTH lockout: failures counted per client address and per username in PostgreSQL (shared by ingress instances).
  /** Failed AUTH attempts from one address in AUTH_FAIL_WINDOW that lock the address (then 421 4.7.0). */
  AUTH_FAIL_LIMIT_IP: z.coerce.number().int().positive().default(5),
  /** Failed AUTH attempts for one username (from any address) in the window that lock it outside its acceptance list. */
  AUTH_FAIL_LIMIT_USER: z.coerce.number().int().positive().default(10),
  /** The window failures are counted in (15 minutes, like fail2ban's findtime scale). */
  AUTH_FAIL_WINDOW: duration('15m'),
  /** How long a lock lasts unless cleared through DELETE /v1/auth-lockouts/:key. */
  AUTH_LOCKOUT: duration('15m'),
  API_HOST: z.string().default('0.0.0.0'),
  API_PORT: port.default(8080),
  /**
   * Public base URL of the api as mail recipients reach it: tracking pixels and links are <PUBLIC_URL>/t/o|c/<token>.
   * The default matches API_PORT's default on this machine; set it to the https address of the api in production.
   */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .default('http://127.0.0.1:8080')
    .transform((s) => s.replace(/\/+$/, '')),
  ADMIN_API_KEY: optional,
  /** How long a web console login lasts, absolute (8 hours: a working day; the API key itself does not expire). */
  CONSOLE_SESSION_TTL: duration('8h'),
  /**
   * Bearer token Prometheus presents to GET /metrics (the api's, and the relays', which receive this environment).
   * Unset = the api's /metrics takes the admin API key only and a relay's answers loopback callers only. A separate,
   * read-only token keeps the admin key out of the scraper's configuration.
   */
  METRICS_TOKEN: optional.refine((s) => s === undefined || s.length >= 16, 'must be at least 16 characters'),
  /**
   * Where the worker's Temporal SDK serves its own metrics (host:port); the api of the same process merges them into
   * /metrics. `auto` = a free loopback port (no clash when several processes share a host), empty = not served.
   */
  TEMPORAL_METRICS_BIND: z.string().default('auto'),
  RELAY_COUNT: z.coerce.number().int().min(0).max(200).default(2),
  /** First port of the local relays: relay-N listens for SMTP on base+2N and HTTP on base+2N+1. */
  RELAY_BASE_PORT: port.default(4100),
  /** Postfix-style transport map used by the relays; unset = real MX lookup. */
  RELAY_TRANSPORT: optional,
  /** Relay credentials are HMACs of this; unset = generated once into DATA_DIR (single-machine setup). */
  RELAY_MASTER_SECRET: optional,
  /**
   * Relays to register at start (when they are not the local ones of `npm start`), as JSON:
   * [{"id":"relay-1","smtpHost":"relay-1","smtpPort":2600,"statusUrl":"http://relay-1:2601","sourceIp":"203.0.113.10","heloName":"relay-1.example.com"}]
   * (heloName optional: the relay's RELAY_HELO_NAME, whose domain the reputation scan checks)
   */
  RELAY_ENDPOINTS: optional.transform((s, ctx) => {
    if (s === undefined) return [];
    try {
      return relayEndpoints.parse(JSON.parse(s));
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `RELAY_ENDPOINTS: ${e instanceof Error ? e.message : String(e)}` });
      return z.NEVER;
    }
  }),
  /** How often the scheduled poller reads every relay's status feed. */
  RELAY_POLL_INTERVAL: duration('10m'),
  /**
   * Whether the local relays of `npm start` push each outcome to the API at once (POST /v1/relay-reports) besides
   * being polled: `on` brings a 250 into the API within moments; `off` leaves it to the poll. Either alone suffices.
   */
  RELAY_PUSH: onOff('on'),
  /** The relays' 4xx retry delays (Postfix-like doubling from 5 minutes; the last one repeats), handed to the local relays. */
  RELAY_RETRY_SCHEDULE: durationText(defaults.RELAY_RETRY_SCHEDULE),
  /**
   * How long a relay keeps retrying before the recipient fails as expired (Postfix maximal_queue_lifetime), handed to
   * the local relays; also how long a message workflow waits for a usable IP.
   */
  RELAY_MAX_LIFETIME: durationText(defaults.RELAY_MAX_LIFETIME),
  /**
   * How long a message workflow waits for a status before asking the relay directly. Short enough that a relay that
   * lost a message is noticed within the hour, long enough not to duplicate the poller's work.
   */
  STATUS_CHECK_INTERVAL: duration('30m'),
  /** Backoff between handoff attempts to relays (first retry, doubling up to the last). */
  HANDOFF_RETRY: durationList('1s,30s'),
  // Retention (the `purge-retention` Schedule). Only finished messages are purged; one still delivering keeps its body.
  /** Raw MIME of a finished message is purged this long after submission (30 days, like SES/Postmark's content window). */
  RAW_RETENTION: duration('30d'),
  /** A message's events are deleted this long after they happened (400 days: a year of history plus a margin). */
  EVENT_RETENTION: duration('400d'),
  /** How often the retention purge runs (daily; each run purges every backlog in bounded batches). */
  RETENTION_INTERVAL: duration('1d'),
  // Bounces and complaints.
  /** Domain of the VERP envelope senders (bounces+<token>@BOUNCE_DOMAIN); in production its MX points at the receiver. */
  BOUNCE_DOMAIN: z.string().trim().toLowerCase().default('bounces.localhost'),
  // Sender authentication (verified sender domains, DKIM, return path).
  /**
   * `verified` (default): a sender domain sends once its ownership and DKIM records verify in DNS, or an admin marks
   * it verified by hand; `listed`: every listed domain sends (the allowed list of old, for local use).
   */
  SENDER_DOMAIN_POLICY: z.enum(['verified', 'listed']).default('verified'),
  /** The service's SPF record that customers include (`include:<this>`); it lists the relays' source addresses. */
  SPF_INCLUDE_DOMAIN: z.string().trim().toLowerCase().default('spf.relay.localhost'),
  /** How often every sender domain's DNS records are checked again (a day, as DNS changes are rare and slow). */
  SENDER_DOMAIN_CHECK_INTERVAL: duration('1d'),
  /**
   * After a new DKIM key takes over, how long the old one stays expected in DNS (milliseconds of a 7 d default): mail
   * signed just before the switch may sit in queues for days and must still verify.
   */
  DKIM_ROTATION_OVERLAP: duration('7d'),
  /** Interface of the bounce receiver (SMTP, no AUTH, only VERP recipients). */
  BOUNCE_SMTP_HOST: z.string().default('0.0.0.0'),
  /** Port of the bounce receiver: 2526 so a development machine needs no privileges; 25 in production (the MX). */
  BOUNCE_SMTP_PORT: port.default(2526),
  /**
   * Final failures that suppress an address when their reason does not condemn it alone (policy, content, full
   * mailbox...; src/domain/bounces/decide-suppression.ts), counted within SUPPRESS_REPEAT_WINDOW. 2, as Postal does:
   * one refusal may be the message's fault, two are the address's.
   */
  SUPPRESS_REPEAT_COUNT: z.coerce.number().int().min(1).default(2),
  /** How far back those failures count: 30d, long enough for monthly mail to repeat within it. */
  SUPPRESS_REPEAT_WINDOW: duration('30d'),
  // Reputation monitoring.
  /** Resolver for blocklist lookups as host:port (e.g. 127.0.0.1:5353; port 53 when omitted); unset = the system's. */
  DNS_RESOLVER: optional,
  /** IP blocklists (comma-separated DNS zones) every active and standby IP is checked against. */
  DNSBL_ZONES: nameList('zen.spamhaus.org,b.barracudacentral.org,bl.spamcop.net'),
  /** Domain blocklists every sending domain is checked against. */
  DOMAIN_BL_ZONES: nameList('dbl.spamhaus.org,multi.uribl.com'),
  /** How often the `scan-reputation` Schedule runs a scan (15 minutes: well inside the lists' own update cadence). */
  REPUTATION_SCAN_INTERVAL: duration('15m'),
  /** How long one DNS lookup may take before its answer counts as unknown (milliseconds of a 2 s default). */
  DNS_TIMEOUT: duration('2s'),
  /** The delivery team's alert addresses (comma-separated); unset = incidents are recorded and logged, not mailed. */
  ALERT_EMAIL_TO: optional.transform((s) => (s === undefined ? [] : splitList(s))),
  /** Sender of alert emails; its domain is the system account's sender domain. */
  ALERT_EMAIL_FROM: z.string().default('reputation@relay.localhost'),
  /** At most one reminder per open incident per this interval (6 hours: twice a working day). */
  ALERT_REMIND_INTERVAL: duration('6h'),
  /** `on`: a listed active IP is quarantined at once and a standby IP of its pool takes over. */
  AUTO_SWAP: onOff('on'),
  /** Clean scans in a row before a listing counts as gone (and a quarantined IP returns to standby): 3 = 45 minutes. */
  DELIST_CONFIRM_SCANS: z.coerce.number().int().min(1).default(3),
  /** The rolling window of the service's own signals (bounce, deferral, complaint rates, block replies). */
  REPUTATION_SIGNAL_WINDOW: duration('1h'),
  /** Fewer outcomes than this in the window: rates are not judged (too little traffic to mean anything). */
  REPUTATION_MIN_VOLUME: z.coerce.number().int().min(1).default(20),
  /** Bounce rate (bounced / final outcomes) at or above which an IP or sender domain is `degraded` (10 %). */
  REPUTATION_BOUNCE_RATE: z.coerce.number().min(0).max(1).default(0.1),
  /** Deferral rate (deferrals / attempts) at or above which it is `degraded` (30 %). */
  REPUTATION_DEFERRAL_RATE: z.coerce.number().min(0).max(1).default(0.3),
  /** Complaint rate at or above which it is `degraded` (0.3 %, the big mailbox providers' line). */
  REPUTATION_COMPLAINT_RATE: z.coerce.number().min(0).max(1).default(0.003),
  /** Destination replies naming a block ("blocked", "listed", "poor reputation") in the window that make it `degraded`. */
  REPUTATION_BLOCK_REPLIES: z.coerce.number().int().min(1).default(5),
  /** Webhook retry backoff after a failed POST: first delay, doubling up to the cap (1 h keeps a day to ~30 tries). */
  WEBHOOK_RETRY: durationList('10s,1h'),
  /** How long one event is retried before it is given up (the receiver's outage budget). */
  WEBHOOK_RETRY_FOR: duration('24h'),
  /** One POST's timeout: a slow receiver counts as failed and is retried. */
  WEBHOOK_TIMEOUT: duration('10s'),
  /** The webhook dispatcher's fallback scan of the event outbox (LISTEN/NOTIFY wakes it at once normally). */
  WEBHOOK_SCAN_INTERVAL: duration('5s'),
  /** A (webhook, message) delivery workflow completes after this long without new events; later ones start a new run. */
  WEBHOOK_IDLE: duration('1h'),
  /** `on` lets webhook URLs reach loopback, private and link-local addresses: local development and tests only. */
  WEBHOOK_ALLOW_PRIVATE: z.enum(['on', 'off']).default('off'),
  /** Tracking tokens older than this record no open or click (the link still redirects): 90d outlives any campaign. */
  TRACKING_TOKEN_TTL: duration('90d'),
  /** Hits recorded per tracking token per minute (more are answered, not written): 10 is more than a reader makes. */
  TRACKING_HITS_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /** debug, info, warn, error or silent; applied by configureLogging() at start. */
  LOG_LEVEL: logLevel(defaults.LOG_LEVEL),
});

export type Config = z.infer<typeof configSchema>;

/** Parses the service's settings (every role, the supervisor); throws one error naming every invalid variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseEnv(configSchema, env);
}
