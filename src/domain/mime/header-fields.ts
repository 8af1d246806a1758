// A message's header block as byte ranges, one per field (continuation lines belong to the field above them), so
// control headers can be read and removed while every other byte, line endings included, stays as it arrived.
//
// Two readers share that shape:
// - `parseHeaderBlock` is the strict one, for bytes straight from a client (ingress): one linear pass over at most
//   `HEADER_LIMITS.maxBlockBytes` bytes that refuses what downstream software could read differently from us (a bare
//   CR or LF, a line that is neither a field nor a continuation) and anything over the limits.
// - `headerFields` is the lenient one, for messages already checked or produced by the service itself (relay intake,
//   the record stage): lines end at LF, nothing is refused. It is linear too: every search stays inside its line.

export interface HeaderField {
  /** Lower-cased field name ('' for a line without a colon, such as the blank line ending the block). */
  name: string;
  start: number;
  end: number;
}

/**
 * Bounds on a submitted header block, after Postfix's limits (header_size_limit is 100 KiB per logical header there;
 * Postfix cuts the excess, we refuse so that what is checked is what is delivered).
 */
export const HEADER_LIMITS = {
  /** Bytes from the start of the message to the end of the blank line that ends the header block. */
  maxBlockBytes: 1024 * 1024,
  /** Fields in the block (a field is its first line plus its continuation lines). */
  maxFields: 10_000,
  /** Bytes of one logical field, continuation lines and line endings included. */
  maxFieldBytes: 100 * 1024,
} as const;

export type HeaderLimits = { readonly [K in keyof typeof HEADER_LIMITS]: number };

export type HeaderBlockProblem =
  'block-too-large' | 'too-many-fields' | 'field-too-large' | 'bare-line-ending' | 'malformed-field';

export type HeaderBlock =
  | {
      ok: true;
      /** Offset just past the blank line ending the block (or the message length without one). */ end: number;
      fields: HeaderField[];
    }
  | {
      ok: false;
      problem: HeaderBlockProblem;
      /** For the log: where and what, never the bytes themselves. */ detail: string;
    };

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HT = 0x09;
const COLON = 0x3a;

/** RFC 5322 field name: printable US-ASCII except colon, then optional white space before the colon (obs-optional). */
function fieldName(raw: Buffer, start: number, colon: number): string | undefined {
  let end = colon;
  while (end > start && (raw[end - 1] === SP || raw[end - 1] === HT)) end--;
  if (end === start) return undefined;
  for (let i = start; i < end; i++) {
    const b = raw[i] as number;
    if (b < 0x21 || b > 0x7e) return undefined;
  }
  return raw.toString('latin1', start, end).toLowerCase();
}

/**
 * The strict reading of a submitted message's header block, in one pass over at most `limits.maxBlockBytes` bytes
 * (the body is never scanned). Lines must end in CRLF; the block ends at the first empty line. A line break is
 * recognised as CRLF, a bare LF or a bare CR (as the most liberal downstream reader would), so a bare CR or LF can
 * never hide where the block ends: the block containing it is refused. Size limits are checked as the scan goes and
 * win over the other problems (a 2 MiB colon-less block is "too large", not "malformed").
 */
export function parseHeaderBlock(raw: Buffer, limits: HeaderLimits = HEADER_LIMITS): HeaderBlock {
  const fields: HeaderField[] = [];
  const scanEnd = Math.min(raw.length, limits.maxBlockBytes);
  let shape: { problem: HeaderBlockProblem; detail: string } | undefined;
  const noteShape = (problem: HeaderBlockProblem, detail: string): void => {
    shape ??= { problem, detail };
  };
  const finish = (end: number): HeaderBlock => (shape ? { ok: false, ...shape } : { ok: true, end, fields });
  const fieldTooLarge = (start: number): HeaderBlock => ({
    ok: false,
    problem: 'field-too-large',
    detail: `field at byte ${start} is over ${limits.maxFieldBytes} bytes`,
  });
  const isWsp = (b: number | undefined): boolean => b === SP || b === HT;
  let lineStart = 0;
  // Where the logical field of the current line starts: the line itself, or the field it continues.
  let fieldStart = 0;
  let colon = -1;

  // Closes the line [lineStart, next); returns a refusal when a limit is passed.
  const closeLine = (next: number): HeaderBlock | undefined => {
    const last = fields.at(-1);
    if (isWsp(raw[lineStart])) {
      if (last) last.end = next;
      else {
        noteShape('malformed-field', 'the block starts with a continuation line');
        fields.push({ name: '', start: lineStart, end: next });
      }
    } else {
      const name = colon >= 0 ? fieldName(raw, lineStart, colon) : undefined;
      if (name === undefined)
        noteShape('malformed-field', `line at byte ${lineStart} is neither a field nor a continuation`);
      fields.push({ name: name ?? '', start: lineStart, end: next });
      if (fields.length > limits.maxFields)
        return { ok: false, problem: 'too-many-fields', detail: `more than ${limits.maxFields} fields` };
    }
    const field = fields.at(-1) as HeaderField;
    if (field.end - field.start > limits.maxFieldBytes) return fieldTooLarge(field.start);
    lineStart = next;
    fieldStart = isWsp(raw[next]) ? field.start : next;
    colon = -1;
    return undefined;
  };

  for (let i = 0; i < scanEnd; i++) {
    const b = raw[i];
    if (b !== CR && b !== LF) {
      if (b === COLON && colon < 0) colon = i;
      // A field cannot grow past its limit unnoticed while its last line is still open.
      else if (i - fieldStart >= limits.maxFieldBytes) return fieldTooLarge(fieldStart);
      continue;
    }
    let next = i + 1;
    if (b === CR && raw[i + 1] === LF) next = i + 2;
    else noteShape('bare-line-ending', `bare ${b === CR ? 'CR' : 'LF'} at byte ${i}`);
    if (next > limits.maxBlockBytes) break;
    if (i === lineStart) return finish(next); // the empty line ending the block
    const refused = closeLine(next);
    if (refused) return refused;
    i = next - 1;
  }
  if (raw.length > limits.maxBlockBytes) {
    return {
      ok: false,
      problem: 'block-too-large',
      detail: `no end of the header block within ${limits.maxBlockBytes} bytes`,
    };
  }
  // The message ended inside the header block (a message without a body); a last line without a line break counts.
  if (lineStart < raw.length) {
    const refused = closeLine(raw.length);
    if (refused) return refused;
  }
  return finish(raw.length);
}

/**
 * The fields of raw[0, end), where end is the header block's end (headerBlockEnd): the lenient reading, lines end at
 * LF. Linear: the colon is looked for inside its own line only. At most `maxFields` + 1 fields are read: a caller
 * that bounds them gets one more than its bound when there are more, and reads no further.
 */
export function headerFields(raw: Buffer, end: number, maxFields = Number.POSITIVE_INFINITY): HeaderField[] {
  const out: HeaderField[] = [];
  for (let pos = 0; pos < end;) {
    const nl = raw.indexOf(0x0a, pos);
    const next = nl < 0 || nl >= end ? end : nl + 1;
    const first = raw[pos];
    const last = out.at(-1);
    if ((first === 0x20 || first === 0x09) && last) last.end = next;
    else {
      if (out.length > maxFields) break;
      const colon = raw.subarray(pos, next).indexOf(COLON);
      const name =
        colon >= 0
          ? raw
              .toString('latin1', pos, pos + colon)
              .trim()
              .toLowerCase()
          : '';
      out.push({ name, start: pos, end: next });
    }
    pos = next;
  }
  return out;
}

/** The field's name as written and its unfolded, trimmed value, decoded with the given encoding. */
export function fieldText(raw: Buffer, f: HeaderField, encoding: BufferEncoding): { name: string; value: string } {
  const text = raw.toString(encoding, f.start, f.end);
  const colon = text.indexOf(':');
  return {
    name: text.slice(0, colon),
    value: text
      .slice(colon + 1)
      .replace(/\r?\n[ \t]/g, ' ')
      .trim(),
  };
}

/** The message without the fields `drop` selects; the same buffer when it selects none. */
export function withoutFields(
  raw: Buffer,
  end: number,
  fields: readonly HeaderField[],
  drop: (f: HeaderField) => boolean,
): Buffer {
  if (!fields.some(drop)) return raw;
  return Buffer.concat([...fields.filter((f) => !drop(f)).map((f) => raw.subarray(f.start, f.end)), raw.subarray(end)]);
}
