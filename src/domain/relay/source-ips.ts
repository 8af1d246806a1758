// A relay's source addresses, compared in one canonical spelling so "2001:DB8::1" from the MDE matches "2001:db8:0::1"
// in the relay's configuration, and the queue stores one spelling per address.

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** The canonical text of an IPv4 or IPv6 address, or undefined when `text` is not one. */
export function canonicalIp(text: string): string | undefined {
  const s = text.trim();
  if (IPV4.test(s)) return s;
  if (!s.includes(':') || !/^[0-9A-Fa-f:.]+$/.test(s)) return undefined;
  try {
    // The WHATWG URL parser implements RFC 5952's compressed lowercase form (and rejects malformed addresses).
    return new URL(`http://[${s}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
}

/** The default address first, then the others, each once. Throws on anything that is not an IP address. */
export function hostedSourceIps(defaultIp: string, others: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const ip of [defaultIp, ...others]) {
    const c = canonicalIp(ip);
    if (c === undefined) throw new Error(`source address "${ip}" is not an IP address`);
    if (!out.includes(c)) out.push(c);
  }
  return out;
}
