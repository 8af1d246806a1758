import { Resolver } from 'node:dns/promises';
import type { DnsAnswer } from '../domain/sender-auth/dns-records.js';

// The lookups of a sender domain check, through DNS_RESOLVER: TXT records (chunks joined, as RFC 7208 and 6376 read
// them) and CNAME targets. "No such name" and "no record of this type" are `none`; anything else is `unknown`.

export type RecordLookup = (host: string, type: 'TXT' | 'CNAME') => Promise<DnsAnswer>;

export function createRecordLookup(o: { resolver?: string; timeoutMs: number }): RecordLookup {
  const resolver = new Resolver({ timeout: o.timeoutMs, tries: 2 });
  if (o.resolver) resolver.setServers([o.resolver]);
  return async (host, type) => {
    try {
      const values =
        type === 'TXT'
          ? (await resolver.resolveTxt(host)).map((chunks) => chunks.join(''))
          : await resolver.resolveCname(host);
      return { kind: 'values', values };
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'error';
      if (code === 'ENOTFOUND' || code === 'ENODATA') return { kind: 'none' };
      return { kind: 'unknown', why: code };
    }
  };
}
