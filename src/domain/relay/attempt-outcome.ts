import { decideRetry } from './retry-schedule.js';
import { classifyReply, type ParsedReply } from './smtp-reply-parse.js';

// What one attempt's reply means for one recipient: final (delivered/bounced), another try later (deferred), or,
// for a temporary failure past the lifetime, failed with reason `expired` (the reply kept is that last one).

export type AttemptOutcome =
  | { status: 'delivered' | 'bounced'; reason: null; nextAttemptAt: null }
  | { status: 'deferred'; reason: null; nextAttemptAt: number }
  | { status: 'failed'; reason: 'expired'; nextAttemptAt: null };

export function decideAttemptOutcome(p: {
  reply: ParsedReply;
  attempts: number;
  queuedAt: number;
  now: number;
  scheduleMs: readonly number[];
  maxLifetimeMs: number;
}): AttemptOutcome {
  const outcome = classifyReply(p.reply);
  if (outcome !== 'deferred') return { status: outcome, reason: null, nextAttemptAt: null };
  const retry = decideRetry(p);
  return retry.kind === 'retry'
    ? { status: 'deferred', reason: null, nextAttemptAt: retry.at }
    : { status: 'failed', reason: 'expired', nextAttemptAt: null };
}
