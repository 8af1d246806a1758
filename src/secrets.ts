import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

// SMTP passwords: scrypt with a per-password salt (they are typed by people and may be weak).
// N=2^14 keeps one verification around 30-50 ms: bearable per SMTP session, costly for an attacker.
const N = 16384,
  r = 8,
  p = 1,
  KEYLEN = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password, salt, KEYLEN, { N, r, p });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, rr, pp, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !rr || !pp || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(rr),
    p: Number(pp),
  });
  return crypto.timingSafeEqual(actual, expected);
}

// API keys are 256-bit random strings, so a plain SHA-256 is enough (no dictionary to attack) and allows lookup by hash.
export function hashApiKey(key: string): string {
  return crypto.createHash('sha256').update(key).digest('hex');
}

export function newSecret(prefix: string): string {
  return `${prefix}${crypto.randomBytes(32).toString('base64url')}`;
}

/**
 * A key for one purpose, derived from the master secret (HMAC-SHA256 keyed by it over a purpose label), so that relay
 * credentials, VERP MACs and tracking tokens need no secret of their own and none of them reveals another.
 */
export function deriveKey(masterSecret: string | Buffer, purpose: string): Buffer {
  return crypto.createHmac('sha256', masterSecret).update(purpose).digest();
}

/** Relay credentials are derived from one master secret, so the central database stores no relay password. */
export function deriveRelaySecret(masterSecret: string, relayId: string): string {
  return deriveKey(masterSecret, `relay:${relayId}`).toString('base64url');
}
