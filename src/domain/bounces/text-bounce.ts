import { normalizeAddress } from '../mime/address.js';
import { lineStatesFailure, statesFailureIn } from './message-kind.js';
import {
  introducesReplyBelow,
  isCompletionReplyLine,
  isSuccessReplyLine,
  NOT_IN_IPV6,
  QUOTED_REPLY_START,
  REMOTE_REPLY_VERB,
  SESSION_HEADER,
  TRANSCRIPT_COMMAND,
  TRANSCRIPT_REPLY,
} from './smtp-codes.js';
import { asOneLine, indentOf, withoutTrailing } from './text-match.js';
// Non-standard bounces (qmail, Exim, old Sendmail, webmail providers...) explain the failure in prose. Whatever the
// MTA, the shape is the same: some preamble, then each failed address followed by what went wrong, then a copy of
// the original message. This module pairs each address with the text that follows it; returned-copy.ts cuts off the
// copy.

// An address starts where a run of local-part characters starts (the lookbehind), as the leftmost match would
// anyway: without it a long run with no "@" would be rescanned from each of its characters. Its domain has two labels
// at least: mail to an Internet recipient names a fully qualified domain (RFC 5321 2.3.5), and a single label after an
// "@" is something else, a malware name ("W32/Sober.j@MM", CARO's mass-mailer suffix) or an internal delivery
// channel ("a@ims-ms-daemon").
const ADDRESS =
  /(?<![A-Za-z0-9.!#$%&'*+/=?^_`{|}~-])[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+/g;

/**
 * Addresses that are not the failed recipient when prose mentions them: the daemon itself and list/role senders of
 * notices ("please contact postmaster@example.net").
 */
const NOT_A_RECIPIENT = /^(?:mailer-daemon|postmaster|no-?reply|double-bounce|bounce[s]?|root|abuse)@/i;

/**
 * The line lists `address` as a failed recipient, the way notices list them: first on its line, then a colon
 * (Postfix, qmail: "<postmaster@example.org>: host ... said"), Sendmail's "..." or an alias note ("(expanded from
 * <a@b>)"). Mail to a role address bounces like any other, and a listing says so whatever the address's name.
 */
function listsRecipient(line: string, address: string): boolean {
  const start = line.trimStart();
  const bare = start.startsWith('<') ? start.slice(1) : start;
  if (bare.slice(0, address.length).toLowerCase() !== address.toLowerCase()) return false;
  const after = bare.slice(address.length, address.length + 20);
  // ... or alone in its brackets, as Sendmail lists each failed address above its "(reason: ...)"
  // (a fold may come between the alias note's words: "<a@b> (expanded\n    from <c@d>)")
  return (
    /^>?(?::|\.\.\.| \((?:expanded|generated)(?: from|\s*$))/i.test(after) || (bare !== start && /^>\s*$/.test(after))
  );
}

/** A label that names what follows it as a failed recipient ("Recipient: <a@b>", "Failed Recipient: a@b"). */
const RECIPIENT_FIELD_LABEL =
  /^(?:(?:failed|final|original|intended|invalid|unknown) )?recipient(?: address)?\s{0,20}:\s*/;

/**
 * Words right before an address that make it the one the mail was for ("Unable to send to abuse@b", "could not be
 * delivered to postmaster@b", "The recipient's email address (abuse@b) does not exist", Gmail's and Microsoft's
 * "Your message to noreply@b has been blocked" / "couldn't be delivered"), not a contact the notice gives ("please
 * contact postmaster@b", "forward your message to postmaster@b": `SENDER_OR_CONTACT_BEFORE`).
 */
const RECIPIENT_BEFORE =
  /(?:\b(?:deliver(?:ed)?|send|sent|delivery|relay(?:ed)?) to|\brecipient(?:'s)?(?: e-?mail)? address(?: is)?|\byour (?:e-?mail )?message to)\s{0,4}[:(<"]{0,2}\s{0,2}$/i;

/**
 * What may follow an address a notice lists on a line of its own: the time Exchange stamps on each entry ("The
 * following recipient(s) cannot be reached:\n\n      a@b on 21/04/2009 1:05 PM", "a@b on Sun, 21 Jul 2002 07:10:13
 * -0400"), or the link an HTML notice made of it, kept when the notice was turned into text ("a@b<mailto:a@b>").
 */
const LISTING_TAIL =
  /^(?:<mailto:([^<>\s]{1,320})>| on (?:[a-z]{3},? )?\d{1,2}[ /.-](?:\d{1,2}|[a-z]{3})[ /.-]\d{2,4}\b.{0,40})$/i;

/** The marks a listing may set an address off with, and what closes each. */
const ADDRESS_CLOSE: Readonly<Record<string, string>> = { '<': '>', '"': '"', "'": "'" };

/** The line holds the address and nothing else (but a LISTING_TAIL), in angle brackets or quotes or bare. */
function isAddressAlone(line: string, address: string): boolean {
  const trimmed = line.trim();
  const close = ADDRESS_CLOSE[trimmed[0] ?? ''];
  const listed = close ? trimmed.slice(1) : trimmed;
  if (listed.slice(0, address.length).toLowerCase() !== address.toLowerCase()) return false;
  let rest = listed.slice(address.length);
  if (close) {
    if (!rest.startsWith(close)) return false;
    rest = rest.slice(1);
  }
  if (rest === '') return true;
  const tail = LISTING_TAIL.exec(rest);
  return tail !== null && (tail[1] === undefined || tail[1].toLowerCase() === address.toLowerCase());
}

/**
 * A sentence that says the delivery to the addresses listed under it is delayed (Gmail's "Delivery to the following
 * recipient has been delayed:", Exim's "The addresses to which the message has not yet been delivered are:").
 */
const DELAY_HEADING =
  /\bdelivery to the following [^\n]{0,40}?(?:has been|is being|was) delayed\b|\bnot yet been delivered\b/i;

/**
 * Line `index` is the address alone, right under a sentence that states the failure ("Delivery to the following
 * recipient failed permanently:\n\n     abuse@b", Exim's "The following address(es) failed:\n\n  postmaster@b") or the
 * delay: the notice lists it, whatever its local part.
 */
function aloneUnderFailure(lines: readonly string[], index: number, address: string): boolean {
  if (!isAddressAlone(lines[index]!, address)) return false;
  let above = index - 1;
  while (above >= 0 && above > index - 3 && lines[above]!.trim() === '') above--;
  if (above < 0) return false;
  const sentence = sentenceEndingAt(lines, above);
  return statesFailureIn(sentence) || DELAY_HEADING.test(asOneLine(sentence));
}

/** How far back a sentence folded over lines is followed (a long one spans three at 40 columns). */
const MAX_SENTENCE_LINES = 4;

/** A line that ends a sentence or a clause, so the line after it starts another. */
const ENDS_SENTENCE = /[.:;!?]\s*$/;

/** Where a sentence ends inside a line: its stop, then a blank before the next one. */
const SENTENCE_STOP = /[.!?]\s+(?=\S)/g;

/**
 * The sentence that ends on line `index`, as one line from where it starts, on the lines above too: a notice's line
 * may be folded at any width ("Delivery to the following recipient\n    failed permanently:"), and the fold must not
 * hide what the sentence says. Only that sentence: in "The mail could not be delivered. For help, write to:" the
 * address below is a contact.
 */
function sentenceEndingAt(lines: readonly string[], index: number): string {
  let start = index;
  while (
    start > 0 &&
    index - start < MAX_SENTENCE_LINES - 1 &&
    lines[start - 1]!.trim() !== '' &&
    !ENDS_SENTENCE.test(lines[start - 1]!)
  )
    start--;
  const text = asOneLine(lines.slice(start, index + 1).join('\n'));
  let from = 0;
  for (const stop of text.matchAll(SENTENCE_STOP)) from = stop.index + stop[0].length;
  return text.slice(from);
}

/**
 * The rule that opens a footer a mailing list adds to what it distributes (Mailman's line of underscores, then the
 * list's name and address) or a signature (RFC 3676 4.3's "-- "): what follows lists nobody's failure.
 */
const FOOTER_RULE = /^(?:_{20,}|-- )\s*$/;

/**
 * A line of the text starts with the address (after blanks, a bullet or a bracket, or a label that calls it the
 * recipient), above any footer: it lists it, with or without the punctuation listsRecipient asks of a role address.
 */
export function listsAddress(text: string, address: string): boolean {
  const lower = address.toLowerCase();
  const strip = (line: string): string => line.replace(/^[\s*\u2022>"'<(-]+/, '');
  const lines = text.toLowerCase().split('\n');
  const footer = lines.findIndex((line) => FOOTER_RULE.test(line));
  return lines
    .slice(0, footer < 0 ? lines.length : footer)
    .some(
      (line) =>
        strip(line).startsWith(lower) || strip(strip(line).replace(RECIPIENT_FIELD_LABEL, '')).startsWith(lower),
    );
}

/**
 * The address without trailing dots (the end of a sentence) and without what stands before its first character: a
 * local part cannot begin with a dot (RFC 5322 dot-atom), and a brace there opens a mapping of the refused recipients,
 * as Python's smtplib gives one and a gateway's notice quoted it ("delivered to domain <b> .{'a@b': (550, '5.7.1
 * ...')}", a council's gateway, published on WhatDoTheyKnow).
 */
function trimEdges(address: string): string {
  const trimmed = withoutTrailing(address, '.');
  let start = 0;
  while (start < trimmed.length && (trimmed[start] === '.' || trimmed[start] === '{')) start++;
  return trimmed.slice(start);
}

/**
 * A line that labels its address as the sender ("MAIL FROM: a@b", "From: a@b" in a notice's summary of the
 * original message, "Sender:", Exchange Online's "Sender Address:", "Reply-To:", "Return-Path:", MailMarshal's
 * "Original Sender:"): the address is whom the notice goes back to, never a failed recipient.
 */
const SENDER_LABEL =
  /^\s*(?:[*\u2022]\s{0,4})?(?:original )?(?:mail from|envelope[- ]from|from|sender(?: address)?|reply-to|return-path)\s{0,20}:/i;

/**
 * A field of a notice's summary of the original message, indented or bulleted under its own heading (Exchange's
 * "Your message\n\n  To: ...\n  Subject: ...\n  Sent: ...\n\ndid not reach the following recipient(s):", a
 * gateway's "Original message details:\n\t* From: ...\n\t* To: ..."): the original's addressees, a list's address
 * among them, are not the failed recipients the notice goes on to name.
 */
const SUMMARY_FIELD = /^\s*(?:[*\u2022-]\s{0,4})?(?:to|cc|bcc|from|subject|sent|date|received on)\s{0,20}:/i;
const SUMMARY_ADDRESSEE = /^\s*(?:[*\u2022-]\s{0,4})?(?:to|cc|bcc)\s{0,20}:/i;

/** Line `index` addresses the original message in a summary of its fields: another summary field is next to it. */
function inMessageSummary(lines: readonly string[], index: number): boolean {
  return (
    SUMMARY_ADDRESSEE.test(lines[index]!) &&
    (SUMMARY_FIELD.test(lines[index - 1] ?? '') || SUMMARY_FIELD.test(lines[index + 1] ?? ''))
  );
}

/**
 * The recipient a session's one-line summary names after its sender (indimail's qmail-remote: "From: <a@b> RCPT: <c@d>
 * 192.0.2.1 failed after I sent the message."): the line is that recipient's, read from this label on.
 */
const RECIPIENT_LABEL = /\brcpt(?: to)?\s{0,20}:\s{0,20}<?[^\s<>@]{1,64}@/i;

/**
 * The line that says whom the original message came from, after "The original message was received at <date>"
 * (Sendmail writes the client host there, "from host [ip]"; some gateways write the sender's address): "from a@b"
 * and nothing else on the line.
 */
const RECEIVED_FROM_LINE = /^\s*from\s{1,20}<?[^\s<>@]{1,64}@[^\s<>]{1,255}>?\s*$/i;

/** The end of a line that introduces a step and the folded line after it that names MAIL FROM. */
const FOLDED_MAIL_FROM = /(?:\b(?:after|to)\n[ \t]+mail|\bmail\n[ \t]+)\s?from\s{0,20}:/i;

/**
 * A transcript's command that names the sender (">>> MAIL FROM:<a@b>", MDaemon's "--> MAIL From:<a@b>"): a step of
 * the recipient's session, whose reply may be the failure, but its address is the sender's.
 */
const SENDER_COMMAND = new RegExp(String.raw`${TRANSCRIPT_COMMAND}\s*mail from\s{0,20}:`, 'i');

/**
 * Lines that give the reply about the recipient named just above them, which may name that recipient otherwise (the
 * mailbox an alias led to): Sendmail's "(reason: 550 5.1.1 <b@x>... User unknown)" under the "<a@x>" it explains, and
 * a transcript's reply on the line after "RCPT To:<a@x>" (RFC 5321 3.3: the reply to RCPT is about the address that
 * command named), and a reply on the line after the notice's words that introduce it (the DragonFly Mail Agent's
 * "There was an error delivering your mail to <a@x>.\n\nmx [192.0.2.1] did not like our RCPT TO:\n550 <b@x>... User
 * unknown"). An address in them is no recipient of its own.
 */
const REASON_LINE = /^\s*\(reason:/i;
// (Trend Micro's InterScan labels the arrows the other way round: "Sent <<< RCPT TO:<a@x>", "Received >>> 550 ...")
const RCPT_COMMAND_LINE = new RegExp(
  String.raw`^[^<>\n]{0,60}(?:${TRANSCRIPT_COMMAND}|sent <<<)\s*rcpt to\s{0,20}:`,
  'i',
);
const TRANSCRIPT_REPLY_LINE = new RegExp(String.raw`^[^<>\n]{0,60}(?:${TRANSCRIPT_REPLY}|received >>>)`, 'i');

/**
 * A reply on a line of its own, indented under the entry it explains (Exim: "  a@x\n    550 5.1.7 <b@y>: ..."), and
 * Exim's line naming the step under it, whose address is the envelope form of the entry's (a router or a rewrite may
 * have changed it: "  a@x\n    SMTP error from remote mail server after RCPT TO:<a@mail.x>:").
 */
const REPLY_LINE = /^\s*([45]\d\d)([ -])/;
const EXIM_STEP_LINE = /^\s*SMTP error from remote mail(?:er| server) after\b/i;

/**
 * Where a line quotes the remote host's reply (qmail's "Remote host said: 554 ...", Postfix's "host x said: 550",
 * MailFoundry's "x[192.0.2.1] responded with failure: 552 ..."), or gives it after the host's name ("SMTP:RCPT host
 * 192.0.2.8: 553 ...", Exim's "host mx.x [192.0.2.1]: 550 ...").
 */
const REMOTE_SAID = new RegExp(
  String.raw`\b${REMOTE_REPLY_VERB}\s{0,4}(?=[45]\d\d[ -])|\bhost [^\s:]{1,255}(?: \[[0-9a-f.:]{2,45}\])?:\s{0,4}(?=[45]\d\d[ -])`,
  'i',
);

/** 1&1's introduction of the remote host's error, whose lines it then cuts at any character. */
const REMOTE_ERROR_LINE = /^SMTP error from remote server for [\w ]{1,20} command\b/i;

/** Exchange's encapsulation of an address of another type in an SMTP one (IMCEAEX-, IMCEASMTP-, IMCEAX400-...). */
const EXCHANGE_ENCAPSULATED = /^imcea[a-z0-9]{0,12}-/i;

/**
 * Sun/Oracle Messaging Server lists a failed recipient as "Recipient address:" (the address it last tried, often an
 * internal one, "a@ims-ms-daemon") followed by "Original address:" (what the sender wrote), the pair its delivery
 * reports give as Final-Recipient and Original-Recipient: one recipient, known to the sender by the second.
 */
const FINAL_ADDRESS_LINE = /^\s*recipient address\s{0,20}:/i;
const ORIGINAL_ADDRESS_LINE = /^\s*original address\s{0,20}:\s{0,20}<?([^\s<>@]{1,64}@[^\s<>]{1,255}?)>?\s*$/i;

/**
 * A line that labels a message identifier (RFC 5322 msg-id: "local@domain" in angle brackets), as a field or in a
 * notice's own words, with a word before it ("Original Message-ID:", Postal's "Orginal Message ID:"), or as the last
 * field of a log line (MDaemon's transcript: "Tue 2022-08-09 07:47:31: *  Message-ID: <1e8f77fc@example.org>").
 */
const MESSAGE_ID_LABEL =
  /^\s*(?:[a-z]{1,20} )?(?:message[- ]id|in-reply-to|references|original-envelope-id)\s{0,20}:|\s(?:message-id|in-reply-to)\s{0,20}:\s{0,20}<[^<>\s]{1,255}>\s*$/i;

/**
 * The address without the quote that opens it when the same quote closes it ("'a@b' on 4/29/2010", as Exchange lists
 * recipients), or the apostrophe that pairs with a grave accent ("`a@b' on 1/5/98", Exchange 5.5's): an apostrophe
 * may start a local part (RFC 5322 atext), so it goes only when it is a pair's first half.
 */
function unquoted(address: string, after: string | undefined): string {
  const q = address[0];
  return (q === "'" || q === '`') && (after === q || (q === '`' && after === "'")) ? address.slice(1) : address;
}

/**
 * A notice's heading for recipients that were reached: Exchange's "Your message has been delivered to the following
 * recipients" and "Delivery to these recipients or groups is complete, but no delivery notification was sent by the
 * destination server" (its Delivered and Relayed notices), Sendmail's "The following addresses had successful
 * delivery notifications", Postfix's "Your message was successfully delivered to the destination(s) listed below".
 */
const SUCCESS_HEADING =
  /(?:has been|was|were) (?:successfully )?delivered to (?:the following|these|the destination)|delivery to (?:these|the following) (?:recipients|addresses)[^\n]{0,40}? (?:is complete|succeeded|was successful)|had successful delivery|(?:were|was) delivered successfully/i;

/**
 * Where the head of an SMTP reply ends on a line that holds one ("550 5.1.1 ", "<<< 554 ", "Remote host said: 550 ",
 * Exim's "host mx.example.net [192.0.2.1]: 550 "), plus an opening bracket; null when the line holds no reply.
 */
function replyHeadEnd(line: string): number | null {
  const m = REPLY_HEAD.exec(line);
  return m ? m.index + m[0].length : null;
}

// the code starts the line or follows a blank, colon, semicolon or bracket; every repetition is bounded, so trying
// the pattern at each position of a line costs a constant each
const REPLY_HEAD = new RegExp(String.raw`${QUOTED_REPLY_START}(?:#?[45]\.\d{1,3}\.\d{1,3}[ -])?[ \t]{0,8}<?`);

/** A line that ends with a reply code, the reply's words folded onto the lines below ("... said: 550"). */
const REPLY_CODE_AT_END = new RegExp(String.raw`(?:^|[\s:;([])${NOT_IN_IPV6}[45]\d\d\s*$`);

/**
 * The type an X.400 domain-defined attribute gives an Internet address it carries ("o=Site;dda:SMTP=a@b;", as
 * Exchange's X.400 connector writes a recipient): a label, not part of the address.
 */
const X400_DDA_TYPE = /^(?:smtp|rfc-?822)=/i;

/**
 * Sendmail's one-line summary of a failed recipient: the reply code, the address (in brackets when it was given so,
 * bare otherwise), three dots.
 */
const SENDMAIL_SUMMARY =
  /^\s{0,20}[45]\d\d[ -](?:[45]\.\d{1,3}\.\d{1,3} )?(?:<[^<>\s]{1,320}>|[^<>\s@]{1,64}@[^<>\s@]{1,255}?)\.\.\./;

/**
 * A line of two addresses or more, separated by commas or semicolons, and nothing else but a label that calls them
 * recipients (Haraka's "Intended Recipients: <a@b>, <c@d>").
 */
const ADDRESS_LIST_LINE =
  /^\s*(?:(?:intended |failed )?recipients?(?:\(s\))?:\s*)?<?[^\s,;<>@]+@[^\s,;<>]+>?(?:\s*[,;]\s*<?[^\s,;<>@]+@[^\s,;<>]+>?)+\s*[,;]?\s*$/i;

/** A line that cannot open a failure's own words: a rule ("-----") or a heading that introduces a list ("...:"). */
const PREFACE_BREAK = /^\s*[-=_*]{2}|:\s*$/;

/**
 * The lines of the paragraph that line `index` ends, when that line is the address alone (bracketed or not) and the
 * next line is blank: back to the blank line, a line with an address, or a PREFACE_BREAK before them. Each line is
 * read back over at most once per call, and a call stops at the previous address line, so a notice costs linear time.
 */
function paragraphEndingIn(lines: readonly string[], index: number, address: string): string[] {
  if (!isAddressAlone(lines[index]!, address) || (lines[index + 1] ?? '').trim() !== '') return [];
  let start = index;
  while (start > 0 && !/^\s*$|@/.test(lines[start - 1]!) && !PREFACE_BREAK.test(lines[start - 1]!)) start--;
  return lines.slice(start, index);
}

/** Exim's line under a failed local delivery that names the address it was made for ("    generated by a@b"). */
const GENERATED_BY_LINE = /^\s+generated by\s/i;

/**
 * The line that opens Exim's entry for a failed local delivery, when line `index` says which address the delivery was
 * generated by: the pipe or the file that failed ("  pipe to |/usr/bin/program\n    generated by a@b") is that
 * address's, and is indented less than the line under it.
 */
function generatedEntryOpener(lines: readonly string[], index: number): string[] {
  const opener = lines[index - 1];
  if (!GENERATED_BY_LINE.test(lines[index]!) || opener === undefined || opener.trim() === '' || opener.includes('@'))
    return [];
  return indentOf(opener) < indentOf(lines[index]!) ? [opener] : [];
}

/** The lines above a new address's line that are its entry's: a paragraph it ends, or the delivery Exim made for it. */
function entryPreface(lines: readonly string[], index: number, address: string): string[] {
  const paragraph = paragraphEndingIn(lines, index, address);
  return paragraph.length > 0 ? paragraph : generatedEntryOpener(lines, index);
}

/**
 * The `span` characters before position `at` of the line, continued from the end of the line before when the line
 * opens within them: Postfix wraps "<a@b> (expanded from\n    <c@d>): ..." wherever the width ends, "(expanded\n
 * from <c@d>)" too, and a notice refolded narrower puts "please contact\n    <postmaster@b>" over two lines.
 */
function wordsBeforeAcrossWrap(line: string, at: number, previous: string, span = 20): string {
  const before = line.slice(Math.max(0, at - span), at);
  return at < span ? `${previous.trimEnd().slice(-span)} ${before.trim()}` : before;
}

/**
 * A listed address's own words of failure ("carol@b: Envelope expired", "a@b: 550 ..."): OpenSMTPD 5.7 put such
 * lines under its heading for delivered recipients; the line's words, not the heading, say what happened.
 */
const FAILURE_AFTER_ADDRESS =
  /^>?:?\s{0,4}(?:[45]\d\d\b|[^\n]{0,80}\b(?:expired|failed|failure|error|rejected|refused|undeliverable)\b)/i;

/**
 * A recipient's paragraph (its lines up to the blank line after a reply) is its address, the host it reached and that
 * host's success, and nothing else: Courier lists each recipient so ("<a@b>:\n    mx.example.org [192.0.2.1]:\n<<<
 * 250 ok"), under its headings for delivered, relayed and failed recipients alike, in one notice. The reply, not the
 * notice's other sections, says what happened to it. Any other words there (a transcript's "<<< 250 Sender ok" before
 * "<a@b>... Deferred: Connection timed out") leave it to the failure's reading.
 */
function quotesOnlySuccess(own: readonly string[]): boolean {
  const success = own.findIndex(isCompletionReplyLine);
  if (success < 0) return false;
  const blank = own.findIndex((line, i) => i > success && line.trim() === '');
  const paragraph = own.slice(0, blank < 0 ? own.length : blank);
  return paragraph.every(
    (line) => isSuccessReplyLine(line) || SENT_COMMAND_LINE.test(line) || ADDRESS_OR_HOST_ALONE.test(line.trim()),
  );
}

/** A transcript's line quoting a command sent (">>> RCPT TO:<a@b>"). */
const SENT_COMMAND_LINE = new RegExp(`^[ \\t]*${TRANSCRIPT_COMMAND}`);

/** A line that is an address, or a host with its address in brackets, and a colon at most ("<a@b>:", "mx [192.0.2.1]:"). */
const ADDRESS_OR_HOST_ALONE =
  /^(?:<[^<>\s]{1,320}>|[^<>\s@]{1,64}@[^<>\s@]{1,255}|(?:[A-Za-z0-9.-]{1,255} )?\[[0-9A-Fa-f:.]{1,45}\])?:?$/;

/** The list ends with `tail`, line for line. */
function endsWith(list: readonly string[], tail: readonly string[]): boolean {
  return tail.length <= list.length && tail.every((line, i) => list[list.length - tail.length + i] === line);
}

/** What is known of a line when the addresses on it are read (findTextRecipients). */
interface LineReading {
  lines: readonly string[];
  index: number;
  /** The line, from the label on where a line about the sender goes on to name the recipient. */
  scanned: string;
  /** The recipient whose lines these are so far (normalised), or null. */
  current: string | null;
  /** The recipients listed so far, by normalised address. */
  known: ReadonlyMap<string, unknown>;
  /** The notice's own addresses (lower-cased): never a failed recipient. */
  exclude: ReadonlySet<string>;
  /** The line goes on naming MAIL FROM, folded from the line above: its address is the sender's. */
  stepNamesSender: boolean;
  /** The line goes on with a reply quoted above it, or answers the recipient named above it. */
  inReply: boolean;
  /** Where the line quotes a remote host's reply ("said: 550 ..."), or -1. */
  saidAt: number;
  /** Where the head of a reply on the line ends, when a recipient is current; else null. */
  replyHead: number | null;
  /**
   * The addresses alias notes named as what a listed recipient was expanded from, each with that recipient's key
   * (null when several were expanded from it): named again later (a reply's line wrapped without an indent, "554 Too
   * many hops ...\nvia localhost, to list@b"; Sendmail's transcript line for the recipient), such an address is still
   * the alias, not another failure, and the line is its recipient's. Filled as the lines are read.
   */
  aliases: Map<string, string | null>;
}

/** Words before an address that name it as what an alias was expanded from (Exim, Sendmail). */
const EXPANDED_FROM_BEFORE = /(?:generated|expanded) from:? ?\(?<?$/i;

/**
 * Words before an address that make it the sender or a contact: a sentence about the sender ("not accepting mail
 * from a@b:", "Domain of sender address a@b does not exist"), an address given to write to ("Please contact us instead
 * using a@b", Postfix's bounce template "For further assistance, please send mail to <postmaster>", Chinese 请联系), or
 * the address the recipient moved to (RFC 5321 3.4's "551 User not local; please try <a@b>", "This address has moved
 * to a@b", "forward this message to a@b"): suppressing that one would stop mail to where the recipient now is.
 */
const SENDER_OR_CONTACT_BEFORE =
  /\b(?:mail|messages?|e-?mails?) from:? ?<?$|\bsender(?:'s)? (?:e-?mail )?address:? ?<?$|\bcontact(?: us| them)?(?: instead)?(?: using| at| via)?:?\s*<?$|\bplease (?:send (?:e-?)?mail|write|e-?mail) to:?\s*<?$|(?:联系|聯繫|聯絡)[:：]?\s*<?$|\b(?:has )?moved to:?\s*<?$|\bplease try:?\s*<?$|\bforward (?:this|the|your) (?:message|mail|e-?mail) to:?\s*<?$|\bnew (?:e-?mail )?address(?: is)?:?\s*<?$/i;

/**
 * Words after an address that make it a contact, in the languages that put the verb last (a localised Postfix
 * template: "解決しない場合は、<a@b>\nまでお問い合わせください", "... へご連絡ください"; Korean "... 로 문의"): read on
 * the address's line, or at the start of the next.
 */
const CONTACT_AFTER = /^>?\s*(?:まで|へ|に)(?:お|ご)?(?:問い?合わせ|連絡|相談)|^>?\s*(?:으로|로|에) ?문의/;

/** The addresses a line names as failed recipients, in order, as written (trimmed of what is not the address). */
function recipientsNamedOn(r: LineReading): string[] {
  const { lines, index, scanned, current } = r;
  // (most lines name no address: they cost no more than this search)
  if (!scanned.includes('@')) return [];
  const line = lines[index]!;
  // the words that make an address a sender, a contact or the recipient stand right before it, on its line or, when
  // it opens its line, at the end of the line before
  const wordsRightBefore = (at: number): string => wordsBeforeAcrossWrap(scanned, at, lines[index - 1] ?? '', 40);
  // ... or, where the verb comes last, right after it, on its line or at the start of the next
  const wordsRightAfter = (at: number): string => {
    const rest = scanned.slice(at, at + 40);
    return rest.trim() === '' || rest.trim() === '>' ? `${rest.trim()}${(lines[index + 1] ?? '').slice(0, 40)}` : rest;
  };
  // a step that succeeded ("<<< 250 ... Sender ok") and a transcript's MAIL FROM name no failed address, and a
  // message identifier ("Message-id: <1234@mail.example>") only looks like one
  if (isSuccessReplyLine(line) || MESSAGE_ID_LABEL.test(line) || SENDER_COMMAND.test(line) || r.stepNamesSender)
    return [];
  // a link's line names no recipient, whatever its query string holds
  if (/^(?:https?|ftp):/i.test(line.slice(0, 6))) return [];
  return (
    [...scanned.matchAll(ADDRESS)]
      // Exim's "(generated from alias@domain)" and Sendmail's "(expanded from: <list@domain>)" name the address the
      // failed one was expanded from: the line still belongs to the recipient above it. With none above (Exim's "an
      // undisclosed address"), the address it was expanded from is the only one the sender knows.
      .flatMap((m): Array<{ written: string; at: number; end: number; owner?: string }> => {
        const address = normalizeAddress(m[0]);
        const found = { written: m[0], at: m.index, end: m.index + m[0].length };
        const aliasNote =
          current !== null &&
          EXPANDED_FROM_BEFORE.test(wordsBeforeAcrossWrap(scanned, m.index, lines[index - 1] ?? ''));
        const owner = r.aliases.get(address);
        if (aliasNote) {
          r.aliases.set(address, owner === undefined || owner === current ? current : null);
          return [];
        }
        if (owner === undefined || r.known.has(address)) return [found];
        // the alias named again stands for the one recipient expanded from it
        return owner ? [{ ...found, owner }] : [];
      })
      // the sender or a contact, as the words around the address call it, is no recipient; nor is Exchange's
      // encapsulation of an address ("IMCEAEX-_O=...@host", the directory entry it resolved the recipient listed above
      // to), unless the notice lists no other kind
      .filter(
        ({ written, at, end }) =>
          !SENDER_OR_CONTACT_BEFORE.test(wordsRightBefore(at)) &&
          !CONTACT_AFTER.test(wordsRightAfter(end)) &&
          !(EXCHANGE_ENCAPSULATED.test(written) && current !== null && !EXCHANGE_ENCAPSULATED.test(current)),
      )
      // inside a reply, only the address its head names ("554 <a@b>... Host unknown") is a recipient; one its prose
      // mentions ("550 Mailbox full, contact help@b", a forwarding target) is not, unless it was listed already
      .filter(
        ({ written, at, owner }) =>
          (!r.inReply && (r.saidAt < 0 || at < r.saidAt) && (r.replyHead === null || at <= r.replyHead)) ||
          r.known.has(owner ?? normalizeAddress(written)),
      )
      .map(({ written, at, end, owner }) => ({
        a: owner ?? unquoted(trimEdges(written), scanned[end]).replace(X400_DDA_TYPE, ''),
        at,
      }))
      // a role address is a recipient only where the notice lists it or says the mail was for it
      .filter(
        ({ a, at }) =>
          !r.exclude.has(normalizeAddress(a)) &&
          (!NOT_A_RECIPIENT.test(a) ||
            listsRecipient(scanned, a) ||
            RECIPIENT_BEFORE.test(wordsRightBefore(at)) ||
            aloneUnderFailure(lines, index, a)),
      )
      .map(({ a }) => a)
  );
}

export interface TextRecipient {
  address: string;
  /** The lines from this address's first mention up to the next recipient's mention. */
  text: string;
  /** Listed under a heading for recipients that were reached, not among the failures. */
  delivered?: true;
}

/**
 * The recipient listed as `from` (key) is known as `to` (its original address): its place in the order, its lines and
 * its delivered mark go to `to`, or join `to`'s when `to` was listed already. Returns `to`'s key.
 */
function renameRecipient(
  order: string[],
  segments: Map<string, string[]>,
  delivered: Set<string>,
  from: string,
  to: string,
): string {
  const key = normalizeAddress(to);
  const at = order.findIndex((a) => normalizeAddress(a) === from);
  const lines = segments.get(from)!;
  if (segments.has(key)) {
    segments.get(key)!.push(...lines);
    order.splice(at, 1);
  } else {
    order[at] = to;
    segments.set(key, lines);
  }
  segments.delete(from);
  if (delivered.delete(from)) delivered.add(key);
  return key;
}

/** Addresses in order of first mention, with the text that belongs to each. `exclude` is lower-cased. */
export function findTextRecipients(section: string, exclude: ReadonlySet<string>): TextRecipient[] {
  const lines = section.split('\n');
  const order: string[] = [];
  const segments = new Map<string, string[]>();
  const delivered = new Set<string>();
  /** Recipients listed on one line after another (the key): until lines of their own, that one's lines are theirs. */
  const listedWith = new Map<string, string>();
  /**
   * Recipients listed alone on their lines, one under another, with nothing between (the key: the next one listed):
   * the words under the last of them are about them all (Apache James's "a@b\nc@d\nConnection timed out: connect").
   */
  const listedAbove = new Map<string, string>();
  /** The line that named the current recipient held its address alone. */
  let currentAlone = false;
  let current: string | null = null;
  /** The indentation of the line that named the current recipient, and whether its lines have quoted a reply yet. */
  let entryIndent = 0;
  let replyQuoted = false;
  /** Inside 1&1's quoted remote error, whose lines are cut at any character. */
  let remoteErrorGoesOn = false;
  /** The code of a multi-line reply quoted about the current recipient, while its "550-" lines go on. */
  let openReplyCode: string | null = null;
  /** Addresses of a summary of the original message's fields: its addressees, not necessarily the failed ones. */
  const summarised: string[] = [];
  let inSummary = false;
  let reached = false;
  let previous = '';
  /** Lines given to the current recipient since the line that named it. */
  let sinceAddress = 0;
  const aliases = new Map<string, string | null>();
  /** The lines of a session transcript that has named no address yet. */
  let session: string[] | null = null;
  /** The recipient whose lines came before the last session began. */
  let lastOwner: string | null = null;
  for (const [index, line] of lines.entries()) {
    if (lineStatesFailure(line)) reached = false;
    else if (SUCCESS_HEADING.test(line)) reached = true;
    // "after MAIL\n    FROM:<a@b>", "after\n    MAIL FROM:<a@b>": a folded line that goes on naming the step, whose
    // address is the sender's
    const foldedMailFrom = FOLDED_MAIL_FROM.test(`${previous.trimEnd().slice(-20)}\n${line.slice(0, 40)}`);
    previous = line;
    // the summary has moved on to the sender: what follows is not about the recipient above, unless the line goes on
    // to name the recipient
    const senderLine = line.includes('@') && (SENDER_LABEL.test(line) || RECEIVED_FROM_LINE.test(line));
    const recipientAt = senderLine ? line.search(RECIPIENT_LABEL) : -1;
    // (with the lines folded under one of its fields: "cc: a@b, c@d,\n e@f")
    inSummary = (inSummary && /^[ \t]+\S/.test(line)) || inMessageSummary(lines, index);
    if (inSummary) {
      for (const m of line.matchAll(ADDRESS)) if (!exclude.has(normalizeAddress(m[0]))) summarised.push(m[0]);
      current = null;
      continue;
    }
    if (senderLine && recipientAt < 0 && !foldedMailFrom) {
      current = null;
      continue;
    }
    const scanned = recipientAt > 0 ? line.slice(recipientAt) : line;
    // a step that succeeded ("<<< 250 ... Sender ok") and a transcript's MAIL FROM name no failed address, and a
    // message identifier ("Message-id: <1234@mail.example>") only looks like one
    const headEnd = replyHeadEnd(scanned);
    const replyHead: number | null = current === null ? null : headEnd;
    // Postfix folds a long reply onto lines indented under the entry that quotes it ("<a@b>: host x said: 550\n    5.2.1
    // <c@b>... Addressee unknown"): an address there is the reply's words, as on its first line
    const indent = indentOf(line);
    // (a line no more indented than the entry opens the next one, whether or not it names an address: Exim's "  pipe
    // to |/usr/bin/program" under the reply quoted for the address above it ends that reply)
    if (indent <= entryIndent && indent < line.length) replyQuoted = false;
    // (and 1&1's "SMTP error from remote server for RCPT TO command, host: ... reason: ..." goes on, unindented and cut
    // anywhere, even inside an address, until a blank line)
    const continuesReply =
      line.trim() !== '' && ((replyQuoted && indent > entryIndent) || (remoteErrorGoesOn && current !== null));
    remoteErrorGoesOn = line.trim() !== '' && (remoteErrorGoesOn || REMOTE_ERROR_LINE.test(line));
    // a reply the line quotes from the remote host ("Remote host said: 554 b@x: Relay access denied", qmail; Postfix's
    // "host x said: 550 ...") under a listed recipient is about that recipient, whatever address the host names in it
    const saidAt = current === null ? -1 : scanned.search(REMOTE_SAID);
    /** The reply code this line opens with, and the hyphen of a multi-line reply's line that is not its last. */
    const lineCode = REPLY_LINE.exec(line);
    const answersCurrent =
      current !== null &&
      (REASON_LINE.test(line) ||
        (TRANSCRIPT_REPLY_LINE.test(line) && RCPT_COMMAND_LINE.test(lines[index - 1] ?? '')) ||
        (lineCode !== null && introducesReplyBelow(lines[index - 1] ?? '')) ||
        (indent > entryIndent && (lineCode !== null || EXIM_STEP_LINE.test(line))));
    const original = current !== null && sinceAddress === 0 ? ORIGINAL_ADDRESS_LINE.exec(line) : null;
    if (original && FINAL_ADDRESS_LINE.test(lines[index - 1] ?? '') && !exclude.has(normalizeAddress(original[1]!))) {
      current = renameRecipient(order, segments, delivered, current!, original[1]!);
      segments.get(current)!.push(line);
      continue;
    }
    if (line.trim() === '') replyQuoted = false;
    // the lines of a multi-line reply after its first carry its code ("550-...", then "550 ..." last: RFC 5321 4.2.1)
    // and belong to it: an address there is the reply's words, as on its first line
    const inReply: boolean =
      continuesReply || answersCurrent || (openReplyCode !== null && lineCode?.[1] === openReplyCode);
    openReplyCode = inReply && current !== null && lineCode?.[2] === '-' ? lineCode[1]! : null;
    const found = recipientsNamedOn({
      lines,
      index,
      scanned,
      current,
      known: segments,
      exclude,
      stepNamesSender: foldedMailFrom,
      inReply,
      saidAt,
      replyHead,
      aliases,
    });
    // A line naming a new address starts its segment; a line repeating a known one (">>> RCPT To:<x>") returns to it.
    const next: string | undefined = found[0] === undefined ? undefined : normalizeAddress(found[0]);
    // A session transcript ("... while talking to mx.example.net.:") is about the recipient it names: its lines wait
    // for that address rather than going to the recipient above it. A session that names nobody goes nowhere, unless
    // it is the last one (a notice that lists its one recipient once, then the transcript).
    if (SESSION_HEADER.test(line)) {
      if (current) lastOwner = current;
      current = null;
      session = [line];
      continue;
    }
    if (next) {
      const isNew = !segments.has(next);
      if (isNew) {
        segments.set(next, []);
        order.push(found[0]!);
        if (reached && !FAILURE_AFTER_ADDRESS.test(scanned.slice(scanned.toLowerCase().indexOf(next) + next.length)))
          delivered.add(next);
      }
      const own = segments.get(next)!;
      const preface = isNew && !session ? entryPreface(lines, index, found[0]!) : [];
      if (session) own.push(...session);
      // Lotus Notes gives each failure its reason first, then the address on a line of its own, then a blank line
      // ("User not listed in public Name & Address Book\nkijitora@example.jp\n\n"): a paragraph that ends in a bare
      // address is about that address, not about the recipient of the paragraph before it; so is the pipe or file
      // above Exim's "generated by" line
      else if (preface.length > 0) {
        const before = current ? segments.get(current)! : [];
        if (preface.length < sinceAddress && endsWith(before, preface)) before.splice(-preface.length);
        own.push(...preface);
      }
      // Sendmail's one-line summary of a recipient ("554 <a@b>... 550 Host unknown") comes after the lines it sums
      // up ("550 example.net (smtp)... 550 Host unknown"): those are this recipient's, not the one's above it
      else if (current && current !== next && SENDMAIL_SUMMARY.test(line) && sinceAddress > 0)
        own.push(...segments.get(current)!.splice(-sinceAddress));
      const alone = isAddressAlone(line, found[0]!);
      if (isNew && current && current !== next && currentAlone && alone && sinceAddress === 0)
        listedAbove.set(current, next);
      currentAlone = alone;
      if (current !== next || isNew) entryIndent = indent;
      // a line of addresses and nothing else lists each of them (Office 365's "Couldn't deliver the message to the
      // following recipients:\nalpha@b, beta@b"): the lines after it are about all of them
      if (ADDRESS_LIST_LINE.test(line))
        for (const other of found.slice(1)) {
          const key = normalizeAddress(other);
          if (segments.has(key)) continue;
          segments.set(key, []);
          order.push(other);
          listedWith.set(key, next);
          if (reached) delivered.add(key);
        }
      session = null;
      current = next;
      sinceAddress = 0;
      replyQuoted = false;
    } else if (session) {
      session.push(line);
      continue;
    } else if (current) sinceAddress++;
    if (headEnd !== null || REPLY_CODE_AT_END.test(scanned)) replyQuoted = true;
    if (current) segments.get(current)!.push(line);
  }
  // (only when the notice lists one recipient: of several, the one above the session is no more its owner than another)
  if (session && lastOwner && order.length === 1) segments.get(lastOwner)!.push(...session);
  for (const [key, own] of segments) if (!delivered.has(key) && quotesOnlySuccess(own)) delivered.add(key);
  // a notice that lists no failure of its own names its recipient only in its summary of the message (Yahoo's "I'm
  // afraid I wasn't able to deliver the following message ...\n\nSubject: ...\nTo: a@b"), when it names one
  const addressees = new Set(summarised.map(normalizeAddress));
  if (order.length === 0 && addressees.size === 1) return [{ address: summarised[0]!, text: section }];
  const linesOf = (key: string): string[] => {
    const own = segments.get(key)!;
    const leader = listedWith.get(key);
    if (own.length === 0 && leader !== undefined) return segments.get(leader)!;
    // (an address listed above others keeps the line naming it, and takes the words under the last of the list when it
    // has none of its own)
    const last = lastListed(key);
    return last !== key && own.length === 1 ? [...own, ...segments.get(last)!.slice(1)] : own;
  };
  /** The last address of the list `key` heads; each link is then shortened to it, so a long list is walked once. */
  const lastListed = (key: string): string => {
    const walked: string[] = [];
    let last = key;
    // (no cycle: a link is only made to an address named for the first time)
    for (let next = listedAbove.get(last); next !== undefined; next = listedAbove.get(last)) {
      walked.push(last);
      last = next;
    }
    for (const k of walked) listedAbove.set(k, last);
    return last;
  };
  return order.map((address) => ({
    address,
    text: withoutLaterExchanges(linesOf(normalizeAddress(address)), address).join('\n'),
    ...(delivered.has(normalizeAddress(address)) ? { delivered: true as const } : {}),
  }));
}

/** A transcript's line quoting a command sent or a reply received ("<<< 554 5.5.1 Error: no valid recipients"). */
const EXCHANGE_LINE = new RegExp(`^[ \\t]*(?:${TRANSCRIPT_COMMAND}|${TRANSCRIPT_REPLY})`);

/** The reply code and enhanced code before the address in Sendmail's summary line. */
const SUMMARY_CODES = /^[ \t]*(?:[245]\d\d[ -](?:[245]\.\d{1,3}\.\d{1,3} )?)?/;

/**
 * The recipient's lines without the exchanges its session transcript quotes after its own summary of the failure
 * (Sendmail's "550 5.1.1 <a@b>... User unknown" or "<a@b>... Deferred: 452 ...", under the reply it sums up): those
 * answered later commands (DATA's "554 5.5.1 Error: no valid recipients" once every RCPT TO was refused, "503 Need
 * RCPT", the "421 ... too many errors" that closes the session), not this recipient's. Of several summaries (one per MX
 * host tried) the last is the verdict.
 */
function withoutLaterExchanges(lines: readonly string[], address: string): string[] {
  const own = address.toLowerCase();
  let summary = -1;
  lines.forEach((line, i) => {
    const rest = line.replace(SUMMARY_CODES, '').toLowerCase();
    if (rest.startsWith(`<${own}>... `) || rest.startsWith(`${own}... `)) summary = i;
  });
  return summary < 0 ? [...lines] : lines.filter((line, i) => i <= summary || !EXCHANGE_LINE.test(line));
}

/**
 * Names listed without a domain, one per indented line, under a failure sentence that introduces them ("Your mail to
 * the following recipients could not be delivered because ...:\n\tscreenname"): mailboxes at the notice's domain.
 */
export function bareNamesListed(text: string, domain: string): TextRecipient[] {
  if (!domain) return [];
  const lines = text.split('\n');
  const found: TextRecipient[] = [];
  for (let i = 0; i + 1 < lines.length && found.length === 0; i++) {
    if (!/:\s*$/.test(lines[i]!) || !statesFailureIn(sentenceEndingAt(lines, i))) continue;
    for (let j = i + 1; j < lines.length && /^[ \t]+[A-Za-z0-9][\w.+-]{0,63}\s*$/.test(lines[j]!); j++)
      found.push({ address: `${lines[j]!.trim()}@${domain}`, text: lines[i]! });
  }
  return found;
}
