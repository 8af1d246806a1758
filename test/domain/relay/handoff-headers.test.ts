import { test } from 'node:test';
import assert from 'node:assert/strict';
import { takeMdeControlHeaders, withHandoffHeaders } from '../../../src/domain/relay/handoff-headers.js';

// The MDE writes the handoff control lines and the relay reads them with the same module: what one side writes, the
// other reads back exactly, and the message the destination gets is the one the MDE stored, byte for byte.

const cases: Array<{ name: string; raw: string; sourceIp: string; priority: number; expectPriority: number }> = [
  {
    name: 'CRLF message, IPv4, bulk priority',
    raw: 'From: a@s.test\r\nTo: b@d.test\r\nSubject: hi\r\n\r\nbody\r\n',
    sourceIp: '127.0.0.3',
    priority: -5,
    expectPriority: -5,
  },
  {
    name: 'LF message, IPv6, fractional priority truncated',
    raw: 'From: a@s.test\nSubject: lf\n\nbody\n',
    sourceIp: '2001:db8::7',
    priority: 10.9,
    expectPriority: 10,
  },
  { name: 'empty message', raw: '', sourceIp: '10.0.0.1', priority: 0, expectPriority: 0 },
  {
    name: 'priority beyond the limit is clamped by the reader',
    raw: 'Subject: x\r\n\r\n',
    sourceIp: '10.0.0.1',
    priority: 5_000_000,
    expectPriority: 1_000_000,
  },
];

for (const c of cases) {
  test(`handoff headers round trip: ${c.name}`, () => {
    const handed = withHandoffHeaders(Buffer.from(c.raw), { sourceIp: c.sourceIp, priority: c.priority });
    assert.notEqual(handed.length, Buffer.byteLength(c.raw), 'control lines were written');
    const { raw, control } = takeMdeControlHeaders(handed);
    assert.equal(raw.toString(), c.raw);
    assert.deepEqual(control, { sourceIp: c.sourceIp, priority: c.expectPriority, problems: [] });
  });
}
