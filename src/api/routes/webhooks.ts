import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { newId } from '../../ids.js';
import { newSecret } from '../../secrets.js';
import { publicEventTypes } from '../../domain/event-types.js';
import type { SecretBox } from '../../webhooks/secret-box.js';
import { deleteWebhook, findWebhook, insertWebhook, listDeliveries, listWebhooks } from '../../db/webhooks-repo.js';
import { accountExists } from '../../db/accounts-repo.js';
import { accountScope, principalOf } from '../auth.js';
import { ApiError, notFound } from '../../infra/json-errors.js';
import { idParam, rowIdCursor } from '../schemas.js';
import { classifyIp, parseIpAddress } from '../../domain/network/address-class.js';

// Webhooks per account. The signing secret is shown once (in the 201), stored sealed (AES-256-GCM), never listed.
// Account keys manage their own; the admin key lists all and creates for an account given as accountId.

// The host must be a name or an IP literal (IPv6 in brackets). A literal in an internal range (loopback, private,
// link-local, …; in any spelling, which the URL parser has already turned into the canonical form) is refused here,
// unless WEBHOOK_ALLOW_PRIVATE is on; a name is resolved and checked at every delivery attempt.
function webhookUrl(allowPrivate: boolean) {
  return z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .superRefine((text, ctx) => {
      let hostname: string;
      try {
        hostname = new URL(text).hostname;
      } catch {
        return;
      } // z.url has already reported it
      const literal = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
      const ip = parseIpAddress(literal);
      if (!ip && !z.regexes.hostname.test(hostname)) {
        ctx.addIssue({ code: 'custom', message: 'host must be a domain name or an IP address' });
        return;
      }
      const c = ip ? classifyIp(ip) : undefined;
      if (c?.scope === 'internal' && !allowPrivate) {
        ctx.addIssue({
          code: 'custom',
          message: `host ${c.address} is an internal address (${c.kind}): webhooks are delivered to public addresses only`,
        });
      }
    });
}

export const createWebhookBody = (allowPrivate = false) =>
  z
    .object({
      url: webhookUrl(allowPrivate),
      events: z
        .array(z.enum(publicEventTypes))
        .min(1)
        .max(publicEventTypes.length)
        .transform((e) => [...new Set(e)]),
      /** Your own signing secret (16..200 characters); omitted = one is generated and returned once. */
      secret: z.string().min(16).max(200).optional(),
      accountId: z.string().max(100).optional(),
    })
    .strict();

export const pageQuery = z
  .object({
    cursor: rowIdCursor.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

export function webhooksRouter(
  pool: pg.Pool,
  secrets: SecretBox,
  o: { allowPrivate: boolean } = { allowPrivate: false },
): Router {
  const r = Router();
  const createBody = createWebhookBody(o.allowPrivate);
  r.post('/v1/webhooks', async (req, res) => {
    const body = createBody.parse(req.body ?? {});
    const p = principalOf(req);
    const accountId = p.admin ? body.accountId : p.accountId;
    if (!p.admin && body.accountId !== undefined && body.accountId !== p.accountId)
      throw new ApiError(403, 'forbidden', 'an account key manages its own webhooks');
    if (!accountId) throw new ApiError(400, 'invalid_request', 'accountId: required with the admin key');
    if (!(await accountExists(pool, accountId))) throw notFound('account');
    const secret = body.secret ?? newSecret('whsec_');
    const hook = await insertWebhook(pool, {
      id: newId('wh'),
      accountId,
      url: body.url,
      events: body.events,
      secretEnc: secrets.seal(secret),
    });
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
