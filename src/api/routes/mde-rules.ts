import { Router } from 'express';
import type pg from 'pg';
import { listDomainGroups } from '../../db/domain-groups-repo.js';
import { ipPoolNames } from '../../db/ip-pools-repo.js';
import {
  assignPriorities,
  deleteRule,
  getRuleRecord,
  insertRule,
  listRuleRecords,
  updateRule,
  withMdeLock,
  type RuleFields,
} from '../../db/mde-rules-repo.js';
import type { Queryable } from '../../db/pool.js';
import { validateRule } from '../../domain/mde/routing-rules.js';
import { requireAdmin } from '../auth.js';
import { listRoute, showRoute } from './read-routes.js';
import { ApiError, notFound } from '../../infra/json-errors.js';
import { createRuleBody, invalidRule, parseRule, patchRuleBody, reorderBody, ruleParam } from '../mde-schemas.js';

/**
 * Routing rules (admin): create, list in evaluation order, update (optimistic `version`), delete, reorder. Every
 * write runs under the MDE lock and is checked by validateRule against the pools and groups of that moment.
 */
export function mdeRulesRouter(pool: pg.Pool): Router {
  const r = Router();
  r.use('/v1/mde/rules', requireAdmin);

  const validate = async (c: Queryable, f: RuleFields): Promise<void> => {
    const [pools, groups] = [await ipPoolNames(c), await listDomainGroups(c)];
    const problems = validateRule(f, pools, new Map(groups.map((g) => [g.name, g.domains])));
    if (problems.length > 0) throw invalidRule(problems);
  };

  r.post('/v1/mde/rules', async (req, res) => {
    const body = parseRule(createRuleBody, req.body);
    const fields: RuleFields = {
      priority: body.priority,
      match: body.match,
      pool: body.pool,
      description: body.description ?? null,
    };
    const rule = await withMdeLock(pool, async (c) => {
      await validate(c, fields);
      return insertRule(c, fields);
    });
    res.status(201).json(rule);
  });

  listRoute(r, '/v1/mde/rules', () => listRuleRecords(pool));
  showRoute(r, '/v1/mde/rules/:id', 'rule', (p) => getRuleRecord(pool, ruleParam.parse(p).id));

  r.patch('/v1/mde/rules/:id', async (req, res) => {
    const { id } = ruleParam.parse(req.params);
    const body = parseRule(patchRuleBody, req.body);
    const rule = await withMdeLock(pool, async (c) => {
      const current = await getRuleRecord(c, id);
      if (!current) throw notFound('rule');
      if (body.version !== undefined && body.version !== current.version) {
        throw new ApiError(
          409,
          'version_conflict',
          `rule ${id} is at version ${current.version}, not ${body.version}: reload it and retry`,
          { currentVersion: current.version },
        );
      }
      const fields: RuleFields = {
        priority: body.priority ?? current.priority,
        match: body.match ?? current.match,
        pool: body.pool ?? current.pool,
        description: body.description === undefined ? current.description : body.description,
      };
      await validate(c, fields);
      return updateRule(c, id, fields);
    });
    res.json(rule);
  });

  r.delete('/v1/mde/rules/:id', async (req, res) => {
    const { id } = ruleParam.parse(req.params);
    if (!(await withMdeLock(pool, (c) => deleteRule(c, id)))) throw notFound('rule');
    res.status(204).end();
  });

  r.post('/v1/mde/rules/reorder', async (req, res) => {
    const { ids } = reorderBody.parse(req.body ?? {});
    const items = await withMdeLock(pool, async (c) => {
      const current = new Set((await listRuleRecords(c)).map((x) => x.id));
      const given = new Set(ids);
      const missing = [...current].filter((id) => !given.has(id));
      const unknown = [...given].filter((id) => !current.has(id));
      const duplicates = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
      if (missing.length || unknown.length || duplicates.length) {
        throw new ApiError(
          409,
          'conflict',
          'ids must list every current rule exactly once (the rules changed since they were read?)',
          { missing, unknown, duplicates },
        );
      }
      await assignPriorities(c, ids);
      return listRuleRecords(c);
    });
    res.json({ items });
  });
  return r;
}
