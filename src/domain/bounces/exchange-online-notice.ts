// Exchange Online's (Microsoft 365's) own non-delivery reports in their classic layout: "Delivery has failed to these
// recipients or groups:", the recipient, then "Diagnostic information for administrators:" and "Remote Server returned
// '550 5.7.1 ...'". The codes in them are Microsoft's, and its NDR reference ("Email non-delivery reports and SMTP
// errors in Exchange Online", learn.microsoft.com) gives each of its own codes one cause, whatever words come with it.
import type { MessageHeader } from './bounce-message.js';
import { headerValue, headerValues } from './bounce-message.js';
import type { BounceReason } from './reasons.js';

/** Header fields Exchange Online writes into every message its transport handles, the notices it sends included. */
const EXCHANGE_ONLINE_FIELDS = [
  'x-ms-exchange-message-is-ndr',
  'x-microsoft-antispam-prvs',
  'x-exchange-antispam-report-test',
  'x-exchange-antispam-report-cfa-test',
  'x-ms-exchange-crosstenant-originalarrivaltime',
  'x-ms-exchange-crosstenant-fromentityheader',
  'x-ms-exchange-transport-crosstenantheadersstamped',
] as const;

/** Exchange Online's own hosts, as they name themselves in Received and Message-ID. */
const EXCHANGE_ONLINE_HOST = /\.(?:outbound\.protection|prod)\.outlook\.com\b/i;

/** The subject Exchange gives its notices, in the editions seen ("Undeliverable:", Dutch, Portuguese). */
const NDR_SUBJECT = /\b(?:undeliverable|onbestelbaar|não entregue):/i;

/**
 * The classic notice's opening over its list of recipients (English, Portuguese and Dutch editions), the summary table
 * it gives when the message was refused before it left ("Original Message Details"), and its wording for a refusal by
 * another organisation ("example.org rejected your message to the following email addresses:").
 */
const CLASSIC_OPENING =
  /^(?:delivery has failed to these recipients or groups:|falha na entrega a estes destinatários ou grupos:|uw bericht kan niet worden bezorgd bij de volgende geadresseerden of groepen:|original message details\b|.{1,255} rejected your message to the following e-?mail addresses:)/im;

/**
 * Whether the notice is one Exchange Online wrote in its classic layout: it opens so, and carries at least two of
 * Microsoft's marks (its NDR subject, its header fields, its hosts in Received or Message-ID). One mark alone is not
 * enough: on-premises Exchange and any relay that passed a message through Microsoft 365 share single marks.
 */
export function isExchangeOnlineNotice(headers: MessageHeader[], text: string): boolean {
  if (!CLASSIC_OPENING.test(text)) return false;
  const marks = [
    NDR_SUBJECT.test(headerValue(headers, 'subject') ?? ''),
    ...EXCHANGE_ONLINE_FIELDS.map((name) => headers.some((h) => h.name === name)),
    headerValues(headers, 'received').some((r) => EXCHANGE_ONLINE_HOST.test(r)),
    EXCHANGE_ONLINE_HOST.test(headerValue(headers, 'message-id') ?? ''),
  ];
  return marks.filter(Boolean).length >= 2;
}

/** Readings that name no cause beyond a code's own class: what a more specific code of Microsoft's refines. */
const CODE_LEVEL_READINGS: ReadonlySet<BounceReason> = new Set<BounceReason>(['securityerror', 'filtered', 'onhold']);

interface MicrosoftCode {
  status: RegExp;
  reason: BounceReason;
  /** The code is shared with other systems (RFC 3463's own) or names a range: it refines only a code-level reading. */
  refinesOnly?: true;
}

/**
 * Microsoft's codes with the cause its NDR reference gives them. Left out: the codes whose cause the words tell more
 * exactly than the code (5.7.23 an SPF failure, 5.7.25 a missing reverse DNS record, 5.7.512 a message without a From
 * field), 5.4.1, which is both "Relay Access Denied" and Directory-Based Edge Blocking's verdict on an unknown
 * recipient, and the codes of an address or a delivery time (5.1.10, 4.4.7), which their words decide as anywhere else.
 */
const MICROSOFT_CODES: readonly MicrosoftCode[] = [
  // 5.7.1 "Delivery not authorized, message refused", 5.7.12 "Sender was not authenticated by organization", 5.7.124
  // "Sender not in allowed-senders list", 5.7.13 and 5.7.133-136 "Sender (was) not authenticated for group / mailbox /
  // public folder": the recipient accepts mail only from some senders, and this sender is not one of them
  { status: /^5\.7\.(?:1|12|13|124|13[3-6])$/, reason: 'rejected', refinesOnly: true },
  // 5.7.501-503 "Access denied, spam abuse detected"; 5.7.504-505 "Recipient address rejected: Access denied",
  // "banned recipient"; 5.7.506-507 "Bad HELO", "rejected by recipient" (the sending IP); 5.7.508 the sending IP over
  // its permitted limits within its range; 5.7.509 DMARC; 5.7.606-649 "banned sending IP"; 5.7.700-749 the sending
  // tenant over its threshold. (5.7.510, the recipient's domain refusing mail over IPv6, stays what its words say: the
  // domain takes mail over IPv4, so it is no domain that accepts no mail, which would suppress the address; 5.7.511
  // "banned sender[IP]" is the sending IP's ban, as its words are read anywhere)
  { status: /^5\.7\.50[1-3]$/, reason: 'spamdetected' },
  { status: /^5\.7\.50[45]$/, reason: 'filtered' },
  { status: /^5\.7\.50[67]$/, reason: 'blocked' },
  { status: /^5\.7\.508$/, reason: 'toomanyconn' },
  { status: /^5\.7\.509$/, reason: 'authfailure' },
  { status: /^5\.7\.(?:60[6-9]|6[1-4]\d)$/, reason: 'blocked' },
  { status: /^5\.7\.7[0-4]\d$/, reason: 'toomanyconn' },
  // 4.7.500-699 and 4.7.850-899 "Access denied, please try again later": the sending IP held back while it is
  // evaluated (codes of that range with a cause of their own, 4.7.650's IP reputation, keep it)
  { status: /^4\.7\.(?:[56]\d\d|8[5-9]\d)$/, reason: 'blocked', refinesOnly: true },
  // 4.7.26 a message over IPv6 that passes neither SPF nor DKIM
  { status: /^4\.7\.26$/, reason: 'authfailure' },
  // 5.0.350 "x-dg-ref header is too long" and its other header faults, 5.6.11 bare line feeds in the message
  { status: /^5\.(?:0\.350|6\.11)$/, reason: 'contenterror' },
];

/**
 * The cause Microsoft's code gives in one of Exchange Online's own notices, or null when the code is not one of its
 * own or the words already name more than the code does. `reading`: what the reply's words and code said.
 */
export function microsoftCodeReason(status: string, reading: BounceReason): BounceReason | null {
  const code = MICROSOFT_CODES.find((c) => c.status.test(status));
  if (!code || (code.refinesOnly && !CODE_LEVEL_READINGS.has(reading))) return null;
  return code.reason;
}
