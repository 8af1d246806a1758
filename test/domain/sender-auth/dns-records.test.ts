import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareRecord,
  expectedRecords,
  type DnsAnswer,
  type ExpectedRecord,
} from '../../../src/domain/sender-auth/dns-records.js';

const settings = { spfIncludeDomain: 'spf.relay.test', bounceDomain: 'bounces.relay.test' };
const records = expectedRecords(
  'shop.test',
  { ownershipToken: 'abc123', dkim: [{ selector: 'rs1', publicKey: 'KEYKEY' }] },
  settings,
);
const of = (purpose: string): ExpectedRecord => records.find((r) => r.purpose === purpose) as ExpectedRecord;
const values = (...v: string[]): DnsAnswer => ({ kind: 'values', values: v });

test('expected records: ownership, DKIM, SPF include, return-path CNAME, DMARC starter', () => {
  assert.deepEqual(
    records.map((r) => [r.purpose, r.type, r.host, r.value]),
    [
      ['ownership', 'TXT', '_smtp-relay.shop.test', 'smtp-relay-verification=abc123'],
      ['dkim', 'TXT', 'rs1._domainkey.shop.test', 'v=DKIM1; k=rsa; p=KEYKEY'],
      ['spf', 'TXT', 'shop.test', 'v=spf1 include:spf.relay.test ~all'],
      ['return-path', 'CNAME', 'rp.shop.test', 'bounces.relay.test'],
      ['dmarc', 'TXT', '_dmarc.shop.test', 'v=DMARC1; p=none'],
    ],
  );
});

// (record purpose, DNS answer) → (status, found)
const cases: Array<[string, DnsAnswer, string, string | undefined]> = [
  ['ownership', values('smtp-relay-verification=abc123'), 'ok', 'smtp-relay-verification=abc123'],
  ['ownership', values('other', 'smtp-relay-verification=abc123'), 'ok', 'smtp-relay-verification=abc123'],
  ['ownership', values('smtp-relay-verification=zzz'), 'wrong', 'smtp-relay-verification=zzz'],
  ['ownership', { kind: 'none' }, 'missing', undefined],
  ['ownership', values('google-site-verification=x'), 'missing', undefined],
  ['dkim', values('v=DKIM1; k=rsa; p=KEYKEY'), 'ok', 'v=DKIM1; k=rsa; p=KEYKEY'],
  ['dkim', values('k=rsa;p=KEY KEY'), 'ok', 'k=rsa;p=KEY KEY'], // tag order and spaces inside p= do not matter
  ['dkim', values('v=DKIM1; k=rsa; p=OTHER'), 'wrong', 'v=DKIM1; k=rsa; p=OTHER'],
  ['dkim', { kind: 'none' }, 'missing', undefined],
  ['dkim', { kind: 'unknown', why: 'ETIMEOUT' }, 'unknown', undefined],
  ['spf', values('v=spf1 include:spf.relay.test ~all'), 'ok', 'v=spf1 include:spf.relay.test ~all'],
  ['spf', values('v=spf1 mx include:SPF.relay.test -all', 'x'), 'ok', 'v=spf1 mx include:SPF.relay.test -all'],
  ['spf', values('v=spf1 mx -all'), 'wrong', 'v=spf1 mx -all'],
  [
    'spf',
    values('v=spf1 include:spf.relay.test ~all', 'v=spf1 mx -all'),
    'wrong',
    'v=spf1 include:spf.relay.test ~all | v=spf1 mx -all',
  ],
  ['spf', values('some-token'), 'missing', undefined],
  ['return-path', values('bounces.relay.test.'), 'ok', 'bounces.relay.test'],
  ['return-path', values('Bounces.Relay.Test'), 'ok', 'bounces.relay.test'],
  ['return-path', values('mail.example.net'), 'wrong', 'mail.example.net'],
  ['return-path', { kind: 'none' }, 'missing', undefined],
  ['dmarc', values('v=DMARC1; p=reject; rua=mailto:d@shop.test'), 'ok', 'v=DMARC1; p=reject; rua=mailto:d@shop.test'],
  ['dmarc', values('v=spf1 -all'), 'wrong', 'v=spf1 -all'],
  ['dmarc', { kind: 'none' }, 'missing', undefined],
];

test('compareRecord: each purpose picks its own records and says ok, missing, wrong or unknown', () => {
  for (const [purpose, answer, status, found] of cases) {
    const c = compareRecord(of(purpose), answer);
    assert.equal(c.status, status, `${purpose} ${JSON.stringify(answer)}`);
    assert.equal(c.found, found, `${purpose} ${JSON.stringify(answer)}`);
  }
});
