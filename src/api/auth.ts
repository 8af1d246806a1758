import type { Request, RequestHandler } from 'express';
import type pg from 'pg';
import { findApiKeyIdentity } from '../db/api-keys-repo.js';
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
    findApiKeyIdentity(pool, hashApiKey(m[1])).then((key) => {
      if (!key) return next(new ApiError(401, 'unauthorized', 'unknown API key'));
      req.principal = { admin: key.accountId === null, accountId: key.accountId, keyId: key.id };
      next();
    }, next);
  };
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
