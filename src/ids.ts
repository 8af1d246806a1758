import crypto from 'node:crypto';

const alphabet = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case: no i, l, o, u

/**
 * Message ids sort by submission time (48-bit millisecond prefix) and carry 80 random bits, so they are unguessable,
 * unique across ingress processes, and usable directly as a paging cursor.
 */
export function newMessageId(now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = alphabet[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const rand = crypto.randomBytes(10);
  let bits = '';
  for (const b of rand) bits += b.toString(2).padStart(8, '0');
  let tail = '';
  for (let i = 0; i < 80; i += 5) tail += alphabet[parseInt(bits.slice(i, i + 5), 2)];
  return time + tail;
}

/** Short random ids for admin objects, with a prefix that says what they are (acc_, key_, ...). */
export function newId(prefix: string): string {
  return `${prefix}_${crypto.randomBytes(9).toString('base64url')}`;
}
