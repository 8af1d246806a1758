// The copy of the original message a notice returns inline, after its own text: where it starts (a marker line, or a
// block of header fields), the notice's text without it (and without a signature under it), and the copy's header
// fields. Nothing in the copy describes the failure: it is the sender's own message.
import type { MessageHeader } from './bounce-message.js';
import { isReportFieldLine } from './dsn-fields.js';

/** Lines that start the returned copy of the original message: nothing after them describes the failure. */
const ORIGINAL_MESSAGE_MARKERS: readonly RegExp[] = [
  // two rule characters, not "{2,}": the same lines match, but a line of dashes is not rescanned once per dash. Smail
  // frames its banners in bars ("|---- Message text follows: ----|")
  /^[\s>|]*[-=_*]{2}.*(?:copy of (?:the |your )?(?:original )?message|original message|returned message|message text follows|undelivered message|unsent message|below this line|rfc822|message headers? follows?|headers? of (?:the |your )?(?:original|returned)|included message|message (?:header|body)|original mail|returned mail|forwarded message)/i,
  // and its first lines only ("The first 50 lines of your original message follow:")
  /^[\s>]*(?:-{2,} )?(?:the )?(?:first \d{1,5} lines of )?(?:your )?(?:original|returned|unsent|undelivered) (?:message|mail)(?: headers?)? (?:(?:as )?follows?\b|is (?:attached|below|included))/i,
  /^\s*(?:the )?(?:original )?(?:message )?headers? (?:of the (?:original )?message )?(?:follows?|below)[.:]?\s*$/i,
  /^\s*content-type:\s*message\/rfc822/i,
  /^\s*-{3,}\s*below this line is a copy of the message/i,
  /^\s*------ this is a copy of/i,
  /^\s*-+ ?(?:message|original) (?:headers|header) ?-+/i,
  /(?:included|attached|below) is a copy of (?:the |your )?(?:original )?message/i,
];

/**
 * Two header-like lines in a row (Received/Return-Path/...) also mean the copy has started: RFC 5322's fields, the
 * trace and authentication fields receivers add (RFC 7208 Received-SPF, RFC 8601 Authentication-Results, RFC 8617's
 * ARC set), MIME's and a mailing list's (RFC 2369).
 */
const HEADER_LINE =
  /^(?:return-path|received|received-spf|message-id|x-[\w-]+|dkim-signature|arc-[\w-]+|mime-version|content-type|content-transfer-encoding|authentication-results|date|from|sender|reply-to|to|cc|subject|in-reply-to|references|delivered-to|list-[\w-]+):\s?\S/i;

/** The index of the field after line i's (past its folded continuation lines). */
function nextField(lines: readonly string[], i: number): number {
  let j = i + 1;
  while (j < lines.length && /^[ \t]/.test(lines[j]!)) j++;
  return j;
}

/**
 * For each line, whether its paragraph (the lines between blank ones) holds a delivery report field: such a block is
 * the notice's own report pasted into its text, whatever extension fields it also has ("X-Postfix-Queue-ID",
 * "X-Postfix-Sender", Sendmail's "X-Actual-Recipient", RFC 3464 2.4), never a copied message header.
 */
function inReportParagraph(lines: readonly string[]): boolean[] {
  const marks = new Array<boolean>(lines.length).fill(false);
  let start = 0;
  let report = false;
  for (let i = 0; i <= lines.length; i++) {
    if (i === lines.length || lines[i]!.trim() === '') {
      if (report) marks.fill(true, start, i);
      start = i + 1;
      report = false;
    } else if (!report && isReportFieldLine(lines[i]!)) report = true;
  }
  return marks;
}

/** The index of the line where the returned copy starts, lines.length when there is none. */
function originalMessageStart(lines: readonly string[]): number {
  let report: boolean[] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (ORIGINAL_MESSAGE_MARKERS.some((re) => re.test(line))) return i;
    // a trace field (RFC 5321 4.4: "Received: from x by y") is only ever a copied header, even alone, and even quoted
    // as a reply quotes ("> Received: ...")
    if (/^(?:> ?)?received:\s{1,20}(?:from|by)\s/i.test(line) && i > 0) return i;
    if (/^(?:return-path|received):\s?\S/i.test(line) && i > 0) {
      if (HEADER_LINE.test(lines[nextField(lines, i)] ?? '')) return i;
    }
    // three header fields in a row, unindented ("From:", "To:", "Cc:", "Subject:"): a copy of the original's header,
    // whose addresses are its recipients, not the failed ones (a notice's own summary of the message is indented)
    if (i > 0 && HEADER_LINE.test(line)) {
      const second = nextField(lines, i);
      if (HEADER_LINE.test(lines[second] ?? '') && HEADER_LINE.test(lines[nextField(lines, second)] ?? '')) {
        report ??= inReportParagraph(lines);
        if (!report[i]) return i;
      }
    }
  }
  return lines.length;
}

export function cutOriginalMessage(text: string): string {
  const lines = text.split('\n');
  return lines.slice(0, originalMessageStart(lines)).join('\n');
}

/**
 * A signature separator (RFC 3676 4.3: "-- " alone on its line): what follows is a footer, a scanning gateway's stamp
 * ("This message has been scanned for viruses and dangerous content by MailScanner"), no account of the failure.
 */
const SIGNATURE_SEPARATOR = /^-- [ \t\r]*$/;

/**
 * The label of a line in a notice's summary of the original message, indented or bulleted ("  Subject:", "* From:"),
 * for the given field names.
 */
const summaryLabel = (names: string): string => String.raw`\s{0,40}(?:[*\u2022-]\s{0,4})?(?:${names})\s{0,20}[:：]`;

/**
 * A notice's line repeating the original's Subject (Exchange's "Your message\n\n  To: ...\n  Subject: ...", Apache
 * James's "Message details:\n  Subject: ...", Lotus Notes' delivery failure report "Your document:\t<subject>\nwas
 * not delivered to: ...", in the languages notices are written in): the sender's own words, not the notice's,
 * whatever failure they name ("Your account is suspended", "Card blocked").
 */
const QUOTED_SUBJECT = new RegExp(
  String.raw`^(${summaryLabel('subject|your document|betreff|objet|asunto|oggetto|onderwerp|assunto|件名|主题|主旨|제목')}).*$`,
  'i',
);

/**
 * ... and a line repeating one of its addresses with a display name ('From: "Fraud alerts" <alerts@bank.example>'):
 * the name is the sender's words too. The address and anything the notice writes after it stay.
 */
const QUOTED_DISPLAY_NAME = new RegExp(
  String.raw`^(${summaryLabel('from|to|cc|bcc|sender|reply-to|von|an|de|para|da|van|aan|差出人|宛先|发件人|收件人')}\s{0,20})` +
    String.raw`(?:"[^"\n]{0,200}"|[^"<>@\s][^"<>@\n]{0,199})\s{0,20}(?=<[^\s<>@]{1,64}@[^\s<>]{1,255}>)`,
  'i',
);

/** A line with a label's colon, the only lines either pattern above can match (a cheap test before them). */
const LABELLED = /[:：]/;

/**
 * The notice's own words: its text before the copy it returns inline and before a signature under it, with the
 * original's subject and display names it repeats left out (their labels kept, so the lines still read as a summary
 * of the message).
 */
export function noticeOwnText(text: string): string {
  const lines = text.split('\n');
  const copy = originalMessageStart(lines);
  const signature = lines.findIndex((line) => SIGNATURE_SEPARATOR.test(line));
  return lines
    .slice(0, signature >= 0 && signature < copy ? signature : copy)
    .map((line) =>
      LABELLED.test(line) ? line.replace(QUOTED_SUBJECT, '$1 \u2026').replace(QUOTED_DISPLAY_NAME, '$1') : line,
    )
    .join('\n');
}

/**
 * The header fields of a copy of the original returned inline, after the notice's text (old Sendmail's "----- Unsent
 * message follows -----", Exim's "------ This is a copy of the message, including all the headers. ------"): whom the
 * message was for, when the notice itself lists nobody. Only the copy's header block is read, folded fields joined.
 */
export function inlineCopyHeader(text: string): MessageHeader[] {
  const lines = text.split('\n');
  let i = originalMessageStart(lines);
  if (i === lines.length) return [];
  // the marker line itself, unless the copy starts with a header field
  if (!HEADER_LINE.test(lines[i]!)) i++;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  // the header block ends at its first blank line; a continuation line may have lost its indent (an HTML notice)
  const found: MessageHeader[] = [];
  while (i < lines.length && lines[i]!.trim() !== '') {
    const end = nextField(lines, i);
    const field = lines.slice(i, end).join(' ');
    const colon = field.indexOf(':');
    if (colon > 0)
      found.push({ name: field.slice(0, colon).trim().toLowerCase(), value: field.slice(colon + 1).trim() });
    i = end;
  }
  return found;
}
