// Finds where the parts of a MIME message lie, as byte ranges, without copying or decoding anything: the header block
// of an entity and the body parts of a multipart body (RFC 2046 section 5.1.1). Every search is an indexOf over the
// entity's own range, so the walk costs the same per byte whatever the input (a body made of line breaks included).

/** A half-open byte range [start, end) of the message. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where the header block of the entity in raw[start, end) ends: `bodyStart` is the first byte after the empty line
 * (LF or CRLF) that closes the headers; `separated` is false when there is no empty line (the whole range is headers
 * and the body is empty).
 */
export function headerEnd(raw: Buffer, start: number, end: number): { bodyStart: number; separated: boolean } {
  const view = raw.subarray(start, end);
  if (view[0] === 0x0a) return { bodyStart: start + 1, separated: true };
  if (view[0] === 0x0d && view[1] === 0x0a) return { bodyStart: start + 2, separated: true };
  const lf = view.indexOf('\n\n');
  const crlf = view.indexOf('\n\r\n');
  if (lf < 0 && crlf < 0) return { bodyStart: end, separated: false };
  if (crlf < 0 || (lf >= 0 && lf < crlf)) return { bodyStart: start + lf + 2, separated: true };
  return { bodyStart: start + crlf + 3, separated: true };
}

const isPadding = (c: number | undefined): boolean => c === 0x20 || c === 0x09;

/**
 * What the line starting at `at` (which begins with "--" + boundary) is: a delimiter ("--b"), a close delimiter
 * ("--b--"), either followed by optional transport padding (spaces, tabs) and the line break or the end of the range;
 * anything else is body text. `lineEnd` is the index after the line's LF (or `end`).
 */
function delimiterAt(
  raw: Buffer,
  at: number,
  end: number,
  boundaryLength: number,
): { kind: 'next' | 'close'; lineEnd: number } | undefined {
  let i = at + 2 + boundaryLength;
  let kind: 'next' | 'close' = 'next';
  if (i + 1 < end && raw[i] === 0x2d && raw[i + 1] === 0x2d) {
    kind = 'close';
    i += 2;
  }
  while (i < end && isPadding(raw[i])) i++;
  if (i === end) return { kind, lineEnd: end };
  if (raw[i] === 0x0a) return { kind, lineEnd: i + 1 };
  if (raw[i] === 0x0d && i + 1 < end && raw[i + 1] === 0x0a) return { kind, lineEnd: i + 2 };
  if (raw[i] === 0x0d && i + 1 === end) return { kind, lineEnd: end };
  return undefined;
}

/**
 * The body parts of the multipart body raw[start, end) with the given boundary, in order. A part runs from after its
 * delimiter line to the line break before the next delimiter: that line break (CRLF or LF) belongs to the delimiter.
 * The preamble, the delimiter lines and the epilogue are not parts. A last part with no close delimiter runs to `end`.
 * Returns undefined when the body holds no delimiter at all; throws a RangeError past `maxParts` parts.
 */
export function multipartRanges(
  raw: Buffer,
  start: number,
  end: number,
  boundary: Buffer,
  maxParts: number,
): ByteRange[] | undefined {
  if (boundary.length === 0) return undefined;
  const view = raw.subarray(start, end);
  const needle = Buffer.concat([Buffer.from('\n--'), boundary]);
  const parts: ByteRange[] = [];
  let partStart = -1; // where the part being read starts, -1 in the preamble
  let from = 0; // view offset to search on from
  for (;;) {
    let at: number; // view offset of the "--" that may open a delimiter line
    if (from === 0 && view.subarray(0, needle.length - 1).equals(needle.subarray(1))) at = 0;
    else {
      const found = view.indexOf(needle, Math.max(0, from - 1));
      if (found < 0) break;
      at = found + 1;
    }
    const line = delimiterAt(raw, start + at, end, boundary.length);
    if (!line) {
      from = at + 1;
      continue;
    }
    if (partStart >= 0) {
      // the line break before the delimiter is the delimiter's
      let partEnd = start + at;
      if (partEnd > partStart && raw[partEnd - 1] === 0x0a) {
        partEnd--;
        if (partEnd > partStart && raw[partEnd - 1] === 0x0d) partEnd--;
      }
      parts.push({ start: partStart, end: Math.max(partStart, partEnd) });
    }
    if (line.kind === 'close') return parts;
    if (parts.length >= maxParts) throw new RangeError(`more than ${maxParts} MIME parts`);
    partStart = line.lineEnd;
    from = line.lineEnd - start;
    if (line.lineEnd >= end) break;
  }
  if (partStart >= 0) parts.push({ start: partStart, end: Math.max(partStart, end) });
  return parts.length > 0 ? parts : undefined;
}
