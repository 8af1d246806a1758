import crypto from 'node:crypto';
import { deriveRelaySecret } from '../secrets.js';

// How the MDE and a relay prove themselves to each other, with one secret per relay (derived from the MDE's master
// secret, see deriveRelaySecret, and given to the relay as RELAY_SECRET):
// - MDE → relay SMTP intake: AUTH PLAIN/LOGIN as MDE_USERNAME with the relay secret as password;
// - MDE → relay HTTP API (feed, message lookup, stats): `Authorization: Bearer <relay secret>`;
// - relay → MDE push callback: `Authorization: Bearer <relay secret>` and `X-Relay-Id: <relay id>`, checked against
//   the secret derived for that id.

/** The SMTP AUTH username of the MDE at a relay's intake. */
export const MDE_USERNAME = 'mde';

/** The header naming the relay on its push callback (HTTP header names are case-insensitive; node lower-cases them). */
export const RELAY_ID_HEADER = 'x-relay-id';

/** The Authorization header value carrying a secret. */
export const bearer = (secret: string): string => `Bearer ${secret}`;

/** The token of an `Authorization: Bearer <token>` header (scheme in any case, RFC 7235), or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
}

/** The headers of a relay's push: its secret as bearer token and its id. */
export const relayPushHeaders = (relayId: string, secret: string): Record<string, string> => ({
  authorization: bearer(secret),
  [RELAY_ID_HEADER]: relayId,
});

/** Constant-time comparison; hashing first makes both sides the same length, so the length does not leak either. */
export function secretMatches(given: string, secret: string): boolean {
  const h = (s: string): Buffer => crypto.createHash('sha256').update(s, 'utf8').digest();
  return crypto.timingSafeEqual(h(given), h(secret));
}

/** The MDE's check of a relay's credentials: the token is the secret derived for the relay id it claims. */
export function relayCredentialsMatch(masterSecret: string, relayId: string, token: string): boolean {
  return secretMatches(token, deriveRelaySecret(masterSecret, relayId));
}
