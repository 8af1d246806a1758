// IPv4/IPv6 addresses and CIDR ranges as bigints, so acceptance lists, trust zones and IP credentials can be matched
// in pure code (no node:net) and overlap between two ranges can be detected. Addresses are parsed and written by
// address-class.ts, in the strict spellings only: a dotted quad without leading zeros, or bare IPv6 text.
import { formatIpAddress, parseDottedQuad, parseIpv6 } from './address-class.js';

export interface Cidr {
  family: 4 | 6;
  /** Network address (host bits cleared). */
  network: bigint;
  prefix: number;
  /** Canonical text, e.g. "10.0.0.0/8" or "2001:db8::/32". */
  text: string;
}

const V4_MAPPED_PREFIX = 0xffffn << 32n;

/** Parses an IP address. IPv4-mapped IPv6 ("::ffff:127.0.0.1", as Node reports dual-stack peers) becomes IPv4. */
export function parseIp(text: string): { family: 4 | 6; value: bigint } | undefined {
  const t = text.trim();
  const v4 = parseDottedQuad(t);
  if (v4 !== undefined) return { family: 4, value: v4 };
  if (t.startsWith('[')) return undefined; // URL brackets are not an address spelling in lists and credentials
  const v6 = parseIpv6(t);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { family: 4, value: v6 - V4_MAPPED_PREFIX };
  return { family: 6, value: v6 };
}

const formatIp = (family: 4 | 6, value: bigint): string => formatIpAddress({ family, value });

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
