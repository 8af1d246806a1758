import express, { type Express, type RequestHandler } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { ApiError, errorHandler, notFound, unknownRoute } from '../api/errors.js';
import type { RelayStats } from './relay-stats.js';
import { secretMatches } from './shared-secret.js';
import { readMessageState, readQueueDepth, readStatusFeed } from './status-queries.js';

// The relay's HTTP face for the MDE: a cursor-paged feed of outcome events, a per-message lookup and the relay's
// stats (queue depth, last hour, throttled destinations), all behind the shared secret as a bearer token; /healthz
// stays open for liveness probes.

const feedQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

function requireSecret(secret: string): RequestHandler {
  return (req, _res, next) => {
    const m = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
    if (!m?.[1] || !secretMatches(m[1], secret)) return next(new ApiError(401, 'unauthorized', 'missing or invalid bearer token'));
    next();
  };
}

export function createStatusApp(o: { id: string; secret: string; pool: pg.Pool; stats: () => Promise<RelayStats> }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.get('/healthz', async (_req, res) => {
    res.json({ ok: true, id: o.id, queueDepth: await readQueueDepth(o.pool) });
  });
  app.use(requireSecret(o.secret));
  app.get('/status', async (req, res) => {
    const q = feedQuery.parse(req.query);
    res.json(await readStatusFeed(o.pool, q.after, q.limit));
  });
  app.get('/messages/:messageId', async (req, res) => {
    const recipients = await readMessageState(o.pool, req.params.messageId);
    if (!recipients) throw notFound(`message ${req.params.messageId}`);
    res.json({ messageId: req.params.messageId, recipients });
  });
  app.get('/v1/stats', async (_req, res) => {
    res.json(await o.stats());
  });
  app.use(unknownRoute);
  app.use(errorHandler);
  return app;
}
