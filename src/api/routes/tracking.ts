import { Router, type Request, type Response } from 'express';
import type pg from 'pg';
import type { TrackingLimits } from '../../domain/tracking/hit-policy.js';
import { isTrackableHref } from '../../domain/tracking/rewrite-html.js';
import { recordEngagement } from '../../tracking/engagements.js';
import { trackingKeys, verifyToken, type TrackingToken } from '../../tracking/tokens.js';

// The public tracking endpoints, mounted ahead of the /v1 API-key check (mail clients present no key; the token is
// the credential): GET /t/o/<token> → a 1x1 GIF and an `opened` event; GET /t/c/<token> → a `clicked` event and a
// 302 to the URL inside the token. A token that does not verify, or names an unknown message, is a plain 404 that
// redirects nowhere, so the service is never an open redirect. An expired token, or a hit beyond the per-token rate,
// gets the same answer as any other (the recipient still reaches the link) but writes nothing; repeated hits are
// counted without a new event (src/tracking/engagements.ts).

/** Used when the caller passes no limits: 90 days (longer than any campaign is read) and 10 hits a minute per token. */
export const defaultTrackingLimits: TrackingLimits = { tokenTtlMs: 90 * 86_400_000, hitsPerMinute: 10 };

/** The smallest transparent GIF (1x1, 43 bytes). */
export const pixelGif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

const noCache = {
  'cache-control': 'no-store, no-cache, must-revalidate, private, max-age=0',
  pragma: 'no-cache',
  expires: '0',
};

/** Behind no configured proxy, the peer address is the client; an IPv4-mapped IPv6 address is shown as IPv4. */
function clientIp(req: Request): string | undefined {
  const ip = req.socket.remoteAddress;
  return ip?.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

function notFound(res: Response): void {
  res.status(404).set(noCache).type('text/plain').send('not found');
}

export function trackingRouter(
  pool: pg.Pool,
  masterSecret: string,
  limits: TrackingLimits = defaultTrackingLimits,
): Router {
  const r = Router();
  const keys = trackingKeys(masterSecret);

  const verified = (req: Request, kind: TrackingToken['kind']): TrackingToken | undefined => {
    const token = verifyToken(keys, String(req.params.token ?? ''));
    return token?.kind === kind ? token : undefined;
  };
  const facts = (req: Request) => ({
    userAgent: req.get('user-agent'),
    ip: clientIp(req),
    now: new Date(),
    head: req.method === 'HEAD',
  });

  r.get('/t/o/:token', async (req, res) => {
    const token = verified(req, 'open');
    if (!token || !(await recordEngagement(pool, token, facts(req), limits))) return notFound(res);
    res.status(200).set(noCache).type('image/gif').send(pixelGif);
  });

  r.get('/t/c/:token', async (req, res) => {
    const token = verified(req, 'click');
    // Only http(s) URLs are ever signed; checked again so nothing else can become a redirect.
    if (
      !token ||
      token.kind !== 'click' ||
      !isTrackableHref(token.url) ||
      !(await recordEngagement(pool, token, facts(req), limits))
    )
      return notFound(res);
    res.status(302).set(noCache).location(token.url).end();
  });

  return r;
}
