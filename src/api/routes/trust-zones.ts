import { Router } from 'express';
import type pg from 'pg';
import { deleteTrustZone, insertTrustZone, listTrustZones } from '../../db/trust-zones-repo.js';
import { requireAdmin } from '../auth.js';
import { ApiError, notFound } from '../../infra/json-errors.js';
import { idParam, trustZoneBody } from '../schemas.js';

export function trustZonesRouter(pool: pg.Pool): Router {
  const r = Router();
  r.use('/v1/trust-zones', requireAdmin);
  r.post('/v1/trust-zones', async (req, res) => {
    const body = trustZoneBody.parse(req.body);
    const zone = await insertTrustZone(pool, body.name, body.cidr);
    if (!zone) throw new ApiError(409, 'conflict', `a trust zone for ${body.cidr} exists already`);
    res.status(201).json(zone);
  });
  r.get('/v1/trust-zones', async (_req, res) => {
    res.json({ items: await listTrustZones(pool), nextCursor: null });
  });
  r.delete('/v1/trust-zones/:id', async (req, res) => {
    if (!(await deleteTrustZone(pool, idParam.parse(req.params).id))) throw notFound('trust zone');
    res.status(204).end();
  });
  return r;
}
