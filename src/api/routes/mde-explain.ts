import crypto from 'node:crypto';
import { Router } from 'express';
import type pg from 'pg';
import { routeRecipients } from '../../domain/mde/routing-rules.js';
import { hintsFromHeaderMap } from '../../domain/mime/relay-headers.js';
import { createRoutingSnapshotLoader } from '../../db/routing-snapshot-repo.js';
import { requireAdmin } from '../auth.js';
import { explainBody } from '../mde-schemas.js';

/**
 * "Where would this go, and why?" (admin): the routing decision the MDE would make now, per recipient domain. The IP
 * choice is stable per (message, recipient domain); without a messageId one is derived from (accountId, mailFrom),
 * so repeating a question gives the same answer while nothing changes. Each route lists under `skipped` the rules
 * that matched but were passed over (a pool reserved for other accounts), with the reason.
 */
export function mdeExplainRouter(pool: pg.Pool): Router {
  const r = Router();
  const loadSnapshot = createRoutingSnapshotLoader();
  r.post('/v1/mde/explain', requireAdmin, async (req, res) => {
    const body = explainBody.parse(req.body ?? {});
    const hints = hintsFromHeaderMap(body.headers);
    const messageId = body.messageId ?? explainMessageId(body.accountId, body.mailFrom);
    const snapshot = await loadSnapshot(pool);
    const routes = routeRecipients(
      {
        messageId,
        accountId: body.accountId,
        mailFrom: body.mailFrom,
        recipients: body.recipients,
        tags: hints.tags,
        priority: hints.priority,
      },
      snapshot.rules,
      snapshot.groups,
      snapshot.ips,
    );
    res.json({ configVersion: snapshot.configVersion, messageId, hints, routes });
  });
  return r;
}

export function explainMessageId(accountId: string, mailFrom: string): string {
  return `explain-${crypto.createHash('sha256').update(`${accountId}\n${mailFrom.toLowerCase()}`).digest('hex').slice(0, 24)}`;
}
