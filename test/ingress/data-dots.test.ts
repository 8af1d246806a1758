import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SMTPStream } from 'smtp-server/lib/smtp-stream.js';
import { seededRandom } from '../helpers/seeded-random.js';

// The DATA reader with escape dots removed in one pass per chunk (src/smtp/data-dots-patch.ts) against smtp-server's
// own, on the same bytes cut into the same chunks: the same payload for each message, the same end of DATA, the same
// commands after it, the same byte counts. The inputs are made of what the reader decides on: line-start dots, escape
// dots, terminators whole and split, bare CRs and LFs, and a second DATA in the same stream.

type Feed = (this: unknown, chunk: Buffer, done: () => void) => void;
const proto = SMTPStream.prototype as unknown as { _feedDataStream: Feed };
const original = proto._feedDataStream;
const { applyDataDotsPatch } = await import('../../src/smtp/data-dots-patch.js');
applyDataDotsPatch();
const patched = proto._feedDataStream;
assert.notEqual(patched, original, 'the patch replaces the reader');

interface Received {
  messages: Array<{ payload: string; ended: boolean; bytes: number; sizeExceeded: boolean }>;
  commands: string[];
  finished: boolean;
}

async function receive(feed: Feed, chunks: readonly Buffer[], maxBytes: number): Promise<Received> {
  const stream = new SMTPStream();
  (stream as unknown as { _feedDataStream: Feed })._feedDataStream = feed;
  const got: Received = { messages: [], commands: [], finished: false };
  const startData = (): void => {
    const data = stream.startDataMode(maxBytes) as ReturnType<SMTPStream['startDataMode']> & {
      byteLength: number;
      sizeExceeded: boolean;
    };
    const message = { payload: '', ended: false, bytes: 0, sizeExceeded: false };
    got.messages.push(message);
    data.on('data', (c: Buffer) => (message.payload += c.toString('latin1')));
    data.on('end', () => {
      Object.assign(message, { ended: true, bytes: data.byteLength, sizeExceeded: data.sizeExceeded });
      stream.continue();
    });
  };
  // At the end of input smtp-server hands over a last line without a newline, and no callback.
  stream.oncommand = (command: Buffer, callback?: () => void) => {
    const line = command.toString('latin1');
    got.commands.push(line);
    if (line === 'DATA') startData();
    callback?.();
  };
  startData();
  stream.on('finish', () => (got.finished = true));
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  // smtp-server's reader goes on over later event-loop turns (one per escape dot); let them run out. Some pipelined
  // inputs never finish in either reader (a DATA ended within the previous one's continue() loses its continuation):
  // that too must be the same.
  for (let turn = 0; turn < 1000 && !got.finished; turn++) await new Promise((resolve) => setImmediate(resolve));
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
  return got;
}

test('escape dots removed in one pass: the same messages, ends of DATA and commands as smtp-server reads', async () => {
  const random = seededRandom(2026);
  const pieces = ['.', '..', '...', '\r\n', '\r\n.\r\n', '\r\n..\r\n', '.\r\n', 'x', 'ab', '\r', '\n', 'DATA\r\n', ' '];
  let compared = 0;
  for (let n = 0; n < 3000; n++) {
    let text = '';
    for (let k = 1 + Math.floor(random() * 40); k > 0; k--) text += pieces[Math.floor(random() * pieces.length)];
    const bytes = Buffer.from(text, 'latin1');
    const chunks: Buffer[] = [];
    for (let at = 0; at < bytes.length;) {
      const size = random() < 0.3 ? bytes.length : 1 + Math.floor(random() * 8);
      chunks.push(bytes.subarray(at, at + size));
      at += size;
    }
    const maxBytes = random() < 0.2 ? 1 + Math.floor(random() * 20) : 0;
    const expected = await receive(original, chunks, maxBytes);
    const actual = await receive(patched, chunks, maxBytes);
    assert.deepEqual(actual, expected, JSON.stringify({ text, sizes: chunks.map((c) => c.length), maxBytes }));
    compared++;
  }
  assert.equal(compared, 3000);
});
