// The fixed reason vocabulary (Sisimai's names as of v5.1/5.2, so results compare with the shared corpus) and the
// one rule that derives `hard` from a reason.

import type { StatusClass } from './smtp-codes.js';

export const BOUNCE_REASONS = [
  'userunknown',
  'hostunknown',
  'hasmoved',
  'notaccept',
  'mailboxfull',
  'exceedlimit',
  'mesgtoobig',
  'suspend',
  'filtered',
  'rejected',
  'blocked',
  'badreputation',
  'requireptr',
  'authfailure',
  'securityerror',
  'spamdetected',
  'virusdetected',
  'policyviolation',
  'contenterror',
  'notcompliantrfc',
  'norelaying',
  'toomanyconn',
  'speeding',
  'syntaxerror',
  'systemerror',
  'systemfull',
  'networkerror',
  'expired',
  'mailererror',
  'onhold',
  'undefined',
  'feedback',
  'vacation',
  'delivered',
] as const;

export type BounceReason = (typeof BOUNCE_REASONS)[number];

/** Reasons tied to the address itself: sending to it again is pointless. */
const ADDRESS_REASONS: ReadonlySet<BounceReason> = new Set(['userunknown', 'hostunknown', 'hasmoved', 'notaccept']);

/** The reason is about the recipient's address itself (whatever the class). */
export function isAddressReason(reason: BounceReason): boolean {
  return ADDRESS_REASONS.has(reason);
}

/**
 * Hard means "suppress this address". A policy, spam or reputation refusal is about the message or the sending
 * host, not the address, so it stays soft even when permanent; and no temporary (4xx) failure is hard, whatever it
 * says of the address (RFC 5321 4.2.1: the same request may succeed later, as Postfix's "450 4.1.1 unverified
 * address" does once its probe is answered).
 */
export function isHardBounce(reason: BounceReason, statusClass: StatusClass | null): boolean {
  return ADDRESS_REASONS.has(reason) && statusClass !== '4';
}
