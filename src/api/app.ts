import type { Client } from '@temporalio/client';
import express, { type Express, type RequestHandler } from 'express';
import type pg from 'pg';
import { authenticate } from './auth.js';
import { ApiError, errorHandler, unknownRoute } from '../infra/json-errors.js';
import { accountsRouter } from './routes/accounts.js';
import { senderDomainsRouter } from './routes/sender-domains.js';
import { senderAuthSettingsFromConfig, type SenderAuthSettings } from '../sender-auth/settings.js';
import { loadConfig } from '../config/config.js';
import { domainGroupsRouter } from './routes/domain-groups.js';
import { ipPoolsRouter } from './routes/ip-pools.js';
import { incidentsRouter } from './routes/incidents.js';
import { ipsRouter } from './routes/ips.js';
import { mdeExplainRouter } from './routes/mde-explain.js';
import { mdeRulesRouter } from './routes/mde-rules.js';
import { messagesRouter } from './routes/messages.js';
import { relayReportsRouter } from './routes/relay-reports.js';
import { relaysRouter } from './routes/relays.js';
import { suppressionsRouter } from './routes/suppressions.js';
import { defaultTrackingLimits, trackingRouter } from './routes/tracking.js';
import type { TrackingLimits } from '../domain/tracking/hit-policy.js';
import { trustZonesRouter } from './routes/trust-zones.js';
import { eventsRouter } from './routes/events.js';
import { statsRouter } from './routes/stats.js';
import { webhooksRouter } from './routes/webhooks.js';
import { createSecretBox } from '../webhooks/secret-box.js';
import { smtpPasswordKey } from '../secrets.js';
import { authLockoutsRouter } from './routes/auth-lockouts.js';
import { requireAdmin } from './auth.js';
import { openApiDocument } from './openapi.js';
import {
  consoleSessionRouter,
  createConsoleSessions,
  sessionOrBearer,
  type ConsoleOptions,
} from './console/session.js';
import { consoleStaticRouter } from './console/static-files.js';
import { readWebhookBacklog } from '../db/metrics-queries.js';
import {
  bearerMatches,
  getTemporalMetricsUrl,
  metricsContentType,
  renderMetrics,
  serviceMetrics,
} from '../infra/metrics.js';

export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
}

/**
 * The REST API. Readiness checks are injected so each process reports on what it actually runs; the Temporal client
 * and the relay master secret serve the relays' push callback (authenticated by relay credentials, not API keys).
 */
export function createApiApp(
  pool: pg.Pool,
  readiness: ReadinessCheck[],
  relays: { temporal: Client; masterSecret: string },
  webhooks: { allowPrivate: boolean } = { allowPrivate: false },
  tracking: TrackingLimits = defaultTrackingLimits,
  ops: { metricsToken?: string; console?: Omit<ConsoleOptions, 'masterSecret'> } = {},
  senderAuth: SenderAuthSettings = senderAuthSettingsFromConfig(loadConfig({}), relays.masterSecret),
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // The contract, generated once from the route registry (src/api/openapi.ts); public like the API's documentation.
  const openapi = JSON.stringify(openApiDocument());
  app.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(openapi);
  });
  app.get('/metrics', metricsAuth(pool, ops.metricsToken), async (_req, res) => {
    const metrics = serviceMetrics();
    const backlog = await readWebhookBacklog(pool);
    metrics.webhookBacklog.set({ kind: 'outbox' }, backlog.outbox);
    metrics.webhookBacklog.set({ kind: 'retrying' }, backlog.retrying);
    const text = await renderMetrics(metrics.registry, getTemporalMetricsUrl(), () =>
      metrics.temporalScrapeErrors.inc(),
    );
    res.type(metricsContentType).send(text);
  });
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      readiness.map(async (r) => [r.name, await r.check().catch(() => false)] as const),
    );
    const ok = results.every(([, v]) => v);
    const down = results.filter(([, v]) => !v).map(([name]) => name);
    res.status(ok ? 200 : 503).json({ ready: ok, down, ok, checks: Object.fromEntries(results) });
  });
  // Before the API-key check (relays sign their pushes) and before the JSON parser (the signature covers the raw body).
  app.use(relayReportsRouter({ pool, ...relays }));
  // PostgreSQL text cannot hold NUL: a NUL in the URL or in a JSON string is refused here as a 400 rather than
  // reaching a query and failing there as a 500.
  app.use((req, _res, next) => {
    next(
      /%00/i.test(req.originalUrl)
        ? new ApiError(400, 'invalid_request', 'NUL characters are not accepted')
        : undefined,
    );
  });
  app.use(
    express.json({
      limit: '1mb',
      verify: (_req, _res, buf) => {
        if (buf.includes('\\u0000')) throw new ApiError(400, 'invalid_request', 'NUL characters are not accepted');
      },
    }),
  );
  app.use(trackingRouter(pool, relays.masterSecret, tracking)); // open pixel and click links: the token is the credential
  // The web console (/console): its pages, and login with an API key into a session cookie that /v1 also accepts.
  const consoleOptions: ConsoleOptions = {
    sessionTtlMs: 8 * 3_600_000,
    secureCookies: false,
    ...ops.console,
    masterSecret: relays.masterSecret,
  };
  const consoleSessions = createConsoleSessions(relays.masterSecret, consoleOptions.sessionTtlMs);
  app.use(consoleStaticRouter());
  app.use(consoleSessionRouter(pool, consoleSessions, consoleOptions));
  app.use('/v1', sessionOrBearer(pool, consoleSessions, authenticate(pool)));
  app.use(accountsRouter(pool, smtpPasswordKey(relays.masterSecret)));
  app.use(senderDomainsRouter(pool, senderAuth)); // sender domains: DNS records, verification, DKIM keys
  app.use(trustZonesRouter(pool));
  app.use(authLockoutsRouter(pool)); // AUTH lockouts: list and clear
  app.use(messagesRouter(pool));
  app.use(suppressionsRouter(pool));
  // The Mail Distribution Engine's admin routes.
  app.use(ipPoolsRouter(pool));
  app.use(ipsRouter(pool));
  app.use(incidentsRouter(pool)); // reputation monitoring
  app.use(relaysRouter(pool, relays.masterSecret));
  app.use(domainGroupsRouter(pool));
  app.use(mdeRulesRouter(pool));
  app.use(mdeExplainRouter(pool));
  // Events, stats and webhooks; webhook secrets are sealed under a key derived from the master secret.
  app.use(eventsRouter(pool));
  app.use(statsRouter(pool));
  app.use(webhooksRouter(pool, createSecretBox(relays.masterSecret), webhooks));
  app.use(unknownRoute);
  app.use(errorHandler);
  return app;
}

/**
 * GET /metrics takes the METRICS_TOKEN bearer (a read-only credential for the scraper) when one is configured, and
 * always the admin API key; account keys are refused (the metrics cover every account).
 */
function metricsAuth(pool: pg.Pool, token: string | undefined): RequestHandler {
  const admin = authenticate(pool);
  return (req, res, next) => {
    if (token && bearerMatches(req.headers, token)) return next();
    admin(req, res, (err?: unknown) => (err ? next(err) : requireAdmin(req, res, next)));
  };
}
