import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blocklistQueryName, interpretBlocklistAnswer } from '../../src/domain/reputation/dnsbl.js';

test('query names: reversed IPv4 octets, IPv6 nibbles (RFC 5782), domains as is', () => {
  assert.equal(blocklistQueryName('192.0.2.99', 'zen.spamhaus.org', 'ip'), '99.2.0.192.zen.spamhaus.org');
  assert.equal(
    blocklistQueryName('2001:db8:1:2:3:4:567:89ab', 'zen.spamhaus.org', 'ip'),
    'b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.zen.spamhaus.org',
  );
  assert.equal(
    blocklistQueryName('Mail.Example.com.', 'dbl.spamhaus.org', 'domain'),
    'mail.example.com.dbl.spamhaus.org',
  );
  assert.throws(() => blocklistQueryName('not-an-ip', 'zen.spamhaus.org', 'ip'));
});

test('NXDOMAIN is clean; timeouts and SERVFAIL are unknown, never listed', () => {
  assert.deepEqual(interpretBlocklistAnswer('zen.spamhaus.org', { kind: 'nxdomain' }), { status: 'clean' });
  assert.equal(interpretBlocklistAnswer('zen.spamhaus.org', { kind: 'timeout' }).status, 'unknown');
  assert.equal(interpretBlocklistAnswer('bl.spamcop.net', { kind: 'servfail' }).status, 'unknown');
});

test('listing codes are read per zone, with the TXT reason kept', () => {
  const v = interpretBlocklistAnswer('zen.spamhaus.org', {
    kind: 'answer',
    addresses: ['127.0.0.4', '127.0.0.10'],
    txt: ['https://check.spamhaus.org/...'],
  });
  assert.equal(v.status, 'listed');
  assert.deepEqual(v.status === 'listed' && v.meanings, ['XBL: exploited host', 'PBL: ISP policy (dynamic range)']);
  assert.deepEqual(v.status === 'listed' && v.txt, ['https://check.spamhaus.org/...']);
  const uribl = interpretBlocklistAnswer('multi.uribl.com', { kind: 'answer', addresses: ['127.0.0.6'] });
  assert.deepEqual(uribl.status === 'listed' && uribl.meanings, ['URIBL black', 'URIBL grey']);
  assert.equal(
    interpretBlocklistAnswer('other.example', { kind: 'answer', addresses: ['127.0.0.2'] }).status,
    'listed',
  );
});

test('operator refusal codes are errors, not listings', () => {
  for (const [zone, code] of [
    ['zen.spamhaus.org', '127.255.255.254'],
    ['dbl.spamhaus.org', '127.255.255.255'],
    ['multi.uribl.com', '127.0.0.1'],
  ] as const) {
    const v = interpretBlocklistAnswer(zone, { kind: 'answer', addresses: [code] });
    assert.equal(v.status, 'refused', `${zone} ${code}`);
  }
  // Answers outside 127/8 (wildcard DNS) are not listings.
  assert.equal(
    interpretBlocklistAnswer('zen.spamhaus.org', { kind: 'answer', addresses: ['203.0.113.7'] }).status,
    'clean',
  );
});
