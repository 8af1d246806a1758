import http from 'node:http';
import type net from 'node:net';
import { rootCertificates } from 'node:tls';
import { createPool } from '../db/pool.js';
import { DestinationThrottle, THROTTLE_DEFAULTS } from '../domain/relay/destination-throttle.js';
import { hostedSourceIps } from '../domain/relay/source-ips.js';
import { parseTransportMap } from '../domain/relay/transport-map.js';
import { createLogger, type Logger } from '../log.js';
import { startDeliveryLoop } from './delivery-loop.js';
import { acquireQueueOwnership } from './queue-ownership.js';
import { ensureQueueSchema } from './queue-schema.js';
import { readRelayStats } from './relay-stats.js';
import { createMtaStsPolicies } from './mta-sts-policies.js';
import { systemRouteDns, type RouteDns } from './resolve-route.js';
import { createSmtpIntake } from './smtp-intake.js';
import { createStatusApp } from './status-api.js';
import { startRelayRetention } from './retention.js';
import { startStatusPusher } from './status-push.js';
import { relayTlsMaterial } from './relay-tls.js';
import { answerUnparsableRequests } from '../infra/json-errors.js';
import { RelayMetrics } from '../infra/metrics.js';

// One relay: SMTP intake from the MDE → its own durable queue → delivery from the source address the MDE chose (one
// of the relay's own), throttled per (source address, destination domain) → status feed, push and stats.

export interface RelayOptions {
  id: string;
  smtpHost: string;
  /** 0 = ephemeral */
  smtpPort: number;
  httpHost: string;
  /** 0 = ephemeral */
  httpPort: number;
  /** The default source address: used when the MDE names none (and for mail queued before it could). */
  sourceIp: string;
  /**
   * Further addresses this relay sends from; the MDE picks one per handoff (X-Mde-Source-Ip). The hosted set is
   * `sourceIp` plus these. Every outgoing connection is bound to the address chosen for its recipients.
   */
  sourceIps?: string[];
  /** The relay's own database; its tables are created at start. */
  databaseUrl: string;
  secret: string;
  /** Postfix-style transport map, e.g. "example.com=10.0.0.5:25,*=mx". */
  transport?: string;
  retryScheduleMs: number[];
  maxLifetimeMs: number;
  heloName: string;
  /**
   * The intake's TLS certificate (STARTTLS is required before AUTH); unset = a self-signed one generated at start,
   * whose fingerprint is logged (relay.started) and returned, to be registered with the MDE.
   */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Queue scan interval; new messages wake the loop at once, so this mostly bounds retry lateness. Default 250 ms. */
  pollIntervalMs?: number;
  /** Parallel SMTP sessions. Default 10. */
  concurrency?: number;
  /** Parallel SMTP sessions per (source address, destination domain). Default 5. */
  domainConcurrency?: number;
  /** Messages (sessions) per minute per (source address, destination domain), evenly spaced; 0 = unlimited (default). */
  domainRatePerMinute?: number;
  /** Pauses of a destination that answers 421/451, consecutive answers walking the list. Default 30s,1m,2m,5m,10m. */
  throttleBackoffMs?: number[];
  /** Default 50 MiB. */
  maxMessageBytes?: number;
  /** Claim lease; must outlast the longest attempt (timeouts are 30 s connect, 60 s greeting, 5 min idle). Default 30 min. */
  leaseMs?: number;
  /** MX, address and TXT lookups (RELAY_DNS_RESOLVER); default the system's resolvers. */
  dns?: RouteDns;
  /** Honour recipient domains' MTA-STS policies on MX routes (RELAY_MTA_STS). Default true. */
  mtaSts?: boolean;
  /** PEM of CAs trusted besides the system's, for MTA-STS policy hosts and MX certificates (RELAY_EXTRA_CA_FILE). */
  extraCa?: string;
  /**
   * MX hosts and MTA-STS policy hosts may resolve to internal addresses (RELAY_ALLOW_PRIVATE; local use and tests
   * only). Default false.
   */
  allowPrivateDestinations?: boolean;
  /** Ports of destination services: SMTP of MX hosts (25) and HTTPS of policy hosts (443). Tests only. */
  destinationPorts?: { smtp?: number; https?: number };
  /** The MDE's push callback (POST, body signed with the relay secret); unset = outcomes reach the MDE by its poll only. */
  pushUrl?: string;
  /** Bearer token for GET /metrics (METRICS_TOKEN); unset = loopback callers only. */
  metricsToken?: string;
  /** Bodies of finished messages are purged this long after receipt (RELAY_RAW_RETENTION). Default 30 days. */
  rawRetentionMs?: number;
  /** How often the relay runs that purge (RELAY_RETENTION_INTERVAL). Default 1 hour. */
  retentionIntervalMs?: number;
  log?: Logger;
}

export interface RelayHandle {
  id: string;
  smtpPort: number;
  httpPort: number;
  /** SHA-256 fingerprint of the intake's certificate: what the MDE must have registered for this relay. */
  tlsFingerprint: string;
  close(): Promise<void>;
}

function listen(server: net.Server | http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

export async function startRelay(opts: RelayOptions): Promise<RelayHandle> {
  const log = (opts.log ?? createLogger()).child({ component: 'relay', relayId: opts.id });
  const rules = parseTransportMap(opts.transport);
  if (opts.retryScheduleMs.length === 0) throw new Error('retryScheduleMs must have at least one step');
  const hosted = hostedSourceIps(opts.sourceIp, opts.sourceIps);
  const source = { defaultIp: hosted[0] as string, hosted };
  // Soft state, in memory: after a restart every destination starts unthrottled and is judged by its next answers.
  const throttle = new DestinationThrottle(
    {
      concurrency: opts.domainConcurrency ?? THROTTLE_DEFAULTS.concurrency,
      ratePerMinute: opts.domainRatePerMinute ?? THROTTLE_DEFAULTS.ratePerMinute,
      backoffMs: opts.throttleBackoffMs ?? THROTTLE_DEFAULTS.backoffMs,
    },
    Date.now,
  );
  const cleanups: Array<() => Promise<void>> = [];
  const closeAll = async (): Promise<void> => {
    for (const c of cleanups.splice(0).reverse())
      await c().catch((err: unknown) => log.error('relay.close_error', { error: err }));
  };
  try {
    const metrics = new RelayMetrics(opts.id);
    const pool = createPool(opts.databaseUrl, 12);
    cleanups.push(() => pool.end());
    await ensureQueueSchema(pool);
    const ownership = await acquireQueueOwnership(opts.databaseUrl, log);
    cleanups.push(() => ownership.release());

    const pusher =
      opts.pushUrl === undefined
        ? undefined
        : startStatusPusher({ url: opts.pushUrl, relayId: opts.id, secret: opts.secret, log });
    if (pusher) cleanups.push(() => pusher.close());
    const dns = opts.dns ?? systemRouteDns();
    // The extra CAs are added to the system's, not put in their place: real destinations keep verifying.
    const ca = opts.extraCa ? [...rootCertificates, opts.extraCa] : undefined;
    const allowPrivate = opts.allowPrivateDestinations ?? false;
    if (opts.mtaSts !== false && !dns.resolveTxt) throw new Error('MTA-STS needs a resolver with TXT lookups');
    const mtaSts =
      opts.mtaSts === false
        ? undefined
        : createMtaStsPolicies({ pool, dns, ca, allowPrivate, httpsPort: opts.destinationPorts?.https, log });
    const loop = startDeliveryLoop({
      pool,
      source,
      throttle,
      heloName: opts.heloName,
      rules,
      retryScheduleMs: opts.retryScheduleMs,
      maxLifetimeMs: opts.maxLifetimeMs,
      concurrency: opts.concurrency ?? 10,
      pollIntervalMs: opts.pollIntervalMs ?? 250,
      leaseMs: opts.leaseMs ?? 30 * 60_000,
      log,
      dns,
      mx: { allowPrivate, port: opts.destinationPorts?.smtp },
      mtaSts,
      ca,
      onRecorded: (items) => {
        metrics.countOutcomes(items);
        pusher?.push(items);
      },
    });
    cleanups.push(() => loop.stop());
    const retention = startRelayRetention({
      pool,
      retentionMs: opts.rawRetentionMs ?? 30 * 86_400_000,
      intervalMs: opts.retentionIntervalMs ?? 3_600_000,
      log,
    });
    cleanups.push(() => retention.stop());

    const tls = await relayTlsMaterial(opts.tls, [opts.heloName]);
    const smtp = createSmtpIntake({
      pool,
      secret: opts.secret,
      heloName: opts.heloName,
      relayId: opts.id,
      sourceIps: hosted,
      maxMessageBytes: opts.maxMessageBytes ?? 50 * 1024 * 1024,
      tls,
      log,
      onQueued: loop.wake,
    });
    smtp.on('error', (err: Error) => log.warn('relay.smtp_error', { error: err }));
    const smtpPort = await listen(smtp.server, opts.smtpPort, opts.smtpHost);
    // Intake stops first on close, so nothing is accepted that the loop will not see.
    cleanups.push(() => new Promise<void>((r) => smtp.close(() => r())));

    const stats = (): ReturnType<typeof readRelayStats> =>
      readRelayStats(pool, { relayId: opts.id, source, throttled: throttle.throttled(), now: Date.now() });
    const server = http.createServer(
      createStatusApp({
        id: opts.id,
        secret: opts.secret,
        pool,
        stats,
        metrics: { registry: metrics, token: opts.metricsToken },
      }),
    );
    answerUnparsableRequests(server);
    const httpPort = await listen(server, opts.httpPort, opts.httpHost);
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        }),
    );

    log.info('relay.started', {
      smtpPort,
      httpPort,
      sourceIp: source.defaultIp,
      sourceIps: hosted,
      transport: opts.transport ?? null,
      push: opts.pushUrl !== undefined,
      tlsFingerprint: tls.fingerprint,
      tlsGenerated: opts.tls === undefined,
      mtaSts: mtaSts !== undefined,
    });
    return { id: opts.id, smtpPort, httpPort, tlsFingerprint: tls.fingerprint, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
