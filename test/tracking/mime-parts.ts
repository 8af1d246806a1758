import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import mailsplit, { type SplitterChunk } from 'mailsplit';

/** A message as the sequence mailsplit sees it: each part's header block, body bytes, and the bytes between parts. */
export interface MimeChunk {
  kind: 'headers' | 'body' | 'data';
  contentType: string;
  bytes: Buffer;
}

export async function mimeChunks(raw: Buffer): Promise<MimeChunk[]> {
  const out: MimeChunk[] = [];
  const splitter = new mailsplit.Splitter({ ignoreEmbedded: true });
  splitter.end(raw);
  await pipeline(
    splitter,
    new Writable({
      objectMode: true,
      write(c: SplitterChunk, _enc, cb) {
        if (c.type === 'node') out.push({ kind: 'headers', contentType: c.contentType || '', bytes: c.getHeaders() });
        else if (c.type === 'body') {
          const last = out.at(-1);
          if (last?.kind === 'body') last.bytes = Buffer.concat([last.bytes, c.value]);
          else out.push({ kind: 'body', contentType: c.node.contentType || '', bytes: c.value });
        } else out.push({ kind: 'data', contentType: '', bytes: c.value });
        cb();
      },
    }),
  );
  return out;
}
