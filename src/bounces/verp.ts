// VERP envelope senders: every relayed copy goes out with Return-Path `bounces+<token>@<BOUNCE_DOMAIN>` (or
// `@rp.<sender domain>` once that domain's return-path CNAME to BOUNCE_DOMAIN verified, so SPF aligns with From), so a
// bounce that comes back names the message (and the recipient) it is about, authenticated, without any lookup table.
//
// Token (all lower case, so MTAs that change the case of local parts cannot break it):
//   per recipient  <messageId>-<rcptHash>-<mac>   (the preferred form: one envelope per recipient)
//   per message    <messageId>-<mac>              (for a copy sent to several recipients in one transaction; the
//                                                  receiver then matches the recipients the report names)
//   messageId  the service's message id ([0-9a-z], 26 characters for ids from newMessageId)
//   rcptHash   8 hex digits of HMAC-SHA256(verpSecret, "rcpt:" + lowercased recipient): the receiver compares it with
//              the message's recipients; keyed so the address cannot be confirmed by someone guessing it
//   mac        16 hex digits (64 bits) of HMAC-SHA256(verpSecret, "r:<messageId>-<rcptHash>" or "m:<messageId>"),
//              checked in constant time
// With a 26-character id the local part is "bounces+" + 26 + 1 + 8 + 1 + 16 = 60 characters (RFC 5321 limit: 64).
import crypto from 'node:crypto';
import { deriveKey } from '../secrets.js';
import { normalizeAddress } from '../domain/mime/address.js';

const PREFIX = 'bounces+';
const HASH_HEX = 8;
const MAC_HEX = 16;
const MAX_LOCAL_PART = 64;

/** The VERP key, derived from the relay master secret (RELAY_MASTER_SECRET) so no extra secret has to be managed. */
export function deriveVerpSecret(masterSecret: string): string {
  return deriveKey(masterSecret, 'verp-v1').toString('base64url');
}

/** The recipient's hash as it appears in tokens; the receiver computes it for each recipient of the message. */
export function verpRecipientHash(recipient: string, secret: string): string {
  return crypto
    .createHmac('sha256', secret)
    .update(`rcpt:${normalizeAddress(recipient)}`)
    .digest('hex')
    .slice(0, HASH_HEX);
}

function mac(messageId: string, recipientHash: string | undefined, secret: string): string {
  const input = recipientHash === undefined ? `m:${messageId}` : `r:${messageId}-${recipientHash}`;
  return crypto.createHmac('sha256', secret).update(input).digest('hex').slice(0, MAC_HEX);
}

/**
 * The envelope sender for one recipient's copy of a message (or, without `recipient`, for a copy to several
 * recipients). Throws if the id cannot fit in a local part.
 */
export function verpAddress(
  p: { messageId: string; recipient?: string },
  secret: string,
  bounceDomain: string,
): string {
  const { messageId } = p;
  if (!/^[0-9a-z]+$/.test(messageId)) throw new Error(`message id not usable in a VERP address: ${p.messageId}`);
  const hash = p.recipient === undefined ? undefined : verpRecipientHash(p.recipient, secret);
  const local = `${PREFIX}${messageId}-${hash === undefined ? '' : `${hash}-`}${mac(messageId, hash, secret)}`;
  if (local.length > MAX_LOCAL_PART)
    throw new Error(`VERP local part would be ${local.length} characters (max ${MAX_LOCAL_PART})`);
  return `${local}@${bounceDomain.toLowerCase()}`;
}

/** recipientHash is undefined for a per-message address; returnPath is set for an address under rp.<domain>. */
export interface VerpToken {
  messageId: string;
  recipientHash?: string;
  returnPath?: string;
}

/**
 * A customer's return path `rp.<domain>` (a CNAME to BOUNCE_DOMAIN, so its bounces reach the same receiver) may carry
 * VERP addresses too; whether that domain's return path verified is for the receiver to check (a database lookup).
 */
export const isReturnPathCandidate = (domain: string): boolean => domain.startsWith('rp.') && domain.length > 3;

/**
 * Reads a VERP address back: undefined unless it is `bounces+<token>@<domain>` (case-insensitive) with a valid MAC,
 * where the domain is `bounceDomain` or one `domains` accepts. It says which message, which recipient hash and which
 * domain; whether they exist is for the caller to check.
 */
export function parseVerp(
  address: string,
  secret: string,
  bounceDomain: string,
  domains: (domain: string) => boolean = () => false,
): VerpToken | undefined {
  const a = address.trim().replace(/^<|>$/g, '').toLowerCase();
  const at = a.lastIndexOf('@');
  const domain = a.slice(at + 1);
  if (at < 0 || (domain !== bounceDomain.toLowerCase() && !domains(domain))) return undefined;
  const m = /^bounces\+([0-9a-z]+)-(?:([0-9a-f]{8})-)?([0-9a-f]{16})$/.exec(a.slice(0, at));
  if (!m) return undefined;
  const [, messageId, recipientHash, given] = m as unknown as [string, string, string | undefined, string];
  const expected = Buffer.from(mac(messageId, recipientHash, secret), 'ascii');
  if (!crypto.timingSafeEqual(expected, Buffer.from(given, 'ascii'))) return undefined;
  return {
    messageId,
    ...(recipientHash === undefined ? {} : { recipientHash }),
    ...(domain === bounceDomain.toLowerCase() ? {} : { returnPath: domain }),
  };
}
