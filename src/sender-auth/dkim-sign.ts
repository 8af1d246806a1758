import crypto from 'node:crypto';
import tools, { type ParsedHeader } from 'mailauth/lib/tools.js';
import relaxed from 'mailauth/lib/dkim/header/relaxed.js';
import { headerFields } from '../domain/mime/header-fields.js';
import { relaxedBodyHash } from './relaxed-body-hash.js';

// DKIM signing (RFC 6376) of one copy exactly as it leaves, relaxed/relaxed, rsa-sha256. Built from mailauth's own
// parts (relaxed canonicalization of headers, the signature header line; the fields and the body hash are ours) rather
// than its dkimSign, because dkimSign cannot over-sign: its h= lists only the fields present. Here h= names From once
// more than the message has it, so a From added on the way makes the signature fail (RFC 6376 8.15).

/** The fields signed when present, in this order; `list-unsubscribe-post` goes with List-Unsubscribe (RFC 8058). */
export const SIGNED_FIELDS = [
  'from',
  'to',
  'cc',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'reply-to',
  'list-unsubscribe',
  'list-unsubscribe-post',
] as const;
/** Fields signed once more than present. */
const OVERSIGNED = ['From'];

export interface DkimKey {
  domain: string;
  selector: string;
  privateKey: crypto.KeyObject;
}

/** Where the header block ends: the index of the blank line's CRLF pair, or the whole message when there is none. */
function splitAt(raw: Buffer): { head: Buffer; body: Buffer } {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return { head: raw, body: Buffer.alloc(0) };
  return { head: raw.subarray(0, end + 2), body: raw.subarray(end + 4) };
}

/**
 * The header's fields as mailauth's canonicalization takes them (the name as written and lower-cased, the field's
 * lines without its last line break), found by the linear headerFields. mailauth's own parseHeaders copies and
 * splices an array per continuation line, the square of the lines: a header of folded lines within the ingress's
 * limits (1 MiB) took 24 s to sign, for every recipient's copy.
 */
function headerFieldsOf(head: Buffer): ParsedHeader[] {
  return headerFields(head, head.length)
    .filter((f) => f.name !== '')
    .map((f) => {
      let end = f.end;
      if (head[end - 1] === 0x0a) end--;
      if (head[end - 1] === 0x0d) end--;
      const line = head.subarray(f.start, end);
      return { key: f.name, casedKey: line.toString('latin1', 0, line.indexOf(':')).trim(), line };
    });
}

/**
 * The copy with its DKIM-Signature field on top. Linear in the message: one pass over the body for its hash; the RSA
 * signature (about a millisecond of CPU) is made on libuv's thread pool, off the worker's event loop.
 */
export async function dkimSignCopy(raw: Buffer, key: DkimKey, now: Date): Promise<Buffer> {
  const { head, body: content } = splitAt(raw);
  const parsed = headerFieldsOf(head);
  // Bottom-up, as verifiers pick instances of a repeated field (RFC 6376 5.4.2).
  const signed = parsed.filter((h) => (SIGNED_FIELDS as readonly string[]).includes(h.key)).reverse();
  const { canonicalizedHeader, dkimHeaderOpts } = relaxed.relaxedHeaders(
    'DKIM',
    { keys: [...signed.map((h) => h.casedKey), ...OVERSIGNED].join(': '), headers: signed },
    {
      signingDomain: key.domain,
      selector: key.selector,
      algorithm: 'rsa-sha256',
      canonicalization: 'relaxed/relaxed',
      bodyHash: relaxedBodyHash(content),
      signTime: now,
    },
  );
  const b = (
    await new Promise<Buffer>((resolve, reject) =>
      crypto.sign('sha256', canonicalizedHeader, key.privateKey, (err, sig) => (err ? reject(err) : resolve(sig))),
    )
  ).toString('base64');
  const line = tools.formatSignatureHeaderLine('DKIM', { ...dkimHeaderOpts, b }, true);
  return Buffer.concat([Buffer.from(`${line}\r\n`, 'binary'), raw]);
}
