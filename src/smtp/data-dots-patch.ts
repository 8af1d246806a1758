import { SMTPStream } from 'smtp-server/lib/smtp-stream.js';

// smtp-server removes each escape dot of DATA (RFC 5321 4.5.2) by writing what came before it and feeding the rest of
// the chunk again on a later event-loop turn (setImmediate). A message of lines that begin with a dot then costs a turn
// per line: 8 MiB of them took 6.3 s of CPU to receive, 135 times an ordinary message, on every port built on it
// (the ingress, the relays' intake, and the bounce receiver, open to anyone who holds one of our return paths). This
// is smtp-server's own `_feedDataStream` (3.21), the same checks in the same order, with the escape dots of a chunk
// removed in one pass and the rest written at once, with backpressure as smtp-server writes it.

const DOT = 0x2e;
const CR = 0x0d;
const LF = 0x0a;
const DOT_CRLF = Buffer.from('.\r\n');

interface DataModeStream {
  _dataStream: (NodeJS.WritableStream & { writable: boolean; destroyed: boolean }) | null;
  _lastBytes: Buffer | false;
  _atDataStart: boolean;
  _countDataBytes(length: number): void;
  _endDataMode(chunk: Buffer | false, remainder: Buffer, done: () => void): void;
}

function feedDataStream(this: DataModeStream, input: Buffer, done: () => void): void {
  const dataStream = this._dataStream as NonNullable<DataModeStream['_dataStream']>;
  let chunk = input;
  if (this._lastBytes && this._lastBytes.length) {
    chunk = Buffer.concat([this._lastBytes, chunk], this._lastBytes.length + chunk.length);
    this._lastBytes = false;
  }
  // A terminator right at the start of DATA ends it; a leading escape dot there is removed (smtp-server's comments
  // explain why only `_atDataStart` may decide this: SMTP smuggling across TCP segments).
  if (this._atDataStart && chunk.length >= 3 && chunk.subarray(0, 3).equals(DOT_CRLF)) {
    this._endDataMode(false, chunk.subarray(3), done);
    return;
  }
  if (this._atDataStart && chunk.length >= 2 && chunk[0] === DOT && chunk[1] === DOT) {
    chunk = chunk.subarray(1);
    this._atDataStart = false;
  }
  // Without escape dots the payload is a slice of the chunk; from the first one on it is copied into `out`, piece by
  // piece, leaving the dots out.
  let out: Buffer | undefined;
  let written = 0;
  let start = 0;
  const len = chunk.length;
  const payloadUpTo = (end: number): Buffer => {
    if (!out) return chunk.subarray(start, end);
    written += chunk.copy(out, written, start, end);
    return out.subarray(0, written);
  };
  for (let i = 2; i < len - 2; i++) {
    if (chunk[i] !== DOT || chunk[i - 1] !== LF) continue;
    if (chunk[i - 2] === CR && chunk[i + 1] === CR && chunk[i + 2] === LF) {
      // Everything before the terminator is payload, including the CRLF that ends the last line.
      const payload = payloadUpTo(i);
      const remainder = chunk.subarray(i + 3);
      afterEscapes(out !== undefined, () => {
        this._countDataBytes(payload.length);
        this._endDataMode(payload, remainder, done);
      });
      return;
    }
    if (chunk[i + 1] === DOT) {
      out ??= Buffer.allocUnsafe(len);
      written += chunk.copy(out, written, start, i);
      start = i + 1;
      // The payload dot at i + 1 and the byte after it cannot begin a line: go on from there.
      i += 2;
    }
  }
  // The last 4 bytes may be the start of a terminator split across chunks: kept for the next one.
  const keep = Math.min(len - start, 4);
  this._lastBytes = chunk.subarray(len - keep);
  const payload = payloadUpTo(len - keep);
  afterEscapes(out !== undefined, () => {
    if (payload.length === 0) return done();
    this._countDataBytes(payload.length);
    if (!dataStream.writable || dataStream.write(payload) || dataStream.destroyed) return done();
    // A stream that the application destroys never drains, it only closes.
    const onDrain = (): void => {
      dataStream.removeListener('drain', onDrain);
      dataStream.removeListener('close', onDrain);
      done();
    };
    dataStream.once('drain', onDrain);
    dataStream.once('close', onDrain);
  });
}

/**
 * smtp-server goes on after an escape dot on a later turn, and the application's `continue()` after one DATA may
 * depend on that (it clears its continuation only after calling it, so a next DATA ended in the same call would lose
 * its own). One turn for a chunk that had escape dots keeps that order, instead of one turn per dot.
 */
function afterEscapes(hadEscapes: boolean, then: () => void): void {
  if (hadEscapes) setImmediate(then);
  else then();
}

let applied = false;

export function applyDataDotsPatch(): void {
  if (applied) return;
  applied = true;
  (SMTPStream.prototype as unknown as { _feedDataStream: typeof feedDataStream })._feedDataStream = feedDataStream;
}
