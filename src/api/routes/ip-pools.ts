import { Router } from 'express';
import type pg from 'pg';
import {
  deleteIpPool,
  getIpPool,
  insertIpPool,
  listIpPools,
  unknownAccounts,
  updateIpPool,
} from '../../db/ip-pools-repo.js';
import { DEFAULT_POOL } from '../../domain/mde/routing-rules.js';
import { requireAdmin } from '../auth.js';
import { listRoute, showRoute } from './read-routes.js';
import { ApiError, notFound } from '../../infra/json-errors.js';
import { createPoolBody, patchPoolBody, poolParam } from '../mde-schemas.js';

/**
 * IP pools (admin): create, list with IP counts per state, show, change settings (description, onListedWithoutStandby:
 * what the reputation scan does with a listed active IP that has no standby; accounts: the accounts the pool is
 * reserved for, empty = open to all), delete while unused. A rule pointing at a reserved pool does not match for
 * other accounts. The default pool, where mail goes when no rule matches, cannot be reserved.
 */
export function ipPoolsRouter(pool: pg.Pool): Router {
  const r = Router();
  r.use('/v1/ip-pools', requireAdmin);
  const checkAccounts = async (name: string, accounts: readonly string[] | undefined): Promise<void> => {
    if (!accounts || accounts.length === 0) return;
    if (name === DEFAULT_POOL)
      throw new ApiError(400, 'invalid_request', `the ${DEFAULT_POOL} pool is the fallback for every account`);
    const unknown = await unknownAccounts(pool, accounts);
    if (unknown.length > 0)
      throw new ApiError(400, 'unknown_account', `no such account: ${unknown.join(', ')}`, { accounts: unknown });
  };
  r.post('/v1/ip-pools', async (req, res) => {
    const body = createPoolBody.parse(req.body ?? {});
    await checkAccounts(body.name, body.accounts);
    const created = await insertIpPool(
      pool,
      body.name,
      body.description ?? null,
      body.onListedWithoutStandby,
      body.accounts,
    );
    if (!created) throw new ApiError(409, 'conflict', `IP pool ${body.name} exists already`);
    res.status(201).json(created);
  });
  listRoute(r, '/v1/ip-pools', () => listIpPools(pool));
  showRoute(r, '/v1/ip-pools/:name', 'IP pool', (p) => getIpPool(pool, poolParam.parse(p).name));
  r.patch('/v1/ip-pools/:name', async (req, res) => {
    const { name } = poolParam.parse(req.params);
    const body = patchPoolBody.parse(req.body ?? {});
    await checkAccounts(name, body.accounts);
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
