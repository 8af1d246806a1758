import { Router } from 'express';
import type pg from 'pg';
import { deleteDomainGroup, getDomainGroup, listDomainGroups, putDomainGroup } from '../../db/domain-groups-repo.js';
import { rulesUsingGroup, withMdeLock } from '../../db/mde-rules-repo.js';
import { requireAdmin } from '../auth.js';
import { listRoute, showRoute } from './read-routes.js';
import { ApiError, notFound } from '../../infra/json-errors.js';
import { groupParam, putGroupBody } from '../mde-schemas.js';

/** Named domain groups (admin), referenced by rules as `group:<name>`; names are lower case. */
export function domainGroupsRouter(pool: pg.Pool): Router {
  const r = Router();
  r.use('/v1/mde/groups', requireAdmin);
  r.put('/v1/mde/groups/:name', async (req, res) => {
    const { name } = groupParam.parse(req.params);
    const { domains } = putGroupBody.parse(req.body ?? {});
    const { group, created } = await putDomainGroup(pool, name, domains);
    res.status(created ? 201 : 200).json(group);
  });
  listRoute(r, '/v1/mde/groups', () => listDomainGroups(pool));
  showRoute(r, '/v1/mde/groups/:name', 'domain group', (p) => getDomainGroup(pool, groupParam.parse(p).name));
  r.delete('/v1/mde/groups/:name', async (req, res) => {
    const { name } = groupParam.parse(req.params);
    // Under the rules' lock, so no rule naming the group can be saved while it is being deleted.
    await withMdeLock(pool, async (c) => {
      const rules = await rulesUsingGroup(c, name);
      if (rules.length > 0)
        throw new ApiError(409, 'conflict', `domain group ${name} is used by rule(s) ${rules.join(', ')}`, { rules });
      if (!(await deleteDomainGroup(c, name))) throw notFound('domain group');
    });
    res.status(204).end();
  });
  return r;
}
