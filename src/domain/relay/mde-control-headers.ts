import { PRIORITY_HEADER, SOURCE_IP_HEADER } from '../mde/handoff-headers.js';
import { headerBlockEnd } from '../mime/message-headers.js';

// The MDE steers a handoff with control header lines it prepends to the message: `X-Mde-Source-Ip` (which of the
// relay's addresses to send from) and `X-Mde-Priority` (an integer, higher = more urgent). The relay reads them and
// removes every X-Mde-* field from the header block before queueing, so a destination never sees them. The removal
// works on raw bytes, field by field (a field is its first line plus any folded continuation lines): every other
// byte of the message, line endings included, is kept exactly as it arrived.

export const MDE_HEADER_PREFIX = 'x-mde-';
const SOURCE_IP = SOURCE_IP_HEADER.toLowerCase();
const PRIORITY = PRIORITY_HEADER.toLowerCase();

/** Priorities are clamped to this range so a stray value cannot overflow the queue's integer column. */
export const PRIORITY_LIMIT = 1_000_000;

export interface MdeControl {
  /** X-Mde-Source-Ip as written (trimmed); undefined without the header, meaning the relay's default address. */
  sourceIp?: string;
  /** X-Mde-Priority; 0 without the header or when it is not an integer (then `problems` says so). */
  priority: number;
  /** What was wrong with the control headers, for the log; the handoff still goes ahead. */
  problems: string[];
}

interface Field { name: string; start: number; end: number }

/** The header fields of a header block, as byte ranges (continuation lines belong to the field above them). */
function fields(raw: Buffer, end: number): Field[] {
  const out: Field[] = [];
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

const fieldValue = (raw: Buffer, f: Field): string => {
  const text = raw.toString('utf8', f.start, f.end);
  return text.slice(text.indexOf(':') + 1).replace(/\r?\n[ \t]/g, ' ').trim();
};

function parsePriority(values: string[], problems: string[]): number {
  const text = values[0];
  if (text === undefined) return 0;
  if (!/^[+-]?\d{1,15}$/.test(text)) {
    problems.push(`X-Mde-Priority "${text.slice(0, 40)}" is not an integer; using 0`);
    return 0;
  }
  return Math.max(-PRIORITY_LIMIT, Math.min(PRIORITY_LIMIT, Number(text)));
}

/**
 * Reads the X-Mde-* control headers of a handed-off message and returns the message without them. A message
 * without such headers is returned as the same buffer. When a header is repeated, the first one counts.
 */
export function takeMdeControlHeaders(raw: Buffer): { raw: Buffer; control: MdeControl } {
  const end = headerBlockEnd(raw);
  const all = fields(raw, end);
  const control = all.filter((f) => f.name.startsWith(MDE_HEADER_PREFIX));
  const values = (name: string): string[] => control.filter((f) => f.name === name).map((f) => fieldValue(raw, f));
  const problems: string[] = [];
  const sourceIp = values(SOURCE_IP)[0];
  const priority = parsePriority(values(PRIORITY), problems);
  if (sourceIp === '') problems.push('X-Mde-Source-Ip is empty; using the default address');
  const result: MdeControl = { ...(sourceIp ? { sourceIp } : {}), priority, problems };
  if (control.length === 0) return { raw, control: result };
  const kept = all.filter((f) => !f.name.startsWith(MDE_HEADER_PREFIX)).map((f) => raw.subarray(f.start, f.end));
  return { raw: Buffer.concat([...kept, raw.subarray(end)]), control: result };
}
