import { test } from 'node:test';
import assert from 'node:assert/strict';
import { takeMdeControlHeaders } from '../../../src/domain/relay/handoff-headers.js';
import { sourceNotHostedReply } from '../../../src/domain/relay/relay-replies.js';
import { canonicalIp, hostedSourceIps } from '../../../src/domain/relay/source-ips.js';

const message =
  'From: a@mde.example\r\nTo: b@dest.example\r\nSubject: hi\r\n\r\nX-Mde-Source-Ip: 10.9.9.9 (in the body: not a header)\r\n';

test('prepended control headers are read and removed; the rest stays byte for byte', () => {
  const raw = Buffer.from(`X-Mde-Source-Ip: 127.0.0.3\r\nX-Mde-Priority: 10\r\n${message}`);
  const { raw: out, control } = takeMdeControlHeaders(raw);
  assert.equal(out.toString(), message);
  assert.deepEqual(control, { sourceIp: '127.0.0.3', priority: 10, problems: [] });
});

test('every X-Mde-* field goes, anywhere in the header block, any case, folded, with LF line endings too', () => {
  const raw = Buffer.from(
    'From: a@mde.example\nx-mde-priority:   -10 \nSubject: folded\n  subject\nX-MDE-Trace: one\n\ttwo\nX-Mde-Source-Ip:\n 2001:DB8::1\nTo: b@dest.example\n\nbody\n',
  );
  const { raw: out, control } = takeMdeControlHeaders(raw);
  assert.equal(out.toString(), 'From: a@mde.example\nSubject: folded\n  subject\nTo: b@dest.example\n\nbody\n');
  assert.deepEqual(control, { sourceIp: '2001:DB8::1', priority: -10, problems: [] });
});

test('without control headers: the same buffer, default address, priority 0', () => {
  const raw = Buffer.from(message);
  const r = takeMdeControlHeaders(raw);
  assert.equal(r.raw, raw);
  assert.deepEqual(r.control, { priority: 0, problems: [] });
});

test('8-bit header bytes and a message that is all header block survive untouched', () => {
  const latin = Buffer.concat([
    Buffer.from('X-Mde-Priority: 1\r\nSubject: '),
    Buffer.from([0xe9, 0xff]),
    Buffer.from('\r\nX-Other: x'),
  ]);
  const r = takeMdeControlHeaders(latin);
  assert.deepEqual([...r.raw], [...latin.subarray('X-Mde-Priority: 1\r\n'.length)]);
  assert.equal(r.control.priority, 1);
});

test('a malformed priority is 0 with a problem noted; a huge one is clamped; the first of repeated headers counts', () => {
  const bad = takeMdeControlHeaders(Buffer.from(`X-Mde-Priority: high\r\n${message}`));
  assert.equal(bad.control.priority, 0);
  assert.match(bad.control.problems[0] ?? '', /not an integer/);
  assert.equal(bad.raw.toString(), message);
  assert.equal(
    takeMdeControlHeaders(Buffer.from(`X-Mde-Priority: 99999999999\r\n${message}`)).control.priority,
    1_000_000,
  );
  const twice = takeMdeControlHeaders(
    Buffer.from(`X-Mde-Source-Ip: 127.0.0.3\r\nX-Mde-Source-Ip: 127.0.0.4\r\n${message}`),
  );
  assert.equal(twice.control.sourceIp, '127.0.0.3');
  const empty = takeMdeControlHeaders(Buffer.from(`X-Mde-Source-Ip:\r\n${message}`));
  assert.equal(empty.control.sourceIp, undefined);
  assert.match(empty.control.problems[0] ?? '', /empty/);
});

test('source addresses: one canonical spelling; the hosted set is the default first, then the others, once each', () => {
  assert.equal(canonicalIp(' 127.0.0.2 '), '127.0.0.2');
  assert.equal(canonicalIp('2001:DB8:0:0::1'), '2001:db8::1');
  for (const bad of ['127.0.0.256', '127.1', 'relay.example', '1:2:3:4:5:6:7:8:9', '', '[::1]'])
    assert.equal(canonicalIp(bad), undefined, bad);
  assert.deepEqual(hostedSourceIps('127.0.0.2', ['127.0.0.3', '127.0.0.2', '2001:db8::1', '2001:DB8::1']), [
    '127.0.0.2',
    '127.0.0.3',
    '2001:db8::1',
  ]);
  assert.throws(() => hostedSourceIps('127.0.0.2', ['nope']), /not an IP address/);
  assert.deepEqual(sourceNotHostedReply('127.0.0.9', 'relay-1'), {
    code: 550,
    enhanced: '5.7.1',
    text: 'Source address 127.0.0.9 is not hosted on relay relay-1',
  });
});
