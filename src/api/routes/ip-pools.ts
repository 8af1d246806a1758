import { Router } from 'express';
import type pg from 'pg';
import { deleteIpPool, getIpPool, insertIpPool, listIpPools, updateIpPool } from '../../db/ip-pools-repo.js';
import { requireAdmin } from '../auth.js';
import { ApiError, notFound } from '../../infra/json-errors.js';
import { createPoolBody, patchPoolBody, poolParam } from '../mde-schemas.js';

/**
 * IP pools (admin): create, list with IP counts per state, show, change settings (description, onListedWithoutStandby:
 * what the reputation scan does with a listed active IP that has no standby), delete while unused.
 */
export function ipPoolsRouter(pool: pg.Pool): Router {
  const r = Router();
  r.use('/v1/ip-pools', requireAdmin);
  r.post('/v1/ip-pools', async (req, res) => {
    const body = createPoolBody.parse(req.body ?? {});
    const created = await insertIpPool(pool, body.name, body.description ?? null, body.onListedWithoutStandby);
    if (!created) throw new ApiError(409, 'conflict', `IP pool ${body.name} exists already`);
    res.status(201).json(created);
  });
  r.get('/v1/ip-pools', async (_req, res) => {
    res.json({ items: await listIpPools(pool) });
  });
  r.get('/v1/ip-pools/:name', async (req, res) => {
    const found = await getIpPool(pool, poolParam.parse(req.params).name);
    if (!found) throw notFound('IP pool');
    res.json(found);
  });
  r.patch('/v1/ip-pools/:name', async (req, res) => {
    const { name } = poolParam.parse(req.params);
    const body = patchPoolBody.parse(req.body ?? {});
    const updated = await updateIpPool(pool, name, body);
    if (!updated) throw notFound('IP pool');
    res.json(updated);
  });
  r.delete('/v1/ip-pools/:name', async (req, res) => {
    const { name } = poolParam.parse(req.params);
    const result = await deleteIpPool(pool, name);
    if (result.deleted) {
      res.status(204).end();
      return;
    }
    if (result.reason === 'not_found') throw notFound('IP pool');
    throw new ApiError(
      409,
      'conflict',
      `IP pool ${name} is still used by ${result.ips} IP(s) and ${result.rules} rule(s)`,
      { ips: result.ips, rules: result.rules },
    );
  });
  return r;
}
