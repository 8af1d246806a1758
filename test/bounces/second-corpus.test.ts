// A second set of real bounces, from outside the shared corpus: the test messages of flufl.bounce 6.0.0 (PyPI; Mailman's
// collection of bounces from Postfix, Exim, qmail, Sendmail, Exchange, GroupWise, Yahoo, AOL, X.400 gateways and
// sites' own notices; Apache-2.0, LICENSE beside them), each with the failed addresses that package's own tests
// expect (tests/test_detectors.py). The corpus measures reasons; this guards the reading of a notice itself: that it is
// taken for a bounce and its failed recipients are found, on layouts no rule here was written from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { classifyRawBounce } from '../../src/bounces/classify-raw-bounce.js';
import { normalizeAddress } from '../../src/domain/mime/address.js';
import { parseBounceMime } from '../../src/bounces/parse-mime.js';
import { classifyBounce, type BounceReport } from '../../src/domain/bounces/classify-bounce.js';
import { FOLDINGS, foldedProse } from '../helpers/fold-prose.js';

const dir = path.resolve('test/bounces/flufl-bounce');

/** Each message and the addresses its notice reports as failed. */
const EXPECTED: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['aol_01.txt', ['screenname@aol.com']],
  ['bounce_02.txt', ['userx@example.com']],
  ['bounce_03.txt', ['userx@example.uk']],
  ['caiwireless_01.txt', ['userx@example.com']],
  ['dsn_01.txt', ['userx@example.com']],
  ['dsn_02.txt', ['zzzzz@example.uk']],
  ['dsn_03.txt', ['userx@example.be']],
  ['dsn_04.txt', ['userx@example.ch']],
  ['dsn_05.txt', ['userx@example.cz']],
  ['dsn_06.txt', ['userx@example.com']],
  ['dsn_07.txt', ['userx@example.nz']],
  ['dsn_08.txt', ['userx@example.de']],
  ['dsn_09.txt', ['userx@example.com']],
  ['dsn_10.txt', ['anne.person@dom.ain']],
  ['dsn_11.txt', ['joem@example.com']],
  ['dsn_12.txt', ['userx@example.jp']],
  ['dsn_13.txt', ['userx@example.com']],
  ['dsn_14.txt', ['userx@example.com.dk']],
  ['dsn_15.txt', ['userx@example.com']],
  ['dsn_16.txt', ['userx@example.com']],
  ['dsn_17.txt', ['userx@example.fi']],
  ['dsn_18.txt', ['email@replaced.net']],
  ['exim_01.txt', ['userx@its.example.nl']],
  ['groupwise_01.txt', ['userx@example.edu']],
  ['groupwise_02.txt', ['userx@example.com']],
  ['hotpop_01.txt', ['userx@example.com']],
  ['llnl_01.txt', ['user1@example.gov']],
  ['microsoft_01.txt', ['userx@example.com']],
  ['microsoft_02.txt', ['userx@example.com']],
  ['microsoft_03.txt', ['userx@example.com']],
  ['microsoft_04.txt', ['userx@example.com']],
  ['netscape_01.txt', ['aaaaa@corel.com', 'bbbbb@corel.com']],
  ['newmailru_01.txt', ['zzzzz@newmail.ru']],
  ['postfix_01.txt', ['xxxxx@local.ie']],
  ['postfix_02.txt', ['yyyyy@digicool.com']],
  ['postfix_03.txt', ['ttttt@ggggg.com']],
  ['postfix_04.txt', ['userx@mail1.example.com']],
  ['postfix_05.txt', ['userx@example.net']],
  ['qmail_01.txt', ['userx@example.de']],
  ['qmail_02.txt', ['userx@example.com']],
  ['qmail_03.txt', ['userx@example.jp']],
  ['qmail_04.txt', ['userx@example.au']],
  ['qmail_05.txt', ['userx@example.com']],
  ['qmail_06.txt', ['ntl@xxx.com']],
  ['qmail_07.txt', ['user@example.net']],
  ['sendmail_01.txt', ['zzzzz@nfg.nl', 'zzzzz@shaft.coal.nl']],
  ['simple_01.txt', ['bbbsss@example.com']],
  ['simple_02.txt', ['userx@example.net']],
  ['simple_03.txt', ['userx@example.za']],
  ['simple_04.txt', ['userx@example.com']],
  ['simple_05.txt', ['userx@example.net']],
  ['simple_06.txt', ['userx@example.com']],
  ['simple_07.txt', ['userx@example.net']],
  ['simple_08.txt', ['userx@example.de']],
  ['simple_09.txt', ['userx@example.de']],
  ['simple_10.txt', ['userx@example.com']],
  ['simple_11.txt', ['userx@example.com']],
  ['simple_12.txt', ['userx@example.ac.jp']],
  ['simple_13.txt', ['userx@example.fr']],
  ['simple_14.txt', ['userx@example.com', 'usery@example.com']],
  ['simple_15.txt', ['userx@example.be']],
  ['simple_16.txt', ['userx@example.com']],
  ['simple_17.txt', ['userx@example.com']],
  ['simple_18.txt', ['userx@example.com']],
  ['simple_19.txt', ['userx@example.com.ar']],
  ['simple_20.txt', ['userx@example.com']],
  ['simple_21.txt', ['userx@example.com']],
  ['simple_22.txt', ['user@example.org']],
  ['simple_23.txt', ['userx@example.it']],
  ['simple_24.txt', ['userx@example.com']],
  ['simple_25.txt', ['userx@example.com']],
  ['simple_26.txt', ['userx@example.it']],
  ['simple_27.txt', ['userx@example.net.py']],
  ['simple_28.txt', ['userx@example.com']],
  ['simple_29.txt', ['userx@example.com']],
  ['simple_30.txt', ['userx@example.com']],
  ['simple_31.txt', ['userx@example.fr']],
  ['simple_32.txt', ['userx@example.com']],
  ['simple_33.txt', ['userx@example.com']],
  ['simple_34.txt', ['roland@example.com']],
  ['simple_35.txt', ['calvin@example.com']],
  ['simple_36.txt', ['userx@example.com']],
  ['simple_37.txt', ['user@example.edu']],
  ['simple_38.txt', ['userx@example.com']],
  ['simple_39.txt', ['userx@example.ru']],
  ['simple_40.txt', ['user@example.com']],
  ['simple_41.txt', ['userx@example.com']],
  ['simple_44.txt', ['user@example.com']],
  ['simple_45.txt', ['subscriber@earthlink.net']],
  ['sina_01.txt', ['userx@sina.com', 'usery@sina.com']],
  ['smtp32_01.txt', ['userx@example.ph']],
  ['smtp32_02.txt', ['userx@example.com']],
  ['smtp32_03.txt', ['userx@example.com']],
  ['smtp32_04.txt', ['after_another@example.net', 'one_bad_address@example.net']],
  ['smtp32_05.txt', ['userx@example.com']],
  ['smtp32_06.txt', ['absolute_garbage_addr@example.net']],
  ['smtp32_07.txt', ['userx@example.com']],
  ['yahoo_01.txt', ['userx@example.com']],
  ['yahoo_02.txt', ['userx@example.es']],
  ['yahoo_03.txt', ['userx@example.com']],
  ['yahoo_04.txt', ['userx@example.es', 'usery@example.uk']],
  ['yahoo_05.txt', ['userx@example.com', 'usery@example.com']],
  ['yahoo_06.txt', ['usera@example.com', 'userx@example.com', 'usery@example.com', 'userz@example.com']],
  ['yahoo_07.txt', ['userw@example.com', 'userx@example.com', 'usery@example.com', 'userz@example.com']],
  [
    'yahoo_08.txt',
    [
      'usera@example.com',
      'userb@example.com',
      'userc@example.com',
      'userd@example.com',
      'usere@example.com',
      'userf@example.com',
    ],
  ],
  ['yahoo_09.txt', ['userx@example.com', 'usery@example.com']],
  ['yahoo_10.txt', ['userx@example.com', 'usery@example.com', 'userz@example.com']],
  ['yahoo_11.txt', ['bad_user@aol.com']],
  ['yahoo_12.txt', ['user@yahoo.com']],
  ['yahoo_13.txt', ['bogus-address@example.net']],
  ['yale_01.txt', ['userx@cs.yale.edu', 'userx@yale.edu']],
];

/**
 * Where this reading and that package's differ, and why. Each is checked to differ still, so the list stays true.
 */
const DIFFERENT: Readonly<Record<string, string>> = {
  // the address an alias expanded to, as Sendmail lists it ("zzzzz@shaft.coal.nl (expanded from: zzzzz@nfg.nl)"), and
  // a report's Final-Recipient over its Original-Recipient: the mailbox that failed, as the reference library reports it
  'sendmail_01.txt': 'the expanded address only',
  'dsn_04.txt': 'Final-Recipient, not Original-Recipient',
  'dsn_17.txt': 'Final-Recipient, not Original-Recipient',
  // the notice names one address as undeliverable and quotes a quota reply naming another
  'simple_14.txt': 'the address the notice names',
  // a person's mail client answering in the thread ("RE: ... : non remis") that the message was not delivered
  'simple_20.txt': 'not read as a bounce',
  // a site's own notice that suggests other addresses to try: those are taken for recipients too
  'llnl_01.txt': 'suggested addresses read as recipients',
  'yale_01.txt': 'suggested addresses read as recipients',
};

const failedRecipients = (file: string): string[] => {
  const report = classifyRawBounce(fs.readFileSync(path.join(dir, file)));
  if (report.kind === 'not_bounce') return [];
  return [...new Set(report.recipients.map((r) => normalizeAddress(r.recipient)))].sort();
};

test("a second set of real bounces: each notice is a bounce and names the failed recipients that package's tests expect", () => {
  for (const [file, addresses] of EXPECTED) {
    const want = addresses.map(normalizeAddress).sort();
    const got = failedRecipients(file);
    if (DIFFERENT[file]) assert.notDeepEqual(got, want, `${file} now reads as expected: remove it from DIFFERENT`);
    else assert.deepEqual(got, want, file);
  }
});

/** What a reader of the report sees of each recipient. */
const readingOf = (report: BounceReport): string =>
  `${report.kind} ${report.recipients.map((r) => `${r.recipient} ${r.reason} hard=${r.hard} ${r.status} ${r.replycode}`).join(' | ')}`;

test('a second-set notice reads the same when its prose lines are folded: the same recipients, reasons and codes', () => {
  // (the notices read otherwise already are left out: folding moves which wrong addresses they list)
  const changed: string[] = [];
  let compared = 0;
  for (const [file] of EXPECTED.filter(([f]) => !DIFFERENT[f])) {
    const msg = parseBounceMime(fs.readFileSync(path.join(dir, file)));
    const before = readingOf(classifyBounce(msg));
    for (const [width, more] of FOLDINGS) {
      const variant = foldedProse(msg, width, more);
      if (variant.parts.every((p, i) => p.text === msg.parts[i]!.text)) continue;
      compared++;
      const after = readingOf(classifyBounce(variant));
      if (after !== before) changed.push(`${file} (${width} columns, ${more} more spaces): ${before} → ${after}`);
    }
  }
  assert.ok(compared > 500, `only ${compared} notices folded`);
  assert.deepEqual(changed, []);
});
