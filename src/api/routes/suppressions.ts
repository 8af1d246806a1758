import { Router, type Request } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { getAccount } from '../../db/accounts-repo.js';
import {
  deleteSuppression,
  insertSuppression,
  listSuppressions,
  suppressionReasons,
} from '../../db/suppressions-repo.js';
import { principalOf } from '../auth.js';
import { rowIdCursor } from '../schemas.js';
import { ApiError, notFound } from '../../infra/json-errors.js';

// The per-account suppression list. An account key works on its own list; the admin key names the account
// with ?accountId= on every call. Addresses are compared and stored lowercased.

const address = z
  .string()
  .trim()
  .toLowerCase()
  .max(320)
  .regex(/^[^\s@<>]+@[^\s@<>]+$/, 'must be an email address such as user@example.com');

export const listQuery = z
  .object({
    accountId: z.string().min(1).max(100).optional(),
    q: z.string().trim().max(320).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: rowIdCursor.optional(),
  })
  .strict();
export const scopeQuery = z.object({ accountId: z.string().min(1).max(100).optional() }).strict();
export const createBody = z.object({ address, reason: z.enum(suppressionReasons).default('manual') }).strict();

/** The account whose list this request works on (404 for an unknown account named by the admin). */
async function accountOf(pool: pg.Pool, req: Request, requested: string | undefined): Promise<string> {
  const p = principalOf(req);
  if (!p.admin) {
    if (requested !== undefined && requested !== p.accountId)
      throw new ApiError(403, 'forbidden', 'an account key can only use its own suppression list');
    return p.accountId as string;
  }
  if (requested === undefined)
    throw new ApiError(400, 'invalid_request', 'accountId: the admin key must name the account (?accountId=)');
  if (!(await getAccount(pool, requested))) throw notFound('account');
  return requested;
}

const view = (s: {
  address: string;
  reason: string;
  sourceMessageId: string | null;
  detail: string | null;
  bounceReason: string | null;
  evidence: string | null;
  createdAt: string;
  accountId: string;
}) => ({
  address: s.address,
  reason: s.reason,
  sourceMessageId: s.sourceMessageId,
  detail: s.detail,
  bounceReason: s.bounceReason,
  evidence: s.evidence,
  createdAt: s.createdAt,
  accountId: s.accountId,
});

export function suppressionsRouter(pool: pg.Pool): Router {
  const r = Router();
  r.get('/v1/suppressions', async (req, res) => {
    const q = listQuery.parse(req.query);
    const accountId = await accountOf(pool, req, q.accountId);
    const page = await listSuppressions(pool, { accountId, q: q.q || undefined, limit: q.limit, cursor: q.cursor });
    res.json({ items: page.items.map(view), nextCursor: page.nextCursor });
  });
  r.post('/v1/suppressions', async (req, res) => {
    const { accountId: requested } = scopeQuery.parse(req.query);
    const body = createBody.parse(req.body);
    const accountId = await accountOf(pool, req, requested);
    const created = await insertSuppression(pool, { accountId, address: body.address, reason: body.reason });
    if (!created) throw new ApiError(409, 'conflict', `${body.address} is already suppressed`);
    res.status(201).json(view(created));
  });
  r.delete('/v1/suppressions/:address', async (req, res) => {
    const { accountId: requested } = scopeQuery.parse(req.query);
    const target = address.parse(req.params.address);
    const accountId = await accountOf(pool, req, requested);
    if (!(await deleteSuppression(pool, accountId, target))) throw notFound('suppression');
    res.status(204).end();
  });
  return r;
}
