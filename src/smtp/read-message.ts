import type { SMTPServerDataStream } from 'smtp-server';

/**
 * Reads a DATA stream whole. Past the server's size limit smtp-server keeps reading (so the client sees the reply
 * only at the end) but flags the stream: the bytes are dropped and the result says it was too big.
 */
export function readMessage(stream: SMTPServerDataStream): Promise<{ tooBig: true } | { tooBig: false; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => {
      if (!stream.sizeExceeded) chunks.push(c);
    });
    stream.once('error', reject);
    stream.once('end', () =>
      resolve(stream.sizeExceeded ? { tooBig: true } : { tooBig: false, body: Buffer.concat(chunks) }),
    );
  });
}
