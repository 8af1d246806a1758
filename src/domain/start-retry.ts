// When a workflow start that failed is tried again. Pure: the caller keeps the attempt count (the outbox row's).

/** First retry after this many ms; each further failure doubles it. */
export const START_RETRY_FIRST_MS = 1_000;
/**
 * Upper bound of the pause, in ms: a row is retried at least once a minute, so after an outage every waiting message
 * is started within about a minute of Temporal answering again (the drain's probe usually finds it sooner).
 */
export const START_RETRY_MAX_MS = 60_000;

/** The pause after the `attempts`-th failed start (1-based): 1 s, 2 s, 4 s … 60 s. */
export function startRetryDelayMs(attempts: number): number {
  const n = Math.max(1, Math.floor(attempts));
  return Math.min(START_RETRY_MAX_MS, START_RETRY_FIRST_MS * 2 ** Math.min(n - 1, 30));
}

/**
 * The drain loop's pause before its next pass: at once when the last pass was cut by the batch size, the scan
 * interval when it finished, and while Temporal refuses every start a growing pause (1 s, 2 s, 4 s …) capped by the
 * scan interval, so a long outage costs one failed probe per interval and a short one is noticed within seconds.
 */
export function nextDrainDelayMs(
  pass: { claimed: number; batch: number; started: number; failed: number; failuresInARow: number },
  scanIntervalMs: number,
): number {
  if (pass.failed > 0 && pass.started === 0)
    return Math.min(scanIntervalMs, START_RETRY_FIRST_MS * 2 ** Math.min(Math.max(0, pass.failuresInARow - 1), 30));
  if (pass.claimed >= pass.batch) return 0;
  return scanIntervalMs;
}
