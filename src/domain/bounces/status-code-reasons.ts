// RFC 3463 enhanced status code → reason, used when the diagnostic text matched no pattern. Keys are
// "subject.detail", read with the meanings RFC 3463 gives each subject (x.1 addressing, x.2 the mailbox, x.3 the
// mail system, x.4 network and routing, x.5 protocol, x.6 content, x.7 security or policy); the class digit only
// says temporary or permanent, except for the few details whose meaning it changes (TRANSIENT below). A few vendor
// codes (Microsoft's 5.7.606, 5.7.509, Google's 5.7.26 ...) are listed because they are as specific as any text.
import type { BounceReason } from './reasons.js';

const BY_SUBJECT_DETAIL: Record<string, BounceReason> = {
  '1.0': 'userunknown', // other address status: "something about the address specified in the message"
  '1.1': 'userunknown', // bad destination mailbox address
  '1.2': 'hostunknown', // bad destination system address
  '1.3': 'userunknown', // bad destination mailbox address syntax
  // destination mailbox address ambiguous: the address matches more than one mailbox (Domino's "Several matches
  // found in Domino Directory"), so it names real mailboxes and says nothing against the address itself
  '1.4': 'filtered',
  '1.6': 'hasmoved', // destination mailbox has moved, no forwarding address
  '1.7': 'rejected', // bad sender's mailbox address syntax
  '1.8': 'rejected', // bad sender's system address
  '1.9': 'systemerror', // message relayed to non-compliant mailer (RFC 3886)
  '1.10': 'notaccept', // RFC 7505 null MX
  '2.0': 'filtered', // other mailbox status: "the mailbox exists, but something about [it] has caused this DSN"
  // mailbox disabled, not accepting messages: "the mailbox exists, but is not accepting messages", permanently only
  // by its own settings or state; words that say the account was closed or suspended are read as such first
  '2.1': 'filtered',
  '2.2': 'mailboxfull',
  '2.3': 'exceedlimit', // message length exceeds administrative limit
  '2.4': 'systemerror', // mailing list expansion problem
  '3.0': 'systemerror', // other or undefined mail system status: the receiving system's own fault
  '3.1': 'systemfull', // mail system full
  '3.2': 'notaccept', // system not accepting network messages (hard only when permanent, see isHardBounce)
  '3.3': 'systemerror', // system not capable of selected features (the receiver lacks what the message needs)
  '3.4': 'mesgtoobig',
  '3.5': 'systemerror', // system incorrectly configured
  '4.0': 'networkerror', // other or undefined network or routing status
  '4.1': 'networkerror', // no answer from host
  '4.2': 'networkerror', // bad connection
  '4.3': 'systemerror', // directory server failure
  '4.4': 'hostunknown', // unable to route
  '4.5': 'systemfull', // mail system congestion
  '4.6': 'networkerror', // routing loop detected
  '4.7': 'expired', // delivery time expired
  '5.1': 'syntaxerror',
  '5.2': 'syntaxerror',
  '5.3': 'toomanyconn', // too many recipients for one transaction: a limit of the session, not a syntax fault
  '5.4': 'syntaxerror',
  '5.5': 'syntaxerror',
  '5.6': 'syntaxerror',
  '6.0': 'contenterror',
  '6.1': 'contenterror',
  '6.2': 'contenterror',
  '6.3': 'contenterror',
  '6.5': 'contenterror',
  '6.6': 'contenterror',
  '6.7': 'contenterror', // non-ASCII addresses not permitted for that sender/recipient (RFC 6531)
  '6.8': 'contenterror', // UTF-8 string reply required (RFC 6531)
  '6.9': 'contenterror', // UTF-8 header message cannot be transferred to one or more recipients (RFC 6531)
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
  '7.16': 'mesgtoobig', // message is too big for the specified priority (RFC 6710)
  '7.17': 'hasmoved', // mailbox owner has changed
  '7.18': 'hasmoved', // domain owner has changed (RFC 7293): the address no longer reaches the intended person
  '7.20': 'authfailure', // no passing DKIM signature
  '7.21': 'authfailure',
  '7.22': 'authfailure',
  '7.23': 'authfailure', // SPF validation failed
  '7.24': 'authfailure',
  '7.25': 'requireptr', // reverse DNS validation failed
  '7.26': 'authfailure', // multiple authentication checks failed
  // RFC 7505 4.2: the *sender's* domain has a null MX, so no bounce could reach it; a refusal of the sender, which
  // says nothing of the recipient (a reply whose words say the recipient's host takes no mail is read by its words)
  '7.27': 'rejected',
  '7.28': 'spamdetected',
  '7.29': 'authfailure', // ARC validation failed (RFC 8617 7.2.2), a message authentication check as x.7.20-26
  '7.509': 'authfailure', // Microsoft: DMARC reject
  '7.606': 'blocked', // Microsoft: IP on the block list
  '7.650': 'badreputation', // Microsoft: IP reputation
  '7.708': 'blocked', // Microsoft: "Access denied, traffic not accepted from this IP"
  '7.750': 'badreputation', // Microsoft: tenant reputation
};

/**
 * Where the class changes the meaning. RFC 3463 calls x.4.4 "unable to route ... useful for both permanent and
 * persistent transient errors": permanent, the domain has no route (hostunknown); transient, the lookup did not
 * answer this time, which says nothing about the domain. x.7.1 "delivery not authorized, message refused" given as
 * temporary is the receiving host holding the sending host back (greylisting, a rate or reputation block):
 * `blocked`, where the permanent form is a refusal of this message (securityerror).
 */
const TRANSIENT: Record<string, BounceReason> = {
  // ... and x.2.1 given as temporary, "the mailbox is only temporarily disabled" (RFC 3463): suspended for now
  '2.1': 'suspend',
  '4.4': 'networkerror',
  '7.1': 'blocked',
};

/** Reason implied by an enhanced status code alone, or null when the code is too generic (x.0.0, x.5.0 ...). */
export function reasonForStatus(status: string): BounceReason | null {
  const m = /^([245])\.(\d{1,3})\.(\d{1,3})$/.exec(status);
  if (!m) return null;
  if (m[1] === '2') return 'delivered';
  const key = `${m[2]}.${m[3]}`;
  const listed = (m[1] === '4' ? TRANSIENT[key] : undefined) ?? BY_SUBJECT_DETAIL[key];
  if (listed) return listed;
  // Microsoft (Exchange Online, "Email non-delivery reports and SMTP errors"): 4.7.500-4.7.699 are "Access denied,
  // please try again later", the sending IP throttled for suspicious activity, when the words name nothing else
  if (m[1] === '4' && m[2] === '7' && Number(m[3]) >= 500 && Number(m[3]) <= 699) return 'blocked';
  // A detail this table does not list (a vendor's own: Microsoft's 5.7.57, 5.6.11, 4.4.316 ...) still has its
  // subject, which RFC 3463 says must be reported "even if the additional detail ... is not recognized": read it as the
  // subject's x.N.0 "other or undefined" status. Only for network (x.4), content (x.6) and security (x.7): the
  // address (x.1) and mailbox (x.2) subjects would make a hard bounce of a code whose meaning is unknown.
  if (m[2] === '4' || m[2] === '6' || m[2] === '7') return BY_SUBJECT_DETAIL[`${m[2]}.0`] ?? null;
  return null;
}
