// Turns the bytes of a received bounce into the decoded parts the pure classifier reads (src/domain/bounces).
// Bounces are often sloppy MIME (missing boundaries, 8-bit headers, stray CRs, an mbox "From " line), so this is a
// forgiving recursive splitter rather than a strict parser: anything it cannot make sense of becomes plain text.
import libmime from 'libmime';
import type { BounceMessage, MessageHeader, MessagePart } from '../domain/bounces/bounce-message.js';

/** Nesting limit: bounces of bounces exist, but nothing legitimate needs more. */
const MAX_DEPTH = 8;

/** Types whose body is the returned message: only its header block is kept. */
const ATTACHED_MESSAGE = new Set(['message/rfc822', 'message/global', 'message/partial']);
const HEADERS_ONLY = new Set(['text/rfc822-headers', 'message/rfc822-headers', 'text/rfc822-header', 'message/global-headers']);

// Everything below works on "binary strings" (one char per byte, latin1) so charsets are decided per part.
function splitHead(raw: string): { head: string; body: string } {
  // A block that does not start with a header field has no header block at all.
  if (!/^[\x21-\x39\x3b-\x7e]+:/.test(raw)) return { head: '', body: raw };
  const end = raw.indexOf('\n\n');
  return end < 0 ? { head: raw, body: '' } : { head: raw.slice(0, end), body: raw.slice(end + 2) };
}

function decodeBytes(binary: string, charset: string | undefined): string {
  const bytes = Buffer.from(binary, 'latin1');
  const label = (charset ?? '').trim().toLowerCase();
  if (label && label !== 'us-ascii' && label !== 'ascii') {
    try {
      return new TextDecoder(label === 'iso-2022-jp-2' || label === 'iso-2022-jp-3' ? 'iso-2022-jp' : label).decode(bytes);
    } catch {
      // unknown label: fall through to the UTF-8 guess
    }
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

function parseHeaders(head: string): MessageHeader[] {
  const out: MessageHeader[] = [];
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    let value = decodeBytes(line.slice(colon + 1), undefined).trim();
    try {
      value = libmime.decodeWords(value);
    } catch {
      // a malformed encoded-word stays as it is
    }
    out.push({ name, value });
  }
  return out;
}

function decodeQuotedPrintable(s: string): string {
  return s.replace(/=\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function decodeTransfer(body: string, encoding: string | undefined): string {
  const e = (encoding ?? '').trim().toLowerCase();
  if (e === 'base64') return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64').toString('latin1');
  if (e === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

function contentType(headers: MessageHeader[]): { type: string; params: Record<string, string> } {
  const raw = headers.find((h) => h.name === 'content-type')?.value;
  if (!raw) return { type: 'text/plain', params: {} };
  const parsed = libmime.parseHeaderValue(raw);
  const type = parsed.value.trim().toLowerCase();
  return { type: type.includes('/') ? type : 'text/plain', params: parsed.params };
}

function splitMultipart(body: string, boundary: string): string[] | null {
  const delimiter = `--${boundary}`;
  const lines = body.split('\n');
  const parts: string[] = [];
  let current: string[] | null = null;
  for (const line of lines) {
    const trimmed = line.trimEnd();
    if (trimmed === delimiter || trimmed === `${delimiter}--`) {
      if (current) parts.push(current.join('\n'));
      current = trimmed === delimiter ? [] : null;
      if (trimmed !== delimiter) break;
      continue;
    }
    current?.push(line);
  }
  if (current) parts.push(current.join('\n'));
  return parts.length > 0 ? parts : null;
}

function walk(raw: string, depth: number, out: MessagePart[], parentType = ''): MessageHeader[] {
  const { head, body } = splitHead(raw);
  const headers = parseHeaders(head);
  // RFC 2046: inside multipart/digest the default type is message/rfc822.
  const declared = headers.some((h) => h.name === 'content-type');
  const { type, params } = declared || parentType !== 'multipart/digest' ? contentType(headers) : { type: 'message/rfc822', params: {} };
  const encoding = headers.find((h) => h.name === 'content-transfer-encoding')?.value;

  if (type.startsWith('multipart/') && params.boundary && depth < MAX_DEPTH) {
    const children = splitMultipart(body, params.boundary);
    if (children) {
      for (const child of children) walk(child, depth + 1, out, type);
      return headers;
    }
  }
  if (ATTACHED_MESSAGE.has(type) && depth < MAX_DEPTH) {
    const inner = decodeTransfer(body, encoding);
    const innerHead = splitHead(inner.replace(/^\s*\n/, '')).head;
    const attachedHeaders = parseHeaders(innerHead);
    out.push({ type, headers, text: decodeBytes(innerHead, undefined), attachedHeaders });
    // A forwarded bounce: the report inside it (RFC 6522 multipart/report) is the evidence, so read it too.
    if (/^multipart\/report\b/i.test(attachedHeaders.find((h) => h.name === 'content-type')?.value ?? '')) walk(inner.replace(/^\s*\n/, ''), depth + 1, out);
    return headers;
  }
  const decoded = decodeBytes(decodeTransfer(body, encoding), params.charset);
  if (HEADERS_ONLY.has(type)) {
    out.push({ type, headers, text: decoded, attachedHeaders: parseHeaders(decodeTransfer(body, encoding).replace(/^\s*\n/, '')) });
  } else {
    out.push({ type: type.startsWith('multipart/') ? 'text/plain' : type, headers, text: decoded });
  }
  return headers;
}

/** Parses a whole message (bytes as received) into decoded parts. */
export function parseBounceMime(raw: Buffer | string): BounceMessage {
  let s = typeof raw === 'string' ? raw : raw.toString('latin1');
  // Normalise line endings (a few real bounces also carry stray CRs inside lines) and drop an mbox separator.
  s = s.replace(/\r\n?/g, '\n').replace(/^From [^\n]*\n/, '');
  const parts: MessagePart[] = [];
  const headers = walk(s, 0, parts);
  return { headers, parts };
}
