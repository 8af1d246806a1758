import crypto from 'node:crypto';
import { deriveRelaySecret } from '../secrets.js';

// How the MDE and a relay prove themselves to each other, with one secret per relay (derived from the MDE's master
// secret, see deriveRelaySecret, and given to the relay as RELAY_SECRET):
// - MDE → relay SMTP intake: STARTTLS first (the MDE checks the relay's certificate against the SHA-256 fingerprint
//   registered for it, see tls-pin.ts), then AUTH PLAIN/LOGIN as MDE_USERNAME with the relay secret as password;
// - MDE → relay HTTP API (feed, message lookup, stats) and relay → MDE push: the secret never travels. Each request
//   carries `X-Relay-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "\n" + what is signed)>`, where a
//   request signs its method, path (with query) and a random nonce (X-Relay-Nonce), a push its relay id and body, and a relay's answer its body and
//   the signature of the request it answers (so an answer cannot be replayed onto another request). A signature more
//   than SIGNATURE_TOLERANCE_MS away from the receiver's clock is refused, as AWS SigV4 refuses requests older than
//   five minutes; a push replayed inside the window changes nothing (reports are applied once by their event keys).

/** The SMTP AUTH username of the MDE at a relay's intake. */
export const MDE_USERNAME = 'mde';

/** The header naming the relay on its push callback (HTTP header names are case-insensitive; node lower-cases them). */
export const RELAY_ID_HEADER = 'x-relay-id';

/** The header carrying a request's or an answer's signature. */
export const SIGNATURE_HEADER = 'x-relay-signature';

/** A request's random nonce (signed with it), so that no two requests, and so no two answers, sign the same bytes. */
export const NONCE_HEADER = 'x-relay-nonce';

/** A new request nonce: 128 random bits, hex. */
export const newNonce = (): string => crypto.randomBytes(16).toString('hex');

/** How far a signature's timestamp may be from the receiver's clock, either way: 5 minutes (clock skew + transit). */
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

/** Constant-time comparison; hashing first makes both sides the same length, so the length does not leak either. */
export function secretMatches(given: string, secret: string): boolean {
  const h = (s: string): Buffer => crypto.createHash('sha256').update(s, 'utf8').digest();
  return crypto.timingSafeEqual(h(given), h(secret));
}

const mac = (secret: string, t: number, parts: readonly string[]): string =>
  crypto
    .createHmac('sha256', secret)
    .update(`${t}\n${parts.join('\n')}`, 'utf8')
    .digest('hex');

/** What each kind of message signs, in order (the last part may contain newlines, the others cannot). */
export const signed = {
  request: (method: string, pathAndQuery: string, nonce: string): string[] => [
    'request',
    method.toUpperCase(),
    pathAndQuery,
    nonce,
  ],
  answer: (requestSignature: string, body: string): string[] => ['answer', requestSignature, body],
  push: (relayId: string, body: string): string[] => ['push', relayId, body],
};

/** The X-Relay-Signature value for these parts at this time; `v1` is what an answer binds itself to. */
export function signRelayMessage(
  secret: string,
  parts: readonly string[],
  nowMs: number,
): { header: string; v1: string } {
  const t = Math.floor(nowMs / 1000);
  const v1 = mac(secret, t, parts);
  return { header: `t=${t},v1=${v1}`, v1 };
}

export type SignatureCheck = { ok: true; v1: string } | { ok: false; reason: string };

/** Checks an X-Relay-Signature value: well formed, fresh (within the tolerance) and matching, in constant time. */
export function verifyRelayMessage(
  secret: string,
  header: string | undefined,
  parts: readonly string[],
  nowMs: number,
): SignatureCheck {
  const m = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return { ok: false, reason: 'missing or malformed signature' };
  const t = Number(m[1]);
  if (Math.abs(nowMs - t * 1000) > SIGNATURE_TOLERANCE_MS) return { ok: false, reason: 'signature expired' };
  const given = Buffer.from(m[2] as string, 'hex');
  const expected = Buffer.from(mac(secret, t, parts), 'hex');
  if (!crypto.timingSafeEqual(given, expected)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true, v1: m[2] as string };
}

/** The MDE's check of a relay's push: signed with the secret derived for the relay id it claims. */
export function verifyRelayPush(
  masterSecret: string,
  relayId: string,
  header: string | undefined,
  body: string,
  nowMs: number,
): SignatureCheck {
  return verifyRelayMessage(deriveRelaySecret(masterSecret, relayId), header, signed.push(relayId, body), nowMs);
}

/** The headers of a relay's push of this exact body: its id and the body's signature. */
export const relayPushHeaders = (
  relayId: string,
  secret: string,
  body: string,
  nowMs: number,
): Record<string, string> => ({
  [RELAY_ID_HEADER]: relayId,
  [SIGNATURE_HEADER]: signRelayMessage(secret, signed.push(relayId, body), nowMs).header,
});
