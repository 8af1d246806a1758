import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cidrContains,
  cidrsOverlap,
  findContainingCidr,
  normalizeIp,
  parseCidr,
  type Cidr,
} from '../../../src/domain/network/cidr.js';

const cidr = (s: string): Cidr => {
  const c = parseCidr(s);
  if ('error' in c) throw new Error(c.error);
  return c;
};

test('IPv4 ranges contain the addresses inside them and no others', () => {
  assert.equal(cidrContains(cidr('10.1.0.0/16'), '10.1.255.7'), true);
  assert.equal(cidrContains(cidr('10.1.0.0/16'), '10.2.0.1'), false);
  assert.equal(cidrContains(cidr('0.0.0.0/0'), '203.0.113.9'), true);
  assert.equal(cidrContains(cidr('192.0.2.5'), '192.0.2.5'), true);
  assert.equal(cidrContains(cidr('192.0.2.5'), '192.0.2.6'), false);
});

test('IPv6 ranges, compressed forms and IPv4-mapped peers', () => {
  assert.equal(cidrContains(cidr('2001:db8::/32'), '2001:db8:abcd::1'), true);
  assert.equal(cidrContains(cidr('2001:db8::/32'), '2001:db9::1'), false);
  assert.equal(cidrContains(cidr('::1/128'), '::1'), true);
  // Node reports IPv4 clients of a dual-stack listener as ::ffff:a.b.c.d
  assert.equal(cidrContains(cidr('127.0.0.0/8'), '::ffff:127.0.0.1'), true);
  assert.equal(normalizeIp('::ffff:127.0.0.1'), '127.0.0.1');
  assert.equal(normalizeIp('2001:0db8:0000:0000:0000:0000:0000:0001'), '2001:db8::1');
  assert.equal(cidrContains(cidr('10.0.0.0/8'), '2001:db8::1'), false);
});

test('malformed ranges are refused with a reason', () => {
  for (const bad of [
    '10.0.0.0/33',
    '10.0.0.256',
    'example.com',
    '10.0.0.1/8',
    '2001:db8::/129',
    '1.2.3.4/8/9',
    '01.2.3.4',
  ]) {
    const r = parseCidr(bad);
    assert.ok('error' in r, `${bad} should be refused`);
  }
  assert.match((parseCidr('10.0.0.1/8') as { error: string }).error, /did you mean 10\.0\.0\.0\/8/);
});

test('overlap detection between ranges', () => {
  assert.equal(cidrsOverlap(cidr('10.0.0.0/8'), cidr('10.20.0.0/16')), true);
  assert.equal(cidrsOverlap(cidr('10.20.0.0/16'), cidr('10.0.0.0/8')), true);
  assert.equal(cidrsOverlap(cidr('10.0.0.0/16'), cidr('10.1.0.0/16')), false);
  assert.equal(cidrsOverlap(cidr('10.0.0.0/8'), cidr('::/0')), false);
  assert.equal(findContainingCidr(['192.0.2.0/24', '10.0.0.0/8'], '10.9.9.9'), '10.0.0.0/8');
  assert.equal(findContainingCidr([], '10.9.9.9'), undefined);
});
