import crypto from 'node:crypto';
import { deriveKey } from '../secrets.js';

// Tracking tokens: self-contained, opaque and authenticated, so a link needs no database row and a forged or
// altered token is recognised without one.
//
//   token   = base64url( tag[16] || AES-256-CTR(encKey, iv = tag, payload) )
//   tag     = HMAC-SHA256(macKey, payload) truncated to 16 bytes (128 bits)
//   payload = version 0x01 || kind ('o' | 'c') || field*                  (tokens without an issue time)
//           | version 0x02 || kind || issuedAt || field*                  (issuedAt: uint32 big-endian, Unix seconds)
//   field   = uint16 big-endian length || UTF-8 bytes; fields: messageId, recipient, and for clicks the URL
//   macKey  = HMAC-SHA256(trackingSecret, "mac"), encKey = HMAC-SHA256(trackingSecret, "enc"),
//   trackingSecret = HMAC-SHA256(masterSecret, "tracking-token-v1")
//
// The tag doubles as a synthetic IV (the SIV construction): tokens are deterministic (the same link for the same
// recipient gives the same token) and encryption keeps the recipient's address and the URL out of the link.
// Verification decrypts, recomputes the tag over the plaintext and compares in constant time; any change to any
// byte fails and the caller answers 404.
//
// The issue time bounds how long a token records engagement (TRACKING_TOKEN_TTL). To keep tokens deterministic it
// is a fixed time of the message (its acceptance), not the clock at signing; version-1 tokens carry none and are
// aged by the message's acceptance time instead.

interface TokenCommon {
  messageId: string;
  recipient: string;
  /** Whole seconds; absent = a version-1 token. */
  issuedAt?: Date;
}
export type TrackingToken = (TokenCommon & { kind: 'open' }) | (TokenCommon & { kind: 'click'; url: string });

const versionPlain = 1;
const versionTimed = 2;
const tagBytes = 16;
/** Links longer than this are left untracked, so tracking URLs stay within what every client handles. */
export const maxTrackedUrlLength = 2000;

export interface TrackingKeys {
  mac: Buffer;
  enc: Buffer;
}

/** Derives the token keys from the relay master secret (the same string the API and the worker both hold). */
export function trackingKeys(masterSecret: string): TrackingKeys {
  const secret = deriveKey(masterSecret, 'tracking-token-v1');
  return { mac: deriveKey(secret, 'mac'), enc: deriveKey(secret, 'enc') };
}

function field(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  if (b.length > 0xffff) throw new Error('token field too long');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length);
  return Buffer.concat([len, b]);
}

export function signToken(keys: TrackingKeys, t: TrackingToken): string {
  const fields = [field(t.messageId), field(t.recipient)];
  if (t.kind === 'click') fields.push(field(t.url));
  const kind = t.kind === 'open' ? 0x6f : 0x63;
  let head = Buffer.from([versionPlain, kind]);
  if (t.issuedAt !== undefined) {
    const seconds = Math.floor(t.issuedAt.getTime() / 1000);
    if (!(seconds >= 0 && seconds <= 0xffffffff)) throw new Error('token issue time out of range');
    head = Buffer.alloc(6);
    head[0] = versionTimed;
    head[1] = kind;
    head.writeUInt32BE(seconds, 2);
  }
  const payload = Buffer.concat([head, ...fields]);
  const tag = crypto.createHmac('sha256', keys.mac).update(payload).digest().subarray(0, tagBytes);
  const cipher = crypto.createCipheriv('aes-256-ctr', keys.enc, tag);
  return Buffer.concat([tag, cipher.update(payload), cipher.final()]).toString('base64url');
}

/** The token's content, or undefined when it is malformed, forged or altered. */
export function verifyToken(keys: TrackingKeys, token: string): TrackingToken | undefined {
  if (!/^[A-Za-z0-9_-]{24,8000}$/.test(token)) return undefined;
  const raw = Buffer.from(token, 'base64url');
  if (raw.toString('base64url') !== token || raw.length < tagBytes + 2) return undefined; // one spelling per token
  const tag = raw.subarray(0, tagBytes);
  const decipher = crypto.createDecipheriv('aes-256-ctr', keys.enc, tag);
  const payload = Buffer.concat([decipher.update(raw.subarray(tagBytes)), decipher.final()]);
  const expected = crypto.createHmac('sha256', keys.mac).update(payload).digest().subarray(0, tagBytes);
  if (!crypto.timingSafeEqual(tag, expected)) return undefined;
  // Authentic from here on: it was built by signToken, so the layout holds; still parse defensively.
  if (payload[0] !== versionPlain && payload[0] !== versionTimed) return undefined;
  const kind = payload[1] === 0x6f ? 'open' : payload[1] === 0x63 ? 'click' : undefined;
  if (!kind) return undefined;
  let pos = 2;
  let issued: { issuedAt: Date } | Record<string, never> = {};
  if (payload[0] === versionTimed) {
    if (payload.length < 6) return undefined;
    issued = { issuedAt: new Date(payload.readUInt32BE(2) * 1000) };
    pos = 6;
  }
  const fields: string[] = [];
  while (pos < payload.length) {
    if (pos + 2 > payload.length) return undefined;
    const len = payload.readUInt16BE(pos);
    if (pos + 2 + len > payload.length) return undefined;
    fields.push(payload.subarray(pos + 2, pos + 2 + len).toString('utf8'));
    pos += 2 + len;
  }
  const [messageId, recipient, url] = fields;
  if (messageId === undefined || recipient === undefined) return undefined;
  if (kind === 'open') return fields.length === 2 ? { kind, messageId, recipient, ...issued } : undefined;
  return fields.length === 3 && url !== undefined ? { kind, messageId, recipient, url, ...issued } : undefined;
}
