// When a supervised child process (Temporal dev server, embedded PostgreSQL, a relay) ends on its own, whether and
// when to start it again. Pure: the caller passes the clock reading and keeps the returned state.

export interface RestartPolicy {
  /** Pause before the first restart, in ms: long enough for the OS to release the dead process's port. */
  initialDelayMs: number;
  /** Upper bound of the pause, in ms: a dependency that keeps failing is retried at least this often. */
  maxDelayMs: number;
  /** A child that stayed up this long (ms) counts as healthy again: the next crash starts from initialDelayMs. */
  stableAfterMs: number;
}

/** 0.5 s, 1 s, 2 s … up to 30 s; reset after a minute of uptime. */
export const defaultRestartPolicy: RestartPolicy = { initialDelayMs: 500, maxDelayMs: 30_000, stableAfterMs: 60_000 };

export interface RestartState {
  /** Crashes and failed starts in a row, since the child was last up for stableAfterMs. */
  failures: number;
}

export type RestartDecision =
  { action: 'stay-down'; reason: 'stopping' } | { action: 'restart'; delayMs: number; attempt: number };

/**
 * The decision after the child ended (`upForMs`: how long it had been up; undefined when the start itself failed).
 * While the supervisor is stopping nothing is restarted, so an ordered shutdown never races a restart.
 */
export function decideRestart(
  state: RestartState,
  event: { stopping: boolean; upForMs?: number },
  policy: RestartPolicy = defaultRestartPolicy,
): { decision: RestartDecision; state: RestartState } {
  if (event.stopping) return { decision: { action: 'stay-down', reason: 'stopping' }, state };
  const failuresBefore = event.upForMs !== undefined && event.upForMs >= policy.stableAfterMs ? 0 : state.failures;
  const delayMs = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(failuresBefore, 30));
  const failures = failuresBefore + 1;
  return { decision: { action: 'restart', delayMs, attempt: failures }, state: { failures } };
}
