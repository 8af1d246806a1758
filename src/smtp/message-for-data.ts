import { Readable } from 'node:stream';
import { withCrlfLineEnds } from '../domain/mime/line-ends.js';

// nodemailer escapes DATA (dot-stuffing, CRLF line ends) one chunk at a time, keeping a slice of the chunk for every
// byte it inserts until the chunk is done. Handed a 16 MiB message whole, one of bare LFs took it 8.6 s and 2.5 GiB,
// one of lines that are a single dot 2.1 s and 0.8 GiB. So it gets the message with its line ends already CRLF and in
// 64 KiB chunks, which bounds what one chunk can cost.

const CHUNK_BYTES = 64 * 1024;

/** A stored message as nodemailer's `raw` (or SMTPConnection's message) for DATA. */
export function messageForData(raw: Buffer): Readable {
  const wire = withCrlfLineEnds(raw);
  return Readable.from(
    (function* chunks() {
      for (let at = 0; at < wire.length; at += CHUNK_BYTES) yield wire.subarray(at, at + CHUNK_BYTES);
    })(),
    { objectMode: false },
  );
}
