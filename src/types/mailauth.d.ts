// mailauth ships no types; this declares what we use: the verifier (tests) and the building blocks of its DKIM
// signer (src/sender-auth/dkim-sign.ts): header parsing, relaxed header and body canonicalization, the header line.
declare module 'mailauth' {
  export type MailauthResolver = (name: string, rrtype: string) => Promise<unknown>;
  export interface AuthResult {
    dkim: {
      results: Array<{
        signingDomain: string;
        selector: string;
        status: { result: string; comment?: string; aligned?: string | false };
        info?: string;
      }>;
    };
    spf: { status: { result: string; comment?: string }; domain?: string } | false;
    dmarc: { status: { result: string; comment?: string }; domain?: string } | false;
    headers: string;
  }
  export function authenticate(
    input: Buffer | string | NodeJS.ReadableStream,
    opts: { ip?: string; helo?: string; sender?: string; mta?: string; resolver?: MailauthResolver },
  ): Promise<AuthResult>;
}

declare module 'mailauth/lib/tools.js' {
  export interface ParsedHeader {
    key: string;
    casedKey: string;
    line: Buffer;
  }
  const tools: {
    parseHeaders(buf: Buffer): { parsed: ParsedHeader[]; original: Buffer };
    formatSignatureHeaderLine(type: 'DKIM', values: Record<string, unknown>, folded: boolean): string;
  };
  export default tools;
}

declare module 'mailauth/lib/dkim/header/relaxed.js' {
  import type { ParsedHeader } from 'mailauth/lib/tools.js';
  const relaxed: {
    relaxedHeaders(
      type: 'DKIM',
      signingHeaderLines: { keys: string; headers: ParsedHeader[] },
      options: {
        signingDomain: string;
        selector: string;
        algorithm: string;
        canonicalization: string;
        bodyHash: string;
        signTime: Date;
      },
    ): { canonicalizedHeader: Buffer; dkimHeaderOpts: Record<string, unknown> };
  };
  export default relaxed;
}

declare module 'mailauth/lib/dkim/body/relaxed.js' {
  export class RelaxedHash {
    constructor(algorithm?: string, maxBodyLength?: number);
    update(chunk: Buffer | null, final?: boolean): void;
    digest(encoding: 'base64'): string;
  }
  const body: { RelaxedHash: typeof RelaxedHash };
  export default body;
}
