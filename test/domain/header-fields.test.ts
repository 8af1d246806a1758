import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HEADER_LIMITS,
  headerFields,
  parseHeaderBlock,
  type HeaderBlock,
  type HeaderBlockProblem,
} from '../../src/domain/mime/header-fields.js';
import { headerBlockEnd } from '../../src/domain/mime/message-headers.js';
import {
  bareCrRun,
  bareLfLines,
  colonLessLines,
  manyContinuations,
  manyTinyFields,
  oneColonLessLine,
  oneLongField,
  ordinaryHeaders,
} from '../helpers/hostile-inputs.js';

// The strict header-block reader used at ingress: bounded, one pass, and it refuses what other software could read
// differently. Linearity is measured by the parsers bench; here the bounds and the refusals are checked.

const b = (s: string): Buffer => Buffer.from(s, 'latin1');
const problem = (r: HeaderBlock): HeaderBlockProblem | 'ok' => (r.ok ? 'ok' : r.problem);
const names = (r: HeaderBlock): string[] => (r.ok ? r.fields.map((f) => f.name) : []);

test('a CRLF header block splits into fields; folded lines belong to their field; the body is not read', () => {
  const raw = b(
    'From: a@example.com\r\nSubject: one\r\n two\r\n\tthree\r\nX-Empty:\r\nFrom : b@example.com\r\n\r\nbody\nwith bare LF\rand CR\r\n',
  );
  const r = parseHeaderBlock(raw);
  assert.ok(r.ok);
  assert.deepEqual(names(r), ['from', 'subject', 'x-empty', 'from']);
  assert.equal(r.end, raw.indexOf('body'));
  assert.equal(raw.toString('latin1', r.fields[1]!.start, r.fields[1]!.end), 'Subject: one\r\n two\r\n\tthree\r\n');
  // The same fields as the lenient reader finds for a well-formed block.
  assert.deepEqual(headerFields(raw, headerBlockEnd(raw)).slice(0, 4), r.fields);
});

test('a message without a blank line is all header; a last line without CRLF counts', () => {
  const raw = b('From: a@example.com\r\nSubject: x');
  const r = parseHeaderBlock(raw);
  assert.ok(r.ok);
  assert.deepEqual(names(r), ['from', 'subject']);
  assert.equal(r.end, raw.length);
  assert.equal(problem(parseHeaderBlock(b('From: a@example.com\r\n'))), 'ok');
});

test('a bare CR or bare LF anywhere in the header block is refused, wherever it would end the block', () => {
  assert.equal(
    problem(
      parseHeaderBlock(b('X-A: x\rFrom: CEO <ceo@victim.test>\r\rSubject: hi\r\nFrom: <me@own.test>\r\n\r\nbody\r\n')),
    ),
    'bare-line-ending',
  );
  assert.equal(problem(parseHeaderBlock(b('From: a@example.com\nSubject: x\n\nbody\n'))), 'bare-line-ending');
  assert.equal(problem(parseHeaderBlock(b('From: a@example.com\r\nSubject: x\n\r\nbody\r\n'))), 'bare-line-ending');
  assert.equal(problem(parseHeaderBlock(b('From: a@example.com\r\n\n'))), 'bare-line-ending');
  assert.equal(problem(parseHeaderBlock(b('From: a@example.com\r'))), 'bare-line-ending');
  assert.equal(problem(parseHeaderBlock(bareCrRun(1000))), 'bare-line-ending');
  assert.equal(problem(parseHeaderBlock(bareLfLines(1000))), 'bare-line-ending');
});

test('a line that is neither a field nor a continuation is refused', () => {
  assert.equal(problem(parseHeaderBlock(b('From: a@example.com\r\nno colon here\r\n\r\n'))), 'malformed-field');
  assert.equal(
    problem(parseHeaderBlock(b(' From: ceo@victim.test\r\nFrom: a@example.com\r\n\r\n'))),
    'malformed-field',
  );
  assert.equal(problem(parseHeaderBlock(b('From me: a@example.com\r\n\r\n'))), 'malformed-field');
  assert.equal(problem(parseHeaderBlock(b(': no name\r\n\r\n'))), 'malformed-field');
  assert.equal(
    problem(parseHeaderBlock(b('From sender@example.com Mon Jan  1 12:00:00 2024\r\nFrom: a@example.com\r\n\r\n'))),
    'malformed-field',
  );
  assert.equal(problem(parseHeaderBlock(b('Caf\xe9: x\r\n\r\n'))), 'malformed-field');
});

test('limits at their edges (small limits): block size, field count, field size with its continuation lines', () => {
  const limits = { maxBlockBytes: 40, maxFields: 3, maxFieldBytes: 16 };
  // Block: 40 bytes up to and including the blank line pass; 41 do not.
  assert.equal(problem(parseHeaderBlock(b('A: 1234567890\r\nB: 1234567890\r\nC: 123\r\n\r\nbody'), limits)), 'ok');
  assert.equal(
    problem(parseHeaderBlock(b('A: 1234567890\r\nB: 1234567890\r\nC: 1234\r\n\r\nbody'), limits)),
    'block-too-large',
  );
  assert.equal(problem(parseHeaderBlock(b('A: 1\r\nB: 1\r\nC: 1\r\n\r\n'), limits)), 'ok');
  assert.equal(problem(parseHeaderBlock(b('A: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\n\r\n'), limits)), 'too-many-fields');
  // Field: 16 bytes with its CRLF passes, 17 does not, whether on one line or folded.
  assert.equal(problem(parseHeaderBlock(b('A: 12345678901\r\n\r\n'), limits)), 'ok');
  assert.equal(problem(parseHeaderBlock(b('A: 123456789012\r\n\r\n'), limits)), 'field-too-large');
  assert.equal(problem(parseHeaderBlock(b('A: 1234\r\n 1234\r\n\r\n'), limits)), 'ok');
  assert.equal(problem(parseHeaderBlock(b('A: 1234\r\n 12345\r\n\r\n'), limits)), 'field-too-large');
  // A field still open when the scan reaches its limit is refused without reading on.
  assert.equal(
    problem(parseHeaderBlock(b(`A: ${'x'.repeat(100)}`), { ...limits, maxBlockBytes: 1000 })),
    'field-too-large',
  );
});

test('the real limits: 1 MiB block, 10,000 fields, 100 KiB per field', () => {
  assert.deepEqual(HEADER_LIMITS, { maxBlockBytes: 1024 * 1024, maxFields: 10_000, maxFieldBytes: 100 * 1024 });
  const field = (i: number): string => `X-F${i}: ${'v'.repeat(190)}\r\n`;
  const lines = (n: number): string => Array.from({ length: n }, (_, i) => field(i)).join('');
  // About 1.05 MiB of well-formed 200-byte fields (fewer than 10,000): too large as a block.
  assert.equal(problem(parseHeaderBlock(b(`${lines(5500)}\r\nbody\r\n`))), 'block-too-large');
  assert.equal(problem(parseHeaderBlock(b(`${lines(5000)}\r\nbody\r\n`))), 'ok');
  assert.equal(problem(parseHeaderBlock(b(`${'A: 1\r\n'.repeat(10_000)}\r\n`))), 'ok');
  assert.equal(problem(parseHeaderBlock(b(`${'A: 1\r\n'.repeat(10_001)}\r\n`))), 'too-many-fields');
  assert.equal(problem(parseHeaderBlock(b(`A: ${'x'.repeat(100 * 1024 - 5)}\r\n\r\n`))), 'ok');
  assert.equal(problem(parseHeaderBlock(b(`A: ${'x'.repeat(100 * 1024 - 4)}\r\n\r\n`))), 'field-too-large');
  assert.equal(problem(parseHeaderBlock(manyContinuations(200 * 1024))), 'field-too-large');
  assert.equal(problem(parseHeaderBlock(oneLongField(200 * 1024))), 'field-too-large');
  assert.equal(problem(parseHeaderBlock(ordinaryHeaders(900 * 1024))), 'ok');
  assert.equal(problem(parseHeaderBlock(ordinaryHeaders(1100 * 1024))), 'block-too-large');
  assert.equal(problem(parseHeaderBlock(manyTinyFields(1024 * 1024))), 'too-many-fields');
});

test('a 2 MiB colon-less block is refused for its size, not read to the end', () => {
  const longLines = b(`${`${'a'.repeat(1000)}\r\n`.repeat(2100)}\r\nbody\r\n`);
  assert.ok(longLines.length > 2 * 1024 * 1024);
  assert.equal(problem(parseHeaderBlock(longLines)), 'block-too-large');
  assert.equal(problem(parseHeaderBlock(colonLessLines(2 * 1024 * 1024))), 'too-many-fields');
  assert.equal(problem(parseHeaderBlock(oneColonLessLine(2 * 1024 * 1024))), 'field-too-large');
  // Size wins over shape: a bare LF early in an oversize block still reads as "too large".
  assert.equal(
    problem(parseHeaderBlock(b(`X: a\nY: b\r\n${`${'a'.repeat(1000)}\r\n`.repeat(2 * 1024)}`))),
    'block-too-large',
  );
});

test('the lenient reader (relay intake, record stage) looks for the colon inside the line only', () => {
  const raw = b('no colon\r\nX-A: 1\r\n\r\n');
  assert.deepEqual(
    headerFields(raw, headerBlockEnd(raw)).map((f) => f.name),
    ['', 'x-a', ''],
  );
  const long = colonLessLines(2 * 1024 * 1024);
  const fields = headerFields(long, headerBlockEnd(long));
  assert.equal(fields.filter((f) => f.name !== '').length, 1);
});
