import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { isPublicEventType, publicEventTypes } from '../../domain/event-types.js';
import { listEvents, listMessageEvents } from '../../db/events-repo.js';
import { accountScope, principalOf } from '../auth.js';
import { ApiError, notFound } from '../../infra/json-errors.js';
import { idParam, rowIdCursor } from '../schemas.js';

// Events API. Account keys see the public event types only (accepted, relayed, delivered, deferred, bounced, failed,
// suppressed, opened, clicked, complained) of their own messages; the admin key sees every account and also the
// internal steps (routed, waiting, alert, rerouted, handoff-failed, completed, policy, ...).

const typeList = z
  .string()
  .max(500)
  .transform((s) =>
    s
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== ''),
  );

export const listEventsQuery = z
  .object({
    type: typeList.optional(),
    since: z.iso
      .datetime({ offset: true })
      .transform((s) => new Date(s))
      .optional(),
    cursor: rowIdCursor.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

export function eventsRouter(pool: pg.Pool): Router {
  const r = Router();
  r.get('/v1/messages/:id/events', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const items = await listMessageEvents(pool, id, {
      accountId: accountScope(req),
      publicOnly: !principalOf(req).admin,
    });
    if (!items) throw notFound('message');
    res.json({ items: items.map((e) => ({ id: e.id, type: e.type, recipient: e.recipient, at: e.at, data: e.data })) });
  });
  r.get('/v1/events', async (req, res) => {
    const q = listEventsQuery.parse(req.query);
    const admin = principalOf(req).admin;
    if (!admin) {
      const bad = (q.type ?? []).filter((t) => !isPublicEventType(t));
      if (bad.length > 0)
        throw new ApiError(
          400,
          'invalid_request',
          `type: unknown event type ${bad.join(', ')} (one of ${publicEventTypes.join(', ')})`,
        );
    }
    const types = q.type && q.type.length > 0 ? q.type : admin ? undefined : [...publicEventTypes];
    res.json(
      await listEvents(pool, { accountId: accountScope(req), types, since: q.since, cursor: q.cursor, limit: q.limit }),
    );
  });
  return r;
}
