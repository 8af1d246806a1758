import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { clearAuthFailures, listAuthLockouts } from '../../db/auth-failures-repo.js';
import { kindOfKey } from '../../domain/policy/auth-lockout.js';
import { requireAdmin } from '../auth.js';
import { notFound } from '../../infra/json-errors.js';

export const keyParam = z.object({
  key: z
    .string()
    .min(1)
    .max(400)
    .refine((k) => kindOfKey(k) !== undefined),
});

/**
 * AUTH lockouts (admin): GET lists the keys locked now (`ip:<address>` or `user:<username>`); DELETE clears one (its
 * counter and its lock), e.g. after the owner fixed a misconfigured client. The key goes URL-encoded in the path.
 */
export function authLockoutsRouter(pool: pg.Pool): Router {
  const r = Router();
  r.use('/v1/auth-lockouts', requireAdmin);
  r.get('/v1/auth-lockouts', async (_req, res) => {
    const rows = await listAuthLockouts(pool);
    res.json({
      items: rows.map((row) => ({
        key: row.key,
        kind: kindOfKey(row.key),
        failures: row.failures,
        windowStart: row.windowStart,
        lastFailure: row.lastFailure,
        lockedUntil: row.lockedUntil,
      })),
      nextCursor: null,
    });
  });
  r.delete('/v1/auth-lockouts/:key', async (req, res) => {
    const { key } = keyParam.parse(req.params);
    if (!(await clearAuthFailures(pool, key))) throw notFound('auth lockout');
    res.status(204).end();
  });
  return r;
}
