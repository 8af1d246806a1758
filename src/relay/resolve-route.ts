import crypto from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { classifyIp, parseIpAddress, type AddressClassification } from '../domain/network/address-class.js';
import { relayLocalFailures } from '../domain/relay/relay-replies.js';
import { lookupTransport, type TransportRule } from '../domain/relay/transport-map.js';
import { localFailure, type ParsedReply } from '../domain/relay/smtp-reply-parse.js';

// Where mail for a domain goes: the transport map first (Postfix-style override), else the domain's MX hosts by
// preference, else (no MX) the domain itself (RFC 5321 §5.1 implicit MX). The route names the rule that chose it.
// Hosts of equal preference are spread by a hash of the message id and host (RFC 5321 §5.1 asks for spreading), so
// a retry of the same message tries them in the same order.
//
// Hosts found through DNS are resolved here, and only their public addresses are kept: mail never goes to a loopback,
// private or link-local address because a domain's MX says so (SMTP into the relay's own network). Delivery then
// connects to exactly these addresses. A host the transport map names explicitly is trusted as written (tests and
// local setups deliver to 127.0.0.1 that way); `allowPrivate` (RELAY_ALLOW_PRIVATE, local use and tests only) keeps
// internal addresses of MX hosts too.

export interface DeliveryHost {
  host: string;
  port: number;
  /** The checked addresses to connect to, in order; absent for a transport-map host (connected to as written). */
  addresses?: string[];
}
/**
 * `mx`: the hosts came from the domain's MX records (or its implicit MX), so the domain's MTA-STS policy applies to
 * them (RFC 8461 §4); a host named by the transport map is the operator's choice and is delivered to as today.
 */
export type Route =
  { ok: true; hosts: DeliveryHost[]; via: string; mx: boolean } | { ok: false; reply: ParsedReply; via: string };
export type MxResolver = (domain: string) => Promise<Array<{ exchange: string; priority: number }>>;
/** A host's A and AAAA addresses; [] when the name has none; rejects (with a DNS error code) when the lookup fails. */
export type AddressResolver = (host: string) => Promise<string[]>;
export interface RouteDns {
  resolveMx: MxResolver;
  resolveAddresses: AddressResolver;
  /** TXT records, each as its character-strings (for `_mta-sts.<domain>`); rejects with a DNS error code. */
  resolveTxt?: (name: string) => Promise<string[][]>;
}

/** How MX routes are checked: internal addresses allowed (local use and tests only), and the SMTP port of MX hosts. */
export interface MxOptions {
  allowPrivate?: boolean;
  /** 25 in the real world; tests point MX routes at a sink's port. */
  port?: number;
}

/** MX hosts tried per attempt, and addresses per host (Postfix tries 5 addresses by default; this is generous). */
const MAX_HOSTS = 10;
const MAX_ADDRESSES_PER_HOST = 10;

const codeOf = (err: unknown): string | undefined => (err as NodeJS.ErrnoException).code;
const NO_SUCH_NAME = new Set(['ENODATA', 'ENOTFOUND']);

/** MX and address lookups through one resolver: `server` (host:port, RELAY_DNS_RESOLVER) or the system's servers. */
export function createRouteDns(o: { server?: string; timeoutMs?: number } = {}): RouteDns {
  const resolver = new Resolver({ timeout: o.timeoutMs ?? 5_000, tries: 2 });
  if (o.server) resolver.setServers([o.server]);
  return {
    resolveMx: (domain) => resolver.resolveMx(domain),
    resolveTxt: (name) => resolver.resolveTxt(name),
    async resolveAddresses(host) {
      const [a, aaaa] = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
      const found = [...(a.status === 'fulfilled' ? a.value : []), ...(aaaa.status === 'fulfilled' ? aaaa.value : [])];
      // One family failing for real (not "no such record") with nothing from the other is a failed lookup.
      const failed = [a, aaaa].find(
        (r): r is PromiseRejectedResult => r.status === 'rejected' && !NO_SUCH_NAME.has(codeOf(r.reason) ?? ''),
      );
      if (found.length === 0 && failed) throw failed.reason;
      return found;
    },
  };
}

let systemDns: RouteDns | undefined;
/** Lookups through the system's DNS servers, created once. */
export const systemRouteDns = (): RouteDns => (systemDns ??= createRouteDns());
const defaultDns = systemRouteDns;

const spread = (seed: string, host: string): string =>
  crypto.createHash('sha256').update(`${seed}\n${host}`).digest('hex');

type HostCheck = {
  host: string;
  public: AddressClassification[];
  internal: AddressClassification[];
  lookupError?: string;
};

async function checkHost(host: string, dns: RouteDns): Promise<HostCheck> {
  // An MX exchange written as an address literal ("127.0.0.1", "2130706433") is that address, in any spelling.
  const literal = parseIpAddress(host);
  let texts: string[];
  if (literal) texts = [host];
  else {
    try {
      texts = await dns.resolveAddresses(host);
    } catch (err) {
      return { host, public: [], internal: [], lookupError: codeOf(err) ?? 'error' };
    }
  }
  const out: HostCheck = { host, public: [], internal: [] };
  for (const t of texts.slice(0, MAX_ADDRESSES_PER_HOST)) {
    const a = parseIpAddress(t);
    if (!a) continue;
    const c = classifyIp(a);
    (c.scope === 'public' ? out.public : out.internal).push(c);
  }
  return out;
}

/** Keeps each host's public addresses; fails the route when no host has one, saying why. */
async function checkedHosts(
  names: string[],
  domain: string,
  via: string,
  dns: RouteDns,
  o: MxOptions = {},
): Promise<Route> {
  const checks = await Promise.all(names.slice(0, MAX_HOSTS).map((n) => checkHost(n, dns)));
  const usable = (c: HostCheck): AddressClassification[] => (o.allowPrivate ? [...c.public, ...c.internal] : c.public);
  const hosts = checks
    .filter((c) => usable(c).length > 0)
    .map((c) => ({ host: c.host, port: o.port ?? 25, addresses: usable(c).map((a) => a.address) }));
  if (hosts.length > 0) return { ok: true, hosts, via, mx: true };
  const failed = checks.find((c) => c.lookupError !== undefined);
  // A lookup that failed may yet give a public address: that is worth a retry, even next to an internal host.
  if (failed)
    return {
      ok: false,
      reply: localFailure(
        `Address lookup for mail host ${failed.host} of ${domain} failed: ${failed.lookupError}`,
        '4.4.3',
      ),
      via,
    };
  const internal = checks.find((c) => c.internal.length > 0);
  if (internal) {
    const f = relayLocalFailures.nonPublicMx;
    return { ok: false, reply: localFailure(`${f.text}: ${internal.host} (${domain})`, f.enhanced), via };
  }
  return { ok: false, reply: localFailure(`No address for the mail hosts of ${domain}`, '4.4.4'), via };
}

export async function resolveRoute(
  domain: string,
  rules: readonly TransportRule[],
  seed: string,
  dns: RouteDns = defaultDns(),
  mxOptions: MxOptions = {},
): Promise<Route> {
  const rule = lookupTransport(rules, domain);
  if (rule?.target.kind === 'host')
    return {
      ok: true,
      hosts: [{ host: rule.target.host, port: rule.target.port }],
      via: `transport:${rule.pattern}`,
      mx: false,
    };
  const via = rule ? `transport:${rule.pattern}:mx` : 'mx';
  let mx: Array<{ exchange: string; priority: number }>;
  try {
    mx = (await dns.resolveMx(domain)).sort(
      (a, b) => a.priority - b.priority || spread(seed, a.exchange).localeCompare(spread(seed, b.exchange)),
    );
  } catch (err) {
    const code = codeOf(err);
    if (code === 'ENODATA') return checkedHosts([domain], domain, `${via}:implicit`, dns, mxOptions);
    // NXDOMAIN is an answer (the domain does not exist); anything else is the resolver failing, worth a retry.
    if (code === 'ENOTFOUND')
      return {
        ok: false,
        reply: localFailure(`Host or domain name not found: ${domain} (MX lookup: ${code})`, '5.1.2'),
        via,
      };
    return { ok: false, reply: localFailure(`MX lookup for ${domain} failed: ${code ?? String(err)}`, '4.4.3'), via };
  }
  if (mx.length === 0) return checkedHosts([domain], domain, `${via}:implicit`, dns, mxOptions);
  if (mx.length === 1 && (mx[0]?.exchange === '' || mx[0]?.exchange === '.')) {
    return { ok: false, reply: localFailure(`Domain ${domain} does not accept mail (null MX)`, '5.1.10'), via };
  }
  return checkedHosts(
    mx.map((r) => r.exchange),
    domain,
    via,
    dns,
    mxOptions,
  );
}
