import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { alertsOf, getIncident, listIncidents, listWarnings, type IncidentRow } from '../../db/incidents-repo.js';
import { requireAdmin } from '../auth.js';
import { notFound } from '../../infra/json-errors.js';

// Reputation incidents (admin): blocklist listings and degraded own signals, with evidence; ops warnings (a blocklist
// refusing our queries) under /v1/incidents/warnings.

export const listQuery = z
  .object({
    subject: z.string().trim().min(1).max(255).optional(),
    kind: z.enum(['listed', 'degraded']).optional(),
    open: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
  })
  .strict();
export const idParam = z.object({ id: z.string().regex(/^inc_[A-Za-z0-9_-]+$/, 'unknown incident id') });

const view = (i: IncidentRow) => ({
  id: i.id,
  kind: i.kind,
  subject: i.subject,
  subjectKind: i.subjectKind,
  zone: i.zone,
  reason: i.reason,
  openedAt: i.openedAt,
  resolvedAt: i.resolvedAt,
  action: i.action,
  pool: i.pool,
  evidence: i.evidence,
  cleanScans: i.cleanScans,
});

export function incidentsRouter(pool: pg.Pool): Router {
  const r = Router();
  r.use('/v1/incidents', requireAdmin);

  r.get('/v1/incidents', async (req, res) => {
    res.json({ items: (await listIncidents(pool, listQuery.parse(req.query))).map(view) });
  });

  r.get('/v1/incidents/warnings', async (_req, res) => {
    res.json({ items: await listWarnings(pool) });
  });

  r.get('/v1/incidents/:id', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const incident = await getIncident(pool, id);
    if (!incident) throw notFound(`incident ${id}`);
    res.json({ ...view(incident), alerts: await alertsOf(pool, id) });
  });
  return r;
}
