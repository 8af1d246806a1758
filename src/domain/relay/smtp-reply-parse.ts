// A destination's reply is kept verbatim for the status feed, but routing decisions need its parts: the basic code
// decides the outcome, the enhanced code (RFC 3463) is what operators and bounce rules search for.

import type { SmtpCommand } from '../bounces/smtp-codes.js';

export interface ParsedReply {
  /** Basic reply code; null when there was no SMTP reply at all (connection refused, timeout, DNS failure). */
  code: number | null;
  /** Enhanced status code such as "5.1.1", when the reply carried one. */
  enhanced: string | null;
  /** The whole reply as received (or the local error text), kept exactly for the record. */
  response: string;
  /** The command the reply answered, when it came from a destination's session (a local failure has none). */
  command?: SmtpCommand | null;
  /** The destination host that gave it: the MX name, or the transport host as configured. */
  remoteHost?: string | null;
}

export type ReplyOutcome = 'delivered' | 'deferred' | 'bounced';

const REPLY = /^([2-5]\d\d)(?:[ -]([245]\.\d{1,3}\.\d{1,3})(?=\s|$))?/;

/** Splits "550 5.1.1 <x@y>: Recipient address rejected" into 550 / "5.1.1" / the verbatim text. */
export function parseSmtpReply(reply: string): ParsedReply {
  const response = reply.trim();
  const m = REPLY.exec(response);
  if (!m) return { code: null, enhanced: null, response };
  return { code: Number(m[1]), enhanced: m[2] ?? null, response };
}

/**
 * Longest reply text kept, in characters. A destination's reply is someone else's text of any length (a multi-line
 * reply can go on for megabytes); every real one fits with room to spare, and the codes are at its start.
 */
export const MAX_REPLY_CHARS = 4096;

/**
 * The reply cut to `max` characters (never inside a surrogate pair), with a note of the original length, so a
 * stored reply keeps its codes and its first words and says that it was cut.
 */
export function cutReply(reply: string, max = MAX_REPLY_CHARS): string {
  if (reply.length <= max) return reply;
  const at = reply.charCodeAt(max - 1) >= 0xd800 && reply.charCodeAt(max - 1) <= 0xdbff ? max - 1 : max;
  return `${reply.slice(0, at)} [cut, ${reply.length} characters]`;
}

/** A parsed reply whose text is cut with cutReply; the codes were read before the cut. */
export function boundedReply(r: ParsedReply, max = MAX_REPLY_CHARS): ParsedReply {
  return r.response.length <= max ? r : { ...r, response: cutReply(r.response, max) };
}

/** A failure that produced no SMTP reply; the enhanced code, when known, says whether it is worth retrying. */
export function localFailure(response: string, enhanced: string | null = null): ParsedReply {
  return { code: null, enhanced, response };
}

/**
 * 2xx delivered, 5xx bounced, everything else (4xx, a stray 3xx, no reply at all) deferred: when in doubt, retry,
 * since the lifetime limit turns an endless doubt into a final answer. Without a basic code the enhanced code's
 * class decides (a DNS "domain does not exist" is permanent).
 */
export function classifyReply(r: Pick<ParsedReply, 'code' | 'enhanced'>): ReplyOutcome {
  const cls = r.code !== null ? Math.floor(r.code / 100) : r.enhanced ? Number(r.enhanced[0]) : 4;
  if (cls === 2) return 'delivered';
  if (cls === 5) return 'bounced';
  return 'deferred';
}
