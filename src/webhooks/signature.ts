import crypto from 'node:crypto';

// `X-Relay-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` (Stripe's scheme): the
// timestamp is signed with the body, so a receiver can refuse replays older than its tolerance.

export const SIGNATURE_HEADER = 'X-Relay-Signature';

export function signatureHeader(secret: string, rawBody: string, unixSeconds: number): string {
  const v1 = crypto.createHmac('sha256', secret).update(`${unixSeconds}.${rawBody}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

/** What a receiver does: recompute and compare in constant time, and check the timestamp is recent. */
export function verifySignature(
  secret: string,
  header: string,
  rawBody: string,
  o: { nowSeconds: number; toleranceSeconds?: number },
): boolean {
  const parts = new Map(
    header.split(',').map((p) => {
      const eq = p.indexOf('=');
      return [p.slice(0, eq).trim(), p.slice(eq + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || Math.abs(o.nowSeconds - t) > (o.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signatureHeader(secret, rawBody, t).split('v1=')[1] ?? '', 'hex');
  const given = Buffer.from(v1, 'hex');
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}
