// A sending MTA's own verdict on a failure, written into its DSN beside the reply: PowerMTA adds
// "X-PowerMTA-BounceCategory: <category>" to each recipient's fields, naming the category its bounce patterns gave
// the reply (PowerMTA User's Guide, "Bounce Categories"). Read only when the reply itself names no cause.
import type { BounceReason } from './reasons.js';

const POWERMTA_CATEGORIES: Readonly<Record<string, BounceReason>> = {
  'bad-mailbox': 'userunknown',
  'bad-domain': 'hostunknown',
  'inactive-mailbox': 'suspend',
  'quota-issues': 'mailboxfull',
  'message-expired': 'expired',
  'no-answer-from-host': 'networkerror',
  'bad-connection': 'networkerror',
  'routing-errors': 'systemerror',
  'bad-configuration': 'systemerror',
  'protocol-errors': 'syntaxerror',
  'policy-related': 'policyviolation',
  'spam-related': 'spamdetected',
  'virus-related': 'virusdetected',
  'content-related': 'contenterror',
  'invalid-sender': 'rejected',
  'relaying-issues': 'norelaying',
  // "other" names nothing
};

/** The reason a PowerMTA bounce category stands for, or null for "other" and for anything it does not define. */
export function reasonForBounceCategory(category: string | undefined): BounceReason | null {
  if (!category) return null;
  return POWERMTA_CATEGORIES[category.trim().toLowerCase()] ?? null;
}
