import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import type pg from 'pg';
import { authenticate } from './auth.js';
import { errorHandler, unknownRoute } from '../infra/json-errors.js';
import { accountsRouter } from './routes/accounts.js';
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
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      readiness.map(async (r) => [r.name, await r.check().catch(() => false)] as const),
    );
    const ok = results.every(([, v]) => v);
    res.status(ok ? 200 : 503).json({ ok, checks: Object.fromEntries(results) });
  });
  app.use(express.json({ limit: '1mb' }));
  app.use(relayReportsRouter({ pool, ...relays })); // before the API-key check: relays present their own secret
  app.use(trackingRouter(pool, relays.masterSecret, tracking)); // open pixel and click links: the token is the credential
  app.use('/v1', authenticate(pool));
  app.use(accountsRouter(pool, smtpPasswordKey(relays.masterSecret)));
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
