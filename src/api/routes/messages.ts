import { Router } from 'express';
import type pg from 'pg';
import { getMessageView, listMessages } from '../../db/message-queries.js';
import { accountScope } from '../auth.js';
import { notFound } from '../errors.js';
import { idParam, listMessagesQuery } from '../schemas.js';

/** Message status for admins and for the owning account (another account's id answers 404, not 403). */
export function messagesRouter(pool: pg.Pool): Router {
  const r = Router();
  r.get('/v1/messages', async (req, res) => {
    const q = listMessagesQuery.parse(req.query);
    res.json(await listMessages(pool, { ...q, accountId: accountScope(req) }));
  });
  r.get('/v1/messages/:id', async (req, res) => {
    const view = await getMessageView(pool, idParam.parse(req.params).id, accountScope(req));
    if (!view) throw notFound('message');
    res.json(view);
  });
  return r;
}
