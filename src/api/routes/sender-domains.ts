import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { getAccount } from '../../db/accounts-repo.js';
import {
  getSenderDomain,
  insertDkimKey,
  insertSenderDomain,
  listAccountSenderDomains,
  markVerifiedByHand,
} from '../../db/sender-domains-repo.js';
import { inTransaction } from '../../db/pool.js';
import { requireAdmin } from '../auth.js';
import { notFound } from '../../infra/json-errors.js';
import { idParam, senderDomainBody } from '../schemas.js';
import { checkDomainNow, domainView } from '../../sender-auth/check-domain.js';
import { createRecordLookup, type RecordLookup } from '../../sender-auth/dns-check.js';
import { dkimKeyBox, generateDkimKey, newOwnershipToken } from '../../sender-auth/dkim-keys.js';
import type { SenderAuthSettings } from '../../sender-auth/settings.js';

// Sender domains of an account (admin): adding one returns the DNS records to publish; GET shows each record
// expected vs found at the last check; verify checks DNS now (or, with `manual`, records the admin's word); a new
// DKIM key starts a rotation (it signs once DNS shows it, the old key stays expected for DKIM_ROTATION_OVERLAP).

export const domainParams = z.object({ id: z.string().min(1).max(100), domain: z.string().min(1).max(253) });
export const verifyBody = z
  .object({
    /** The admin vouches for the domain instead of DNS (recorded as verified by hand, with the note). */
    manual: z.literal(true).optional(),
    note: z.string().trim().min(1).max(500).optional(),
  })
  .strict();

const recordView = z.looseObject({
  host: z.string(),
  type: z.enum(['TXT', 'CNAME']),
  value: z.string(),
  purpose: z.enum(['ownership', 'dkim', 'spf', 'return-path', 'dmarc']),
  status: z.enum(['ok', 'missing', 'wrong', 'unknown', 'unchecked']),
  found: z.string().optional(),
});
/** A sender domain as the API shows it (domainView of src/sender-auth/check-domain.ts). */
export const senderDomainView = z.looseObject({
  accountId: z.string(),
  domain: z.string(),
  state: z.enum(['pending', 'verified', 'failing']),
  problems: z.array(z.string()),
  records: z.array(recordView),
});

export function senderDomainsRouter(pool: pg.Pool, s: SenderAuthSettings, lookup?: RecordLookup): Router {
  const r = Router();
  r.use('/v1/accounts', requireAdmin);
  const dns = lookup ?? createRecordLookup({ resolver: s.resolver, timeoutMs: s.dnsTimeoutMs });
  const box = dkimKeyBox(s.masterSecret);

  const view = async (accountId: string, domain: string): Promise<Record<string, unknown>> => {
    const found = await getSenderDomain(pool, accountId, domain.toLowerCase());
    if (!found) throw notFound(`sender domain ${domain}`);
    return domainView(found.domain, found.keys, s, Date.now());
  };
  const existing = async (id: string): Promise<string> => {
    const acc = await getAccount(pool, id);
    if (!acc) throw notFound(`account ${id}`);
    return acc.id;
  };

  // 201 with the records to publish; 200 when the account lists the domain already. `verified: "manual"` records
  // the admin's word at once (operators who manage DNS themselves, local use).
  r.post('/v1/accounts/:id/sender-domains', async (req, res) => {
    const accountId = await existing(idParam.parse(req.params).id);
    const body = senderDomainBody.parse(req.body);
    const key = await generateDkimKey(new Date());
    const created = await inTransaction(pool, async (c) => {
      const made = await insertSenderDomain(c, {
        accountId,
        domain: body.domain,
        ownershipToken: newOwnershipToken(),
        key: { selector: key.selector, privateKey: box.seal(key.privateKeyPem), publicKey: key.publicKey },
      });
      if (body.verified === 'manual')
        await markVerifiedByHand(c, accountId, body.domain, body.note ?? 'marked verified by an admin');
      return made;
    });
    res.status(created ? 201 : 200).json(await view(accountId, body.domain));
  });

  r.get('/v1/accounts/:id/sender-domains', async (req, res) => {
    const accountId = await existing(idParam.parse(req.params).id);
    const rows = await listAccountSenderDomains(pool, accountId);
    res.json({ items: await Promise.all(rows.map((d) => view(accountId, d.domain))) });
  });

  r.get('/v1/accounts/:id/sender-domains/:domain', async (req, res) => {
    const { id, domain } = domainParams.parse(req.params);
    res.json(await view(id, domain));
  });

  r.post('/v1/accounts/:id/sender-domains/:domain/verify', async (req, res) => {
    const { id, domain } = domainParams.parse(req.params);
    const body = verifyBody.parse(req.body ?? {});
    const name = domain.toLowerCase();
    if (body.manual) {
      if (!(await markVerifiedByHand(pool, id, name, body.note ?? 'marked verified by an admin')))
        throw notFound(`sender domain ${domain}`);
    } else if (!(await checkDomainNow(pool, dns, s, id, name, new Date()))) throw notFound(`sender domain ${domain}`);
    res.json(await view(id, name));
  });

  // Rotation: a new key (selector) to publish; signing switches to it once a check sees its record.
  r.post('/v1/accounts/:id/sender-domains/:domain/dkim-keys', async (req, res) => {
    const { id, domain } = domainParams.parse(req.params);
    const name = domain.toLowerCase();
    if (!(await getSenderDomain(pool, id, name))) throw notFound(`sender domain ${domain}`);
    const key = await generateDkimKey(new Date());
    await insertDkimKey(pool, id, name, {
      selector: key.selector,
      privateKey: box.seal(key.privateKeyPem),
      publicKey: key.publicKey,
    });
    res.status(201).json(await view(id, name));
  });

  return r;
}
