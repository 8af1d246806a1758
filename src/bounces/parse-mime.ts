// Turns the bytes of a received bounce into the decoded parts the pure classifier reads (src/domain/bounces).
// Bounces are often sloppy MIME (missing boundaries, 8-bit headers, stray CRs, an mbox "From " line), so this is a
// forgiving recursive splitter rather than a strict parser: anything it cannot make sense of becomes plain text.
import iconv from 'iconv-lite';
import libmime from 'libmime';
import type { BounceMessage, MessageHeader, MessagePart } from '../domain/bounces/bounce-message.js';

// Bounds on what one message can make the parser do; the receiver has already cut the message to its first
// maxParseBytes. Real bounces stay far inside them; past them the rest is ignored, never an error.
/** Nesting limit: bounces of bounces exist, but nothing legitimate needs more. */
const MAX_DEPTH = 8;
/** Forwarded reports read inside forwarded reports (message/rfc822 holding a multipart/report). */
const MAX_ATTACHED_DEPTH = 3;
/**
 * Longest boundary a multipart is split on: RFC 2046 allows 70 characters. Finding each delimiter costs the body's
 * length times the boundary's, so a boundary of thousands of characters would make splitting a body quadratic.
 */
const MAX_BOUNDARY = 200;
/** Leaf parts kept per message: the report parts come first, attachments after them are dropped. */
export const MAX_PARTS = 100;
/** Header fields read per header block, and characters read of each field's value. */
const MAX_HEADER_FIELDS = 500;
const MAX_HEADER_VALUE = 8 * 1024;

/** Types whose body is the returned message: only its header block is kept. */
const ATTACHED_MESSAGE = new Set(['message/rfc822', 'message/global', 'message/partial']);
const HEADERS_ONLY = new Set([
  'text/rfc822-headers',
  'message/rfc822-headers',
  'text/rfc822-header',
  'message/global-headers',
]);

// Everything below works on "binary strings" (one char per byte, latin1) so charsets are decided per part.
function splitHead(raw: string): { head: string; body: string } {
  // A block that does not start with a header field has no header block at all.
  if (!/^[\x21-\x39\x3b-\x7e]+:/.test(raw)) return { head: '', body: raw };
  // The header ends at the first empty line, or one of blanks only: RFC 5322 (3.2.2) forbids a folded line made of
  // white space alone, so such a line is an empty one some gateway padded (a Domino relay pads every one).
  const end = /\n[ \t]*\n/.exec(raw);
  return end ? { head: raw.slice(0, end.index), body: raw.slice(end.index + end[0].length) } : { head: raw, body: '' };
}

/**
 * Text in a labelled charset: the WHATWG decoder for the labels it knows, except windows-1252 (which WHATWG also
 * gives every ISO-8859-1 label), whose 0x80-0x9F characters ("’", "€") Node 20.18.3 and later decode as control
 * codes (nodejs/node#56542); iconv-lite for those and for the Windows names WHATWG lacks ("cp932"). UTF-7 is never
 * decoded: it smuggles markup past filters, and a notice has no need of it.
 */
function decodeLabelled(bytes: Buffer, label: string): string | null {
  let decoder: TextDecoder | null = null;
  try {
    decoder = new TextDecoder(label === 'iso-2022-jp-2' || label === 'iso-2022-jp-3' ? 'iso-2022-jp' : label);
  } catch {
    // a label WHATWG does not know
  }
  if (decoder && decoder.encoding !== 'windows-1252') return decoder.decode(bytes);
  const name = decoder ? 'windows-1252' : label;
  // iconv-lite reads a name without its punctuation ("utf_7", "unicode-1-1-utf-7"): so is it checked here
  if (/^(?:unicode11)?utf7/.test(name.replace(/[^0-9a-z]/g, '')) || !iconv.encodingExists(name)) return null;
  return iconv.decode(bytes, name);
}

function decodeBytes(binary: string, charset: string | undefined): string {
  const bytes = Buffer.from(binary, 'latin1');
  const label = (charset ?? '').trim().toLowerCase();
  if (label && label !== 'us-ascii' && label !== 'ascii') {
    const text = decodeLabelled(bytes, label);
    if (text !== null) return text;
    // unknown label: fall through to the UTF-8 guess
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Japanese bounces often omit the charset; ISO-2022-JP is 7-bit and would already have decoded above only if
    // labelled, so try it when its escape sequences are present.
    if (binary.includes('\x1b$B') || binary.includes('\x1b(B')) return new TextDecoder('iso-2022-jp').decode(bytes);
    return bytes.toString('latin1');
  }
}

/**
 * Characters of encoded-word text (RFC 2047) decoded per message, over all its header blocks. Decoding costs about a
 * microsecond per character, so headers of long fields of encoded words would cost a second per MiB; real messages
 * hold a few hundred such characters, and the fields past the budget keep their encoded form.
 */
const MAX_ENCODED_WORD_CHARS = 64 * 1024;

/** What is left of a message's encoded-word budget, shared by the header blocks of all its parts. */
interface DecodeBudget {
  encodedWordChars: number;
}

function parseHeaders(head: string, budget: DecodeBudget): MessageHeader[] {
  const out: MessageHeader[] = [];
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    if (out.length >= MAX_HEADER_FIELDS) break;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    // decodeWords and the address parser are not linear on crafted values: only the start of a value is read
    let value = decodeBytes(line.slice(colon + 1, colon + 1 + MAX_HEADER_VALUE), undefined).trim();
    if (value.includes('=?') && budget.encodedWordChars > 0) {
      budget.encodedWordChars -= value.length;
      try {
        value = libmime.decodeWords(value);
      } catch {
        // a malformed encoded-word stays as it is
      }
    }
    out.push({ name, value });
  }
  return out;
}

/**
 * RFC 2045 6.7: a line ending in "=" is a soft break, and white space at the end of a line is padding a relay may have
 * added, which a decoder deletes: "=" followed by blanks is a soft break too. (The padding on other lines is left: it
 * changes no word, and deleting it would cost a replacement per line.)
 */
function decodeQuotedPrintable(s: string): string {
  return s
    .replace(/=[ \t]*\n/g, '')
    .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * A part's body without its transfer encoding. The decoded bytes carry the line breaks the sender encoded, CRLF as
 * RFC 2045 6.8 has it, and are normalised as the message itself was (a report's blank line between recipients must
 * read as blank whether or not its part was encoded); unless `normalise` is off, for text whose characters are wider
 * than a byte.
 */
function decodeTransfer(body: string, encoding: string | undefined, normalise = true): string {
  const e = (encoding ?? '').trim().toLowerCase();
  const bytes =
    e === 'base64'
      ? Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64')
      : e === 'quoted-printable'
        ? Buffer.from(decodeQuotedPrintable(body), 'latin1')
        : null;
  if (!bytes) return body;
  return normalise ? normaliseLineEndings(bytes) : bytes.toString('latin1');
}

/**
 * Charsets of two or four bytes per code unit: a 0x0D or 0x0A byte there is half of some character, so their line
 * breaks are found once the text is decoded.
 */
const WIDE_CHARSET = /^(?:utf-?(?:16|32)(?:le|be)?|(?:iso-10646-)?ucs-?[24]|(?:cs)?unicode(?:fffe|feff)?)$/i;

function contentType(headers: MessageHeader[]): { type: string; params: Record<string, string> } {
  const raw = headers.find((h) => h.name === 'content-type')?.value;
  if (!raw) return { type: 'text/plain', params: {} };
  const parsed = libmime.parseHeaderValue(raw);
  const type = parsed.value.trim().toLowerCase();
  return { type: type.includes('/') ? type : 'text/plain', params: parsed.params };
}

/**
 * The body parts between delimiter lines ("--boundary", closed by "--boundary--"), found with indexOf from one
 * candidate line to the next: the body is not split into lines, so a body of millions of short lines costs no more
 * than one of a few long ones.
 */
function splitMultipart(body: string, boundary: string): string[] | null {
  const delimiter = `--${boundary}`;
  const parts: string[] = [];
  let current: number | null = null; // where the part being read starts
  let from = 0;
  for (;;) {
    const at = from === 0 && body.startsWith(delimiter) ? 0 : body.indexOf(`\n${delimiter}`, Math.max(0, from - 1)) + 1;
    if (at <= 0 && !(at === 0 && from === 0 && body.startsWith(delimiter))) break;
    const eol = body.indexOf('\n', at);
    const lineEnd = eol < 0 ? body.length : eol;
    const line = body.slice(at, lineEnd).trimEnd();
    if (line !== delimiter && line !== `${delimiter}--`) {
      from = at + 1;
      continue;
    }
    if (current !== null) parts.push(body.slice(current, Math.max(current, at - 1)));
    if (parts.length >= MAX_PARTS || line !== delimiter) return parts.length > 0 ? parts : null;
    current = Math.min(lineEnd + 1, body.length);
    from = lineEnd + 1;
    if (eol < 0) break;
  }
  if (current !== null) parts.push(body.slice(current));
  return parts.length > 0 ? parts : null;
}

/** One message's walk: the leaf parts found so far, and its encoded-word budget. */
interface Walk {
  out: MessagePart[];
  budget: DecodeBudget;
}

function walk(raw: string, depth: number, w: Walk, parentType = '', attachedDepth = 0): MessageHeader[] {
  const { out } = w;
  const { head, body } = splitHead(raw);
  const headers = parseHeaders(head, w.budget);
  // RFC 2046: inside multipart/digest the default type is message/rfc822.
  const declared = headers.some((h) => h.name === 'content-type');
  const { type, params } =
    declared || parentType !== 'multipart/digest' ? contentType(headers) : { type: 'message/rfc822', params: {} };
  const encoding = headers.find((h) => h.name === 'content-transfer-encoding')?.value;

  if (type.startsWith('multipart/') && params.boundary && params.boundary.length <= MAX_BOUNDARY && depth < MAX_DEPTH) {
    const children = splitMultipart(body, params.boundary);
    if (children) {
      for (const child of children) {
        if (out.length >= MAX_PARTS) break;
        walk(child, depth + 1, w, type, attachedDepth);
      }
      return headers;
    }
  }
  if (ATTACHED_MESSAGE.has(type) && depth < MAX_DEPTH) {
    const inner = decodeTransfer(body, encoding);
    const innerHead = splitHead(inner.replace(/^\s*\n/, '')).head;
    const attachedHeaders = parseHeaders(innerHead, w.budget);
    out.push({
      type,
      headers,
      text: decodeBytes(innerHead, undefined),
      attachedHeaders,
      ...(attachedDepth > 0 ? { forwarded: true as const } : {}),
    });
    // A forwarded bounce: the report inside it (RFC 6522 multipart/report) is the evidence, so read it too.
    if (
      attachedDepth < MAX_ATTACHED_DEPTH &&
      /^multipart\/report\b/i.test(attachedHeaders.find((h) => h.name === 'content-type')?.value ?? '')
    )
      walk(inner.replace(/^\s*\n/, ''), depth + 1, w, '', attachedDepth + 1);
    return headers;
  }
  const forwarded = attachedDepth > 0 ? { forwarded: true as const } : {};
  const wide = WIDE_CHARSET.test((params.charset ?? '').trim());
  const bytes = decodeTransfer(body, encoding, !wide);
  const charsetText = decodeBytes(bytes, params.charset);
  const text = wide ? normaliseStringLineEndings(charsetText) : charsetText;
  // RFC 3676: a flowed text's lines ending in a space continue on the next line (a reply code and its words may be
  // broken apart there)
  const unflowed =
    type === 'text/plain' && params.format?.toLowerCase() === 'flowed'
      ? libmime.decodeFlowed(text, params.delsp?.toLowerCase() === 'yes')
      : text;
  // a no-break space is a space to the reader, as in an HTML notice's "&nbsp;" (src/domain/mime/html-text.ts): text
  // parts made from HTML (Exchange Online's plain alternative among them) keep the character itself
  const decoded = unflowed.replace(NO_BREAK_SPACES, ' ');
  if (HEADERS_ONLY.has(type)) {
    out.push({
      type,
      headers,
      text: decoded,
      attachedHeaders: parseHeaders(bytes.replace(/^\s*\n/, ''), w.budget),
      ...forwarded,
    });
  } else {
    out.push({ type: type.startsWith('multipart/') ? 'text/plain' : type, headers, text: decoded, ...forwarded });
  }
  return headers;
}

/**
 * The message (or a part once decoded) as a binary string with every CRLF and stray CR turned into LF, in one pass over
 * the bytes: a regular expression replace costs a match object and a replacement per line break, which made a body of
 * nothing but line breaks some fifteen times dearer per MiB than ordinary mail. CRs right before a CRLF end that line
 * with it: the DragonFly Mail Agent copies each line of a multi-line reply with the CR it received and then ends it
 * with its own CRLF, and a blank line read there would cut the reply into paragraphs.
 */
function normaliseLineEndings(raw: Buffer): string {
  if (raw.indexOf(0x0d) < 0) return raw.toString('latin1');
  const out = Buffer.allocUnsafe(raw.length);
  let j = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    // a CRLF keeps only its LF; a run of CRs ends a line with the LF after it, and a stray CR elsewhere becomes a line
    // break of its own
    if (c !== 0x0d) out[j++] = c;
    else if (raw[i + 1] !== 0x0a) {
      let end = i + 1;
      while (raw[end] === 0x0d) end++;
      if (raw[end] !== 0x0a) for (let k = i; k < end; k++) out[j++] = 0x0a;
      i = end - 1;
    }
  }
  return out.toString('latin1', 0, j);
}

/** The same for a string, which may hold chars past latin1 (decoded UTF-16, say). */
function normaliseStringLineEndings(raw: string): string {
  if (raw.indexOf('\r') < 0) return raw;
  // CRLFs first, by the native split (one concatenation per line costs some four times more); CRs before a CRLF are
  // left before an LF, ended with it below
  const text = raw.split('\r\n').join('\n');
  let out = '';
  let from = 0;
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', from)) {
    let end = i + 1;
    while (text.charCodeAt(end) === 0x0d) end++;
    out += text.slice(from, i) + (text.charCodeAt(end) === 0x0a ? '' : '\n'.repeat(end - i));
    from = end;
  }
  return out + text.slice(from);
}

/** Unicode's no-break spaces: U+00A0, the figure space U+2007 and the narrow U+202F. */
const NO_BREAK_SPACES = /[\u00a0\u2007\u202f]/g;

/** Parses a whole message (bytes as received) into decoded parts. */
export function parseBounceMime(raw: Buffer | string): BounceMessage {
  // Normalise line endings (a few real bounces also carry stray CRs inside lines), then drop an mbox separator and the
  // blank lines (empty, or of spaces only) some stores and forwarders leave before the header. A string may hold chars
  // past latin1, so it is normalised as a string.
  const text = typeof raw === 'string' ? normaliseStringLineEndings(raw) : normaliseLineEndings(raw);
  const s = text
    .replace(/^(?:[ \t]*\n)+(?=From )/, '')
    .replace(/^From [^\n]*\n/, '')
    .replace(/^(?:[ \t]*\n)+(?=[\x21-\x39\x3b-\x7e]+:)/, '');
  const parts: MessagePart[] = [];
  const headers = walk(s, 0, { out: parts, budget: { encodedWordChars: MAX_ENCODED_WORD_CHARS } });
  return { headers, parts };
}
