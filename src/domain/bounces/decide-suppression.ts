// When a failed delivery puts the address on the account's suppression list. Suppression is for good, so it acts on
// how sure the failure makes us that the address itself is dead, not on the SMTP class alone:
// - `address`: the reply says the mailbox or domain does not exist, has moved, takes no mail, or is disabled
//   (userunknown, hostunknown, hasmoved, notaccept, suspend). A permanent (5xx) one suppresses at once: every later
//   message would be refused the same way, and mailing dead addresses is what receivers score senders down for.
// - `repeat`: the refusal concerns the message or the recipient's own settings (policy, content, spam or virus
//   verdict, full mailbox, recipient filter, a destination that keeps failing). Once may be this message's fault; the
//   address is suppressed only when such final failures repeat (policy.repeatCount within policy.repeatWindowMs,
//   as Postal does with hard fails).
// - `never`: the refusal is about our sending host or domain (blocklisted or badly reputed IP, missing PTR, failed
//   SPF/DKIM/DMARC, sender refused, rate limits, protocol errors, a login the session lacked: a `securityerror` whose
//   words are the session's SMTP AUTH, where the recipient's TLS or DANE policy stays `repeat`). Repeating it says
//   nothing about the address, and counting it would, during one listing of an IP at a big mailbox provider,
//   suppress every one of its users that got two messages; the reputation scan deals with the host instead.
// Complaints and unsubscribes are not bounces and are suppressed by their own callers.
import { domainOf } from '../mime/address.js';
import { reasonForReplyWords, SESSION_AUTH } from './diagnostic-patterns.js';
import type { BounceReason } from './reasons.js';
import type { StatusClass } from './smtp-codes.js';
import { asOneLine, negationsWrittenOut } from './text-match.js';

export type SuppressionTier = 'address' | 'repeat' | 'never';

export interface SuppressionPolicy {
  /** Final failures of the `repeat` tier, this one included, that suppress the address. */
  repeatCount: number;
  /** How far back earlier failures count, in milliseconds. */
  repeatWindowMs: number;
}

/** Two within 30 days (Postal's rule): one bad day of a receiver's filter does not cost the address. */
export const DEFAULT_SUPPRESSION_POLICY: SuppressionPolicy = {
  repeatCount: 2,
  repeatWindowMs: 30 * 24 * 3600 * 1000,
};

const TIERS: Record<BounceReason, SuppressionTier> = {
  userunknown: 'address',
  hostunknown: 'address',
  hasmoved: 'address',
  notaccept: 'address',
  suspend: 'address',
  filtered: 'repeat',
  policyviolation: 'repeat',
  spamdetected: 'repeat',
  virusdetected: 'repeat',
  contenterror: 'repeat',
  notcompliantrfc: 'repeat',
  mailboxfull: 'repeat',
  exceedlimit: 'repeat',
  mesgtoobig: 'repeat',
  securityerror: 'repeat',
  norelaying: 'repeat',
  mailererror: 'repeat',
  systemerror: 'repeat',
  systemfull: 'repeat',
  networkerror: 'repeat',
  expired: 'repeat',
  onhold: 'repeat',
  undefined: 'repeat',
  blocked: 'never',
  badreputation: 'never',
  requireptr: 'never',
  authfailure: 'never',
  rejected: 'never',
  speeding: 'never',
  toomanyconn: 'never',
  syntaxerror: 'never',
  delivered: 'never',
  feedback: 'never',
  vacation: 'never',
};

/** The longest part of a diagnostic read here, in characters (any real reply fits). */
const WORDS_READ = 2000;

/** A domain the reply names as the one that does not exist ("553 neko.example.com does not exist"). */
const MISSING_DOMAIN =
  /(?:^|[\s<('"])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,10}[a-z]{2,63})[>)'"]?\s{1,5}does not exist\b/i;

/** Words that make what follows a mailbox's name, not a domain's ("Mailbox john.doe does not exist"). */
const MAILBOX_WORD = /(?:mailbox|user|account|recipient|address|local part)\s*['"<(]?$/i;

/** The failure says a domain that is neither the recipient's nor one above or below it does not exist. */
function missingDomainIsAnother(diagnostic: string, recipient: string): boolean {
  // ("neko.example.com doesn't exist", the negation written out)
  const words = negationsWrittenOut(diagnostic);
  const m = MISSING_DOMAIN.exec(words);
  const named = m?.[1]?.toLowerCase();
  const own = domainOf(recipient);
  if (!m || !named || !own) return false;
  // a dotted mailbox name is the recipient's own
  if (
    named === recipient.slice(0, recipient.lastIndexOf('@')).toLowerCase() ||
    MAILBOX_WORD.test(words.slice(Math.max(0, m.index - 20), m.index + 1))
  )
    return false;
  return !(named === own || own.endsWith(`.${named}`) || named.endsWith(`.${own}`));
}

/**
 * The reply's words contradict an address reason: they name a full mailbox (so it exists) or a cause on the sending
 * side. A reason can come from the enhanced code alone where the words name none the classifier prefers, and that
 * code is not always the destination's: Sendmail makes one up from a bare reply code (551 → 5.1.6 "destination
 * mailbox has moved", 550 at RCPT → 5.1.1), so "551 Sender is on domain's blacklist" arrives as `hasmoved`.
 */
function wordsContradictAddress(diagnostic: string): boolean {
  const words = reasonForReplyWords(diagnostic);
  return words !== null && CONTRADICTING_WORDS.has(words);
}

/**
 * Readings of the words that contradict an address reason. Not syntaxerror of the `never` tier: "bad address
 * syntax" can be the recipient's own.
 */
const CONTRADICTING_WORDS: ReadonlySet<BounceReason> = new Set([
  'mailboxfull',
  'blocked',
  'badreputation',
  'requireptr',
  'authfailure',
  'rejected',
  'speeding',
  'toomanyconn',
]);

/**
 * The tier of a final failure. An address reason under a temporary code (a 4xx that stayed until the queue gave up:
 * "450 4.1.1 recipient lookup failed, try later") is not a statement that the address is gone, so it only counts.
 * Nor is a missing domain that is not the recipient's: a receiver that checks the sender's domain writes "553
 * <sender's domain> does not exist", and reading that as the recipient's would suppress every recipient of a sender
 * whose DNS broke. Nor is an address reason the reply's own words contradict (a full mailbox, a refused sender): with
 * two readings of one reply, the one that suppresses for good waits for a second failure.
 */
export function suppressionTier(
  reason: string,
  statusClass: StatusClass | null,
  about?: { recipient: string; diagnostic: string | null },
): SuppressionTier {
  const tier = (TIERS as Record<string, SuppressionTier | undefined>)[reason] ?? 'repeat';
  if (statusClass === '2') return 'never';
  // the session's own SMTP AUTH (RFC 4954), required or refused, is the sending side's, not the address's
  if (
    reason === 'securityerror' &&
    about?.diagnostic &&
    SESSION_AUTH.test(negationsWrittenOut(about.diagnostic.slice(0, WORDS_READ)))
  )
    return 'never';
  if (tier !== 'address') return tier;
  if (statusClass === '4') return 'repeat';
  if (!about?.diagnostic) return tier;
  const diagnostic = about.diagnostic.slice(0, WORDS_READ);
  return missingDomainIsAnother(diagnostic, about.recipient) || wordsContradictAddress(diagnostic) ? 'repeat' : tier;
}

export type SuppressionDecision =
  | { suppress: true; rule: 'first-bounce' | 'repeated'; detail: string }
  | { suppress: false; rule: 'not-address' | 'below-threshold'; detail: string };

/**
 * The decision for one final failure. `recentFailures` counts the address's `repeat`-tier final failures in the
 * policy window, this one included (the caller records it first, once per message).
 */
export function decideSuppression(
  input: {
    reason: string;
    statusClass: StatusClass | null;
    recentFailures: number;
    about?: { recipient: string; diagnostic: string | null };
  },
  policy: SuppressionPolicy = DEFAULT_SUPPRESSION_POLICY,
): SuppressionDecision {
  const tier = suppressionTier(input.reason, input.statusClass, input.about);
  if (tier === 'address') return { suppress: true, rule: 'first-bounce', detail: `${input.reason}: address refused` };
  if (tier === 'never') return { suppress: false, rule: 'not-address', detail: `${input.reason}: about the sender` };
  const days = Math.round(policy.repeatWindowMs / 86_400_000);
  const detail = `${input.reason}: ${input.recentFailures} of ${policy.repeatCount} failures in ${days}d`;
  return input.recentFailures >= policy.repeatCount
    ? { suppress: true, rule: 'repeated', detail }
    : { suppress: false, rule: 'below-threshold', detail };
}

/** Longest diagnostic kept on a suppression entry as evidence, in characters: enough for any real reply. */
export const MAX_EVIDENCE = 500;

/** The reply text kept as evidence: whitespace collapsed, cut to MAX_EVIDENCE characters. */
export function suppressionEvidence(diagnostic: string | null | undefined): string | null {
  const t = asOneLine((diagnostic ?? '').slice(0, 4 * MAX_EVIDENCE));
  return t ? t.slice(0, MAX_EVIDENCE) : null;
}

/**
 * A final failure for people, as the suppression entry shows it: the reason, the reply's code, and the step and host
 * that refused when the report said ("userunknown 5.1.1, RCPT at mx.example.com").
 */
export function failureDetail(f: {
  reason: string;
  code: string | number | null;
  command?: string | null;
  remoteHost?: string | null;
}): string {
  const what = `${f.reason} ${f.code ?? ''}`.trim();
  const where = [f.command, f.remoteHost && `at ${f.remoteHost}`].filter(Boolean).join(' ');
  return where ? `${what}, ${where}` : what;
}
