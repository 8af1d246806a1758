import { Resolver } from 'node:dns/promises';
import type { DnsOutcome } from '../domain/reputation/dnsbl.js';

// Blocklist lookups over DNS: an A query (the listing codes) and, when listed, a TXT query (the operator's reason).
// DNS_RESOLVER (host:port) points node's resolver at one server; unset = the system's resolvers.

export interface BlocklistResolver {
  lookup(name: string): Promise<DnsOutcome>;
}

const codeOf = (err: unknown): string => (err as { code?: string }).code ?? '';

function outcomeOfError(err: unknown): DnsOutcome {
  switch (codeOf(err)) {
    case 'ENOTFOUND': // NXDOMAIN
    case 'ENODATA': // the name exists without an A record: no listing code either
      return { kind: 'nxdomain' };
    case 'ETIMEOUT':
      return { kind: 'timeout' };
    case 'ESERVFAIL':
      return { kind: 'servfail' };
    default:
      return {
        kind: 'error',
        message: `${codeOf(err) || 'error'}: ${err instanceof Error ? err.message : String(err)}`,
      };
  }
}

/** `resolver` as host:port, [v6]:port or host; `timeoutMs` per try, one try (an unanswered lookup is "unknown"). */
export function createBlocklistResolver(o: { resolver?: string; timeoutMs: number }): BlocklistResolver {
  const resolver = new Resolver({ timeout: o.timeoutMs, tries: 1 });
  if (o.resolver) resolver.setServers([o.resolver]);
  return {
    async lookup(name) {
      let addresses: string[];
      try {
        addresses = await resolver.resolve4(name);
      } catch (err) {
        return outcomeOfError(err);
      }
      let txt: string[] = [];
      try {
        txt = (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
      } catch {
        // The reason is a courtesy: a listing without TXT is still a listing.
      }
      return { kind: 'answer', addresses, txt };
    },
  };
}
