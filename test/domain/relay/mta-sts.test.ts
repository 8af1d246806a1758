import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cachePolicy,
  certificateFailure,
  decideSession,
  MAX_POLICY_BYTES,
  mxAllowed,
  mxMatches,
  parseMtaStsPolicy,
  parseStsRecord,
  planPolicyLookup,
  type MtaStsMode,
  type SessionTls,
} from '../../../src/domain/relay/mta-sts.js';

// The pure half of MTA-STS (RFC 8461): record and policy parsing, MX matching, the cache plan and the per-session
// decision, as tables.

test('the _mta-sts TXT record: exactly one v=STSv1 record with a valid id, else no policy', () => {
  const cases: Array<[Array<string | string[]>, { id: string } | null]> = [
    [['v=STSv1; id=20160831085700Z;'], { id: '20160831085700Z' }],
    [['v=STSv1;id=abc'], { id: 'abc' }],
    [[['v=STSv1; ', 'id=split1;']], { id: 'split1' }], // character-strings of one record are joined
    [['v=spf1 -all', 'v=STSv1; id=a1; ext=x'], { id: 'a1' }], // other records are discarded
    [['v=STSv1; id=a1;', 'v=STSv1; id=a2;'], null], // two STS records: none
    [['v=STSv1; id=;'], null],
    [['v=STSv1; id=has-dash;'], null],
    [[`v=STSv1; id=${'a'.repeat(33)};`], null], // over 32 characters
    [['v=STSv1; id=a1; id=a2;'], null],
    [['v=STSv1;'], null], // id missing
    [['v=STSv10; id=a;'], null],
    [['V=STSv1; id=a;'], null], // the version is case-sensitive (%s in the ABNF)
    [[], null],
  ];
  for (const [records, expected] of cases) assert.deepEqual(parseStsRecord(records), expected, JSON.stringify(records));
});

test('the policy file: fields, line endings, modes, limits', () => {
  const ok = parseMtaStsPolicy(
    'version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.Example.NET.\r\nmax_age: 604800\r\n',
  );
  assert.deepEqual(ok, {
    ok: true,
    policy: { mode: 'enforce', mx: ['mail.example.com', '*.example.net'], maxAgeSeconds: 604800 },
  });
  // LF endings, unknown extension keys, no final newline; a `none` policy needs no mx
  assert.deepEqual(parseMtaStsPolicy('version: STSv1\nmode: none\nfuture_key: x\nmax_age: 86400'), {
    ok: true,
    policy: { mode: 'none', mx: [], maxAgeSeconds: 86400 },
  });
  const errors: Array<[string, RegExp]> = [
    ['mode: enforce\nmx: a.example\nmax_age: 1', /version/],
    ['version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1', /version/],
    ['version: STSv1\nmode: strict\nmx: a.example\nmax_age: 1', /mode/],
    ['version: STSv1\nmode: enforce\nmax_age: 1', /no mx/],
    ['version: STSv1\nmode: testing\nmx: a.example\nmax_age: 31557601', /max_age/],
    ['version: STSv1\nmode: testing\nmx: a.example\nmax_age: -1', /max_age/],
    ['version: STSv1\nmode: testing\nmx: a.example', /max_age/],
    ['version: STSv1\nmode: testing\nmx: a..example\nmax_age: 1', /mx pattern/],
    ['version: STSv1\nmode: testing\nmx: *.*.example\nmax_age: 1', /mx pattern/],
    ['<html>not a policy</html>', /key: value/],
  ];
  for (const [text, error] of errors) {
    const r = parseMtaStsPolicy(text);
    assert.ok(!r.ok && error.test(r.error), `${JSON.stringify(text)} → ${JSON.stringify(r)}`);
  }
  assert.equal(parseMtaStsPolicy('version: STSv1\nmode: testing\nmax_age: 31557600\nmx: a.example').ok, true);
});

test('the policy parser is bounded: over 64 KiB is refused, and 64 KiB of mx lines parse in one pass', () => {
  const big = `version: STSv1\nmode: enforce\nmax_age: 1\n${'mx: a.example\n'.repeat(4000)}`;
  assert.ok(big.length <= MAX_POLICY_BYTES);
  const r = parseMtaStsPolicy(big);
  assert.ok(r.ok && r.policy.mx.length === 100, 'patterns kept are capped');
  const over = parseMtaStsPolicy(`${big}${'x'.repeat(MAX_POLICY_BYTES)}`);
  assert.ok(!over.ok && /64|65536/.test(over.error));
});

test('MX patterns: exact names, and a wildcard for exactly one leftmost label', () => {
  const cases: Array<[string, string, boolean]> = [
    ['mail.example.com', 'mail.example.com', true],
    ['mail.example.com', 'MAIL.Example.com.', true],
    ['mail.example.com', 'mail2.example.com', false],
    ['*.example.net', 'mx1.example.net', true],
    ['*.example.net', 'example.net', false],
    ['*.example.net', 'a.b.example.net', false],
    ['*.example.net', 'mx1.example.net.evil', false],
    ['*.example.net', 'mx1example.net', false],
  ];
  for (const [pattern, host, expected] of cases)
    assert.equal(mxMatches(pattern, host), expected, `${pattern} ~ ${host}`);
  assert.equal(mxAllowed({ mx: ['a.example', '*.b.example'] }, 'x.b.example'), true);
  assert.equal(mxAllowed({ mx: [] }, 'x.b.example'), false);
});

test('the cache plan: a new id fetches; no record or a failed lookup keeps an unexpired policy', () => {
  const policy = { mode: 'enforce' as const, mx: ['mx.example'], maxAgeSeconds: 60 };
  const cached = cachePolicy('id1', policy, 1_000);
  assert.equal(cached.expiresAt, 61_000);
  const at = 30_000;
  assert.deepEqual(planPolicyLookup({ kind: 'record', id: 'id1' }, cached, at), { kind: 'cached', cached });
  assert.deepEqual(planPolicyLookup({ kind: 'record', id: 'id2' }, cached, at), { kind: 'fetch', id: 'id2' });
  assert.deepEqual(planPolicyLookup({ kind: 'record', id: 'id1' }, undefined, at), { kind: 'fetch', id: 'id1' });
  assert.deepEqual(planPolicyLookup({ kind: 'none' }, cached, at), { kind: 'cached', cached });
  assert.deepEqual(planPolicyLookup({ kind: 'error' }, cached, at), { kind: 'cached', cached });
  // expired: the same id is fetched again; without a record there is no policy any more
  assert.deepEqual(planPolicyLookup({ kind: 'record', id: 'id1' }, cached, 61_000), { kind: 'fetch', id: 'id1' });
  assert.deepEqual(planPolicyLookup({ kind: 'none' }, cached, 61_000), { kind: 'none' });
  assert.deepEqual(planPolicyLookup({ kind: 'error' }, undefined, at), { kind: 'none' });
});

test('certificate errors map to TLS-RPT result types', () => {
  assert.equal(certificateFailure('ERR_TLS_CERT_ALTNAME_INVALID'), 'certificate-host-mismatch');
  assert.equal(certificateFailure('CERT_HAS_EXPIRED'), 'certificate-expired');
  assert.equal(certificateFailure('DEPTH_ZERO_SELF_SIGNED_CERT'), 'certificate-not-trusted');
  assert.equal(certificateFailure('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'certificate-not-trusted');
  assert.equal(certificateFailure('SOMETHING_ELSE'), 'validation-failure');
});

test('the session decision: enforce sends only over verified TLS to a matching MX; testing always sends', () => {
  const verified: SessionTls = { secure: true, verified: true, verifyError: null };
  const plain: SessionTls = { secure: false, verified: false, verifyError: null };
  const selfSigned: SessionTls = { secure: true, verified: false, verifyError: 'DEPTH_ZERO_SELF_SIGNED_CERT' };
  const wrongName: SessionTls = { secure: true, verified: false, verifyError: 'ERR_TLS_CERT_ALTNAME_INVALID' };
  const cases: Array<[MtaStsMode, SessionTls, boolean, { send: boolean; failure: string | null }]> = [
    ['enforce', verified, true, { send: true, failure: null }],
    ['enforce', plain, true, { send: false, failure: 'starttls-not-supported' }],
    ['enforce', selfSigned, true, { send: false, failure: 'certificate-not-trusted' }],
    ['enforce', wrongName, true, { send: false, failure: 'certificate-host-mismatch' }],
    ['enforce', verified, false, { send: false, failure: 'mx-not-in-policy' }],
    ['testing', verified, true, { send: true, failure: null }],
    ['testing', plain, true, { send: true, failure: 'starttls-not-supported' }],
    ['testing', selfSigned, true, { send: true, failure: 'certificate-not-trusted' }],
    ['testing', verified, false, { send: true, failure: 'mx-not-in-policy' }],
    ['none', plain, false, { send: true, failure: null }],
  ];
  for (const [mode, tls, mxMatched, expected] of cases)
    assert.deepEqual(
      decideSession(mode, { ...tls, mxMatched }),
      expected,
      `${mode} ${JSON.stringify(tls)} mx=${mxMatched}`,
    );
});
