import mailsplit from 'mailsplit';
import { headerBlockEnd } from './message-headers.js';

// The submission's control headers (X-Relay-Tag, X-Relay-Priority, and any other X-Relay-*): read at ingress, kept as
// message data for routing, and removed before the message is stored for delivery, so recipients never see them.

export const RELAY_HEADER_PREFIX = 'x-relay-';

export interface RelayHints {
  /** X-Relay-Tag, repeatable, each possibly a comma-separated list; trimmed, deduplicated, order kept. */
  tags: string[];
  /** X-Relay-Priority, lowercased (e.g. "high", "normal", "low"); undefined when absent. */
  priority?: string;
}

/** Higher runs first in a relay's queue: `high` (OTP, alerts) ahead of unmarked mail ahead of `low` (bulk). */
export function priorityRank(priority: string | undefined): number {
  switch (priority) {
    case 'high': case 'urgent': return 10;
    case 'low': case 'bulk': return -10;
    default: return 0;
  }
}

function hintsFrom(get: (name: string) => string[]): RelayHints {
  const tags = [...new Set(get('x-relay-tag').flatMap((v) => v.split(',')).map((t) => t.trim()).filter((t) => t !== ''))];
  const priority = get('x-relay-priority')[0]?.trim().toLowerCase();
  return { tags, ...(priority ? { priority } : {}) };
}

/** Hints from a plain header map (the explain API: {"X-Relay-Tag": ["a", "b"], "X-Relay-Priority": "high"}). */
export function hintsFromHeaderMap(headers: Readonly<Record<string, string | readonly string[]>> | undefined): RelayHints {
  const lower = new Map<string, string[]>();
  for (const [k, v] of Object.entries(headers ?? {})) lower.set(k.toLowerCase(), [...(lower.get(k.toLowerCase()) ?? []), ...(typeof v === 'string' ? [v] : v)]);
  return hintsFrom((name) => lower.get(name) ?? []);
}

/**
 * Reads the X-Relay-* headers of a raw message and returns it without them. Only the header block is rewritten
 * (keeping its line ending style); the body and every other header line are kept byte for byte. A message without
 * such headers is returned as the same buffer.
 */
export function takeRelayHeaders(raw: Buffer): { raw: Buffer; hints: RelayHints } {
  const end = headerBlockEnd(raw);
  const block = raw.subarray(0, end);
  const headers = new mailsplit.Headers(block);
  const lines = headers.getList();
  const value = (line: string): string => line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]/g, ' ').trim();
  const hints = hintsFrom((name) => lines.filter((l) => l.key === name).map((l) => value(l.line)));
  const control = [...new Set(lines.map((l) => l.key).filter((k) => k.startsWith(RELAY_HEADER_PREFIX)))];
  if (control.length === 0) return { raw, hints };
  for (const k of control) headers.remove(k);
  const lineEnd = block.includes('\r\n') ? '\r\n' : '\n';
  return { raw: Buffer.concat([headers.build(lineEnd), raw.subarray(end)]), hints };
}
