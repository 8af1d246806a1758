import { Router } from 'express';
import type pg from 'pg';
import {
  addAllowedIp,
  createAccount,
  getAccount,
  insertApiKey,
  insertIpCredential,
  insertSmtpCredential,
  listIpCredentials,
  lockIpCredentials,
  updateAccountTracking,
} from '../../db/accounts-repo.js';
import { inTransaction, type Queryable } from '../../db/pool.js';
import {
  changeAccountState,
  getUsage,
  listAccountEvents,
  listStateChanges,
  updateLimits,
} from '../../db/account-standing-repo.js';
import { cidrsOverlap, parseCidr, type Cidr } from '../../domain/network/cidr.js';
import { hashApiKey, hashSmtpPassword, newSecret } from '../../secrets.js';
import { principalOf, requireAdmin } from '../auth.js';
import { showRoute } from './read-routes.js';
import { addCredentialRoutes } from './credential-routes.js';
import { ApiError, notFound } from '../../infra/json-errors.js';
import { cidrBody, createAccountBody, idParam, smtpCredentialBody, updateAccountBody } from '../schemas.js';
import crypto from 'node:crypto';

/** Admin routes: accounts and what they may submit (credentials, keys, domains, networks). */
/** `smtpPasswordKey`: the key SMTP password hashes are made with (smtpPasswordKey of the master secret). */
export function accountsRouter(pool: pg.Pool, smtpPasswordKey: Buffer): Router {
  const r = Router();
  r.use('/v1/accounts', requireAdmin);

  const existing = async (id: string): Promise<string> => {
    const acc = await getAccount(pool, id);
    if (!acc) throw notFound(`account ${id}`);
    return acc.id;
  };

  r.post('/v1/accounts', async (req, res) => {
    const body = createAccountBody.parse(req.body);
    const acc = await createAccount(pool, body.name);
    res.status(201).json({ id: acc.id, name: acc.name, createdAt: acc.createdAt });
  });

  showRoute(r, '/v1/accounts/:id', 'account', (p) => accountView(pool, idParam.parse(p).id));

  // Open and click tracking defaults (a message overrides them with X-Relay-Track), sending limits, and the state
  // with its reason (audited with the calling key as actor); all in one transaction.
  r.patch('/v1/accounts/:id', async (req, res) => {
    const { id } = idParam.parse(req.params);
    const body = updateAccountBody.parse(req.body ?? {});
    const actor = principalOf(req).keyId;
    const view = await inTransaction(pool, async (c) => {
      if (!(await getAccount(c, id))) return undefined;
      if (body.trackOpens !== undefined || body.trackClicks !== undefined) await updateAccountTracking(c, id, body);
      if (body.limits) await updateLimits(c, id, body.limits);
      if (body.state && body.reason)
        await changeAccountState(c, { accountId: id, to: body.state, reason: body.reason, actor });
      return accountView(c, id);
    });
    if (!view) throw notFound('account');
    res.json(view);
  });

  r.post('/v1/accounts/:id/smtp-credentials', async (req, res) => {
    const accountId = await existing(idParam.parse(req.params).id);
    const body = smtpCredentialBody.parse(req.body ?? {});
    const username = body.username ?? `smtp_${crypto.randomBytes(6).toString('hex')}`;
    const password = newSecret('');
    try {
      await insertSmtpCredential(pool, accountId, username, hashSmtpPassword(password, smtpPasswordKey));
    } catch (err) {
      if ((err as { code?: string }).code === '23505')
        throw new ApiError(409, 'conflict', `username ${username} is taken`);
      throw err;
    }
    // The password is shown here once; only its keyed hash is stored.
    res.status(201).json({ username, password });
  });

  r.post('/v1/accounts/:id/api-keys', async (req, res) => {
    const accountId = await existing(idParam.parse(req.params).id);
    const key = newSecret('rk_');
    const id = await insertApiKey(pool, accountId, hashApiKey(key));
    res.status(201).json({ id, key });
  });

  // Sender domains (adding, DNS records, verification, DKIM keys): routes/sender-domains.ts.

  r.post('/v1/accounts/:id/allowed-ips', async (req, res) => {
    const accountId = await existing(idParam.parse(req.params).id);
    const { cidr } = cidrBody.parse(req.body);
    const { id, created } = await addAllowedIp(pool, accountId, cidr);
    res.status(created ? 201 : 200).json({ id, accountId, cidr });
  });

  r.post('/v1/accounts/:id/ip-credentials', async (req, res) => {
    const accountId = await existing(idParam.parse(req.params).id);
    const { cidr } = cidrBody.parse(req.body);
    const mine = parseCidr(cidr) as Cidr;
    // Serialised so two concurrent requests cannot both pass the overlap check.
    const id = await inTransaction(pool, async (c) => {
      await lockIpCredentials(c);
      for (const other of await listIpCredentials(c)) {
        const theirs = parseCidr(other.cidr) as Cidr;
        if (cidrsOverlap(mine, theirs) && other.accountId !== accountId) {
          throw new ApiError(
            409,
            'conflict',
            `${cidr} overlaps ${other.cidr}, an IP credential of another account: a client address must identify one account`,
          );
        }
      }
      return insertIpCredential(c, accountId, cidr);
    });
    res.status(201).json({ id, accountId, cidr });
  });

  addCredentialRoutes(r, pool, existing);

  return r;
}

/** An account as the admin sees it: settings, state, limits with current usage, the state audit trail, recent events. */
async function accountView(db: Queryable, id: string): Promise<Record<string, unknown> | undefined> {
  const acc = await getAccount(db, id);
  if (!acc) return undefined;
  const usage = await getUsage(db, id);
  const stateChanges = await listStateChanges(db, id);
  const events = await listAccountEvents(db, id);
  return { ...acc, usage, stateChanges, events };
}
