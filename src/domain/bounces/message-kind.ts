// Which kind of message arrived at the bounce address: a complaint report, a bounce, an auto-reply, or ordinary
// mail. Each test is a table of header facts, checked in that order (a bounce may carry Auto-Submitted too).
import { DELIVERY_STATUS_TYPES, headerValue, type BounceMessage, type MessageHeader } from './bounce-message.js';
import { cutOriginalMessage } from './returned-copy.js';
import { anyOf, asOneLine, negationsWrittenOut } from './text-match.js';

/**
 * Subjects of delivery-failure notices, in the languages the corpus of real MTAs shows, and those the MTAs' own
 * templates give them: Postfix's delay notice (bounce.cf.default's delay_template), Courier's delay warning, Domino's
 * "DELIVERY_FAILURE:", Exchange 2007's French and Italian NDRs, Exim's notices of a malformed message and of a
 * forwarding or filter error, McAfee's gateway's "Delivery Status", and Barracuda's notice of a refusal by its filter.
 */
const BOUNCE_SUBJECTS: readonly RegExp[] = [
  /undeliver(?:able|ed)/i,
  /delivery[ _](?:status )?(?:notification|failure|failed|has failed|report|problem)/i,
  /^delayed mail\b/i,
  /^warning: delayed mail/i,
  /^(?:non_remis_|non recapitabile):/i,
  /^mail failure\b/i,
  /error\(s\) in forwarding or filtering/i,
  /^delivery status$/i,
  /blocked by our bulk e-?mail filter/i,
  /returned mail/i,
  /failure notice/i,
  /mail delivery (?:failed|system|subsystem|error)/i,
  /non[- ]?deliver/i,
  /could not (?:be )?deliver/i,
  /delivery notification/i,
  /nondeliverable/i,
  /message (?:not delivered|delivery failed|rejected)/i,
  /rejected:/i,
  /warning: could not send/i,
  /mail (?:could not|failed|not delivered)/i,
  /\bbounced?\b/i,
  /fail(?:ed|ure)? (?:mail|delivery)/i,
  /delivery (?:has )?been delayed/i,
  /^warning: message (?:.{0,300} )?delayed/i,
  // (Exchange's and Outlook's delay notice: "Delayed: <the subject>")
  /^delayed\s{0,3}:/i,
  /delivery (?:status )?(?:delay|warning)/i,
  /nicht zustellbar/i,
  /non remis/i,
  // Exchange's translated "Undeliverable:" (German, Spanish, Dutch, Swedish, Danish, Norwegian, Portuguese, Polish,
  // Czech), and French and Polish subjects ("Impossible d'envoyer l'email", "Wiadomość niedoręczona")
  /^(?:unzustellbar|no se puede entregar|onbestelbaar|olevererbart|kan ikke leveres|ikke levert|n[ãa]o [ée] poss[íi]vel entregar|niedostarczalne|nedoru[čc]iteln[ée])\s{0,3}:/i,
  /impossible d'(?:envoyer|acheminer|distribuer)|niedor[ęe]czon|niedostarczon/i,
  // ... and in more of the languages Exchange and webmail providers write them in: Russian ("Не удается доставить:",
  // Yandex's "Недоставленное сообщение"), Portuguese and Spanish ("Não entregue:", "Sin entregar:", "Aviso de mensaje
  // no entregado"), Dutch (Postfix's translated "Niet-bezorgde mail teruggestuurd naar afzender" and "Vertraagde
  // mail"), French ("Remise retardée"), Chinese ("退信", returned mail: QQ's "来自qq.com的退信", Coremail's "系统退信")
  // and Korean ("메일 발송 실패", sending failed)
  /не удается доставить|недоставленное сообщение|n[ãa]o entregue\s{0,3}:|^sin entregar\s{0,3}:|mensaje no entregado|niet[- ]bezorgd|^vertraagde mail\b|remise retard[ée]e|退信|(?:발송|전송) ?실패/i,
  // English words for the same the list above misses: a delivery deferred or delayed, a failure to deliver
  /mail delivery deferred|\bdelayed delivery\b|\bfailed to deliver\b|\bfailure when sending\b|\binbound mail failure\b/i,
  /配信|不達|エラー/,
  /^error/i,
  /^\s*notice/i,
  /^(?:mail )?system error/i,
  /\berror (?:sending|delivering) (?:your )?(?:mail|message|e-?mail)/i,
  /postmaster notify/i,
  /your message (?:to .{0,300}? )?(?:could not|was not|has been)/i,
  /\bdsn\b/i,
];

/**
 * Senders of notices: the daemons' usual names, and the names products give their own (Courier's "Courier mail server
 * at <host>", Trend Micro InterScan's "InterScan MSS" and "InterScan Notification", an unnamed MTA's "Mail Deliver
 * System").
 */
const DAEMON_SENDERS =
  /(?:mailer[- ]?daemon|post_?master|mail deliver(?:y)? (?:system|subsystem)|mail-daemon|daemon@|bounce|mail administrator|microsoftexchange|noreply-dmarc|mail\.delivery|courier mail server at|interscan (?:mss|notification))/i;

/**
 * Media types of a returned copy of a message: whole, or its header section only (RFC 6522, RFC 5965), and their
 * internationalised forms (RFC 6532).
 */
const RETURNED_COPY_TYPES: ReadonlySet<string> = new Set([
  'message/rfc822',
  'text/rfc822-headers',
  'message/rfc822-headers',
  'message/global',
  'message/global-headers',
]);

/**
 * The field Microsoft's Junk Mail Reporting Program (Outlook.com, Hotmail) adds to a reported message, naming the
 * mailbox that reported it: JMRP sends the message itself with it, or attaches it under a "complaint about message"
 * subject.
 */
export const JMRP_RECIPIENT = 'x-hmxmroriginalrecipient';

export function isFeedbackReport(msg: BounceMessage): boolean {
  const ct = headerValue(msg.headers, 'content-type') ?? '';
  if (/report-type\s*=\s*"?feedback-report/i.test(ct)) return true;
  if (headerValue(msg.headers, JMRP_RECIPIENT) !== undefined) return true;
  if (msg.parts.some((p) => p.type === 'message/feedback-report')) return true;
  // Pre-ARF complaint loops (Hotmail's JMRP and similar): a complaint subject with the offending message, or only
  // its header, attached.
  const subject = headerValue(msg.headers, 'subject') ?? '';
  if (
    /complaint about message|\b(?:abuse|spam|complaint) report\b/i.test(subject) &&
    msg.parts.some((p) => RETURNED_COPY_TYPES.has(p.type))
  )
    return true;
  // Apple Mail's one-click unsubscribe arrives as a plain message flagged in the headers: an opt-out complaint.
  return /^true$/i.test(headerValue(msg.headers, 'x-apple-unsubscribe') ?? '');
}

/**
 * Sentences that state a delivery failure, whatever the MTA: read in a notice that neither a report type, a
 * subject nor a daemon sender marks as a bounce (a gateway's own notice: KDDI/au's "Could not be delivered to:",
 * an unnamed MTA's "Unable to deliver message to the following address(es)", SurfControl's "Your message could not be
 * sent. ... --- Message non-deliverable.", Gmail's cards "Your message to a@b has been blocked" and "There was a
 * temporary problem delivering your message to a@b"), and in a notice's lines, where they
 * start the failures again after a list of recipients that were reached.
 */
const FAILURE_SENTENCES = anyOf(
  /could not be (?:delivered|sent)|(?:un|non-?)deliverable|(?:(?:was|were) not|(?:has|have) not (?:yet )?been) delivered to|not (?:be |been )?delivered|unable to deliver|failed to deliver|delivery (?:to the following [^\n]{0,40})?(?:has )?failed|(?:has|had|have) failed|permanent (?:error|failure|fatal)|returned to sender|following (?:address|recipient)\S{0,6} (?:failed|could not|was not)|did not reach|cannot be (?:delivered|reached)|could not be reached|(?:had|was|were|encountered) (?:an? )?(?:temporary |permanent |fatal )?(?:error|problem|trouble)s? (?:delivering|sending)|\bmessage to \S{1,320} (?:has been|was) (?:blocked|rejected|refused)\b|(?:error|problem) (?:has )?occurred while (?:attempting|trying) to deliver|\bnot a valid (?:user|recipient|mailbox|address|account)\b|\b(?:weren't|were not|wasn't|was not) able to post\b|\bremote server returned '[45]\d\d\b/i,
  // the same statement where the notice speaks its reader's language: German, French, Spanish, Italian, Portuguese,
  // Dutch, Polish, Russian, Chinese, Japanese and Korean ("Ваше письмо не может быть доставлено адресату a@b" from a
  // Russian robot under the null reverse-path; Gmail's Korean card "... 메일이 전송되지 않았습니다", NAVER's "전송
  // 실패했습니다", "sending failed")
  /konnte nicht zugestellt werden|unzustellbar|n'a (?:pas )?pu (?:être|etre) (?:remis|distribu|d[ée]livr|envoy|achemin)|\bnon remis\b|\bmessage d'[ée]chec\b|no (?:se )?(?:ha )?(?:podido|pudo) (?:ser )?entregar|no se puede entregar|non (?:è stato possibile|può essere) (?:recapitat|consegnat)|non recapitabile|n[ãa]o (?:p[ôo]de|foi poss[íi]vel) ser entregue|kon niet (?:worden )?(?:afgeleverd|bezorgd)|onbestelbaar|nie (?:(?:została|zostala|zostały|zostaly|mogła|mogla|może|moze|można|mozna) )?(?:(?:zostać|zostac) )?dostarcz|niedostarczon|не (?:может|могло|удалось) быть доставлен|не удалось доставить|не (?:было )?доставлено|无法(?:发送|投递|送达)|未能(?:发送|投递|送达)|被退回|配信できませんでした|送信できませんでした|届けられませんでした|전송되지 않았습니다|전달되지 않았습니다|전송하지 못했습니다|전송되지 못(?:하였|했)습니다|(?:전송|발송) ?실패/i,
);

/** Characters of each text part searched for a failure sentence (it is stated at the top of a notice). */
const FAILURE_TEXT_WINDOW = 4096;

/** The message came from the null reverse-path: its Return-Path is "<>". */
function hasNullSender(msg: BounceMessage): boolean {
  return /^\s*<\s*>\s*$/.test(headerValue(msg.headers, 'return-path') ?? '');
}

/**
 * RFC 5321 (4.5.5, 6.1) sends every non-delivery notification with a null reverse-path, so a message whose
 * Return-Path is "<>", or that returns a copy of another message, and that states a failure, is a notice even when
 * its subject and sender are nothing a table would know.
 */
function statesFailure(msg: BounceMessage): boolean {
  // a mailing list's traffic (RFC 2919 List-Id: a digest, a post quoting someone's failure) is no notice of its own
  if (headerValue(msg.headers, 'list-id') !== undefined) return false;
  // a report forwarded by a person is no copy returned by a mail system: the person's words about it are no notice
  const forwardedByPerson = (msg.parts.some((p) => p.forwarded) || hasReplySubject(msg)) && !fromMailSystem(msg);
  const returnsCopy = !forwardedByPerson && msg.parts.some((p) => RETURNED_COPY_TYPES.has(p.type));
  if (!hasNullSender(msg) && !returnsCopy) return false;
  return textStatesFailure(msg);
}

/**
 * The subject is a reply's or a forward's: the message's parts may be another's, put at its top by a person's mail
 * program ("Fwd: Mail System Error - Returned Mail", as KMail forwards a notice).
 */
function hasReplySubject(msg: BounceMessage): boolean {
  return REPLY_OR_FORWARD.test(headerValue(msg.headers, 'subject') ?? '');
}

/** The message returns a copy of another: as a part of its own, or inline after its own text. */
function returnsCopy(msg: BounceMessage): boolean {
  if (msg.parts.some((p) => !p.forwarded && RETURNED_COPY_TYPES.has(p.type))) return true;
  return ownTextSays(msg, (text) => cutOriginalMessage(text).length < text.length);
}

/** A text part of the message's own (not of a report forwarded inside it) says, near its top, what `says` looks for. */
function ownTextSays(msg: BounceMessage, says: (text: string) => boolean): boolean {
  return msg.parts.some(
    (p) => !p.forwarded && p.type.startsWith('text/') && says(p.text.slice(0, FAILURE_TEXT_WINDOW)),
  );
}

/** The message's own text states a failure near its top. */
function textStatesFailure(msg: BounceMessage): boolean {
  return ownTextSays(msg, statesFailureIn);
}

/** The text states a failure in one of FAILURE_SENTENCES (folded over two lines, "could not\nbe delivered", too). */
export function statesFailureIn(text: string): boolean {
  return lineStatesFailure(asOneLine(text));
}

/**
 * One line states a failure in one of FAILURE_SENTENCES, with its negation written out or contracted ("couldn't be
 * delivered", as newer templates write it).
 */
export function lineStatesFailure(line: string): boolean {
  return FAILURE_SENTENCES.test(line) || (MAY_CONTRACT.test(line) && FAILURE_SENTENCES.test(negationsWrittenOut(line)));
}

/** Where a contracted negation may be: most lines have none, and are read once. */
const MAY_CONTRACT = /n['\u2019\u02bc\u00b4`]?t\b|\bcan not\b/i;

/**
 * Notices of the fml mailing-list manager (its X-MLServer header names it): fml answers a post it will not
 * distribute with a notice of its own (a mail loop, a non-member's post, a security alert) rather than a DSN.
 */
export function isMailingListNotice(msg: BounceMessage): boolean {
  return /\bfml\b/i.test(headerValue(msg.headers, 'x-mlserver') ?? '');
}

/** The words mail programs put before a subject they answer, in Latin script ("Re", German "AW", Danish "SV" ...). */
const ANSWER_WORDS = 're|aw|sv|antw|odp|rif';

/** ... and before one they forward ("Fwd", German "WG", French "TR", Spanish "RV"). */
const FORWARD_WORDS = 'fwd?|wg|tr|rv';

const REPLY_WORDS = `${ANSWER_WORDS}|${FORWARD_WORDS}`;

/** ... and the count some write after it ("Re[2]:"). */
const REPLY_COUNT = String.raw`\s{0,3}(?:\[\d{1,4}\])?\s{0,3}`;

/**
 * A tag a ticket system or a filter puts before a subject: "[tag]" ("[EXTERNAL]", as gateways mark outside mail),
 * SpamAssassin's "*****SPAM*****" (its rewrite_header example) or MailScanner's "{Spam?}".
 */
const SUBJECT_TAG = String.raw`^\s*(?:(?:\[[^\]\n]{0,80}\]|\{[^}\n]{0,40}\}|\*{3,}[^*\n]{1,40}\*{3,})\s*)?`;

const TAG_BEFORE_SUBJECT = new RegExp(SUBJECT_TAG);

/**
 * A reply's or a forward's prefix, after a ticket system's tag if any ("Re:", "Fwd:", "AW:", "WG:", "TR:", "RV:",
 * "SV:", "Odp:", "回复:", "転送:"..., and Netscape's and early Mozilla's "[Fwd: subject]"): the rest of the subject is
 * another message's, so its words say nothing of this one.
 */
const REPLY_OR_FORWARD = new RegExp(
  String.raw`${SUBJECT_TAG}(?:${REPLY_WORDS}|回复|答复|转发|返信|転送)${REPLY_COUNT}[:：]|^\s*\[fwd?\s{0,3}:`,
  'i',
);

/** A reply's prefix alone ("Re:", "AW:", "SV:", "回复:", "返信:"): a forward passes a message on, it answers nothing. */
const ANSWER_PREFIX = new RegExp(String.raw`${SUBJECT_TAG}(?:${ANSWER_WORDS}|回复|答复|返信)${REPLY_COUNT}[:：]`, 'i');

/** A reply's or a forward's marker anywhere in a subject ("(was Re: lunch) Fw: ..."), not only at its start. */
const REPLY_OR_FORWARD_MARKER = new RegExp(String.raw`(?:^|[\s([])(?:${REPLY_WORDS})${REPLY_COUNT}:`, 'i');

/**
 * The subject is a notice's: it has a notice's words, and no reply or forward marker before them (a person's "(was
 * Re: lunch) Fw: Mail delivery failed ..." forwards one; a notice's "Undeliverable: RE: lunch" names the reply it
 * returns).
 */
function isBounceSubject(subject: string): boolean {
  if (REPLY_OR_FORWARD.test(subject)) return false;
  const starts = BOUNCE_SUBJECTS.map((re) => subject.search(re)).filter((at) => at >= 0);
  return starts.length > 0 && !REPLY_OR_FORWARD_MARKER.test(subject.slice(0, Math.min(...starts)));
}

/** A mail system sent the message: a daemon's name, or the null reverse-path every notification travels with. */
function fromMailSystem(msg: BounceMessage): boolean {
  return DAEMON_SENDERS.test(headerValue(msg.headers, 'from') ?? '') || hasNullSender(msg);
}

/** The message is a delivery status notification by its type (RFC 6522's multipart/report, RFC 3464's report type). */
export function isDeliveryReport(msg: BounceMessage): boolean {
  return /report-type\s*=\s*"?delivery-status/i.test(headerValue(msg.headers, 'content-type') ?? '');
}

export function looksLikeBounce(msg: BounceMessage): boolean {
  if (isDeliveryReport(msg)) return true;
  // a report forwarded inside the message counts when a mail system forwards it (a gateway returning another MTA's
  // notice), not when a person forwards an old bounce to the address it came back to; nor does one a person's mail
  // program puts at the top of a forward ("Fwd:", KMail): outside a multipart/report (RFC 6522) a report is the
  // message's own only from a mail system or under a subject of its own
  const reports = msg.parts.filter((p) => DELIVERY_STATUS_TYPES.has(p.type));
  if (reports.length > 0 && (fromMailSystem(msg) || (reports.some((p) => !p.forwarded) && !hasReplySubject(msg))))
    return true;
  if (headerValue(msg.headers, 'x-failed-recipients')) return true;
  const subject = headerValue(msg.headers, 'subject') ?? '';
  const from = headerValue(msg.headers, 'from') ?? '';
  const bounceSubject = isBounceSubject(subject);
  const failureOrSubject = (): boolean => bounceSubject || textStatesFailure(msg);
  // A message that calls itself an answer ("Automatic reply:", a vacation program's header) is a notice only when a
  // daemon sends it: an out-of-office reply from a person echoes the subject it answers ("Automatic reply: Delivery
  // notification: your parcel ..."). Only marked automatic (RFC 3834 Auto-Submitted, as Postfix, Exim and Sendmail
  // mark their notices), it is one when a mail system sends it, by name or from the null sender.
  // A daemon returning the message it answers (attached, or inline after its own text) is a notice whatever its words:
  // Dovecot's Sieve reject (RFC 5429) sends a disposition notification marked auto-replied with the message attached.
  if (callsItselfAnAnswer(msg.headers)) return DAEMON_SENDERS.test(from) && (failureOrSubject() || returnsCopy(msg));
  // A mail system's name is not the only sign: a notice whose subject is a notice's and whose own text states the
  // failure is one whoever its From names (a provider's own sender, "Mail Server <mail@example.net>").
  if (isAutoSubmitted(msg.headers))
    return (
      (fromMailSystem(msg) && (failureOrSubject() || (DAEMON_SENDERS.test(from) && returnsCopy(msg)))) ||
      (bounceSubject && textStatesFailure(msg))
    );
  if (bounceSubject) return true;
  if (statesFailure(msg)) return true;
  // a gateway's notice that it delivered the message with a change ("has been delivered, but the attachment ... was
  // removed") comes from a daemon too: it reports no failure
  return DAEMON_SENDERS.test(from) && !(textStatesDelivery(msg) && !textStatesFailure(msg));
}

/**
 * A challenge-response filter's request (Boxbe, Spam Arrest, TMDA, qconfirm, Mailinblack): the message is held until
 * the sender proves to be a person or adds itself to the recipient's list of allowed senders, or the filter confirms
 * the sender is on that list. Nothing failed, though Boxbe wraps its notes in a delivery report. A quarantine that
 * releases the message when the sender answers its notice unchanged asks the same (i.ua: "press button "Reply" and
 * leave message body unchanged, or follow this link").
 */
const CHALLENGE_REQUEST =
  /\b(?:leave|keep) (?:the |its )?(?:message )?body unchanged\b|\b(?:confirm|verify|prove)(?: that)? you(?:'re| are) (?:a |an )?(?:(?:real )?(?:live )?human(?: being)?|real person|person|not a (?:robot|bot|spammer|bulk mailer))\b|\badd yourself to my\b|\bconfirms? that you(?:'re| are) (?:listed )?on my\b|\b(?:go|goes|be delivered) (?:right |straight )?to my inbox\b|\bheld pending (?:your )?confirmation\b|\bcomplete the verification process\b|\bconfirmer que vous [êe]tes (?:un )?humain/i;

/** An SMTP reply quoted in a text: a mail system refused the message; a challenge quotes none. */
const QUOTED_REPLY = /(?:^|\s)[45]\d\d[ -](?:[45]\.\d{1,3}\.\d{1,3}\b|\S)/m;

/** The message holds another until its sender answers a challenge, and reports no refusal. */
export function isChallenge(msg: BounceMessage): boolean {
  const smtpDiagnostic = msg.parts.some(
    (p) => DELIVERY_STATUS_TYPES.has(p.type) && /^diagnostic-code:\s*smtp\b/im.test(p.text),
  );
  if (smtpDiagnostic) return false;
  return ownTextSays(msg, (text) => {
    // most messages ask nothing: the copy is cut only from the few that do
    if (!CHALLENGE_REQUEST.test(asOneLine(text))) return false;
    const own = asOneLine(cutOriginalMessage(text));
    return CHALLENGE_REQUEST.test(own) && !QUOTED_REPLY.test(own);
  });
}

/** Words that say the message reached its recipient. */
const DELIVERY_SENTENCES =
  /\b(?:has been|have been|was|were) (?:successfully )?delivered\b|\b(?:has|have) received (?:the|your) message\b/i;

/** A refusal written as a reply with its enhanced code ("550 5.1.1"): no delivery report quotes one. */
const CODED_REFUSAL = /\b[45]\d\d[ -][45]\.\d{1,3}\.\d{1,3}\b/;

/** The text quotes a refusal with its enhanced code: a failure stated in the server's own terms. */
export function quotesCodedRefusal(text: string): boolean {
  return CODED_REFUSAL.test(text);
}

/**
 * The message's own text (before the copy it returns, whose words are the sender's) states, near its top, that the
 * message was delivered, and quotes no refusal.
 */
function textStatesDelivery(msg: BounceMessage): boolean {
  return ownTextSays(msg, (text) => {
    const own = cutOriginalMessage(text);
    return DELIVERY_SENTENCES.test(asOneLine(own)) && !CODED_REFUSAL.test(own);
  });
}

const AUTO_REPLY_SUBJECTS: readonly RegExp[] = [
  /^(?:automatic reply|auto(?:matic)?[- ]?(?:reply|response|antwort)|autoreply|auto:)/i,
  /out of (?:the )?office/i,
  /\bvacation\b/i,
  /away from (?:my|the) (?:office|desk)/i,
  /abwesenheit/i,
  // Outlook's "Automatic reply:" prefix as its French, Spanish, Italian, Portuguese, Dutch, German, Scandinavian,
  // Polish, Czech, Finnish, Turkish, Hungarian, Baltic, Russian, Chinese and Korean editions write it (Exchange 2003's
  // Latvian "Ārpus biroja atrašanās automātiskā atbilde:" ends in it; diacritics are often lost on the way)
  /^(?:r[ée]ponse automatique|respuesta autom[áa]tica|risposta automatica|resposta autom[áa]tica|automatisch antwoord|automatische antwort|autosvar|automatiskt? svar|odpowied[źz] automatyczna|automatick[áa] odpov[ěe]d|automaattinen vastaus|otomatik yan[ıi]t|automatikus v[áa]lasz|automaatne vastus|automatinis atsakymas|автоматический ответ|автоответ)/i,
  /\bautom[āa]tisk[āa] atbilde\b/i,
  /^(?:自动答复|自动回复|自動回覆|자동 회신)/,
  /absence/i,
  /自動(?:応答|返信)/,
  /不在/,
];

/**
 * RFC 3834 markers and the vendor headers that predate it. "auto-generated" counts too when the message answers
 * another (In-Reply-To, References, a reply's "Re:" or "AW:", a subject that says "autoreply"): helpdesks and
 * Exchange's out-of-office mark their answers so; otherwise it is what RFC 3834 5 says it is, a message a program made on its own
 * (a CI pipeline's report), no answer (a notice so marked, as Sendmail marks its own, is still read as one when a
 * daemon sends it and it states a failure).
 */
export function isAutoReply(headers: MessageHeader[]): boolean {
  // a mail daemon answers for a mail system, not for a person who is away: what it sends is a notice or nothing
  if (DAEMON_SENDERS.test(headerValue(headers, 'from') ?? '')) return false;
  if (callsItselfAnAnswer(headers)) return true;
  const marker = headerValue(headers, 'auto-submitted') ?? '';
  if (/^auto-replied/i.test(marker)) return true;
  const subject = headerValue(headers, 'subject') ?? '';
  const answers =
    headerValue(headers, 'in-reply-to') !== undefined ||
    headerValue(headers, 'references') !== undefined ||
    ANSWER_PREFIX.test(subject) ||
    /auto-?reply/i.test(subject);
  return /^auto-generated/i.test(marker) && answers;
}

/** RFC 3834's marker of a message sent by a program, not a person. */
function isAutoSubmitted(headers: MessageHeader[]): boolean {
  return /^auto-(?:replied|generated)/i.test(headerValue(headers, 'auto-submitted') ?? '');
}

/** The message calls itself an automatic answer: a vacation program's header, or an "Automatic reply:" subject. */
function callsItselfAnAnswer(headers: MessageHeader[]): boolean {
  if (headers.some((h) => /^x-(?:autoreply|autorespond|auto-response|autoresponder|vacation)$/.test(h.name)))
    return true;
  if (/^auto[_-]?reply$/i.test(headerValue(headers, 'precedence') ?? '')) return true;
  if (/^(?:oof|autoreply)$/i.test(headerValue(headers, 'x-auto-response-suppress') ?? '')) return true;
  const subject = (headerValue(headers, 'subject') ?? '').replace(TAG_BEFORE_SUBJECT, '');
  return AUTO_REPLY_SUBJECTS.some((re) => re.test(subject));
}
