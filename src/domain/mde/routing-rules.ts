import { fnv1a } from './stable-hash.js';
import { domainOf } from '../mime/address.js';

// The Mail Distribution Engine's routing rules, as pure functions of the rules, groups and IPs loaded
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

export interface RoutingRule {
  id: string;
  priority: number;
  version: number;
  match: RuleMatch;
  pool: string;
  /**
   * The accounts entitled to the rule's pool (the pool's restriction, joined in by the snapshot loader); absent or
   * empty = the pool is open to every account. For any other account the rule does not match.
   */
  poolAccounts?: readonly string[];
}
export interface DomainGroup {
  name: string;
  domains: string[];
}
export interface IpCandidate {
  ip: string;
  pool: string;
  relayId: string;
  state: IpState;
  weight: number;
  relayHealthy: boolean;
}

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
  /** Rules that matched the message but were passed over, in evaluation order, with the reason. */
  skipped: SkippedRule[];
  why: string;
}

export interface SkippedRule {
  ruleId: string;
  pool: string;
  why: string;
}

export const DEFAULT_POOL = 'default';

/** Evaluation order: lower priority number first; ties by id so the order never depends on load order. */
export function orderRules(rules: readonly RoutingRule[]): RoutingRule[] {
  return [...rules].sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

// A rule set prepared once for many decisions: ordered, patterns lowercased, groups as sets. Routers hand the same
// rules array to every decision until the configuration changes, so the preparation is cached by array identity.
type DomainTest = (domainLower: string) => boolean;
interface CompiledRule {
  rule: RoutingRule;
  account?: string;
  sender?: DomainTest;
  recipient?: DomainTest;
  tag?: string;
  priority?: string;
  /** undefined = the pool is open to all accounts. */
  entitled?: ReadonlySet<string>;
}
const compiledCache = new WeakMap<readonly RoutingRule[], WeakMap<readonly DomainGroup[], CompiledRule[]>>();

function domainTest(pattern: string, groups: ReadonlyMap<string, ReadonlySet<string>>): DomainTest {
  const p = pattern.toLowerCase();
  if (p.startsWith('group:')) {
    const members = groups.get(p.slice(6)) ?? new Set<string>();
    return (d) => members.has(d);
  }
  if (p.startsWith('*.')) {
    const suffix = p.slice(1);
    return (d) => d.endsWith(suffix);
  }
  return (d) => d === p;
}

function compileRules(rules: readonly RoutingRule[], groups: readonly DomainGroup[]): CompiledRule[] {
  let byGroups = compiledCache.get(rules);
  const hit = byGroups?.get(groups);
  if (hit) return hit;
  const groupSets = new Map(groups.map((g) => [g.name.toLowerCase(), new Set(g.domains.map((d) => d.toLowerCase()))]));
  const compiled = orderRules(rules).map((rule): CompiledRule => {
    const m = rule.match;
    return {
      rule,
      ...(m.accountId !== undefined ? { account: m.accountId } : {}),
      ...(m.senderDomain !== undefined ? { sender: domainTest(m.senderDomain, groupSets) } : {}),
      ...(m.recipientDomain !== undefined ? { recipient: domainTest(m.recipientDomain, groupSets) } : {}),
      ...(m.tag !== undefined ? { tag: m.tag.toLowerCase() } : {}),
      ...(m.priority !== undefined ? { priority: m.priority.toLowerCase() } : {}),
      ...(rule.poolAccounts && rule.poolAccounts.length > 0 ? { entitled: new Set(rule.poolAccounts) } : {}),
    };
  });
  if (!byGroups) compiledCache.set(rules, (byGroups = new WeakMap()));
  byGroups.set(groups, compiled);
  return compiled;
}

/**
 * The first matching rule, checking the cheapest criteria first and stopping at the first mismatch. A rule whose
 * pool is reserved for other accounts does not match; when its criteria matched otherwise it is listed in `skipped`,
 * so the decision can say why the message did not go there.
 */
function firstMatch(
  compiled: readonly CompiledRule[],
  req: RoutingRequest,
  recipientDomain: string,
  skipped: SkippedRule[],
): RoutingRule | undefined {
  const sender = (domainOf(req.mailFrom) ?? '').toLowerCase();
  const recipient = recipientDomain.toLowerCase();
  const tags = new Set((req.tags ?? []).map((t) => t.toLowerCase()));
  const priority = (req.priority ?? '').toLowerCase();
  for (const c of compiled) {
    if (c.account !== undefined && c.account !== req.accountId) continue;
    if (c.priority !== undefined && c.priority !== priority) continue;
    if (c.tag !== undefined && !tags.has(c.tag)) continue;
    if (c.recipient && !c.recipient(recipient)) continue;
    if (c.sender && !c.sender(sender)) continue;
    if (c.entitled && !c.entitled.has(req.accountId)) {
      skipped.push({ ruleId: c.rule.id, pool: c.rule.pool, why: `pool ${c.rule.pool} is reserved for other accounts` });
      continue;
    }
    return c.rule;
  }
  return undefined;
}

/** Why a rule cannot be saved (empty = valid): unknown pool or group, malformed patterns, empty values. */
export function validateRule(
  rule: Omit<RoutingRule, 'id' | 'version'>,
  pools: ReadonlySet<string>,
  groups: ReadonlyMap<string, readonly string[]>,
): string[] {
  const errors: string[] = [];
  // An empty match is allowed: it is the catch-all (default) rule, placed last by its priority.
  if (!Number.isInteger(rule.priority) || rule.priority < 0 || rule.priority > 2_147_483_647)
    errors.push('priority must be an integer from 0 to 2147483647');
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
    if (score > bestScore) {
      best = ip;
      bestScore = score;
    }
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
  const compiled = compileRules(rules, groups);
  const byDomain = new Map<string, string[]>();
  for (const r of req.recipients) {
    const d = domainOf(r) ?? '';
    byDomain.set(d, [...(byDomain.get(d) ?? []), r]);
  }
  const decisions: RouteDecision[] = [];
  for (const [domain, recipients] of byDomain) {
    const skipped: SkippedRule[] = [];
    const rule = firstMatch(compiled, req, domain, skipped);
    const pool = rule?.pool ?? DEFAULT_POOL;
    const rejected: Array<{ ip: string; why: string }> = [];
    const usable: IpCandidate[] = [];
    for (const ip of ips.filter((i) => i.pool === pool)) {
      const why = usability(ip, excludeIps);
      if (why) rejected.push({ ip: ip.ip, why });
      else usable.push(ip);
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
      skipped,
      why: `${skipped.map((s) => `rule ${s.ruleId} skipped: ${s.why}; `).join('')}${rule ? `rule ${rule.id} (priority ${rule.priority})` : 'no rule matched: default pool'} → pool ${pool}: ${chosen ? `${chosen.ip} by weighted choice among ${usable.length} usable IP(s)` : 'no usable IP'}`,
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
      for (const k of d.skipped) if (!same.skipped.some((x) => x.ruleId === k.ruleId)) same.skipped.push(k);
    } else {
      out.push({ ...d, recipients: [...d.recipients], skipped: [...d.skipped] });
    }
  }
  return out;
}
