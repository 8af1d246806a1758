// The service's own reputation signals, judged against thresholds: pure logic over counts read from the central
// tables (recipients' final outcomes, deferral events, complaints, replies that name a block).

/** Words in destination replies that say the sender is blocked or has a bad reputation (421/550/554 texts). */
export const blockReplyWords = [
  'block',
  'blocked',
  'blocklisted',
  'blacklist',
  'blacklisted',
  'black listed',
  'listed',
  'poor reputation',
  'bad reputation',
  'low reputation',
  'spamhaus',
  'barracuda',
  'spamcop',
  'dnsbl',
  'rbl',
];
export const blockReplyPattern = new RegExp(`\\b(${blockReplyWords.join('|')})\\b`, 'i');
/** The same test as a PostgreSQL regular expression (\y is its word boundary), for counting in SQL. */
export const blockReplyPostgresPattern = `\\y(${blockReplyWords.join('|')})\\y`;

export function namesBlock(reply: string | null | undefined): boolean {
  return reply !== null && reply !== undefined && blockReplyPattern.test(reply);
}

export interface SignalCounts {
  delivered: number;
  bounced: number;
  failed: number;
  deferred: number;
  complaints: number;
  /** Bounces and deferrals whose reply names a block. */
  blockReplies: number;
  /** A few of those replies, as evidence. */
  sampleReplies: string[];
}

export interface SignalThresholds {
  minVolume: number;
  bounceRate: number;
  deferralRate: number;
  complaintRate: number;
  blockReplies: number;
}

export interface SignalMetrics {
  finals: number;
  bounceRate: number;
  deferralRate: number;
  complaintRate: number;
  blockReplies: number;
}

export interface SignalJudgement {
  degraded: boolean;
  /** Each threshold crossed, in words ("bounce rate 60.0 % ≥ 10.0 %"). */
  breaches: string[];
  metrics: SignalMetrics;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

/** Rates are judged only from `minVolume` outcomes on; block replies count whatever the volume. */
export function judgeSignals(c: SignalCounts, t: SignalThresholds): SignalJudgement {
  const finals = c.delivered + c.bounced + c.failed;
  const attempts = finals + c.deferred;
  const metrics: SignalMetrics = {
    finals,
    bounceRate: finals === 0 ? 0 : c.bounced / finals,
    deferralRate: attempts === 0 ? 0 : c.deferred / attempts,
    complaintRate: c.delivered === 0 ? 0 : c.complaints / c.delivered,
    blockReplies: c.blockReplies,
  };
  const breaches: string[] = [];
  if (finals >= t.minVolume) {
    if (metrics.bounceRate >= t.bounceRate)
      breaches.push(`bounce rate ${pct(metrics.bounceRate)} ≥ ${pct(t.bounceRate)} (${c.bounced} of ${finals})`);
    if (c.delivered > 0 && metrics.complaintRate >= t.complaintRate)
      breaches.push(`complaint rate ${pct(metrics.complaintRate)} ≥ ${pct(t.complaintRate)}`);
  }
  if (attempts >= t.minVolume && metrics.deferralRate >= t.deferralRate)
    breaches.push(`deferral rate ${pct(metrics.deferralRate)} ≥ ${pct(t.deferralRate)} (${c.deferred} of ${attempts})`);
  if (c.blockReplies >= t.blockReplies)
    breaches.push(`${c.blockReplies} destination replies name a block (≥ ${t.blockReplies})`);
  return { degraded: breaches.length > 0, breaches, metrics };
}
