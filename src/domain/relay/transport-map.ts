// A Postfix-style transport map: which host receives mail for a domain, overriding MX. Written as
// "example.com=10.0.0.5:25,*.example.org=mx,*=127.0.0.1:2525". Precedence is fixed and explicit: the exact domain,
// then the most specific wildcard, then "*"; the match names its pattern so a routing log can say why.

export type TransportTarget = { kind: 'mx' } | { kind: 'host'; host: string; port: number };
export interface TransportRule {
  pattern: string;
  target: TransportTarget;
}

const DOMAIN = /^(?:\*|(?:\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)$/;

function parseTarget(text: string, entry: string): TransportTarget {
  if (text.toLowerCase() === 'mx') return { kind: 'mx' };
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(text);
  const host = m?.[1] ?? m?.[2];
  const port = m?.[3] === undefined ? 25 : Number(m[3]);
  if (!host || port < 1 || port > 65535)
    throw new Error(`transport map entry "${entry}": target must be host:port, [ipv6]:port or mx`);
  return { kind: 'host', host, port };
}

export function parseTransportMap(text: string | undefined): TransportRule[] {
  if (!text) return [];
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const eq = entry.indexOf('=');
      const pattern = entry.slice(0, eq).trim().toLowerCase();
      if (eq < 0 || !DOMAIN.test(pattern))
        throw new Error(`transport map entry "${entry}": expected pattern=target with pattern a domain, *.domain or *`);
      return { pattern, target: parseTarget(entry.slice(eq + 1).trim(), entry) };
    });
}

/** The rule for a recipient domain, or undefined when none matches (then MX decides). */
export function lookupTransport(rules: readonly TransportRule[], domain: string): TransportRule | undefined {
  const d = domain.toLowerCase().replace(/\.$/, '');
  const exact = rules.find((r) => r.pattern === d);
  if (exact) return exact;
  const wildcards = rules
    .filter((r) => r.pattern.startsWith('*.') && d.endsWith(r.pattern.slice(1)))
    .sort((a, b) => b.pattern.length - a.pattern.length);
  return wildcards[0] ?? rules.find((r) => r.pattern === '*');
}
