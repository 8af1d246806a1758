import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headerEnd, multipartRanges } from '../../src/domain/mime/mime-ranges.js';

// The pure part finder behind personalizeCopy: header/body split and multipart part ranges, by RFC 2046's rules.

const b = (s: string): Buffer => Buffer.from(s, 'latin1');
const parts = (raw: Buffer, boundary: string, maxParts = 1000): string[] | undefined =>
  multipartRanges(raw, 0, raw.length, b(boundary), maxParts)?.map((r) =>
    raw.subarray(r.start, r.end).toString('latin1'),
  );

test('headerEnd: CRLF and LF empty lines, an empty header block, no empty line at all', () => {
  const crlf = b('A: 1\r\nB: 2\r\n\r\nbody');
  assert.deepEqual(headerEnd(crlf, 0, crlf.length), { bodyStart: 14, separated: true });
  const lf = b('A: 1\n\nbody\r\n\r\n');
  assert.deepEqual(headerEnd(lf, 0, lf.length), { bodyStart: 6, separated: true });
  const none = b('\r\nbody');
  assert.deepEqual(headerEnd(none, 0, none.length), { bodyStart: 2, separated: true });
  const only = b('A: 1\r\nB: 2');
  assert.deepEqual(headerEnd(only, 0, only.length), { bodyStart: only.length, separated: false });
  // the search stays inside the range: an empty line after `end` is not seen
  const ranged = b('xx A: 1\r\n\r\n');
  assert.deepEqual(headerEnd(ranged, 3, 9), { bodyStart: 9, separated: false });
});

test("multipartRanges: preamble and epilogue are not parts; the line break before a delimiter is the delimiter's", () => {
  const raw = b(
    'preamble\r\n--b\r\nA: 1\r\n\r\none\r\n--b\r\n\r\ntwo\r\n\r\n--b--\r\nepilogue\r\n--b\r\nnot a part\r\n',
  );
  assert.deepEqual(parts(raw, 'b'), ['A: 1\r\n\r\none', '\r\ntwo\r\n']);
});

test('multipartRanges: a delimiter at the very start, LF line ends, an empty part', () => {
  assert.deepEqual(parts(b('--b\nA: 1\n\nx\n--b\n--b--\n'), 'b'), ['A: 1\n\nx', '']);
});

test('multipartRanges: transport padding after a delimiter; look-alike lines are body text', () => {
  const raw = b('--b \t\r\none\r\n--bb\r\n--b-\r\n -b\r\n--b--x\r\nstill one\r\n--b--  \r\n');
  assert.deepEqual(parts(raw, 'b'), ['one\r\n--bb\r\n--b-\r\n -b\r\n--b--x\r\nstill one']);
});

test('multipartRanges: no close delimiter, the last part runs to the end; no delimiter at all is undefined', () => {
  assert.deepEqual(parts(b('--b\r\none\r\n--b\r\ntwo\r\n'), 'b'), ['one', 'two\r\n']);
  assert.deepEqual(parts(b('--b--'), 'b'), []);
  assert.equal(parts(b('text\r\n-- b\r\n'), 'b'), undefined);
});

test('multipartRanges: an inner multipart inside the outer one ends at the outer delimiter', () => {
  const raw = b('--o\r\nC: m\r\n\r\n--i\r\nin\r\n--i--\r\n--o\r\nlast\r\n--o--\r\n');
  const outer = multipartRanges(raw, 0, raw.length, b('o'), 10)!;
  assert.deepEqual(
    outer.map((r) => raw.subarray(r.start, r.end).toString('latin1')),
    ['C: m\r\n\r\n--i\r\nin\r\n--i--', 'last'],
  );
  const first = outer[0]!;
  const body = headerEnd(raw, first.start, first.end).bodyStart;
  const inner = multipartRanges(raw, body, first.end, b('i'), 10)!;
  assert.deepEqual(
    inner.map((r) => raw.subarray(r.start, r.end).toString('latin1')),
    ['in'],
  );
});

test('multipartRanges: more parts than allowed is refused', () => {
  const raw = b('--b\r\n1\r\n--b\r\n2\r\n--b\r\n3\r\n--b--\r\n');
  assert.equal(parts(raw, 'b', 3)?.length, 3);
  assert.throws(() => parts(raw, 'b', 2), RangeError);
});

test('multipartRanges: a part full of "--" lines that are not delimiters stays one part', () => {
  const raw = b('--b\r\n' + '\r\n--'.repeat(100_000) + '\r\n--b--\r\n');
  assert.equal(parts(raw, 'b')?.[0]?.length, 4 * 100_000);
});
