import { smtpReplies, type SmtpReply } from '../smtp-reply.js';

// Account standing: its state and its sending limits, and the decisions taken from them. Pure: the counts come from
// the database (src/db/account-standing-repo.ts).

/**
 * - `active`: sends normally.
 * - `suspended`: SMTP AUTH, IP credentials and the account's API keys are refused until the operator lifts it.
 * - `sandbox`: submissions are accepted and recorded, recipients end `sandboxed`, nothing is delivered.
 */
export const accountStates = ['active', 'suspended', 'sandbox'] as const;
export type AccountState = (typeof accountStates)[number];

export const quotaPeriods = ['minute', 'day'] as const;
export type QuotaPeriod = (typeof quotaPeriods)[number];

/** Messages an account may have accepted per period; null = unlimited. */
export interface SendingLimits {
  perMinute: number | null;
  perDay: number | null;
}

/** Messages accepted in the current minute and the current UTC day. */
export interface SendingUsage {
  minute: number;
  day: number;
}

/** Share of a limit at which an account-level `quota-warning` event is written (once per bucket). */
export const QUOTA_WARNING_RATIO = 0.9;

export function limitOf(limits: SendingLimits, period: QuotaPeriod): number | null {
  return period === 'minute' ? limits.perMinute : limits.perDay;
}

/** The first period whose limit one more message would exceed, given the count already accepted in each. */
export function exhaustedPeriod(limits: SendingLimits, usage: SendingUsage): QuotaPeriod | undefined {
  return quotaPeriods.find((p) => {
    const limit = limitOf(limits, p);
    return limit !== null && usage[p] >= limit;
  });
}

export function quotaReply(period: QuotaPeriod): SmtpReply {
  return period === 'minute' ? smtpReplies.quotaPerMinute : smtpReplies.quotaPerDay;
}

/**
 * The count at which the warning fires: the first acceptance reaching 90% of the limit. Counts rise by one per
 * accepted message, so exactly one acceptance per bucket reaches it. A limit of 0 never warns (nothing is accepted).
 */
export function warningThreshold(limit: number): number {
  return Math.max(1, Math.ceil(limit * QUOTA_WARNING_RATIO));
}

export function reachesWarning(limit: number | null, countAfter: number): boolean {
  return limit !== null && limit > 0 && countAfter === warningThreshold(limit);
}

/**
 * Checked at every MAIL FROM (so a session authenticated before a suspension sees it at its next transaction) and
 * again inside the acceptance transaction: the reply refusing the account, or undefined.
 */
export function accountStandingRefusal(s: {
  state: AccountState;
  limits: SendingLimits;
  usage: SendingUsage;
}): SmtpReply | undefined {
  if (s.state === 'suspended') return smtpReplies.accountSuspended;
  const period = exhaustedPeriod(s.limits, s.usage);
  return period ? quotaReply(period) : undefined;
}
