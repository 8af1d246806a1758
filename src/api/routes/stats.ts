import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { eventStats } from '../../db/events-repo.js';
import { accountScope, principalOf } from '../auth.js';
import { ApiError } from '../../infra/json-errors.js';

// GET /v1/stats?from=&to=&interval=day|hour: per UTC interval, counts of each public event type and the rates
// delivered/sent, bounce (bounced/sent), open, click and complaint (each per delivered). sent = relayed recipients.
// Account keys see their own account; the admin key sees all, or one account with ?accountId=.

export const statsQuery = z
  .object({
    from: z.iso
      .datetime({ offset: true })
      .transform((s) => new Date(s))
      .optional(),
    to: z.iso
      .datetime({ offset: true })
      .transform((s) => new Date(s))
      .optional(),
    interval: z.enum(['day', 'hour']).default('day'),
    accountId: z.string().max(100).optional(),
  })
  .strict();

/** At most this many intervals per request (a year of days, or 31 days of hours). */
const MAX_BUCKETS = 744;

export function statsRouter(pool: pg.Pool): Router {
  const r = Router();
  r.get('/v1/stats', async (req, res) => {
    const q = statsQuery.parse(req.query);
    const step = q.interval === 'day' ? 86_400_000 : 3_600_000;
    const to = q.to ?? new Date();
    const from = q.from ?? new Date(to.getTime() - (q.interval === 'day' ? 7 : 1) * 86_400_000);
    if (from.getTime() >= to.getTime()) throw new ApiError(400, 'invalid_request', 'from: must be before to');
    if ((to.getTime() - from.getTime()) / step > MAX_BUCKETS)
      throw new ApiError(400, 'invalid_request', `too many intervals (at most ${MAX_BUCKETS})`);
    if (q.accountId && !principalOf(req).admin) throw new ApiError(403, 'forbidden', 'accountId is for the admin key');
    const accountId = accountScope(req) ?? q.accountId;
    const stats = await eventStats(pool, { accountId, from, to, interval: q.interval });
    res.json({ from: from.toISOString(), to: to.toISOString(), interval: q.interval, ...stats });
  });
  return r;
}
