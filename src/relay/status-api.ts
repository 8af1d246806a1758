import express, { type Express, type RequestHandler } from 'express';
import type pg from 'pg';
import { ApiError, errorHandler, notFound, unknownRoute } from '../infra/json-errors.js';
import {
  NONCE_HEADER,
  SIGNATURE_HEADER,
  signRelayMessage,
  signed,
  verifyRelayMessage,
} from '../relay-protocol/auth.js';
import { feedPath, feedQuery } from '../relay-protocol/feed.js';
import { statsPath, type RelayStats } from '../relay-protocol/stats.js';
import { messageRoute } from '../relay-protocol/message-state.js';
import { readMessageState, readQueueDepth, readStatusFeed } from './status-queries.js';
import { bearerMatches, isLoopback, metricsContentType, renderMetrics, type RelayMetrics } from '../infra/metrics.js';

// The relay's HTTP face for the MDE: a cursor-paged feed of outcome events, a per-message lookup and the relay's
// stats (queue depth, last hour, throttled destinations). Every request must be signed with the shared secret and
// every answer is signed back, bound to the request's signature (src/relay-protocol/auth.ts), so the secret never
// travels and a changed answer is refused by the MDE; /healthz stays open for liveness probes. Paths and shapes are
// the contract in src/relay-protocol.

function requireSignature(secret: string): RequestHandler {
  return (req, res, next) => {
    const check = verifyRelayMessage(
      secret,
      req.get(SIGNATURE_HEADER),
      signed.request(req.method, req.originalUrl, req.get(NONCE_HEADER) ?? ''),
      Date.now(),
    );
    if (!check.ok) return next(new ApiError(401, 'unauthorized', `request signature refused: ${check.reason}`));
    // From here on every JSON answer (errors included) carries its signature.
    res.json = (body: unknown) => {
      const text = JSON.stringify(body);
      res.set(SIGNATURE_HEADER, signRelayMessage(secret, signed.answer(check.v1, text), Date.now()).header);
      return res.type('application/json').send(text);
    };
    next();
  };
}

export function createStatusApp(o: {
  id: string;
  secret: string;
  pool: pg.Pool;
  stats: () => Promise<RelayStats>;
  /** GET /metrics (Prometheus): with the METRICS_TOKEN bearer when one is set, else from loopback only. */
  metrics?: { registry: RelayMetrics; token?: string };
}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.get('/healthz', async (_req, res) => {
    res.json({ ok: true, id: o.id, queueDepth: await readQueueDepth(o.pool) });
  });
  const metrics = o.metrics;
  if (metrics)
    app.get('/metrics', async (req, res) => {
      const allowed = metrics.token ? bearerMatches(req.headers, metrics.token) : isLoopback(req.socket.remoteAddress);
      if (!allowed) throw new ApiError(401, 'unauthorized', 'metrics need the METRICS_TOKEN bearer token');
      metrics.registry.setQueueDepth((await o.stats()).queue);
      res.type(metricsContentType).send(await renderMetrics(metrics.registry.registry));
    });
  app.use(requireSignature(o.secret));
  app.get(feedPath, async (req, res) => {
    const q = feedQuery.parse(req.query);
    res.json(await readStatusFeed(o.pool, q.after, q.limit));
  });
  app.get(messageRoute, async (req, res) => {
    const recipients = await readMessageState(o.pool, req.params.messageId);
    if (!recipients) throw notFound(`message ${req.params.messageId}`);
    res.json({ messageId: req.params.messageId, recipients });
  });
  app.get(statsPath, async (_req, res) => {
    res.json(await o.stats());
  });
  app.use(unknownRoute);
  app.use(errorHandler);
  return app;
}
