// A message's header block as byte ranges, one per field (continuation lines belong to the field above them), so
// control headers can be read and removed while every other byte, line endings included, stays as it arrived.

export interface HeaderField {
  /** Lower-cased field name ('' for a line without a colon, such as the blank line ending the block). */
  name: string;
  start: number;
  end: number;
}

/** The fields of raw[0, end), where end is the header block's end (headerBlockEnd). */
export function headerFields(raw: Buffer, end: number): HeaderField[] {
  const out: HeaderField[] = [];
  for (let pos = 0; pos < end;) {
    const nl = raw.indexOf(0x0a, pos);
    const next = nl < 0 || nl >= end ? end : nl + 1;
    const first = raw[pos];
    const last = out.at(-1);
    if ((first === 0x20 || first === 0x09) && last) last.end = next;
    else {
      const colon = raw.indexOf(0x3a, pos);
      const name = colon >= 0 && colon < next ? raw.toString('latin1', pos, colon).trim().toLowerCase() : '';
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
  return { name: text.slice(0, colon), value: text.slice(colon + 1).replace(/\r?\n[ \t]/g, ' ').trim() };
}

/** The message without the fields `drop` selects; the same buffer when it selects none. */
export function withoutFields(raw: Buffer, end: number, fields: readonly HeaderField[], drop: (f: HeaderField) => boolean): Buffer {
  if (!fields.some(drop)) return raw;
  return Buffer.concat([...fields.filter((f) => !drop(f)).map((f) => raw.subarray(f.start, f.end)), raw.subarray(end)]);
}
