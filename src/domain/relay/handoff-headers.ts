import { fieldText, headerFields, withoutFields, type HeaderField } from '../mime/header-fields.js';
import { headerBlockEnd } from '../mime/message-headers.js';

// How the MDE steers a handoff, written and read here only: control header lines it prepends to the message it hands
// off (in the spirit of ZoneMTA's X-Sending-Zone): `X-Mde-Source-Ip` (which of the relay's addresses to send from) and
// `X-Mde-Priority` (an integer, higher = more urgent). The relay reads them and removes every X-Mde-* field from the
// header block before queueing, so a destination never sees them. The removal works on raw bytes, field by field (a
// field is its first line plus any folded continuation lines): every other byte of the message, line endings
// included, is kept exactly as it arrived.

export const SOURCE_IP_HEADER = 'X-Mde-Source-Ip';
export const PRIORITY_HEADER = 'X-Mde-Priority';
export const MDE_HEADER_PREFIX = 'x-mde-';
const SOURCE_IP = SOURCE_IP_HEADER.toLowerCase();
const PRIORITY = PRIORITY_HEADER.toLowerCase();

/** Priorities are clamped to this range so a stray value cannot overflow the queue's integer column. */
export const PRIORITY_LIMIT = 1_000_000;

/** The MDE's side: the message as handed off, with its control lines in front. */
export function withHandoffHeaders(raw: Buffer, o: { sourceIp: string; priority: number }): Buffer {
  // The message's own line ending style, so the header block stays consistent.
  const eol = raw.indexOf('\r\n') >= 0 || raw.length === 0 ? '\r\n' : '\n';
  return Buffer.concat([
    Buffer.from(`${SOURCE_IP_HEADER}: ${o.sourceIp}${eol}${PRIORITY_HEADER}: ${Math.trunc(o.priority)}${eol}`),
    raw,
  ]);
}

export interface MdeControl {
  /** X-Mde-Source-Ip as written (trimmed); undefined without the header, meaning the relay's default address. */
  sourceIp?: string;
  /** X-Mde-Priority; 0 without the header or when it is not an integer (then `problems` says so). */
  priority: number;
  /** What was wrong with the control headers, for the log; the handoff still goes ahead. */
  problems: string[];
}

function parsePriority(values: string[], problems: string[]): number {
  const text = values[0];
  if (text === undefined) return 0;
  if (!/^[+-]?\d{1,15}$/.test(text)) {
    problems.push(`${PRIORITY_HEADER} "${text.slice(0, 40)}" is not an integer; using 0`);
    return 0;
  }
  return Math.max(-PRIORITY_LIMIT, Math.min(PRIORITY_LIMIT, Number(text)));
}

/**
 * The relay's side: reads the X-Mde-* control headers of a handed-off message and returns the message without them.
 * A message without such headers is returned as the same buffer. When a header is repeated, the first one counts.
 */
export function takeMdeControlHeaders(raw: Buffer): { raw: Buffer; control: MdeControl } {
  const end = headerBlockEnd(raw);
  const all = headerFields(raw, end);
  const isControl = (f: HeaderField): boolean => f.name.startsWith(MDE_HEADER_PREFIX);
  const control = all.filter(isControl);
  const values = (name: string): string[] =>
    control.filter((f) => f.name === name).map((f) => fieldText(raw, f, 'utf8').value);
  const problems: string[] = [];
  const sourceIp = values(SOURCE_IP)[0];
  const priority = parsePriority(values(PRIORITY), problems);
  if (sourceIp === '') problems.push(`${SOURCE_IP_HEADER} is empty; using the default address`);
  const result: MdeControl = { ...(sourceIp ? { sourceIp } : {}), priority, problems };
  return { raw: withoutFields(raw, end, all, isControl), control: result };
}
