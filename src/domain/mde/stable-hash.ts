// A hash for deterministic choices (the routing's rendezvous hashing): the same input gives the same number in every
// process and version, so a retry or a workflow replay chooses the same way.

/** 32-bit FNV-1a over UTF-16 code units: tiny, stable across processes and versions (unlike a randomised hash). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
