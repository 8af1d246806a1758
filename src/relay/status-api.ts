import express, { type Express, type RequestHandler } from 'express';
import type pg from 'pg';
import { ApiError, errorHandler, notFound, unknownRoute } from '../infra/json-errors.js';
import { bearerToken, secretMatches } from '../relay-protocol/auth.js';
import { feedPath, feedQuery } from '../relay-protocol/feed.js';
import { statsPath, type RelayStats } from '../relay-protocol/stats.js';
import { messageRoute } from '../relay-protocol/message-state.js';
import { readMessageState, readQueueDepth, readStatusFeed } from './status-queries.js';

// The relay's HTTP face for the MDE: a cursor-paged feed of outcome events, a per-message lookup and the relay's
// stats (queue depth, last hour, throttled destinations), all behind the shared secret as a bearer token; /healthz
// stays open for liveness probes. Paths and shapes are the contract in src/relay-protocol.

function requireSecret(secret: string): RequestHandler {
  return (req, _res, next) => {
    const token = bearerToken(req.get('authorization'));
    if (!token || !secretMatches(token, secret))
      return next(new ApiError(401, 'unauthorized', 'missing or invalid bearer token'));
    next();
  };
}

export function createStatusApp(o: {
  id: string;
  secret: string;
  pool: pg.Pool;
  stats: () => Promise<RelayStats>;
}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.get('/healthz', async (_req, res) => {
    res.json({ ok: true, id: o.id, queueDepth: await readQueueDepth(o.pool) });
  });
  app.use(requireSecret(o.secret));
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
