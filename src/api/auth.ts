import type { Request, RequestHandler } from 'express';
import type pg from 'pg';
import { findApiKeyWithStanding } from '../db/account-standing-repo.js';
import { touchApiKey } from '../db/api-keys-repo.js';
import { LAST_USED_PRECISION_MS } from '../db/credentials-repo.js';
import { hashApiKey } from '../secrets.js';
import { ApiError } from '../infra/json-errors.js';

/** Who is calling: keyId (the api_keys id) is the actor recorded in audit trails such as ip_changes. */
export interface Principal {
  admin: boolean;
  accountId: string | null;
  keyId: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** Bearer API keys, looked up by their SHA-256 (only hashes are stored). */
export function authenticate(pool: pg.Pool): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m?.[1])
      return next(new ApiError(401, 'unauthorized', 'missing or malformed Authorization: Bearer <key> header'));
    principalOfKeyHash(pool, hashApiKey(m[1]))
      .then((principal) => {
        req.principal = principal;
        next();
      })
      .catch(next);
  };
}

/**
 * The principal of an API key given by its SHA-256: 401 when unknown or revoked, 403 when its account is suspended.
 * Bearer requests and web console sessions (which hold the key's hash) both come through here, so a revoked key or a
 * suspended account ends a console session at its next request.
 */
export async function principalOfKeyHash(pool: pg.Pool, keyHash: string): Promise<Principal> {
  const key = await findApiKeyWithStanding(pool, keyHash);
  if (!key) throw new ApiError(401, 'unauthorized', 'unknown or revoked API key');
  // last_used_at moves at most once a minute per key: a write per request would cost more than the request.
  if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() >= LAST_USED_PRECISION_MS)
    await touchApiKey(pool, key.id);
  if (key.accountState === 'suspended') throw new ApiError(403, 'account_suspended', 'account suspended');
  return { admin: key.accountId === null, accountId: key.accountId, keyId: key.id };
}

export function principalOf(req: Request): Principal {
  if (!req.principal) throw new ApiError(401, 'unauthorized', 'not authenticated');
  return req.principal;
}

export const requireAdmin: RequestHandler = (req, _res, next) => {
  next(principalOf(req).admin ? undefined : new ApiError(403, 'forbidden', 'this route needs the admin API key'));
};

/** The account a request may see: admin sees all (undefined), an account key only its own. */
export function accountScope(req: Request): string | undefined {
  const p = principalOf(req);
  return p.admin ? undefined : (p.accountId ?? undefined);
}
