import crypto from 'node:crypto';
import dns from 'node:dns/promises';
import { lookupTransport, type TransportRule } from '../domain/relay/transport-map.js';
import { localFailure, type ParsedReply } from '../domain/relay/smtp-reply-parse.js';

// Where mail for a domain goes: the transport map first (Postfix-style override), else the domain's MX hosts by
// preference, else (no MX) the domain itself (RFC 5321 §5.1 implicit MX). The route names the rule that chose it.
// Hosts of equal preference are spread by a hash of the message id and host (RFC 5321 §5.1 asks for spreading), so
// a retry of the same message tries them in the same order.

export interface DeliveryHost { host: string; port: number }
export type Route = { ok: true; hosts: DeliveryHost[]; via: string } | { ok: false; reply: ParsedReply; via: string };
export type MxResolver = (domain: string) => Promise<Array<{ exchange: string; priority: number }>>;

const spread = (seed: string, host: string): string => crypto.createHash('sha256').update(`${seed}\n${host}`).digest('hex');

export async function resolveRoute(domain: string, rules: readonly TransportRule[], seed: string, resolveMx: MxResolver = dns.resolveMx): Promise<Route> {
  const rule = lookupTransport(rules, domain);
  if (rule?.target.kind === 'host') return { ok: true, hosts: [{ host: rule.target.host, port: rule.target.port }], via: `transport:${rule.pattern}` };
  const via = rule ? `transport:${rule.pattern}:mx` : 'mx';
  try {
    const mx = (await resolveMx(domain)).sort((a, b) => a.priority - b.priority || spread(seed, a.exchange).localeCompare(spread(seed, b.exchange)));
    if (mx.length === 0) return { ok: true, hosts: [{ host: domain, port: 25 }], via: `${via}:implicit` };
    if (mx.length === 1 && (mx[0]?.exchange === '' || mx[0]?.exchange === '.')) {
      return { ok: false, reply: localFailure(`Domain ${domain} does not accept mail (null MX)`, '5.1.10'), via };
    }
    return { ok: true, hosts: mx.map((r) => ({ host: r.exchange, port: 25 })), via };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENODATA') return { ok: true, hosts: [{ host: domain, port: 25 }], via: `${via}:implicit` };
    // NXDOMAIN is an answer (the domain does not exist); anything else is the resolver failing, worth a retry.
    if (code === 'ENOTFOUND') return { ok: false, reply: localFailure(`Host or domain name not found: ${domain} (MX lookup: ${code})`, '5.1.2'), via };
    return { ok: false, reply: localFailure(`MX lookup for ${domain} failed: ${code ?? String(err)}`, '4.4.3'), via };
  }
}
