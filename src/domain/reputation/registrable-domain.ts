import { parseIp } from '../network/cidr.js';

// The registrable domain of a host name (what a domain blocklist lists), without the full Public Suffix List: the last
// two labels, or three under a common two-level public suffix (co.uk, com.au, ...). Good enough for relay HELO names,
// which are hosts of the operator's own domains.

const twoLevelSuffixes = new Set([
  'co.uk',
  'org.uk',
  'ac.uk',
  'gov.uk',
  'me.uk',
  'net.uk',
  'com.au',
  'net.au',
  'org.au',
  'co.nz',
  'org.nz',
  'co.jp',
  'ne.jp',
  'or.jp',
  'co.za',
  'com.br',
  'net.br',
  'com.cn',
  'net.cn',
  'com.mx',
  'co.in',
  'net.in',
  'com.sg',
  'com.tr',
  'co.kr',
  'com.ar',
  'co.il',
  'com.hk',
  'com.tw',
]);

/** `mx1.out.example.co.uk` → `example.co.uk`; undefined for an IP literal, a single label or a bare public suffix. */
export function registrableDomain(host: string): string | undefined {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^\[|\]$/g, '');
  if (name === '' || parseIp(name)) return undefined;
  const labels = name.split('.');
  if (labels.length < 2 || labels.some((l) => l === '')) return undefined;
  const keep = twoLevelSuffixes.has(labels.slice(-2).join('.')) ? 3 : 2;
  return labels.length < keep ? undefined : labels.slice(-keep).join('.');
}
