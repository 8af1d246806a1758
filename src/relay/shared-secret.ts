import crypto from 'node:crypto';

/** Constant-time comparison; hashing first makes both sides the same length, so the length does not leak either. */
export function secretMatches(given: string, secret: string): boolean {
  const h = (s: string): Buffer => crypto.createHash('sha256').update(s, 'utf8').digest();
  return crypto.timingSafeEqual(h(given), h(secret));
}
