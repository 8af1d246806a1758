import { Router } from 'express';
import type pg from 'pg';
import { getIpPool } from '../../db/ip-pools-repo.js';
import { changeIp, deleteIp, insertIp, ipHistory, listIpViews, type IpView } from '../../db/ips-repo.js';
import { relayExists } from '../../db/relay-admin-repo.js';
import { reputationOfSubjects, type IpReputation } from '../../db/incidents-repo.js';
import { principalOf, requireAdmin } from '../auth.js';
import { ApiError, notFound } from '../../infra/json-errors.js';
import { createIpBody, ipParam, listIpsQuery, patchIpBody } from '../mde-schemas.js';

/** Sending IPs (admin): register, list with last-hour counters, change (audited), history, delete when retired. */
export function ipsRouter(pool: pg.Pool): Router {
  const r = Router();
  r.use('/v1/ips', requireAdmin);

  /** Each IP with its reputation: state from the last scan, when that was, and its listing history. */
  const withReputation = async (items: IpView[]): Promise<Array<IpView & { reputation: IpReputation }>> => {
    const rep = await reputationOfSubjects(
      pool,
      items.map((i) => i.ip),
    );
    return items.map((i) => ({ ...i, reputation: rep.get(i.ip)! }));
  };
  const view = async (ip: string): Promise<IpView & { reputation: IpReputation }> => {
    const [found] = await listIpViews(pool, { ip });
    if (!found) throw notFound(`IP ${ip}`);
    return (await withReputation([found]))[0]!;
  };
  const poolMustExist = async (name: string): Promise<void> => {
    if (!(await getIpPool(pool, name)))
      throw new ApiError(400, 'unknown_pool', `IP pool ${name} does not exist (create it with POST /v1/ip-pools)`);
  };

  r.post('/v1/ips', async (req, res) => {
    const body = createIpBody.parse(req.body ?? {});
    await poolMustExist(body.pool);
    if (!(await relayExists(pool, body.relayId)))
      throw new ApiError(
        400,
        'unknown_relay',
        `relay ${body.relayId} is not registered (register it with POST /v1/relays)`,
      );
    const { reason, ...ip } = body;
    try {
      if (!(await insertIp(pool, ip, principalOf(req).keyId, reason ?? 'registered')))
        throw new ApiError(409, 'conflict', `IP ${ip.ip} exists already`);
    } catch (err) {
      // The pool or relay vanished between the check and the insert.
      if ((err as { code?: string }).code === '23503')
        throw new ApiError(400, 'invalid_reference', `pool ${ip.pool} or relay ${ip.relayId} no longer exists`);
      throw err;
    }
    res.status(201).json(await view(ip.ip));
  });

  r.get('/v1/ips', async (req, res) => {
    res.json({ items: await withReputation(await listIpViews(pool, listIpsQuery.parse(req.query))) });
  });

  r.get('/v1/ips/:ip', async (req, res) => {
    const { ip } = ipParam.parse(req.params);
    res.json({ ...(await view(ip)), history: await ipHistory(pool, ip) });
  });

  r.patch('/v1/ips/:ip', async (req, res) => {
    const { ip } = ipParam.parse(req.params);
    const { reason, ...change } = patchIpBody.parse(req.body ?? {});
    if (change.pool !== undefined) await poolMustExist(change.pool);
    const changed = await changeIp(pool, ip, change, principalOf(req).keyId, reason ?? '').catch((err: unknown) => {
      if ((err as { code?: string }).code === '23503')
        throw new ApiError(400, 'unknown_pool', `IP pool ${change.pool} no longer exists`);
      throw err;
    });
    if (!changed) throw notFound(`IP ${ip}`);
    res.json(await view(ip));
  });

  r.delete('/v1/ips/:ip', async (req, res) => {
    const { ip } = ipParam.parse(req.params);
    const result = await deleteIp(pool, ip, principalOf(req).keyId);
    if (result.deleted) {
      res.status(204).end();
      return;
    }
    if (result.reason === 'not_found') throw notFound(`IP ${ip}`);
    throw new ApiError(
      409,
      'conflict',
      `IP ${ip} is ${result.state}: only a retired IP can be deleted (PATCH it to state "retired" first)`,
      { state: result.state },
    );
  });
  return r;
}
