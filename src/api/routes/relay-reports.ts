import type { Client } from '@temporalio/client';
import express, { Router, type RequestHandler } from 'express';
import type pg from 'pg';
import { getRelay, saveRelayHeartbeat, type RelayRecord } from '../../db/relays-repo.js';
import { RELAY_ID_HEADER, SIGNATURE_HEADER, verifyRelayPush } from '../../relay-protocol/auth.js';
import { pushBody } from '../../relay-protocol/feed.js';
import { applyRelayReport } from '../../delivery/apply-relay-report.js';
import { ApiError } from '../../infra/json-errors.js';

// The relays' push callback: POST /v1/relay-reports with `X-Relay-Id` and `X-Relay-Signature` (HMAC of the raw body
// with the relay's secret and a timestamp, src/relay-protocol/auth.ts), body {items: [feed item, ...]} (the items of
// the relay's status feed) → 200 {applied}. Authenticated by relay credentials, not API keys, so it is mounted ahead of
// the /v1 API-key check and of the JSON parser (the signature covers the bytes as sent). The poll reads the same items
// later; applyRelayReport's event keys make the second arrival, or a replay, a no-op.

export const relayReportsPath = '/v1/relay-reports';

declare module 'express-serve-static-core' {
  interface Request {
    relay?: RelayRecord;
  }
}

/**
 * A registered relay signing the exact body with its derived secret, within the replay window; anything else, an
 * unregistered relay included, is 401.
 */
function authenticateRelay(pool: pg.Pool, masterSecret: string): RequestHandler {
  return (req, _res, next) => {
    const relayId = req.get(RELAY_ID_HEADER) ?? '';
    const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const deny = (why: string): void =>
      next(new ApiError(401, 'unauthorized', `relay push refused: ${why} (X-Relay-Id, X-Relay-Signature)`));
    if (!relayId) return deny('missing relay id');
    const check = verifyRelayPush(masterSecret, relayId, req.get(SIGNATURE_HEADER), body, Date.now());
    if (!check.ok) return deny(check.reason);
    try {
      req.body = JSON.parse(body) as unknown;
    } catch {
      return next(new ApiError(400, 'invalid_body', 'body is not JSON'));
    }
    getRelay(pool, relayId).then((relay) => {
      if (!relay) return deny('unknown relay');
      req.relay = relay;
      next();
    }, next);
  };
}

export function relayReportsRouter(deps: { pool: pg.Pool; temporal: Client; masterSecret: string }): Router {
  const r = Router();
  r.post(
    relayReportsPath,
    express.raw({ type: () => true, limit: '1mb' }),
    authenticateRelay(deps.pool, deps.masterSecret),
    async (req, res) => {
      const relay = req.relay;
      if (!relay) throw new ApiError(401, 'unauthorized', 'not authenticated');
      const { items } = pushBody.parse(req.body);
      const applied = await applyRelayReport(deps, relay, items);
      await saveRelayHeartbeat(deps.pool, relay.id);
      res.json({ applied });
    },
  );
  return r;
}
