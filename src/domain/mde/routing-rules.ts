import { fnv1a } from './select-relay.js';
import { domainOf } from '../mime/address.js';

// The Mail Distribution Engine's routing rules (issue 3), as pure functions of the rules, groups and IPs loaded
// elsewhere: first matching rule by priority → pool → weighted, stable choice among usable IPs → an explanation.

export type IpState = 'active' | 'standby' | 'quarantined' | 'retired';

export interface RuleMatch {
  accountId?: string;
  /** Exact domain, `*.example.com` (subdomains), or `group:<name>`. */
  senderDomain?: string;
  recipientDomain?: string;
  tag?: string;
  priority?: string;
}

export interface RoutingRule { id: string; priority: number; version: number; match: RuleMatch; pool: string }
export interface DomainGroup { name: string; domains: string[] }
export interface IpCandidate { ip: string; pool: string; relayId: string; state: IpState; weight: number; relayHealthy: boolean }

export interface RoutingRequest {
  messageId: string;
  accountId: string;
  mailFrom: string;
  recipients: readonly string[];
  tags?: readonly string[];
  priority?: string;
}

export interface RouteDecision {
  recipients: string[];
  recipientDomain: string;
  /** null = no rule matched and the default pool was used. */
  ruleId: string | null;
  ruleVersion: number | null;
  pool: string;
  ip: string | null;
  relayId: string | null;
  rejected: Array<{ ip: string; why: string }>;
  why: string;
}

export const DEFAULT_POOL = 'default';

function domainMatches(pattern: string, domain: string, groups: ReadonlyMap<string, readonly string[]>): boolean {
  const d = domain.toLowerCase();
  const p = pattern.toLowerCase();
  if (p.startsWith('group:')) return (groups.get(p.slice(6)) ?? []).some((g) => g.toLowerCase() === d);
  if (p.startsWith('*.')) return d.endsWith(p.slice(1));
  return d === p;
}

/** Which criteria of a rule fail for this (message, recipient domain); empty = the rule matches. */
export function ruleMismatches(rule: RoutingRule, req: RoutingRequest, recipientDomain: string, groups: ReadonlyMap<string, readonly string[]>): string[] {
  const m = rule.match;
  const out: string[] = [];
  if (m.accountId !== undefined && m.accountId !== req.accountId) out.push('accountId');
  if (m.senderDomain !== undefined && !domainMatches(m.senderDomain, domainOf(req.mailFrom) ?? '', groups)) out.push('senderDomain');
  if (m.recipientDomain !== undefined && !domainMatches(m.recipientDomain, recipientDomain, groups)) out.push('recipientDomain');
  if (m.tag !== undefined && !(req.tags ?? []).some((t) => t.toLowerCase() === m.tag!.toLowerCase())) out.push('tag');
  if (m.priority !== undefined && (req.priority ?? '').toLowerCase() !== m.priority.toLowerCase()) out.push('priority');
  return out;
}

/** Evaluation order: lower priority number first; ties by id so the order never depends on load order. */
export function orderRules(rules: readonly RoutingRule[]): RoutingRule[] {
  return [...rules].sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Why a rule cannot be saved (empty = valid): unknown pool or group, malformed patterns, empty values. */
export function validateRule(rule: Omit<RoutingRule, 'id' | 'version'>, pools: ReadonlySet<string>, groups: ReadonlyMap<string, readonly string[]>): string[] {
  const errors: string[] = [];
  // An empty match is allowed: it is the catch-all (default) rule, placed last by its priority.
  if (!Number.isInteger(rule.priority) || rule.priority < 0 || rule.priority > 2_147_483_647) errors.push('priority must be an integer from 0 to 2147483647');
  if (!pools.has(rule.pool)) errors.push(`pool "${rule.pool}" does not exist`);
  for (const key of ['accountId', 'tag', 'priority'] as const) {
    if (rule.match[key] !== undefined && rule.match[key].trim() === '') errors.push(`${key}: must not be empty`);
  }
  for (const key of ['senderDomain', 'recipientDomain'] as const) {
    const p = rule.match[key];
    if (p === undefined) continue;
    if (p.startsWith('group:')) {
      if (!groups.has(p.slice(6).toLowerCase())) errors.push(`${key}: group "${p.slice(6)}" does not exist`);
    } else if (!/^(\*\.)?([a-z0-9-]+\.)+[a-z0-9-]+$/i.test(p)) {
      errors.push(`${key}: "${p}" is not a domain, *.domain or group:<name>`);
    }
  }
  return errors;
}

/** FNV-1a alone spreads near-identical keys poorly; murmur3's finaliser mixes all bits into a uniform value. */
function uniformHash(text: string): number {
  let h = fnv1a(text);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** Weighted rendezvous hashing: each IP wins in proportion to its weight, and the same key always picks the same IP. */
function pickWeighted(key: string, ips: readonly IpCandidate[]): IpCandidate | undefined {
  let best: IpCandidate | undefined;
  let bestScore = -Infinity;
  for (const ip of ips) {
    const u = (uniformHash(`${key}|${ip.ip}`) + 0.5) / 4294967296;
    const score = ip.weight / -Math.log(u);
    if (score > bestScore) { best = ip; bestScore = score; }
  }
  return best;
}

function usability(ip: IpCandidate, exclude: readonly string[]): string | undefined {
  if (ip.state !== 'active') return `state is ${ip.state}`;
  if (!ip.relayHealthy) return `relay ${ip.relayId} is unhealthy`;
  if (ip.weight <= 0) return 'weight is 0';
  if (exclude.includes(ip.ip)) return 'already failed for this message';
  return undefined;
}

/**
 * Routes every recipient domain of a message: first matching rule → pool → a usable IP chosen stably per
 * (message, recipient domain). Recipients whose domains end on the same IP form one part.
 */
export function routeRecipients(
  req: RoutingRequest,
  rules: readonly RoutingRule[],
  groups: readonly DomainGroup[],
  ips: readonly IpCandidate[],
  excludeIps: readonly string[] = [],
): RouteDecision[] {
  const groupMap = new Map(groups.map((g) => [g.name.toLowerCase(), g.domains]));
  const ordered = orderRules(rules);
  const byDomain = new Map<string, string[]>();
  for (const r of req.recipients) {
    const d = domainOf(r) ?? '';
    byDomain.set(d, [...(byDomain.get(d) ?? []), r]);
  }
  const decisions: RouteDecision[] = [];
  for (const [domain, recipients] of byDomain) {
    const rule = ordered.find((r) => ruleMismatches(r, req, domain, groupMap).length === 0);
    const pool = rule?.pool ?? DEFAULT_POOL;
    const rejected: Array<{ ip: string; why: string }> = [];
    const usable: IpCandidate[] = [];
    for (const ip of ips.filter((i) => i.pool === pool)) {
      const why = usability(ip, excludeIps);
      if (why) rejected.push({ ip: ip.ip, why }); else usable.push(ip);
    }
    const chosen = pickWeighted(`${req.messageId}|${domain}`, usable);
    decisions.push({
      recipients,
      recipientDomain: domain,
      ruleId: rule?.id ?? null,
      ruleVersion: rule?.version ?? null,
      pool,
      ip: chosen?.ip ?? null,
      relayId: chosen?.relayId ?? null,
      rejected,
      why: `${rule ? `rule ${rule.id} (priority ${rule.priority})` : 'no rule matched: default pool'} → pool ${pool}: ${chosen ? `${chosen.ip} by weighted choice among ${usable.length} usable IP(s)` : 'no usable IP'}`,
    });
  }
  return mergeSameTarget(decisions);
}

/** One delivery part per (pool, IP): recipients of several domains that land on one IP travel together. */
function mergeSameTarget(decisions: RouteDecision[]): RouteDecision[] {
  const out: RouteDecision[] = [];
  for (const d of decisions) {
    const same = d.ip ? out.find((o) => o.ip === d.ip && o.pool === d.pool && o.ruleId === d.ruleId) : undefined;
    if (same) {
      same.recipients.push(...d.recipients);
      same.recipientDomain = `${same.recipientDomain},${d.recipientDomain}`;
    } else {
      out.push({ ...d, recipients: [...d.recipients] });
    }
  }
  return out;
}
