import { normalizeAddress, sameAddress } from './address.js';

export type RecipientKind = 'to' | 'cc' | 'bcc';

/**
 * Classifies envelope recipients: listed in To → to, in Cc → cc, otherwise bcc (an envelope recipient absent from
 * the visible headers is by definition a blind copy).
 */
export function classifyRecipients(
  envelope: readonly string[],
  headers: { to: readonly string[]; cc: readonly string[] },
): Array<{ address: string; kind: RecipientKind }> {
  const seen = new Set<string>();
  const out: Array<{ address: string; kind: RecipientKind }> = [];
  for (const address of envelope) {
    const key = normalizeAddress(address);
    if (seen.has(key)) continue;
    seen.add(key);
    const kind: RecipientKind = headers.to.some((a) => sameAddress(a, address))
      ? 'to'
      : headers.cc.some((a) => sameAddress(a, address))
        ? 'cc'
        : 'bcc';
    out.push({ address, kind });
  }
  return out;
}
