// What one hit on a tracking URL may write. A leaked token fetched in a loop must not flood the events table or the
// customer's webhook, so:
//  - expiry: a token older than the TTL records nothing (the redirect still works for the recipient);
//  - rate limit: at most `hitsPerMinute` hits per token are recorded in a fixed one-minute window that starts at the
//    window's first hit; beyond, nothing is written until the window has passed;
//  - deduplication: the first person's hit and the first machine's hit (see machine-engagement.ts) per token become
//    an `opened` / `clicked` event, the webhook-eligible one; every other recorded hit only adds to the token's
//    counter. A machine hit first (an image proxy or a link scanner on arrival) therefore does not hide the person's
//    later open or click, and a person opening the mail ten times fires one webhook.

export interface TrackingLimits {
  /** A token issued longer ago than this records nothing (milliseconds). */
  tokenTtlMs: number;
  /** Recorded hits per token per minute; more are answered but not written. */
  hitsPerMinute: number;
}

/** The per-token counters as stored (undefined before the token's first recorded hit). */
export interface TokenHits {
  hits: number;
  windowStart: Date;
  windowHits: number;
  personEvent: boolean;
  machineEvent: boolean;
}

export type HitDecision =
  { record: false; reason: 'expired' | 'rate_limited' } | { record: true; event: boolean; next: TokenHits };

export const rateWindowMs = 60_000;

export function isTokenExpired(issuedAt: Date, now: Date, ttlMs: number): boolean {
  return now.getTime() - issuedAt.getTime() > ttlMs;
}

export function decideHit(
  current: TokenHits | undefined,
  hit: { issuedAt: Date; now: Date; machine: boolean },
  limits: TrackingLimits,
): HitDecision {
  if (isTokenExpired(hit.issuedAt, hit.now, limits.tokenTtlMs)) return { record: false, reason: 'expired' };
  const c = current ?? { hits: 0, windowStart: hit.now, windowHits: 0, personEvent: false, machineEvent: false };
  const newWindow = hit.now.getTime() - c.windowStart.getTime() >= rateWindowMs;
  const windowHits = newWindow ? 0 : c.windowHits;
  if (windowHits >= limits.hitsPerMinute) return { record: false, reason: 'rate_limited' };
  const event = hit.machine ? !c.machineEvent : !c.personEvent;
  return {
    record: true,
    event,
    next: {
      hits: c.hits + 1,
      windowStart: newWindow ? hit.now : c.windowStart,
      windowHits: windowHits + 1,
      personEvent: c.personEvent || !hit.machine,
      machineEvent: c.machineEvent || hit.machine,
    },
  };
}
