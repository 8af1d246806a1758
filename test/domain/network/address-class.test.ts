import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifyAddress,
  formatIpAddress,
  isInternalAddress,
  parseIpAddress,
  parseIpv4,
} from '../../../src/domain/network/address-class.js';

// [text, scope, kind, canonical address] — every class, in every spelling a resolver or connect() would accept.
const table: Array<[string, 'internal' | 'public', string, string]> = [
  // loopback, in every IPv4 spelling
  ['127.0.0.1', 'internal', 'loopback', '127.0.0.1'],
  ['2130706433', 'internal', 'loopback', '127.0.0.1'],
  ['0x7f000001', 'internal', 'loopback', '127.0.0.1'],
  ['0X7F000001', 'internal', 'loopback', '127.0.0.1'],
  ['0177.0.0.1', 'internal', 'loopback', '127.0.0.1'],
  ['0x7f.0.0.1', 'internal', 'loopback', '127.0.0.1'],
  ['127.1', 'internal', 'loopback', '127.0.0.1'],
  ['127.0.1', 'internal', 'loopback', '127.0.0.1'],
  ['0x7f.1', 'internal', 'loopback', '127.0.0.1'],
  ['017700000001', 'internal', 'loopback', '127.0.0.1'],
  ['127.0.0.1.', 'internal', 'loopback', '127.0.0.1'],
  ['127.255.255.254', 'internal', 'loopback', '127.255.255.254'],
  ['::1', 'internal', 'loopback', '::1'],
  ['[::1]', 'internal', 'loopback', '::1'],
  ['0:0:0:0:0:0:0:1', 'internal', 'loopback', '::1'],
  ['::ffff:127.0.0.1', 'internal', 'loopback', '::ffff:7f00:1'],
  ['::ffff:7f00:1', 'internal', 'loopback', '::ffff:7f00:1'],
  ['[::ffff:127.0.0.1]', 'internal', 'loopback', '::ffff:7f00:1'],
  ['::127.0.0.1', 'internal', 'loopback', '::7f00:1'],
  ['::ffff:0:127.0.0.1', 'internal', 'loopback', '::ffff:0:7f00:1'],
  ['64:ff9b::127.0.0.1', 'internal', 'loopback', '64:ff9b::7f00:1'],
  ['2002:7f00:1::', 'internal', 'loopback', '2002:7f00:1::'],
  // private (RFC 1918, unique local)
  ['10.0.0.1', 'internal', 'private', '10.0.0.1'],
  ['10.1', 'internal', 'private', '10.0.0.1'],
  ['167772161', 'internal', 'private', '10.0.0.1'],
  ['172.16.0.1', 'internal', 'private', '172.16.0.1'],
  ['172.31.255.255', 'internal', 'private', '172.31.255.255'],
  ['192.168.1.1', 'internal', 'private', '192.168.1.1'],
  ['0xc0.0xa8.1.1', 'internal', 'private', '192.168.1.1'],
  ['fc00::1', 'internal', 'private', 'fc00::1'],
  ['fd12:3456:789a::1', 'internal', 'private', 'fd12:3456:789a::1'],
  ['fec0::1', 'internal', 'private', 'fec0::1'],
  ['::ffff:10.0.0.1', 'internal', 'private', '::ffff:a00:1'],
  ['64:ff9b::192.168.0.1', 'internal', 'private', '64:ff9b::c0a8:1'],
  ['2002:c0a8:0101::1', 'internal', 'private', '2002:c0a8:101::1'],
  // link-local (cloud metadata)
  ['169.254.169.254', 'internal', 'link-local', '169.254.169.254'],
  ['2852039166', 'internal', 'link-local', '169.254.169.254'],
  ['0xa9fea9fe', 'internal', 'link-local', '169.254.169.254'],
  ['0251.0376.0251.0376', 'internal', 'link-local', '169.254.169.254'],
  ['169.254.43518', 'internal', 'link-local', '169.254.169.254'],
  ['::ffff:169.254.169.254', 'internal', 'link-local', '::ffff:a9fe:a9fe'],
  ['fe80::1', 'internal', 'link-local', 'fe80::1'],
  ['fe80::1%eth0', 'internal', 'link-local', 'fe80::1'],
  ['febf::1', 'internal', 'link-local', 'febf::1'],
  // CGNAT, unspecified, this network, multicast, broadcast, reserved, documentation, benchmark
  ['100.64.0.1', 'internal', 'cgnat', '100.64.0.1'],
  ['100.127.255.255', 'internal', 'cgnat', '100.127.255.255'],
  ['0.0.0.0', 'internal', 'unspecified', '0.0.0.0'],
  ['0', 'internal', 'unspecified', '0.0.0.0'],
  ['::', 'internal', 'unspecified', '::'],
  ['0.1.2.3', 'internal', 'this-network', '0.1.2.3'],
  ['224.0.0.1', 'internal', 'multicast', '224.0.0.1'],
  ['239.255.255.250', 'internal', 'multicast', '239.255.255.250'],
  ['ff02::1', 'internal', 'multicast', 'ff02::1'],
  ['255.255.255.255', 'internal', 'broadcast', '255.255.255.255'],
  ['4294967295', 'internal', 'broadcast', '255.255.255.255'],
  ['240.0.0.1', 'internal', 'reserved', '240.0.0.1'],
  ['192.0.0.8', 'internal', 'reserved', '192.0.0.8'],
  ['192.0.2.10', 'internal', 'documentation', '192.0.2.10'],
  ['198.51.100.1', 'internal', 'documentation', '198.51.100.1'],
  ['203.0.113.7', 'internal', 'documentation', '203.0.113.7'],
  ['198.18.0.1', 'internal', 'benchmark', '198.18.0.1'],
  ['2001:db8::1', 'internal', 'documentation', '2001:db8::1'],
  ['100::1', 'internal', 'reserved', '100::1'],
  ['64:ff9b:1::1', 'internal', 'reserved', '64:ff9b:1::1'],
  ['4000::1', 'internal', 'reserved', '4000::1'],
  // Teredo: the client address is stored inverted (here ~127.0.0.1)
  ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'internal', 'loopback', '2001:0:4136:e378:8000:63bf:80ff:fffe'],
  // public
  ['8.8.8.8', 'public', 'public', '8.8.8.8'],
  ['134744072', 'public', 'public', '8.8.8.8'],
  ['0x08080808', 'public', 'public', '8.8.8.8'],
  ['1.1', 'public', 'public', '1.0.0.1'],
  ['100.63.255.255', 'public', 'public', '100.63.255.255'],
  ['100.128.0.0', 'public', 'public', '100.128.0.0'],
  ['172.15.255.255', 'public', 'public', '172.15.255.255'],
  ['172.32.0.0', 'public', 'public', '172.32.0.0'],
  ['169.253.255.255', 'public', 'public', '169.253.255.255'],
  ['223.255.255.255', 'public', 'public', '223.255.255.255'],
  ['2606:4700:4700::1111', 'public', 'public', '2606:4700:4700::1111'],
  ['::ffff:8.8.8.8', 'public', 'public', '::ffff:808:808'],
  ['64:ff9b::8.8.8.8', 'public', 'public', '64:ff9b::808:808'],
  ['2002:0808:0808::1', 'public', 'public', '2002:808:808::1'],
];

test('address classes: every range, every spelling', () => {
  for (const [text, scope, kind, address] of table) {
    const c = classifyAddress(text);
    assert.ok(c, `${text} parses`);
    assert.deepEqual([c.scope, c.kind, c.address], [scope, kind, address], text);
    assert.equal(isInternalAddress(text), scope === 'internal', text);
  }
});

test('embedded IPv4 is named with how it is carried', () => {
  assert.deepEqual(classifyAddress('::ffff:127.0.0.1')?.embedded, { via: 'ipv4-mapped', ipv4: '127.0.0.1' });
  assert.deepEqual(classifyAddress('64:ff9b::a9fe:a9fe')?.embedded, { via: 'nat64', ipv4: '169.254.169.254' });
  assert.deepEqual(classifyAddress('2002:a00:1::')?.embedded, { via: '6to4', ipv4: '10.0.0.1' });
  assert.equal(classifyAddress('8.8.8.8')?.embedded, undefined);
});

test('not addresses: names and malformed text are no address, and count as internal for a guard', () => {
  for (const text of [
    '',
    'localhost',
    'example.com',
    '1.2.3.4.5',
    '256.1.1.1',
    '1.2.3.256',
    '1.16777216',
    '4294967296',
    '0x100000000',
    '08.1.1.1',
    '1..1',
    '.1.1.1',
    '::1::',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    ':::',
    'fe80::1%',
    'fe80::1%bad zone',
    '::ffff:127.1',
    '::ffff:01.2.3.4',
    '12345::',
    'g::1',
    '1.2.3.4:80',
    `${'1'.repeat(200)}`,
    `0x${'f'.repeat(40)}`,
  ]) {
    assert.equal(parseIpAddress(text), undefined, JSON.stringify(text));
    assert.equal(isInternalAddress(text), true, JSON.stringify(text));
  }
});

test('parsing is bounded: text longer than any address is refused before it is looked at', () => {
  for (const text of [
    '1.'.repeat(100_000),
    ':'.repeat(100_000),
    `${'0'.repeat(100_000)}1`,
    `[${'a:'.repeat(50_000)}]`,
    `::ffff:${'1'.repeat(95)}`,
  ]) {
    assert.equal(parseIpAddress(text), undefined);
  }
});

test('formatting round-trips and follows RFC 5952', () => {
  assert.equal(parseIpv4('0x7f.1'), 0x7f000001n);
  for (const [text, canonical] of [
    ['2001:0db8:0000:0000:0000:0000:0002:0001', '2001:db8::2:1'],
    ['1:0:0:1:0:0:0:1', '1:0:0:1::1'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['::', '::'],
  ] as const) {
    const a = parseIpAddress(text)!;
    assert.equal(formatIpAddress(a), canonical);
    assert.deepEqual(parseIpAddress(canonical), a);
  }
});
