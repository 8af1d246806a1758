import { Router } from 'express';
import type pg from 'pg';
import { getMessageView, listMessages } from '../../db/message-queries.js';
import { accountScope } from '../auth.js';
import { ApiError, notFound } from '../../infra/json-errors.js';
import { idParam, listMessagesQuery } from '../schemas.js';

/**
 * The tag and metadata filters of GET /v1/messages, taken off the query before the schema sees the rest:
 * `?tag=welcome` and `?metadata[userId]=42` (or `?metadata.userId=42`); several metadata pairs must all match.
 */
export function messageFilters(query: Record<string, unknown>): {
  rest: Record<string, unknown>;
  tag?: string;
  metadata?: Record<string, string>;
} {
  const rest: Record<string, unknown> = {};
  const metadata: Record<string, string> = {};
  let tag: string | undefined;
  for (const [k, v] of Object.entries(query)) {
    const m = /^metadata(?:\[([^\]]+)\]|\.(.+))$/.exec(k);
    if (k !== 'tag' && !m) {
      rest[k] = v;
      continue;
    }
    if (typeof v !== 'string' || v.length > 1000)
      throw new ApiError(400, 'invalid_request', `${k}: must be given once, at most 1000 characters`);
    if (k === 'tag') tag = v;
    else metadata[(m?.[1] ?? m?.[2]) as string] = v;
  }
  return { rest, ...(tag !== undefined ? { tag } : {}), ...(Object.keys(metadata).length > 0 ? { metadata } : {}) };
}

/** Message status for admins and for the owning account (another account's id answers 404, not 403). */
export function messagesRouter(pool: pg.Pool): Router {
  const r = Router();
  r.get('/v1/messages', async (req, res) => {
    const { rest, tag, metadata } = messageFilters(req.query as Record<string, unknown>);
    const q = listMessagesQuery.parse(rest);
    res.json(await listMessages(pool, { ...q, accountId: accountScope(req), tag, metadata }));
  });
  r.get('/v1/messages/:id', async (req, res) => {
    const view = await getMessageView(pool, idParam.parse(req.params).id, accountScope(req));
    if (!view) throw notFound('message');
    res.json(view);
  });
  return r;
}
