import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { newId } from '../../ids.js';
import { newSecret } from '../../secrets.js';
import { publicEventTypes } from '../../events/event-types.js';
import type { SecretBox } from '../../webhooks/secret-box.js';
import { deleteWebhook, findWebhook, insertWebhook, listDeliveries, listWebhooks } from '../../webhooks/webhooks-repo.js';
import { accountScope, principalOf } from '../auth.js';
import { ApiError, notFound } from '../errors.js';
import { idParam } from '../schemas.js';

// Webhooks per account. The signing secret is shown once (in the 201), stored sealed (AES-256-GCM), never listed.
// Account keys manage their own; the admin key lists all and creates for an account given as accountId.

const httpUrl = z.url({ protocol: /^https?$/, hostname: z.regexes.hostname }).max(2000);

export const createWebhookBody = z.object({
  url: httpUrl,
  events: z.array(z.enum(publicEventTypes)).min(1).max(publicEventTypes.length).transform((e) => [...new Set(e)]),
  /** Your own signing secret (16..200 characters); omitted = one is generated and returned once. */
  secret: z.string().min(16).max(200).optional(),
  accountId: z.string().max(100).optional(),
}).strict();

const pageQuery = z.object({
  cursor: z.string().regex(/^\d{1,19}$/).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
}).strict();

export function webhooksRouter(pool: pg.Pool, secrets: SecretBox): Router {
  const r = Router();
  r.post('/v1/webhooks', async (req, res) => {
    const body = createWebhookBody.parse(req.body ?? {});
    const p = principalOf(req);
    const accountId = p.admin ? body.accountId : p.accountId;
    if (!p.admin && body.accountId !== undefined && body.accountId !== p.accountId) throw new ApiError(403, 'forbidden', 'an account key manages its own webhooks');
    if (!accountId) throw new ApiError(400, 'invalid_request', 'accountId: required with the admin key');
    const exists = await pool.query('SELECT 1 FROM accounts WHERE id = $1', [accountId]);
    if (exists.rowCount === 0) throw notFound('account');
    const secret = body.secret ?? newSecret('whsec_');
    const hook = await insertWebhook(pool, { id: newId('wh'), accountId, url: body.url, events: body.events, secretEnc: secrets.seal(secret) });
    res.status(201).json({ ...hook, secret });
  });
  r.get('/v1/webhooks', async (req, res) => {
    res.json({ items: await listWebhooks(pool, accountScope(req)) });
  });
  r.get('/v1/webhooks/:id', async (req, res) => {
    const hook = await findWebhook(pool, idParam.parse(req.params).id, accountScope(req));
    if (!hook) throw notFound('webhook');
    res.json(hook);
  });
  r.delete('/v1/webhooks/:id', async (req, res) => {
    if (!(await deleteWebhook(pool, idParam.parse(req.params).id, accountScope(req)))) throw notFound('webhook');
    res.status(204).end();
  });
  r.get('/v1/webhooks/:id/deliveries', async (req, res) => {
    const { id } = idParam.parse(req.params);
    if (!(await findWebhook(pool, id, accountScope(req)))) throw notFound('webhook');
    const q = pageQuery.parse(req.query);
    res.json(await listDeliveries(pool, id, q));
  });
  return r;
}
