// Durations in configuration are written the way operators write them: "30s", "10m", "2h", "2d", "500ms".
const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses "10m" → 600000 (milliseconds). A bare number is seconds. Throws on anything else. */
export function parseDurationMs(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!m) throw new Error(`invalid duration "${text}" (use e.g. 30s, 10m, 2h, 2d)`);
  return Math.round(Number(m[1]) * (units[m[2] ?? 's'] ?? 1000));
}

/** Parses a comma-separated list of durations, e.g. a retry schedule "1m,5m,15m". */
export function parseDurationListMs(text: string): number[] {
  return text
    .split(',')
    .filter((s) => s.trim() !== '')
    .map(parseDurationMs);
}
