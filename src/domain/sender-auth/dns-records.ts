// The DNS records a customer publishes for a sender domain, and how what DNS answers compares with them. Pure: the
// lookups are made elsewhere (src/sender-auth/dns-check.ts) and handed in as answers.

export type RecordPurpose = 'ownership' | 'dkim' | 'spf' | 'return-path' | 'dmarc';

export interface ExpectedRecord {
  host: string;
  type: 'TXT' | 'CNAME';
  value: string;
  purpose: RecordPurpose;
  /** DKIM only: the key's selector. */
  selector?: string;
}

/** The ownership TXT record's value starts with this; the rest is the domain's random token. */
export const OWNERSHIP_PREFIX = 'smtp-relay-verification=';
/** The name the ownership token is published under, so it does not crowd the domain's own TXT records. */
export const ownershipHost = (domain: string): string => `_smtp-relay.${domain}`;
/** The return-path name: the VERP envelope sender is under it once it points at BOUNCE_DOMAIN. */
export const returnPathHost = (domain: string): string => `rp.${domain}`;
export const dkimHost = (selector: string, domain: string): string => `${selector}._domainkey.${domain}`;

export interface RecordSettings {
  /** SPF_INCLUDE_DOMAIN: the service's SPF record, which lists the relays' source addresses. */
  spfIncludeDomain: string;
  bounceDomain: string;
}

export interface DomainKeys {
  ownershipToken: string;
  /** Keys still published (signing, pending or in their rotation overlap): public key as base64 SPKI DER. */
  dkim: Array<{ selector: string; publicKey: string }>;
}

/** The records to publish for `domain`, in the order a customer adds them. */
export function expectedRecords(domain: string, keys: DomainKeys, s: RecordSettings): ExpectedRecord[] {
  return [
    {
      host: ownershipHost(domain),
      type: 'TXT',
      value: `${OWNERSHIP_PREFIX}${keys.ownershipToken}`,
      purpose: 'ownership',
    },
    ...keys.dkim.map((k): ExpectedRecord => ({
      host: dkimHost(k.selector, domain),
      type: 'TXT',
      value: `v=DKIM1; k=rsa; p=${k.publicKey}`,
      purpose: 'dkim',
      selector: k.selector,
    })),
    { host: domain, type: 'TXT', value: `v=spf1 include:${s.spfIncludeDomain} ~all`, purpose: 'spf' },
    { host: returnPathHost(domain), type: 'CNAME', value: s.bounceDomain, purpose: 'return-path' },
    // A starter policy that only asks for reports: p=none never costs a delivery while the customer checks alignment.
    { host: `_dmarc.${domain}`, type: 'TXT', value: 'v=DMARC1; p=none', purpose: 'dmarc' },
  ];
}

/** What a lookup of one name and type answered: the values, no such name/record, or no answer at all. */
export type DnsAnswer = { kind: 'values'; values: string[] } | { kind: 'none' } | { kind: 'unknown'; why: string };

export type RecordStatus = 'ok' | 'missing' | 'wrong' | 'unknown';

export interface RecordCheck extends ExpectedRecord {
  status: RecordStatus;
  /** The value DNS gave that was compared (the closest one when wrong); absent when missing. */
  found?: string;
}

/** Longest value compared and shown (a 4096-bit DKIM key record is about 750 characters). */
const MAX_VALUE = 2048;
const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();
const bareName = (s: string): string => s.trim().toLowerCase().replace(/\.$/, '');

/** Tags of a `k=v; k=v` record (DKIM key records), names lower-cased, whitespace inside values removed. */
export function parseTagList(record: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of record.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    tags.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).replace(/\s+/g, ''));
  }
  return tags;
}

/**
 * Compares one expected record with the answer for its name. TXT names hold several records, so each purpose picks
 * the records that are its own: the ownership token, a DKIM key (compared by its p= key), an SPF record (must carry
 * the include), a DMARC record (any policy is the customer's choice). A lookup that got no answer is `unknown`, never
 * `missing`: a DNS outage must not read as a customer's mistake.
 */
export function compareRecord(expected: ExpectedRecord, answer: DnsAnswer): RecordCheck {
  if (answer.kind === 'unknown') return { ...expected, status: 'unknown' };
  // DNS answers are outside input: each value is cut to a size no genuine record of these kinds reaches.
  const values = answer.kind === 'values' ? answer.values.map((v) => squash(v.slice(0, MAX_VALUE))) : [];
  const result = (status: RecordStatus, found?: string): RecordCheck =>
    found === undefined ? { ...expected, status } : { ...expected, status, found };
  switch (expected.purpose) {
    case 'return-path': {
      const found = values[0];
      if (found === undefined) return result('missing');
      return result(bareName(found) === bareName(expected.value) ? 'ok' : 'wrong', bareName(found));
    }
    case 'ownership': {
      if (values.includes(expected.value)) return result('ok', expected.value);
      const other = values.find((v) => v.startsWith(OWNERSHIP_PREFIX));
      return other === undefined ? result('missing') : result('wrong', other);
    }
    case 'dkim': {
      const want = parseTagList(expected.value).get('p');
      const keys = values.filter((v) => parseTagList(v).has('p'));
      const hit = keys.find((v) => parseTagList(v).get('p') === want);
      if (hit !== undefined) return result('ok', hit);
      const other = keys[0] ?? values[0];
      return other === undefined ? result('missing') : result('wrong', other);
    }
    case 'spf': {
      const spf = values.filter((v) => /^v=spf1(\s|$)/i.test(v));
      if (spf.length === 0) return result('missing');
      // More than one SPF record is a permanent error for every receiver (RFC 7208 4.5), whatever they say.
      if (spf.length > 1) return result('wrong', spf.join(' | '));
      const include = `include:${expected.value.split('include:')[1]?.split(' ')[0] ?? ''}`.toLowerCase();
      const found = spf[0] as string;
      return result(found.toLowerCase().split(' ').includes(include) ? 'ok' : 'wrong', found);
    }
    case 'dmarc': {
      const dmarc = values.find((v) => /^v=DMARC1(\s*;|$)/i.test(v));
      if (dmarc !== undefined) return result('ok', dmarc);
      return values[0] === undefined ? result('missing') : result('wrong', values[0]);
    }
  }
}
