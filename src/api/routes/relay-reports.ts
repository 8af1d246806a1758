import type { Client } from '@temporalio/client';
import { Router, type RequestHandler } from 'express';
import type pg from 'pg';
import { getRelay, saveRelayHeartbeat, type RelayRecord } from '../../db/relays-repo.js';
import { bearerToken, RELAY_ID_HEADER, relayCredentialsMatch } from '../../relay-protocol/auth.js';
import { pushBody } from '../../relay-protocol/feed.js';
import { applyRelayReport } from '../../delivery/apply-relay-report.js';
import { ApiError } from '../../infra/json-errors.js';

// The relays' push callback: POST /v1/relay-reports with `Authorization: Bearer <relay secret>` and `X-Relay-Id`,
// body {items: [feed item, ...]} (the items of the relay's status feed) → 200 {applied}. Authenticated by relay
// credentials, not API keys, so it is mounted ahead of the /v1 API-key check. The poll reads the same items later;
// applyRelayReport's event keys make the second arrival a no-op.

export const relayReportsPath = '/v1/relay-reports';

declare module 'express-serve-static-core' {
  interface Request {
    relay?: RelayRecord;
  }
}

/**
 * A registered relay presenting its derived secret (compared in constant time, as the relays compare ours); anything
 * else, an unregistered relay included, is 401.
 */
function authenticateRelay(pool: pg.Pool, masterSecret: string): RequestHandler {
  return (req, _res, next) => {
    const token = bearerToken(req.get('authorization'));
    const relayId = req.get(RELAY_ID_HEADER) ?? '';
    const deny = (): void =>
      next(
        new ApiError(
          401,
          'unauthorized',
          'missing or invalid relay credentials (Authorization: Bearer <relay secret>, X-Relay-Id)',
        ),
      );
    if (!token || !relayId || !relayCredentialsMatch(masterSecret, relayId, token)) return deny();
    getRelay(pool, relayId).then((relay) => {
      if (!relay) return deny();
      req.relay = relay;
      next();
    }, next);
  };
}

export function relayReportsRouter(deps: { pool: pg.Pool; temporal: Client; masterSecret: string }): Router {
  const r = Router();
  r.post(relayReportsPath, authenticateRelay(deps.pool, deps.masterSecret), async (req, res) => {
    const relay = req.relay;
    if (!relay) throw new ApiError(401, 'unauthorized', 'not authenticated');
    const { items } = pushBody.parse(req.body);
    const applied = await applyRelayReport(deps, relay, items);
    await saveRelayHeartbeat(deps.pool, relay.id);
    res.json({ applied });
  });
  return r;
}
