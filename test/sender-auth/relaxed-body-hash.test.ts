import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import mailauthBody from 'mailauth/lib/dkim/body/relaxed.js';
import { relaxedBodyHash } from '../../src/sender-auth/relaxed-body-hash.js';
import { repeatedLines, runInSmallHeap } from '../helpers/large-messages.js';
import { mutateMessage } from '../helpers/mutate-message.js';
import { seededRandom } from '../helpers/seeded-random.js';

// The body hash of the DKIM signature (relaxed canonicalization, RFC 6376 3.4.4) is what a receiver computes over the
// body as it arrives: line ends are CRLF on the wire whatever the stored copy holds. mailauth's own canonicalization,
// the verifier's side, is the reference over that wire form.

const sha256 = (text: string) => crypto.createHash('sha256').update(text, 'latin1').digest('base64');

/** The body as nodemailer sends it: each bare CR, bare LF or CRLF one CRLF, and a CRLF at the end of the data. */
function onTheWire(body: Buffer): Buffer {
  const text = body.toString('latin1').replace(/\r\n|\r|\n/g, '\r\n');
  return Buffer.from(text === '' || text.endsWith('\r\n') ? text : `${text}\r\n`, 'latin1');
}

function mailauthVerifierHash(body: Buffer): string {
  const hash = new mailauthBody.RelaxedHash('rsa-sha256');
  hash.update(onTheWire(body));
  return hash.digest('base64');
}

test("RFC 6376's example (3.4.6), an empty body, and a body without a last line end", () => {
  assert.equal(relaxedBodyHash(Buffer.from(' C \r\nD \t E\r\n\r\n\r\n')), sha256(' C\r\nD E\r\n'));
  for (const empty of ['', '\r\n', '\r\n\r\n', ' \t\r\n  '])
    assert.equal(relaxedBodyHash(Buffer.from(empty)), sha256(''));
  assert.equal(relaxedBodyHash(Buffer.from('Thanks \t')), sha256('Thanks\r\n'));
  assert.equal(relaxedBodyHash(Buffer.from('a\rb\nc \r\r\n\n d')), sha256('a\r\nb\r\nc\r\n\r\n\r\n d\r\n'));
});

test("the hash is mailauth's verifier's over the body as it goes on the wire: real messages, damaged and random", () => {
  const dirs = ['../shared/corpus/bounces', 'test/bounces/flufl-bounce'];
  const messages = dirs.flatMap((dir) =>
    fs
      .readdirSync(dir)
      .filter((f) => /\.(eml|txt)$/.test(f))
      .map((f) => fs.readFileSync(path.join(dir, f))),
  );
  assert.ok(messages.length > 200, `${messages.length} messages`);
  const random = seededRandom(46);
  const pieces = ['word', 'x'.repeat(300), ' ', '  ', '\t', '\r\n', '\r', '\n', ' \r\n', '\r\n\r\n', '.', '\xa0'];
  const bodies = [
    ...messages,
    ...Array.from({ length: 3000 }, () =>
      mutateMessage(messages[Math.floor(random() * messages.length)]!, messages, random),
    ),
    ...Array.from({ length: 20_000 }, () => {
      let text = '';
      for (let n = Math.floor(random() * 40); n > 0; n--) text += pieces[Math.floor(random() * pieces.length)];
      return Buffer.from(text, 'latin1');
    }),
  ];
  const differ = bodies.filter((b) => relaxedBodyHash(b) !== mailauthVerifierHash(b));
  assert.deepEqual(
    differ.slice(0, 3).map((b) => b.toString('latin1', 0, 200)),
    [],
    `${differ.length} of ${bodies.length} differ`,
  );
});

test('a 25 MiB body of empty lines, blank lines or bare line ends is signed within a 64 MiB heap', async () => {
  for (const [line, canonicalLine] of [
    ['\n', '\r\n'],
    [' \r\n', '\r\n'],
    ['x\n', 'x\r\n'],
  ] as const) {
    const printed = await runInSmallHeap(64, 'test/sender-auth/sign-large-body.ts', ['25', JSON.stringify(line)]);
    assert.equal(printed, sha256(repeatedLines(25, line, canonicalLine)), JSON.stringify(line));
  }
});
