import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  orderRules,
  routeRecipients,
  validateRule,
  type IpCandidate,
  type RoutingRule,
} from '../../src/domain/mde/routing-rules.js';

const groups = [{ name: 'gmail', domains: ['gmail.com', 'googlemail.com'] }];
const ip = (ipText: string, pool: string, extra: Partial<IpCandidate> = {}): IpCandidate => ({
  ip: ipText,
  pool,
  relayId: `relay-${ipText.split('.').pop()}`,
  state: 'active',
  weight: 1,
  relayHealthy: true,
  ...extra,
});
const ips = [
  ip('127.0.0.2', 'default'),
  ip('127.0.0.3', 'otp'),
  ip('127.0.0.4', 'otp'),
  ip('127.0.0.5', 'transactional'),
];
const rules: RoutingRule[] = [
  { id: 'r-gmail', priority: 10, version: 1, match: { recipientDomain: 'group:gmail' }, pool: 'otp' },
  { id: 'r-acme', priority: 20, version: 3, match: { accountId: 'acc_acme' }, pool: 'transactional' },
  { id: 'r-bulk', priority: 5, version: 1, match: { tag: 'newsletter', priority: 'bulk' }, pool: 'default' },
];
const req = (over: Partial<Parameters<typeof routeRecipients>[0]> = {}) => ({
  messageId: 'm1',
  accountId: 'acc_acme',
  mailFrom: 'billing@acme.test',
  recipients: ['a@gmail.com', 'b@googlemail.com', 'c@corp.test'],
  ...over,
});

test('first matching rule in priority order wins; a group matches all its domains; the rest falls through', () => {
  const routes = routeRecipients(req(), rules, groups, ips);
  // Both gmail domains go to the otp pool (each domain may land on either otp IP).
  const gmail = routes.filter((r) => r.ruleId === 'r-gmail');
  assert.deepEqual(gmail.flatMap((r) => r.recipients).sort(), ['a@gmail.com', 'b@googlemail.com']);
  assert.ok(gmail.every((r) => r.pool === 'otp' && ['127.0.0.3', '127.0.0.4'].includes(r.ip ?? '')));
  const corp = routes.find((r) => r.recipients.includes('c@corp.test'))!;
  assert.equal(corp.ruleId, 'r-acme');
  assert.equal(corp.ruleVersion, 3);
  assert.equal(corp.ip, '127.0.0.5');
  assert.match(corp.why, /rule r-acme/);
  // Every recipient is routed exactly once.
  assert.deepEqual(routes.flatMap((r) => r.recipients).sort(), ['a@gmail.com', 'b@googlemail.com', 'c@corp.test']);
});

test('no rule matches → the default pool, recorded as such', () => {
  const [route] = routeRecipients(req({ accountId: 'acc_other', recipients: ['x@corp.test'] }), rules, groups, ips);
  assert.equal(route!.ruleId, null);
  assert.equal(route!.pool, 'default');
  assert.equal(route!.ip, '127.0.0.2');
});

test('tag and priority criteria must both match', () => {
  assert.equal(
    routeRecipients(req({ tags: ['Newsletter'], priority: 'bulk' }), rules, groups, ips)[0]!.ruleId,
    'r-bulk',
  );
  assert.notEqual(
    routeRecipients(
      req({ tags: ['newsletter'], priority: 'high', recipients: ['c@corp.test'] }),
      rules,
      groups,
      ips,
    )[0]!.ruleId,
    'r-bulk',
  );
});

test('only active IPs on healthy relays are chosen; the others are listed with the reason', () => {
  const pool = [
    ip('10.0.0.1', 'otp', { state: 'quarantined' }),
    ip('10.0.0.2', 'otp', { relayHealthy: false }),
    ip('10.0.0.3', 'otp', { state: 'standby' }),
    ip('10.0.0.4', 'otp'),
  ];
  const [route] = routeRecipients(req({ recipients: ['a@gmail.com'] }), rules, groups, pool);
  assert.equal(route!.ip, '10.0.0.4');
  assert.deepEqual(
    route!.rejected.map((r) => r.why),
    ['state is quarantined', 'relay relay-2 is unhealthy', 'state is standby'],
  );
  const none = routeRecipients(req({ recipients: ['a@gmail.com'] }), rules, groups, pool, ['10.0.0.4'])[0]!;
  assert.equal(none.ip, null, 'a pool without usable IP yields no IP (the message waits), never another pool');
  assert.equal(none.pool, 'otp');
});

test('the IP choice is stable per (message, domain) and follows the weights over many messages', () => {
  const pool = [ip('10.0.0.1', 'otp', { weight: 3 }), ip('10.0.0.2', 'otp', { weight: 1 })];
  const once = routeRecipients(req({ recipients: ['a@gmail.com'] }), rules, groups, pool)[0]!.ip;
  assert.equal(routeRecipients(req({ recipients: ['a@gmail.com'] }), rules, groups, [...pool].reverse())[0]!.ip, once);
  let heavy = 0;
  for (let i = 0; i < 2000; i++)
    if (
      routeRecipients(req({ messageId: `m${i}`, recipients: ['a@gmail.com'] }), rules, groups, pool)[0]!.ip ===
      '10.0.0.1'
    )
      heavy++;
  assert.ok(heavy > 1300 && heavy < 1700, `weight 3:1 should give ~75% to the heavy IP, got ${heavy / 20}%`);
});

test('validation refuses broken rules with reasons; evaluation order is total', () => {
  const pools = new Set(['default', 'otp']);
  const groupMap = new Map([['gmail', ['gmail.com']]]);
  assert.deepEqual(
    validateRule({ priority: 1, match: { recipientDomain: 'group:gmail' }, pool: 'otp' }, pools, groupMap),
    [],
  );
  assert.deepEqual(validateRule({ priority: -1, match: { tag: ' ' }, pool: 'nope' }, pools, groupMap), [
    'priority must be an integer from 0 to 2147483647',
    'pool "nope" does not exist',
    'tag: must not be empty',
  ]);
  assert.deepEqual(
    validateRule({ priority: 1000, match: {}, pool: 'default' }, pools, groupMap),
    [],
    'an empty match is the catch-all rule',
  );
  assert.match(
    validateRule({ priority: 1, match: { senderDomain: 'not a domain' }, pool: 'otp' }, pools, groupMap)[0]!,
    /not a domain/,
  );
  assert.match(
    validateRule({ priority: 1, match: { recipientDomain: 'group:yahoo' }, pool: 'otp' }, pools, groupMap)[0]!,
    /group "yahoo"/,
  );
  assert.deepEqual(
    orderRules(rules).map((r) => r.id),
    ['r-bulk', 'r-gmail', 'r-acme'],
  );
});

test('a rule whose pool is reserved for other accounts does not match: evaluation goes on and the skip is explained', () => {
  const reserved: RoutingRule[] = [
    { id: 'r-otp', priority: 5, version: 2, match: { tag: 'otp' }, pool: 'otp', poolAccounts: ['acc_a'] },
    { id: 'r-catch', priority: 100, version: 1, match: {}, pool: 'transactional' },
  ];
  const otpFor = (accountId: string) =>
    routeRecipients(req({ accountId, recipients: ['x@dest.test'], tags: ['OTP'] }), reserved, groups, ips);

  const [other] = otpFor('acc_b');
  assert.equal(other?.ruleId, 'r-catch');
  assert.equal(other?.pool, 'transactional');
  assert.equal(other?.ip, '127.0.0.5');
  assert.deepEqual(other?.skipped, [{ ruleId: 'r-otp', pool: 'otp', why: 'pool otp is reserved for other accounts' }]);
  assert.match(other?.why ?? '', /^rule r-otp skipped: pool otp is reserved for other accounts; rule r-catch/);

  const [owner] = otpFor('acc_a');
  assert.equal(owner?.ruleId, 'r-otp');
  assert.equal(owner?.pool, 'otp');
  assert.deepEqual(owner?.skipped, []);

  // A rule that would not have matched anyway is not listed as skipped.
  const [untagged] = routeRecipients(req({ accountId: 'acc_b', recipients: ['x@dest.test'] }), reserved, groups, ips);
  assert.equal(untagged?.ruleId, 'r-catch');
  assert.deepEqual(untagged?.skipped, []);

  // An empty list means open to every account.
  const open = reserved.map((r) => ({ ...r, poolAccounts: [] }));
  assert.equal(
    routeRecipients(req({ accountId: 'acc_b', recipients: ['x@dest.test'], tags: ['otp'] }), open, groups, ips)[0]
      ?.ruleId,
    'r-otp',
  );
});

test('when the only matching rule points at a reserved pool, other accounts fall back to the default pool', () => {
  const only: RoutingRule[] = [
    { id: 'r-otp', priority: 5, version: 1, match: { tag: 'otp' }, pool: 'otp', poolAccounts: ['acc_a', 'acc_c'] },
  ];
  const [d] = routeRecipients(
    req({ accountId: 'acc_b', recipients: ['x@dest.test'], tags: ['otp'] }),
    only,
    groups,
    ips,
  );
  assert.equal(d?.ruleId, null);
  assert.equal(d?.pool, 'default');
  assert.equal(d?.skipped[0]?.ruleId, 'r-otp');
  const [c] = routeRecipients(
    req({ accountId: 'acc_c', recipients: ['x@dest.test'], tags: ['otp'] }),
    only,
    groups,
    ips,
  );
  assert.equal(c?.pool, 'otp');
});
