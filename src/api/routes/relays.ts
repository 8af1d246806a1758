import { Router } from 'express';
import type pg from 'pg';
import { listRelayViews, registerRelay } from '../../db/relay-admin-repo.js';
import { setRelayTlsFingerprint } from '../../db/relays-repo.js';
import { deriveRelaySecret } from '../../secrets.js';
import { requireAdmin } from '../auth.js';
import { notFound } from '../../infra/json-errors.js';
import { registerRelayBody, relayParam } from '../mde-schemas.js';

/**
 * Relays (admin): register or update endpoints, list with health, IPs and last-hour counters. The relay's secret is
 * derived from the master secret (never stored) and shown on every registration, for the relay's RELAY_SECRET.
 */
export function relaysRouter(pool: pg.Pool, masterSecret: string): Router {
  const r = Router();
  r.use('/v1/relays', requireAdmin);
  r.post('/v1/relays', async (req, res) => {
    const body = registerRelayBody.parse(req.body ?? {});
    const { tlsFingerprint, ...endpoints } = body;
    const { created } = await registerRelay(pool, endpoints);
    if (tlsFingerprint) await setRelayTlsFingerprint(pool, body.id, tlsFingerprint);
    res.status(created ? 201 : 200).json({ ...body, secret: deriveRelaySecret(masterSecret, body.id) });
  });
  r.get('/v1/relays', async (_req, res) => {
    res.json({ items: await listRelayViews(pool) });
  });
  r.get('/v1/relays/:id', async (req, res) => {
    const [relay] = await listRelayViews(pool, relayParam.parse(req.params).id);
    if (!relay) throw notFound('relay');
    res.json(relay);
  });
  return r;
}
