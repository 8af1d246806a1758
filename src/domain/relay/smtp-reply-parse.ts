// A destination's reply is kept verbatim for the status feed, but routing decisions need its parts: the basic code
// decides the outcome, the enhanced code (RFC 3463) is what operators and bounce rules search for.

export interface ParsedReply {
  /** Basic reply code; null when there was no SMTP reply at all (connection refused, timeout, DNS failure). */
  code: number | null;
  /** Enhanced status code such as "5.1.1", when the reply carried one. */
  enhanced: string | null;
  /** The whole reply as received (or the local error text), kept exactly for the record. */
  response: string;
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
