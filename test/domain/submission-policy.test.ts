import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkAcceptanceList,
  checkAuthorHeaders,
  checkHeaderBlock,
  checkHeaderFrom,
  checkSenderDomain,
  checkTrustZone,
} from '../../src/domain/policy/submission-policy.js';

test('trust zone: submission ports are open when no zone is configured, the plain port never is', () => {
  assert.equal(checkTrustZone('203.0.113.1', 'submission', []).allowed, true);
  const plain = checkTrustZone('203.0.113.1', 'plain', []);
  assert.equal(plain.allowed, false);
  assert.deepEqual(!plain.allowed && [plain.reply.code, plain.reply.enhanced], [554, '5.7.1']);
  assert.equal(checkTrustZone('10.0.0.5', 'plain', ['10.0.0.0/8']).allowed, true);
  assert.equal(checkTrustZone('192.0.2.1', 'submission', ['10.0.0.0/8']).allowed, false);
});

test('acceptance list: an empty list accepts nobody; 0.0.0.0/0 must be explicit', () => {
  const none = checkAcceptanceList('10.0.0.1', []);
  assert.equal(none.allowed, false);
  assert.deepEqual(!none.allowed && [none.reply.code, none.reply.enhanced], [554, '5.7.1']);
  assert.equal(checkAcceptanceList('10.0.0.1', ['0.0.0.0/0']).allowed, true);
  assert.equal(checkAcceptanceList('10.0.0.1', ['192.0.2.0/24']).allowed, false);
});

test('sender domain: listed domains and their subdomains only', () => {
  assert.equal(checkSenderDomain('billing@example.com', ['example.com']).allowed, true);
  assert.equal(checkSenderDomain('billing@mail.example.com', ['example.com']).allowed, true);
  assert.equal(checkSenderDomain('billing@EXAMPLE.COM', ['example.com']).allowed, true);
  const other = checkSenderDomain('x@badexample.com', ['example.com']);
  assert.equal(other.allowed, false);
  assert.deepEqual(!other.allowed && [other.reply.code, other.reply.enhanced], [553, '5.7.1']);
  assert.equal(checkSenderDomain('', ['example.com']).allowed, false);
});

test('From header domain must be allowed too', () => {
  assert.equal(checkHeaderFrom('news@example.com', ['example.com']).allowed, true);
  const spoof = checkHeaderFrom('ceo@bank.test', ['example.com']);
  assert.deepEqual(!spoof.allowed && [spoof.reply.code, spoof.reply.enhanced], [550, '5.7.1']);
  assert.equal(checkHeaderFrom(undefined, ['example.com']).allowed, false);
});

const author = (from: string[][], sender: string[][] = []) => ({
  fromFields: from.length,
  senderFields: sender.length,
  from: from.length === 1 ? from[0]! : [],
  sender: sender.length === 1 ? sender[0]! : [],
});
const verdict = (d: ReturnType<typeof checkAuthorHeaders>) =>
  d.allowed ? 'allowed' : `${d.check} ${d.reply.code} ${d.reply.enhanced} ${d.reply.text}`;

test('author headers: exactly one From, every From address and every Sender address in the sender domains', () => {
  const own = ['own.test'];
  assert.equal(verdict(checkAuthorHeaders(author([['me@own.test']]), own)), 'allowed');
  assert.equal(
    verdict(checkAuthorHeaders(author([['me@own.test', 'you@mail.own.test']], [['ops@own.test']]), own)),
    'allowed',
  );
  assert.match(
    verdict(checkAuthorHeaders(author([['me@own.test', 'ceo@victim.test']]), own)),
    /^header-from 550 5\.7\.1 From header/,
  );
  assert.match(
    verdict(checkAuthorHeaders(author([['me@own.test'], ['ceo@victim.test']]), own)),
    /^header-from 550 5\.7\.1 Message must have exactly one From header$/,
  );
  assert.match(
    verdict(checkAuthorHeaders(author([]), own)),
    /^header-from 550 5\.7\.1 Message must have exactly one From header$/,
  );
  assert.match(verdict(checkAuthorHeaders(author([[]]), own)), /^header-from 550 5\.7\.1 From header/);
  assert.match(
    verdict(checkAuthorHeaders(author([['me@own.test']], [['ceo@victim.test']]), own)),
    /^header-sender 550 5\.7\.1 Sender header/,
  );
  assert.match(
    verdict(checkAuthorHeaders(author([['me@own.test']], [[]]), own)),
    /^header-sender 550 5\.7\.1 Sender header/,
  );
  assert.match(
    verdict(checkAuthorHeaders(author([['me@own.test']], [['a@own.test'], ['b@own.test']]), own)),
    /^header-sender 550 5\.7\.1 Message must have at most one Sender header$/,
  );
  // An address other software could split differently has no domain to allow.
  for (const odd of [
    'ceo@victim.test@own.test',
    'me@own.test>x',
    'me@[own.test]',
    'me@own test',
    '@own.test',
    'me@own.test.',
  ]) {
    assert.equal(checkAuthorHeaders(author([[odd]]), own).allowed, false, odd);
  }
  assert.equal(checkAuthorHeaders(author([['me@OWN.test']]), own).allowed, true);
});

test('header block problems map to their replies: 552 5.6.0 for a limit, 554 5.6.0 for ambiguous bytes', () => {
  const reply = (problem: Parameters<typeof checkHeaderBlock>[0]) => {
    const d = checkHeaderBlock(problem);
    return d.allowed ? 'allowed' : `${d.reply.code} ${d.reply.enhanced} ${d.reply.text}`;
  };
  assert.equal(reply({ ok: true, end: 10, fields: [] }), 'allowed');
  assert.equal(
    reply({ ok: false, problem: 'block-too-large', detail: '' }),
    '552 5.6.0 Message header block exceeds 1048576 bytes',
  );
  assert.equal(
    reply({ ok: false, problem: 'too-many-fields', detail: '' }),
    '552 5.6.0 Message header has more than 10000 fields',
  );
  assert.equal(
    reply({ ok: false, problem: 'field-too-large', detail: '' }),
    '552 5.6.0 A message header field exceeds 102400 bytes',
  );
  assert.match(reply({ ok: false, problem: 'bare-line-ending', detail: '' }), /^554 5\.6\.0 .*bare CR or LF/);
  assert.match(reply({ ok: false, problem: 'malformed-field', detail: '' }), /^554 5\.6\.0 /);
});
