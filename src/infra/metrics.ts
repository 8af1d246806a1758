import type { IncomingHttpHeaders } from 'node:http';
import { timingSafeEqual, createHash } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { boundedText } from './bounded-body.js';

// Every Prometheus metric of the service and of the relays is defined here, and only here: names, help texts, labels
// and buckets. Callers use the typed helpers below; no other module names a metric.
//
// The service's metrics live in one registry per process (`serviceMetrics()`): a metric describes the process it is
// scraped from, and the roles of one process (npm start runs all three) share it, so one scrape of the api shows the
// ingress and worker roles of that process too. A relay has its own registry per relay instance (`RelayMetrics`),
// served by its status HTTP server, so relays run in one process (tests) never mix.

/** SMTP stages whose replies ingress counts: the answer to the connection and to AUTH, MAIL, RCPT and DATA. */
export const smtpStages = ['connect', 'auth', 'mail', 'rcpt', 'data'] as const;
export type SmtpStage = (typeof smtpStages)[number];

/**
 * The reply a stage gives when its hook succeeds, and the one smtp-server sends for an error without a code
 * (smtp-connection.js: 554 at connect, 535 for AUTH, 550 for MAIL and RCPT, 450 for DATA).
 */
const stageCodes: Record<SmtpStage, { ok: number; error: number }> = {
  connect: { ok: 220, error: 554 },
  auth: { ok: 235, error: 535 },
  mail: { ok: 250, error: 550 },
  rcpt: { ok: 250, error: 550 },
  data: { ok: 250, error: 450 },
};

/** Seconds from the end of DATA to the 250: store, quota check and start request, one commit. Sub-second expected. */
const acceptanceBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds from the 250 to the destination's 2xx: seconds on a good day, hours when a destination defers. */
const deliveryBuckets = [0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600, 5 * 86_400];

export class ServiceMetrics {
  readonly registry = new Registry();
  readonly smtpReplies = new Counter({
    name: 'smtp_relay_ingress_replies_total',
    help: 'SMTP replies ingress gave, by stage (connect, auth, mail, rcpt, data) and reply code',
    labelNames: ['stage', 'code'] as const,
    registers: [this.registry],
  });
  readonly acceptanceSeconds = new Histogram({
    name: 'smtp_relay_ingress_acceptance_seconds',
    help: 'Seconds from the end of DATA to the 250 (message and its workflow start request committed)',
    buckets: acceptanceBuckets,
    registers: [this.registry],
  });
  readonly deliveredSeconds = new Histogram({
    name: 'smtp_relay_accepted_to_delivered_seconds',
    help: "Seconds from a message's 250 at ingress to a recipient's delivery (the destination's 2xx, as reported)",
    buckets: deliveryBuckets,
    registers: [this.registry],
  });
  readonly recipientStatus = new Counter({
    name: 'smtp_relay_recipient_status_changes_total',
    help: 'Recipients that moved to a status (relayed, deferred, delivered, bounced, failed, suppressed ...)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly webhookBacklog = new Gauge({
    name: 'smtp_relay_webhook_backlog',
    help: 'Webhook work waiting: outbox = events not yet dispatched (capped at 100000), retrying = (webhook, event) pairs whose last attempt failed and will be retried',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly workflowStarts = new Counter({
    name: 'smtp_relay_workflow_starts_total',
    help: 'Message workflows started from the start outbox, by path (immediate = right after the 250, drain = left behind and started by the drain loop) and eager (the first workflow task came back with the start, to the worker of this process)',
    labelNames: ['path', 'eager'] as const,
    registers: [this.registry],
  });
  readonly temporalScrapeErrors = new Counter({
    name: 'smtp_relay_temporal_metrics_scrape_errors_total',
    help: "Failed reads of the Temporal SDK's own metrics endpoint while answering /metrics",
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Counts one reply of ingress. */
  countSmtpReply(stage: SmtpStage, code: number): void {
    this.smtpReplies.inc({ stage, code: String(code) });
  }

  /**
   * Wraps an smtp-server hook callback so that the reply it leads to is counted: the error's responseCode (or
   * smtp-server's default for the stage), or the stage's success code.
   */
  countedCallback<A extends unknown[]>(
    stage: SmtpStage,
    callback: (err?: Error | null, ...rest: A) => void,
  ): (err?: Error | null, ...rest: A) => void {
    return (err, ...rest) => {
      const code = err
        ? ((err as { responseCode?: number }).responseCode ?? stageCodes[stage].error)
        : stageCodes[stage].ok;
      this.countSmtpReply(stage, code);
      callback(err, ...rest);
    };
  }
}

let service: ServiceMetrics | undefined;
/** The process's service metrics (created on first use). */
export function serviceMetrics(): ServiceMetrics {
  service ??= new ServiceMetrics();
  return service;
}

/** How many destination domains get a label of their own on a relay; later ones count as `other`. */
export const RELAY_DOMAIN_LABELS = 50;

/**
 * Bounded destination-domain labels: the first `max` distinct domains a relay sends to keep their own label for the
 * life of the process, every later one is `other`. A label never changes meaning, so counters stay monotonic, and the
 * series count is at most (max + 1) × source IPs × statuses. The large receivers are among the first seen in practice.
 */
export class DomainLabels {
  private readonly seen = new Set<string>();
  constructor(private readonly max = RELAY_DOMAIN_LABELS) {}
  label(domain: string): string {
    const d = domain.toLowerCase();
    if (this.seen.has(d)) return d;
    if (this.seen.size >= this.max) return 'other';
    this.seen.add(d);
    return d;
  }
}

/** One relay's metrics: outcome counters per (source IP, destination domain) and its queue depth, read at scrape. */
export class RelayMetrics {
  readonly registry = new Registry();
  private readonly domains: DomainLabels;
  readonly outcomes = new Counter({
    name: 'smtp_relay_relay_outcomes_total',
    help: 'Delivery attempt outcomes of this relay (delivered, deferred, bounced, failed) per source IP and destination domain (first domains seen, then "other")',
    labelNames: ['source_ip', 'domain', 'status'] as const,
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'smtp_relay_relay_queue_depth',
    help: "Recipients in this relay's queue by status (queued, deferred, delivering)",
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  constructor(relayId: string, maxDomains = RELAY_DOMAIN_LABELS) {
    this.domains = new DomainLabels(maxDomains);
    this.registry.setDefaultLabels({ relay: relayId });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Counts the outcome events a delivery attempt wrote. */
  countOutcomes(items: ReadonlyArray<{ recipient: string; status: string; sourceIp?: string | null }>): void {
    for (const it of items) {
      const at = it.recipient.lastIndexOf('@');
      const domain = at < 0 ? 'none' : this.domains.label(it.recipient.slice(at + 1));
      this.outcomes.inc({ source_ip: it.sourceIp ?? 'unknown', domain, status: it.status });
    }
  }

  setQueueDepth(counts: Record<string, number>): void {
    for (const [status, n] of Object.entries(counts)) this.queueDepth.set({ status }, n);
  }
}

/** Prometheus text exposition content type (what prom-client's registries produce). */
export const metricsContentType = Registry.PROMETHEUS_CONTENT_TYPE;

/** The SDK exporter's text is a few hundred series; far more is a fault, not metrics to pass on. */
const MAX_EXPORTER_BYTES = 16 * 1024 * 1024;

/**
 * The text of /metrics: the registry, then, when `extraUrl` is given, the Temporal SDK's own exporter (its names all
 * start with `temporal_`, so the two never collide). A failed read of the exporter leaves it out and is counted.
 */
export async function renderMetrics(registry: Registry, extraUrl?: string, onExtraError?: () => void): Promise<string> {
  let extra = '';
  if (extraUrl) {
    try {
      const res = await fetch(extraUrl, { signal: AbortSignal.timeout(2000) });
      if (res.ok) extra = await boundedText(res, MAX_EXPORTER_BYTES, 'exporter answer');
      else onExtraError?.();
    } catch {
      onExtraError?.();
    }
  }
  const own = await registry.metrics();
  return extra ? `${own}\n${extra.endsWith('\n') ? extra : `${extra}\n`}` : own;
}

/** Constant-time comparison of a presented bearer token with the configured one. */
export function bearerMatches(headers: IncomingHttpHeaders, token: string): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  if (!m?.[1]) return false;
  const a = createHash('sha256').update(m[1]).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/** Whether a socket's peer is this machine (IPv4 127/8, ::1, or IPv4-mapped loopback). */
export function isLoopback(remoteAddress: string | undefined): boolean {
  if (!remoteAddress) return false;
  const a = remoteAddress.replace(/^::ffff:/i, '');
  return a === '::1' || a.startsWith('127.');
}

let temporalMetricsUrl: string | undefined;
/** Where this process's Temporal SDK runtime serves its metrics (set by the worker when it installs the runtime). */
export function setTemporalMetricsUrl(url: string | undefined): void {
  temporalMetricsUrl = url;
}
export function getTemporalMetricsUrl(): string | undefined {
  return temporalMetricsUrl;
}
