import type { Router } from 'express';
import { z } from 'zod';
import type pg from 'pg';
import {
  deleteAllowedIp,
  deleteSenderDomain,
  listAccountIpCredentials,
  listApiKeys,
  listSmtpCredentials,
  revokeCredential,
} from '../../db/credentials-repo.js';
import { notFound } from '../../infra/json-errors.js';

// What an account authenticates and submits with, listed and taken back. Keys and credentials are revoked (kept with
// revoked_at for audit, never valid again: the next request, AUTH or MAIL fails); sender domains and allowed IPs are
// list entries and are deleted. Every item is looked up under the account in the path, so an id of another account's
// item is 404 like an unknown one.

export const itemParams = z.object({ id: z.string().min(1).max(100), item: z.string().min(1).max(300) });

/** Adds the list and DELETE routes to the accounts router (already admin-only); `existing` 404s an unknown account. */
export function addCredentialRoutes(r: Router, pool: pg.Pool, existing: (id: string) => Promise<string>): void {
  const base = '/v1/accounts/:id';
  const accountOf = (params: unknown): Promise<string> =>
    existing(z.object({ id: z.string().min(1).max(100) }).parse(params).id);

  r.get(`${base}/api-keys`, async (req, res) => {
    res.json({ items: await listApiKeys(pool, await accountOf(req.params)), nextCursor: null });
  });
  r.get(`${base}/smtp-credentials`, async (req, res) => {
    res.json({ items: await listSmtpCredentials(pool, await accountOf(req.params)), nextCursor: null });
  });
  r.get(`${base}/ip-credentials`, async (req, res) => {
    res.json({ items: await listAccountIpCredentials(pool, await accountOf(req.params)), nextCursor: null });
  });

  const revokeRoute = (path: string, kind: Parameters<typeof revokeCredential>[1], what: string): void => {
    r.delete(`${base}/${path}/:item`, async (req, res) => {
      const { id, item } = itemParams.parse(req.params);
      const accountId = await existing(id);
      if (!(await revokeCredential(pool, kind, accountId, item))) throw notFound(`${what} ${item}`);
      res.status(204).end();
    });
  };
  revokeRoute('api-keys', 'api-key', 'API key');
  revokeRoute('smtp-credentials', 'smtp-credential', 'SMTP credential');
  revokeRoute('ip-credentials', 'ip-credential', 'IP credential');

  r.delete(`${base}/sender-domains/:item`, async (req, res) => {
    const { id, item } = itemParams.parse(req.params);
    if (!(await deleteSenderDomain(pool, await existing(id), item))) throw notFound(`sender domain ${item}`);
    res.status(204).end();
  });
  r.delete(`${base}/allowed-ips/:item`, async (req, res) => {
    const { id, item } = itemParams.parse(req.params);
    if (!(await deleteAllowedIp(pool, await existing(id), item))) throw notFound(`allowed IP ${item}`);
    res.status(204).end();
  });
}
