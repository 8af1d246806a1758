// mailsplit ships no types; this declares the classes we use: a parsed RFC 5322 header block, and the streaming
// Splitter/Joiner pair (src/tracking/personalize-copy.ts) that takes a message apart into nodes and puts it back.
declare module 'mailsplit' {
  import type { Transform } from 'node:stream';

  export class Headers {
    constructor(headers: Buffer | string, config?: Record<string, unknown>);
    get(key: string): string[];
    getFirst(key: string): string;
    hasHeader(key: string): boolean;
    getList(): Array<{ key: string; line: string }>;
  }

  /** One MIME part as the Splitter emits it (its headers parsed; the body follows as `body` chunks). */
  export interface MimeNode {
    type: 'node';
    root: boolean;
    headers: Headers;
    /** Lower-cased media type, false when absent. */
    contentType: string | false;
    /** Lower-cased Content-Transfer-Encoding ('' when absent). */
    encoding: string;
    charset: string | false;
    disposition: string | false;
    multipart: string | false;
    getHeaders(): Buffer;
    getDecoder(): Transform;
    getEncoder(encoding?: string): Transform;
  }

  export type SplitterChunk =
    MimeNode | { type: 'body'; value: Buffer; node: MimeNode } | { type: 'data'; value: Buffer };

  /** Object-mode output: MimeNode, then its body chunks; `data` chunks are boundaries, preambles and epilogues. */
  export class Splitter extends Transform {
    constructor(config?: { ignoreEmbedded?: boolean; maxHeadSize?: number; maxChildNodes?: number });
  }

  /** Object-mode input (Splitter chunks), bytes out. */
  export class Joiner extends Transform {
    constructor();
  }

  const mailsplit: { Headers: typeof Headers; Splitter: typeof Splitter; Joiner: typeof Joiner };
  export default mailsplit;
}
