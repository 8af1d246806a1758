// Postfix-style backoff as a plain array: attempt n waits schedule[n-1], and the last step repeats. A message never
// outlives its lifetime: the wait is capped so the final attempt happens right at the deadline, and a temporary
// failure at or after the deadline is final.

export type RetryDecision = { kind: 'retry'; at: number } | { kind: 'expire' };

/** Wait after the n-th failed attempt (n starts at 1). */
export function retryDelayMs(attempts: number, scheduleMs: readonly number[]): number {
  if (scheduleMs.length === 0) throw new Error('retry schedule must have at least one step');
  const i = Math.min(Math.max(attempts, 1), scheduleMs.length) - 1;
  return scheduleMs[i] as number;
}

/** After a temporary failure: when to try again, or that the message has run out of time. Times are epoch ms. */
export function decideRetry(p: {
  attempts: number;
  queuedAt: number;
  now: number;
  scheduleMs: readonly number[];
  maxLifetimeMs: number;
}): RetryDecision {
  const deadline = p.queuedAt + p.maxLifetimeMs;
  if (p.now >= deadline) return { kind: 'expire' };
  return { kind: 'retry', at: Math.min(p.now + retryDelayMs(p.attempts, p.scheduleMs), deadline) };
}
