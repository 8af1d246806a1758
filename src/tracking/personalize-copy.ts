import type { Transform } from 'node:stream';
import type { MimeNode } from 'mailsplit';
import MimeNodeClass from 'mailsplit/lib/mime-node.js';
import { fieldText, HEADER_LIMITS, headerFields, type HeaderField } from '../domain/mime/header-fields.js';
import { headerEnd, multipartRanges } from '../domain/mime/mime-ranges.js';
import { rewriteHtml } from '../domain/tracking/rewrite-html.js';
import { maxTrackedUrlLength, signToken, trackingKeys, type TrackingKeys } from './tokens.js';

// The copy of a message for one recipient, with that recipient's open pixel and click links. The pure
// src/domain/mime/mime-ranges.ts finds the parts as byte ranges (indexOf over each multipart body, so a body of
// nothing but line breaks costs what ordinary mail costs; mailsplit's Splitter paid a setImmediate per line); each
// part's header block is parsed by mailsplit's MimeNode. Only text/html parts (not attachments) are decoded,
// rewritten by the pure src/domain/tracking/rewrite-html.ts and re-encoded with the part's own
// Content-Transfer-Encoding and charset. Every other byte — headers, boundaries, other parts — is copied as is.

export interface PersonalizeOptions {
  messageId: string;
  recipient: string;
  opens: boolean;
  clicks: boolean;
  /** Base of the tracking links, e.g. https://track.example.com (PUBLIC_URL). */
  publicUrl: string;
  /** The relay master secret (the same one createApiApp receives); the token keys are derived from it. */
  secret: string;
}

/** Charsets in which an ASCII byte is always that ASCII character: safe to splice byte-wise. */
function asciiCompatible(charset: string): boolean {
  return !/^(utf-?16|utf-?32|ucs-?2|ucs-?4|utf-?7|iso-?2022|hz-gb|csiso2022)/i.test(charset);
}

async function through(stream: Transform, input: Buffer): Promise<Buffer> {
  const out: Buffer[] = [];
  stream.on('data', (b: Buffer) => out.push(b));
  const done = new Promise<void>((resolve, reject) => {
    stream.once('end', resolve);
    stream.once('error', reject);
  });
  stream.end(input);
  await done;
  return Buffer.concat(out);
}

/** windows-1252's 0x80-0x9F (0xFFFD where undefined): Node 20's TextDecoder reads that label as plain latin1. */
const cp1252High =
  '\u20ac\ufffd\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\ufffd\u017d\ufffd' +
  '\ufffd\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\ufffd\u017e\u0178';

/** Decodes a link's bytes (one char per byte) in the part's charset; unknown charsets are read as UTF-8. */
function textDecoderFor(charset: string): (s: string) => string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset || 'utf-8');
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  // WHATWG maps latin1, iso-8859-1, us-ascii and windows-1252 all to windows-1252, as mail clients do.
  if (decoder.encoding === 'windows-1252')
    return (s) => s.replace(/[\x80-\x9f]/g, (c) => cp1252High[c.charCodeAt(0) - 0x80]!);
  return (s) => decoder.decode(Buffer.from(s, 'latin1'));
}

const identityEncodings = new Set(['', '7bit', '8bit', 'binary']);

/**
 * The line breaks (LF or CRLF) at the end of `s`, found walking back from the end: the regular expression
 * /(\r?\n)*$/ would be tried from every position of a long run of line breaks inside the text.
 */
function trailingBreaks(s: string): string {
  let i = s.length;
  while (i > 0 && s[i - 1] === '\n') i -= i > 1 && s[i - 2] === '\r' ? 2 : 1;
  return s.slice(i);
}

/** Rewrites one HTML part's encoded body; returns it unchanged when it cannot be handled safely. */
async function rewritePart(
  node: MimeNode,
  encoded: Buffer,
  tokens: { pixelUrl?: string; clickUrl?: (url: string) => string | undefined },
): Promise<Buffer> {
  const encoding = node.encoding;
  const charset = (node.charset || '').toLowerCase().trim();
  if (!asciiCompatible(charset)) return encoded;
  if (!identityEncodings.has(encoding) && encoding !== 'quoted-printable' && encoding !== 'base64') return encoded;

  const identity = identityEncodings.has(encoding);
  const decoded = identity ? encoded : await through(node.getDecoder(), encoded);
  // Each byte becomes one char, so bytes not touched come back identical whatever the (ASCII-compatible) charset.
  const text = decoded.toString('latin1');
  // The trailing line break belongs before the next boundary: the pixel goes in front of it when there is no </body>.
  const tail = trailingBreaks(text);
  const body = text.slice(0, text.length - tail.length);
  const result = rewriteHtml(body, {
    pixelUrl: tokens.pixelUrl,
    clickUrl: tokens.clickUrl ? (url) => tokens.clickUrl!(url) : undefined,
    decodeText: textDecoderFor(charset),
    // Without a transfer encoding the lines go on the wire as they are: keep them within RFC 5322's 998.
    ...(identity ? { maxLineLength: 998, newline: text.includes('\r\n') || !text.includes('\n') ? '\r\n' : '\n' } : {}),
  });
  if (!result.pixel && result.links.length === 0) return encoded;
  const rewritten = Buffer.from(result.html + tail, 'latin1');
  if (identity) return rewritten;

  let out = (await through(node.getEncoder(), rewritten)).toString('latin1');
  // Keep the part's line-break style and its trailing line break(s) exactly as they were.
  const source = encoded.toString('latin1');
  if (!source.includes('\r\n')) out = out.replace(/\r\n/g, '\n');
  const encodedTail = trailingBreaks(source);
  out = out.slice(0, out.length - trailingBreaks(out).length) + encodedTail;
  return Buffer.from(out, 'latin1');
}

/** mailsplit's limits, kept: more parts, or a larger header block, and the message is refused (sent untracked). */
const MAX_PARTS = 1000;
const MAX_HEADER_BYTES = 1024 * 1024;
/** Multiparts nested deeper than this are refused too: the walk recurses once per level. */
const MAX_DEPTH = 64;

function refuse(message: string): Error {
  return Object.assign(new Error(message), { code: 'EMAXLEN' });
}

type Rewrite = (node: MimeNode, body: Buffer) => Promise<Buffer>;

/** The fields of a part's header the walk reads (RFC 2045's); all else in the header is only copied. */
const MIME_FIELDS = new Set(['content-type', 'content-transfer-encoding', 'content-disposition']);

/**
 * What MimeNode is given of an entity's header: its MIME fields among `fields` (the linear headerFields' reading of
 * it), each unfolded onto one CRLF-ended line with no other CR or LF in it; of Content-Transfer-Encoding only its
 * mechanism, a token (RFC 2045 6.1), after any comments. mailsplit's own header parsing costs the square of a run of bare CRs (a regex for
 * trailing line breaks tried from every CR), of the continuation lines (a splice per line) and of the "(" in the
 * encoding's value (a regex for comments); a part's header is in the body, which the ingress does not check: a part
 * header of 256 KiB of CRs took a minute, an encoding of 512 KiB of "(" four minutes.
 */
function mimeFieldLines(head: Buffer, fields: readonly HeaderField[]): Buffer {
  const lines = fields
    .filter((f) => MIME_FIELDS.has(f.name))
    .map((f) => {
      const { name, value } = fieldText(head, f, 'latin1');
      const read = f.name === 'content-transfer-encoding' ? transferMechanism(value) : value.replace(/[\r\n]+/g, ' ');
      return `${name}: ${read}\r\n`;
    });
  return Buffer.from(`${lines.join('')}\r\n`, 'latin1');
}

/** The mechanism token of a Content-Transfer-Encoding value, after its leading comments; '' when there is none. */
function transferMechanism(value: string): string {
  return /^\s*(?:\([^()]*\)\s*)*([A-Za-z0-9-]+)/.exec(value)?.[1] ?? '';
}

/**
 * Appends to `out` the entity raw[start, end) with its HTML parts rewritten. Message/rfc822 parts are not entered
 * (their bytes are copied), as mailsplit's Splitter does with ignoreEmbedded.
 */
async function walkEntity(
  raw: Buffer,
  start: number,
  end: number,
  depth: number,
  count: { parts: number },
  rewrite: Rewrite,
  out: Buffer[],
): Promise<void> {
  if (++count.parts > MAX_PARTS) throw refuse('Max allowed child nodes exceeded');
  const { bodyStart, separated } = headerEnd(raw, start, end);
  if (bodyStart - start > MAX_HEADER_BYTES) throw refuse('Max header size for a MIME node exceeded');
  // no more fields than a message may have: a part header of tiny fields ("A:" lines) would otherwise cost an object
  // per four bytes, six times an ordinary copy per byte
  const head = raw.subarray(start, bodyStart);
  const fields = headerFields(head, head.length, HEADER_LIMITS.maxFields);
  if (fields.length > HEADER_LIMITS.maxFields)
    throw refuse('More header fields in a MIME node than a message may have');
  const node = new MimeNodeClass(false);
  node.addHeaderChunk(mimeFieldLines(head, fields));
  node.parseHeaders();

  if (node.multipart && node._boundary) {
    let parts;
    try {
      parts = multipartRanges(raw, bodyStart, end, node._boundary, MAX_PARTS - count.parts);
    } catch {
      throw refuse('Max allowed child nodes exceeded');
    }
    if (parts) {
      if (depth >= MAX_DEPTH) throw refuse('MIME parts nested too deep');
      let copied = start;
      for (const part of parts) {
        out.push(raw.subarray(copied, part.start));
        await walkEntity(raw, part.start, part.end, depth + 1, count, rewrite, out);
        copied = part.end;
      }
      out.push(raw.subarray(copied, end));
      return;
    }
  }
  if (separated && node.contentType === 'text/html' && node.disposition !== 'attachment') {
    out.push(raw.subarray(start, bodyStart));
    out.push(await rewrite(node, raw.subarray(bodyStart, end)));
    return;
  }
  out.push(raw.subarray(start, end));
}

function trackingUrl(publicUrl: string, kind: 'o' | 'c', token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/t/${kind}/${token}`;
}

/** The per-recipient copy: opens=false and clicks=false return `raw` itself. */
export async function personalizeCopy(raw: Buffer, o: PersonalizeOptions): Promise<Buffer> {
  if (!o.opens && !o.clicks) return raw;
  const keys: TrackingKeys = trackingKeys(o.secret);
  const base = { messageId: o.messageId, recipient: o.recipient };
  const tokens = {
    pixelUrl: o.opens ? trackingUrl(o.publicUrl, 'o', signToken(keys, { kind: 'open', ...base })) : undefined,
    clickUrl: o.clicks
      ? (url: string) =>
          url.length > maxTrackedUrlLength
            ? undefined
            : trackingUrl(o.publicUrl, 'c', signToken(keys, { kind: 'click', ...base, url }))
      : undefined,
  };
  const out: Buffer[] = [];
  await walkEntity(raw, 0, raw.length, 0, { parts: 0 }, (node, body) => rewritePart(node, body, tokens), out);
  return Buffer.concat(out);
}
