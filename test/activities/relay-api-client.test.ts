import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { fetchStatusFeed } from '../../src/activities/relay-api-client.js';
import { SIGNATURE_HEADER, signRelayMessage, signed } from '../../src/relay-protocol/auth.js';

// The worker's client for a relay's status API reads an answer only up to its bound (16 MiB): a relay, or whatever
// answers at its address, that sends without end is cut off there, and a normal answer sent in many chunks is read
// whole. A real HTTP server on loopback stands in for the relay.

const secret = 'relay-secret-for-this-test';
const MiB = 1024 * 1024;

type Answer = (req: http.IncomingMessage, res: http.ServerResponse) => void;
let answer: Answer = () => undefined;
/** What the server saw of its last answer: bytes it wrote, and whether the answer ended or the client hung up first. */
let last = { written: 0, finished: false, closed: Promise.resolve() };

const server = http.createServer((req, res) => {
  let markClosed = () => undefined as void;
  last = { written: 0, finished: false, closed: new Promise<void>((r) => (markClosed = r)) };
  res.on('finish', () => (last.finished = true));
  res.on('close', () => markClosed());
  answer(req, res);
});
let url = '';

before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

/** The signature a relay puts on `body` in answer to this request. */
function signedFor(req: http.IncomingMessage, body: string): string {
  const v1 = /v1=([0-9a-f]{64})/.exec(String(req.headers[SIGNATURE_HEADER]))?.[1] ?? '';
  return signRelayMessage(secret, signed.answer(v1, body), Date.now()).header;
}

/** Writes `total` bytes of spaces in 64 KiB chunks, as fast as the client reads them, then ends. */
function stream(res: http.ServerResponse, total: number): void {
  const chunk = Buffer.alloc(64 * 1024, ' ');
  const more = () => {
    while (last.written < total && !res.destroyed) {
      last.written += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', more);
    }
    if (!res.destroyed) res.end();
  };
  more();
}

test('a signed answer within the bound, sent in many chunks, is read whole', async () => {
  const body = `${' '.repeat(3 * MiB)}{"items":[],"next":7}`;
  answer = (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', [SIGNATURE_HEADER]: signedFor(req, body) });
    const half = Math.floor(body.length / 2);
    res.write(body.slice(0, half));
    res.end(body.slice(half));
  };
  const page = await fetchStatusFeed(url, secret, 0);
  assert.deepEqual(page, { items: [], next: 7 });
});

test('an answer that never stops is cut off past 16 MiB: the client hangs up, the answer is refused', async () => {
  answer = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    stream(res, 256 * MiB);
  };
  await assert.rejects(fetchStatusFeed(url, secret, 0), /relay answer over 16777216 bytes/);
  await last.closed;
  assert.equal(last.finished, false, 'the client hung up before the answer ended');
  // What the server could write before the hang-up: the bound and what the sockets buffer, far from the 256 MiB.
  assert.ok(last.written < 64 * MiB, `${last.written} bytes written`);
});

test('an answer that declares more than 16 MiB is refused without reading its body', async () => {
  answer = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(256 * MiB) });
    stream(res, 256 * MiB);
  };
  await assert.rejects(fetchStatusFeed(url, secret, 0), /relay answer over 16777216 bytes/);
  await last.closed;
  assert.equal(last.finished, false, 'the client hung up before the answer ended');
  assert.ok(last.written < 16 * MiB, `${last.written} bytes written`);
});
