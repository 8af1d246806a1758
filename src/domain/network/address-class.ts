// Is an IP address one that an outbound connection made on a customer's behalf (a webhook POST, an SMTP delivery to
// an MX host) may reach? "internal" = anything that is not globally routable unicast: loopback, private ranges,
// link-local (cloud metadata at 169.254.169.254), CGNAT, unspecified, multicast, broadcast, reserved and
// documentation ranges, and IPv6 forms that embed such an IPv4 address (IPv4-mapped/-compatible, NAT64, 6to4,
// Teredo). Pure: the parser is written here (no node:net), linear in the input and bounded in length.
//
// IPv4 is parsed in every spelling inet_aton() and the WHATWG URL parser accept, because that is what a resolver or
// connect() may turn a string into: 1 to 4 parts, each decimal, 0x-hex or 0-octal, the last one filling the
// remaining bytes (2130706433, 0x7f000001, 0177.0.0.1, 127.1 are all 127.0.0.1), and one trailing dot.

export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cgnat'
  | 'unspecified'
  | 'this-network'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'documentation'
  | 'benchmark';

/** How an IPv6 address carries an IPv4 one whose class it takes. */
export type Embedding = 'ipv4-mapped' | 'ipv4-translated' | 'ipv4-compatible' | 'nat64' | '6to4' | 'teredo';

export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

export interface AddressClassification {
  scope: 'public' | 'internal';
  kind: AddressKind;
  family: 4 | 6;
  /** Canonical text (dotted quad, RFC 5952 IPv6). */
  address: string;
  /** Set when the class comes from an IPv4 address embedded in this IPv6 one. */
  embedded?: { via: Embedding; ipv4: string };
}

/** Longer text is no address (the longest IPv6 text with a zone is far below this). */
const MAX_TEXT = 100;
const MAX_ZONE = 32;

const DEC = /^(?:0|[1-9][0-9]*)$/;
const OCT = /^0[0-7]+$/;
const HEX = /^0[xX][0-9a-fA-F]*$/;

function parseV4Part(p: string): number | undefined {
  if (p.length === 0 || p.length > 34) return undefined; // 0x + 32 hex digits is already far past 2^32
  if (HEX.test(p)) return p.length === 2 ? 0 : parseInt(p.slice(2), 16);
  if (OCT.test(p)) return parseInt(p.slice(1), 8);
  if (DEC.test(p)) return parseInt(p, 10);
  return undefined;
}

/** IPv4 in any inet_aton/WHATWG spelling, as a 32-bit value; undefined when the text is not one. */
export function parseIpv4(text: string): bigint | undefined {
  if (text.length === 0 || text.length > MAX_TEXT) return undefined;
  const s = text.endsWith('.') ? text.slice(0, -1) : text;
  const parts = s.split('.');
  if (parts.length > 4) return undefined;
  const nums: number[] = [];
  for (const p of parts) {
    const n = parseV4Part(p);
    if (n === undefined) return undefined;
    nums.push(n);
  }
  const last = nums.length - 1;
  let value = 0n;
  for (let i = 0; i < last; i++) {
    if ((nums[i] as number) > 255) return undefined;
    value = (value << 8n) | BigInt(nums[i] as number);
  }
  const restBytes = 4 - last; // the last part fills every byte not yet given
  const tail = nums[last] as number;
  if (tail >= 2 ** (8 * restBytes)) return undefined;
  return (value << BigInt(8 * restBytes)) | BigInt(tail);
}

/** Strict dotted quad (decimal, no leading zeros), as allowed at the end of an IPv6 address and in CIDR lists. */
export function parseDottedQuad(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const p of parts) {
    if (!/^(?:0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

/** IPv6 text (RFC 4291 §2.2), optionally in brackets and with a zone ("fe80::1%eth0"); a 128-bit value. */
export function parseIpv6(text: string): bigint | undefined {
  if (text.length === 0 || text.length > MAX_TEXT) return undefined;
  let s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = s.indexOf('%');
  if (zone >= 0) {
    if (!/^[A-Za-z0-9_.-]+$/.test(s.slice(zone + 1)) || s.length - zone - 1 > MAX_ZONE) return undefined;
    s = s.slice(0, zone);
  }
  if (!s.includes(':')) return undefined;
  let words: number[] = [];
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  let v4Words: number[] = [];
  if (tail.includes('.')) {
    const v4 = parseDottedQuad(tail);
    if (v4 === undefined) return undefined;
    v4Words = [Number(v4 >> 16n), Number(v4 & 0xffffn)];
    s = s.slice(0, lastColon + 1);
    if (s.endsWith(':') && !s.endsWith('::')) s = s.slice(0, -1); // "a:b:1.2.3.4" → "a:b" + the two words
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const group = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = group(halves[0] as string);
  const rest = halves.length === 2 ? group(halves[1] as string) : [];
  if (!head || !rest) return undefined;
  const given = head.length + rest.length + v4Words.length;
  if (halves.length === 1) {
    if (given !== 8) return undefined;
    words = [...head, ...v4Words];
  } else {
    if (given > 7) return undefined; // "::" stands for at least one zero word
    words = [...head, ...Array<number>(8 - given).fill(0), ...rest, ...v4Words];
  }
  let value = 0n;
  for (const w of words) value = (value << 16n) | BigInt(w);
  return value;
}

/** An IP address in any accepted spelling (IPv4 forms first, then IPv6 with or without brackets). */
export function parseIpAddress(text: string): IpAddress | undefined {
  const t = text.trim();
  const v4 = parseIpv4(t);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = parseIpv6(t);
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

export function formatIpAddress(a: IpAddress): string {
  if (a.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((a.value >> s) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((a.value >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1,
    bestLen = 0; // the longest run of two or more zero words is written "::" (RFC 5952)
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

type Range = readonly [network: bigint, prefix: number, kind: AddressKind];

const v4 = (a: number, b: number, c: number, d: number): bigint => BigInt(((a << 24) >>> 0) + (b << 16) + (c << 8) + d);

/** Special-purpose IPv4 ranges (IANA registry), most specific first. Everything else is public. */
const V4_RANGES: readonly Range[] = [
  [v4(0, 0, 0, 0), 32, 'unspecified'],
  [v4(255, 255, 255, 255), 32, 'broadcast'],
  [v4(0, 0, 0, 0), 8, 'this-network'],
  [v4(10, 0, 0, 0), 8, 'private'],
  [v4(100, 64, 0, 0), 10, 'cgnat'],
  [v4(127, 0, 0, 0), 8, 'loopback'],
  [v4(169, 254, 0, 0), 16, 'link-local'],
  [v4(172, 16, 0, 0), 12, 'private'],
  [v4(192, 0, 0, 0), 24, 'reserved'], // IETF protocol assignments
  [v4(192, 0, 2, 0), 24, 'documentation'],
  [v4(192, 88, 99, 0), 24, 'reserved'], // former 6to4 relay anycast
  [v4(192, 168, 0, 0), 16, 'private'],
  [v4(198, 18, 0, 0), 15, 'benchmark'],
  [v4(198, 51, 100, 0), 24, 'documentation'],
  [v4(203, 0, 113, 0), 24, 'documentation'],
  [v4(224, 0, 0, 0), 4, 'multicast'],
  [v4(240, 0, 0, 0), 4, 'reserved'],
];

const w6 = (...words: number[]): bigint =>
  words.reduce((acc, w) => (acc << 16n) | BigInt(w), 0n) << BigInt(16 * (8 - words.length));

/** IPv6 ranges that are internal by themselves (embeddings are handled before these). */
const V6_RANGES: readonly Range[] = [
  [0n, 128, 'unspecified'],
  [1n, 128, 'loopback'],
  [w6(0x64, 0xff9b, 1), 48, 'reserved'], // local-use NAT64 (RFC 8215)
  [w6(0x100), 64, 'reserved'], // discard-only
  [w6(0x2001, 0xdb8), 32, 'documentation'],
  [w6(0x2001, 0x10), 28, 'reserved'], // ORCHID
  [w6(0x2001, 0x20), 28, 'reserved'], // ORCHIDv2
  [w6(0x3fff), 20, 'documentation'],
  [w6(0xfc00), 7, 'private'], // unique local
  [w6(0xfe80), 10, 'link-local'],
  [w6(0xfec0), 10, 'private'], // site-local (deprecated)
  [w6(0xff00), 8, 'multicast'],
];

const inRange = (value: bigint, bits: number, [network, prefix]: Range): boolean =>
  value >> BigInt(bits - prefix) === network >> BigInt(bits - prefix);

function kindOf(value: bigint, bits: number, ranges: readonly Range[]): AddressKind | undefined {
  return ranges.find((r) => inRange(value, bits, r))?.[2];
}

const V4_MASK = 0xffffffffn;

/** The IPv4 address an IPv6 one stands for, when it is one of the embedding forms. */
function embeddedIpv4(v: bigint): { via: Embedding; value: bigint } | undefined {
  const high96 = v >> 32n;
  if (high96 === 0xffffn) return { via: 'ipv4-mapped', value: v & V4_MASK };
  if (high96 === 0xffff0000n) return { via: 'ipv4-translated', value: v & V4_MASK }; // ::ffff:0:a.b.c.d (SIIT)
  if (high96 === 0n && v > 1n) return { via: 'ipv4-compatible', value: v & V4_MASK };
  if (high96 === w6(0x64, 0xff9b) >> 32n) return { via: 'nat64', value: v & V4_MASK };
  if (v >> 112n === 0x2002n) return { via: '6to4', value: (v >> 80n) & V4_MASK };
  if (v >> 96n === 0x20010000n) return { via: 'teredo', value: ~v & V4_MASK }; // the client address, bits inverted
  return undefined;
}

/** Classifies a parsed address. */
export function classifyIp(a: IpAddress): AddressClassification {
  const address = formatIpAddress(a);
  if (a.family === 4) {
    const kind = kindOf(a.value, 32, V4_RANGES) ?? 'public';
    return { scope: kind === 'public' ? 'public' : 'internal', kind, family: 4, address };
  }
  const own = kindOf(a.value, 128, V6_RANGES.slice(0, 2)); // :: and ::1 are not embeddings
  if (own) return { scope: 'internal', kind: own, family: 6, address };
  const emb = embeddedIpv4(a.value);
  if (emb) {
    const inner = classifyIp({ family: 4, value: emb.value });
    return {
      scope: inner.scope,
      kind: inner.kind,
      family: 6,
      address,
      embedded: { via: emb.via, ipv4: inner.address },
    };
  }
  // Only 2000::/3 is allocated as global unicast; every other block is reserved (or listed above).
  const kind = kindOf(a.value, 128, V6_RANGES) ?? (a.value >> 125n === 1n ? 'public' : 'reserved');
  return { scope: kind === 'public' ? 'public' : 'internal', kind, family: 6, address };
}

/** Classifies address text in any spelling; undefined when it is not an IP address (callers treat that as refused). */
export function classifyAddress(text: string): AddressClassification | undefined {
  const a = parseIpAddress(text);
  return a ? classifyIp(a) : undefined;
}

/** True unless the text is an IP address in a public range: the fail-closed question a connection guard asks. */
export function isInternalAddress(text: string): boolean {
  return classifyAddress(text)?.scope !== 'public';
}
