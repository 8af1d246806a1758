// mailsplit's MimeNode class on its own (the Splitter builds these): src/tracking/personalize-copy.ts feeds it one
// part's header block and uses its header parsing and its transfer decoder/encoder.
declare module 'mailsplit/lib/mime-node.js' {
  import type { MimeNode } from 'mailsplit';

  interface MimeNodeConstructor {
    new (
      parentNode: false,
      config?: Record<string, unknown>,
    ): MimeNode & {
      addHeaderChunk(line: Buffer): void;
      parseHeaders(): void;
      /** The multipart boundary as bytes, false when there is none. */
      _boundary: Buffer | false;
    };
  }
  const MimeNodeClass: MimeNodeConstructor;
  export default MimeNodeClass;
}
