// Generated inputs for the routing-decision benchmark (bench/routing.ts): a large rule set and IP inventory of the
// target size (1,000 rules, 200 IPs) and the minimal reference (1 catch-all rule, 2 IPs), plus one list of
// messages routed against both. Deterministic (seeded), so every run measures the same work.
import type {
  DomainGroup,
  IpCandidate,
  IpState,
  RoutingRequest,
  RoutingRule,
} from '../src/domain/mde/routing-rules.js';
import { seededRandom } from '../test/helpers/seeded-random.js';

export interface RoutingFixture {
  rules: RoutingRule[];
  groups: DomainGroup[];
  ips: IpCandidate[];
  pools: string[];
  relays: Array<{ id: string; healthy: boolean }>;
}

const pad = (n: number, w = 3): string => String(n).padStart(w, '0');
const DEFAULT = 'default';
const PRIORITIES = ['high', 'normal', 'low', 'bulk', 'otp'];

/** The kinds of rules generated, in rotation; each names the criteria it sets. */
const KINDS = [
  'account', // accountId
  'sender-exact', // senderDomain exact
  'rcpt-exact', // recipientDomain exact
  'rcpt-wildcard', // recipientDomain *.x
  'rcpt-group', // recipientDomain group:<name>
  'account+rcpt-group', // accountId + recipientDomain group
  'sender-wildcard+rcpt-exact', // senderDomain *.x + recipientDomain exact
  'tag', // tag
  'tag+priority', // tag + priority
  'account+tag+priority', // accountId + tag + priority
] as const;

export type LargeFixture = RoutingFixture;

/**
 * `ruleCount` rules (the last one a catch-all → `default`) over 40 pools, `ipCount` IPs spread over the pools and 20
 * relays (2 relays unhealthy; IPs mostly active, some standby, quarantined, retired or at weight 0), 40 domain groups
 * of 5 domains. Every rule's values are its own (rule i uses account acc-i, domain r-i.test, tag tag-i, …), so a
 * message built for rule i matches rule i and not an earlier one by accident.
 */
export function largeFixture(ruleCount = 1000, ipCount = 200, seed = 1): LargeFixture {
  const rnd = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const pools = [DEFAULT, ...Array.from({ length: 39 }, (_, i) => `pool-${pad(i, 2)}`)];
  const relays = Array.from({ length: 20 }, (_, i) => ({ id: `relay-${pad(i + 1, 2)}`, healthy: i !== 6 && i !== 12 }));
  const ips: IpCandidate[] = Array.from({ length: ipCount }, (_, k) => {
    const relay = relays[k % relays.length]!;
    const state: IpState =
      k % 20 === 3 ? 'standby' : k % 25 === 7 ? 'quarantined' : k % 40 === 11 ? 'retired' : 'active';
    return {
      ip: `10.${Math.floor(k / 250)}.${Math.floor((k % 250) / 50)}.${(k % 50) + 1}`,
      pool: pools[k % pools.length]!,
      relayId: relay.id,
      state,
      weight: k % 50 === 17 ? 0 : 50 + ((k * 37) % 150),
      relayHealthy: relay.healthy,
    };
  });
  const groups: DomainGroup[] = Array.from({ length: 40 }, (_, g) => ({
    name: `grp-${pad(g, 2)}`,
    domains: Array.from({ length: 5 }, (_, d) => `g${pad(g, 2)}-${d}.test`),
  }));
  const rules: RoutingRule[] = [];
  let priority = 100;
  for (let i = 0; i < ruleCount - 1; i++) {
    const kind = KINDS[i % KINDS.length]!;
    const id = `rule-${pad(i, 4)}`;
    const match: RoutingRule['match'] = {};
    switch (kind) {
      case 'account':
        match.accountId = `acc-${pad(i, 4)}`;
        break;
      case 'sender-exact':
        match.senderDomain = `s-${pad(i, 4)}.example`;
        break;
      case 'rcpt-exact':
        match.recipientDomain = `r-${pad(i, 4)}.test`;
        break;
      case 'rcpt-wildcard':
        match.recipientDomain = `*.w-${pad(i, 4)}.test`;
        break;
      case 'rcpt-group':
        match.recipientDomain = `group:${groups[i % groups.length]!.name}`;
        break;
      case 'account+rcpt-group':
        match.accountId = `acc-${pad(i, 4)}`;
        match.recipientDomain = `group:${pick(groups).name}`;
        break;
      case 'sender-wildcard+rcpt-exact':
        match.senderDomain = `*.s-${pad(i, 4)}.example`;
        match.recipientDomain = `r-${pad(i, 4)}.test`;
        break;
      case 'tag':
        match.tag = `tag-${pad(i, 4)}`;
        break;
      case 'tag+priority':
        match.tag = `tag-${pad(i, 4)}`;
        match.priority = pick(PRIORITIES);
        break;
      case 'account+tag+priority':
        match.accountId = `acc-${pad(i, 4)}`;
        match.tag = `tag-${pad(i, 4)}`;
        match.priority = pick(PRIORITIES);
        break;
    }
    // Mostly increasing priorities with some ties (then ordered by id), as an operator's list looks after edits.
    if (rnd() > 0.15) priority += 10;
    rules.push({
      id,
      priority,
      version: 1 + Math.floor(rnd() * 3),
      match,
      pool: pools[1 + Math.floor(rnd() * (pools.length - 1))]!,
    });
  }
  rules.push({ id: 'rule-catch-all', priority: priority + 1000, version: 1, match: {}, pool: DEFAULT });
  return { rules, groups, ips, pools, relays };
}

/** The reference: one catch-all rule to `default`, two active IPs on two healthy relays. */
export function referenceFixture(): RoutingFixture {
  return {
    rules: [{ id: 'rule-default', priority: 100, version: 1, match: {}, pool: DEFAULT }],
    groups: [],
    ips: [
      { ip: '10.0.0.1', pool: DEFAULT, relayId: 'relay-01', state: 'active', weight: 100, relayHealthy: true },
      { ip: '10.0.0.2', pool: DEFAULT, relayId: 'relay-02', state: 'active', weight: 100, relayHealthy: true },
    ],
    pools: [DEFAULT],
    relays: [
      { id: 'relay-01', healthy: true },
      { id: 'relay-02', healthy: true },
    ],
  };
}

/**
 * Messages with 1–5 recipients over 1–3 domains. Each message targets a rule drawn uniformly from the large set
 * (so the matching rule is spread over the whole list); its other recipient domains are either domains another
 * random rule matches on, or domains no rule names (they fall through to the catch-all, the longest scan).
 */
export function routingRequests(fx: LargeFixture, count: number, seed = 2): RoutingRequest[] {
  const rnd = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const specific = fx.rules.slice(0, -1);
  const groupDomains = new Map(fx.groups.map((g) => [g.name, g.domains]));
  const domainFor = (pattern: string): string => {
    if (pattern.startsWith('group:')) return pick(groupDomains.get(pattern.slice(6))!);
    if (pattern.startsWith('*.')) return `mx${Math.floor(rnd() * 9)}${pattern.slice(1)}`;
    return pattern;
  };
  const recipientRules = specific.filter(
    (r) => r.match.recipientDomain !== undefined && Object.keys(r.match).length === 1,
  );
  const out: RoutingRequest[] = [];
  for (let n = 0; n < count; n++) {
    const target = pick(specific);
    const m = target.match;
    const domains: string[] = [
      m.recipientDomain ? domainFor(m.recipientDomain) : `bg-${Math.floor(rnd() * 5000)}.test`,
    ];
    const extraDomains = Math.floor(rnd() * 3); // 0–2 more domains
    for (let d = 0; d < extraDomains; d++)
      domains.push(
        rnd() < 0.5 ? domainFor(pick(recipientRules).match.recipientDomain!) : `bg-${Math.floor(rnd() * 5000)}.test`,
      );
    const rcptCount = Math.max(domains.length, 1 + Math.floor(rnd() * 5));
    const recipients = Array.from({ length: rcptCount }, (_, r) => `user${r}.${n}@${domains[r % domains.length]}`);
    out.push({
      messageId: `bench-${pad(n, 6)}`,
      accountId: m.accountId ?? `acc-bg-${Math.floor(rnd() * 300)}`,
      mailFrom: `sender@${m.senderDomain ? domainFor(m.senderDomain) : `bg-sender-${Math.floor(rnd() * 300)}.example`}`,
      recipients,
      tags: m.tag ? [m.tag, 'other'] : rnd() < 0.3 ? ['unrelated'] : [],
      priority: m.priority ?? (rnd() < 0.5 ? pick(PRIORITIES) : undefined),
    });
  }
  return out;
}
