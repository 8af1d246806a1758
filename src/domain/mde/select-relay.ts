// The first Mail Distribution Engine rule: pick one healthy relay, deterministically, so a workflow replay or a retry
// chooses the same relay unless that relay has failed for this message.

export interface RelayCandidate {
  id: string;
  sourceIp: string;
  healthy: boolean;
}

export type RelayChoice =
  | { chosen: RelayCandidate; reason: string; rejected: Array<{ id: string; why: string }> }
  | { chosen: undefined; reason: string; rejected: Array<{ id: string; why: string }> };

/** 32-bit FNV-1a: tiny, stable across processes and versions (unlike a randomised hash). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Rendezvous (highest-random-weight) hashing over the usable relays: each message lands on the same relay every time,
 * and adding or removing a relay only moves the messages that relay wins or loses.
 */
export function selectRelay(messageId: string, candidates: readonly RelayCandidate[], exclude: readonly string[] = []): RelayChoice {
  const rejected: Array<{ id: string; why: string }> = [];
  const usable: RelayCandidate[] = [];
  for (const c of candidates) {
    if (exclude.includes(c.id)) rejected.push({ id: c.id, why: 'already failed for this message' });
    else if (!c.healthy) rejected.push({ id: c.id, why: 'relay is unhealthy' });
    else usable.push(c);
  }
  let best: RelayCandidate | undefined;
  let bestScore = -1;
  for (const c of usable) {
    const score = fnv1a(`${messageId}|${c.id}`);
    if (score > bestScore || (score === bestScore && best && c.id < best.id)) { best = c; bestScore = score; }
  }
  if (!best) return { chosen: undefined, reason: `no usable relay among ${candidates.length}`, rejected };
  return { chosen: best, reason: `highest rendezvous score among ${usable.length} usable relay(s)`, rejected };
}
