// IPv4/IPv6 addresses and CIDR ranges as bigints, so acceptance lists, trust zones and IP credentials can be matched
// in pure code (no node:net) and overlap between two ranges can be detected.

export interface Cidr {
  family: 4 | 6;
  /** Network address (host bits cleared). */
  network: bigint;
  prefix: number;
  /** Canonical text, e.g. "10.0.0.0/8" or "2001:db8::/32". */
  text: string;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || (part.length > 1 && part.startsWith('0'))) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let s = text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  // An embedded IPv4 tail ("::ffff:1.2.3.4") becomes two hextets.
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.') && lastColon >= 0) {
    const v4 = parseIpv4(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  return value;
}

const V4_MAPPED_PREFIX = 0xffffn << 32n;

/** Parses an IP address. IPv4-mapped IPv6 ("::ffff:127.0.0.1", as Node reports dual-stack peers) becomes IPv4. */
export function parseIp(text: string): { family: 4 | 6; value: bigint } | undefined {
  const v4 = parseIpv4(text.trim());
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = parseIpv6(text.trim());
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { family: 4, value: v6 - V4_MAPPED_PREFIX };
  return { family: 6, value: v6 };
}

function formatIp(family: 4 | 6, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  // Compress the longest run of zero groups (RFC 5952).
  let best = -1,
    bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** Normalises an address for storage and display (IPv4-mapped IPv6 → IPv4). */
export function normalizeIp(text: string): string | undefined {
  const ip = parseIp(text);
  return ip ? formatIp(ip.family, ip.value) : undefined;
}

/** Parses "10.0.0.0/8", "2001:db8::/32" or a bare address (a /32 or /128). Host bits must be zero. */
export function parseCidr(text: string): Cidr | { error: string } {
  const [addr, prefixText, extra] = text.trim().split('/');
  if (addr === undefined || extra !== undefined) return { error: `"${text}" is not an address or CIDR range` };
  const ip = parseIp(addr);
  if (!ip) return { error: `"${addr}" is not an IPv4 or IPv6 address` };
  const bits = ip.family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= bits)) return { error: `prefix length must be 0..${bits}` };
  const mask = prefixMask(bits, prefix);
  if ((ip.value & ~mask & ((1n << BigInt(bits)) - 1n)) !== 0n) {
    return { error: `"${text}" has host bits set; did you mean ${formatIp(ip.family, ip.value & mask)}/${prefix}?` };
  }
  return { family: ip.family, network: ip.value, prefix, text: `${formatIp(ip.family, ip.value)}/${prefix}` };
}

function prefixMask(bits: number, prefix: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return prefix === 0 ? 0n : (all >> BigInt(bits - prefix)) << BigInt(bits - prefix);
}

export function cidrContains(cidr: Cidr, ipText: string): boolean {
  const ip = parseIp(ipText);
  if (!ip || ip.family !== cidr.family) return false;
  const mask = prefixMask(cidr.family === 4 ? 32 : 128, cidr.prefix);
  return (ip.value & mask) === cidr.network;
}

/** Two ranges overlap when one contains the other's network address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  const bits = a.family === 4 ? 32 : 128;
  const shorter = Math.min(a.prefix, b.prefix);
  const mask = prefixMask(bits, shorter);
  return (a.network & mask) === (b.network & mask);
}

/** Matches an address against a list of CIDR texts; returns the first range that contains it. */
export function findContainingCidr(cidrs: readonly string[], ipText: string): string | undefined {
  for (const text of cidrs) {
    const c = parseCidr(text);
    if (!('error' in c) && cidrContains(c, ipText)) return c.text;
  }
  return undefined;
}
