// Finding the SMTP reply code and the RFC 3463 enhanced status code inside free diagnostic text, and the SMTP
// command a rejection answered (the command changes the meaning: "user unknown" after DATA is a content filter).

import { indentOf } from './text-match.js';

/**
 * An RFC 3463 enhanced code in free text. Its subject is one digit, 0 to 7, so "Postfix 2.11.3" holds none; a "v", a
 * digit or a dot before it makes it part of a version or an address ("ScanMail v5.1.2", "192.0.2.1"), and so does a
 * name joined by a hyphen ("/mail/mailman-2.1.6/mail/mailman": a package's folder), where a reply's "550-5.7.1" is not.
 */
const ENHANCED = /(?:^|[^\d.vV])(?<![A-Za-z]-)([245])\.([0-7])\.(\d{1,3})(?![\d.]*\d)/;

/**
 * Not inside an IPv6 address: a group after "::" or after another group and its colon ("2001:db8::450 blocked") is
 * no reply code, though it follows a colon as a reply does ("said:550"). RFC 4291 2.2: groups of one to four hex
 * digits.
 */
export const NOT_IN_IPV6 = String.raw`(?<!\b[0-9A-Fa-f]{1,4}:|::)`;

// A reply code is three digits that start a reply: at the start, after "said:", "<<<", "smtp;" or a bracket, and
// followed by a space (or two), a hyphen or Apache James's " - " and then more reply text (so "port 587", an IP address
// or a number that ends a line, such as a notice's "Size (in bytes): 222", never qualify). Reply text may open with an
// enhanced code outside RFC 3463's classes ("554 6.6.0 Error sending message"), or one a report cut ("554 5.7."). A
// notice that folds its long lines may break the line right after the code ("said: 550\n    5.1.1 <a@b>..."): an
// indented continuation is the reply text too, unless it is another field of a summary, a label with one word for its
// value (Apache James's "  Size (in bytes): 512" over "  Number of lines: 3"). A line wrapped without an indent goes on
// with the reply only where it opens with the enhanced code ("[554\n5.4.6 Hop count exceeded]"): a number that ends a
// line of prose is no code. Reply text may open with stars ("550 **
// No mail box available **").
// A "#" before the code counts only where it starts a word: a link's fragment ("docs/DOC-1369#550", Mimecast) is none.
// A multi-line reply joined onto one line keeps each line's "550-" (RFC 5321 4.2.1), blank lines too ("550- 550-
// The account ... doesn't exist 550 Thanks!"): its first line starts the reply, not the last one. Nor is a program's
// exit status one ("Child process of address_pipe transport returned 255 (could mean ...)", Exim's pipe transport),
// nor a count the words give ("limit of 400 rcpts per 24 hours", "more than 500 messages", "max 450 recipients").
const REPLY = new RegExp(
  String.raw`(?:^|[\s:;(<>"'[]|(?<![\w/.-])#)${NOT_IN_IPV6}(?<!\btransport returned )(?<!\b(?:[Oo]f|[Mm]ax(?:imum)?|[Tt]han|[Ll]imit|[Oo]ver|[Aa]bout) )([245][0-5]\d)(?:[ -]| - |: | {2}|-[ \t]{1,8}|\n(?:[ \t]{1,12}(?![A-Za-z][^\n:]{0,40}:[ \t]*[^\s:]{0,40}[ \t]*$)|(?=[245]\.\d{1,3}\.\d)))(?=[245]\.\d|\d\.\d{1,3}\.\d|[A-Za-z<#(['"*]|[245][0-5]\d-)`,
  'm',
);

// The arrows of a session transcript: Sendmail and Courier write ">>> RCPT To:<a@b>" for what was sent and "<<< 550
// ..." for the reply, MDaemon "--> RCPT To:<a@b>" and "<-- 550 ...".
const SENT_ARROWS = ['>>>', '-->'] as const;
const RECEIVED_ARROWS = ['<<<', '<--'] as const;
export const TRANSCRIPT_COMMAND = `(?:${SENT_ARROWS.join('|')})`;
export const TRANSCRIPT_REPLY = `(?:${RECEIVED_ARROWS.join('|')})`;

/**
 * A transcript's successful step ("<<< 250 2.1.5 <a@b>... Recipient ok", "354 Enter mail", MDaemon's timestamped
 * "Thu 2010-04-29 23:34:45: <-- 250 Ok"): Sendmail, Courier, MDaemon and others quote the whole session before the
 * reply that failed, and a failure's codes and addresses never come from these lines. Without an arrow the code opens
 * the line, after three spaces at most (MDaemon indents its transcript by one, its 3.x releases by three): a line
 * indented deeper is a folded line's continuation, whatever number it starts with (Postfix and Exim fold with four
 * spaces: "... said: 452 4.2.2 more than\n    200 messages in past 1m0s ...").
 */
const SUCCESS_REPLY_LINE = new RegExp(
  String.raw`^(?:[^<\n]{0,60}${TRANSCRIPT_REPLY}[ \t]*|[ \t]{0,3})([23])\d\d(?:[ -]|$)`,
);

export const isSuccessReplyLine = (line: string): boolean => SUCCESS_REPLY_LINE.test(line);

/**
 * A transcript's step that completed (RFC 5321 4.2.1's class 2, "250 ok"), not one that asks for more (class 3, "354
 * Start mail input").
 */
export const isCompletionReplyLine = (line: string): boolean => SUCCESS_REPLY_LINE.exec(line)?.[1] === '2';

/** The text without its successful transcript steps: what a failed recipient's codes are read from. */
export function withoutSuccessReplies(text: string): string {
  return text
    .split('\n')
    .filter((line) => !SUCCESS_REPLY_LINE.test(line))
    .join('\n');
}

/** First enhanced status code in the text, e.g. "5.1.1", or null. */
export function findEnhancedStatus(text: string): string | null {
  const m = ENHANCED.exec(text);
  return m ? normalStatus(`${m[1]}.${m[2]}.${m[3]}`) : null;
}

/** A reply code's or enhanced status's class: '5' permanent, '4' temporary, '2' success. */
export type StatusClass = '2' | '4' | '5';

/** The class of a reply code or enhanced status, from its first character; null when it has none. */
export function statusClassOf(code: string | null | undefined): StatusClass | null {
  const c = code?.[0];
  return c === '2' || c === '4' || c === '5' ? c : null;
}

/** An enhanced status code as written with its leading zeros dropped: "5.01.001" → "5.1.1". */
export const normalStatus = (status: string): string => status.split('.').map(Number).join('.');

/**
 * What a server may put between its codes and its words, each optional: the address it echoes ("550 5.2.1 <a@b>:
 * Mailbox unavailable", Sendmail's "<a@b>... User unknown"), which says whom the words are about, and a word of
 * courtesy or a label ("Sorry, ", qmail's habit; "Error: ", Postfix's; "Rejected: ", "Reason: "), which says nothing of
 * why: for patterns that read a reply's words from their start.
 */
export const BEFORE_THE_WORDS = String.raw`(?:<?[^\s<>@]{1,64}@[^\s<>]{1,255}?>?(?::|\.{3}) +)?(?:(?:sorry|error|rejected|reason)[,:] +)?`;

/** A reply's codes, each optional ("550 5.2.1 ", "550-5.7.1 ", qmail's "554 #5.1.3 "). */
export const REPLY_CODES = String.raw`(?:\d{3}[ -]+)?(?:#?[45]\.\d{1,3}\.\d{1,3}[ -]+)?`;

/** A reply's codes and what comes before its words: for patterns that read what a reply opens with. */
export const REPLY_CODES_FIRST = String.raw`^${REPLY_CODES}${BEFORE_THE_WORDS}`;

/** No enhanced code, or only RFC 3463's catch-all x.0.0 ("other undefined status"): the code names no cause. */
export const namesNoCause = (status: string | null): boolean => status === null || /^[45]\.0\.0$/.test(status);

/**
 * The verb with which a notice hands over to the remote host's reply, up to its colon: "host mx.example.net said:",
 * "replied:", MailFoundry's "mx.example.net[192.0.2.1] responded with failure:", Gmail's "The error that the other
 * server returned was:".
 */
export const REMOTE_REPLY_VERB = String.raw`(?:said|replied|responded(?: with(?: failure| error)?)?|answered|returned(?: was)?|reported):`;

/**
 * A reply quoted after the words that introduce one (Postfix's "said:", a report's "smtp;", "Remote SMTP Server
 * Returned:"): there the code needs no reply text of a known shape after it (RFC 5321 4.2: any text), "said: 552 1
 * Requested mail action aborted", "said: 554 30", or the text on the next line, which may look like a field
 * ("Returned: 550\n    Requested action not taken: mailbox unavailable"). A fold may come before the code too.
 */
const REPLY_AFTER_LEAD_IN = new RegExp(
  String.raw`(?:\b${REMOTE_REPLY_VERB}|\bsmtp;)\s{0,24}([245][0-5]\d)(?=[ \t-]|\s*$)`,
  'im',
);

/** First SMTP reply code in the text, e.g. "550", or null. */
export function findReplyCode(text: string): string | null {
  return REPLY.exec(text)?.[1] ?? REPLY_AFTER_LEAD_IN.exec(text)?.[1] ?? null;
}

/** The steps of an SMTP session a reply can answer (RFC 5321 3.1-3.3): the greeting, HELO/EHLO, MAIL, RCPT, DATA. */
export const SMTP_COMMANDS = ['CONN', 'HELO', 'MAIL', 'RCPT', 'DATA'] as const;
export type SmtpCommand = (typeof SMTP_COMMANDS)[number];

/**
 * The space between two words of a step's name: a notice folds its long lines ("(in reply to end of\n    DATA
 * command)", as Postfix wraps at 80 columns), so a line break and the next line's indent count as one space, the
 * indent of a line that was indented already too (Exim's reply lines, four spaces, refolded with eight more).
 */
const SP = String.raw`\s{1,24}`;

/** A case-insensitive pattern from words, each space standing for SP. */
const folded = (words: string): RegExp => new RegExp(words.replaceAll(' ', SP), 'i');

/**
 * A command named by the words that introduce the reply to it, by a transcript's arrow, or as what the reporting
 * MTA sent (hMailServer's "hMailServer sent: RCPT TO:<a@b>" above "Remote server replied: 550 ...").
 */
const afterStep = (command: string): RegExp =>
  folded(String.raw`(?:in reply to|after|\bsent:|${TRANSCRIPT_COMMAND})\s{0,24}${command}`);

/** Gmail's "(state N)" after a remote reply, by the SMTP step the number stands for (see COMMAND_PATTERNS). */
export const GMAIL_STATE = {
  MAIL: folded(String.raw`\(state 6\)`),
  RCPT: folded(String.raw`\(state 14\)`),
  DATA: folded(String.raw`\(state 1[578]\)`),
} as const;

// Each MTA words it differently: Postfix "(in reply to RCPT TO command)", Exim "after RCPT TO:<...>",
// Sendmail ">>> DATA", MDaemon's transcript "--> DATA", qmail "(#5.1.1)" carries none. The last command mentioned
// is the one that failed.
const COMMAND_PATTERNS: ReadonlyArray<[SmtpCommand, RegExp]> = [
  ['DATA', /smtp(?: command:?|:)\s*data\b/i],
  ['RCPT', /smtp(?: command:?|:)\s*rcpt\b/i],
  ['MAIL', /smtp(?: command:?|:)\s*mail\b/i],
  ['DATA', afterStep(String.raw`(?:end of |the )?(?:data|message body|end of message|\.)(?:\b| command)`)],
  ['RCPT', afterStep(String.raw`rcpt(?: to)?\b`)],
  ['MAIL', afterStep(String.raw`mail(?: from)?\b`)],
  ['HELO', afterStep(String.raw`(?:ehlo|helo)\b`)],
  ['CONN', folded('(?:in reply to|after) (?:initial connection|connect(?:ing|ion)?|greeting|banner)')],
  // qmail-remote's fixed sentences (qmail 1.03 qmail-remote.c) name the step instead of the command: "<host> does
  // not like recipient.", "Connected to <host> but sender was rejected.", "<host> failed after I sent the
  // message.", "... but my name was rejected.", "... but greeting failed."; Gmail's older notices say "<host> did
  // not like our RCPT TO:"
  ['RCPT', folded(String.raw`does not like recipient|did not like our rcpt\b`)],
  ['MAIL', folded(String.raw`but sender was rejected|did not like our mail\b`)],
  ['DATA', folded(String.raw`failed after i sent the message|did not like our data\b`)],
  ['HELO', folded('but my name was rejected')],
  ['CONN', folded('but greeting failed')],
  // Postfix's SMTP client when the server's greeting is not a 220 ("host mx.example.org[192.0.2.1] refused to talk to
  // me: 554 ...", smtp_proto.c)
  ['CONN', folded('refused to talk to me')],
  // IMail's sentences introducing the remote reply name the step it answered ("Additional RCPT TO generated following
  // response:", "Server response to MAIL FROM:", "DATA command generated response:", "Unexpected response to
  // EHLO/HELO:", "SMTP connection failed, Unexpected connection response from server:")
  ['RCPT', folded('additional rcpt to generated following response')],
  ['MAIL', folded('server response to mail from')],
  ['DATA', folded('data command generated response')],
  ['HELO', folded('unexpected response to (?:ehlo|helo)')],
  ['CONN', folded('unexpected connection response from server')],
  // Gmail's older notices end the remote reply with the SMTP state it came in ("... Mailbox Full (state 14)."): 6
  // after MAIL FROM, 14 after RCPT TO, 15, 17 and 18 at DATA (the numbers as the reference library's Gmail table
  // reads them, from Gmail's notices quoted in its help forum). Its state 13, which that table puts after EHLO, is
  // not read as a step: the replies quoted under it ("550 5.7.1 <a@b>... Access denied") name a recipient
  ['MAIL', GMAIL_STATE.MAIL],
  ['RCPT', GMAIL_STATE.RCPT],
  ['DATA', GMAIL_STATE.DATA],
  // Yahoo's notices end the remote reply with the step it answered in brackets: "... User Unknown [RCPT_TO]"
  ['RCPT', /\[rcpt_to\]/i],
  ['MAIL', /\[mail_from\]/i],
  ['DATA', /\[(?:data|body)\]/i],
  ['HELO', /\[(?:ehlo|helo)\]/i],
  ['CONN', /\[connect\]/i],
  // SendGrid's notices end the remote reply with the step it answered, after two blanks, at the line's end:
  // "550 5.1.1 <a@b>... User Unknown  in RCPT TO", "... in MAIL FROM", "... in End of DATA"
  ['RCPT', /[ \t]in rcpt to(?=[ \t]*(?:\n|$))/i],
  ['MAIL', /[ \t]in mail from(?=[ \t]*(?:\n|$))/i],
  ['DATA', /[ \t]in end of data(?=[ \t]*(?:\n|$))/i],
];

/**
 * A command a reply or a transcript names by its verb alone, in capitals as SMTP writes it ("550 5.1.1 Unknown user
 * (RCPT)", "Error following RCPT command", "RCPT TO:<a@b> 550 ..."), not inside a word, an address or a host name
 * ("DATABASE@", "mail.example") or a field's name ("HELO=[host]" in a header a reply quotes). The latest step of the
 * session among those named is the one that failed. The reference library reads a reply's text so too (Sisimai 5,
 * SMTP/Command.pm).
 */
const BARE_COMMANDS: ReadonlyArray<[SmtpCommand, RegExp]> = [
  ['DATA', /(?<![\w@.-])DATA(?![\w@.=-])/],
  ['RCPT', /(?<![\w@.-])RCPT(?![\w@.=-])/],
  ['MAIL', /(?<![\w@.-])MAIL FROM(?![\w@.=-])/],
  ['HELO', /(?<![\w@.-])(?:EHLO|HELO)(?![\w@.=-])/],
];

export function namedCommand(text: string): SmtpCommand | null {
  return BARE_COMMANDS.find(([, re]) => re.test(text))?.[0] ?? null;
}

/** The SMTP command the failure answered, when the text says. */
export function findCommand(text: string): SmtpCommand | null {
  let best: { cmd: SmtpCommand; at: number } | null = null;
  for (const [cmd, re] of COMMAND_PATTERNS) {
    const g = new RegExp(re.source, 'gi');
    for (const m of text.matchAll(g)) {
      if (!best || m.index > best.at) best = { cmd, at: m.index };
    }
  }
  return best?.cmd ?? null;
}

/** Sendmail's note of the reply under each failed address, in a notice without a report ("(reason: 554 5.7.1 ...)"). */
const SENDMAIL_REASON_NOTE = /\(reason: ([245]\d\d\b[^\n)]{0,57})/i;

/** The line that opens a session transcript: Sendmail's "... while talking to mx.example.net.:" (V5: "While talking"). */
export const SESSION_HEADER = /^\s{0,20}(?:\.\.\.\s{0,4})?while talking to\b/i;
const SESSION_HEADERS = new RegExp(SESSION_HEADER.source, 'gim');

/**
 * The step a session transcript shows the reply answered, for a recipient whose own lines name none: Sendmail's
 * "... while talking to mx.example.net.:\n>>> MAIL From:<s@x>\n<<< 550 ..." names no recipient when the sender or the
 * message was refused. The step is the command sent last before the line that quotes the recipient's reply; none
 * sent since the session opened means the reply was the server's greeting ("... while talking to mx.example.net.:\n<<<
 * 554 5.7.1 Delivery not authorized"), its refusal of the connecting host (RFC 5321 3.1).
 */
export function transcriptStepOfReply(transcript: string, reply: string): SmtpCommand | null {
  const first = reply.trim().split('\n', 1)[0]!;
  const head = (/^[245]\d\d\b/.test(first) ? first : (SENDMAIL_REASON_NOTE.exec(reply)?.[1] ?? '')).slice(0, 60);
  if (head === '') return null;
  for (const arrow of RECEIVED_ARROWS) {
    const at = transcript.indexOf(`${arrow} ${head}`);
    if (at < 0) continue;
    const before = transcript.slice(Math.max(0, at - 1000), at);
    const sent = Math.max(...SENT_ARROWS.map((a) => before.lastIndexOf(a)));
    let opened = -1;
    for (const m of before.matchAll(SESSION_HEADERS)) opened = m.index;
    if (opened > sent) return 'CONN';
    return sent < 0 ? null : findCommand(before.slice(sent));
  }
  return null;
}

// Bounce prose wraps the remote server's words in the MTA's own ("Google tried to deliver your message, but it
// was rejected by the server for the recipient domain ..."), and those wrapper words would match rules of their
// own. These phrases introduce the remote reply itself. A phrase that reaches to a colon reads at most 300 characters
// for it, so a line repeating the phrase without one costs no more than a line of ordinary text.
const REPLY_INTRODUCERS: readonly RegExp[] = [
  folded('the error that the other server returned was:'),
  folded(
    String.raw`smtp error from remote (?:mail )?server (?:after|in reply to) [\s\S]{0,300}?:\s{0,20}(?=[245]\d\d|\n)`,
  ),
  new RegExp(String.raw`\b${REMOTE_REPLY_VERB}`, 'i'),
  // Exchange quotes the reply with no colon ("Remote Server returned '554 5.0.0 <mx #5.0.0 smtp; 550-5.7.1 ...>'",
  // or with no reply of its own before the relay's, "'<mx #5.0.0 smtp; 550 ...>'"): read before the rule below, which
  // would take the first colon inside the reply for the end of its introduction
  /\bremote server returned '(?=[245]\d\d|<)/i,
  folded(
    String.raw`(?:remote|destination) (?:server|host|mta|system) (?:replied|said|responded|returned|answered)[^:\n]{0,300}:`,
  ),
  /<<<\s*(?=[245]\d\d)/,
  folded(String.raw`did not like our [^\n]{0,300}:`),
  /diagnostic[- ]code:\s*(?:smtp;)?/i,
  // IMail's sentences before the remote reply, on the lines below them (the steps they name are read above)
  folded(
    String.raw`(?:generated (?:following )?response|server response to mail from|unexpected response to (?:ehlo|helo)(?:/(?:ehlo|helo))?|unexpected connection response from server)\s{0,4}:`,
  ),
  // Gmail's notices put what happened after this heading, with no reply code when no server answered
  folded('technical details of (?:temporary|permanent) failure:'),
  // Exchange Online's "Error Details" ("Error: 554 5.7.1 ...", "Reported error: 550 5.1.10 ..."), below the advice
  // its notices give for every refusal of the kind ("If the error mentions SPF, DKIM, or DMARC ..."), which is no
  // word of the reply
  /\berror:\s{0,20}(?=[245]\d\d[ -])/i,
];

const START_REPLY = /^\s{0,20}[245][0-5]\d[ -](?:[245]\.\d{1,3}\.\d{1,3} )?<[^<>\s]{1,320}>/;

/**
 * Exim names the server before its reply ("host mx.example.net [192.0.2.1]: 550 ..."): the name and address are
 * the destination's, not words of the reply (an IP in a reply is what a refusal of the sending host names).
 */
const HOST_PREFIX = /^\s{0,20}host [^\s[\]]{1,255} \[[0-9a-f.:]{2,45}\]:\s{0,20}/i;

/**
 * qmail-send's own sentences, which it writes on the lines right after qmail-remote's "Remote host said: ..." with no
 * blank line between (qmail 1.03 qmail-send.c): "Giving up on <ip>." and, when the queue lifetime ran out, "I'm not
 * going to try again; this message has been in the queue too long." They are the reporting MTA's, not the reply's.
 */
const REPORTER_LINE = /\n[ \t]*(?:giving up on |i'm not going to try again)/i;

/** The reply that follows an introducer: without Exim's naming of the host, up to the end of its paragraph. */
function introducedReply(reply: string): string {
  const m = HOST_PREFIX.exec(reply);
  const rest = m ? reply.slice(m[0].length) : reply.trimStart();
  // the reply is its paragraph: a blank line ends it, and what follows is the notice's prose again
  const end = /\n[ \t]*\n/.exec(rest)?.index ?? rest.length;
  const reporter = REPORTER_LINE.exec(rest)?.index ?? rest.length;
  return rest.slice(0, Math.min(end, reporter));
}

/**
 * A reply's own lines: its first, and any continuation (indented, or a multi-line reply's "550-..."/"550 ..." lines);
 * a line after them is the reporting MTA's text again. `indent` is the indentation of the line the reply starts on: a
 * line indented less opens the listing's next entry (Exim indents each address by two, its host and reply by four).
 */
export function replyLines(reply: string, indent = 0): string {
  const lines = reply.trimStart().split('\n');
  let end = 1;
  const continues = (line: string): boolean =>
    /^(?:\s|[245]\d\d[ -])/.test(line) && (line.trim() === '' || indentOf(line) >= indent);
  while (end < lines.length && continues(lines[end]!)) end++;
  return lines.slice(0, end).join('\n');
}

/**
 * Where a reply quoted on a line starts: a failure's code at the line's start or after a blank, colon, semicolon or
 * bracket, then a space or a hyphen ("550 ...", "said: 550-...", "(554 ...").
 */
export const QUOTED_REPLY_START = String.raw`(?:^|[\s:;([])${NOT_IN_IPV6}[45]\d\d[ -]`;

/**
 * Whether a line ends with the notice's words that introduce the remote reply, which then stands on the lines below
 * ("mx.example.net [192.0.2.25] did not like our RCPT TO:", "... host mx.example.net said:").
 */
export function introducesReplyBelow(line: string): boolean {
  const text = `${line.trimEnd()}\n`;
  return REPLY_INTRODUCERS.some((re) => {
    const m = re.exec(text);
    return m !== null && text.slice(m.index + m[0].length).trim() === '';
  });
}

/** The remote server's own reply inside a diagnostic, or null when the text has no recognisable one. */
export function remoteReply(text: string): string | null {
  // A diagnostic that itself starts with a reply (Sendmail's per-recipient line "554 <a@b>... 550 Host unknown") is
  // that reply: a transcript quoted after it ("<<< 421 ...") belongs to another step or another recipient.
  if (START_REPLY.test(text)) return replyLines(text);
  for (const re of REPLY_INTRODUCERS) {
    const m = re.exec(text);
    if (m) return introducedReply(text.slice(m.index + m[0].length));
  }
  // (the reply is its paragraph, as after an introducer: what a notice writes below a blank line is its own again,
  // m-FILTER's "-------SMTP command", Trend Micro's "...")
  const code = REPLY.exec(text);
  if (!code) return null;
  const reply = text.slice(code.index);
  const end = /\n[ \t]*\n/.exec(reply)?.index;
  return end === undefined ? reply : reply.slice(0, end);
}

/** A transcript's reply line ("<<< 550-5.7.1 ...", "<-- 550 ..."): its arrow, then the line as the server sent it. */
const TRANSCRIPT_REPLY_TEXT = new RegExp(String.raw`^[ \t]*${TRANSCRIPT_REPLY}[ \t]?(.*)$`);

/** At most this many lines of one reply are taken from a transcript (real multi-line replies have a handful). */
const MAX_CONTINUED_LINES = 40;

/**
 * Sendmail's Diagnostic-Code holds only the first line of a multi-line reply ("550-5.7.1 [192.0.2.1 7] Our system has
 * detected that this message is"), cut before the words of its cause; its transcript of the session quotes the whole
 * reply ("<<< 550-5.7.1 ...", then each continuation, then "<<< 550 5.7.1 ..."), as RFC 5321 4.2.1 writes it. Such a
 * diagnostic is read whole from the transcript; any other is returned as it is.
 */
export function completedFromTranscript(diagnostic: string, notice: string): string {
  const first = diagnostic.trim();
  const code = /^([245]\d\d)-/.exec(first)?.[1];
  if (code === undefined || first.includes('\n')) return diagnostic;
  const lines = notice.split('\n');
  const start = lines.findIndex((line) => TRANSCRIPT_REPLY_TEXT.exec(line)?.[1]?.trim() === first);
  if (start < 0) return diagnostic;
  const whole: string[] = [];
  for (const line of lines.slice(start, start + MAX_CONTINUED_LINES)) {
    const text = TRANSCRIPT_REPLY_TEXT.exec(line)?.[1]?.trim();
    if (text === undefined || !text.startsWith(code)) break;
    whole.push(text);
    if (text[3] !== '-') break;
  }
  return whole.join('\n');
}
