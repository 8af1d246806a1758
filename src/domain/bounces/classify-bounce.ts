// A received message → what it reports about each recipient. Structured reports (RFC 3464 delivery-status,
// RFC 5965 feedback) are read field by field; prose bounces go through text-bounce.ts; every diagnostic then goes
// through the same reply classifier the relay uses for its own synchronous replies.
import addressparser from 'nodemailer/lib/addressparser';
import {
  DELIVERY_STATUS_TYPES,
  headerValue,
  headerValues,
  type BounceMessage,
  type MessageHeader,
  type MessagePart,
} from './bounce-message.js';
import { classifyFailure, isFilterStatus } from './classify-smtp-reply.js';
import { reasonForDeliveryAgentMessage } from './delivery-agent-message.js';
import { isExchangeOnlineNotice, microsoftCodeReason } from './exchange-online-notice.js';
import {
  normaliseDiagnostic,
  reasonForReplyWords,
  reasonForText,
  RETRY_TIME_RAN_OUT,
  ruleProbe,
} from './diagnostic-patterns.js';
import {
  dsnAddress,
  holdsReportField,
  namesReportRecipient,
  parseDsnFields,
  reportPastedIn,
  withoutPastedReport,
  type DsnRecipientFields,
} from './dsn-fields.js';
import {
  isAutoReply,
  isChallenge,
  isDeliveryReport,
  isFeedbackReport,
  isMailingListNotice,
  JMRP_RECIPIENT,
  looksLikeBounce,
  quotesCodedRefusal,
  statesFailureIn,
} from './message-kind.js';
import { mailingListNoticeReason } from './mailing-list-notice.js';
import { isAddressReason, isHardBounce, type BounceReason } from './reasons.js';
import {
  completedFromTranscript,
  findCommand,
  findEnhancedStatus,
  findReplyCode,
  GMAIL_STATE,
  isCompletionReplyLine,
  namedCommand,
  normalStatus,
  QUOTED_REPLY_START,
  remoteReply,
  replyLines,
  transcriptStepOfReply,
  withoutSuccessReplies,
  statusClassOf,
  type SmtpCommand,
  type StatusClass,
} from './smtp-codes.js';
import { providerDefault } from './provider-defaults.js';
import { sesNotification, sesRecipients } from './ses-notification.js';
import { reasonForStatus } from './status-code-reasons.js';
import { cutOriginalMessage, inlineCopyHeader, noticeOwnText } from './returned-copy.js';
import { bareNamesListed, findTextRecipients, listsAddress, type TextRecipient } from './text-bounce.js';
import { asOneLine, cutText, indentOf, negationsWrittenOut } from './text-match.js';
import { reasonForBounceCategory } from './mta-bounce-category.js';
import { domainOf, MAX_HOST_NAME, normalizeAddress } from '../mime/address.js';
import { htmlToText } from '../mime/html-text.js';

// Bounds on what one received message can make the classifier read. A real report names a handful of recipients
// and explains them in a few kilobytes; anything past these is someone's crafted input and is not examined.
/** Recipients examined per report (DSN records, prose mentions, X-Failed-Recipients): the rest are ignored. */
export const MAX_REPORTED_RECIPIENTS = 50;
/** Characters of the human-readable notice read (after the returned original is cut off). */
export const MAX_NOTICE_TEXT = 16 * 1024;

export interface RecipientReport {
  recipient: string;
  /** RFC 3463 status; "<class>.0.0" when the message gives none. Empty for feedback and vacation. */
  status: string;
  /** SMTP reply code, "" when the message gives none. */
  replycode: string;
  reason: BounceReason;
  hard: boolean;
  /** The text the reason was read from, as one line (a notice's folds and line breaks are no part of it). */
  diagnostic: string;
  /** ARF Feedback-Type for complaints. */
  feedbackType?: string;
  /** RFC 3464 Action (failed, delayed, delivered, relayed, expanded), lower case, when the report states one. */
  action?: string;
  /**
   * The address as the sender gave it (RFC 3464 2.3.1 Original-Recipient), when the report names one besides the
   * reported recipient: a forwarded mailbox reports the address it was forwarded to.
   */
  originalRecipient?: string;
  /** The SMTP step the quoted reply answered, when the report says or its reply shows it. */
  command?: SmtpCommand;
  /** The host that gave the reply (the report's Remote-MTA, else the MTA's own words naming it), at most 253 characters. */
  remoteHost?: string;
}

export type BounceKind = 'bounce' | 'feedback' | 'vacation' | 'not_bounce';

export interface BounceReport {
  kind: BounceKind;
  recipients: RecipientReport[];
}

/** An address with nothing around it: no display name, angle bracket, quote or space. */
const BARE_ADDRESS = /^[^\s<>"(),;:@]{1,64}@[^\s<>"(),;:@]{1,255}$/;

/** Bare addresses inside a field's text (each starts where the one before could not go on: linear). */
const BARE_ADDRESS_IN_TEXT = /(?<![^\s<>"(),;:@])[^\s<>"(),;:@]{1,64}@[^\s<>"(),;:@]{1,255}/g;

/**
 * The addresses address fields name. A field a program wrote wrong, its whole "Name <a@b>" in quotes (an auto-replier's
 * From: "David Hasselhof <david@example.com>"), parses as one odd address: the bare address inside it is the one meant.
 */
function addressesOf(values: string[]): string[] {
  const out: string[] = [];
  const walk = (list: ReturnType<typeof addressparser>, raw: string): void => {
    for (const a of list) {
      if (a.group) walk(a.group, raw);
      else if (!a.address || !a.address.includes('@')) continue;
      else if (BARE_ADDRESS.test(a.address)) out.push(a.address);
      else out.push(a.address.match(BARE_ADDRESS_IN_TEXT)?.[0] ?? raw.match(BARE_ADDRESS_IN_TEXT)?.[0] ?? a.address);
    }
  };
  for (const v of values) walk(addressparser(v), v);
  return out;
}

function attachedHeaders(msg: BounceMessage): MessageHeader[] {
  return msg.parts.find((p) => p.attachedHeaders)?.attachedHeaders ?? [];
}

/**
 * The human-readable explanation: the text parts outside the returned message, cut before any inline copy or a
 * signature, at most MAX_NOTICE_TEXT characters (each part is cut first, so a huge part costs no more than its first
 * kilobytes).
 */
function humanText(msg: BounceMessage): string {
  let out = '';
  for (const text of noticeTexts(msg)) {
    if (out.length >= MAX_NOTICE_TEXT) break;
    out += (out ? '\n' : '') + withoutPastedReport(noticeOwnText(text()));
  }
  return cutText(out, MAX_NOTICE_TEXT);
}

/** The notice's readable parts (plain text, else HTML as its reader sees it), each read lazily, cut at MAX_NOTICE_TEXT. */
function noticeTexts(msg: BounceMessage): Array<() => string> {
  const texts = msg.parts.filter(
    (p) =>
      p.type === 'text/plain' ||
      p.type === 'text/html' ||
      p.type === 'text/enriched' ||
      // a notice's text its MTA labelled as the report itself (two message/delivery-status parts, the first of them
      // prose with no report field): read as text
      (DELIVERY_STATUS_TYPES.has(p.type) && !holdsReportField(cutText(p.text, MAX_NOTICE_TEXT))),
  );
  // A file attached to the notice (RFC 2183 "attachment": not shown as its body), such as the original's header as a
  // text file, is no prose of the notice's; it is read only when the notice has no inline text of its own.
  const inline = texts.filter((p) => !isAttachedFile(p) && /\S/.test(p.text));
  const candidates = inline.length > 0 ? inline : texts;
  const plain = candidates.filter((p) => p.type !== 'text/html');
  // A plain alternative that names no address at all is a stub ("This is a message in HTML format..."), from mailers
  // whose notice is its HTML: the HTML is read too.
  const plainNamesNobody = !plain.some((p) => cutText(p.text, MAX_NOTICE_TEXT).includes('@'));
  // HTML is cut generously before stripping: markup is most of its length
  const read = (p: MessagePart): string =>
    p.type === 'text/html'
      ? cutText(htmlToText(cutText(p.text, 4 * MAX_NOTICE_TEXT)), MAX_NOTICE_TEXT)
      : cutText(p.text, MAX_NOTICE_TEXT);
  return (plain.length > 0 && !plainNamesNobody ? plain : candidates).map((p) => () => read(p));
}

function isAttachedFile(part: MessagePart): boolean {
  return /^\s*attachment\b/i.test(headerValue(part.headers, 'content-disposition') ?? '');
}

/** The header of a copy of the original inside a notice's text (see inlineCopyHeader), [] when there is none. */
function inlineCopyFields(msg: BounceMessage): MessageHeader[] {
  for (const text of noticeTexts(msg)) {
    const fields = inlineCopyHeader(text());
    if (fields.length > 0) return fields;
  }
  return [];
}

/**
 * Whom the returned copy was for, when the notice names nobody: its To. When To names nobody (the copy was sent Bcc, or
 * returned without it), lists several people, or names a mailing list (the copy carries RFC 2919's List-Id or RFC
 * 2369's List-Post: To is the list's own address, every subscriber's copy says the same), the copy's trace field says
 * which one this transaction carried ("Received: ... for <a@b>", written when a transaction has one recipient, RFC 5321
 * 4.4); without one, nobody is named.
 */
function returnedCopyRecipients(header: MessageHeader[]): string[] {
  // a message its author addressed to itself reached its other recipients by Bcc (RFC 5322 3.6.3): To names none of them
  const author = new Set(addressesOf(headerValues(header, 'from')).map(normalizeAddress));
  const to = addressesOf(headerValues(header, 'to')).filter((a) => !author.has(normalizeAddress(a)));
  const list = headerValue(header, 'list-id') !== undefined || headerValue(header, 'list-post') !== undefined;
  if (to.length === 1 && !list) return to;
  for (const received of headerValues(header, 'received')) {
    // (a comment may follow the clause: Gmail's "for <a@b>\n (version=TLS1_2 cipher=...);")
    const envelope = /\bfor\s+<?([^\s<>;@]{1,64}@[^\s<>;]{1,255}?)>?\s*(?:\([^()]{0,200}\)\s*)?(?:;|$)/i.exec(
      received,
    )?.[1];
    if (envelope) return [envelope];
  }
  return list ? [] : to;
}

function dsnRecords(msg: BounceMessage): DsnRecipientFields[] {
  const parts: MessagePart[] = msg.parts.filter((p) => DELIVERY_STATUS_TYPES.has(p.type));
  // Twice the bound is read, so that recipients reported twice (see mergeDuplicates) still merge before the cut.
  const records = parts.flatMap((p) => parseDsnFields(p.text, 2 * MAX_REPORTED_RECIPIENTS));
  if (records.length > 0) return records;
  // Some MTAs paste the delivery-status fields into the text part instead of a part of their own: the notice's, not
  // those of a copy it returns inline (the sender's own text, which may quote an old report of its own), nor the
  // markup of an HTML rendering beside it (whose entities hide a reply's "<421 ...>"), nor a returned header block.
  return msg.parts
    .filter((p) => p.type.startsWith('text/') && p.type !== 'text/html' && !/headers?$/.test(p.type))
    .filter((p) => namesReportRecipient(p.text))
    .flatMap((p) => reportPastedIn(cutOriginalMessage(p.text), 2 * MAX_REPORTED_RECIPIENTS));
}

/** Some MTAs report a recipient twice (a bare block, then one with the reply): keep one, with the most detail. */
function mergeDuplicates(records: DsnRecipientFields[]): DsnRecipientFields[] {
  const byRecipient = new Map<string, DsnRecipientFields>();
  for (const r of records) {
    const key = normalizeAddress(dsnRecipient(r));
    const seen = byRecipient.get(key);
    byRecipient.set(key, seen ? { ...seen, ...Object.fromEntries(Object.entries(r).filter(([, v]) => v)) } : r);
  }
  return [...byRecipient.values()];
}

/**
 * One Internet mail address, nothing around it: a local part at a domain with a dot (a name with none is a host's own
 * channel, as Messaging Server's "sims-ms-daemon").
 */
const MAIL_ADDRESS = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+\.?$/;

/**
 * The reported recipient: Final-Recipient, unless it is only an internal route (an RFC 5321 source route
 * "@relay:user@host", as Messaging Server's LMTP hand-off writes) or no Internet address at all (RFC 3464 2.3.2 allows
 * any address type: an X.400 address, a bare local user) while Original-Recipient holds the address.
 */
function dsnRecipient(r: DsnRecipientFields): string {
  const final = r.finalRecipient ?? '';
  const original = r.originalRecipient;
  if (!original) return final;
  if (final === '' || final.startsWith('@')) return original;
  // (a Final-Recipient with no "@" at all is what an alias expanded to, a program or a file: the address is the
  // original's, even at a host of one label, as system mail to "a@mailhub" is addressed)
  if (!final.includes('@') && /^[^\s@]+@[^\s@]+$/.test(original)) return original;
  return !MAIL_ADDRESS.test(final) && MAIL_ADDRESS.test(original) ? original : final;
}

/**
 * A Final-Recipient that holds only a domain ("rfc822; example.org", which RFC 3464 2.3.2's rfc822 type does not
 * allow, written so in some Postfix delay warnings) stands for the one address the notice's own lines list at that
 * domain; with none or several listed, it is reported as given.
 */
function completeDomainOnly(recipient: string, listed: readonly string[]): string {
  if (!/^[^\s@]+\.[^\s@.]+$/.test(recipient)) return recipient;
  const domain = recipient.toLowerCase();
  const at = [...new Set(listed.filter((a) => domainOf(a)?.toLowerCase() === domain).map(normalizeAddress))];
  return at.length === 1 ? listed.find((a) => normalizeAddress(a) === at[0])! : recipient;
}

interface RawRecord {
  recipient: string;
  /** The report's Original-Recipient, when it names another address than `recipient`. */
  originalRecipient?: string;
  statusField: string | null;
  diagnostic: string;
  /** RFC 3464 Action, when the report states one: trimmed and lower-cased by parseDsnFields. */
  action: string | null;
  /** The Diagnostic-Code's type when the DSN gives one ("smtp", "x-unix"). */
  diagnosticType?: string;
  /** The part of the human-readable text about this recipient (it names the failed SMTP command). */
  segment: string;
  /** The DSN's Remote-MTA, when given. */
  remoteMta?: string;
  /** The sending MTA's own category of the failure, when its DSN gives one (mta-bounce-category.ts). */
  bounceCategory?: string;
  /** The report's reply names the address the notice returns to (the envelope sender), and not the recipient. */
  replyNamesSender?: boolean;
  /** The notice names no failed recipient: this one is the returned message's addressee, the notice its only text. */
  fromReturnedMessage?: boolean;
  /** The notice names other reported recipients and not this one: its words are about them. */
  noticeAboutOthers?: boolean;
  /** The other recipients the notice lists in its prose: a reply that names one of them is theirs, not this one's. */
  otherRecipients?: string[];
  /** The lines the notice gives each of those other recipients: a reply in them is theirs too. */
  otherLines?: string[];
  /** Some other recipient has lines of its own, not the ones this one shares with it. */
  othersHaveOwnLines?: boolean;
}

/**
 * How MTAs name the host that answered, around its reply: "host mx.example.com[192.0.2.1] said:" (Postfix), "host
 * mx.example.com [192.0.2.1]:" (Exim), "... while talking to mx.example.com.:" (Sendmail's transcript), "Remote Server
 * at mx.example.com (192.0.2.1) returned" (Exchange). Each bounded, so one linear scan.
 */
const REMOTE_HOST_NAMED = [
  /\bhost\s{1,20}([a-z0-9][a-z0-9.-]{0,252})\s{0,20}\[/i,
  /\bwhile talking to\s{1,20}([a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9][a-z0-9-]{0,62}){1,40})\.?:/i,
  /\bremote server at\s{1,20}([a-z0-9][a-z0-9.-]{0,252})\s{0,20}\(/i,
];

/** The host whose reply this is: the DSN's Remote-MTA, else the MTA's own wording around the reply, else null. */
function remoteHostOf(rec: RawRecord): string | null {
  if (rec.remoteMta) return rec.remoteMta;
  const text = `${rec.diagnostic}\n${rec.segment}`;
  for (const named of REMOTE_HOST_NAMED) {
    const host = named.exec(text)?.[1];
    if (host?.includes('.')) return host;
  }
  return null;
}

/** The class of the first candidate that has one. */
function statusClass(...candidates: Array<string | null | undefined>): StatusClass | null {
  for (const c of candidates) {
    const cls = statusClassOf(c);
    if (cls) return cls;
  }
  return null;
}

/**
 * A reply that names the recipient answered RCPT TO: servers echo the address they refuse there (Sendmail's
 * "<a@b>... User unknown", Postfix's "<a@b>: Recipient address rejected"), while a refusal at or after DATA covers
 * the whole message and has no single address to name ("550 : User unknown"). Only the reply itself counts, not
 * the MTA's wrapper text that introduces the recipient.
 */
function echoesRecipient(diagnostic: string, recipient: string): boolean {
  if (!recipient) return false;
  const rcpt = normalizeAddress(recipient);
  const whole = remoteReply(diagnostic);
  // only the reply's own lines: the MTA's listing after them names recipients too
  const reply = whole === null ? undefined : replyLines(whole).toLowerCase();
  if (reply !== undefined) return reply.includes(rcpt);
  // no recognisable reply: the prose names the recipient first, so only a second mention is an echo
  const text = diagnostic.toLowerCase();
  const first = text.indexOf(rcpt);
  return first >= 0 && text.indexOf(rcpt, first + rcpt.length) >= 0;
}

/**
 * A relay that gave up often quotes the reply that made it give up: "554 4.4.7 Message expired: unable to deliver
 * in 840 minutes.<421 4.4.2 Connection timed out>". The quoted reply (code and enhanced code, in angle brackets or
 * quotes) is what the destination actually said, so its codes are the ones to report. `text` is the recipient's lines as
 * one line: a notice may fold between the code and the enhanced code.
 */
function quotedReply(text: string): { code: string; status: string } | null {
  const m =
    QUOTED_REPLY.exec(text) ??
    // Amazon SES quotes the reply after its code: "5.1.0 - Unknown address error 550-'5.7.1 <a@b>... Access denied'"
    /\b([245]\d\d)-'([245]\.\d{1,3}\.\d{1,3})\s[^']{0,500}'/.exec(text);
  return m ? { code: m[1]!, status: normalStatus(m[2]!) } : null;
}

/**
 * A reply with its code and enhanced code, quoted in angle brackets or quotes: group 1 the code, 2 the status. Inside
 * it Exchange may point from its summary to the reply under it ("'550 5.4.300 Message expired -> 451 4.4.0 DNS query
 * failed'"), which is no closing bracket.
 */
const QUOTED_REPLY = /[<'"]([245]\d\d)[ -]([245]\.\d{1,3}\.\d{1,3})\s(?:[^<>'"]|->){0,500}[>'"]/;

/**
 * The reporting MTA's own code for a message whose delivery time ran out: RFC 3463's x.4.7, and Exchange's 5.4.300
 * "Message expired" with 5.4.316-5.4.318, which add the last connection's fault (refused, timed out, reset; Exchange
 * Online's NDR codes).
 */
const QUEUE_EXPIRED_STATUS = /^(?:[45]\.4\.7|5\.4\.3(?:00|1[678]))$/;

/** The reply Exchange's summary points to inside a quoted reply ("Message expired -> 451 4.4.0 ..."): group 1 the status. */
const POINTED_REPLY = /->\s?[245]\d\d[ -]([245]\.\d{1,3}\.\d{1,3})\s/g;

/**
 * The enhanced code of the last reply in a recipient's lines that is not the queue's own expiry: the last one quoted,
 * or the one a quoted expiry points to.
 */
function lastAttemptStatus(segment: string): string | null {
  let last: string | null = null;
  let lastAt = -1;
  const line = asOneLine(segment);
  for (const m of line.matchAll(new RegExp(QUOTED_REPLY.source, 'g'))) {
    const status = normalStatus(m[2]!);
    if (!QUEUE_EXPIRED_STATUS.test(status)) [last, lastAt] = [status, m.index];
  }
  for (const m of line.matchAll(POINTED_REPLY)) if (m.index > lastAt) [last, lastAt] = [normalStatus(m[1]!), m.index];
  return last;
}

/**
 * A connection failure reported as final is a queue that ran out of time: Postfix (and Exim, Sendmail) bounce at the
 * end of the queue lifetime with "Action: failed" but keep the last transient status of the connection attempts
 * (4.4.1 no answer, 4.4.2 bad connection); other MTAs say so in the notice ("not delivered within 2 days") while the
 * per-recipient line only repeats the last network error. `words`: the recipient's lines as one line (a notice folds
 * them between any two words).
 */
function gaveUpOnTransientFailure(
  rec: RawRecord,
  words: string,
  fieldStatus: string | null,
  notice: Notice,
  replycode: string,
): boolean {
  const action = rec.action;
  if (action === 'failed' && fieldStatus !== null && /^4\.4\.[12]$/.test(fieldStatus)) return true;
  if (action === 'delayed') return false;
  // a final notice whose only reply was transient (Zoho's "This is a permanent error ... ERROR_CODE :421, Host not
  // reachable"): the retries ran out; a warning that says it will retry is still only a delay
  if (replycode.startsWith('4') && !notice.temporary()) return true;
  // a final notice that quotes no SMTP reply at all and says the destination could not be reached: no server ever
  // refused anything, the queue ran out of time trying to connect (RFC 5321 4.5.4.1: retry until the give-up time).
  // A name that did not resolve is another matter (the domain's DNS), and stays a network error.
  if (!replycode && !notice.temporary() && CONNECT_FAILURE.test(words) && !NAME_FAILURE.test(words)) return true;
  return notice.reason() === 'expired';
}

/** A failure to reach the destination host: RFC 3463's x.4.1 "no answer from host" and x.4.2 "bad connection". */
const CONNECT_FAILURE =
  /\b(?:(?:could not|unable to|cannot|can't|failed to) connect|connection (?:refused|timed out|reset|lost|dropped)|requests? to connect|socket error|timed? ?out|(?:host|server) (?:is )?(?:unreachable|not reachable|down)|no route to host)\b/i;
/**
 * The destination never answered in time (RFC 3463 x.4.1 "no answer from host"): a delay notice saying so reports a
 * message waiting out its delivery time, where one naming a route or a refusal ("No route to host", "Connection
 * refused") names a fault of the network.
 */
const NO_ANSWER = /\b(?:timed? ?out|did not respond|not responding|no answer from)\b/i;

/** A failure to resolve a name, which the words of a connection failure sometimes wrap. */
const NAME_FAILURE = /\b(?:dns|nxdomain|name service|name server|resolv|lookup)/i;

/** A route to the destination that does not exist: "No route to host", "Network is unreachable" (EHOSTUNREACH). */
const NO_ROUTE = /\bno route to host\b|\b(?:host|network) (?:is )?unreachable\b/i;

/**
 * Words that name a fault of the route to the destination rather than its silence: no route, a name that did not
 * resolve, a mail loop (the reference library's NetworkError list), or a "network error" as such. A refused or dropped
 * connection names none: the destination was there and did not take the message yet.
 */
const ROUTE_FAULT = new RegExp(
  `${NO_ROUTE.source}|${NAME_FAILURE.source}|\\b(?:unrouteable|unable to route|routing|host not found|domain not found|loop|too many hops|hop count|network error)`,
  'i',
);
/** RFC 3463's codes for a fault of the connection or the route: x.4.2 bad connection, x.4.4 unable to route, x.4.6 loop. */
const NETWORK_FAULT_STATUS = /^4\.4\.[246]$/;

/**
 * A fault of the network the sending MTA names as the cause it gave up on, which the queue's running out of time does
 * not replace: a route that does not exist (the reference library's network-error list reads it before its expiry
 * list), and qmail-remote's failure to connect to any of the hosts ("Sorry, I wasn't able to establish an SMTP
 * connection. (#4.4.1)"), which qmail's notice keeps as the cause above "I'm not going to try again; this message has
 * been in the queue too long", as it keeps any other.
 */
const NAMED_NETWORK_FAULT = new RegExp(
  `${NO_ROUTE.source}|\\bwas ?n[o']t able to establish an? (?:smtp )?connection\\b`,
  'i',
);

/**
 * A reply code given as a labelled field rather than at the start of a reply: "ERROR_CODE :421" (Zoho),
 * "ResponseCode 421", "SMTP code: 550", "reply code=550".
 */
function labelledReplyCode(text: string): string | null {
  return (
    /\b(?:error[_ ]?code|response[_ ]?code|reply[_ ]?code|smtp[_ ]code)\s{0,20}[:=]?\s{0,20}([245]\d\d)\b/i.exec(
      text,
    )?.[1] ?? null
  );
}

/** A reply written as "<code> <enhanced>" ("552 5.2.2 Over quota"): the code and the enhanced code. */
const CODED_REPLY = /(?:^|[\s:;(<'"])([245]\d\d)[ -]([245]\.\d{1,3}\.\d{1,3})\b/g;

/** The reply's code and normalised enhanced code, or null when their classes disagree (not one reply). */
function codedReply(m: RegExpMatchArray): { code: string; status: string } | null {
  return m[1]![0] === m[2]![0] ? { code: m[1]!, status: normalStatus(m[2]!) } : null;
}

/** The enhanced code of the first reply written as "<code> <enhanced>", or null. */
function replyWithStatus(text: string): string | null {
  const first = text.matchAll(CODED_REPLY).next();
  return first.done ? null : (codedReply(first.value)?.status ?? null);
}

/**
 * The one failing SMTP reply ("550 5.1.1 User unknown") a notice states, when it states exactly one distinct reply of
 * class 4 or 5; else null. Its text is the rest of the line the reply starts on, with the lines a multi-line reply
 * goes on with. A transcript's successful steps ("<<< 250 2.1.0 Sender ok") are no failure to share. A notice that
 * writes no reply with an enhanced code may still quote one reply (`singleUncodedReply`).
 */
function singleNoticeReply(context: string): { code: string; status: string | null; text: string } | null {
  const found = [...context.matchAll(CODED_REPLY)].flatMap((m) => {
    const reply = codedReply(m);
    return reply && reply.code[0] !== '2' ? [{ ...reply, at: m.index + m[0].indexOf(m[1]!) }] : [];
  });
  if (found.length === 0) return singleUncodedReply(context);
  if (new Set(found.map((r) => `${r.code} ${r.status}`)).size !== 1) return null;
  const { code, status, at } = found[0]!;
  const indent = indentOf(context.slice(context.lastIndexOf('\n', at - 1) + 1, at));
  return { code, status, text: replyLines(context.slice(at), indent) };
}

/**
 * The one failing reply a notice quotes without an enhanced code right after its reply code ("The error that the other
 * server returned was: 550 550 Unknown user (state 18).", Gmail's older notices under the list of every recipient it
 * failed for): the reply the notice introduces, when no other code stands in the notice as a reply's.
 */
function singleUncodedReply(context: string): { code: string; status: string | null; text: string } | null {
  const introduced = remoteReply(context);
  // (after the host that gave it, "host mx.example.net [192.0.2.1]: 550 ...", however the lines are folded)
  const first = introduced === null ? null : new RegExp(REPLY_CODE_OPENING.source).exec(introduced);
  const code = first?.[1];
  if (!first || !code || code[0] === '2' || ![...context.matchAll(REPLY_CODE_OPENING)].every((m) => m[1] === code))
    return null;
  // the reply's own lines, as a coded one's: not the lines after it, which may be another recipient's
  const from = context.indexOf(introduced!);
  if (from < 0) return null;
  const at = from + first.index + first[0].indexOf(code);
  const indent = indentOf(context.slice(context.lastIndexOf('\n', at - 1) + 1, at));
  const text = replyLines(context.slice(at), indent);
  // (an enhanced code written apart from the reply code, as qmail's "(#5.1.1)", is still its status)
  return { code, status: findEnhancedStatus(text), text };
}

/**
 * A code where a reply would start: at a line's start, or after a blank or the punctuation that introduces one. Looser
 * than smtp-codes.ts's reading of a reply's code (it takes au's "550 : User unknown" too, and 2xx): it only decides
 * whether a notice quotes one reply or several.
 */
const REPLY_CODE_OPENING = /(?:^|[\s:;(<'"])([245]\d\d)[ -](?=\S)/g;

/**
 * A warning that delivery goes on, not a failure: the words of the delay notices of Sendmail ("THIS IS A WARNING
 * MESSAGE ONLY", "YOU DO NOT NEED TO RESEND YOUR MESSAGE", "Will keep trying until message is 5 days old"), Postfix
 * ("THIS IS A WARNING ONLY"), Exim ("has not yet been delivered ... Delivery attempts will continue"), Gmail ("will be
 * retried"), Exchange ("This message hasn't been delivered yet. Delivery will continue to be attempted") and masqmail
 * ("could not yet be delivered ... has been defered ... Delivery will be tried again"), unless the notice also says it
 * gave up ("This is a permanent error", "I've given up").
 */
const WARNING_WORDS =
  /\b(?:delayed|will (?:be )?retr(?:y|ied)|still trying|try again later|(?:a )?warning (?:message )?only|do not need to resend|(?:has|have) not yet been delivered|could not yet be delivered|(?:has|have) not been delivered yet|delivery attempts will continue|will (?:keep|continue) (?:trying|to try)|will continue to be attempted|will be re-?attempted|will be (?:tried|attempted) again|(?:has been|was) postponed|(?:has|have) been defer(?:r)?ed|advisory[- ]only|address(?:es|\(es\))? deferred)\b/i;
const GAVE_UP_WORDS =
  /\bpermanent (?:error|failure|fatal)|\bfailed permanently\b|\b(?:given|giving|gave) up\b|\bnot (?:going to )?try again\b|\bafter \d{1,4} attempt(?:s|\(s\))? to deliver\b|\bdelivery failure notification\b/i;
/**
 * A reply a line quotes, from its code to the line's end ("... did not like our RCPT TO:\n550 Failure sending mail. Try
 * again later"): the remote server's words, which may ask to try again even where the notice reports that it gave up.
 */
const QUOTED_REPLY_TO_LINE_END = new RegExp(String.raw`${QUOTED_REPLY_START}[^\n]*`, 'g');
/** A failure that may pass: said of the notice as a whole, it makes a report without codes temporary (4.x.x). */
const TEMPORARY_WORDS = /\btemporar(?:y|ily)\b/i;

function lazy<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}

/** What the notice as a whole says: read at most once per message, however many recipients it reports. */
interface Notice {
  text: string;
  reason: () => BounceReason | null;
  provider: () => BounceReason | null;
  singleReply: () => { code: string; status: string | null; text: string } | null;
  temporary: () => boolean;
  /** The notice warns that delivery goes on (a delay notice), and does not also say it gave up. */
  warning: () => boolean;
  /** `suspend` when the notice's text before its first recipient says the account is disabled or suspended. */
  heading: () => BounceReason | null;
  /** The reporting system's verdict in a header of the notice (see headerVerdict), when it gives one. */
  headerReason: BounceReason | null;
  /** Exchange Online wrote the notice itself, so the codes in it are Microsoft's (see exchange-online-notice.ts). */
  exchangeOnline: boolean;
}

/**
 * A verdict the reporting system writes into the notice's own header rather than its text: au by KDDI marks the
 * notice for a message its spam filter refused with "X-SPASIGN: NG" (the reference library's KDDI module reads it
 * as filtered). Read only when neither a reply nor the notice's words name a cause.
 */
function headerVerdict(headers: MessageHeader[]): BounceReason | null {
  return /^\s*ng\b/i.test(headerValue(headers, 'x-spasign') ?? '') ? 'filtered' : null;
}

/** A family's own rule's verdict, told to the corpus measure's probe (which may leave the rule out) as a pattern is. */
function probed(id: string, reason: BounceReason | null): BounceReason | null {
  if (reason === null || ruleProbe()?.skip(id)) return null;
  ruleProbe()?.decided(id);
  return reason;
}

/** `failedRecipients`: the X-Failed-Recipients header, which names the provider's own address for some notices. */
function noticeOf(
  text: string,
  failedRecipients = '',
  preamble = '',
  headerReason: BounceReason | null = null,
  exchangeOnline = false,
): Notice {
  // the notice's sentences are read across its folds ("has not yet been\n    delivered", a notice refolded narrower),
  // their negations in one spelling ("hasn't been delivered yet")
  const sentences = (words: string): string => negationsWrittenOut(asOneLine(words));
  const oneLine = lazy(() => sentences(text));
  return {
    text,
    headerReason,
    exchangeOnline,
    heading: lazy(() => (preamble && reasonForText(preamble) === 'suspend' ? 'suspend' : null)),
    reason: lazy(() => reasonForText(text)),
    provider: lazy(() => providerDefault(failedRecipients ? `${text}\n${cutText(failedRecipients, 1024)}` : text)),
    singleReply: lazy(() => singleNoticeReply(text)),
    warning: lazy(
      () => WARNING_WORDS.test(sentences(text.replace(QUOTED_REPLY_TO_LINE_END, ''))) && !GAVE_UP_WORDS.test(oneLine()),
    ),
    temporary: lazy(() => TEMPORARY_WORDS.test(text) || WARNING_WORDS.test(oneLine())),
  };
}

/** The notice's text before it first names one of the reported recipients ("" when it names none of them). */
function preambleOf(text: string, recipients: string[]): string {
  const lower = text.toLowerCase();
  const at = Math.min(
    ...recipients.map((r) => lower.indexOf(r.toLowerCase())).filter((i) => i >= 0),
    Number.POSITIVE_INFINITY,
  );
  return Number.isFinite(at) ? text.slice(0, at) : '';
}

/**
 * A local command's failure told in a notice's prose, read as the X-Unix report below is when no report field says
 * so: Postfix's local(8) and pipe(8) quote the command's own output after "Command output:" ("user unknown. Command
 * output: procmail: ... No such user") or say "Command died with status 1"; Exim names the failed delivery "pipe to
 * |/usr/bin/program" (its indent is spaces and tabs: a \s there would cross line breaks from every line start, the
 * square of a run of blank lines).
 */
const LOCAL_COMMAND_PROSE = /\bcommand (?:output:|died with status \d)|^[ \t]*pipe to \|/im;

/** Exim's summary of any local transport's failure ("local delivery failed"): no words of the program's own. */
const EXIM_LOCAL_SUMMARY = /\blocal delivery failed\b/gi;

/**
 * The causes a local delivery program's own words may name: of the mailbox, the message and the system, never of the
 * address ("No such user" from procmail is its own failure, not the address's), as the reference library reads a
 * report that is no SMTP reply (Sisimai 4.25's second class order).
 */
const LOCAL_PROGRAM_CAUSES: ReadonlySet<BounceReason> = new Set<BounceReason>([
  'mailboxfull',
  'spamdetected',
  'policyviolation',
  'virusdetected',
  'securityerror',
  'systemerror',
  'systemfull',
  'suspend',
  'contenterror',
]);

/**
 * A local delivery program's failure (Diagnostic-Code type X-Unix: Sendmail and Postfix write it for pipe, procmail
 * and maildrop, with the program's words or its sysexits number, "X-Unix; 77"): what the report's Status says when it
 * puts a named fault in the mail system itself (RFC 3463 subject x.3: 4.3.1 a full disk), else what the program's words
 * say of the mailbox, the message or the system ("Quota exceeded", "disk space limit"), else a system error for x.3.0,
 * else a mailer error.
 */
function localProgramFailure(status: string | null, words: string): BounceReason {
  const system = status && /^[45]\.3\./.test(status) ? reasonForStatus(status) : null;
  // x.3.0 ("other or undefined mail system status") names less than the program's words do
  if (system && !/\.0$/.test(status!)) return system;
  const said = reasonForText(words.replace(EXIM_LOCAL_SUMMARY, ''));
  return (said && LOCAL_PROGRAM_CAUSES.has(said) ? said : null) ?? system ?? 'mailererror';
}

function analyse(rec: RawRecord, notice: Notice): RecipientReport {
  const fieldStatus = rec.statusField && /^[245]\.\d{1,3}\.\d{1,3}$/.test(rec.statusField) ? rec.statusField : null;
  const replyCodeInWords = findReplyCode(rec.diagnostic);
  // a success code in the words of a failure (a step that went through, a product's version) is not its status; a
  // notice without report fields says it failed by the reply's code (RFC 3463 2: an enhanced code has its reply's class)
  const failure =
    /^[45]/.test(fieldStatus ?? '') ||
    (rec.action !== null && !isSuccessAction(rec.action)) ||
    /^[45]/.test(replyCodeInWords ?? '');
  const diagStatus = ((s) => (s?.startsWith('2') && failure ? null : s))(findEnhancedStatus(rec.diagnostic));
  // the recipient's lines as one line: a notice folds them between any two words ("Connection timed\n    out")
  const recWords = asOneLine(rec.diagnostic);
  const quoted = quotedReply(recWords);
  // A DSN's Status is authoritative unless it is a summary the reply itself refines: the catch-all x.0.0, or x.4.7
  // ("delivery time expired"), which a queue writes over the last real reply it got ("450 4.7.1 ... lookup failed").
  const summary =
    fieldStatus !== null &&
    (/\.0\.0$/.test(fieldStatus) ||
      (/^4\.4\.7$/.test(fieldStatus) && diagStatus !== null) ||
      // "other or undefined" within its subject (x.Y.0) says less than a same-class code the reply gives anywhere in
      // its words (qmail's "(#5.1.1)")
      (diagStatus !== null &&
        /\.0$/.test(fieldStatus) &&
        diagStatus[0] === fieldStatus[0] &&
        !/\.0$/.test(diagStatus)));
  // The remote server's own reply ("552 5.2.2 Over quota") refines a reporting MTA's Status of the same class that
  // maps it to another code (Status: 5.1.1): the reply is what the destination actually said.
  const remoteRefines =
    fieldStatus !== null &&
    diagStatus !== null &&
    diagStatus[0] === fieldStatus[0] &&
    replyWithStatus(rec.diagnostic) === diagStatus;
  const reported =
    quoted?.status ?? (fieldStatus && !summary && !remoteRefines ? fieldStatus : (diagStatus ?? fieldStatus));
  // "delivery time expired" is the queue's summary; Exchange also quotes the last attempt's error in the notice
  // ("returned '441 4.4.1 Error encountered while communicating with primary target'"), which says what failed
  const ownStatus = reported && /^4\.4\.7$/.test(reported) ? (lastAttemptStatus(rec.segment) ?? reported) : reported;
  const ownReplycode = quoted?.code ?? replyCodeInWords ?? labelledReplyCode(recWords) ?? '';
  // Nothing in the recipient's own lines: a notice that states one reply for the whole message ("Could not be
  // delivered because of 550 5.1.1 User unknown. The following recipients were affected: ...") applies to it.
  const single = ownStatus === null && ownReplycode === '' && !rec.noticeAboutOthers ? notice.singleReply() : null;
  const singleText = single?.text.toLowerCase() ?? '';
  // A notice that gives each recipient words of its own (OpenSMTPD's "a@b: Domain does not exist", Exchange 2003's and
  // Notes' entries) quotes another recipient's reply in that recipient's lines: it is theirs. A list of bare addresses
  // followed by one reply (Gmail's older notices) shares it.
  const inOthersLines =
    single !== null && saysMoreThanItsAddress(rec) && rec.otherLines?.some((t) => t.includes(single.text.trim()));
  const shared =
    single && !inOthersLines && !rec.otherRecipients?.some((a) => singleText.includes(a.toLowerCase())) ? single : null;
  // the notice's one reply names another of its recipients (m-FILTER lists every address, then quotes the server's
  // one reply, "550 5.1.1 <a@b>... User unknown"): its words are that recipient's, not this one's
  const replyAboutOthers = single !== null && shared === null;
  // the notice gives this recipient words of its own and the others theirs (qmail's "<a@b>:\nMail rejected: List
  // address must be in To: or Cc: headers." above "<c@d>:\n... does not like recipient."): the others' words are
  // no cause of this one's failure
  const eachHasOwnWords = (rec.othersHaveOwnLines ?? false) && saysMoreThanItsAddress(rec);
  const status = ownStatus ?? shared?.status ?? null;
  const replycode = ownReplycode || (shared?.code ?? '');
  // the notice's one reply is the recipient's: its words name the cause and the step, not the lines that list the
  // recipient
  const diagnostic = shared ? `${shared.text}\n${rec.diagnostic}` : rec.diagnostic;
  // A reply that echoes the recipient answered RCPT TO, when it is an SMTP reply at all (it has a reply code): a notice's
  // own words naming the address say nothing of a step. A code that itself says "filtered" outweighs the echo, which
  // only suggests RCPT; a stated command does not.
  const command =
    findCommand(diagnostic) ??
    findCommand(rec.segment) ??
    transcriptStepOfReply(notice.text, diagnostic) ??
    namedCommand(diagnostic) ??
    (replycode !== '' && !isFilterStatus(status) && echoesRecipient(diagnostic, rec.recipient) ? 'RCPT' : null);
  // ... as one line
  const oneLine = shared ? asOneLine(diagnostic) : recWords;
  const remoteHost = remoteHostOf(rec);
  // Diagnostic-Code type X-Unix: the failure came from a local delivery program (Sendmail and Postfix write it for
  // pipe/procmail/maildrop, with the program's own words or its sysexits code, "X-Unix; 71"), not from a remote reply
  let reason =
    reasonForDeliveryAgentMessage(diagnostic) ??
    // a provider's standard notice that quotes no reply is the whole diagnosis: the names it quotes (a group called
    // "security") are no words of cause
    (remoteReply(diagnostic) === null ? notice.provider() : null) ??
    (rec.diagnosticType === 'x-unix' || LOCAL_COMMAND_PROSE.test(rec.diagnostic)
      ? localProgramFailure(status, diagnostic)
      : classifyFailure({
          replyCode: replycode || null,
          status,
          text: diagnostic,
          command,
          remoteHost,
          recipient: rec.recipient,
        }));
  // the notice's own words speak for a recipient only when no remote reply does: a reply that names nothing leaves
  // the reason open rather than taking the reporting system's introduction of it ("rejected by the server for ...")
  if (reason === null)
    reason =
      reasonForBounceCategory(rec.bounceCategory) ??
      notice.provider() ??
      (!quotesReply(diagnostic) && !rec.noticeAboutOthers && !replyAboutOthers && !eachHasOwnWords
        ? notice.reason()
        : null) ??
      probed('header:x-spasign', notice.headerReason) ??
      (status ? reasonForStatus(status) : null) ??
      // Sisimai's two names for "no reason": a failure reported in words nothing could read is on hold; one the
      // notice says nothing about (a recipient known only from the returned message, "Delivery report
      // unavailable") is undefined
      (rec.fromReturnedMessage ? 'undefined' : 'onhold');
  // a notice whose heading over its recipients says the account exists but is disabled (au/KDDI's "The user(s) account
  // is disabled." above "<a@ezweb.ne.jp>: 550 user unknown (in reply to RCPT TO command)", as the reference library's
  // EZweb module reads it): the heading names the account's state, which the bare "user unknown" only generalises
  if (reason === 'userunknown' && notice.heading() === 'suspend') reason = 'suspend';
  // a reply about the address the notice returns to, not the recipient's ("550-Verification failed for <bounces+...>",
  // an Exim callout on the sender, which Sendmail sums up as "550 5.1.1 ... User unknown"): the sender was refused
  if (rec.replyNamesSender && isAddressReason(reason)) reason = 'rejected';
  // Gmail's state at DATA ("554 5.7.0 Header error (state 18)") when neither the words nor a code with a detail name a
  // cause: the destination refused the message after taking the recipient, as the reference library's Gmail table
  // reads that state
  const gmailAtData =
    command === 'DATA' &&
    GMAIL_STATE.DATA.test(diagnostic) &&
    (status === null || /\.0$/.test(status)) &&
    reasonForReplyWords(diagnostic) === null;
  reason = probed('gmail-state:data', gmailAtData ? 'filtered' : null) ?? reason;
  // in Exchange Online's own notice the code is Microsoft's, and names the cause its NDR reference gives it
  if (notice.exchangeOnline && status)
    reason = probed('notice:exchange-online', microsoftCodeReason(status, reason)) ?? reason;
  // (the word "temporary" in a notice does not make a report's "Action: failed" a delay: RFC 3464 2.3.3's failed is
  // final, whatever passing fault the notice says it met, as Apache James's "Temporary problem looking up mail server")
  const temporary =
    rec.action === 'delayed' || (!status && !replycode && !rec.action?.startsWith('failed') && notice.temporary());
  const cls = statusClass(status, replycode, temporary ? '4' : null) ?? '5';
  // a notice without report fields that warns of a delay says what RFC 3464's Action: delayed says, whatever class the
  // reply it quotes has (Gmail's "Delivery incomplete ... Gmail will retry for 47 more hours" over a 550)
  const action = rec.action || ((cls === '4' || rec.statusField === null) && notice.warning() ? 'delayed' : null);
  // ... and so is its class: a message still being retried has failed for now only (RFC 3464 2.3.3), so neither the
  // status put together here nor the hard flag takes the class of the reply the warning quotes
  const outcomeCls = action?.startsWith('delayed') ? '4' : cls;
  // a network error, or a failure nothing above could name, in a report that gave up; unless the sending MTA's own
  // category calls it a network failure (PowerMTA's no-answer-from-host, where it has message-expired for the other)
  if (
    (reason === 'networkerror' || reason === 'onhold') &&
    reasonForBounceCategory(rec.bounceCategory) !== 'networkerror' &&
    !(reason === 'networkerror' && NAMED_NETWORK_FAULT.test(recWords)) &&
    gaveUpOnTransientFailure(rec, recWords, fieldStatus, notice, replycode)
  )
    reason = 'expired';
  // the sending MTA's own words that it gave up on a transient reply ("SMTP error from remote mail server after RCPT
  // TO:<a@b>: 456 Address temporarily unavailable: retry timeout exceeded", Exim): the destination's refusal was for
  // now, the time to retry it ran out, whatever the words name (the reference library's Exim module reads it first)
  if (replycode.startsWith('4') && RETRY_TIME_RAN_OUT.test(normaliseDiagnostic(rec.diagnostic))) reason = 'expired';
  // a final report whose recipient's words lead with the reporting MTA's own expiry (QUEUE_EXPIRED_STATUS), above the
  // last attempt they quote (Amazon SES's "554 4.4.7 Message expired: unable to deliver in 840 minutes.<451 4.7.651
  // ...>", Exchange's "550 5.4.300 Message expired -> 451 4.4.0 DNS query failed" above its attempts): what failed is
  // the queue's time, whatever passing cause the last attempt met (a DNS failure of the sending side's own is no
  // missing domain). A report whose words are the last reply alone (Sendmail's Status 4.4.7 over "450 4.7.1 ...")
  // leaves that reply's cause, as does an address a permanent last reply refused; a delay is read below.
  if (
    diagStatus !== null &&
    QUEUE_EXPIRED_STATUS.test(diagStatus) &&
    !action?.startsWith('delayed') &&
    !(isAddressReason(reason) && statusClassOf(lastAttemptStatus(rec.segment) ?? status) === '5')
  )
    reason = 'expired';
  // "Action: expired" (not one of RFC 3464's actions; SendGrid's report for a message it stopped retrying): the
  // reporting MTA says the delivery time ran out, and a transient last reply was only the last of the retries
  if (rec.action === 'expired' && cls === '4') reason = 'expired';
  // a delay notice whose words name no cause, or only that the destination never answered or refused the connection
  // for now, reports that the message has waited in the queue longer than the sender was told to expect, which is
  // what `expired` (RFC 3463 x.4.7, delivery time) names; Sisimai reads "Action: delayed" with no other reason, and a
  // timeout, the same way. A route fault in its words or its code (x.4.2, x.4.4, x.4.6) stays a network error. Still a
  // delay: the outcome follows the action, not the reason. RFC 3463's x.4.0 ("other or undefined network or routing
  // status") with no words of cause is no other reason either.
  const namesNoNetworkCause =
    NO_ANSWER.test(oneLine) ||
    (!ROUTE_FAULT.test(oneLine) && !NETWORK_FAULT_STATUS.test(status ?? '')) ||
    (/^4\.4\.0$/.test(status ?? '') && reasonForReplyWords(diagnostic) === null);
  if (action?.startsWith('delayed') && (reason === 'onhold' || (reason === 'networkerror' && namesNoNetworkCause)))
    reason = 'expired';
  // Exim's warning gives the transient reply after "Delay reason:" (print_address_error() in its deliver.c), and the
  // reference library's Exim module reads the delay itself as the cause, whatever the reply's words, unless the reply
  // came at MAIL FROM or HELO: those name the sending side, and are left to the words
  if (
    action?.startsWith('delayed') &&
    EXIM_DELAY_REASON.test(rec.segment || rec.diagnostic) &&
    command !== 'MAIL' &&
    command !== 'HELO'
  )
    reason = 'expired';
  return {
    recipient: rec.recipient,
    ...(rec.originalRecipient ? { originalRecipient: rec.originalRecipient } : {}),
    status: status ?? `${outcomeCls}.0.0`,
    replycode,
    reason,
    hard: isHardBounce(reason, outcomeCls),
    diagnostic: oneLine,
    ...(action ? { action } : {}),
    ...(command ? { command } : {}),
    ...(remoteHost ? { remoteHost: remoteHost.slice(0, MAX_HOST_NAME) } : {}),
  };
}

/** The line of Exim's delay warning that introduces the reply a recipient's delivery is waiting on. */
const EXIM_DELAY_REASON = /^[ \t]*Delay reason: /m;

/** One line per reported recipient (at most MAX_REPORTED_RECIPIENTS), each text cut to MAX_CLASSIFIED_TEXT. */
function bounceRecords(msg: BounceMessage, human: string): RawRecord[] {
  return rawRecords(msg, human)
    .slice(0, MAX_REPORTED_RECIPIENTS)
    .map((r) => {
      // a failure's codes come from the step that failed, not from the transcript's successful ones before it
      const failed = !isSuccessAction(r.action ?? '');
      const text = (t: string): string => (failed ? withoutSuccessReplies(cutText(t)) : cutText(t));
      return { ...r, diagnostic: text(r.diagnostic), segment: text(r.segment) };
    });
}

/**
 * An RFC 3464 action that reports success, whose 2xx codes are the point: "delivered", "relayed", "expanded", with the
 * comment Sendmail may add after it ("delivered (to mailbox)"); and Postfix's "deliverable", its report of an address
 * verified (`sendmail -bv`) that mail to it would reach.
 */
export const isSuccessAction = (action: string): boolean =>
  /^\s*(?:delivered|relayed|expanded|deliverable)\b/i.test(action);

/**
 * For each recipient a notice lists, the others with their lines: a reply that names one of them, or sits in their
 * lines, is theirs (RawRecord). Whether the others have lines of their own is read once per notice, from the distinct
 * texts it gives its recipients, not by comparing each pair.
 */
function othersIn(
  all: ReadonlyArray<{ address: string; text: string }>,
): (i: number) => Pick<RawRecord, 'otherRecipients' | 'otherLines' | 'othersHaveOwnLines'> {
  if (all.length < 2) return () => ({});
  const distinctTexts = new Set(all.map((o) => o.text.trim()).filter((t) => t !== '')).size;
  return (i) => {
    const others = all.filter((_, j) => j !== i);
    return {
      otherRecipients: others.map((o) => o.address),
      otherLines: others.map((o) => o.text),
      othersHaveOwnLines: distinctTexts > (all[i]!.text.trim() === '' ? 0 : 1),
    };
  };
}

/**
 * The recipient's own lines say something besides its address (a cause, however worded): not only a display name or
 * a comment beside it ("bob@dest.example (Bob Jones)", '"Bob Jones" <bob@dest.example>').
 */
function saysMoreThanItsAddress(rec: RawRecord): boolean {
  const own = rec.segment
    .toLowerCase()
    .split(rec.recipient.toLowerCase())
    .join(' ')
    .replace(/\([^()\n]*\)|"[^"\n]*"/g, ' ');
  return /\p{L}{3}/u.test(own);
}

/**
 * The recipient's own lines quote a reply of the destination's: one the reply patterns read, or any three digits of
 * 2xx-5xx that open a line or follow a colon ("a@b: 571 Email from is currently blocked", OpenSMTPD's layout), though
 * outside RFC 5321's codes (571, 599). The notice's words about other recipients are then no explanation of it.
 */
function quotesReply(diagnostic: string): boolean {
  return remoteReply(diagnostic) !== null || /(?:^|:)[ \t]*[245]\d\d[ -]/m.test(diagnostic);
}

/** A Status field that holds an SMTP reply with its words, not an enhanced code. */
const STATUS_AS_REPLY = /^[45][0-5]\d\s+\S/;

/** A diagnostic that is a reply code and nothing else. */
const BARE_CODE = /^\s*[245]\d\d\s*$/;

function rawRecords(msg: BounceMessage, human: string): RawRecord[] {
  const own = [
    ...addressesOf(
      ['from', 'to', 'reply-to', 'return-path', 'sender', 'envelope-to'].flatMap((n) => headerValues(msg.headers, n)),
    ),
    ...addressesOf(['from', 'return-path', 'sender', 'reply-to'].flatMap((n) => headerValues(attachedHeaders(msg), n))),
  ];
  const exclude = new Set(own.map((a) => a.toLowerCase()));
  let segments = findTextRecipients(human, exclude);
  // Someone who mailed their own address (or a list that sent to itself) gets the notice at the address that failed:
  // the notice's lines are read again with only the daemon's addresses (From, Sender) left out
  let daemonsOnly: TextRecipient[] | undefined;
  const withOnlyDaemonsExcluded = (): TextRecipient[] =>
    (daemonsOnly ??= findTextRecipients(
      human,
      new Set(addressesOf(['from', 'sender'].flatMap((n) => headerValues(msg.headers, n))).map((a) => a.toLowerCase())),
    ));
  // when excluding the notice's own addresses leaves no mention at all, an address is taken back only where a line
  // lists it, not where the notice greets its reader by it ("Sorry a@b. Your mail to ...")
  if (segments.length === 0) segments = withOnlyDaemonsExcluded().filter((s) => listsAddress(human, s.address));
  // AOL lists each failed screen name without its domain, under the sentence that says why: the daemon's domain
  if (segments.length === 0)
    segments = bareNamesListed(human, domainOf(addressesOf(headerValues(msg.headers, 'from'))[0] ?? '') ?? '');
  const byAddress = new Map<string, string>();
  for (const s of segments)
    if (!byAddress.has(normalizeAddress(s.address))) byAddress.set(normalizeAddress(s.address), s.text);
  // ... and an address a report names as failed that is also one of the notice's own keeps the lines about it
  const segmentOf = (addr: string): string | undefined =>
    byAddress.get(normalizeAddress(addr)) ??
    (exclude.has(addr.toLowerCase())
      ? withOnlyDaemonsExcluded().find((s) => normalizeAddress(s.address) === normalizeAddress(addr))?.text
      : undefined);

  const dsn = mergeDuplicates(dsnRecords(msg)).slice(0, MAX_REPORTED_RECIPIENTS);
  if (dsn.length > 0) {
    // a notice that explains the failure of other reported recipients by name says nothing about one it leaves out
    const listed = segments.map((s) => s.address);
    const recipientOf = (r: DsnRecipientFields): string => completeDomainOnly(dsnRecipient(r), listed);
    const reported = new Set(dsn.map((r) => normalizeAddress(recipientOf(r))));
    const namedInNotice = [...byAddress.keys()].filter((a) => reported.has(a));
    return dsn.map((r) => {
      const recipient = recipientOf(r);
      const segment = segmentOf(recipient);
      const aboutOthers = segment === undefined && namedInNotice.length > 0;
      const original = r.originalRecipient;
      const reply = (r.diagnosticCode ?? '').toLowerCase();
      const namesSender =
        reply !== '' && !reply.includes(recipient.toLowerCase()) && [...exclude].some((a) => reply.includes(a));
      // a failure reported with a success's codes (Sendmail 8.x wrote a later connection's "250 Message accepted for
      // delivery" and Status 2.0.0 into a failed recipient's fields): those fields say nothing of the failure, which
      // the notice's own lines about the recipient then tell
      const reportsFailure = r.action !== undefined && r.action !== '' && !isSuccessAction(r.action);
      const successStatus = reportsFailure && /^2\./.test(r.status ?? '');
      const successReply = reportsFailure && isCompletionReplyLine(r.diagnosticCode ?? '');
      return {
        recipient,
        ...(namesSender ? { replyNamesSender: true } : {}),
        ...(original && MAIL_ADDRESS.test(original) && normalizeAddress(original) !== normalizeAddress(recipient)
          ? { originalRecipient: original }
          : {}),
        statusField: successStatus ? null : (r.status ?? null),
        // a Diagnostic-Code that is a bare reply code ("smtp; 550", as Google's DSNs write it) says less than the
        // notice's own lines about the recipient, which quote the whole reply; a Status field may hold the reply
        // instead of an enhanced code ("Status: 553 Exceeded maximum inbound message size")
        diagnostic:
          (BARE_CODE.test(r.diagnosticCode ?? '') || successReply
            ? ''
            : completedFromTranscript(r.diagnosticCode ?? '', human)) ||
          (STATUS_AS_REPLY.test(r.status ?? '') ? r.status : '') ||
          segment ||
          (aboutOthers ? '' : human),
        action: r.action ?? null,
        segment: segment ?? '',
        ...(aboutOthers ? { noticeAboutOthers: true } : {}),
        ...(r.diagnosticCode && r.diagnosticType ? { diagnosticType: r.diagnosticType } : {}),
        ...(r.remoteMta ? { remoteMta: r.remoteMta } : {}),
        ...(r.bounceCategory ? { bounceCategory: r.bounceCategory } : {}),
      };
    });
  }
  const failed = addressesOf(headerValues(msg.headers, 'x-failed-recipients')).slice(0, MAX_REPORTED_RECIPIENTS);
  if (failed.length > 0) {
    const othersOf = othersIn(failed.map((address) => ({ address, text: segmentOf(address) ?? '' })));
    return failed.map((recipient, i) => ({
      ...othersOf(i),
      recipient,
      statusField: null,
      diagnostic: segmentOf(recipient) ?? human,
      action: null,
      segment: segmentOf(recipient) ?? '',
    }));
  }
  if (segments.length > 0) {
    // a recipient listed as reached is reported as a delivery (RFC 3464's Action: delivered, class 2), not a failure
    const listed = segments.slice(0, MAX_REPORTED_RECIPIENTS);
    const othersOf = othersIn(listed);
    return listed.map((s, i) => ({
      ...othersOf(i),
      recipient: s.address,
      ...expandedFrom(s.text, s.address),
      statusField: s.delivered ? '2.0.0' : null,
      diagnostic: s.text,
      action: s.delivered ? 'delivered' : null,
      segment: s.text,
    }));
  }
  // the copy returned as a part of its own when it names anyone (by To or by its trace), else the one inline
  const attached = attachedHeaders(msg);
  const fromAttached = returnedCopyRecipients(attached);
  const copied =
    fromAttached.length > 0 || addressesOf(headerValues(attached, 'to')).length > 0
      ? fromAttached
      : returnedCopyRecipients(inlineCopyFields(msg));
  const original = copied.slice(0, MAX_REPORTED_RECIPIENTS);
  return original.map((recipient) => returnedMessageRecord(recipient, human));
}

/**
 * The address a listed recipient was expanded from, as the sender wrote it: Sendmail's and Postfix's "(expanded from
 * <list@example.org>)", Exim's "(generated from alias@example.org)" on the recipient's lines.
 */
function expandedFrom(lines: string, recipient: string): Pick<RawRecord, 'originalRecipient'> {
  // (the note may be wrapped between its words: Postfix folds its lines at a fixed width)
  const m = /\((?:expanded|generated)\s{1,24}from:?\s{0,24}<?([^\s<>()@]{1,64}@[^\s<>()]{1,255}?)>?\)/i.exec(
    lines.slice(0, 2048),
  );
  return m && normalizeAddress(m[1]!) !== normalizeAddress(recipient) ? { originalRecipient: m[1]! } : {};
}

/** A recipient the notice does not name (the returned message's addressee, or "" for none): the notice is its text. */
function returnedMessageRecord(recipient: string, human: string): RawRecord {
  return { recipient, statusField: null, diagnostic: human, action: null, segment: human, fromReturnedMessage: true };
}

/**
 * The complaint report's fields: its message/feedback-report part, or a text part of the report's own that holds RFC
 * 5965's required fields (Feedback-Type, User-Agent, Version), as a relay that relabels parts sends it.
 */
function feedbackReportText(msg: BounceMessage): string {
  const labelled = msg.parts.find((p) => p.type === 'message/feedback-report');
  if (labelled) return cutText(labelled.text, MAX_NOTICE_TEXT);
  for (const part of msg.parts) {
    if (part.forwarded || part.type !== 'text/plain') continue;
    const text = cutText(part.text, MAX_NOTICE_TEXT);
    if (/^feedback-type:[ \t]*\S/im.test(text) && /^(?:user-agent|version):/im.test(text)) return text;
  }
  return '';
}

function feedbackRecipients(msg: BounceMessage): RecipientReport[] {
  const report = feedbackReportText(msg);
  const feedbackType = (/^feedback-type:\s*(\S+)/im.exec(report)?.[1] ?? (report ? 'other' : 'opt-out')).toLowerCase();
  const reportField = (name: RegExp): string[] =>
    [...report.matchAll(name)].slice(0, MAX_REPORTED_RECIPIENTS).map((m) => dsnAddress(m[1]!));
  // who complained: the report's Original-Rcpt-To (RFC 5965), Microsoft's JMRP header naming the Outlook.com mailbox
  // the message reached, the draft ARF's Removal-Recipient of an opt-out, else the reported message's To
  let recipients = reportField(/^original-rcpt-to:\s*(.+)$/gim);
  if (recipients.length === 0)
    recipients = addressesOf(
      [...msg.headers, ...attachedHeaders(msg)].filter((f) => f.name === JMRP_RECIPIENT).map((f) => f.value),
    ).slice(0, 1);
  if (recipients.length === 0) recipients = reportField(/^removal-recipient:\s*(.+)$/gim);
  if (recipients.length === 0)
    recipients = addressesOf(headerValues(attachedHeaders(msg), 'to')).slice(0, MAX_REPORTED_RECIPIENTS);
  // An unsubscribe request comes from the recipient itself.
  if (recipients.length === 0 && !report) recipients = senderAddresses(msg);
  if (recipients.length === 0) recipients = [''];
  return recipients.map((recipient) => ({
    recipient,
    status: '',
    replycode: '',
    reason: 'feedback',
    hard: false,
    diagnostic: '',
    feedbackType,
  }));
}

/**
 * An Amazon SES notification (ses-notification.ts) in terms of this module: each bounced recipient's diagnostic goes
 * through the same reply classifier as a DSN's, the bounce subtype deciding only what the reply leaves open (and
 * outright for SES's own suppression, which is about the address); a delivery is a success report.
 */
function sesReport(msg: BounceMessage): BounceReport | null {
  const body = msg.parts.find((p) => p.type === 'text/plain' || p.type === 'application/json');
  const doc = body ? sesNotification(body.text) : null;
  if (!doc) return null;
  const recipients = sesRecipients(doc).filter((r) => r.recipient.includes('@'));
  if (recipients.length === 0) return null;
  if (recipients[0]!.kind === 'feedback')
    return {
      kind: 'feedback',
      recipients: recipients.map((r) => ({
        recipient: r.recipient,
        status: '',
        replycode: '',
        reason: 'feedback',
        hard: false,
        diagnostic: '',
        feedbackType: r.feedbackType ?? 'other',
      })),
    };
  return {
    kind: 'bounce',
    recipients: recipients.map((r): RecipientReport => {
      const diagnostic = cutText(r.diagnostic);
      const replycode = findReplyCode(diagnostic) ?? (r.kind === 'delivered' ? '250' : '');
      const status =
        (r.status && /^[245]\.\d{1,3}\.\d{1,3}$/.test(r.status) ? r.status : null) ??
        findEnhancedStatus(diagnostic) ??
        (r.kind === 'delivered' ? '2.0.0' : null);
      const reason: BounceReason =
        r.kind === 'delivered'
          ? 'delivered'
          : ((r.suppressedBySes ? r.subtypeReason : null) ??
            classifyFailure({
              replyCode: replycode || null,
              status,
              text: diagnostic,
              command: null,
              recipient: r.recipient,
            }) ??
            r.subtypeReason ??
            (status ? reasonForStatus(status) : null) ??
            'onhold');
      const cls = statusClass(status, replycode, r.bounceType === 'transient' ? '4' : null) ?? '5';
      return {
        recipient: r.recipient,
        status: status ?? `${cls}.0.0`,
        replycode,
        reason,
        hard: isHardBounce(reason, cls),
        diagnostic: asOneLine(diagnostic),
        ...(r.action ? { action: r.action } : {}),
      };
    }),
  };
}

/**
 * A mailing-list manager's notice (mailing-list-notice.ts): the addresses its text names are the ones it refused
 * to serve (the list, or the poster's), the notice's fixed phrase the reason. No SMTP exchange failed, so there
 * is no status but the class: a refusal the manager will repeat for every resend.
 */
function listNoticeReport(msg: BounceMessage): BounceReport | null {
  const human = humanText(msg);
  const reason = mailingListNoticeReason(headerValue(msg.headers, 'subject') ?? '', human);
  if (!reason) return null;
  const own = new Set(
    addressesOf(['from', 'to', 'reply-to', 'return-path', 'sender'].flatMap((n) => headerValues(msg.headers, n))).map(
      (a) => normalizeAddress(a),
    ),
  );
  const recipients = findTextRecipients(human, own).slice(0, MAX_REPORTED_RECIPIENTS);
  if (recipients.length === 0) return null;
  return {
    kind: 'bounce',
    recipients: recipients.map((r) => ({
      recipient: r.address,
      status: '5.0.0',
      replycode: '',
      reason,
      hard: isHardBounce(reason, '5'),
      diagnostic: asOneLine(cutText(r.text)),
    })),
  };
}

export function classifyBounce(msg: BounceMessage): BounceReport {
  const ses = sesReport(msg);
  if (ses) return ses;
  if (isFeedbackReport(msg)) return { kind: 'feedback', recipients: feedbackRecipients(msg) };
  // a challenge holds the message for the sender to answer: an automatic answer, not a failure
  if (isChallenge(msg)) return autoReply(msg);
  const listNotice = isMailingListNotice(msg) ? listNoticeReport(msg) : null;
  if (listNotice) return listNotice;
  if (looksLikeBounce(msg)) {
    const human = humanText(msg);
    const records = bounceRecords(msg, human).filter((r) => r.recipient);
    const notice = noticeOf(
      human,
      headerValues(msg.headers, 'x-failed-recipients').join(', '),
      preambleOf(
        human,
        records.map((r) => r.recipient),
      ),
      headerVerdict(msg.headers),
      isExchangeOnlineNotice(msg.headers, human),
    );
    const recipients = records.map((r) => analyse(r, notice));
    if (recipients.length > 0) return { kind: 'bounce', recipients };
    // A notice that states a failure but names no recipient and returns nothing to name one by is still a failure
    // report: received at a VERP address, that address says whose; the failure is what the notice's words say, or
    // undefined. (Postfix marks its notices Auto-Submitted: auto-replied, so this comes before the auto-reply test.)
    // So is a delivery report whose fields were lost ("<<< No Message Collected >>>"), and a notice that quotes the
    // refusal with its enhanced code ("The response from the remote server was: 550 5.1.1 ...").
    if (statesFailureIn(human) || quotesCodedRefusal(human) || isDeliveryReport(msg))
      return { kind: 'bounce', recipients: [analyse(returnedMessageRecord('', human), notice)] };
  }
  if (isAutoReply(msg.headers)) return autoReply(msg);
  return { kind: 'not_bounce', recipients: [] };
}

/** Whom a message comes from: its From field (RFC 5322 allows one; a repeated one is not more senders), bounded. */
function senderAddresses(msg: BounceMessage): string[] {
  return addressesOf([headerValue(msg.headers, 'from') ?? '']).slice(0, MAX_REPORTED_RECIPIENTS);
}

/** An automatic answer (away, or holding the message for a challenge): from whom it came, nothing failed. */
function autoReply(msg: BounceMessage): BounceReport {
  return {
    kind: 'vacation',
    recipients: senderAddresses(msg).map((recipient) => ({
      recipient,
      status: '',
      replycode: '',
      reason: 'vacation',
      hard: false,
      diagnostic: '',
    })),
  };
}
