import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withCrlfLineEnds } from '../../src/domain/mime/line-ends.js';
import { seededRandom } from '../helpers/seeded-random.js';

// Line ends as SMTP carries them: each bare CR and each bare LF becomes CRLF, CRLF stays, nothing else changes.

test('bare CRs and LFs become CRLF; CRLF and every other byte are kept; a message without bare ones is returned as is', () => {
  const cases: Array<[string, string]> = [
    ['a\nb\rc\r\nd', 'a\r\nb\r\nc\r\nd'],
    ['\r\r\n\n\r', '\r\n\r\n\r\n\r\n'],
    ['\n', '\r\n'],
    ['x\r', 'x\r\n'],
    ['', ''],
  ];
  for (const [given, expected] of cases)
    assert.equal(withCrlfLineEnds(Buffer.from(given, 'latin1')).toString('latin1'), expected, JSON.stringify(given));
  const clean = Buffer.from('From: a@b.test\r\n\r\nHello.\r\n');
  assert.equal(withCrlfLineEnds(clean), clean, 'no copy when there is nothing to change');

  const random = seededRandom(5);
  const pieces = ['\r', '\n', '\r\n', 'x', '.', ' ', '\r\r', '\n\n'];
  for (let n = 0; n < 5000; n++) {
    let text = '';
    for (let k = Math.floor(random() * 30); k > 0; k--) text += pieces[Math.floor(random() * pieces.length)];
    assert.equal(
      withCrlfLineEnds(Buffer.from(text, 'latin1')).toString('latin1'),
      text.replace(/\r\n|\r|\n/g, '\r\n'),
      JSON.stringify(text),
    );
  }
});
