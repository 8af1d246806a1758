// mailsplit ships no types; this declares the one class we use (a parsed RFC 5322 header block).
declare module 'mailsplit' {
  export class Headers {
    constructor(headers: Buffer | string, config?: Record<string, unknown>);
    get(key: string): string[];
    getFirst(key: string): string;
    hasHeader(key: string): boolean;
    getList(): Array<{ key: string; line: string }>;
    remove(key: string): void;
    build(lineEnd?: string): Buffer;
  }
  const mailsplit: { Headers: typeof Headers };
  export default mailsplit;
}
