import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_SUPPRESSION_POLICY,
  decideSuppression,
  failureDetail,
  suppressionEvidence,
  suppressionTier,
} from '../../../src/domain/bounces/decide-suppression.js';
import { BOUNCE_REASONS } from '../../../src/domain/bounces/reasons.js';

/** Whether the first permanent failure with this reason and reply suppresses the recipient. */
const suppressedAtFirst = (reason: string, recipient: string, diagnostic: string): boolean =>
  decideSuppression({ reason, statusClass: '5', recentFailures: 1, about: { recipient, diagnostic } }).suppress;

test('the first permanent failure suppresses only when the address itself is gone or disabled', () => {
  const cases: Array<[string, '4' | '5', number, boolean, string]> = [
    // [reason, class, failures in the window (this one included), suppress, rule]
    ['userunknown', '5', 0, true, 'first-bounce'],
    ['hostunknown', '5', 0, true, 'first-bounce'],
    ['suspend', '5', 0, true, 'first-bounce'],
    ['hasmoved', '5', 0, true, 'first-bounce'],
    ['notaccept', '5', 0, true, 'first-bounce'],
    // a temporary address failure that outlived the queue only counts
    ['userunknown', '4', 1, false, 'below-threshold'],
    ['userunknown', '4', 2, true, 'repeated'],
    // policy, content, recipient filters, full mailboxes: twice within the window
    ['policyviolation', '5', 1, false, 'below-threshold'],
    ['policyviolation', '5', 2, true, 'repeated'],
    ['spamdetected', '5', 1, false, 'below-threshold'],
    ['spamdetected', '5', 3, true, 'repeated'],
    ['filtered', '5', 1, false, 'below-threshold'],
    ['mailboxfull', '5', 2, true, 'repeated'],
    ['expired', '4', 2, true, 'repeated'],
    ['onhold', '5', 1, false, 'below-threshold'],
    // about our host or domain: never, however often
    ['blocked', '5', 5, false, 'not-address'],
    ['badreputation', '5', 5, false, 'not-address'],
    ['authfailure', '5', 5, false, 'not-address'],
    ['requireptr', '5', 5, false, 'not-address'],
    ['rejected', '5', 5, false, 'not-address'],
    ['speeding', '4', 5, false, 'not-address'],
  ];
  for (const [reason, statusClass, recentFailures, suppress, rule] of cases) {
    const d = decideSuppression({ reason, statusClass, recentFailures });
    assert.equal(d.suppress, suppress, `${reason} ${statusClass} x${recentFailures}`);
    assert.equal(d.rule, rule, `${reason} ${statusClass} x${recentFailures}`);
  }
});

test('the repeat threshold is a setting', () => {
  const policy = { ...DEFAULT_SUPPRESSION_POLICY, repeatCount: 3 };
  assert.equal(
    decideSuppression({ reason: 'policyviolation', statusClass: '5', recentFailures: 2 }, policy).suppress,
    false,
  );
  assert.equal(
    decideSuppression({ reason: 'policyviolation', statusClass: '5', recentFailures: 3 }, policy).suppress,
    true,
  );
  assert.equal(
    decideSuppression({ reason: 'userunknown', statusClass: '5', recentFailures: 0 }, policy).suppress,
    true,
  );
  const once = { ...DEFAULT_SUPPRESSION_POLICY, repeatCount: 1 };
  assert.equal(decideSuppression({ reason: 'filtered', statusClass: '5', recentFailures: 1 }, once).suppress, true);
});

test('every reason has a tier; unknown reasons count, a success never suppresses', () => {
  for (const reason of BOUNCE_REASONS) assert.ok(['address', 'repeat', 'never'].includes(suppressionTier(reason, '5')));
  assert.equal(suppressionTier('something-new', '5'), 'repeat');
  assert.equal(suppressionTier('userunknown', '2'), 'never');
  assert.equal(suppressionTier('userunknown', null), 'address');
});

test('the evidence is the reply with whitespace collapsed, bounded', () => {
  assert.equal(suppressionEvidence('550 5.1.1\n   <a@b>: user   unknown '), '550 5.1.1 <a@b>: user unknown');
  assert.equal(suppressionEvidence(''), null);
  assert.equal(suppressionEvidence(null), null);
  assert.equal(suppressionEvidence('x'.repeat(1_000_000))!.length, 500);
});

test('the detail names the reason and code, then the step and host that refused, as far as they are known', () => {
  const f = { reason: 'userunknown', code: '5.1.1' };
  assert.equal(
    failureDetail({ ...f, command: 'RCPT', remoteHost: 'mx.example.com' }),
    'userunknown 5.1.1, RCPT at mx.example.com',
  );
  assert.equal(failureDetail({ ...f, command: 'RCPT', remoteHost: null }), 'userunknown 5.1.1, RCPT');
  assert.equal(failureDetail({ ...f, remoteHost: 'mx.example.com' }), 'userunknown 5.1.1, at mx.example.com');
  assert.equal(failureDetail(f), 'userunknown 5.1.1');
  assert.equal(failureDetail({ reason: 'filtered', code: null }), 'filtered');
});

test("a missing domain that is not the recipient's only counts: a receiver checking the sender's domain is not a dead address", () => {
  const tier = (recipient: string, diagnostic: string) =>
    suppressionTier('hostunknown', '5', { recipient, diagnostic });
  // Exim's sender check: the domain named is the sender's
  assert.equal(tier('kijitora@example.net', '553 neko.example.com does not exist'), 'repeat');
  assert.equal(tier('kijitora@example.net', '553 neko.example.com doesn’t exist'), 'repeat');
  // the recipient's own domain, named or not, or one above or below it
  assert.equal(tier('ivy@dest.example', '550 5.1.2 dest.example does not exist'), 'address');
  assert.equal(
    tier('ivy@mail.dest.example', '550 5.1.2 <ivy@mail.dest.example>: dest.example does not exist'),
    'address',
  );
  assert.equal(
    tier('ivy@dest.example', 'Host or domain name not found. Name service error for name=dest.example type=MX'),
    'address',
  );
  assert.equal(tier('ivy@dest.example', 'all relevant MX records point to non-existent hosts'), 'address');
  // a dotted mailbox name is the recipient's own, not another domain
  assert.equal(tier('john.doe@example.com', '550 5.1.1 Mailbox john.doe does not exist'), 'address');
  assert.equal(tier('john.doe@example.com', "550 5.1.1 The mailbox 'john.doe' does not exist"), 'address');
  assert.equal(tier('first.last@example.com', 'user "first.last" doesn\'t exist'), 'address');
  assert.equal(suppressedAtFirst('hostunknown', 'kijitora@example.net', '553 neko.example.com does not exist'), false);
});

test("an address reason the reply's own words contradict only counts: a full mailbox or a refused sender is no dead address", () => {
  const tier = (reason: string, diagnostic: string) =>
    suppressionTier(reason, '5', { recipient: 'ivy@dest.example', diagnostic });
  // Sendmail makes up a Status from a bare reply code (551 → 5.1.6 "has moved", 550 at RCPT → 5.1.1), which the
  // notice's reason follows; the destination's words say the mailbox exists, or that the sender was refused
  assert.equal(tier('hasmoved', '551 Requested action not taken: mailbox full'), 'repeat');
  assert.equal(tier('hasmoved', "551 Sender is on domain's blacklist"), 'repeat');
  assert.equal(tier('userunknown', 'host mx.dest.example [192.0.2.1] said: 550 5.1.1 Mailbox full'), 'repeat');
  // ... also when the words are a verdict's name in CamelCase, a bare 550 at RCPT under Sendmail's made-up 5.1.1
  assert.equal(tier('userunknown', 'host mx.dest.example [192.0.2.1] said: 550 DmarcRejection'), 'repeat');
  // words that agree, or name no other cause, leave the address reason as it is
  assert.equal(
    tier('userunknown', '550 5.1.1 <ivy@dest.example>: Recipient address rejected: User unknown'),
    'address',
  );
  assert.equal(tier('userunknown', '550 <ivy@dest.example> recipient rejected'), 'address');
  assert.equal(tier('hasmoved', '551 User not local; please try <ivy@new.example>'), 'address');
  assert.equal(tier('suspend', '550 5.2.1 The email account that you tried to reach is disabled'), 'address');
  assert.equal(tier('userunknown', '550 DisabledUser'), 'address');
  assert.equal(suppressedAtFirst('hasmoved', 'ivy@dest.example', "551 Sender is on domain's blacklist"), false);
});

test("a security refusal of the session's own login never counts against the address; the recipient's TLS policy does", () => {
  const tier = (diagnostic: string) =>
    suppressionTier('securityerror', '5', { recipient: 'ivy@dest.example', diagnostic });
  assert.equal(
    tier('550 Cannot receive from specified address <s@src.example>: Unauthenticated senders not allowed'),
    'never',
  );
  assert.equal(tier('530 5.7.1 Authentication required'), 'never');
  assert.equal(tier('530 Authorization required (#5.7.1)'), 'never');
  // ... in the words the MAIL FROM check reads as the session's too
  assert.equal(tier('535 5.7.8 Error: authentication failed: authentication failure'), 'never');
  assert.equal(tier('530 5.7.1 Client was not authenticated'), 'never');
  // the recipient's side requiring an encrypted session still counts, as every other security refusal
  assert.equal(tier('450 4.7.1 Session encryption is required'), 'repeat');
  assert.equal(tier('550 5.7.1 TLS required for this domain'), 'repeat');
  assert.equal(suppressionTier('securityerror', '5'), 'repeat');
});
