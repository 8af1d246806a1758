import { parseIp } from '../network/cidr.js';

// Blocklist lookups as pure logic: the DNS name to query for an IP or a domain, and what the
// zone's answer means. Operators answer 127.0.0.x codes with zone-specific meanings, and some answer "query refused /
// over limit" codes that must never be read as a listing.

export type LookupKind = 'ip' | 'domain';

/** 192.0.2.5 → 5.2.0.192.<zone>; IPv6 → 32 reversed nibbles (RFC 5782); a domain → <domain>.<zone>. */
export function blocklistQueryName(subject: string, zone: string, kind: LookupKind): string {
  if (kind === 'domain') return `${subject.toLowerCase().replace(/\.$/, '')}.${zone}`;
  const ip = parseIp(subject);
  if (!ip) throw new Error(`not an IP address: ${subject}`);
  if (ip.family === 4) return `${[0n, 8n, 16n, 24n].map((s) => String((ip.value >> s) & 255n)).join('.')}.${zone}`;
  const hex = ip.value.toString(16).padStart(32, '0');
  return `${[...hex].reverse().join('.')}.${zone}`;
}

interface ZoneCodes {
  /** Answer → meaning of a listing. */
  listed: Record<string, string>;
  /** Answers that mean the query was refused or rate-limited: an error, not a listing. */
  errors: Record<string, string>;
  /** URIBL-style zones answer a bitmask in the last octet. */
  bitmask?: Record<number, string>;
}

const spamhausErrors = {
  '127.255.255.252': 'typing error in the DNSBL name',
  '127.255.255.254': 'query via a public/open resolver (refused)',
  '127.255.255.255': 'excessive number of queries (rate limited)',
};

/** What each well-known zone's answers mean. Zones not listed here: any 127.0.0.x except errors = listed. */
export const zoneCodes: Record<string, ZoneCodes> = {
  'zen.spamhaus.org': {
    listed: {
      '127.0.0.2': 'SBL: Spamhaus spam source',
      '127.0.0.3': 'SBL CSS: snowshoe spam',
      '127.0.0.4': 'XBL: exploited host',
      '127.0.0.5': 'XBL: exploited host',
      '127.0.0.6': 'XBL: exploited host',
      '127.0.0.7': 'XBL: exploited host',
      '127.0.0.9': 'DROP: hijacked network',
      '127.0.0.10': 'PBL: ISP policy (dynamic range)',
      '127.0.0.11': 'PBL: Spamhaus policy',
    },
    errors: spamhausErrors,
  },
  'dbl.spamhaus.org': {
    listed: {
      '127.0.1.2': 'spam domain',
      '127.0.1.4': 'phishing domain',
      '127.0.1.5': 'malware domain',
      '127.0.1.6': 'botnet C&C domain',
      '127.0.1.102': 'abused legit spam',
      '127.0.1.103': 'abused legit spammed redirector',
      '127.0.1.104': 'abused legit phish',
      '127.0.1.105': 'abused legit malware',
      '127.0.1.106': 'abused legit botnet C&C',
    },
    errors: { ...spamhausErrors, '127.0.1.255': 'IP queries are not allowed in a domain blocklist' },
  },
  'b.barracudacentral.org': { listed: { '127.0.0.2': 'Barracuda reputation: poor' }, errors: {} },
  'bl.spamcop.net': { listed: { '127.0.0.2': 'SpamCop: reported spam source' }, errors: {} },
  'multi.uribl.com': {
    listed: {},
    errors: { '127.0.0.1': 'query refused (public resolver or over the free limit)' },
    bitmask: { 2: 'URIBL black', 4: 'URIBL grey', 8: 'URIBL red' },
  },
};

export type DnsOutcome =
  | { kind: 'answer'; addresses: string[]; txt?: string[] }
  | { kind: 'nxdomain' }
  | { kind: 'timeout' }
  | { kind: 'servfail' }
  | { kind: 'error'; message: string };

export type BlocklistVerdict =
  | { status: 'listed'; codes: string[]; meanings: string[]; txt: string[] }
  | { status: 'clean' }
  | { status: 'unknown'; why: string }
  | { status: 'refused'; codes: string[]; why: string };

/**
 * NXDOMAIN = not listed; timeout/SERVFAIL = unknown (never "listed"); an operator's refusal code = refused (an ops
 * warning, not a listing); a 127.0.0.0/8 answer with a known meaning = listed.
 */
export function interpretBlocklistAnswer(zone: string, outcome: DnsOutcome): BlocklistVerdict {
  switch (outcome.kind) {
    case 'nxdomain':
      return { status: 'clean' };
    case 'timeout':
      return { status: 'unknown', why: 'lookup timed out' };
    case 'servfail':
      return { status: 'unknown', why: 'resolver answered SERVFAIL' };
    case 'error':
      return { status: 'unknown', why: outcome.message };
    case 'answer':
      break;
  }
  const table = zoneCodes[zone.toLowerCase()];
  const refused = outcome.addresses.filter((a) => table?.errors[a] !== undefined || /^127\.255\.255\./.test(a));
  if (refused.length > 0) {
    return {
      status: 'refused',
      codes: refused,
      why: refused.map((a) => table?.errors[a] ?? 'operator error code').join('; '),
    };
  }
  const meanings: string[] = [];
  const codes: string[] = [];
  for (const a of outcome.addresses) {
    if (!/^127\.\d+\.\d+\.\d+$/.test(a)) continue; // answers outside 127/8 are not blocklist codes (wildcard DNS, hijacked resolvers)
    if (table?.bitmask) {
      const last = Number(a.split('.')[3]);
      const bits = Object.entries(table.bitmask)
        .filter(([bit]) => (last & Number(bit)) !== 0)
        .map(([, m]) => m);
      if (bits.length > 0) {
        codes.push(a);
        meanings.push(...bits);
      }
    } else if (table) {
      if (table.listed[a]) {
        codes.push(a);
        meanings.push(table.listed[a]);
      }
    } else {
      codes.push(a);
      meanings.push(`listed (${a})`);
    }
  }
  if (codes.length === 0) return { status: 'clean' };
  return { status: 'listed', codes, meanings, txt: outcome.txt ?? [] };
}
