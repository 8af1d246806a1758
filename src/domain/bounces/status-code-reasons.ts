// RFC 3463 enhanced status code → reason, used when the diagnostic text matched no pattern. Keys are
// "subject.detail" (the class digit only says temporary or permanent); a few vendor codes (Microsoft's 5.7.606,
// 5.7.509, Google's 5.7.26 ...) are listed because they are as specific as any text.
import type { BounceReason } from './reasons.js';

const BY_SUBJECT_DETAIL: Record<string, BounceReason> = {
  '1.1': 'userunknown', // bad destination mailbox address
  '1.2': 'hostunknown', // bad destination system address
  '1.3': 'userunknown', // bad destination mailbox address syntax
  '1.4': 'userunknown', // destination mailbox address ambiguous
  '1.6': 'hasmoved', // destination mailbox has moved, no forwarding address
  '1.7': 'rejected', // bad sender's mailbox address syntax
  '1.8': 'rejected', // bad sender's system address
  '1.10': 'notaccept', // RFC 7505 null MX
  '2.1': 'suspend', // mailbox disabled, not accepting messages
  '2.2': 'mailboxfull',
  '2.3': 'exceedlimit', // message length exceeds administrative limit
  '2.4': 'systemerror', // mailing list expansion problem
  '3.1': 'systemfull', // mail system full
  '3.4': 'mesgtoobig',
  '3.5': 'systemerror', // system incorrectly configured
  '4.1': 'networkerror', // no answer from host
  '4.2': 'networkerror', // bad connection
  '4.3': 'systemerror', // directory server failure
  '4.4': 'hostunknown', // unable to route
  '4.5': 'systemfull', // mail system congestion
  '4.6': 'networkerror', // routing loop detected
  '4.7': 'expired', // delivery time expired
  '5.1': 'syntaxerror',
  '5.2': 'syntaxerror',
  '5.3': 'syntaxerror',
  '5.4': 'syntaxerror',
  '5.5': 'syntaxerror',
  '5.6': 'syntaxerror',
  '6.0': 'contenterror',
  '6.1': 'contenterror',
  '6.2': 'contenterror',
  '6.3': 'contenterror',
  '6.5': 'contenterror',
  '6.6': 'contenterror',
  '7.0': 'securityerror',
  '7.1': 'securityerror',
  '7.2': 'securityerror',
  '7.3': 'securityerror',
  '7.4': 'securityerror',
  '7.5': 'securityerror',
  '7.6': 'securityerror',
  '7.7': 'securityerror',
  '7.8': 'securityerror',
  '7.9': 'securityerror',
  '7.13': 'suspend', // user account disabled
  '7.14': 'securityerror',
  '7.15': 'securityerror',
  '7.16': 'exceedlimit',
  '7.17': 'hasmoved', // mailbox owner has changed
  '7.18': 'suspend', // domain owner has changed
  '7.20': 'authfailure', // no passing DKIM signature
  '7.21': 'authfailure',
  '7.22': 'authfailure',
  '7.23': 'authfailure', // SPF validation failed
  '7.24': 'authfailure',
  '7.25': 'requireptr', // reverse DNS validation failed
  '7.26': 'authfailure', // multiple authentication checks failed
  '7.27': 'notaccept', // sender address has null MX
  '7.28': 'spamdetected',
  '7.509': 'authfailure', // Microsoft: DMARC reject
  '7.606': 'blocked', // Microsoft: IP on the block list
  '7.650': 'badreputation', // Microsoft: IP reputation
  '7.708': 'blocked', // Microsoft: "Access denied, traffic not accepted from this IP"
  '7.750': 'badreputation', // Microsoft: tenant reputation
};

/** Reason implied by an enhanced status code alone, or null when the code is too generic (x.0.0, 5.1.0 ...). */
export function reasonForStatus(status: string): BounceReason | null {
  const m = /^([245])\.(\d{1,3})\.(\d{1,3})$/.exec(status);
  if (!m) return null;
  if (m[1] === '2') return 'delivered';
  return BY_SUBJECT_DETAIL[`${m[2]}.${m[3]}`] ?? null;
}
