import crypto from 'node:crypto';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { principalOfKeyHash } from '../auth.js';
import { ApiError } from '../../infra/json-errors.js';
import type { Config } from '../../config/config.js';
import { deriveKey, hashApiKey } from '../../secrets.js';

// Web console sessions. Logging in with an API key sets one cookie holding the key's SHA-256, a random session id and
// an expiry, sealed with AES-256-GCM under a key derived from the master secret: the server keeps no session table
// (every api instance can open any session), the browser cannot read or alter the cookie (HttpOnly, authenticated
// encryption), and each request re-checks the key through the same lookup as a Bearer request, so revoking the key or
// suspending the account ends the session at its next request. The cookie is SameSite=Strict, and every write made
// with it must also come from the console's own origin and carry the CSRF token (an HMAC of the session id) in
// X-CSRF-Token, which the page reads from GET /console/session.

export const SESSION_COOKIE = 'console_session';
const CSRF_HEADER = 'x-csrf-token';
const SEAL_CONTEXT = Buffer.from('console-session-v1');
/** Longer cookie values are not ours: a sealed session is about 200 characters. */
const MAX_COOKIE_CHARS = 1024;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface ConsoleSession {
  /** SHA-256 of the API key the user logged in with (the same hash api_keys stores). */
  keyHash: string;
  /** Random per login; the CSRF token is derived from it. */
  sid: string;
  /** Unix ms after which the session is refused. */
  expiresAt: number;
}

const sealedPayload = z.object({ h: z.string().length(64), s: z.string().max(64), e: z.number().int() }).strict();

export interface ConsoleOptions {
  masterSecret: string;
  /** Absolute session lifetime, in ms. */
  sessionTtlMs: number;
  /** Always set the cookie's Secure flag (the api is reached over https behind a proxy); it is set anyway on TLS. */
  secureCookies: boolean;
  /** Where the page links a message's workflow; undefined = no link. */
  temporalUi?: { url: string; namespace: string };
}

/**
 * The console's settings from the service configuration. Cookies are always Secure when PUBLIC_URL is https (TLS ends
 * at a proxy in front of the api). Without TEMPORAL_UI_URL, the link goes to the dev server's UI that `npm start` runs
 * on this host, or nowhere when the Temporal server is external.
 */
export function consoleOptionsFromConfig(config: Config): Omit<ConsoleOptions, 'masterSecret'> {
  const url =
    config.TEMPORAL_UI_URL ?? (config.TEMPORAL_ADDRESS ? undefined : `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`);
  return {
    sessionTtlMs: config.CONSOLE_SESSION_TTL,
    secureCookies: config.PUBLIC_URL.startsWith('https:'),
    ...(url ? { temporalUi: { url, namespace: config.TEMPORAL_NAMESPACE } } : {}),
  };
}

export interface ConsoleSessions {
  issue(keyHash: string, now?: number): { value: string; session: ConsoleSession };
  /** The request's session; undefined without a cookie, 'invalid' for a forged, damaged or expired one. */
  open(req: Request, now?: number): ConsoleSession | 'invalid' | undefined;
  csrfToken(session: ConsoleSession): string;
}

export function createConsoleSessions(masterSecret: string, ttlMs: number): ConsoleSessions {
  const sealKey = deriveKey(masterSecret, 'console-session-seal');
  const csrfKey = deriveKey(masterSecret, 'console-session-csrf');
  return {
    issue(keyHash, now = Date.now()) {
      const session = { keyHash, sid: crypto.randomBytes(18).toString('base64url'), expiresAt: now + ttlMs };
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', sealKey, iv);
      cipher.setAAD(SEAL_CONTEXT);
      const body = Buffer.concat([
        cipher.update(JSON.stringify({ h: session.keyHash, s: session.sid, e: session.expiresAt })),
        cipher.final(),
      ]);
      return { value: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url'), session };
    },
    open(req, now = Date.now()) {
      const value = readCookie(req.headers.cookie, SESSION_COOKIE);
      if (value === undefined) return undefined;
      if (value.length > MAX_COOKIE_CHARS || !/^[A-Za-z0-9_-]+$/.test(value)) return 'invalid';
      const raw = Buffer.from(value, 'base64url');
      if (raw.length < 12 + 16 + 2) return 'invalid';
      try {
        const decipher = crypto.createDecipheriv('aes-256-gcm', sealKey, raw.subarray(0, 12));
        decipher.setAAD(SEAL_CONTEXT);
        decipher.setAuthTag(raw.subarray(12, 28));
        const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
        const p = sealedPayload.safeParse(JSON.parse(text));
        if (!p.success || p.data.e <= now) return 'invalid';
        return { keyHash: p.data.h, sid: p.data.s, expiresAt: p.data.e };
      } catch {
        return 'invalid'; // a tag that does not verify: forged or sealed under another master secret
      }
    },
    csrfToken(session) {
      return crypto.createHmac('sha256', csrfKey).update(session.sid).digest('base64url');
    },
  };
}

/** One cookie's value from a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Whether a browser request comes from the console's own origin: Sec-Fetch-Site, when the browser sends it, must be
 * same-origin, and Origin, when present, must name the host the request was sent to. Both are absent for non-browser
 * clients, which carry no ambient cookie anyway.
 */
export function sameOrigin(req: Request): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function tokensEqual(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

const csrfRefused = (): ApiError =>
  new ApiError(403, 'csrf_failed', 'a console write needs the X-CSRF-Token header from the same origin');

/** A write made with the session cookie: same origin and the session's CSRF token, else 403. */
function checkCsrf(req: Request, sessions: ConsoleSessions, session: ConsoleSession): void {
  if (SAFE_METHODS.has(req.method)) return;
  if (!sameOrigin(req) || !tokensEqual(req.headers[CSRF_HEADER], sessions.csrfToken(session))) throw csrfRefused();
}

/**
 * Authentication of /v1: a request with an Authorization header is a Bearer request (unchanged); one without it but
 * with a console session cookie is authenticated by the session's key, with the CSRF check on writes.
 */
export function sessionOrBearer(pool: pg.Pool, sessions: ConsoleSessions, bearer: RequestHandler): RequestHandler {
  return (req, res, next) => {
    if (req.headers.authorization !== undefined) return bearer(req, res, next);
    const session = sessions.open(req);
    if (session === undefined) return bearer(req, res, next);
    if (session === 'invalid')
      return next(new ApiError(401, 'unauthorized', 'console session expired or invalid: log in again'));
    try {
      checkCsrf(req, sessions, session);
    } catch (err) {
      return next(err);
    }
    principalOfKeyHash(pool, session.keyHash)
      .then((principal) => {
        req.principal = principal;
        next();
      })
      .catch(next);
  };
}

const loginBody = z.object({ apiKey: z.string().min(1).max(200) }).strict();

function setCookie(res: Response, value: string, maxAgeSeconds: number, secure: boolean): void {
  res.append(
    'Set-Cookie',
    `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`,
  );
}

/**
 * POST /console/login {apiKey} → 200 {admin, accountId, csrfToken, expiresAt} and the session cookie; 401 for an
 * unknown key. GET /console/session → the same for the current session (401 without one). POST /console/logout
 * (CSRF-checked) → 204 and the cookie cleared. Responses are never cached.
 */
export function consoleSessionRouter(pool: pg.Pool, sessions: ConsoleSessions, o: ConsoleOptions): Router {
  const r = Router();
  const describe = async (session: ConsoleSession) => {
    const p = await principalOfKeyHash(pool, session.keyHash);
    return {
      admin: p.admin,
      accountId: p.accountId,
      csrfToken: sessions.csrfToken(session),
      expiresAt: new Date(session.expiresAt).toISOString(),
      // The Temporal UI is an operator's tool: account users get no link into it.
      temporalUi: p.admin ? (o.temporalUi ?? null) : null,
    };
  };
  r.use('/console', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  r.post('/console/login', async (req, res) => {
    // A login from another site would plant its own session in the user's browser (login CSRF).
    if (!sameOrigin(req)) throw csrfRefused();
    const { apiKey } = loginBody.parse(req.body);
    const keyHash = hashApiKey(apiKey);
    await principalOfKeyHash(pool, keyHash); // 401 / 403 before any cookie is set
    const { value, session } = sessions.issue(keyHash);
    setCookie(res, value, Math.floor(o.sessionTtlMs / 1000), o.secureCookies || req.secure);
    res.json(await describe(session));
  });
  r.get('/console/session', async (req, res) => {
    const session = sessions.open(req);
    if (session === undefined || session === 'invalid')
      throw new ApiError(401, 'unauthorized', 'no console session: log in');
    res.json(await describe(session));
  });
  r.post('/console/logout', (req, res) => {
    const session = sessions.open(req);
    if (session !== undefined && session !== 'invalid') checkCsrf(req, sessions, session);
    setCookie(res, '', 0, o.secureCookies || req.secure);
    res.status(204).end();
  });
  return r;
}
