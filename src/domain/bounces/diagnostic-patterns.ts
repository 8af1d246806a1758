// Diagnostic text → reason. The table is ordered: the first reason with a matching pattern wins, so the more
// specific causes (a blocklisted IP, a failed SPF check, a full mailbox) come before the generic ones that the
// same sentence may also contain ("550 rejected: ..."). Patterns match lower-cased text with spaces collapsed, cut to
// MAX_CLASSIFIED_TEXT; none backtracks over unbounded text (a gap between two phrases is written with inOrder or
// withinSentence, repetitions are bounded), so classifying is linear in the length of the text. A short gap within one
// sentence is written (?:[^.]|\.(?=[^\s.])){0,n}: the dots of an IP address, a host name or a status code end none.
import type { BounceReason } from './reasons.js';
import { BEFORE_THE_WORDS, remoteReply, REPLY_CODES_FIRST } from './smtp-codes.js';
import {
  anyOf,
  asOneLine,
  cutText,
  inOrder,
  negationsWrittenOut,
  unlessAlso,
  withinSentence,
  type TextPattern,
} from './text-match.js';

export interface DiagnosticRule {
  reason: BounceReason;
  patterns: TextPattern[];
}

/** A domain said not to exist, and words naming the envelope sender: read together only within one sentence. */
const DOMAIN_MISSING =
  /\b(?:no such|unknown|invalid|nonexistent) domain\b|\bdomain (?:not found|(?:does )?not exist|is unknown|unknown|has been deleted|was deleted)\b/;
const SENDER_NAMED =
  /\b(?:sender|mail from|return[- ]path|envelope[- ]from|originator|return address|bounce(?= (?:address|domain)\b))\b/;

/**
 * Any address as normaliseDiagnostic writes it (one neutral name, `NEUTRAL_ADDRESS`), perhaps in brackets or quotes:
 * source text for the rules that read a sentence about the address itself ("Mailbox for a@b is full").
 */
const NEUTRAL_ADDRESS = 'x@x-example';
const NAMED_ADDRESS = String.raw`['"<(]?${NEUTRAL_ADDRESS}['">)]?`;

/**
 * After an address word ("unknown user", "invalid email"): the word is the noun, not a modifier of another ("Unknown
 * user agent", "Invalid email content", "Invalid recipient count"). Source text for the rules that share it.
 */
const NOT_A_MODIFIER = String.raw`(?! (?:content|headers?|body|agent|credentials|authentication|family|count|encoding|signature|director(?:y|ies)|size|client|password|login|data)\b)`;

/**
 * Exim's smtp transport deferring before any connection ("some host address lookups failed and retry time not reached
 * for other hosts or connection limit reached"): its lookups failed, the connection limit only one reason it may give.
 */
const EXIM_LOOKUPS_FAILED = /\bsome host address lookups failed\b/;

/**
 * The start of a diagnostic that is OpenSMTPD's own verdict, its whole line after the recipient ("a@b: Loop
 * detected", smtpd/bounce.c): the address and its colon, when the line still carries them, with what follows a domain
 * that is no name ("a@example..jp: Invalid domain name").
 */
const OPENSMTPD_VERDICT = String.raw`^(?:<?[^\s<>@]{1,64}@[^\s<>:]{1,255}>?[^\s<>:]{0,255}: ?)?`;

/**
 * Whose quota it is when it is the sender's own allowance at a relay or submission service, not the recipient's
 * mailbox: Exchange's "554 5.2.2 Submission quota exceeded" (the sending mailbox over its message or recipient rate
 * limit), "Daily message quota exceeded", a relay's "sending quota", "Sender Hourly Quota Exceeded". A rate limit,
 * whatever x.2.2 comes with it.
 */
const SENDERS_QUOTA_OWNER = '(?:sending|send|submission|relay|daily message|sender(?: hourly| daily)?)';

/** The same allowance said to be short ("552 Not enough sending quota", Alibaba Cloud DirectMail's code table). */
const SENDERS_QUOTA_SHORT = String.raw`\bnot enough ${SENDERS_QUOTA_OWNER} quota\b`;

/**
 * iRedAPD's throttle plugin names the limit a sender or recipient went over in brackets after "Quota exceeded" (its
 * plugins/throttle.py: "number of mails in total", "accumulated message size", "size of single mail message"): a
 * count or volume over a period, or one message's size, never a mailbox's storage.
 */
const THROTTLE_OVER_PERIOD = String.raw`quota exceeded \((?:number of mails|accumulated message size)`;
const THROTTLE_ONE_MESSAGE = String.raw`quota exceeded \(size of single mail message`;
const THROTTLE_QUOTA = `(?:${THROTTLE_OVER_PERIOD}|${THROTTLE_ONE_MESSAGE})`;

/**
 * "You have exceeded your Outmail quota" (Prolateral's smarthost, its product's name for its sending allowance): the
 * quota of the client the reply addresses, unless it names a mailbox's storage.
 */
const EXCEEDED_YOUR_QUOTA = String.raw`\bexceeded your (?:daily |hourly )?(?!(?:mailbox|storage|disk|inbox|email box) )(?:[a-z-]{1,20} )?quota\b`;

/**
 * The client's volume over a recent span ("452 4.2.2 more than 200 messages in past 1m0s from your ip/network", mox's
 * rate limits per IP): its sending rate, whatever x.2.2 beside it says.
 */
const CLIENTS_RECENT_VOLUME = String.raw`\bmore than \d{1,15} (?:messages|bytes|recipients) in (?:the )?past\b`;

/**
 * The policy daemon's label before a quota (Policyd/cluebringer's quotas module, which Zimbra ships: "Policy
 * rejection; Message count quota exceeded", "Policy rejection; Cumulative message size quota exceeded"; DreamHost's
 * outgoing servers over a sender's hourly sending limit, its help centre's "Email sending limits": "Policy Rejection-
 * Quota Exceeded"): a count or volume over a period, not a mailbox's storage.
 */
const POLICY_REJECTION_LABEL = String.raw`policy rejection[-;]? ?(?:(?:message count|cumulative message size) )?`;
const POLICY_REJECTION_QUOTA = String.raw`\b${POLICY_REJECTION_LABEL}quota exceeded\b`;

/**
 * Exchange Online's exception for a mailbox over its SMTP AUTH submission limit, in one CamelCase word ("554 5.2.0
 * STOREDRV.Submission.Exception:SubmissionQuotaExceededException", its sending limits page).
 */
const SUBMISSION_QUOTA_EXCEPTION = String.raw`\bsubmissionquotaexceeded`;

/**
 * A limit addressed to the sender itself ("550 5.7.1 Your mail limit has been reached.", StartMail's outgoing server,
 * whose help page gives it for an account over its hourly sending limit) or named outbound (EarthLink's "Outbound
 * message limit exceeded", its daily recipients allowance): "your" or "outbound", not a mailbox's; also said the
 * other way round ("You have reached your message limit.", a Dutch host's outgoing server).
 */
const SENDERS_LIMIT_REACHED = String.raw`\b(?:your (?:daily |hourly )?(?:mail |message |sending )?|outbound (?:message |mail |email |sending ))limit (?:has been |was |is )?(?:reached|exceeded)\b|\breached your (?:daily |hourly )?(?:mail |message )limit\b`;

/** The sender's own quota said to be used up: read from its words, never from the mailbox-full code beside it. */
export const SENDERS_OWN_QUOTA = new RegExp(
  String.raw`\b${SENDERS_QUOTA_OWNER} (?:quota|limit) (?:was |has been |is )?(?:exceeded|reached)\b|\b(?:reached|over) your (?:daily |hourly )?${SENDERS_QUOTA_OWNER}? ?quota\b|${EXCEEDED_YOUR_QUOTA}|${CLIENTS_RECENT_VOLUME}|${SENDERS_QUOTA_SHORT}|${POLICY_REJECTION_QUOTA}|${SUBMISSION_QUOTA_EXCEPTION}|${SENDERS_LIMIT_REACHED}`,
  'i',
);

/**
 * Microsoft 365's directory-based edge blocking of an unknown address ("550 5.4.1 Recipient address rejected: Access
 * denied. AS(201806281)", "Email non-delivery reports and SMTP errors in Exchange Online", learn.microsoft.com): the
 * words under its 5.4.1, or followed by its AS(nnn) reference or its server's stamp (host, UTC time, 16 hex digits:
 * "[AM4PEPF43952F9C.EURPRD83.prod.outlook.com 2023-01-01T01:01:01.001Z 08DBEC564562FCD2]").
 */
const MICROSOFT_MARK = String.raw`\.? (?:as\(\d|\[[^\s\]]{1,200} \d{4}-\d\d-\d\dt\d\d:\d\d:\d\d(?:\.\d{1,7})?z [0-9a-f]{16}\])`;
export const MICROSOFT_EDGE_BLOCK = new RegExp(
  String.raw`\b5\.4\.1\b.{0,80}?recipient address rejected: access denied|recipient address rejected: access denied${MICROSOFT_MARK}`,
);

/**
 * A receiver's rule that refused the recipient: Postfix's access(5) REJECT with no text of its own ("554 5.7.1 <a@b>:
 * Recipient address rejected: Access denied", access_map_reject_code), and other receivers' rules in the same words
 * ("450 4.7.1 Recipient address rejected: Access denied"). A policy matched the address, which says nothing of a
 * mailbox, unless the words are Microsoft's (above).
 */
const ACCESS_RULE_REJECT = new RegExp(
  String.raw`recipient address rejected: access denied(?<!\b5\.4\.1\b.{0,80}recipient address rejected: access denied)(?!${MICROSOFT_MARK})`,
);

/**
 * A sender the recipient listed ("550 5.7.1 Blacklisted by recipient", which ZoneMTA's bounce rules keep out of the
 * sending IP's block listings), or a recipient a gateway lists as one it takes no mail for (MailCleaner's "550
 * blacklisted recipient: a@b"): the recipient's filter. Not an IP or host a receiver listed ("IP address blacklisted
 * by recipient").
 */
const LISTED_FOR_RECIPIENT =
  /(?<!\b(?:ip|address|host|server|network) )blacklisted by (?:the )?recipient\b|\bblacklisted recipient\b/;

/** A reply that opens with RFC 5321's "Syntax error", whatever it adds of what was wrong. */
export const OPENS_WITH_SYNTAX_ERROR = new RegExp(String.raw`${REPLY_CODES_FIRST}syntax error\b`);

/**
 * The client spoke out of turn (Postfix smtpd's "SMTP protocol synchronization" and "Improper use of SMTP command
 * pipelining": RFC 2920 allows pipelining only after EHLO advertises it; Exim's "SMTP protocol synchronization error
 * (input sent without waiting for greeting)", Sendmail's "Connecting host started transmitting before SMTP greeting").
 */
export const CLIENTS_PROTOCOL_FAULT =
  /\bprotocol synchroni[sz]ation\b|\bimproper use of smtp command pipelining\b|\bstarted transmitting before (?:the )?smtp greeting\b/;

/**
 * A login required, in RFC 4954's own words for its 530 ("Authentication required") or said to the sender ("530 5.7.1
 * You are not authorized to send mail, authentication is required", "Unauthenticated senders not allowed"): the
 * session's SMTP AUTH.
 */
export const LOGIN_REQUIRED =
  /\bauthentication (?:is )?required\b|\bunauthenticated senders? (?:are |is )?not (?:allowed|permitted|accepted)\b/i;

/**
 * The SMTP session's login (RFC 4954) refused, in the words of a step it may stop at, MAIL FROM included: an exchange
 * the client gave up (IceWarp's "501 5.0.0 Authentication canceled", RFC 4954 4's "*") or the server does not offer
 * ("503 5.5.1 Error: authentication not enabled"), credentials the server no longer takes (hMailServer's "Login
 * credentials no longer valid. Please re-authenticate."), a client that sent too much before logging in (smtp-server's
 * "421 Error: too many unauthenticated commands"), the server's own login service failing ("454 4.7.0 Temporary
 * authentication failure", Postfix's SASL), a login required ("530 Authorization required (#5.7.1)", qmail's SMTP AUTH
 * patches; "503 5.5.4 Error: send AUTH command first", "502 5.7.0 Please authenticate first", "530 5.5.1 Invalid
 * command: Must issue an AUTH command first") or not offered to an anonymous client ("554 5.7.1 Access denied
 * (anonymous user)", Exchange's "454 5.7.3 Client does not have permission to submit mail to this server" and
 * "Anonymous client does not have permissions to send as this sender" to a client that has not logged in), a login
 * by POP before SMTP or by SMTP AUTH wanted ("Perhaps you have not logged into the pop/imap server in the last 30
 * minutes or do not have SMTP Authentication turned on in your email client", a hosting provider's Exim; "sorry, you
 * must get POP/APOP authorization.", a Japanese ISP's), a login's line over RFC 4954's limit ("500 5.5.6
 * Authentication Exchange line is too long"). About the session, not about who sends.
 */
export const SESSION_LOGIN =
  /\bauthentication (?:was )?(?:cancel+ed|aborted|not enabled)\b|\bbad authentication\b|\bcancel+ed authentication\b|\blogin credentials (?:are )?(?:no longer valid|invalid|expired)\b|\bunauthenticated (?:commands|session)\b|\btemporary authentication failure\b|\bauthori[sz]ation required\b|\b(?:please )?(?:authenticate|log ?in) first\b|\b(?:send|need|must issue an?) (?:(?:ehlo|helo) and )?auth(?: command)? first\b|\banonymous (?:user|login|client)\b|\bnot logged into the (?:pop|imap)[\w/]{0,6} server\b|\bpop(?:\/apop)? authori[sz]ation\b|\bhave smtp authentication turned on\b|\bclient does not have permissions? to submit\b|\bauthentication exchange line is too long\b/i;

/**
 * The session's own SMTP AUTH in any of its words: a login required (`LOGIN_REQUIRED`), asked for ("requires
 * authentication", "auth command", "client was not authenticated", "user not authenticated", "must authenticate"),
 * failed ("authentication failed", "login credentials") or refused at a step (`SESSION_LOGIN`). What the sending side
 * lacked, not who it is.
 */
export const SESSION_AUTH = new RegExp(
  String.raw`${LOGIN_REQUIRED.source}|\brequires? authentication\b|\bauth command\b|\b(?:client|user) (?:was |is )?not authenticated\b|\bmust (?:be authenticated|authenticate)\b|\bauthentication (?:failed|failure)\b|\blogin credentials\b|${SESSION_LOGIN.source}`,
  'i',
);

/**
 * A line over a length limit: one longer than RFC 5322 2.1.1 allows (998 characters; "line too long", Exim's "message
 * has lines too long for transport", "maximum allowed line length is 998 octets", Debian's exim4-config, MailCleaner's
 * "Maximum line length is 998, got 1350."; go-smtp's ErrTooLongLine, "smtp: too long a line in input stream", which
 * Tencent Cloud's relay passes on as "too longer line"), or a line or header over a receiver's own limit ("Line length
 * in message or single header exceeds 8192"). Not RFC 4954's "500 5.5.6 Authentication Exchange line is too long", the
 * login's.
 */
const LINES_TOO_LONG = /(?<!\bauthentication exchange )lines? (?:is |are )?too long|\btoo long(?: a|er)? lines?\b/;
const MAXIMUM_LINE_LENGTH = /\bmaximum (?:allowed )?line length\b/;
const LINE_LENGTH_EXCEEDS = /\bline length (?:in (?:the )?message )?(?:or (?:a |single )?header )?exceeds\b/;
export const LINE_OVER_LIMIT: readonly RegExp[] = [LINES_TOO_LONG, MAXIMUM_LINE_LENGTH, LINE_LENGTH_EXCEEDS];

/** A count per span of time ("per hour", "per 5 minutes"): a rate, not a limit on one message or one session. */
const PER_SPAN_OF_TIME = String.raw` per (?:\d{1,6} )?(?:seconds?|minutes?|hours?|days?)\b`;

/**
 * A size limit named as the recipient's own: "Message length exceeds limit set by recipient", "exceeds recipient's
 * size limit" (RFC 3463 x.2.3, a limit of the mailbox, not of the system).
 */
export const RECIPIENTS_OWN_LIMIT =
  /\blimit (?:set|configured) by (?:the )?recipient|\brecipient'?s? (?:size |message size )?limit/;

/**
 * Apache James's DNSRBL hook, for a client listed that did not log in ("554 5.7.1 Rejected: unauthenticated e-mail
 * from /192.0.2.10 is restricted"): the connecting host's listing, not the session's security.
 */
const LISTED_CLIENT_NOT_LOGGED_IN = /\bunauthenticated email from \S{1,64} is restricted\b/;

/**
 * Exchange Online's "550 5.1.6 Recipient addresses in single label domains not accepted" (its NDR table): an address
 * whose domain has no dot, which no mailbox can have (an unknown address, as the reference library's Microsoft table
 * reads it), not a mailbox that moved, whatever x.1.6 says.
 */
export const SINGLE_LABEL_DOMAIN = /\brecipient addresses? in single[- ]label domains?\b/i;

/**
 * Gmail's "Address not found" card in the sender's language: Spanish "No se pudo encontrar la dirección de correo
 * electrónico que escribiste" (in 2018 "no se ha encontrado la dirección"), Portuguese "Endereço não encontrado",
 * French "Adresse introuvable", Italian "Indirizzo non trovato", Dutch "Adres niet gevonden", Indonesian "Alamat tidak
 * dapat ditemukan" (the English, German, Japanese and Korean cards are read by wider words), and in every edition the
 * card's link to its help topic for an address that does not exist ("https://support.google.com/mail/?p=NoSuchUser").
 * Its directory's verdict, whatever step the notice names.
 */
export const ADDRESS_NOT_FOUND_CARD =
  /\bsupport\.google\.com\/mail\/\?p=nosuchuser\b|\bno se (?:pudo|ha podido) encontrar la direcci[oó]n de correo\b|\bno se ha encontrado la direcci[oó]n\b|\balamat (?:tersebut )?tidak (?:dapat )?ditemukan\b|\bdirecci[oó]n no encontrada\b|\bendere[cç]o n[aã]o encontrado\b|\bn[aã]o foi poss[ií]vel encontrar o endere[cç]o\b|\badresse introuvable\b|\bindirizzo non trovato\b|\badres niet gevonden\b/;

/**
 * The sending MTA's own words for giving up when the time it retries for ran out: Exim's "<reply>: retry timeout
 * exceeded" (its retry rules' cutoff passed), Sendmail's "Delivery time (3600s) exceeded" for DELIVERBY (envelope.c),
 * chasquid's "failed repeatedly and timed out, last error: <reply>" (internal/queue/dsn.go).
 */
export const RETRY_TIME_RAN_OUT =
  /(?:retry|delivery) time(?:out)?(?: \(\d{1,10}s\))? (?:has )?(?:exceeded|expired)|\bfailed repeatedly and timed out\b/;

export const DIAGNOSTIC_RULES: readonly DiagnosticRule[] = [
  {
    // a verdict stated outright beats the advice that follows it ("... rejected due to spam classification. Set up SPF")
    reason: 'spamdetected',
    patterns: [
      // (not spamming, what the sending host did: "Mail blocked due to possible spamming activity", below)
      /(?:rejected|blocked|refused) (?:due to|because of|as) (?:spam(?!ming)|junk)/,
      // the Distributed Checksum Clearinghouse's bulk count ("rejected By DCC"), FortiMail's FortiGuard URL and
      // FortiSpamshield verdicts, and Polish "odrzucona przez system antyspamowy" (refused by the anti-spam system)
      /\brejected by dcc\b|\bfortiguard\b.{0,20}?\banti-?spam\b|\bfortispamshield\b|\bprzez system antyspamowy\b/,
      // (the DSPAM filter's verdict: "553 5.7.3 CONTENT REJECT: ... dspam check")
      /\bdspam check\b/,
      // (and Rspamd's bulk-mail scanners, "pyzor: Pyzor bulk message found", "dcc: bulk message found")
      /\bbulk message found\b/,
      // (and Sendmail's spamtrap feature: "550 5.7.1 Mail sent by spamware is not accepted here")
      /\bsent by spamware\b/,
      /spam classification/,
      // ("The email message was detected as spam", FortiMail, after the IP it came from; not a host called a spam
      // source; ImprovMX's "Message considered as SPAM (Score of 5.0/5 with DKIM_SIGNED, SPF_PASS, ...)", whose list of
      // the tests that fired names authentication checks that passed)
      /(?:(?:classified|detected|identified) as |considered (?:as )?)(?:spam|junk)\b(?! (?:source|sender|host)s?\b)/,
      // 迷惑メールと判定 ("judged to be spam") in Japanese providers' notices
      /迷惑メールと判[定断]/,
      // content filters named as the judge, or the verdict in their words: SpamAssassin, MailMarshal's and Trustwave
      // SEG's "SpamProfiler", Cyren's "Recurrent Pattern Detection", "failed several antispam checks", "spam or virus"
      /\bblocked by spamassassin\b|\bspamprofiler\b|\brecurrent pattern detection\b/,
      // ("spam or virus", or "spam/virus": the verdict named first, as the reference library's lists read them)
      /\bfailed (?:several |our |the )?anti-?spam checks?\b|\bspam ?(?:or|\/) ?(?:[a-z]{1,20} )?virus\b|\bno spam please\b|\bspamming not allowed\b/,
      // the message judged as bulk or its content refused: "you're using a mass mailer", "reject bulk.advertising",
      // "Rejecting banned content", "Mail content denied", "rejected because of unacceptable content"
      /\bmass mailer\b|\bbulk\.advertising\b|\brejecting (?:banned |mail )content\b|\bmail content denied\b/,
      // a spam filter's score, read before the names of the tests that fired ("SpamAssassin score 21.7 (...,
      // DKIM_ADSP_NXDOMAIN, MISSING_MID, ...)"), which name checks, not the cause
      /\b(?:spamassassin|spam) score\b/,
      /\bunacceptable content\b(?![- ]type)/,
      // GTUBE, the Generic Test for Unsolicited Bulk Email (SpamAssassin's and rspamd's test string, which they score
      // as spam outright): "554 5.7.1 Gtube pattern"
      /\bgtube\b/,
      // amavisd-new's verdict over its kill level ("554 5.7.0 Reject, id=12345-01 - spammy (tag3)"), and its notice to
      // the sender ("A message from <a@b> to: c@d was considered unsolicited bulk e-mail (UBE)"), whose disclaimer
      // goes on about "prominent cases of UBE and ... infected mail"
      /\bspammy\b|\bwas considered unsolicited bulk email\b/,
    ],
  },
  {
    // the host's own file system short of space (RFC 5321's 452 "insufficient system storage"): a qmail patch's
    // "452 Requested action not taken: mailbox unavailable (not enough free space)", read before the mailbox's space
    // and "mailbox unavailable" decide otherwise
    reason: 'systemfull',
    patterns: [
      /\bnot enough (?:free |disk )(?:disk )?space\b/,
      // ... and in its system's words (ENOSPC, "No space left on device", behind "cannot create temporary file";
      // Exim's "452 Space shortage, please try later")
      /\bno space left (?:on device|to finish writing)\b|\bspace shortage\b/,
    ],
  },
  {
    // a directory lookup failing is the remote system's fault, even when the message then sat in the queue too long;
    // so are qmail-local unable to enter the recipient's home directory or maildir ("Unable to switch to /home/a: file
    // does not exist. (#4.3.0)", "Unable to chdir to maildir. (#4.2.1)"), a delivery program's script that cannot
    // start ("bad interpreter: No such file or directory") and the qmail-ldap patch failing to run its forwarder
    // ("Permanent error while executing qmail-forward (#5.4.4)"): the host's own delivery setup, whatever "does not
    // exist", x.2.1 or x.4.4 suggest
    reason: 'systemerror',
    patterns: [
      /(?:ldap|directory) server/,
      // a transaction the receiver's servers do not take, Gmail's 4.3.0 "Multiple destination domains per transaction
      // is unsupported" (Google's SMTP error reference), a limit of its system as the reference library's Google table
      // reads it, not a count of recipients
      /\bmultiple destination domains per transaction\b/,
      /\bunable to (?:switch to|chdir to maildir)\b|\bbad interpreter\b|\berror while executing qmail-forward\b/,
      // ... and Postfix's own lookup tables failing ("451 4.3.0 <a@b>: Temporary lookup failure", smtpd_check.c;
      // local(8)'s "table lookup failure" and "cannot find alias database owner"), and Exim's configuration that would
      // not expand ("failed to expand "interface" option for remote_smtp transport", "Expansion of "${lookup..."
      // failed")
      /\btemporary lookup failure\b|\btable lookup failure\b|\bcannot find alias database owner\b/,
      /\bfailed to expand "|\bexpansion of "\$/,
      // ... its user the configuration forbids a delivery to run as ("User 0 set for local_delivery transport is on the
      // never_users list"), Sendmail's MX list that names itself ("554 5.0.0 MX list for example.net. points back to
      // mx.example.net"), Dovecot's Sieve run or mailbox file it could not use ("451 4.2.0 Execution of Sieve filters
      // was aborted due to temporary failure", "Mailbox has an invalid format"): the receiving host's own setup
      /\bis on the never[_ ]users list\b|\bmx list for \S+ points back to\b/,
      /\bexecution of sieve (?:filters|scripts?) was aborted\b|\bmailbox has an invalid format\b/,
      // ... and its LDAP lookup finding several entries for one address ("Too many results returned but needs to be
      // unique") or an entry it cannot use ("Illegal value in LDAP attribute", "LDAP attribute is not given but
      // mandatory", the qmail-ldap patch's messages, as the reference library's qmail module reads them)
      /\btoo many results returned but needs to be unique\b|\billegal value in ldap attribute\b|\bldap attribute is not given\b/,
      // ... and a configuration fault worded as a refusal: Exim's "delivery to file forbidden" / "delivery to pipe
      // forbidden" (deliver.c: a router produced a delivery its transport may not make), Courier's "This domain's DNS
      // violates RFC 1035." (the destination's own DNS is broken)
      /\bdelivery to (?:file|pipe) forbidden\b|\bdns violates rfc ?1035\b/,
      // ... and Spamhaus refusing the receiver's own block-list query (its return codes for a query sent through a
      // public resolver, "550 Error: open resolver; https://www.spamhaus.org/returnc/pub/..."): not a listing
      /\bspamhaus\.org\/returnc\//,
      // ... and Postfix's "mail for example.net loops back to myself": the destination's MX names the sending host
      // itself, a fault of either side's setup (the reference library's system-error list)
      // (Sendmail's "553 5.3.5 config error: mail loops back to me (MX problem?)")
      /\bmail for \S+ loops back to myself\b|\bmail loops back to (?:me|myself)\b/,
      // Sendmail's lookup table that is not there ("554 5.3.0 rewrite: map virtuser not found"): its configuration, no
      // user looked up
      /\bmap [a-z0-9_.-]{1,40} not found\b/,
      // ... and its own failing lookup table or quarantine, whatever step it refused at: Postfix's "451 4.3.5 ... Helo
      // command rejected: Server configuration error" (a table it could not read), amavisd-new's "unable to
      // quarantine" (read before the quarantine's file name, which may say "spam")
      /\bserver configuration error\b|\bunable to quarantine\b/,
      // ... and a content filter that could not do its work ("451 4.5.0 Error in processing, ... decoder FAILED: cannot
      // open temporary file", amavisd-new and MIMEDefang): the receiver's fault, retried
      /\b(?:cannot|could not|unable to) (?:open|create|write) (?:a |the )?(?:temporary|tmp) ?file\b/,
      // ... or Sendmail's milter that failed to answer ("452 4.3.0 Filter failure", x.3.0 the mail system's own
      // status): the filter broke, it did not refuse the message (read before the filter's own refusals)
      /\bfilter failure\b/,
      // ... or one that could not hand the checked message back to its own MTA (amavisd-new's "451 4.5.0 ... Temporary
      // MTA failure on relaying ... during fwd-connect"): not a refusal of relaying
      /\btemporary mta failure\b/,
      // ... or a mailbox on a file system mounted read-only ("maildrop: Maildir/: Read-only file system", EROFS)
      /\bread-only file ?system\b/,
      // a server of the destination down, not the mailbox ("Mailbox server unavailable, try later")
      /\b(?:mailbox|mail store|storage|database|imap) server (?:is )?(?:temporarily |currently )?(?:unavailable|not available|down|busy)\b/,
      // ... or Exchange's mailbox database ("432 4.3.2 STOREDRV; mailbox database is offline")
      /\bmailbox database (?:is )?(?:offline|dismounted|unavailable|not available)\b/,
      // the receiving server itself overloaded ("421 Server too busy.", "554 Server Busy", Proofpoint's "421 4.3.2 All
      // screening ports are busy": every scanning slot taken; clamav-milter's "451 4.3.2 AV system temporarily
      // overloaded")
      /\b(?:server|system) (?:is )?(?:too|currently|temporarily) (?:busy|overloaded)\b|\ball (?:\w+ )?ports are busy\b/,
      // (not when it says why: "421 Server busy, too many connections", the client's share)
      unlessAlso(/\bserver busy\b/, /\btoo many (?:connections|sessions)\b/),
      // ... and Exchange Online's own parts: an agent of its pipeline busy ("451 4.7.700 PFA agent busy, please try
      // again"), a message it could not copy to a second server before taking it ("451 4.4.24 Message failed to be
      // replicated: Insufficient system resource", 4.4.25, 4.4.28 in Microsoft's NDR reference)
      /\bagent busy\b|\bfailed to be replicated\b/,
      // ... or its virus scanner ("450 Error connecting to virus scanner"; Haraka's "Virus scanner timed out", "Error
      // running virus scanner", "Virus scanner error (AVG)"; OpenSMTPD's clamav filter, "Virus filter failed"): the
      // scan did not run, nothing was found in the message
      /\b(?:error|failure|failed|unable) (?:connecting|talking) to (?:the |its )?(?:anti-?)?virus scanner\b|\b(?:anti-?)?virus scanner (?:is )?(?:temporarily )?(?:unavailable|not available|not responding|down)\b/,
      /\b(?:error running|to run) (?:the )?(?:anti-?)?virus scanner\b|\b(?:anti-?)?virus (?:scanner|filter) (?:has )?(?:timed out|failed|error)\b/,
      // ... and OpenSMTPD-extras' other filters that failed to get an answer ("451 4.7.1 Spam filter failed", "DNSBL
      // filter failed"): nothing was judged spam or listed
      /\b(?:spam|dnsbl|rbl) filter (?:has )?failed\b/,
      // (amavisd-new's "virus_scan FAILED: virus scanners failure", MIMEDefang's "Problem running virus-scanner",
      // "Unable to scan for viruses"; Haraka's "spamd connect timeout", "Rspamd scan timeout": the filter's own)
      /\bvirus_scan failed\b|\bvirus[- ]scanners? (?:failure|failed|error)\b|\bproblem running (?:the )?(?:anti-?)?virus[- ]scanner\b|\bunable to scan for viruses\b/,
      /\b(?:r?spamd|spamassassin|clamd) (?:scan |connect(?:ion)? |read )?(?:timeout|timed out)\b/,
      // ... or a filter's program that crashed ("451 4.3.0 pymilter: untrapped exception in pythonfilter"): the
      // receiver's own fault, whatever the program is called
      /\b(?:untrapped|unhandled|uncaught) exception\b/,
      // ... or its mail filters ("432 Mail filters temporarily unavailable", Courier), or its content filter that cannot
      // hand the message back to its own MTA (amavisd-new's "Unable to relay message back to MTA")
      /\bmail filters? (?:is |are )?(?:temporarily )?(?:unavailable|not available)\b|\bunable to relay (?:the )?message back to\b/,
      // ... or its store or back end (hMailServer's "Message ... could not be saved. Please retry later", Haraka's
      // "Backend failure"): the message was refused because the receiver could not keep it
      // (and "452 Unable to store message", "451 Failed to store message for a", "452 No storage backend")
      // (and qpsmtpd's "552 Mail unqueuable", its queue plugin that could not hand the message on)
      // (and Domino's "554 Error writing message to safe storage; message could not be stored to disk")
      /\berror writing message to (?:safe )?storage\b/,
      /\bcould not be saved\b|\bbackend (?:failure|error|not running)\b|\b(?:unable|failed) to store (?:the )?message\b|\bno storage backend\b|\bmail unqueu?able\b/,
      // the other server lacks what the sending side requires of it (RFC 3463 x.3.3, "system not capable of selected
      // features"): Gmail's "500 Remote server does not support TLS (state 6)", Google Workspace's "Smtp server does
      // not advertise AUTH capability"; read before the words about TLS that a refusal to go on without it uses
      /\b(?:does not|did not) (?:support|offer|advertise) (?:tls|starttls|ssl|auth(?:entication)?(?: capability)?)\b/,
      // the sending MTA's own machinery failing it (Postfix's queue manager and delivery agents: "mail transport
      // unavailable", "unknown mail transport error", "address resolver failure", "unreadable mail queue entry", a
      // virtual mailbox's "uid not found in virtual_uid_maps"): read before the words of a recipient "not found"
      /\bmail transport unavailable\b|\bunknown mail transport error\b|\baddress resolver failure\b|\bunreadable mail queue entry\b|\buid not found in virtual.uid.maps\b/,
    ],
  },
  {
    reason: 'requireptr',
    patterns: [
      inOrder(/\bptr\b/, /record|lookup|missing|not found|required|no /),
      // ("This server requires PTR for unauthenticated connections")
      /\brequires? (?:a |valid )?(?:ptr|reverse dns)\b/,
      // an IP address whose name does not resolve ("451 4.7.1 Sender IP address not resolving", milter-regex's example)
      /\bip(?: address)? (?:is )?not resolving\b/,
      /reverse dns/,
      /reverse (?:host|lookup|hostname|name)/,
      // (and its lookup failed, Debian's mail hosts' "451 Access temporarily denied. Resolve failed PTR for 192.0.2.1")
      /(?:no|without|missing|have a|valid|failed) (?:rdns|ptr)\b/,
      // the sending host's own PTR could not be resolved: a check of the connecting IP, not of the recipient's domain
      /resolve (?:your|the sender's|the client's|client) (?:ptr|rdns)\b|\bresolve (?:the )?ptr\b/,
      /\byour (?:hostname|server'?s? name) (?:could not|cannot) be resolved\b/,
      /\brdns\b/,
      // forward-confirmed reverse DNS ("550 Sorry, no FCrDNS match found"): the PTR's name must lead back to the IP
      /\bfcrdns\b/,
      /unresolvable relay host name/,
      /cannot find your hostname/,
      /\bclient hostname (?:not found|unknown|does not resolve|could not be resolved)\b/,
      /client hostname (?:is )?unknown/,
      inOrder(/client host /, / (?:rejected|refused)/, /reverse/),
      // (not Sendmail's relay check, "Relaying denied. IP name lookup failed [host]", proto.m4: what it refuses is the
      // relaying, the client's name only why no relay rule let it through)
      /(?<!relaying denied\. )ip name lookup failed/,
      /no (?:dns )?(?:ptr|reverse)/,
      /does not resolve to your ip/,
      /hostname does not match/,
      /is not resolvable/,
      /cannot resolve your (?:address|hostname)/,
      /dns lookup failure for your/,
      // ... or of an address, which only a reverse lookup takes ("451 DNS lookup failure: 192.0.2.1 try again later")
      /\bdns lookup fail(?:ure|ed):? \[?\d{1,3}(?:\.\d{1,3}){3}\b/,
      /lookup of your ip address failed/,
      // (and "do not have": "Your IPv6 address do not have a reverse look name", spam-mail-blocker.de's filter)
      /(?:address|ip) (?:(?:has|have) no|(?:does not|do not) have an?) (?:ptr|reverse)/,
      /rfc1912/,
      /unknown in reverse dns|no matching ptr/,
      /(?:domain|hostname|helo)\b.{0,40}?\bmismatch(?:es|ed)? (?:the )?(?:client|your|connecting) ip/,
      /reverse mapping checking getaddrinfo/,
      // the connecting IP could not be verified against the sender's host name (forward-confirmed reverse DNS):
      // "service permits 2 unverifyable sending IPs - example.com is not 192.0.2.1"
      /unverif(?:i|y)able (?:sending |client |connecting )?(?:ip|host)/,
      // ... or from the forward side: "The corresponding forward DNS entry does not point to the sending IP"
      /\bforward dns (?:entry|record) does not (?:point to|match) the (?:sending|connecting|client) ip\b/,
      // ... or told to give its name one ("554 Sorry we could not find address for mail.example.net. Please setup a
      // forward DNS record.", Haraka's HELO checks): the name the client gave does not resolve
      /\bplease set ?up a forward dns\b/,
      // Sendmail's check of the client's name (its require_rdns feature and "Possibly forged hostname", under x.1.8)
      /\bpossibly forged hostname\b|\bclient ip address \S{1,45} does not resolve\b/,
    ],
  },
  {
    // the sending side's own SMTP login refused (RFC 4954's 535 "authentication credentials invalid", Postfix's "SASL
    // authentication failed; server ... said: 535 ..."): the session's credentials, read before the message
    // authentication (SPF, DKIM, DMARC) whose failures are worded alike
    reason: 'securityerror',
    patterns: [
      // (and Exchange's "535 5.7.3 Authentication unsuccessful", whatever it adds: "User not found" is the login's)
      /\bsasl (?:[a-z0-9-]{1,20} )?authentication failed\b|\bauthentication unsuccessful\b/,
      // the destination's published TLS policy not met (RFC 8461 MTA-STS, RFC 7672 DANE): Exchange Online's "5.4.8 MX
      // hosts of example.com failed MTA-STS validation", whatever routing code x.4.8 says
      /\b(?:mta-sts|dane) (?:validation|verification|policy)\b(?:[^.]|\.(?=[^\s.])){0,20}\bfail|\bfailed (?:mta-sts|dane) (?:validation|verification)\b/,
      // ... in Postfix's words for a DANE destination it could not verify ("no TLSA records found", "TLSA records
      // unusable", "non DNSSEC destination", "Verification not possible, MX RRset is insecure") and for a message whose
      // sender asked for TLS all the way (RFC 8689 REQUIRETLS: "REQUIRETLS Failure: sender requested REQUIRETLS, but ...")
      /\bno tlsa records found\b|\btlsa records (?:are )?unusable\b|\bnon dnssec destination\b|\bmx rrset is insecure\b|\brequiretls failure\b/,
      // ... and in Stalwart's and mox's ("DANE failed to authenticate 'mx': ...", "MTA-STS failed to authenticate
      // 'example.net': MX ... not authorized by policy", "mx host x does not match enforced mta-sts policy", "message
      // requires verified tls"): read before a policy's words
      /\b(?:dane|mta-sts) failed to authenticate\b|\bdoes not match (?:the )?enforced mta-sts policy\b|\brequires verified tls\b/,
      // (and Exim's smtp transport: "DANE error: mx.example.net lookup not DNSSEC", "DANE error: tlsa lookup DEFER")
      /\bdane error:/,
      // POP before SMTP: the relay takes mail only from a client that has just fetched its own ("Please receive your
      // mail before sending", Japanese ISPs' submission servers; "To send mail, first check your mail with a valid POP
      // account; this prevents unauthorized SPAM relaying. (#5.7.1)", whatever it says of spam)
      /\breceive your (?:e-?)?mail before sending\b|\bpop before smtp\b|\bfirst check your mail with a valid pop account\b/,
      // a receiver that takes mail claiming one of its own domains only from a client that logged in ("551 This mail
      // server requires authentication before sending mail from a locally hosted domain", "This server wants you to
      // log in before you send mail that claims to come from one of its own domains")
      /\brequires? authentication before sending\b|\blog ?in before (?:you )?send(?:ing)?\b/,
      // ... or on a port that is for logged-in clients (Citadel's "550 You must log in to send mail on this port.")
      /\bmust log ?in to send\b/,
      // ... or a login required in other words (`LOGIN_REQUIRED`), unless they name SPF, DKIM or DMARC, whose failures
      // are worded alike, or the relaying the login would have allowed ("Relaying denied. Proper authentication
      // required.")
      unlessAlso(LOGIN_REQUIRED, /\b(?:spf|dkim|dmarc|sender policy framework)\b|\brelay/),
      /^535[ -](?:5\.7\.\d{1,3} )?(?:error: )?authentication failed\b/,
      // RFC 4954's own codes in other words ("535 Refused. Authentication failed.", Exim's "535 Incorrect
      // authentication data"; not a 534 that says something else, "534 SIZE=Message too big"), and an AUTH mechanism
      // the server does not know ("504 Unknown authentication method"; not an SPF record's, python3-spf's "550 SPF
      // Permanent Error: Unknown mechanism found")
      /^53[45][ -](?:[45]\.\d{1,3}\.\d{1,3} )?(?:\S+ ){0,2}authentication (?:failed|credentials|data)\b|\b(?:unknown|unsupported|unrecognized|unimplemented) (?:authenti(?:fi)?cation (?:method|mechanism|type)|mechanism)\b(?<!\bspf\b.{0,40})/,
      // ... or one it does not support ("504 Authentication mechanism not supported"), and the session's login in the
      // words below
      /\bauthentication (?:method|mechanism) (?:is )?not supported\b/,
      SESSION_LOGIN,
      // ... and a session that must be encrypted first (Postfix's "450 4.7.1 Session encryption is required", RFC 3207;
      // Zimbra's "451 4.2.2 Server accepts messages only on TLS connection"; VIPRE's "Your sender domain is required to
      // send via an encrypted SMTP session")
      // (NHSmail's "530 5.7.0 <a@b>: Sender address rejected: Must use TLS", Postfix's prefix for any check at MAIL)
      /\brequired to send (?:via|over|using) an encrypted\b|\bsession encryption is required\b|\bmust use (?:starttls|tls)\b|\bonly (?:on|over|via|with) (?:an? )?(?:tls|ssl|starttls|encrypted) (?:connection|session|channel)s?\b/,
      // ... and a session the receiver refuses to take mail over without TLS ("530 5.7.7 Email sending without SSL/TLS
      // encryption is not allowed", Yandex; RFC 3207), read before a policy's "not allowed"
      /\bwithout (?:ssl\/tls|ssl|tls|starttls)(?: encryption)?\b(?:[^.]|\.(?=[^\s.])){0,30}\bnot (?:allowed|permitted)\b/,
      // ... and the session without TLS where the receiver wants it: Gmail's 4.7.29 ("rate limited because this message
      // wasn't sent over a TLS connection. Gmail requires all bulk email senders to use TLS", read before the words
      // about bulk senders), a STARTTLS the server cannot give ("454 TLS not available", RFC 3207)
      /\b(?:was not|not) sent over a tls connection\b|\btls (?:is )?(?:not available|unavailable)\b/,
      // ... and the client cut off for failing to log in too often ("421 Too many auth failures")
      /\btoo many (?:auth(?:entication)?|login) (?:failures|errors|attempts)\b/,
    ],
  },
  {
    reason: 'authfailure',
    patterns: [
      // (not a rate of unsolicited mail counted per sending identity: Gmail's 4.7.28 "... originating from your SPF
      // domain", in its SMTP error reference a spam-rate limit of the IP, the SPF domain or the DKIM domain)
      unlessAlso(/\bspf\b/, /\bunsolicited mail originating from your\b/),
      // (DKIM2, the draft's successor signature: "451 Temporary DKIM2 verification failure"; and DomainKeys, DKIM's
      // predecessor (RFC 4870), as qmail's domainkeys patch refuses: "DomainKey validation failed, DK_STAT_ARGS
      // (#5.1.3)", whose code is no verdict on the recipient's address; Gmail's "DKIM authentication didn't pass")
      inOrder(/\b(?:dkim2?|domain ?keys?)\b/, /fail|invalid|not|missing|required|reject|mismatch/),
      // a signature whose body hash did not verify, in Mail::DKIM's words (qpsmtpd's dkim plugin: "552 signature
      // invalid: body has been altered")
      /\bsignature invalid: body has been altered\b/,
      /\b(?:bad|invalid|broken|failed) dkim\b/,
      // a signature required and absent ("554 5.7.1 No valid DKIM signature found", chatmail's relay)
      /\b(?:no|without|missing) (?:a )?(?:valid |passing )?dkim\b/,
      /\bdmarc\b/,
      // ... in Microsoft's words for a From domain's DMARC reject policy ("messages from (192.0.2.1) on behalf of
      // (yahoo.com) could not be delivered due to domain owner policy restrictions")
      /\bdomain owner policy restrictions\b/,
      /sender policy framework/,
      // SPF's explanation in the words most of its checkers use ("domain of a@example.net does not designate
      // 192.0.2.1 as permitted sender", RFC 7208 8.4's example)
      /\bdoes not designate [^\s]{1,60} as permitted sender\b/,
      // ... and said of the IP ("65.49.42.68 is not allowed to send mail from example.com")
      /\b(?:\d{1,3}\.){3}\d{1,3} is not (?:allowed|permitted|authorized) to send (?:e-?)?mail from\b/,
      // the SPF project's explanation page, which SPF policy servers (Postfix's policyd-spf) link from their
      // refusals: "Recipient address rejected: Please see http://www.openspf.net/Why?s=mfrom;..."
      /\bopenspf\.(?:net|org)\/why\b|\bspf\.pobox\.com\/why\b/,
      // (not a block list's policy quoted in the refusal, Spamhaus PBL's "unauthenticated email sent from this IP
      // address should ...", nor Apache James's refusal of a listed client: the IP's listing is the cause)
      unlessAlso(
        /unauthenticated (?:email|mail|sender)/,
        new RegExp(String.raw`\bblocked using\b|\bpolicy block list\b|${LISTED_CLIENT_NOT_LOGGED_IN.source}`),
      ),
      // ... and the sender said so of itself: Yahoo's "550 5.7.9 This mail has been blocked because the sender is
      // unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM" (its sender
      // requirements, 2024) and Naver's "550 5.7.2 ... the sender is unauthenticated" (help.naver.com's newmail10)
      /\bblocked because the sender is unauthenticated\b/,
      /(?:is|are) not authorized to send (?:mail|email|on behalf)(?! as\b)/,
      /not permitted by (?:the )?(?:domain|sender)/,
      /authentication (?:checks? )?failed/,
      // Gmail's "does not have authentication information or fails to pass authentication checks (SPF or DKIM)"
      /\bfails? to pass (?:the )?(?:authentication|spf|dkim|dmarc)\b/,
      /email authentication/,
      // Microsoft's 5.7.515 for senders that do not meet its authentication requirements (SPF, DKIM and DMARC for
      // high-volume senders): "sending domain ... doesn't meet the required authentication level"
      /\brequired authentication level\b/,
      /\bsender id\b/,
      /designated sender/,
      // ... and RFC 7208's own explanation of an SPF fail (its section 6.2: "%{i} is not one of %{d}'s designated mail
      // servers", which SPF checkers give as their default explanation)
      /\bis not one of \S{1,255} designated mail servers\b/,
    ],
  },
  {
    reason: 'badreputation',
    patterns: [
      // (not a list that bears the word in its name, as a DNSBL's refusal names the list it used: "Mail from 192.0.2.1
      // deferred using Trend Micro Email Reputation database", read as the listing it is; nor the same service's list
      // named with a pointer to its lookup page, "... sender IP found in ERS-DUL. For details, query the IP reputation
      // on https://servicecentral.trendmicro.com/...")
      unlessAlso(/reputation/, /\b(?:deferred|blocked|rejected|refused) using\b|\bers-(?:rbl|qil|dul)\b/),
      /temporarily deferred due to (?:unexpected volume|user complaints)/,
      // complaints about the sender's mail, not a word of a name ("Example Health Board - Complaints", a recipient's
      // display name an Exchange notice repeats)
      /\b(?:user|spam|abuse|recipient|customer|subscriber)s?'? complaints?\b|\bcomplaints? (?:rate|from|about|against|received|level|threshold)\b|\b(?:due to|because of|many|high|too many|excessive) complaints?\b/,
      inOrder(/mail from your (?:ip|domain) /, / (?:deferred|limited)/),
      /spam rate/,
      // Validity's Sender Score is a reputation score of the sending IP
      /(?:poor|low|bad|insufficient) sender ?score|sender ?score (?:is )?(?:too )?low/,
      // ... and a sending domain's or host's record of spam ("example.com has been sending mostly spam")
      /\bhas been sending (?:mostly|a lot of|too much) spam\b/,
      // ... and Cisco's SenderBase Reputation Score, which its Secure Email gateways refuse below a threshold ("SBRS
      // score too low")
      /\bsbrs (?:score )?(?:is )?(?:too low|below)\b/,
      // Haraka's karma plugin scores a connection by its host's past behaviour ("550 very bad karma score: -8", "554
      // karma penalty")
      /\bkarma\b/,
      // McAfee's (now Trellix's) TrustedSource, a reputation service of sending IPs ("550 Message Untrusted by
      // TrustedSource")
      /\btrustedsource\b/,
    ],
  },
  {
    // a link or domain in the body on a URI block list: about the content, not the sending host
    reason: 'spamdetected',
    patterns: [
      /blacklisted (?:url|link|uri|domain)/,
      /\b(?:uribl|surbl)\b/,
      // ... said of a link in the message ("550 A URL in this email (example.es) is listed on https://spamrl.com/")
      /\ba (?:url|link|uri|domain) in (?:this|the|your) (?:email|message)\b.{0,120}?\bis listed\b/,
      // ... or said to carry a domain Spamhaus's domain list holds ("550 5.7.1 Your email was rejected due to having a
      // domain present in the Spamhaus DBL")
      /\bhaving a domain (?:present|listed) (?:in|on) the (?:spamhaus )?dbl\b/,
    ],
  },
  {
    // A refusal whose subject is the envelope sender (RFC 5321 MAIL FROM) or its domain: "Sender blacklisted",
    // "Sender is on domain's blacklist" (Broadcom Email Security.cloud), "Sender domain is blocked", "Mail from this
    // sender is not accepted", "Envelope sender domain not permitted", "Your domain is not allowed to send mail here".
    // Read before the host block-list rules below, which the same words ("blacklisted", "blocked") would match, unless
    // the sentence names the connecting host (an IP address, "client host", a DNSBL): then the host is what was refused.
    reason: 'rejected',
    patterns: [
      unlessAlso(
        /\b(?:(?:envelope |the |this |your )?sender(?:'s)?|mail ?from|envelope[- ]from|your (?:email )?(?:address|domain)|sending (?:email )?(?:address|domain))(?: (?:email )?(?:address|domain))?(?: [(<][^()<>\s]{1,254}[)>])? (?:is |was |has been )?(?:(?:on|in) (?:a |the |our |my |user |domain'?s? )?blacklist|blacklisted|blocked|banned|denied|not (?:allowed|permitted|accepted|authorized)|rejected|refused)\b/,
        // (nor greylisting: Postfix prints "Sender address rejected" for any check it runs at MAIL FROM, Postgrey's
        // "Sender address rejected: Greylisted for 300 seconds"; nor a count the sender went over, Webnames' "452 <a@b>
        // sender rejected. Too many messages for this connection"); nor a refusal that says it follows a policy ("554
        // Mail from a@b rejected for policy reasons": the receiver's policy, as the reference library reads it)
        /\b(?:ip|client host|your host|sending host|connecting host|dnsbls?|rbl|spamhaus|spamcop|barracuda)\b|\bhost is blacklisted\b|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|\bgreylist(?:ed|ing)?\b|\btoo many (?:messages|connections|recipients)\b|\bfor (?:local )?policy reasons\b/,
      ),
      /(?:from|sender) (?:email )?address does not match/,
      // ... or refused in words the reference library lists with the sender's refusals: "This server does not accept
      // mail from <domain>", the null sender as "Syntax error: empty email address", the sender's domain failing a DNS
      // check ("RFC 1035 violation: recursive CNAME records for <domain>"), SecuMail's "valid-address-filter"
      /\bthis server does not accept mail from\b|\bsyntax error: empty (?:e-?mail )?address\b|\brfc ?1035 violation: recursive cname records for\b|\bsecumail valid-address-filter\b/,
      // ... or the sender's own mailbox said to be missing, a receiver's callout to the envelope sender's server ("550
      // 5.1.0 <a@b> sender mailbox unavailable"): read before the words "mailbox unavailable" name the recipient's
      /\bsender(?:'s)? (?:mailbox|address|account) (?:is )?(?:unavailable|does not exist|not found)\b/,
      // ... or on the receiver's list of senders it refuses (Exchange's sender filter: "Email address is on
      // SenderFilterConfig list"), or named as one the server takes no mail from ("This server does not accept mail
      // from a@example.org")
      /\bon senderfilterconfig list\b|\bserver does not accept (?:e-?)?mail from [^\s@]{1,64}@/,
      // ... or a sending domain the service has not verified as the client's ("550 From header sender domain not
      // verified", SMTP2GO)
      // (and the address itself, Brevo's "550 5.7.1 Sender not verified", AT&T's "553 From address not verified")
      new RegExp(
        String.raw`\b(?:sender|from)(?:'s)? (?:domain|address) (?:is |has )?not (?:been )?verified\b|${REPLY_CODES_FIRST}sender not verified\b`,
      ),
      // ... or the domain the client may not send as ("You are not allowed to use the domain hotmail.com as a sender
      // domain")
      /\bnot (?:allowed|permitted|authorized) to use (?:the )?(?:domain |address )?\S{1,255} as (?:a |the )?sender\b/,
      // ... or to send from ("550 5.7.1 Sending from domain example.com is not allowed")
      /\bsending from (?:the )?domain (?:\S{1,255} )?is not (?:allowed|permitted)\b/,
      // ... or is not the logged-in account's ("Not authorised to send from this header address", SendGrid's "You are
      // not authorized to send from that email address", iCloud's "From address is not one of your addresses")
      /\bnot authorized to send from (?:this|that|the) (?:header |email )?address\b|\bfrom address is not one of your addresses\b/,
      // ... or the envelope sender named and refused (Elastic Email's "553 Envelope FROM 'a@b' email address not
      // allowed.")
      /\benvelope from '?<?[^\s'>]{1,255}>?'? (?:email )?(?:address )?(?:is )?not (?:allowed|permitted)\b/,
      // (a submission server's check of the From against the login: "a@b may not send as c@d (From: header)", "From
      // header must match the authenticated envelope sender", SmarterMail's "From domain must match authenticated
      // domain"; and a sender refused outright, "553 You are not authorized to send mail as <>", "550 You are not
      // allowed to send e-mails as the domain example.com", not SPF's "is not authorized to send mail on behalf of"
      // nor a session's missing login, "not allowed to send as an unauthenticated user")
      /\bmay not send as\b|\bfrom (?:header|domain|address) must match (?:the )?authenticated\b|\bnot (?:authorized|allowed|permitted) to send (?:emails? |mails? |messages? )?as\b(?! an? (?:unauthenticated|anonymous)\b)/,
      // ... or the sender named after its listing ("554 5.7.1 Blacklisted sender")
      // (not a host so called, "Blacklisted sender IP 192.0.2.1")
      /\bblacklisted sender\b(?! (?:ip|host|server|mta|network)\b)/,
      // ... or names a domain the sending service was not set up for (SparkPost's "Unconfigured Sending Domain"), or
      // has no domain at all (Sendmail's "sender address must contain a domain")
      /\bunconfigured sending domain\b|\bsender address must contain a domain\b/,
      // ... or a sending domain the relay does not trust its client with (Selectel's relay: "501 from domain not
      // trusted")
      /\b(?:from|sender|sending) domain (?:is )?not trusted\b/,
      // ... or is malformed, or its domain has no mail host (qmail's chkuser, which checks the sender at the first RCPT:
      // "sender address has invalid format (#5.7.1 - chkuser)", "can't find a valid MX for sender domain (#5.1.1 -
      // chkuser)"), or is on the receiver's own list (Debian exim4-config's "sender envelope address a@b is locally
      // blacklisted here")
      /\bsender address has (?:an )?invalid format\b|\bvalid mx for (?:the )?sender domain\b/,
      /\bsender envelope address \S{1,255} is (?:locally )?blacklisted\b/,
      // ... or its domain has no mail host or address in the DNS, as United Internet (GMX, WEB.DE, IONOS) checks it and
      // says at RCPT TO, after "550 Requested action not taken: mailbox unavailable" (postmaster.gmx.net's error
      // messages: "invalid DNS MX or A/AAAA resource record"), which is no verdict on the recipient
      /\binvalid dns mx or a\/aaaa resource record\b/,
      // ... or the sending account itself stopped at its provider ("Sending suspended for this account", Amazon SES)
      /\bsending (?:suspended|paused|disabled) for (?:this|your) account\b/,
      // "You are sending to/from an address that has been blacklisted": an address, not a host, on the list
      /\bsending (?:to\/)?from an address that (?:has been|is) blacklisted\b/,
      // Exim's callout on the sender failing ("550 Sender verify failed"), whatever its explanation guesses the sender's
      // domain to be ("may not exist, they may be blacklisted, or missing the proper dns entries")
      // (and its "451 Could not complete sender verify (callout)": the sender is being checked; "550 Verify mailfrom
      // failed,blocked", a bounce handler's rules' example)
      /\bsender verify failed\b|\bcould not complete sender verify\b|\bverify mail ?from failed\b/,
      // ... in the words of Exim's callout when the sender's own servers refused it ("Callback setup failed while
      // verifying <a@b>"), or a sender domain with no address or mail host at all ("Sender has no A, AAAA, or MX DNS
      // records", cPanel's Exim)
      /\bcallback setup failed while verifying\b|\bsender (?:domain )?has no (?:a, aaaa,? (?:or|and) )?mx\b/,
      // ... and its callout to the sender's domain's postmaster (smtp_in.c: "Postmaster verification failed while
      // checking <a@b> ... This host does not accept mail from domains whose servers reject the postmaster address"):
      // the domain that takes no mail there is the sender's
      /\bpostmaster verification failed while checking\b/,
      // ... and the callback said failed in short (milters' "550 5.7.1 Callback failure")
      new RegExp(String.raw`${REPLY_CODES_FIRST}callback (?:verification )?fail(?:ure|ed)\b`),
      // WP.pl's "554 sorry, refused mailfrom because return MX does not exist": the MAIL FROM refused, and the mail
      // exchanger of the address that replies would go back to; both the sender's
      /\brefused mail ?from\b|\breturn(?:[- ]path)? mx\b/,
      // ... and the sender's domain with a null MX (RFC 7505 4.2), said of the MAIL FROM: maddy's "501 5.7.27 Domain in
      // MAIL FROM has null MX record" (read before the null MX of a recipient's domain, a host that takes no mail)
      /\bdomain in mail ?from\b(?:[^.]|\.(?=[^\s.])){0,30}\bnull mx\b/,
      // qpsmtpd's "550 Mail from <a@b> not accepted here"
      /\bmail from\b(?:[^.]|\.(?=\S)){0,80}\bnot accepted here\b/,
      // a submission server refusing the account's right to send as the address in From (Exchange Online's 5.7.60
      // "Client does not have permissions to send as this sender", its SendAsDenied)
      // (and its notice's words for the same: "You can't send a message on behalf of this user unless you have
      // permission to do so")
      /\bpermissions? to send as this sender\b|\bsendasdenied|\bsend a message on behalf of this user\b/,
      // the sender's domain on a domain block list (Spamhaus DBL, "Sender domain listed at dbl.spamhaus.org",
      // "MAILFROM domain is listed in Spamhaus"): a list of domains, not of the connecting host
      /\b(?:sender|mail ?from|envelope[- ]from|return[- ]path)(?:'s)? domain (?:is |was )?listed (?:in|at|on|by)\b/,
      // ... and Postfix's reject_rhsbl_sender in its words ("Sender address [a@b] blocked using dbl.spamhaus.org")
      /\bsender address \[?\S{1,320}?\]? blocked using\b/,
      // every recipient refused alike, so for the sender rather than for any one address ("All recipient addresses
      // rejected : Access denied", the reference library's rejected list, Sisimai 5)
      /\ball recipient addresses (?:were )?rejected ?: ?access denied\b/,
      // the sender named as a spammer, not the host it came from ("Sender is spammer", the reference library's
      // rejected list, Sisimai 5)
      /\bsender is (?:a |an? known )?spammer\b/,
      // a receiver that requires a sender domain it can verify ("[permfail] bellsouth.net requires valid sender
      // domain", AT&T's documented refusal)
      /\brequires (?:a )?valid sender (?:domain|address)\b/,
      // a mailing list that takes posts from its members only ("Posting by non-member to a members-only list", "You
      // are not a member of this mailing list", "... is not subscribed to this group", "Closed mailing list"): the list
      // refused the sender, as fml's and Google Groups' notices say in their own words (and ezmlm's "Sorry, only
      // subscribers may post", Google Groups' "The group you attempted to subscribe to is invite only")
      /\bposting by non-?member\b|\bnot (?:a )?member of (?:this|the) (?:mailing )?(?:list|group)\b|\bnot subscribed to (?:this|the) (?:mailing )?(?:list|group)\b|\bmembers-only (?:mailing )?list\b|\bclosed mailing list\b/,
      /\bonly (?:subscribers|members) (?:may|can) post\b|\b(?:group|list) (?:[^.]|\.(?=[^\s.])){0,60}\bis invite[- ]only\b/,
      // ... and the list managers' own notices refusing a poster (Mailman 3's rules: "Non-members are not allowed to
      // post messages to this list", "Sender is explicitly forbidden", "You are forbidden from posting messages to this
      // list", "The sender is in the nonmember reject list"; ezmlm-idx's "you are not allowed to post messages to this
      // list"; Sympa's "Message distribution in the list is restricted to list subscribers"; "a subscribers only list")
      /\b(?:not allowed|forbidden) (?:to post|from posting)(?: messages)? to this (?:mailing )?(?:list|group)\b|\bsender is explicitly forbidden\b|\bnonmember reject list\b|\brestricted to list (?:subscribers|moderators|owners)\b|\bsubscribers only list\b/,
      // the sender's account barred from sending ("The user has an outgoing mail suspension")
      /\boutgoing mail suspension\b/,
      // ... or its domain not one the sending organisation registered (Microsoft 365's 5.7.750 "Client blocked from
      // sending from unregistered domains")
      /\bsending from unregistered domains?\b/,
      // a host that takes mail, only not from this sender: "is not accepting mail from your domain"
      /not accept(?:ing)? (?:any )?(?:email|mail|messages) from (?:your|the sender'?s?|this sender'?s?|sender|this) (?:email )?(?:domain|address)/,
      // the author's address in the header (RFC 5322 3.6.2) is the sender's: "Unknown user or domain in From header"
      /\b(?:unknown|invalid|nonexistent|not valid)\b(?:[^.]|\.(?=[^\s.])){0,40}\bin (?:the )?from:? (?:header|field|line)/,
      // the sender's domain has no mail route of its own (RFC 5321 7.9: a receiver may refuse mail it could not bounce):
      // "No MX record found for the sender's domain", read before the rules on the recipient's domain taking no mail
      /\b(?:mx|dns|a) records? (?:was |were )?(?:not found|missing)? ?for (?:the |your )?(?:sender'?s?|sending|envelope sender|return[- ]path|mail from) (?:email )?(?:domain|address)/,
      /\bno (?:mx|dns|a) records? (?:was |were )?(?:found )?for (?:the |your )?(?:sender'?s?|sending|envelope sender|return[- ]path|mail from) (?:email )?(?:domain|address)/,
      // the sender's domain taking no mail (RFC 7505 4.2: a receiver may refuse a sender whose domain has a null MX):
      // "Your domain is not accepting mail so we cannot accept mail from it", "The domain of your From address does
      // not accept mail (null MX)", read before the rules on the recipient's domain
      /\b(?:your|the sender'?s?|sending) (?:email )?domain\b(?:[^.]|\.(?=[^\s.])){0,20}\b(?:is not accepting|does not accept) (?:any )?(?:e-?)?mail/,
      // ... and whatever else is said of "the domain of your address" or of the sender's: the sentence above, or
      // Sendmail's check_mail ("553 5.1.8 <a@b>... Domain of sender address a@b does not exist", cf/m4/proto.m4),
      // whatever enhanced code a site gives it
      /\bdomain of (?:your|the sender'?s?|sender) (?:email |from:? )?address\b/,
      // a domain said not to exist in a sentence about the sender, in either order ("No such domain for sender",
      // "Unknown domain in MAIL FROM", "Sender domain has been deleted", "Domain not found for the return address",
      // "Bounce domain does not exist")
      withinSentence(DOMAIN_MISSING, SENDER_NAMED),
      withinSentence(SENDER_NAMED, DOMAIN_MISSING),
      // ... said subject first ("The sending domain has no MX record")
      // (hMailServer: "550 Sender domain does not have any MX records.")
      // (and said to the sender as "your domain", its own, with "lacks": "your mail was refused because your domain lacks
      // an MX record", the EnemiesList sendmail kit)
      /\b(?:sender'?s?|sending|envelope sender|return[- ]path|your) (?:email )?domain (?:(?:has|have) no|(?:does not have|lacks?)(?: an?| any)?) (?:mx|dns|a) records?\b/,
      // the sending account, not the recipient's, disabled, locked or unknown ("Account for sending is disabled", "The
      // sender account has been locked", "Authenticated user is disabled"; said to the sender, "your account" is its
      // own, as Brevo's "Your SMTP account is not yet activated"): read before the recipient's closed account and
      // unknown user
      /\b(?:(?:sender'?s?|sending|authenticated) (?:email )?(?:account|user|mailbox)|your (?:email |sending |smtp )?account)\b(?:[^.]|\.(?=[^\s.])){0,30}\b(?:disabled|suspended|locked|blocked|deactivated|expired|inactive|closed|not active|not (?:yet )?activated|does not exist|not found|unknown|invalid|not valid)\b|\baccount for sending\b|\baccount (?:is )?(?:unavailable|disabled|suspended|blocked|not allowed) for sending\b/,
      // ... and the sender's own domain suspended or disabled ("Your domain has been suspended for abuse")
      /\byour (?:email |sending )?domain\b(?:[^.]|\.(?=[^\s.])){0,30}\b(?:suspended|disabled|deactivated|locked|(?:could not|cannot) be resolved|does not resolve|not found|does not exist|unknown)\b/,
      // the sender's domain named by where it appears: the From header, MAIL FROM ("The domain in your From header
      // does not exist", "Unable to resolve the sender domain")
      /\bdomain (?:in|of) (?:the |your )?(?:from:?|return[- ]path|mail from|envelope sender)(?: header| field| address)?\b(?:[^.]|\.(?=[^\s.])){0,30}\b(?:does not exist|not found|unknown|invalid|(?:could not|cannot) be resolved)\b/,
      /\b(?:unable to|could not|cannot) resolve (?:the |your )?(?:sender'?s?|sending|envelope sender|return[- ]path|mail from|from) (?:email )?(?:domain|address)\b/,
      // SMTP AUTH naming a login it does not know ("5.7.0 Authentication user unknown"): the sender's credentials
      /\bauthentication user (?:unknown|not found|does not exist)\b/,
      // RFC 7505 4.2: "550 5.7.27 Sender address has null MX", the sender's domain declares it takes no mail
      /\bsender (?:email )?(?:address |domain )?(?:has|with) (?:a )?null mx/,
      // Microsoft's NDR for a sender it does not trust: "you weren't recognized as a valid sender"
      /\bnot recognized as a valid sender/,
      // the From address itself refused, though the sentence names an IP ("IP addresses are not allowed as a From:
      // Address", "Blank From: addresses are not allowed", GoDaddy's IB502 and IB501)
      /\bnot allowed as (?:a |the )?from:? (?:email )?(?:address|header)|\b(?:blank|empty) from:? addresses? (?:are |is )?not allowed/,
      // the sender's own addresses said not to exist or to be invalid: the From, Return-Path or Reply-To address,
      // or an address "in MAIL FROM" ("The From: address is invalid", "Return-path address a@b does not exist",
      // "Invalid address in MAIL FROM"); read before the recipient's unknown user, whose words they share. Reply-To
      // only with its hyphen: Postfix's "(in reply to RCPT TO command)" follows every reply it quotes
      /\b(?:from:?|mail from:?|return[- ]path|reply-to|envelope[- ]from|originator) (?:email(?: address)?|address)\b(?:[^.]|\.(?=[^\s.])){0,60}?\b(?:does not exist|not found|(?:is )?unknown|(?:is )?invalid|not valid)\b/,
      /\b(?:unknown|invalid|nonexistent|not valid)\b(?:[^.]|\.(?=[^\s.])){0,40}\bin (?:the )?(?:mail from|return[- ]path|reply-to|envelope[- ]from)\b/,
      /\baddress in (?:the )?(?:from|mail from|return[- ]path|reply-to)\b(?:[^.]|\.(?=[^\s.])){0,40}?\b(?:does not exist|not found|unknown|invalid|not valid)\b/,
    ],
  },
  {
    // the sending side's SMTP login refused ("535 Invalid username or password"; the older reference library's
    // security-error list): its credentials, not the recipient's address, read before the unknown user
    reason: 'securityerror',
    patterns: [
      /\b(?:invalid|bad|wrong|incorrect) (?:user ?name|login) (?:or|and|\/) password\b|\b(?:user ?name|login) (?:or|and|\/) password (?:is |are )?(?:invalid|incorrect|wrong|not accepted)\b/,
    ],
  },
  {
    // cPanel's Exim gives its routers this cannot_route_message in place of Exim's "Unrouteable address" ("The mail
    // server could not deliver mail to a@b. The account or domain may not exist, they may be blacklisted, or missing
    // the proper dns entries."): no route to the address, read before the block-list word it guesses at. (Under a
    // sender verification, "Sender verify failed" says whose address it was, above.)
    reason: 'hostunknown',
    patterns: [/\bthe account or domain may not exist, they may be blacklisted\b/],
  },
  {
    reason: 'blocked',
    patterns: [
      LISTED_CLIENT_NOT_LOGGED_IN,
      // mail from the sending IP or host refused as such ("we do not accept mail from your IP address, 192.0.2.1, which
      // is in a netblock assigned to a known spammer", the EnemiesList sendmail kit), whatever it says after
      /\b(?:do not|does not|will not|no longer) accept (?:any )?(?:email|mail|messages|connections) from (?:your|this|the sending) (?:ip|host|server|network|netblock)\b/,
      // the sending IP held back by the sending side itself (Momentum's "451 4.3.0 [internal] Sending IP temporarily
      // suspended", its adaptive delivery answering a receiver's refusals): the IP, not a suspended mailbox
      /\b(?:sending |source |your )?ip(?: address)? (?:has been |is )?(?:temporarily )?suspended\b/,
      // (not a list of file types: "Blacklisted high risk file extension detected", "The extension of the attached file
      // is blacklisted")
      // (nor a sender the recipient listed or a recipient listed, read as the recipient's filter below)
      unlessAlso(
        /(?<!\b(?:extension|file type) of the attach(?:ed file|ment) is )\b(?:black|block|deny|ban)[- ]?list(?:ed)?\b(?! (?:high[- ]risk )?(?:file|attachment|extension|key ?phrase|phrase|word|regex|expression))/,
        LISTED_FOR_RECIPIENT,
      ),
      // ... said of the IP in the words of some Chinese providers ("550 black ip.")
      /\bblack ?ip\b/,
      // a refusal that quotes the name the client gave in HELO, or says it was in it (the Exim wiki's HELO recipes,
      // which panels such as HestiaCP ship: "Invalid domain or IP given in HELO/EHLO (HELO was localhost)", "Open Proxy
      // in HELO/EHLO", "Helo name contains a ip address", "192.0.2.1 is _my_ address"): the sending host's name, at
      // whatever step the receiver checked it, never the recipient's domain
      /\(helo was\b|\bgiven in (?:helo|ehlo)\b|\bin helo\/ehlo\b|\b(?:helo|ehlo) name contains\b|\bis _my_ address\b/,
      // greylisting (RFC 6647): a first delivery from a sending host the receiver has not seen with this envelope is
      // deferred until it retries, Postgrey's "450 4.2.0 Greylisted" or "451 4.7.1 Greylisting in action": the
      // sending host held back for now, as RFC 3463's transient x.7.1 reads
      /\bgreylist(?:ed|ing)?\b/,
      // ... or by the greylisting server's name ("450 4.2.0 <a@b>: Recipient address rejected: Delayed by postgrey")
      /\bdelayed by postgrey\b/,
      // ... in greylistd's words ("451 192.0.2.1 is not yet authorized to deliver mail from <a> to <b>. Please try
      // later.")
      /\bis not yet authorized to deliver mail from\b/,
      // ... in MIMEDefang's words ("451 4.3.0 First-time sender tempfailed as anti-spam measure"), read before "spam"
      /\btempfail(?:ed)? as (?:an? )?anti-?spam measure\b/,
      // ... and a client held back for retrying too soon after its errors (policyd-weight's "Recipient address
      // rejected: temporarily blocked because of previous errors - retrying too fast"), read before a blocked account
      /\bblocked because of previous errors\b/,
      // ... or for trying address after address ("Dictionary attack detected", a gateway's harvest protection): the
      // sending host's behaviour
      /\bdictionary attack\b/,
      // ... and the listing or block of the IP said in its shortest form (Spamhaus's lists by their names, "550 IP in
      // PBL"; "553 Message blocked from 203.0.113.5")
      /\bip (?:is )?(?:listed )?in (?:the )?(?:pbl|sbl|xbl|cbl|scbl)\b|\bblocked from (?:\d{1,3}\.){3}\d{1,3}\b/,
      // ... or the sending IP said to be a known source of spam (MailEnable's IP blocking: "452 The IP Address you are
      // sending from was reported as a source of Spam"), which names the IP's listing, not the message's content
      /\b(?:ip|host|server)\b(?:[^.]|\.(?=[^\s.])){0,40}\b(?:reported|listed|known) as an? (?:source|sender) of spam\b/,
      // ... or the mail of the sending IP refused as such (iCloud's "550 5.7.1 [HCM2] Your mail from 192.0.2.1 was
      // rejected", with its postmaster page)
      /\bmail from (?:\d{1,3}\.){3}\d{1,3} (?:was |is |has been )?(?:rejected|refused|blocked)\b/,
      // ... or the client told so ("550 5.7.1 SPFBL you are permanently blocked on this server")
      /\byou are (?:permanently |temporarily )?(?:blocked|banned)\b/,
      // ... or by a block list named after the words ("550 Email blocked by cbl.abuseat.org"), a block list said to be
      // in force ("554 Blocklisting in effect"), a connection refused for abuse
      /\bblocked by (?:[a-z0-9-]{1,63}\.){0,4}(?:spamhaus|spamcop|sorbs|abuseat|barracudacentral|dnsbl|rbl|psbl|mailspike)\b/,
      /\bblacklisting in effect\b|\bconnection refused due to (?:previous )?abuse\b/,
      // ... or the sending network judged so ("Rejected due to malicious network"), read before "malicious" is a virus
      /\bmalicious (?:network|ip|host|sender ip)s?\b/,
      // ... or by Exchange's IP block list ("550 5.7.1 External client with IP address 192.0.2.1 does not have
      // permissions to submit to this server")
      /\bexternal client with ip address\b.{0,60}\bdoes not have permissions? to submit\b/,
      // the sending host caught mailing a spam trap, or named a source of spam (OpenBSD spamd's "Your address
      // 192.0.2.1 has sent mail to a spamtrap", qpsmtpd's "Sorry, known spam only source"): a verdict on the host
      /\bspam ?traps?\b|\bspam (?:only )?source\b/,
      /\bdnsbls?\b/,
      /\brbls?\b/,
      /spamhaus/,
      /spamcop/,
      // invaluement's IP list ("550-Blocked by ivmSIP and/or ivmSIP/24 - see https://www.invaluement.com/lookup/...")
      /\binvaluement\b|\bivmsip\b/,
      // Italian: "Indirizzo IP bloccato temporaneamente per sospetto abuso"
      /\bindirizzo ip\b(?:[^.]|\.(?=[^\s.])){0,40}\bbloccat[oa]\b/,
      // the sending IP's country or region refused ("550 Geographic Region is Blocked", "554 Blocked IP-Country")
      /\b(?:geographic(?:al)? region|country|region) (?:is )?blocked\b|\bblocked (?:ip-)?country\b/,
      // Trend Micro's Email Reputation Services, named by the list that matched the connecting IP ("554 5.7.1 <a@b>:
      // Recipient address rejected: ERS-QIL", its Quick IP Lookup; ERS-RBL, ERS-DUL)
      /\bers-(?:rbl|qil|dul)\b/,
      /sorbs/,
      // within one sentence: a later "recipient" or "hostname" elsewhere in a notice says nothing about what was banned
      withinSentence(/\bbanned\b/, /\b(?:ip|host|sender|network)\b/),
      // an IP address said to be blocked ("521 <192.0.2.1> is blocked", AT&T): the host, whatever the reply code says
      /(?:^|[\s<[(])(?:\d{1,3}\.){3}\d{1,3}[>\])]? (?:is |has been |was )?(?:blocked|banned|blacklisted)\b/,
      // ... or mail from it ("571 Email from 192.0.2.1 is currently blocked by Verizon Online's anti-spam system")
      /\b(?:email|mail|messages?) from \[?(?:\d{1,3}\.){3}\d{1,3}\]? (?:is |are |has been |was )?(?:currently |temporarily )?(?:blocked|banned|refused|denied)\b/,
      /messages from (?:\d{1,3}\.){3}\d{1,3}/,
      // ... held back or refused, the IP in brackets or parentheses: the connecting IP is what it holds back (Yahoo's
      // "[GL01] Message from (192.0.2.1) temporarily deferred", senders.yahooinc.com/smtp-error-codes)
      /(?:message|mail) from \(?\[?(?:\d{1,3}\.){3}\d{1,3}\]?\)? (?:temporarily |permanently )?(?:deferred|rejected|refused|blocked)/,
      // (within one sentence: the dots of an IP address, "Your access IP 192.0.2.1 has been rejected", do not end it)
      // (not Postfix's label of a client check over the client's own protocol fault, "503 5.5.0 <unknown[192.0.2.1]>:
      // Client host rejected: Improper use of SMTP command pipelining", read below)
      unlessAlso(
        /(?:\bip|client host|your host|sending host|network|connection from)(?:[^.]|\.(?=[^\s.])){0,40}(?:blocked|banned|refused|rejected|not allowed|denied)/,
        CLIENTS_PROTOCOL_FAULT,
      ),
      /(?:blocked|banned|refused|rejected)(?:[^.]|\.(?=[^\s.])){0,30}(?:your|sending|the) (?:ip|host|server|network|mta)/,
      // (and the verdict as a label, Sohu's "553 5.7.0 IP REJECT")
      /\bip reject\b/,
      withinSentence(/access denied/, /\[\d/),
      // (an IP address's dots do not end the sentence: "Your IP(192.0.2.1) is filtered", Naver)
      // (and "Sorry, your mailserver [192.0.2.1] is rejected by example.net")
      /your (?:ip|server|mail ?server|network|host)(?:[^.]|\.(?=[^\s.])){0,40}(?:is|has been|was) (?:on|listed|blocked|banned|blacklisted|filtered|rejected|refused)\b/,
      // ... or a block said to come from what the IP did ("451 Automated block triggered by suspicious activity from
      // your IP address (192.0.2.1)")
      /\bblock\b(?:[^.]|\.(?=[^\s.])){0,60}\bfrom your ip(?: address)?\b/,
      // the sending IP not among those the receiver accepts ("IP address not found in allowed list", "Your IP address
      // ... is unknown to us", "The IP address ... is not valid for this sender"): the host is what is refused
      /\bip(?:v[46])?(?: address)?\b(?:[^.]|\.(?=[^\s.])){0,40}?(?:\bunknown to us\b|\bnot (?:found )?(?:in|on) (?:the |our |any )?(?:allowed|white|allow|permitted|accepted)[- ]?list\b|\b(?:is )?not valid for\b|\bis (?:unknown|invalid)\b)/,
      // ("550 Listed by CSS": Spamhaus's CSS list, named by the list's name alone)
      unlessAlso(/(?<!\bnot )listed (?:at|on|in|by)\b/, LISTED_FOR_RECIPIENT),
      // a connection refused in a server's reply, not in the sending MTA's words for a port nothing answered at:
      // named for the client ("421 ... connection refused from [192.0.2.1]", Charter; "554 5.7.1 Connection refused
      // for 192.0.2.1"; MMDF's smtpsrvr under tcp_wrappers, "451 Connection Refused (denied) from: host"), or by a
      // server that answers with a code outside the network subject ("554 Connection refused by policy"; Sendmail's
      // own "Connection refused by mx.example.net." is read after every other cause, below, and Exchange's "4.4.316
      // Connection refused" is the network)
      /connection refused (?:\([^()]{0,30}\) )?(?:from|for):? \S/,
      /^[45]\d\d[ -](?![45]\.4\.)(?:[45]\.\d{1,3}\.\d{1,3} )?connection refused by\b/,
      // a client that should send through its access provider's relay ("Client host bypassing service provider's mail
      // relay", a residential IP), or refused for where it connects from ("mail from your location [192.0.2.1] is
      // administratively denied", qmail's tcpserver rules)
      /\bbypassing (?:the |its |your )?service provider'?s (?:mail )?relay\b|\bmail from your location\b/,
      // (also said as what the IP is not: "553 Sorry, you seem to be a non-static-ip server(#5.7.1)")
      /dynamic (?:ip|address|pool)|\bnon-?static[- ]ip\b/,
      /residential/,
      /\bdial-?up\b/,
      /(?:generic|dynamic)(?:[^.]|\.(?=[^\s.])){0,20}(?:host|hostname|rdns)/,
      // the same judgement worded the other way round: Mimecast's "550 Host Looks Dynamic" (Mimecast SMTP error codes)
      /\b(?:host|hostname|ip|address) (?:looks|appears|seems)(?: to be)? (?:dynamic|generic|residential)/,
      // the sending host mailed too many addresses that do not exist (Yahoo's "[TSS11] Excessive unknown recipients -
      // possible Open Relay"): a verdict on the sender's traffic, not on this recipient
      // (and in other words: "550 REJECTED - Too many failed recipients - count = 4", MailChannels' "[BR] Our system
      // has detected an excessively high number of invalid recipients originating from your account")
      // (cPanel's dictionary-attack rule: "550 Number of failed recipients exceeded. Come back in a few hours."; and
      // the RCPT TO commands counted, "556 Too many invalid recipient requests. Closing connection.")
      /(?:too many|excessive|(?:high|large) number of) (?:invalid|unknown|bad|failed|nonexistent) (?:recipients|users|addresses|recipient (?:requests|attempts|commands))|\bnumber of (?:invalid|unknown|bad|failed) recipients (?:has been |was )?exceeded\b/,
      /service unavailable;? client host/,
      /client host \S+ blocked/,
      // a refusal of the connection itself by the receiver's policy, before any envelope: Broadcom (Symantec)
      // Email Security.cloud's "501 Connection rejected by policy [7.7]"
      /connection (?:rejected|denied|refused) (?:by|due to) (?:local |our )?policy/,
      /poor reputation|bad reputation/,
      /your access to this mail system has been rejected/,
      // the connecting host's access taken away ("Your access has been suspended"), not the recipient's account
      /\byour access\b(?:[^.]|\.(?=[^\s.])){0,30}\b(?:suspended|disabled|revoked|blocked|denied)\b/,
      // the HELO/EHLO name the sending host gave was refused: a verdict on the connecting host, not the recipient
      /\b(?:helo|ehlo)(?: name| hostname| host| domain| argument| command)?(?: is)? (?:invalid|not valid|rejected|unknown|refused|does not exist|does not resolve|not found|could not be resolved)/,
      // ... or missing ("501 5.5.4 Empty HELO/EHLO argument not allowed, closing connection.", Gmail's SMTP error
      // reference)
      /\bempty (?:helo|ehlo)(?:\/(?:helo|ehlo))? (?:argument|name|hostname)\b/,
      // ... or the name itself said to be malformed ("HELO argument [localhost.localdomain] is malformed", MagicSpam)
      /\b(?:helo|ehlo) (?:name|hostname|argument|string) \S{1,255} is (?:malformed|invalid|not valid|bogus)\b/,
      /ip(?:v4)? address [^ ]{1,255} (?:is )?not allowed/,
      // United Internet (GMX, WEB.DE, IONOS) opens every greeting refusal with "Nemesis ESMTP Service not available /
      // No SMTP service" and names the cause in its last line (postmaster.gmx.net's error messages): "Reject due to
      // policy restrictions" in the greeting refuses the connecting host, read before "no smtp service"
      /\bno smtp service\b.{0,40}?\breject due to policy restrictions\b/,
      // the name the sending host gave in HELO/EHLO, said the other way round: "Invalid domain name in HELO"
      /(?:invalid|bad|unknown|unresolvable|illegal|not valid) (?:(?:domain |host ?)?name|domain) (?:in|for|given in) (?:the )?(?:helo|ehlo)\b/,
      // ... or with the command first: "Access denied - Invalid HELO name (See RFC2821 4.1.1.1)"
      /\b(?:invalid|bad|illegal) (?:helo|ehlo)(?: name| hostname| host| domain| argument)?\b/,
      // the connecting IP itself, written as an address, said to be blocked: "mx.example: 192.0.2.1 temporarily blocked"
      /\b\d{1,3}(?:\.\d{1,3}){3}\]?(?: is| has been| was)? (?:temporarily |permanently )?(?:blocked|banned|blacklisted)\b/,
      // the connecting IP unknown to the receiver: not an address of a mailbox
      /\b(?:your |the |client |sending )?ip(?:v4|v6)? address (?:is |was )?(?:not known|unknown|not recognized)/,
      /mail server at [^ ]{1,255} is blocked/,
      /has been temporarily blocked/,
      // (and the sending host's "possible spamming activity", Trend Micro Hosted Email Security's block of a customer's
      // relay)
      /block(?:ed)? (?:for|by|due to) (?:(?:possible|suspected|detected) )?(?:spam|abuse|policy)/,
      /administrative prohibition/,
      /\bip blocked\b/,
      // (not relaying itself, "553 unauthorized relay traffic prohibited": the relay refused, below)
      /unauthorized (?:ip|host|relay host)/,
      // "550 Sorry, no access for this ip" (Sendmail's access map)
      /\bno access (?:for|from) (?:this|your) (?:ip|host)\b/,
      /from the following ip address/,
      inOrder(/rejected because /, / (?:ip|host)/),
      /not accepting mail from this (?:ip|host)/,
      // refused at the connection itself (RFC 5321 3.1: a 554 greeting or reply "instead of the 220" means the
      // server will not talk to this client): "554 5.7.1 You are not allowed to connect"
      /not (?:allowed|permitted|authorized) to connect/,
      // the connecting host refused in other receivers' words: a DNSBL's verdict quoted by Postfix ("Client host
      // [192.0.2.1] blocked using zen.spamhaus.org") or pointed to ("blocked - see https://..."), Sendmail's
      // "Rejecting open proxy" (and a host "blocked as possible open relay"), iCloud's "ESMTP not accepting
      // connections", Microsoft's "not currently accepting mail from your IP", free.fr's "too many spams from your
      // IP", "server IP ... listed as abusive", "looks suspiciously like spammer" (a dynamic host), "please use the
      // SMTP server of your ISP" ("mail from 192.0.2.1 refused" is read above, with the other messages from an IP);
      // the wordings not attributed here are collected, without their senders, in Sisimai's Blocked reason
      // (not "blocked using spam pattern", the content's verdict)
      /\bblocked using\b(?! (?:a |our )?spam (?:pattern|filter|signature|rule)s?\b)|\b(?:blocked|refused) - see https?:\/\/|\brejecting open proxy\b|\bblocked as (?:an? )?(?:possible |suspected |potential )?open (?:relay|proxy)\b|\besmtp not accepting connections\b/,
      /\bnot (?:currently )?accepting mail from your ip\b|\btoo many spams from your ip\b|\blisted as abusive\b/,
      /\blooks suspiciously like (?:a )?spammer\b|\bsmtp server of your isp\b/,
      /\b(?:bad )?sender ip address (?:rejected|blocked)\b|\bbad sender ip address\b/,
      /\b(?:remote|client|your|sending) ip (?:address )?(?:is )?(?:forbidden|not allowed)\b|\bforbidden by your ip\b|\bno access from mail server\b|\bserver requires confirmation\b|\bconfirm this mail server\b/,
      // the sending IP judged unfit for the domain it sends for, or by its profile ("Invalid IP for sending mail of
      // domain", "Extreme bad IP profile"; both in the reference library's blocked list, Sisimai 5)
      /\binvalid ip for sending mail\b|\bbad ip profile\b/,
      // a reply that is only the word: "550 blocked", Sendmail's "refused to talk to me: 554 blocked"
      new RegExp(
        String.raw`(?:^|\bsaid: |\brefused to talk to me: )(?:[45]\d\d[ -]?)?(?:[45]\.\d{1,3}\.\d{1,3} )?${BEFORE_THE_WORDS}blocked\.?$`,
      ),
      // ... or "connection refused" as a permanent reply ("550 Connection refused"): a server that answers took the
      // connection, so the words are its verdict on the client, not a failed connection
      new RegExp(String.raw`^5\d\d[ -](?:5\.\d{1,3}\.\d{1,3} )?${BEFORE_THE_WORDS}connection refused\.?$`),
    ],
  },
  {
    // a reply that names the broken rule also mentions spam as the motive ("... not RFC 5322 compliant. To reduce
    // the amount of spam ..."): the rule is the cause
    reason: 'notcompliantrfc',
    patterns: [
      withinSentence(/rfc ?(?:2822|5322|822)/, /compl|standard|format|violat|not/),
      // (with the RFC's number too: Debian's mail hosts' "Your mailer is not RFC 2047 compliant")
      /not (?:rfc(?: ?\d{3,4})?|standards?)[- ]compliant/,
      // ... or not conforming to them (MDaemon's "554 Message does not conform to standards")
      // (the message's, not an address's: smf-sav's "550 5.1.3 Recipient address does not conform to RFC-2821 syntax" is
      // the bad address syntax its x.1.3 says)
      unlessAlso(
        /\bdoes not conform to (?:the )?(?:rfc ?\d{0,4}|(?:smtp |mail |internet |email )?standards?)\b/,
        /\baddress does not conform\b/,
      ),
      // the section named between ("must be RFC 5322 section 3.6.2 compliant", Microsoft 365's 5.7.512; "Message is not
      // RFC5322 2.1.1 compliant", SMTP2GO's line-length example): its dots are no sentence end
      /\brfc ?(?:2822|5322|822)(?: section)? [\d.]{1,10} compliant/,
      // RFC 5322 3.6 allows each of these header fields at most once, and more than one address in From only with
      // a Sender field; receivers that enforce it name the field ("There are multiple Subject headers", "Messages
      // with multiple addresses in From: header are not accepted", "duplicate Message-ID header")
      /(?:multiple|more than one|several|duplicated?) (?:addresses in (?:the )?)?(?:from|sender|reply-to|to|cc|bcc|message-id|in-reply-to|references|subject|date)\b(?!-)/,
      // (amavisd-new: "BAD_HEADER: Header field occurs more than once"; "Messages should have one or no Content-Type
      // headers, not 2.", RFC 2045 allows one)
      /duplicate header|\bheader field occurs more than once\b|\bshould have one or no [a-z-]{2,30} headers?\b/,
      // ... or a field the message must have once and has not (OpenDKIM's "message does not have exactly one From
      // field", RFC 5322 3.6)
      /\bdoes not have exactly one [a-z-]{2,20} (?:header )?field\b/,
      // a line said over a length limit (`LINE_OVER_LIMIT`) in a limit's words
      MAXIMUM_LINE_LENGTH,
      LINE_LENGTH_EXCEEDS,
      // a MIME boundary over RFC 2046 5.1.1's 70 characters ("MIME boundary length exceeded")
      /\bmime boundary length exceeded\b/,
      // qpsmtpd's header checks ("Only one Subject header allowed. See RFC 5322, Section 3.6", "Headers are missing")
      /\bonly one [a-z-]{2,30} header allowed\b|\bheaders are missing\b/,
      // RFC 5322 3.6 requires Date and From in every message (and asks for Message-ID): Gmail's "Messages missing a
      // valid Message-ID header are not accepted" and "Messages missing a valid address in From: header, or having no
      // From: header, are not accepted" (support.google.com/a/answer/3726730), "missing required header" elsewhere
      // (Gmail writes "messageId": "Messages missing a valid messageId header are not accepted"; Momentum names the
      // field as the RFC does, "Missing required RFC2822 Date field (see RFC2822 section 3.6)")
      // (the field's name quoted as well: SendGrid's "550 MIME message is missing 'From' header")
      /\b(?:missing|without|having no|no) (?:a |an |the )?(?:valid |required )?(?:rfc ?(?:2822|5322) )?(?:message-?id|date|from|'(?:message-?id|date|from)'):? (?:header|field)/,
      // ... said as what the message does not contain or lacks (maddy's "554 5.6.0 Message does not contains a From
      // header field"; "your message was rejected as it lacks a Message-ID header", the EnemiesList sendmail kit)
      /\b(?:does not contains?|lacks?) (?:a |an |the )?(?:valid )?(?:message-?id|date|from):? (?:header|field)/,
      // ... and the syntax RFC 5322 and RFC 2047 give a header field's text: Gmail's "The message contains a unicode
      // character in a disallowed header" (raw non-ASCII where only encoded words may carry it) and "Encoded-word
      // syntax is not permitted in message header <name>" (an encoded word where RFC 2047 5 forbids one)
      /\bunicode characters? in a disallowed header\b|\bencoded-word syntax is not permitted\b/,
      // ... and a resent block without its Resent-From (RFC 5322 3.6.6: "554 No Resent-From field given")
      /\bno (?:resent-from|resent-date|from|date) (?:header )?field given\b/,
      /missing a valid address in (?:the )?from:? header/,
      /missing (?:a )?required header/,
      // ... in Haraka's words ("Required header 'Date' missing", "Message contains non-unique 'Subject' header"),
      // Momentum's ("Required headers not found")
      /\brequired headers?(?: '[a-z-]{1,30}')? (?:is |are )?(?:not found|missing|absent)\b|\bnon-?unique '?[a-z-]{1,30}'? header\b/,
      /headers? (?:is|are) not compliant/,
      // an address in the message's header fields that breaks RFC 5322 3.4's syntax ("Invalid address in To:
      // header", "The message header contains an invalid address"): the message, not the envelope's recipient
      /\b(?:invalid|malformed|bad) (?:email )?address(?: format| syntax)? in (?:the )?(?:(?:to|cc|bcc|from|sender|reply-to):? )?header\b|\bheader (?:contains|has) an? (?:invalid|malformed) (?:email )?address\b/,
      inOrder(/does not meet /, / formatting guidelines/),
      // (not RFC 3886's x.1.9 "Message relayed to non-compliant mailer", a relay that cannot report further)
      /non-compliant(?! mailer\b)/,
      // RFC 5321 2.3.8 / RFC 5322 2.3: lines end in CRLF, a lone LF or CR is not allowed; receivers refuse it since
      // SMTP smuggling ("Message contains bare LF", Postfix's "bare <LF> received", Microsoft's
      // "SMTPSEND.BareLinefeedsAreIllegal"), and qmail's refusal, which names only its author's page on it ("451 See
      // http://pobox.com/~djb/docs/smtplf.html.")
      // (and Apache James's "500 5.0.0 line delimiter must be CRLF")
      /\b(?:bare|lone) ?<?(?:lf|cr|line ?feeds?|carriage returns?)\b|barelinefeeds|\/smtplf\.html\b|\binvalid line ending\b|\bline delimiter must be crlf\b|\bnon-?standard (?:smtp )?line terminator\b/,
      // Gmail names the page for messages that break RFC 5322 in each such reply
      // ("https://support.google.com/mail/?p=RfcMessageNonCompliant", support.google.com/a/answer/3726730)
      /[?&]p=rfcmessagenoncompliant\b/,
    ],
  },
  {
    reason: 'virusdetected',
    patterns: [
      /\bvirus\b/,
      /malware/,
      /infected/,
      /\bworm\b/,
      /trojan/,
      /malicious/,
      // an attachment refused as a program that could run on the recipient's machine, the way malware arrives
      // ("It has a potentially executable attachment", the reference library's virus list, Sisimai 5)
      // ... or said of the file or its code ("A suspicious file (executable code) was found in the message")
      /\bexecutable (?:attachments?|code|files?)\b/,
      // clamav-milter's default RejectMsg, "Rejecting harmful e-mail: %v found." (%v the signature it matched)
      /\bharmful email\b/,
      // ... or an attachment judged dangerous ("Rejected due to unsafe attachments")
      /\b(?:unsafe|dangerous) attachments?\b/,
      // Rspamd's external scanners (oletools, Peekaboo): "oletools: Oletools threat message found: ...", and its ICAP
      // antivirus client's "icap: threat found with icap scanner: ..." (lualib/lua_scanners)
      /\bthreat message found\b|\bthreat found with [a-z0-9_-]{1,30} scanner\b/,
    ],
  },
  {
    reason: 'spamdetected',
    patterns: [
      /\bspam\b/,
      // the same word in Chinese receivers' refusals (NetEase's "发送的邮件内容包含了未被许可的信息，或被系统识别为垃圾邮件",
      // "the content ... or the system judged it spam")
      /垃圾(?:邮件|郵件)/,
      // SpamAssassin's score against its threshold, quoted by the filter that refused ("rejected by local_scan():
      // Rejected: hits=7.5 required=5.0", an Exim local_scan)
      /\bhits=-?\d{1,4}(?:\.\d{1,3})? required=\d/,
      /junk mail/,
      /unsolicited/,
      /bulk (?:e-?)?mail/,
      /message (?:looks|appears) (?:like|to be) (?:spam|junk|bulk)/,
      /content filter/,
      // a content filter's verdict said of the words ("The mail may contain inappropriate words or content", Tencent QQ)
      /\bmay contain (?:inappropriate|illegal|prohibited|sensitive) (?:words|content)\b/,
      // "content rejected" says spam unless its code puts the refusal in the content or media subject (RFC 3463 x.6:
      // the template "500 5.6.1 Message content rejected" of Amazon SES's receipt rules, the reference library's
      // ReceivingSES contenterror), or amavisd-new's tag after it names another cause ("550 5.7.1 Message content
      // rejected, id=01956-02-2 - BANNED: a.bat", a banned name, or BAD HEADER), read below
      unlessAlso(/content rejected/, /\b[45]\.6\.\d{1,3}\b|\bid=\S{1,40} - (?:banned|bad[- ]header)\b/),
      /\buce\b/,
      inOrder(/score /, / exceeds/),
      // ... or with the score in parentheses: "Mail score (15.3) over threshold"
      /\bscore \(?-?\d{1,4}(?:\.\d{1,4})?\)? (?:is )?(?:over|above)\b/,
      // ... or as the points a message scored ("This message scored 11.4 points", an Exim ACL on SpamAssassin's score)
      /\bscored -?\d{1,4}(?:\.\d{1,4})? (?:spam )?points\b/,
      /high probability of being/,
      /classified as/,
      /spamassassin/,
      /spam-?like/,
      // unsolicited bulk e-mail, the term of RFC 2505 ("Anti-Spam Recommendations for SMTP MTAs") that content
      // filters use in their verdicts (amavisd-new: "550 5.7.1 Message content rejected, UBE, id=...")
      /\bube\b/,
      // Gmail ("SMTP errors and codes", support.google.com/a/answer/3726730): 4.7.0/5.7.1 "This message is
      // suspicious due to the nature of the content or the links within"
      /suspicious due to the nature of the content/,
      // ... and the same verdict shorter ("Message rejected: Content is suspicious")
      /\bcontent is suspicious\b/,
      // an anti-spam system named as what blocked or rejected the message ("550 Your message was blocked by NetEase
      // AntiSpam+", Coremail; QQ Mail's "550 Error: mail rejected by antispam server"); read after the block rules,
      // which take an IP blocked by one ("... blocked by Verizon Online's anti-spam system")
      /\b(?:blocked|rejected) by (?:[\w'+-]{1,30} ){0,3}anti-?spam\b/,
    ],
  },
  {
    reason: 'norelaying',
    patterns: [
      /relay(?:ing)? (?:access )?(?:denied|not (?:permitted|allowed)|prohibited)/,
      /unable to relay/,
      /not (?:permitted|allowed) to relay/,
      /relay not permitted/,
      /we do not relay/,
      // (lettre's test server's "551 5.7.1 Forwarding to remote hosts disabled")
      /\bforwarding to remote hosts (?:is )?(?:disabled|denied|not allowed)\b/,
      // ... and a domain named by RFC 821's term for the recipient's path (Trend Micro IMSS: "550 domain of forward path
      // is not allowed"): not a domain this server takes mail for
      /\bdomain of (?:the )?forward[- ]path (?:is )?not (?:allowed|permitted)\b/,
      // ("550 not relaying to that domain", aiosmtpd's documented handler, copied into many small servers)
      /\bnot relaying to\b/,
      // ... with the address between ("550 relaying to <a@b> prohibited by administrator")
      // (or to a domain: MailCleaner's "550 Relaying to this domain is forbidden")
      /\brelaying to (?:<?\S{1,256}>?|this domain) (?:is )?(?:prohibited|denied|forbidden|not (?:permitted|allowed))\b/,
      /\bunauthorized relay(?:ing)?\b(?! host)/,
      // ... or the verdict said before the attempt (an Exim relay ACL's "Rejected relay attempt")
      /\b(?:rejected|refused|denied) relay(?:ing)? attempt\b/,
      // hMailServer's refusal of a delivery its IP ranges do not allow from this client to another domain ("550
      // Delivery is not allowed to this address.", its error reference)
      /\bdelivery is not allowed to this address\b/,
      // cPanel's Exim refusing to send on to other domains ("Mailing to remote domains not supported")
      /\bmailing to remote domains not supported\b/,
      /no relaying/,
      /(?:is )?not (?:a )?(?:local|gateway) (?:host|domain)/,
      /relaying (?:is )?(?:disallowed|denied|not allowed)/,
      // ... with the destination between ("550 relaying mail to example.net is not allowed")
      /\brelaying (?:mail|messages?|email) to \S{1,255} (?:is )?(?:not allowed|not permitted|denied|prohibited)\b/,
      /insecure mail relay/,
      // ("550 This mail server cannot be used as a relay")
      /\b(?:cannot|may not|must not) be used as a (?:mail )?relay\b/,
      /cannot relay/,
      /does not relay/,
      // relaying offered only to clients that logged in ("550 relay through this server without authentication",
      // "Relaying is not allowed without SMTP authentication"): the destination is not this server's to take
      /\brelay(?:ing)?\b(?:[^.]|\.(?=[^\s.])){0,40}\bwithout (?:smtp )?auth(?:entication)?\b/,
      /\brelay(?:ing)? disabled\b/,
      // ... and a host that used to ("550 example.org no longer relays example.net mail")
      /\bno longer relays\b/,
      // RFC 5321's name for the recipient's path: its domain is not one the server relays for ("Domain of forward-path
      // is not allowed", Trend Micro's relay-domain check)
      /\bdomain of forward-path is not allowed\b/,
      // the host refusing in the third person, as sendmail's FEATURE(access_db) "550 5.7.1 ... host denies relay"
      /\b(?:denies|denied) relay(?:ing)?\b/,
      // qmail's rcpthosts refusal ("sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", qmail-smtpd
      // 1.03) and the gateway wording derived from qmail's ("you are trying to use me [host] as a relay, but I have
      // not been configured to let you ... do this", Symantec/Broadcom Email Security.cloud error 553)
      /list of allowed rcpthosts?/,
      // the relay refusal said of the server itself: "not an open relay", "This system is not configured to relay
      // mail", "not allowed to relay through this machine", "we don't handle mail for <domain>", "requires
      // authentication when attempting to send to a non-local e-mail address"
      /\bnot an open relay\b|\bnot configured to relay\b|\bnot (?:allowed|permitted|authorized) to relay\b/,
      /\bdo not handle mail for\b|\bauthentication when (?:attempting to )?send(?:ing)? to a non-local\b/,
      // "This server does not accept mail for example.org": a domain the server does not serve, not one that takes
      // no mail
      /\b(?:does not|do not) accept (?:email|mail|messages) for (?!(?:this|the|that) (?:user|recipient|address|mailbox|account)\b)/,
      // ... said of the domain ("Domain is not hosted here", "Domain not served here", "domain is not in my list of
      // hosted domains", "Domain is not local"): this server is not responsible for it
      /domain (?:is )?not (?:in|hosted|served|local)/,
      inOrder(/\buse me\b/, / as a relay\b/),
      // ... and said without the word "denied": "Sorry, this server is not a gateway", "We do not permit relaying mail
      // to example.org"
      /\bnot a gateway\b|\bnot (?:permit|allow) relaying\b/,
      // Google Workspace's SMTP relay service refusing a client it cannot match to an account ("Invalid credentials
      // for relay [192.0.2.1]", Google Workspace SMTP relay error reference)
      /\binvalid credentials for relay\b/,
      // Gmail's "500 Remote server does not support SMTP Authenticated Relay (state 12)": the server it was to relay
      // through takes no authenticated relaying
      /\bdoes not support (?:smtp )?authenticated relay/,
      // au one net (KDDI)'s notices: "Could not be delivered to: <a@b> Due to the following SMTP relay error", its
      // relay's failure to pass the message on; read only when it quotes no reply (a quoted one names the cause). As
      // the older reference library's KDDI table reads it
      /due to the following smtp relay error/,
      // relaying refused, in whichever order the MTA puts the words and whatever verb it uses: Postfix "Relay access
      // denied" (reject_unauth_destination), Sendmail "Relaying denied" (cf/README, check_rcpt), Exim "relay not
      // permitted" (the default configuration's ACL); RFC 2505 recommends the refusal itself.
      // Not the word inside a host name ("smtp-relay", "relay.example.net"), which says nothing about relaying.
      withinSentence(
        /(?<![-.@])\brelay(?:ing)?\b(?![-.@])/,
        /\b(?:denied|refused|rejected|prohibited|not (?:permitted|allowed))\b/,
      ),
    ],
  },
  {
    // a kind of attachment or content the receiver's policy will not take, as the reference library reads Gmail's
    // "blocked because its content presents a potential security issue" (policy, not a malformed message): read
    // before the malformed content below, as "Illegal Attachment" would be
    reason: 'policyviolation',
    patterns: [
      /attachment (?:type|not allowed|blocked)/,
      // ... and in Haraka's attachment plugin's words ("Message contains unacceptable attachment (invoice.exe)",
      // "unacceptable content type (application/x-msdownload)", "encrypted archive", "nested archives exceeding the
      // maximum depth"): a kind of content the receiver will not take or cannot scan
      /\bunacceptable (?:attachment|content[- ]type)\b|\b(?:encrypted|password[- ]protected) (?:archives?|zip(?: files?|s)?)\b|\bnested archives\b/,
      // ... said of the file ("blocked file type", "file extension not allowed", "Blacklisted high risk file extension
      // detected", a list of file types; courier-pythonfilter's "The extension of the attached file is blacklisted";
      // Vexim's Exim ACL, "This message contains an unwanted file extension (scr)")
      /\b(?:blocked|disallowed|blacklisted|bad|forbidden|banned|unwanted) (?:high[- ]risk )?file (?:type|extension)\b|\bfile (?:type|extension) (?:is )?(?:blocked|not allowed|not permitted)\b|\b(?:extension|file type) of the attach(?:ed file|ment) is (?:blacklisted|blocked|banned|forbidden|not allowed)\b/,
      /(?:forbidden|prohibited|illegal|restricted) (?:attachment|content)/,
      // ... said of the receiver's rules rather than the content ("550 5.7.1 Message rejected due to content
      // restrictions", Symantec Email Security.cloud's content policy, as Broadcom's knowledge base quotes it)
      /\brejected due to content restrictions?\b/,
      // amavisd-new's BANNED notice ("BANNED CONTENTS ALERT ... Our content checker found\n    banned name: ...", then
      // "violating our access policy" after its summary of the message): a name or type its policy bans
      /\bbanned contents? alert\b|\bcontent checker found\s{1,40}banned name\b/,
      // ... or an Office document's macros, the way much malware arrives and what gateways drop by policy before any
      // scan ("552 MS-Office file containing VBA macros found inside of the email", a Postfix/ClamAV setup's reply)
      /\bcontaining (?:vba )?macros\b|\b(?:vba )?macros (?:were )?(?:found|detected)\b/,
      // ... and its reply for the same ("554 5.7.0 Reject, id=12345-01 - BANNED: .exe,T=exe,N=invoice.exe"; "Bounce,
      // id=..." when its policy bounces; in older releases and Barracuda's, "550 5.7.1 Message content rejected,
      // id=01956-02-2 - BANNED: a.bat")
      /\b(?:reject|bounce|content rejected), id=\S{1,40} - banned\b/,
      // ... and an attachment its policy bans, so named ("554 Message contains banned attachment (#5.7.1)", qmail's
      // spamcontrol)
      /\bbanned attachments?\b/,
      // ... or a word or phrase in the text (FortiMail's dictionary profiles: "This message has been blocked because it
      // contains a banned word")
      /\bbanned (?:words?|phrases?)\b|\bblacklisted (?:key ?phrases?|words?|regex(?:es|p)?|expressions?)\b/,
      // ... or a kind of message ("HTML mail is not accepted here", an Exim ACL in its specification)
      /\bhtml (?:email|mail|messages?) (?:is |are )?not (?:accepted|allowed)\b/,
      // ... or its content rules named (Gmail's "blocked because its content presents a potential security issue.
      // Please visit ... to review our message content and attachment content guidelines", also quoted shortened, "552
      // 5.7.0 content and attachment content guidelines")
      // (and shortened further, "552 5.7.0 review our attachment guidelines.")
      /\b(?:content|attachment) guidelines\b/,
    ],
  },
  {
    reason: 'contenterror',
    patterns: [
      // a message or address that needs SMTPUTF8 (RFC 6531) where the next hop does not offer it: RFC 6531's own
      // texts for x.6.7 "Non-ASCII addresses not permitted for that sender/recipient", x.6.8 "UTF-8 string reply is
      // required, but not permitted by the SMTP client" and x.6.9 "UTF-8 header message cannot be transferred to one
      // or more recipients", Postfix's smtp(8) "SMTPUTF8 is required, but was not offered by host ..." and its "utf8
      // support required but not offered for forwarding"
      // (and when no next hop offered it, "message requires SMTPUTF8, but no server was found that supports SMTPUTF8")
      /\bnon-ascii addresses not permitted\b|\butf-?8 header message cannot be transferred\b|\b(?:smtputf8|utf-?8 support|utf-?8 string reply) (?:is )?required\b|\brequires smtputf8\b/,
      // (and Sendmail's "554 5.6.1 Eight bit data not allowed")
      // (and its "554 Cannot send 8-bit data to 7-bit destination", and a NUL in the data: "554 NUL byte not allowed")
      /8-?bit (?:data|characters?) in (?:message )?header|\beight[- ]bit data not allowed\b|\b8-?bit data to 7-?bit\b/,
      // (not one in a command line, "501 NUL characters are not allowed in SMTP commands": the command's syntax)
      unlessAlso(/\bnul (?:bytes?|characters?)\b/, /\bcommands?\b/),
      // RFC 3463 x.6.2's title, "Conversion required and prohibited" (Haraka's default text for it): the content needed
      // a conversion the message forbids, read before a policy's "prohibited"
      /\bconversion required and prohibited\b/,
      // (and Postfix's smtp(8) converting a message to 7 bits: "MIME nesting exceeds safety limit")
      /\bmime nesting exceeds (?:the )?safety limit\b/,
      // ("554 Malformed mail denied!")
      /\bmalformed (?:email|mail|message)\b|\binvalid data in (?:the )?message\b/,
      // (the reply's own words, its code written once: Gmail's quotation of one with the code twice, "554 554 5.7.0
      // Header error (state 18).", is left to the state Gmail names, which says when the message was refused)
      new RegExp(String.raw`^5\d\d[ -](?:5\.\d{1,3}\.\d{1,3} )?${BEFORE_THE_WORDS}header error\b`),
      // a header field whose value the receiver cannot take (Haraka's data.headers: "The Date header could not be
      // parsed", "The Date header is too far in the future", "Invalid Delivered-To header content")
      /\b(?:date|delivered-to|message-id|from|to|subject) header (?:could not be parsed|is too (?:far in the future|old))\b|\binvalid [a-z-]{1,30} header content\b/,
      /too many headers/,
      // ... or too many of the message's own Received fields (Exim's deliver.c: 'Too many "Received" headers - suspected
      // mail loop', "Routing loop detected -- too many Received: headers"): the count of a header field the
      // receiver limits, as the reference library's Exim module and its content-error list read them; a loop found any
      // other way ("Hop count exceeded", "mail loop") stays a network error
      /too many "?received"?:? header/,
      // ("550 header syntax", "Header syntax error", "Header parse error", "Boundary error in your message", DSPAM's
      // "Message is empty")
      /\bheader syntax\b|\bheader parse error\b|\bboundary error\b|\bmessage is empty\b/,
      // (and a MIME structure it could not parse: "552 MessageWall: MIME/REJECT: Invalid structure")
      /\bmime\/reject: invalid structure\b|\binvalid mime structure\b/,
      // a Subject the receiver requires though RFC 5322 3.6.5 does not (ZeptoMail's "5.2.1 Subject is
      // Mandatory"): the message's header fields, not the mailbox its x.2.1 names
      /\bsubject (?:header |line |field )?is (?:mandatory|required)\b/,
      /header (?:size|line) (?:too|exceed)/,
      // (and a header named, maddy's "550 5.7.0 Malformed From header"; and Exim's demime condition, "This message
      // contains malformated MIME")
      /(?:illegal|invalid|malformed|malformatt?ed|improper|bad|unparseable|unparsable) (?:message |(?:from|to|cc|date|subject|sender|reply-to|message-id) )?(?:header|mime|content|character|attachment|encoding)/,
      // (and FreeScout's "Unexpected long headers length, got: 4310 want: less than 4096 chars")
      /message header (?:size|length)|\blong headers length\b/,
      // (and Exim's header_syntax check, in its words, "Rejected after DATA: domain missing or malformed: failing
      // address in "To:" header is: a@", "syntax error in 'From' header when scanning for sender", and in the message
      // Debian's exim4-config and many Exim setups give its refusal, "550 Message headers fail syntax check": the
      // message's header, not an SMTP command's syntax)
      /\bfailing address in "?(?:from|to|cc|bcc|sender|reply-to):?"? header\b/,
      /\bsyntax error in (?:the )?'?[a-z-]{2,30}:?'? header\b|\bheaders? fail(?:s|ed)? (?:the )?syntax check\b/,
      // a message with no body (Momentum's "550 5.3.0 [internal] message body missing")
      /\bmessage body (?:is )?missing\b/,
      // a line said too long (`LINE_OVER_LIMIT`)
      LINES_TOO_LONG,
      // Amazon SES's header parser ("554 Transaction failed: Missing final '@domain'", "Expected '/', got ;",
      // "Expected disposition, got =", "Local address contains control or whitespace")
      /\btransaction failed: (?:missing (?:final )?'|expected '?[a-z/]{1,20}'?, got\b|local address contains\b)/,
      // line feeds outside CRLF pairs, as Broadcom Email Security.cloud (MessageLabs) words it: "Stray linefeeds in
      // message" (the reference library's MessageLabs table reads it as content), a Chinese provider's "451 stray
      // newline"
      /\bstray ?(?:lf|line ?feeds?|newlines?)\b|\bstray cr\b/,
      // Gmail's refusals of a message's encoding or structure ("This message contains text that uses unnecessary
      // base64 encoding", "... improperly-formatted binary content"), and a MIME structure too deep to scan
      /\bunnecessary base64 encoding\b|\bimproperly[- ]formatted binary content\b|\bmime complexity\b/,
      // a recipient that refuses a script or encoding (RFC 3463 x.6.x, media): Microsoft's "The user does not accept
      // email in non-Western (non-Latin) character sets"
      /(?:does not|not) accept (?:email|mail|messages) (?:in|with|written in|encoded in) (?:[^.]|\.(?=[^\s.])){0,40}(?:character sets?|charsets?|encodings?)/,
    ],
  },
  {
    reason: 'mailboxfull',
    patterns: [
      // (and Yandex's "Mailbox size exceeded": the mailbox's size, read before a message's size exceeded)
      /mailbox (?:is )?(?:full|over|exceed|size limit|size exceeded|limit exceeded)/,
      // Postfix local(8) writing into a mailbox file at its mailbox_size_limit, which it enforces as a file size limit
      // ("cannot append message to destination file /var/mail/bob: error writing message: File too large")
      /\bcannot append message to (?:destination )?file\b[^\n]{0,300}?\bfile too large\b/,
      // ... with the address between ("the destination mailbox <a@b> is full"), or the recipient's storage ("552
      // recipient storage full"), or its size said exceeded ("the mailbox size of the recipient was exceeded")
      /\bmailbox <[^<>\s]{1,256}> is full\b|\brecipient'?s? storage (?:is )?full\b/,
      /\bmailbox size (?:of the (?:recipient|user) )?(?:was |has been |is )?exceeded\b/,
      // ("Allocated mailbox storage exceeded", FTGate)
      /\bmailbox storage (?:quota )?exceeded\b/,
      // ("User has exhausted allowed storage space")
      /\bexhausted (?:the |its |his |her |their )?(?:allowed )?storage(?: space)?\b/,
      /mailbox exceeds/,
      // ... or the message said bigger than what is left of it ("Message size exceeds remaining quota", BBIQ)
      /\bexceeds? (?:the )?(?:remaining|available) (?:mailbox )?(?:quota|space|storage)\b/,
      // ... or said to have reached its maximum size ("552 The recipient's mailbox has reached its maximum allowed
      // size"), read before a message's maximum size
      /\bmailbox has reached its (?:maximum|max) (?:allowed )?size\b/,
      // the mailbox's size in other words: GNU Mailutils' "message would exceed maximum mailbox size for this
      // recipient", and Postfix local(8) over its mailbox_size_limit ("cannot update mailbox /var/mail/a for user a.
      // error writing message: File too large", the mailbox file at the limit the operating system enforces for it)
      // (and virtual(8)'s "delivery failed to mailbox /var/mail/vhosts/example.com/bob: error writing message: File too
      // large", over its virtual_mailbox_limit)
      /\bwould exceed (?:the )?(?:maximum )?mailbox size\b|\b(?:cannot update|delivery failed to) mailbox\b.{0,300}?\bfile too large\b/,
      /over[ -]?quota/,
      // not the sender's own sending quota at a relay (a rate limit, below), nor a throttle's
      new RegExp(
        String.raw`(?<!${SENDERS_QUOTA_OWNER} |${POLICY_REJECTION_LABEL}|timeout )(?!${THROTTLE_QUOTA})quota (?:exceed|violation|full|limit|reached|exhausted|error)`,
      ),
      // a size limit only when it is the mailbox's or the disk's: "exceeds size limit of server" is the message's
      // (not a quota of recipients: a sender's or a group's own limit, below)
      /exceed(?:ed|s|ing)? (?:the |his |her |their |its )?(?:storage|mailbox|disk|mail)? ?(?:quota|allocation)(?! for (?:the )?(?:total )?number of)/,
      // (also without "size": "The recipient has exceeded their mailbox limit")
      /exceed(?:ed|s|ing)? (?:the |his |her |their |its )?(?:storage|mailbox|disk) (?:size )?limit/,
      // the storage allotted to all of a domain's mailboxes, full: SmarterMail's "The domain size limit has been
      // exceeded" (its domain setting "Domain Size Limit", the disk space all the domain's mailboxes may use)
      /\bdomain (?:size|storage|disk(?: space)?) (?:limit|quota) (?:has been |was |is )?(?:exceeded|reached)\b/,
      // the same state in other words: "mailbox quota usage exceeded", "over the allowed quota", "the user's space has
      // been used up" (Chinese providers), "has too many messages on the server", "mailbox would exceed maximum
      // allowed storage"
      /\bquota usage exceeded|\bover (?:the |their |its |his |her )?(?:allowed |mailbox |storage |disk )?quota\b/,
      /\bspace has been used up\b|\btoo many messages on the server\b|\bmailbox would exceed\b/,
      // (or "sufficient space", as the Windows SMTP service's queue words it: "A recipient of this message does not
      // have sufficient space to receive it.")
      /\b(?:mailbox|account|user|recipient)\b(?:[^.]|\.(?=[^\s.])){0,40}\bdoes not have (?:enough|sufficient) (?:free )?(?:disk )?space\b/,
      // ... or the address itself ("550 kijitora@example.jp does not have enough space"; read from its "@", so a text
      // of many "@" costs no scan back over each local part)
      /@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,10}>? does not have (?:enough|sufficient) (?:free )?(?:disk )?space\b/,
      /(?:mailbox|inbox|account|user) (?:storage )?(?:is |has )?(?:full|out of (?:space|storage))/,
      // not the receiving system's own disk (below)
      /insufficient (?:space|storage)/,
      // (and the other way round, "mail box space not enough", Alibaba Mail's list of its replies)
      /not enough (?:space|storage)|\b(?:space|storage) (?:is )?not enough\b/,
      /mailbox (?:is )?full/,
      /too many messages in (?:this|the) mailbox/,
      /would exceed (?:the )?(?:user'?s? )?(?:quota|mailbox)/,
      /disk quota/,
      /(?:storage|space) (?:limit|quota)/,
      /\bfull mailbox\b/,
      /recipient (?:box|mailbox) (?:is )?full/,
      /mailbox size limit exceeded/,
      /account is full/,
      /user is over/,
      /inbox is full/,
      /is over (?:the )?(?:storage|disk|allowed)/,
      /mailfolder is full/,
      // "mailbox full" in receivers' own languages (French, German, Spanish, Italian, Portuguese, Dutch, Japanese)
      // (Exchange's French edition: "La boîte aux lettres du destinataire est pleine")
      /bo[iî]te (?:aux lettres |mail |email )?(?:du destinataire )?(?:est )?pleine/,
      /(?:postfach|posteingang|mailbox)(?: des empf(?:ä|ae)ngers)? (?:ist )?(?:voll|(?:ü|ue)berf(?:ü|ue)llt)/,
      // German receivers' storage words (web.de's "Benutzer hat das Speichervolumen ueberschritten"), and Chinese
      // receivers' "mailbox full" / "recipient out of space" (QQ Mail's help; gromox's bounce templates)
      /speicher(?:volumen|platz)(?:[^.]|\.(?=[^\s.])){0,20}(?:ü|ue)berschritten/,
      /收件人空间不足|(?:邮箱|郵箱|信箱)(?:空间|空間|容量)?(?:已满|已滿|不足)/,
      // ... and Russian receivers' mailbox said to overflow ("Почтовый ящик переполнен")
      /ящик[а-яё]{0,4}(?:[^.]|\.(?=[^\s.])){0,20}переполнен/,
      // (also the "mailbox" of a Spanish reply that names two causes, "Destinatario desconocido o mailbox lleno": read
      // first, the softer one decides)
      // (Exchange's Spanish edition: "El buzón del destinatario está lleno")
      /(?:buz[oó]n|mailbox|casilla)(?: de correo)?(?: del destinatario)? (?:est[aá] )?(?:lleno|completo)|\bcorreo lleno\b/,
      /casella (?:di posta )?(?:è )?piena/,
      /caixa (?:postal |de correio )?(?:est[aá] )?(?:cheia|lotada)/,
      /mailbox (?:is )?vol\b/,
      // ... and with the mailbox's owner named between ("Mailbox for a@b is full", "Die Mailbox von a@b ist voll", "La
      // boîte aux lettres de a@b est pleine")
      new RegExp(
        String.raw`\b(?:mailbox|inbox|postfach|bo[iî]te aux lettres|buz[oó]n|casella(?: di posta)?|caixa postal)(?: (?:of|for|von|de|du|del|di|da|do))? ${NAMED_ADDRESS} (?:is|ist|est|est[aá]|è) (?:full|voll|pleine|llen[oa]|piena|cheia)\b`,
      ),
      /(?:メールボックス|受信ボックス)(?:[^。.]|\.(?=[^\s.。])){0,20}(?:一杯|いっぱい|満杯|容量)/,
      // ... and Korean ones ("받는 사람의 메일함 용량이 가득 찼습니다", "the recipient's mailbox is full", Dooray!)
      /(?:메일함|편지함|메일 ?박스)(?:[^.]|\.(?=[^\s.])){0,8}용량(?:[^.]|\.(?=[^\s.])){0,8}(?:가득|초과)/,
      // Domino's name for a mailbox is the "mail file" (its mail database); over its quota, the router refuses with
      // "Mail file size exceeds the maximum size allowed for mail routing" (HCL Domino, mail file quotas)
      /mail ?file (?:is )?full|mail (?:file|database) (?:is )?(?:full|over)|mail (?:file|database) size exceeds/,
      // an account closed to new mail for a while because it received too much ("Account disabled temporarly for
      // exceeding receiving limits", in the older reference library's full-mailbox list): a state that passes, not
      // a disabled account, so read before the closed-account words
      /\bdisabled temporar\w* for exceeding receiving limits?\b/,
    ],
  },
  {
    reason: 'exceedlimit',
    patterns: [
      /message (?:length )?exceeds? (?:the )?(?:administrative|user|recipient|mailbox)/,
      /exceeds? local size limit/,
      inOrder(/size limit /, / (?:user|recipient|mailbox)/),
      RECIPIENTS_OWN_LIMIT,
      // ... or the largest the recipient takes (the qmail patch's "The message exeeded the maximum size the user
      // accepts", as the reference library's qmail module reads it)
      /\bmaximum (?:message )?size (?:that )?the (?:user|recipient|mailbox) (?:accepts|allows)\b/,
    ],
  },
  {
    reason: 'mesgtoobig',
    patterns: [
      // (and "552 Message body is too big", Mailman's "Your message was too big")
      /message (?:body |size |length )?(?:is |was )?(?:too (?:big|large|long)|file too big)/,
      // ... or refused by a size limit named as the cause (a list's "Post to a@b denied due to size limit", Dada Mail's
      // "Your mail was rejected due to the size limit of 100000 bytes")
      /\bdue to (?:the )?(?:message )?size limit\b/,
      // ... or over the size a receiver allows ("550 [Sniper] Exceeds the limit size of email", Sina's gateway)
      /\bexceeds? the (?:limit|limited|maximum|max) size of (?:the )?(?:email|mail|message)\b/,
      // a size named as the most taken (milter-greylist's example "551 5.7.1 No more than 4 MB please")
      /\bno more than \d{1,6} ?(?:[kmg]b|bytes)\b/,
      inOrder(/message (?:size |length )?(?:is )?exceeds? /, /size|limit/),
      // ... with the size between ("552 Estimated message length 20000000 exceeds limit of 10485760", gen_smtp)
      /\bmessage (?:size|length) (?:of )?\d{1,12} (?:bytes )?exceeds?\b/,
      /size (?:limit )?exceeded/,
      // (and Exchange's limit on the data of one session, "552 4.3.1 Session size exceeds fixed maximum session size":
      // the message over the receive connector's size limit, whatever the enhanced code says of the system)
      /exceed(?:s|ed)? (?:the )?(?:fixed )?(?:maximum|max|fixed|allowed|message)? ?(?:inbound |incoming )?(?:message |session )?size/,
      // (and a size "violation", cyon's "550 5.7.0 Message Size Violation", read before the policy's "violat")
      /(?:mail|email|message) size (?:limit|exceed(?:s|ed)?|too|violation)/,
      // (Python's smtpd over its data_size_limit: "552 Error: Too much mail data")
      /\btoo much mail data\b/,
      // ... written as one word ("552 exceeded mailsize limit")
      /\bmailsize limit\b/,
      // ... or counted in bytes ("Stream is more than 10485760 bytes long")
      /\bis more than \d{1,12} bytes\b/,
      /too big for (?:the )?system/,
      /message too large/,
      // (iRedAPD's throttle on one message's size: "Quota exceeded (size of single mail message)")
      new RegExp(String.raw`\b${THROTTLE_ONE_MESSAGE}\)`),
      /maximum (?:allowed )?(?:message )?size/,
      /data size exceeded/,
      /smtp data size/,
      // the limit stated as a value beside the message's ("Class=size limit=15728640 size=18571048")
      /\bsize limit ?[=:] ?\d/,
      /too large/,
      // Exchange's mailbox store refusing a message too big for it ("StoragePermanentException.MapiExceptionTooBig")
      /\bmapiexceptiontoobig\b/,
      // the message's parts or data said too long ("554 attachment is too long.", Coremail; "557 The length of DATA
      // content is achieved the maximum threshold", Alibaba Mail)
      /\battachments? (?:is |are )?too (?:long|big)\b|\blength of data content\b(?:[^.]|\.(?=[^\s.])){0,40}\bmaximum\b/,
      // a text line longer than the receiver takes (RFC 5321 4.5.3.1.6 sets 1000 octets), a limit on the message's
      // size as the reference library's size list reads it (Sisimai 4.25 MesgTooBig: "line limit exceeded")
      /\bline (?:length )?limit exceeded\b/,
      // in French, German and Spanish receivers' words
      /taille (?:limite |maximale )?du message (?:atteinte|d[ée]pass[ée]e)|message trop (?:volumineux|gros|grand)|(?:nachricht|email) (?:ist )?zu gro(?:ß|ss)|mensaje (?:es )?demasiado grande|(?:邮件|郵件)(?:过大|過大|太大)/,
    ],
  },
  {
    reason: 'hasmoved',
    patterns: [
      // a mailbox or person that moved, not a server, a service or a whole domain ("This server has moved, please
      // update your MX", "The domain has moved to a new provider": its new host may well take the address)
      // (nor Exchange's store: "421 4.2.1 STOREDRV.Deliver; mailbox database has moved")
      /(?<!\b(?:server|service|host|site|system|mx|website|domain|one|database) )(?:has|have) moved/,
      /no longer (?:at|with) this/,
      /address (?:has )?changed/,
      /user has moved/,
      // "a@example.org has been replaced by b@example.org"
      /\bhas been replaced by\b/,
      // RFC 5321 3.4's 551 reply, which gives the address to use instead: "User not local; please try <b@example.net>"
      /\buser not local[;,.]? please try\b/,
      // ... and RFC 3463 x.1.6's "no forwarding address" said without the code ("Gone away, no forwarding address")
      /\bno forwarding address\b/,
    ],
  },
  {
    reason: 'suspend',
    patterns: [
      // the gap may hold the address itself ("The account a@example.org has been closed"): a dot inside a name is
      // no sentence end
      // (not the recipient's "blocked senders" list, its own filter)
      // (nor a message to the address that was blocked, "Your message to this recipient was blocked", nor a
      // recipient that blocked the sender, "The user has blocked your address": its filter, below)
      // (nor a state of something the account has: "User's certificate has expired", "Forwarding for this user is
      // disabled", "The user's password has expired", "Address verification expired", Mimecast's "Account outbounds
      // disabled"), nor the connecting host's IP address ("550 Access from ip address 192.0.2.1 blocked", Mail.ru)
      /(?:account|mailbox|user|address|recipient)(?<!\bip(?:v[46])? address)(?<!\b(?:message|mail|email|delivery) to (?:this |the |that )?(?:account|mailbox|user|address|recipient))(?<!\b(?:forwarding|login|password|certificate) for (?:this |the |that )?(?:account|mailbox|user|address|recipient))(?:(?!\b(?:certificate|password|session|verification|cache|forwarding|auto-forwarding|login|sync|filter|token|licen[cs]e|tls|ssl|outbounds?)\b)(?:[^.]|\.(?=[^\s.]))){0,30}\b(?:disabled|suspended|inactive|deactivated|locked|frozen|expired|blocked(?! senders?\b| (?:your|you|the sender|this sender|(?:messages?|mail|emails?) from)\b)|closed|terminated|discontinued|not active|is not (?:active|enabled))/,
      /\b(?:disabled|suspended|inactive|deactivated|closed) (?:account|mailbox|mbox|user|address)/,
      // ... and the address itself said to be so ("a@b has been disabled due to inactivity")
      new RegExp(String.raw`${NAMED_ADDRESS} (?:has been|is|was) (?:disabled|deactivated|suspended|closed|locked)\b`),
      // an account never activated, or its receiving switched off ("User account not activated", "mail receiving
      // disabled")
      /\baccount (?:is )?not (?:yet )?activated\b|\bmail receiving (?:is )?disabled\b/,
      /compte (?:est )?(?:d[ée]sactiv[ée]|suspendu|ferm[ée])|konto (?:ist )?(?:deaktiviert|gesperrt)|cuenta (?:est[aá] )?(?:desactivada|suspendida)/,
      // ... and Portuguese ("A conta do destinatario encontra-se suspensa por inactividade")
      /\bconta (?:do destinat[aá]rio )?(?:est[aá] |encontra-se )?(?:suspensa|desativada|desactivada|bloqueada|inativa|inactiva)\b/,
      // a Spanish-speaking provider's mailbox closed for lack of use ("Esta casilla ha expirado por falta de uso")
      /\bcasilla (?:ha )?expirad[ao]\b|\b(?:casilla|buz[oó]n) (?:est[aá] )?(?:desactivad[ao]|suspendid[ao]|inactiv[ao])\b/,
      // ... and a user "en estado: inactivo" (Spanish), an address "bloccato per inutilizzo" (Italian: blocked for
      // disuse)
      /\busuario (?:est[aá] )?en estado:? inactivo\b|\bbloccat[oa] per (?:inutilizzo|inattivit[aà])\b/,
      withinSentence(/temporarily (?:disabled|unavailable)/, /account|mailbox|user/),
      // the same said subject first ("their mailbox is temporarily unavailable"): RFC 5321's 450 "mailbox unavailable
      // (e.g., mailbox busy or temporarily blocked)", which says the mailbox exists
      // (not a service or a system so said after Postfix's label of the check that refused: "Recipient address
      // rejected: Service temporarily unavailable", a greylisting policy server's "System temporarily unavailable",
      // the receiver's own trouble; nor the recipient's server so said, "450 4.4.1 The recipient's server was
      // temporarily unavailable to accept your message", a host out of reach)
      /(?:account|mailbox|user|recipient)\b(?!(?:'s|s')? (?:email |mail )?(?:server|host|system)\b)(?:[^.]|\.(?=[^\s.])){0,30}\b(?<!\b(?:service|system) )(?:temporarily|currently|presently) (?:disabled|unavailable|not available)/,
      // not Postfix's "delivery temporarily suspended: <cause>", its back-off from an unreachable destination
      /(?<!delivery (?:temporarily )?)\bsuspend/,
      /(?<!\bservice )not (?:currently )?(?:active|in use)/,
      // au by KDDI's notice for a recipient whose service is restricted (unpaid): "The user(s) account is temporarily
      // limited." (the account exists; not "rate limited", a speed)
      /\b(?:user|recipient)(?:\(s\)|s|'s)? account is (?:temporarily )?limited\b/,
      // an address that took mail once and was closed ("This address no longer accepts mail", the sentence qmail sites
      // give a closed account's bouncesaying; the reference library's suspend list, Sisimai 5)
      /\bthis address no longer accepts (?:e-?)?mail\b/,
      // ... as Plesk's Russian edition of that qmail sentence writes it
      /этот адрес больше не принимает писем/,
      // said of the mailbox without saying it is gone (Tencent QQ's own use of it is read in receiver-codes.ts)
      /mailbox unavailable or access denied/,
      // "temporary locked", and Orange's French "boîte du destinataire archivée" (the recipient's box archived)
      /\btemporar(?:y|ily) locked\b|\bbo[iî]te (?:du destinataire |aux lettres )?archiv[ée]e\b/,
      // ... and said in English ("Archived recipient", "archived mailbox"): kept, not delivered to
      /\barchived (?:recipient|mailbox|account)\b/,
    ],
  },
  {
    reason: 'toomanyconn',
    patterns: [
      // (and Postfix's limit on a client's new TLS sessions, "421 4.7.0 mx Error: too many new TLS sessions from
      // client[ip]", smtpd_client_new_tls_session_rate_limit: a rate of connections, not their security)
      /too many (?:concurrent |simultaneous |parallel |open |new )?(?:smtp |tls )?(?:connections|sessions)/,
      // ... and recipients named as the most one message may have ("No more than 25 recipients, please")
      /\bno more than \d{1,6} recipients\b/,
      // ... or said to have more than the most (Mailman's hold of a post "Message has more than 10 recipients")
      new RegExp(String.raw`\bhas more than \d{1,6} recipients\b(?!${PER_SPAN_OF_TIME})`),
      unlessAlso(/connection (?:limit|rate)/, EXIM_LOOKUPS_FAILED),
      /too many hosts/,
      /\btoo (?:many|frequent) connects\b/,
      /\btrop de connexions\b/,
      // ... and the recipients of one session ("reached maximum number of recipients for one session", chkuser)
      /\bmaximum number of recipients (?:for|per|in) (?:one|a|this|the) (?:session|connection|transaction)\b/,
      // ... and its messages ("421 Too many messages for this session", J:COM): a limit of the connection, not a rate
      /\btoo many (?:messages|mails) (?:for|per|in) (?:one|a|this|the) (?:session|connection)\b/,
      // Gmail's limit on one transaction: "Domain policy size per transaction exceeded, please try this recipient in a
      // separate transaction" (RFC 3463 x.5.3)
      /\bsize per transaction exceeded\b/,
      /frequency limit/,
      // a connection limit said as a count reached: "maximum number of concurrent connections", "allowed number of
      // connections", "connection count limit"
      /(?:max(?:imum)?(?: number)?|number) (?:of )?(?:concurrent |simultaneous |parallel |open )?(?:smtp |server )?(?:connections|sessions)/,
      /\b(?:concurrent|simultaneous|parallel) (?:smtp )?(?:connections|sessions)\b/,
      // ... or a limit of its own ("450 Peak concurrent SMTP relay limit per sender exceeded", HENNGE Email DLP)
      /\b(?:concurrent|simultaneous|parallel) (?:smtp )?(?:relay |connection |session )?limit\b/,
      /\bconnection count\b/,
      // ... or as clients ("421 Too many connected clients, try again in a moment", smtp-server's maxClients)
      /\btoo many (?:connected |concurrent )?clients\b/,
      // ... and the recipients of one message counted ("552 Limit of 100 recipients exceeded", RFC 5321 4.5.3.1.10),
      // not over a time ("limit of 500 recipients per hour", a rate, below)
      new RegExp(String.raw`\blimit of \d{1,6} recipients\b(?!${PER_SPAN_OF_TIME})`),
      // the client cut off for the errors its connections made ("421 Too many errors from your IP", the reference
      // library's connection-limit list, Sisimai 5), or its session made (Postfix's smtpd_hard_error_limit: "421 4.7.0
      // host Error: too many errors", at whatever command the count ran out)
      /\btoo many errors from (?:your (?:ip|host)|the client)\b|\berror: too many errors\b/,
      // RFC 3463 x.5.3's title, "Too many recipients": a limit on one transaction, read as that code is; recipients
      // counted over a time ("too many recipients this hour") are a rate, below
      // (and Postfix's smtpd_client_recipient_rate_limit, "450 4.7.1 Error: too many recipients from 192.0.2.1")
      /too many recipients\b(?!(?:[^.]|\.(?=[^\s.])){0,20}\b(?:per|this|an?|each|every) (?:hour|day|minute)\b|\s{1,4}from\b)/,
      // ... in words that name the command ("The number of RCPTs is over size", "too many RCPT TO")
      /\bnumber of rcpts? (?:is )?(?:over|exceed)|\btoo many rcpt\b/,
      // ... and a session or a message over its limit in Momentum's words ("421 4.4.5 Service unavailable,
      // concurrency limit reached", "452 4.5.3 ... recipients per message limit reached")
      /\bconcurrency limit\b|\brecipients per message limit\b/,
    ],
  },
  {
    reason: 'speeding',
    patterns: [
      /\brate ?(?:limit|control)/,
      // a rate stated as a count per span ("450 4.7.1 sorry, max 3 requests per 5 minutes", postfwd's rate() action;
      // "Data command rejected: limit of 400 rcpts per 24 hours for client a@b reached", a policy daemon's)
      new RegExp(
        String.raw`\b(?:max(?:imum)?|limit) (?:of )?\d{1,9} (?:requests|messages|mails|emails|rcpts|recipients)${PER_SPAN_OF_TIME}`,
      ),
      // a sender told it sends too much, in ISPs' words (Optimum's "554 5.7.1 rejection limit reached - stop flooding
      // us", Cox's "452 - [Message threshold exceeded]", its rate limit of the sending IP)
      /\bstop flooding\b|\bmessage threshold exceeded\b/,
      // ("HST-RTE: Hourly send rate exceeded, retry later", Iridis mailRelay)
      /\bsend(?:ing)? rate exceeded\b/,
      // (iRedAPD's throttle on a count or volume over a period: "Quota exceeded (number of mails in total)",
      // "Quota exceeded (accumulated message size)")
      new RegExp(String.raw`\b${THROTTLE_OVER_PERIOD}\b`),
      // (cPanel's Exim rate limit per sending host: "451 The server has reached its limit for processing requests from
      // your host. Please try again later.")
      /\breached its limit for processing requests from your (?:host|ip|server)\b/,
      /\brate[- ]?limited/,
      // a message rate over its limit ("Message submission rate for this client has exceeded the configured limit")
      /\b(?:message|submission|sending|mail) rate\b(?:[^.]|\.(?=[^\s.])){0,40}\bexceeded\b/,
      // ... or called excessive ("450 4.5.0 Message rejected. Excessive message rate from sender to recipient.")
      /\bexcessive (?:message|mail|sending) rate\b/,
      /too many (?:messages|mails|emails|recipients)/,
      /sending (?:rate|limit)/,
      /(?:per|in an?) (?:second|hour|day|minute)/,
      // ... or over a count of them (Exim's ratelimit "Sender rate exceeds 1500 messages per 1h", postfwd's "exceeded
      // 100 messages in 60 minutes", Mailgun's "domains are limited to 100 messages / hour", mox's "max number of
      // messages (1000) over past 24h reached")
      /\b\d+ (?:messages|mails|emails|recipients) (?:(?:per|in) |\/ ?)(?:\d+ ?)?(?:s|secs?|seconds?|m|mins?|minutes?|h|hours?|d|days?)\b|\bmax(?:imum)? number of messages\b.{0,40}?\breached\b/,
      inOrder(/exceeded /, / limit /, / (?:messages|recipients)/),
      /receiving mail at a rate/,
      // Postfix's smtpd_client_message_rate_limit: "450 4.7.1 Error: too much mail from 192.0.2.1"
      /too much mail from/,
      // (and Courier's ratelimit filter: "552 192.0.2.7 is sending too much mail, slow down.")
      /\bis sending too much (?:e-?)?mail\b/,
      // held back for its volume: "Throttled - try again later" (Comcast's RL codes), "Message is being throttled"
      // (Mimecast), Amazon SES's "Throttling failure"
      /\bthrottl(?:ed|ing)\b/,
      // the sender's own volume limits at a relay or submission service ("Daily sending quota exceeded", "Peak SMTP
      // relay limit exceeded for customer", Google Workspace's SMTP relay error reference)
      SENDERS_OWN_QUOTA,
      // ... also when it only says how often it is counted (Modoboa's policy daemon: "Daily limit reached, retry later";
      // a cPanel host's "Daily limit has been exceeded for a@b")
      /\bdaily (?:sending )?(?:limit|quota) (?:has been |was |is )?(?:exceeded|reached)/,
      // ... and the sending mailbox's daily recipient limit (Exchange Online's 5.1.90 "Your message can't be sent
      // because you've reached your daily limit for message recipients")
      /\breached your daily limit for (?:message )?recipients\b/,
      // ... and a Google group's limit on the external members it sends to ("The group a@b has exceeded its quota for
      // total number of external recipients"): the group's sending, not anyone's mailbox
      /\bquota for (?:the )?(?:total )?number of (?:external )?recipients\b/,
      // "Please try again slower" (the reference library's speeding list, Sisimai 5), iCloud's refusal of a sender's
      // volume ("Blocked due to excessive volume")
      /\btry again slower\b/,
      // ... and sending too often (Alibaba Cloud's "554 Reject by behaviour spam...: too frequently sending", Oxford's
      // relays' "HST-FLD: 192.0.2.1 is sending too quickly")
      /\btoo frequent(?:ly)? sending\b|\bsending too (?:frequently|often|fast|quickly)\b/,
      // ... and a count of requests or outgoing messages over its limit ("too many requests per time unit", "The limit
      // on the number of allowed outgoing messages was exceeded")
      /\btoo many requests\b|\bnumber of allowed outgoing messages\b/,
      // the sending account's own allowance ("554 5.7.1 Reached address outgoing limits for a@b", Migadu; "Outgoing
      // mail limit reached")
      /\boutgoing (?:(?:mail|message|email|sending) )?(?:limits?|quota)\b/,
      // ... and a count per period over its limit ("Data command rejected: limit of 400 rcpts per 24 hours for client
      // ... reached")
      /\blimit of \d{1,9} (?:rcpts|recipients|messages|mails|emails) per\b/,
      // ... in German ("... da damit das Limit von 30 Mails pro Stunde überschritten wird"), and the sending limit in
      // Portuguese and Spanish ("454 Atencao: voce atingiu o limite maximo de envio: 1000 mensagens em 60 minuto(s)",
      // a Brazilian host's submission server; "límite de envío")
      /\blimit von \d{1,9} (?:e-?)?mails pro\b/,
      /\bl[ií]mite (?:m[aá]ximo )?de env[ií]o\b/,
      /\bdue to excessive volume\b/,
    ],
  },
  {
    // a recipient that takes mail, only not from this sender ("This recipient does not accept mail from unknown
    // senders"): its own filter, read before "does not accept mail" (RFC 7504, a host that takes none) or "unknown"
    // decide otherwise
    reason: 'filtered',
    patterns: [
      /(?:does not|will not) accept (?:any )?(?:emails?|mails?|messages?) from\b/,
      // ... or no bounces ("550 That recipient does not accept bounces", Haraka's bounce plugin): the recipient's setting
      /\b(?:recipient|user|address) does not accept bounces\b/,
      // ... or this message ("550 the recipient refuses to accept this letter", 21cn)
      /\b(?:recipient|user) refuse[sd] to (?:accept|receive)\b/,
      // ... or listed the sender, or is itself listed as taking no mail
      LISTED_FOR_RECIPIENT,
      // ... or a Microsoft 365 group that takes mail from its members only ("550 5.7.193 UnifiedGroupAgent; Delivery
      // failed because the sender isn't a group member or external senders aren't permitted to send to this group")
      /\bsender is not a group member\b|\bexternal senders are not permitted to send to this group\b/,
      // a person, not a host, not accepting mail ("This user is not accepting any mail"): the recipient's setting
      /\b(?:user|recipient|mailbox|account|addressee)\b(?:[^.]|\.(?=[^\s.])){0,30}\b(?:is|are) not accepting (?:any )?(?:email|mail|messages)\b/,
      // ... or the recipients a notice lists ("could not be delivered because they are not accepting mail with
      // attachments", AOL)
      /\bthey are not accepting (?:any )?(?:email|mail|messages)\b/,
      // ... or the address itself ("a@example.org is not accepting any mail")
      /@[a-z0-9.-]{1,253}>? is not accepting (?:any )?(?:email|mail|messages)\b/,
      // ... or not from this one sender (AOL's documented "550 <address> is not accepting mail from this sender")
      /\bnot accepting (?:any )?(?:email|mail|messages) from (?:this|the|that|your) sender\b/,
      // a recipient's own list of senders it takes mail from ("the sender isn't on the recipient's list of senders
      // to accept mail from", the reference library's filtered list)
      /\bnot on the recipient'?s list of senders\b/,
      // ... or a recipient that asked this sender to stop (MailChannels' "550 5.7.1 [UNS] Recipient has unsubscribed
      // from your list")
      /\b(?:recipient|user|addressee) (?:has )?unsubscribed\b/,
      ACCESS_RULE_REJECT,
      // Outlook's and most webmail's "Blocked senders" list, a setting of the recipient's ("The sender is on the
      // recipient's blocked senders list")
      /\bblocked senders? list\b/,
      // ... and its own list of refused senders ("You are registered as spammer (by user's reject list)")
      /\b(?:user|recipient)'?s (?:reject|block|black|deny) ?list\b/,
      // a recipient that takes mail only from addresses it chose ("the recipient is only accepting mail from specific
      // email addresses"), or behind a challenge-response service ("This account is protected by ..."); Verizon's
      // "has restricted SMS e-mail", its subscriber's own block on mail to the phone
      /\bonly accept(?:s|ing)? (?:email|mail|messages) from (?:specific|approved|certain|selected|known)\b/,
      // ... said the other way round: its settings refuse senders it does not know
      /\b(?:do(?:es)? not|do not|does not) (?:allow|accept) (?:(?:email|mail|messages) from )?unknown senders\b/,
      /\baccount is protected by\b|\bhas restricted sms email\b/,
      // the recipient blocked this sender ("The user has blocked your address")
      /\b(?:user|recipient|addressee)\b(?:[^.]|\.(?=[^\s.])){0,20}\bhas blocked (?:your|you|the sender|this sender|(?:messages?|mail|emails?) from)\b/,
      // ... and in Japanese providers' notices, 受信拒否 ("reception refused"): the recipient's refusal settings
      /受信拒否/,
      // ... and in Korean ones, 수신차단 ("reception blocked", NAVER: "받는 사람이 회원님의 메일을 수신차단 하였습니다")
      // and a recipient restricting what it receives ("받는 사람이 현재 메일 수신을 제한하고 있습니다", Dooray!)
      /수신 ?차단|받는 ?사람이(?:[^.]|\.(?=[^\s.])){0,20}수신을 제한/,
      // "550 User reject"; a mailbox not taking new mail for now ("Due to extended inactivity new mail is not
      // currently being accepted for this mailbox"), both in the older reference library's filtered list: the address
      // exists, and the state may pass
      /\buser reject\b|\bnew mail is not currently being accepted\b/,
      // a Sieve script of the recipient's rejecting the message (RFC 5429 "reject": Pigeonhole's "Your message to <a@b>
      // was automatically rejected:" before the script's own words, Cyrus's "automatically rejected by Sieve")
      /\byour message to <?[^\s<>]{1,255}>? was automatically rejected\b|\bautomatically rejected by sieve\b/,
      // ... and its own words in a reply ("550 5.7.1 I no longer accept mail from this address", a Sieve "ereject")
      /\bi (?:no longer|do not) (?:want|accept) (?:any )?(?:email|mail|messages) from\b/,
      // ... or the receiver's account of that wish ("550 5.7.1 Recipient doesn't want your mail", Interia)
      /\b(?:recipient|user|addressee)\b(?:[^.]|\.(?=[^\s.])){0,20}\bdoes not (?:want|wish to receive)\b(?:[^.]|\.(?=[^\s.])){0,12}\b(?:emails?|mails?|messages?)\b/,
    ],
  },
  {
    reason: 'notaccept',
    patterns: [
      /null mx/,
      // ... in Exim's words for a null MX ("an MX or SRV record indicated no SMTP service", RFC 7505) and a domain said
      // not to be used for mail
      /\ban mx or srv record indicated no smtp service\b|\bdomain (?:is )?not used for (?:e-?)?mail\b/,
      // the host takes no mail at all; not one that only refuses some ("does not accept email in non-Western
      // character sets", "... from unknown senders"), which other rules read
      // (nor a mailbox said not to take it, "MAILER-DAEMON does not accept mail": an address, not a host or domain)
      /(?<!\b(?:mailer-daemon|user|mailbox|address|recipient|account|addressee) )(?:does not (?:accept|receive) (?:any )?e?-?mails?|not accepting (?:any )?mails?)(?! (?:in|with|from|for|containing|written|encoded|larger|over|bigger|sent|that|which)\b)/,
      // RFC 5321's own words for a host that serves no SMTP ("554 No SMTP service here", 4.2.3, for a connection
      // "probably in error", 3.1), or the same under RFC 7504's 521 and 556; other greetings that open with them name
      // the client they refuse (Strato's "421 ... No SMTP service (MBL-B)", United Internet's "554-No SMTP service"
      // before its cause), read as a refusal of the host
      /^(?:521|556)[ -].{0,120}?\bno smtp service\b|\bno smtp service here\b/,
      // the domain resolves but names no mail host: qmail's "couldn't find a mail exchanger or IP address" (#5.4.4),
      // OpenSMTPD's "No MX found for domain", Yahoo's "No mx record found for domain=..."; a domain that does not
      // exist at all (NXDOMAIN, "host not found") stays hostunknown
      // (ZoneMTA: "DNS error when resolving MX for a.example: No MX server found", "Could not find any MX servers")
      /no mx (?:record |server |host )?found/,
      /(?:has|have) no mx records?/,
      /(?:could not|cannot) find (?:a|an|any) (?:mail exchanger|mx (?:servers?|hosts?|records?))\b/,
      // OpenSMTPD (smtpd/mta.c): every MX host of the destination refused the mail
      /destination seems? to reject all mails?/,
      // ... and Haraka's outbound, when the domain has neither an MX host nor an address ("Nowhere to deliver mail to
      // for domain: example.net")
      /\bnowhere to deliver mail to\b/,
    ],
  },
  {
    // Google's "DNS Error: ... lookup of x responded with code NXDOMAIN" is a resolution failure at send time; the
    // resolver's TRY_AGAIN (RFC 1035 SERVFAIL or no answer: Postfix "Host not found, try again", glibc "Temporary
    // failure in name resolution") says the lookup did not complete, not that the domain is missing. Gmail's older
    // permanent failures say what the lookup found instead ("DNS Error: Domain name not found", "DNS Error: DNS server
    // returned answer with no data", RFC 2308's NXDOMAIN and NODATA): no host to deliver to, read by the rules below
    reason: 'networkerror',
    patterns: [
      // (Gmail's older wording puts the lookup first: "DNS Error: Address resolution of example.net. failed: Domain
      // name not found")
      /dns error:(?! (?:address resolution of \S{1,255} failed: )?(?:domain name not found|dns server returned answer with no data))/,
      // ... and under a temporary reply ("451 4.4.3 DNS Error: ...") whatever the lookup answered: Gmail still retries
      /^4\d\d[ -]+(?:4\.\d{1,3}\.\d{1,3} +)?dns error:/,
      /host not found, try again/,
      /temporary failure (?:in|of) (?:name resolution|(?:mx |dns |hostname )?lookup)/,
      // (a name that could not be resolved for now: qpsmtpd's resolvable_fromhost, "450 Temporary address resolution
      // failure (#4.4.3)")
      /\btemporary address resolution failure\b/,
      // (Haraka's outbound, when the MX lookup did not complete: "Temporary MX lookup error for example.net")
      /\btemporary mx lookup (?:error|failure)\b/,
      // (mox's "dns lookup error: mx lookup for example.net: ... server misbehaving", Go's resolver for a SERVFAIL)
      /\bdns lookup error\b|\bserver misbehaving\b/,
      // (Apache James's "Temporary problem looking up mail server for host: example.net.")
      /\btemporary problem looking up mail server\b/,
      // a route or a server the sending side could not reach ("Unable to resolve route", "Unable to establish an SMTP
      // connection", "Could not contact DNS servers", the reference library's network-error list, Sisimai 5)
      /\bunable to resolve route\b|\bunable to establish an? (?:smtp )?connection\b|\bcould not contact dns servers?\b/,
      // ... in qmail-remote's words ("Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)"), also when
      // qmail-send adds that it gave up on the message ("I'm not going to try again; this message has been in the
      // queue too long"): the cause it names comes first, as for any other (the reference library's qmail table)
      /\bwas not able to establish an? (?:smtp )?connection\b/,
      // Sendmail's words for a lookup that did not complete (its TRY_AGAIN, "Host name lookup failure") and for a
      // resolver answer it could not parse ("Malformed name server reply")
      /\bhostname lookup failure\b|\bmalformed (?:or unexpected )?name server reply\b/,
      // ... and Exchange's (SMTPSEND.DNS.InvalidData, "DNS returned an invalid response for this domain"), and its
      // routing with no connector for the address's type (ROUTING.NoConnectorForAddressType, "unable to route for
      // address type"): the sending side's lookup or routing, not a domain that does not exist, whatever x.4.4 says
      /\bdns returned an invalid response\b|\bunable to route for address type\b/,
      // ... and a connection to the destination that failed, as Exim's delay warning words it ("host b[192.0.2.1]:
      // connection to mail exchanger failed")
      /\bconnection to (?:the )?mail exchanger failed\b/,
      // ... and its resolver that could not reach a name server at all ("421 cannot send to name server")
      /\bcannot (?:send to|reach|contact) (?:the |any )?name ?servers?\b/,
      // ... and Exim's ("host lookup did not complete", its DNS_AGAIN; its smtp transport's "all host address lookups
      // [for 'example.net'] failed temporarily", and EXIM_LOOKUPS_FAILED)
      /\bhost lookup did not complete\b|\ball host address lookups (?:for \S{1,255} )?failed temporarily\b/,
      // ... and Sendmail's, for a name server that gave no usable answer ("Deferred: Name server: mx.example.net:
      // non-recoverable error", its NO_RECOVERY) and a host its status cache holds down ("Deferred: Host mx.example.net
      // is down")
      /\bname server: \S{1,255}: non-recoverable error\b|\bhost \S{1,255} is down\b/,
      EXIM_LOOKUPS_FAILED,
      // the sending MTA's own connection to the destination failing, in its words: Courier's esmtp module ("Did not
      // find a suitable MX for a connection", "Network connection shut down by the remote mail server", "Connection
      // unexpectedly closed by remote host"), nullmailer's ("Connect failed")
      /\bdid not find a suitable mx\b|\bconnection (?:shut down|unexpectedly closed|closed unexpectedly) by (?:the )?remote\b/,
      /^(?:smtp; ?)?connect failed\b/,
      // ... and Windows' socket error in its words (WSAECONNREFUSED, quoted by Exchange and other Windows servers: "No
      // connection could be made because the target computer actively refused it")
      /\btarget (?:computer|machine) actively refused it\b/,
      // a lookup that timed out or failed for now (the resolver's SERVFAIL, "DNS Error: timeout while resolving",
      // "Unable to resolve host due to DNS timeout"): nothing said of whether the domain exists
      /\b(?:dns|lookup|resolution|resolv(?:e|ed|ing|er)|name ?server)\b(?:[^.]|\.(?=[^\s.])){0,30}\b(?:timeout|timed out|servfail|temporary (?:failure|error)|try again later)\b|\bservfail\b/,
      // a mail loop seen as forwarding: Postfix's "mail forwarding loop for <address>", "maximum forwarding loop count
      // exceeded" (RFC 3463 x.4.6, as "routing loop" and "mail loop" below)
      /\bmail forwarding loop\b|\bforwarding loop count exceeded\b/,
      // Courier's soft error when a lookup did not complete (module.esmtp/esmtpclient.c: "DNS lookup failed."): says
      // nothing of whether the domain exists
      /\bdns lookup fail(?:ed|ure)\b(?!(?:[^.]|\.(?=[^\s.])){0,80}?(?:nxdomain|does not exist|no such|not found))/,
    ],
  },
  {
    // the address or domain said not to exist is the envelope sender's, not the recipient's (Exim's "Sender verify
    // failed", "sender address domain does not exist", "Return path address invalid"): a refusal of the sender.
    // Read before the recipient rules below, whose subjects ("address", "mailbox", "domain") these sentences share.
    reason: 'rejected',
    patterns: [
      /\b(?:sender|return[- ]path|return|envelope[- ]from|mail from|originator)(?:'s)? (?:email )?(?:address |domain |mailbox ){0,3}(?:is |was )?(?:invalid|unknown|not valid|not found|not known|does not exist|not recognized)/,
      // (and Exim's check of the header's sender: "550 Rejected after DATA: could not verify "From:" header address")
      /\bcould not verify "?from:?"? header address\b/,
      /\bsender verif(?:y|ication) failed|\bsender did not verify\b|(?:could not|cannot|unable to) verify (?:the |your )?sender/,
      // said to the sender: "your" address, or its domain, is the one that does not exist
      /\byour (?:email )?(?:address|domain) (?:is |was )?(?:invalid|not valid|unknown|not known|does not exist)/,
      /\bfrom (?:email )?address (?:is )?(?:invalid|unknown|not valid|not found|does not exist)/,
      // Sendmail refuses an unqualified MAIL FROM with "553 5.5.4 <user>... Domain name required for sender address
      // user" (RFC 5321 4.1.2: a Mailbox has a domain): the sender's address, under a code and words that name none
      /domain name required for sender address/,
      // the same subjects in other words: the "sending" domain or address is the envelope sender's, and the domain of
      // the header From (RFC 5322 3.6.2, the author) is the sender's too; neither says anything about the recipient
      /\bsending (?:email )?(?:address|domain)(?: name)? (?:is |was )?(?:invalid|unknown|not valid|not found|not known|does not exist)/,
      /\bfrom:? (?:header )?domain (?:name )?(?:is |was )?(?:invalid|unknown|not valid|not found|does not exist)/,
    ],
  },
  {
    reason: 'hostunknown',
    patterns: [
      /host (?:or domain name )?not found/,
      // Apache James's remote delivery for a domain without MX or address records ("There are no DNS entries for the
      // hostname example.net. I cannot determine where to send this message.")
      /\bno dns entries for the hostname\b/,
      // ... and hMailServer's, when the recipient's domain has neither ("No mail servers appear to exists for the
      // recipient's address.", its external delivery)
      /\bno mail servers? appears? to exists? for\b/,
      // (Exim's smtp transport when no host of the domain has an address: "all host address lookups for 'example.net'
      // failed permanently")
      /\ball host address lookups for \S{1,255} failed permanently\b/,
      // Exchange's own sentences for a domain DNS does not know: 2003's "The destination server for this recipient could
      // not be found in Domain Name Service (DNS)" (#5.4.0), Exchange Online's "it appears that their domain isn't
      // properly registered at their domain registrar" (5.4.310, "DNS domain ... does not exist")
      /\bcould not be found in (?:the )?domain name service\b|\bdomain is not properly registered\b/,
      /unknown (?:mail )?(?:host|domain)/,
      /domain (?:name )?(?:does not exist|not found|unknown|is not valid|invalid)/,
      /\bdomain (?:mentioned|given|specified|used) in (?:the )?(?:email )?address is (?:unknown|invalid|not valid)\b/,
      // ... and "The domain name of the email address is not valid" (bounce.io's explanation of 5.1.2), also with the
      // address named ("The domain in the email address 'a@b' does not exist", a smarthost's RCPT reply): the domain
      // part is what is missing, not the mailbox the address words would read
      /\bdomain (?:name )?(?:of|in) the (?:email |recipient'?s? )?address(?: '[^'\s]{1,254}'| <[^<>\s]{1,254}>)? (?:is (?:unknown|invalid|not valid)|does not exist|(?:was )?not found)\b/,
      /no such (?:host|domain)/,
      // (Exchange Online's "554 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain", also quoted inside the
      // 5.7.0 its front end wraps it in)
      /\bnonexistent domain\b/,
      /(?:name|host) (?:service|server) (?:error|not known)/,
      /unrouteable (?:mail )?domain/,
      /unroutable (?:mail )?domain/,
      // ... said as the router's failure (Wikimedia's Exim: "550 Cannot route to remote domain example.invalid"; RFC 3463
      // x.4.4 "unable to route")
      /\b(?:cannot|unable to) route to (?:the )?(?:remote )?domain\b/,
      /name or service not known/,
      /(?:host|domain)(?:[^.]|\.(?=[^\s.])){0,30}could not be (?:found|resolved)/,
      // the name itself between ("because the domain example.net couldn't be found", Gmail's "Address not found")
      /\b(?:host|domain) [a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,10} (?:could not|cannot) be (?:found|resolved)/,
      /nxdomain/,
      /\bhost unknown\b/,
      /domain (?:is )?not reachable/,
      // (a dotted name after "mailbox" or "user" is the mailbox's own name, "550 5.1.1 Mailbox john.doe does not
      // exist", not a domain)
      /(?:^|[\s:<])(?<!\b(?:mailbox|user|account|recipient|alias)[\s:<])(?:[a-z0-9-]+\.)+[a-z]{2,}>? does not exist/,
      // (a bare "Invalid domain name", RFC 3463 x.5.4's invalid command argument, names no address: Exchange gives
      // it for the greeting's or the sender's domain, so it is no verdict on the recipient's)
      // (nor a setting the receiver keeps for the domain: Trellix Email Security's "550 ETP105 Invalid domain mode")
      // (and the destination's, Forpsi's "5.1.1 invalid destination domain": no MX or A record, its knowledge base;
      // Exchange's "550 5.1.2 ROUTING.InvalidAddress; invalid address domain")
      /invalid (?:recipient|destination|address) domain|invalid domain(?! (?:name|mode|settings?|configuration|policy)\b)/,
      // ... but OpenSMTPD's own verdict on the recipient's domain is the whole diagnostic ("a@b: Invalid domain name",
      // smtpd/mta.c), and DragonFly's dma names the host it looked up ("DNS lookup failure: host b not found")
      new RegExp(`${OPENSMTPD_VERDICT}invalid domain name\\.?$`),
      /\bdns lookup failure: host [a-z0-9.-]{1,253} not found\b/,
      // MailEnable's error 9003, "the domain name (example.com) does not appear to be registered"
      /\bthe domain name \(?[a-z0-9.-]{1,253}\)? does not appear to be registered\b/,
      /mx (?:record )?(?:not found|lookup failed)/,
      /no (?:valid )?mx (?:or a )?(?:record|host)/,
      // (and Exim's other wording of it, "MX records point to non-existent hosts or (invalidly) to IP addresses")
      /\bmx records point to nonexistent hosts/,
      // the resolver's EAI_NODATA, quoted by Postfix ("unable to look up host mx.example: No address associated with
      // hostname"): the name exists but has no address to connect to
      /\bno address associated with (?:hostname|name)\b/,
      // Exim's own failures (transports/smtp.c, route.c): every MX host's address lookup failed for good, or no router
      // could route the address at all ("Unrouteable address", RFC 3463 x.4.4's "unable to route")
      /all host address lookups failed permanently/,
      /\bunrout(?:e)?able address\b/,
      // Japanese providers' notices: the destination's domain or mail server "does not exist" / "cannot be found"
      // (read before the address rule below, whose 宛先 "destination" these sentences share)
      /(?:ドメイン|メールサーバー?|ホスト)(?:[^。.]|\.(?=[^\s.。])){0,20}(?:存在しません|見つかりません)/,
      // (Gmail's "DNS Error:" when the lookup found no such name, let through by the network rule above; "DNS error"
      // alone, maddy's "554 5.7.0 DNS error during policy check", says nothing of the domain)
      /dns error:/,
      /hostname (?:lookup|resolution) failed/,
      /illegal host\/domain/,
      /unable to resolve/,
      /bad destination (?:system|host|domain)/,
      // qmail's "Sorry, I couldn't find any host named x. (#5.1.2)" and the older "... any host by that name."
      // (qmail-remote; QSBMF)
      /could not find any host (?:named|by that name)/,
      /domain(?:[^.]|\.(?=[^\s.])){0,20}(?:has been |was )?deleted/,
      // "As the remote domain doesnt exist" (KDDI/au), apostrophe dropped
      /domain (?:name )?(?:does )?not exist/,
      // (said bare too, "553 Domain must exist", as the reference library's list has it; not the sender's domain)
      /(?<!\bsender(?:'s)? )\bdomain must exist/,
      /domaine (?:est )?(?:inconnu|inexistant)|dom(?:ä|ae)ne (?:ist )?unbekannt|dominio (?:es )?(?:desconocido|inexistente)/,
      /域名(?:[^。.]|\.(?=[^\s.。])){0,10}不存在|(?<!ваш )домен[а-яё]{0,12}(?:[^.]|\.(?=[^\s.])){0,20}(?:не найден|не существует)/,
      // Microsoft's NDR prose for a mistyped domain: "The domain name in the email address is incorrect"
      /domain name in the email address is (?:incorrect|invalid|not valid|wrong)/,
      // Gmail's 553 5.1.2 ("We weren't able to find the recipient domain. Please check for any spelling errors"),
      // Gmail SMTP error reference
      /(?:\bunable to|\bnot able to|\bcould not|\bcannot) find (?:the )?(?:recipient(?:'s)? |destination )?domain\b/,
    ],
  },
  {
    reason: 'userunknown',
    patterns: [
      // not an IP address or a server's ("Your IP address ... is unknown to us", "IP address not found in allowed
      // list"), nor the name of a host, a file or the sender ("Hostname unknown", "Attachment name is not valid"), nor
      // a recipient's setting about senders it does not know ("The account settings do not allow unknown senders"),
      // nor the receiving system's parts that serve the address ("Recipient verification unavailable", "User
      // database unavailable", "Recipient's mail server is unavailable")
      /(?:user|recipient|mailbox|address(?<!\b(?:ip|ipv[46]|server'?s?|host'?s?|client|source|sending|network|sender'?s?) address)|account|addressee|local part|name(?<!\b(?:host|server|computer|domain|display|attachment|file|sender|helo|ehlo|dns|reverse|machine|client|certificate|header|field|parameter|command|charset|character set) ?name)|alias)(?:(?!\b(?:server|service|database|store|lookup|verification|mx|ldap|backend|system)\b)(?:[^.]|\.(?=[^\s.]))){0,40}(?:unknown(?! senders?\b)|does not exist|not exist|not found|(?:could not|cannot) be found|not known|invalid|is not valid|no such|not listed|not recognized|unavailable|undeliverable|not a valid|nonexist|non-exist)/,
      /no such (?:active |valid )?(?:user|recipient|mailbox|address|account|local user|person)/,
      // ... and as an error token ("err.nosuchuser", Critical Path's and Mirapoint's; ZMailer's "unresolvable address:
      // <a@b>; nosuchuser; a@b")
      /\berr\.nosuchuser\b|; nosuchuser\b/,
      // a directory's answer that the name reaches no mailbox (phquery's "Does not have a final email delivery point")
      /\b(?:does not have|has no|without) a final (?:email )?delivery point\b/,
      // hMailServer's route that lists the addresses it takes ("550 Recipient not in route list."): not one of them
      /\brecipient not in route list\b/,
      // "Address a@b no longer in use" (the reference library's unknown-user list, Sisimai 5): the address is gone
      /\baddress (?:<?[^\s<>]{1,254}>? )?(?:is )?no longer in use\b/,
      new RegExp(`unknown (?:user|recipient|mailbox|address|local|email|account|alias)${NOT_A_MODIFIER}`),
      new RegExp(
        `(?:invalid|bad|nonexistent|nonexisting|unrouteable|unroutable|unrecognized) (?:recipient|user|mailbox|address|destination mailbox|email)${NOT_A_MODIFIER}`,
      ),
      // (Yandex's "No correct recipients", its list of refusals: the address does not exist)
      /(?:not|no) (?:a )?(?:valid|known|correct) (?:user|recipient|mailbox|address)/,
      // an address a gateway does not know ("'a@b' is not a registered gateway user"); not "you are not a registered
      // user", which a list server says of the sender
      /@[^\s'"<>]{1,253}['">]? is not a registered (?:[a-z]{1,20} )?(?:user|recipient|mailbox|address)\b/,
      /mailbox not found/,
      /user not found/,
      /user unknown/,
      MICROSOFT_EDGE_BLOCK,
      /addressee unknown/,
      /does not have (?:a|an) \S+ account/,
      /is not a known user/,
      // a receiver that handles no such address ("E-mail address is not handled by this system")
      /\baddress is not handled by this (?:system|server|host|domain)\b/,
      // ... or one the receiver says is gone or never had an account ("Recipient address no longer exists", "User not
      // a member of domain", "a@b does not have an account here")
      /\b(?:recipient|address|mailbox|user|account) no longer exists\b|\bnot a member of (?:this |the )?domain\b/,
      /\b(?:recipient|user|address|mailbox) unrecognized\b/,
      /\bdoes not have an account (?:here|on this (?:server|system|host))\b/,
      // ... in Coremail's English (its support's list of bounce prompts: "recipient does not have an account", "not
      // user of this server", "local server don't exists that user")
      /\brecipient does not have an account\b|\bnot (?:a )?user of this (?:server|system)\b|\bdo not exist that user\b/,
      // a recipient the receiver could not match, with the sender asked to check the address ("550 The recipient cannot
      // be verified. Please check all recipients of this message to verify they are valid.", quoted in logwatch's
      // Postfix samples); "cannot be verified" alone may be a lookup that failed
      /\brecipient cannot be verified\. please check all recipients\b/,
      /no mailbox (?:here|by that name)/,
      // said of something that is not an address ("lookup table does not exist", "spool directory does not exist",
      // "Policy does not exist"): the receiving system's own setup, not the recipient
      /(?<!\b(?:policy|table|director(?:y|ies)|configuration|config|transport|route|resource|certificate|key|object|folder|thread|ticket|file|queue|spool|page|map|database|service|command|option|parameter|setting|rule|filter|path|program|script|socket|session|record|entry|plugin|module|handler|template) )does not exist/,
      // Exchange's RESOLVER.ADR.RecipNotFound / ExRecipNotFound / RecipientNotFound (Exchange Online NDR 5.1.1, 5.1.10)
      /recip(?:ient)?notfound/,
      /not our customer/,
      /this user does not have/,
      /mailbox unavailable/,
      // ... with the words the other way round, as Chinese receivers write it ("550 #2175041 unavailable mail user")
      /\bunavailable (?:mail ?)?(?:user|mailbox|recipient)\b/,
      /mailbox (?:is )?not available/,
      // "user unknown" as European receivers write it in their own language (German, French, Spanish, Italian,
      // Portuguese, Dutch)
      /(?:benutzer|empf(?:ä|ae)nger|postfach|adresse|adressat) (?:ist )?(?:unbekannt|nicht bekannt)/,
      /(?:destinataire|utilisateur|adresse|bo[iî]te(?: aux lettres)?) (?:est )?(?:inconnue?|inexistante?|invalide)/,
      /(?:usuario|destinatario|buz[oó]n) (?:es )?(?:desconocido|inexistente|no existe)/,
      /(?:utente|destinatario|casella|indirizzo) (?:è )?(?:inesistente|sconosciut[oa]|non esiste)/,
      /(?:usu[aá]rio|destinat[aá]rio) (?:é )?(?:desconhecido|inexistente|n[aã]o existe)/,
      /(?:gebruiker|ontvanger|adres) (?:is )?(?:onbekend|bestaat niet)/,
      /(?:email-?adresse|adresse) (?:existiert nicht|gibt es nicht)/,
      // ... and German "no longer available" of the address ("Diese Adresse ist nicht mehr verfuegbar")
      /\badresse (?:ist )?nicht mehr (?:verf(?:ü|ue)gbar|g(?:ü|ue)ltig|vorhanden)\b/,
      /(?:direcci[oó]n|cuenta) (?:de correo )?(?:no existe|inexistente)/,
      // ... and the same said as "not present" or "does not exist" with the subject first (German "Mailbox nicht
      // vorhanden", French "Cette adresse n'existe pas"), and in Polish, Russian and Chinese, whose large
      // receivers (Onet and WP, Mail.ru and Yandex, NetEase and Sina) may write it in their own language
      /(?:mailbox|postfach|email-?adresse|adresse|empf(?:ä|ae)nger|benutzer)\b(?:[^.]|\.(?=[^\s.])){0,30}\b(?:nicht vorhanden|nicht gefunden)/,
      /(?:adresse|utilisateur|destinataire|bo[iî]te(?: aux lettres)?|compte)\b(?:[^.]|\.(?=[^\s.])){0,60}\bn'existe pas/,
      /(?:u[żz]ytkownik|adres|skrzynka|odbiorca)(?:[^.]|\.(?=[^\s.])){0,30}\bnie istnieje|\bnieznany (?:u[żz]ytkownik|adresat|odbiorca)/,
      /(?:пользовател|адрес|ящик|получател|учётн|учетн)[а-яё]{0,12}(?:[^.]|\.(?=[^\s.])){0,30}(?:не найден|не существует)|нет такого (?:пользователя|адреса|ящика|получателя)|неизвестный (?:пользователь|адрес|получатель)/,
      /(?:用户|收件人|邮箱|地址|帐户|账户|账号|信箱)(?:[^。.]|\.(?=[^\s.。])){0,20}不存在|无此用户|用户名不存在|该用户未开通|該用戶未開通/,
      // ... and in further languages of receivers with a large local share, the user, recipient or address "not found"
      // or "does not exist": Portuguese, Czech, Swedish, Danish and Norwegian, Turkish, Indonesian, Hungarian, Romanian,
      // Greek, Vietnamese and Arabic
      anyOf(
        /(?:usu[aá]rio|destinat[aá]rio|endere[cç]o)(?: de e-?mail)? n[aã]o (?:encontrado|existe)/,
        /(?:u[žz]ivatel|adres[aá]t|schr[aá]nka)\S{0,4} (?:neexistuje|nenalezen|nebyl nalezen)/,
        /(?:anv[aä]ndaren|mottagaren|brugeren|modtageren|brukeren|bruker|mottakeren|adressen) (?:finns|findes|finnes) (?:inte|ikke)/,
        /(?:kullan[ıi]c[ıi]|al[ıi]c[ıi]|adres)\S{0,4} (?:bulunamad[ıi]|mevcut de[ğg]il)/,
        /(?:pengguna|penerima|alamat)(?: email)? tidak (?:ditemukan|dikenal|ada)/,
        /(?:felhaszn[aá]l[oó]|c[ií]mzett)\S{0,4} nem (?:l[eé]tezik|tal[aá]lhat[oó])/,
        /(?:utilizator|destinatar)(?:ul)? (?:inexistent|necunoscut|nu exist[aă])/,
        /(?:χρήστης|παραλήπτης|διεύθυνση) δεν υπάρχει|(?:người dùng|người nhận|địa chỉ) không tồn tại|(?:المستخدم|المستلم|العنوان) غير موجود/,
      ),
      // Japanese providers' notices: the address or destination "does not exist" (存在しません) or "cannot be found"
      // (and Gmail's Japanese card, "アドレスが見つからなかったか" for "the address couldn't be found, or")
      /(?:アドレス|宛先|ユーザ|受信者)(?:[^。.]|\.(?=[^\s.。])){0,20}(?:存在しません|存在していない|見つかりません|見つからなかった|登録されていません)/,
      // ... and Korean receivers' (Naver, Daum): the address, user or account "cannot be found" (찾을 수 없) or "does
      // not exist" (존재하지 않), as in Gmail's Korean card "주소를 찾을 수 없음" ("Address not found")
      /(?:주소|사용자|계정|수신자|받는 ?사람|메일 ?박스)(?:[^.]|\.(?=[^\s.])){0,12}(?:찾을 수 없|존재하지 않)/,
      /no account by that name/,
      ADDRESS_NOT_FOUND_CARD,
      /account (?:that you tried to reach )?does not exist/,
      // ... and the e-mail itself, as the address ("550 SL E502 Email not exist", SimpleLogin's forwarder); only the
      // verb right after it, since an e-mail's other words ("email content invalid") are the message's, and not the
      // sender's ("from email not exist")
      /(?<!\b(?:sender'?s?|sending|from|your|return[- ]path) )\bemail (?:address )?does not exist\b/,
      /the email account that you tried to reach/,
      /unknown or illegal (?:alias|user)/,
      /destination address unknown/,
      /bad recipient/,
      /address (?:is )?no longer (?:valid|active)/,
      /not a valid mailbox/,
      // ... or recipient, with the receiver's word for what it takes between ("550 'a@b' is not a valid mailrise
      // recipient", Mailrise's gateway; "not a valid local recipient")
      /\bnot a valid (?:(?!sender\b)[a-z0-9-]{1,20} )?recipient\b/,
      // RFC 5321's 553 text, "Requested action not taken: mailbox name not allowed (e.g., mailbox syntax incorrect)"
      /mailbox name not allowed/,
      // notices that give no reply, only the advice to check the address (Trend Micro InterScan: "Unable to deliver
      // message to <a@b>. Please check if address is correct."; Lotus Notes: "User not listed in public Name & Address Book")
      /check (?:if|that|whether) (?:the )?(?:recipient'?s? |email )?address (?:is )?(?:correct|valid|spelled correctly)/,
      // Lotus Domino ("User <name> not listed in Domino Directory"; R4/R5 "not listed in public Name & Address Book";
      // the Japanese edition "ディレクトリのリストにありません") and IMail ("Invalid final delivery userid"): the
      // server's own directory has no such user. The name between "User" and "not listed" is an address with dots,
      // too long for the general pattern's gap.
      // (and the older Domino's Spanish edition, "no se encuentra en la Libreta de direcciones")
      /not listed in (?:the )?(?:domino directory|public name & address book|name and address book)|\bno se encuentra en la libreta\b/,
      /ディレクトリのリストにありません/,
      /invalid final delivery userid/,
      // a gateway's list of the addresses it accepts for ("Recipient address rejected: Not in recipient list") and the
      // command's own name for the address ("559 Invalid rcptto", Alibaba Mail)
      /\bnot (?:in|on) (?:the |our )?(?:valid )?recipients? list\b|\binvalid rcpt ?to\b(?!\.? use rcpt to)/,
      // the receiver's check of the recipient against its directory failed (Exim's log words for its "verify =
      // recipient" ACL, "recipient verify failed"; a gateway's "554 5.7.1 recipient verify from ldap failed"; Oxford's
      // relays, "RPT-FAL: Recipient failed verification"); not a check it could not complete ("Could not complete
      // recipient verify callout"), which says nothing yet
      /\brecipient (?:address )?verif(?:y|ication)\b(?:[^.]|\.(?=[^\s.])){0,20}\bfailed\b|\brecipient failed verification\b/,
      // qmail's "557 Email address - a@b - is not available here"
      /\baddress\b(?:[^.]|\.(?=\S)){0,80}\bis not available here\b/,
      // qmail's recipient lists (its badrcptto and validrcptto patches: "sorry, your envelope recipient is in my
      // badrcptto list", "this recipient is not in my validrcptto list") and other servers' wordings for an address
      // that is not there: "there is no one at this address", "is not an active address at this host", "no mailbox found", "address not present in directory", "recipient not OK", mail.local's
      // "user missing home directory", Spanish and Italian "no such person/user"
      /\bbad(?:rcptto|recipientto)\b|\bnot in my validrcptto\b|\benvelope recipient has been denied\b/,
      // ... and in plain words ("sorry, your recipient address is not in my local list"); an account its owner
      // deleted is no more ("Recipient address rejected: Account deleted by user", Rambler), unless it is "your
      // account", the sender's
      /\brecipient address is not in my (?:local )?list\b|(?<!\byour )\baccount (?:has been |was )?deleted\b/,
      /\bthere is no one at this address\b|\bnot an active address\b/,
      /\bno mailbox (?:found|available)\b|\bnot present in (?:the )?directory\b|\bmailbox not present\b|\brecipient not ok\b/,
      /\bcannot accept user\b|\buser missing home directory\b|\bwrong or no longer valid\b|<[^<>\s]{1,254}> not found\b/,
      /\bno existe (?:dicha persona|ese usuario)\b|\bnessun utente simile\b/,
      // ... and the other wordings of the reference library's unknown-user list (Sisimai 5, Reason/UserUnknown.pm) for
      // a recipient the server will not take as its own: "Recipient is not local", "a@b is not a local address",
      // "Recipient is not accepted", "The following are not email addresses", "No <name> in name directory",
      // "Destination server rejected recipients", and a refusal of the recipient address that gives no cause at all
      // ("550 Recipient address rejected." where Postfix would add ": <cause>"). As every word here, read as the
      // address only at RCPT TO (at DATA or at no step named, the recipient had been accepted: filtered); "Domain is
      // not local" is the relay rule's
      /\brecipient is not (?:local|accepted)\b|(?<!\b(?:sender|your|from)(?: address)? )\bis not a local address\b|\bare not email addresses\b/,
      /\bno [^\s]{1,64} in name directory\b|\bdestination server rejected recipients\b/,
      /\brecipient address rejected\.?$/,
      SINGLE_LABEL_DOMAIN,
      // vmailmgr's vdeliver, for a virtual user its password table lacks ("vdeliver: Invalid or unknown virtual user")
      /\bunknown virtual user\b/,
    ],
  },
  {
    reason: 'rejected',
    patterns: [
      /sender (?:address |domain )?(?:rejected|refused|denied|not allowed|invalid|unknown|verify failed|verification failed|is not allowed)/,
      /(?:unroutable|unverifiable|invalid|bad|unknown|empty|null) (?:sender|envelope sender|from|mail from|return path)/,
      /domain of sender address/,
      /sender (?:domain )?(?:must|does not) (?:resolve|exist)/,
      /from address (?:is )?(?:invalid|rejected)/,
      /address verification failed/,
      /your (?:envelope )?sender/,
      /mail from (?:address )?(?:rejected|refused)/,
      // qmail-remote: "Connected to 192.0.2.1 but sender was rejected." (the remote refused the MAIL FROM)
      /\bsender (?:address )?(?:was|has been) (?:rejected|refused)/,
      /sender not (?:allowed|permitted)/,
      /purported responsible address/,
      // refusals of the envelope sender by the standards they enforce: BATV-signed return paths (bounce address
      // tag validation), RFC 3834/5321's null sender refused where a reply is expected, qmail's badmailfrom list,
      // an unqualified MAIL FROM (RFC 5321 4.1.2 requires a domain), Orange's "Emetteur invalide" (invalid sender)
      /\bbatv\b/,
      /(?:null|empty) (?:envelope )?senders? (?:is |are )?not (?:allowed|accepted)/,
      /badmailfrom/,
      /fully qualified (?:email )?address required/,
      /[ée]metteur invalide/,
      /not allowed to post to this (?:mailing )?list/,
      // Postfix's reject_multi_recipient_bounce: a message with the null sender (a bounce, RFC 5321 4.5.5) for more
      // than one recipient, "Data command rejected: Multi-recipient bounce"
      /\bmulti-recipient bounce\b/,
      // the envelope sender refused in other receivers' and gateways' words: not the authenticated user's own address
      // ("MAIL FROM not owned by user"), not approved in advance, empty, or a bounce the receiver did not ask for
      // (BATV: "unsigned DSN", "no third-party DSNs"; "returned mail not accepted here"; MDaemon's "backscatter
      // protection"; McAfee's "[BOUNCEDENY]")
      /\bmail ?from (?:address )?not owned by\b|\bmust be (?:the )?same as (?:the )?(?:authorization|authenticated|login) user\b/,
      // ... said the other way round ("552 the from address and the authenticated user must be the same email"), or
      // as a mismatch ("Recipient address rejected: Username a@b and sender doesn't match")
      /\b(?:from|sender) address and (?:the )?(?:authorized|authenticated|login) user must be (?:the )?same\b/,
      /\b(?:user ?name|login)\b(?:[^.]|\.(?=[^\s.])){0,80}\band sender (?:does not|do not) match\b/,
      /\bsender (?:not pre-?approved|(?:address |domain )?is empty)\b|\bwithout a valid sender domain\b|\bbogus mail from\b/,
      /\bunsigned dsn\b|\bno third-party dsns\b|\breturned mail not accepted\b|\bbackscatter protection\b|\[bouncedeny\]/,
      /\baccess to submit messages to this email system has been rejected\b/,
      // Gmail's "550 5.7.0 Mail Sending denied": the sending account is disabled or not registered in the Google
      // Workspace domain (Gmail SMTP error reference)
      /\bmail sending denied\b/,
    ],
  },
  {
    // the client broke the protocol itself, in words that would read as a policy ("violation", "not permitted") or
    // a TLS fault below: Gmail's "SMTP protocol violation", "no commands allowed to pipeline after STARTTLS" (RFC
    // 3207 5), "STARTTLS may not be repeated", "Optional Argument not permitted for that AUTH mode" (RFC 4954)
    reason: 'syntaxerror',
    patterns: [
      // (and a command pipelined where the server takes it alone: Net::Server::Mail's "550 Protocol error: `MAIL' not
      // allowed in a group of commands"; STARTTLS twice, Exchange's "Only one STARTTLS command can be issued per
      // session")
      /\bcommand too long\b|\bnot allowed in (?:smtp )?commands\b|\bsmtp protocol violation\b|\bno commands allowed to pipeline\b|\bstarttls may not be repeated\b|\bonly one starttls command\b|\bnot allowed in a group of commands\b/,
      // ... or at a point where the protocol has no room for it (go-smtp's "502 5.5.1 RCPT not allowed during message
      // transfer", Dovecot's "503 5.5.0 Authentication not permitted during a mail transaction"; DATA for a BINARYMIME
      // message, which RFC 3030 sends by BDAT only), or without an argument it needs (Exchange's "501 5.1.6 SMTPUTF8
      // argument required")
      /\bnot (?:allowed|permitted) during (?:a |the )?(?:mail transaction|message transfer)\b|\bnot allowed for binarymime\b|\bsmtputf8 argument required\b/,
      /\bargument not permitted for that auth mode\b/,
      // an address with characters the server will not route ("550 Restricted characters in address", the ACL of
      // Exim's default configuration for "@", "%", "!", "/", "|" or a leading dot in a local part): its form refused
      /\brestricted characters in (?:the )?address\b/,
      // a command written wrong, named so ("550 Invalid syntax. Syntax should be MAIL FROM:<user@domain>",
      // hMailServer), read before the sender's refusal a MAIL FROM step would make of it
      new RegExp(String.raw`${REPLY_CODES_FIRST}invalid syntax\. syntax should be\b`),
      // ... or a reply that opens with it, whatever it adds of what was not allowed (Haraka's "501 Syntax error (8-bit
      // characters not allowed)")
      OPENS_WITH_SYNTAX_ERROR,
    ],
  },
  {
    // the page a named reputation service keeps for the sending IP, linked for its listing: Cloudmark Sender
    // Intelligence's "csi.cloudmark.com/reset-request", Proofpoint's "ipcheck.proofpoint.com", Barracuda's
    // "barracudacentral.org/lookups". The listing of the host is the cause, whatever generic refusal the words make
    // (Optus: "Recipient address rejected: You are not allowed to send mail. Please see
    // http://csi.cloudmark.com/reset-request/?ip=..."), read before the policy words below
    reason: 'blocked',
    patterns: [
      /\bcsi\.cloudmark\.com\/reset-request\b|\bipcheck\.proofpoint\.com\b|\bbarracudacentral\.org\/lookups\b/,
    ],
  },
  {
    reason: 'policyviolation',
    patterns: [
      /blocked because (?:its|the) content/,
      // the sender's organisation forbids forwarding outside it (Microsoft 365's 5.7.520 "Your organization does not
      // allow external forwarding")
      /\bdoes not allow external forwarding\b/,
      // ... or refuses the message by its own rules ("Message bounced due to organizational settings", Exchange)
      /\bdue to organizational settings\b/,
      // ... or by a transport rule's action (Exchange's "530 5.3.1 Intercepted and rejected by administrative action",
      // "550 4.3.2 Discarded by administrative action"; not its queue's "message deleted by administrative action")
      /\b(?:intercepted and rejected|discarded) by administrative action\b/,
      // ... or the kind of content it takes ("We do not accept messages containing images or other attachments", the
      // reference library's policy list, Sisimai 5)
      /\bdo not accept (?:messages|mail|emails) (?:containing|with) (?:images|attachments)\b/,
      /\bpolicy\b/,
      /prohibited/,
      /not allowed/,
      /violat/,
      /not permitted/,
      /\bforbidden\b/,
    ],
  },
  {
    reason: 'filtered',
    patterns: [
      // not a program's name in a path ("Command died with status 1: /home/a/bin/filter", a delivery program's failure)
      // (not Exim's transport_filter, a program it runs on the message: "transport filter process failed (127)", read
      // as the program's failure below; nor Exim's "Message ... has been frozen by the system filter", a frozen message
      // as below; nor a firewall on the way, Coremail's "Can not connect to recipient's server because of unstable network
      // or firewall filter", a connection that failed)
      /(?<!\/[\w.-]{0,40}|\btransport |\bfrozen by the system |\bfirewall )filter/,
      // the recipient (or the recipient's own settings) refused the message, not the receiving system: "Mail is
      // rejected by recipients" (Tencent QQ Mail's documented error list), "rejected by this user" (the mailbox's
      // owner); "rejected by the recipient domain" is Gmail's wrapper for any refusal by the destination, so a
      // following domain/server/host is excluded
      /(?:refused|rejected) by (?:the |this )?(?:recipients?|user|addressee)\b(?! (?:domain|server|mail|system|host|mta))/,
      /recipient (?:has )?(?:refused|rejected|blocked)/,
      /not accept(?:ing)? (?:your|any) (?:mail|message)/,
      /\bdomain is blocked/,
      // the recipient's own rules or preferences refused the message (the address exists): Exchange Online's 5.7.1
      // for a mailbox that takes mail from inside its organisation only ("Recipient is not authorized to accept
      // external mail"), "refused due to recipient preferences", "message rejected due to user rules", "you have been
      // blocked by the recipient"
      /\bnot authorized to accept external (?:mail|email|messages)\b/,
      // RFC 3463 x.1.4, "destination mailbox address ambiguous", in other words (Exchange 2003's "Ambiguous
      // Recipient"): the address names more than one real mailbox
      /\bambiguous (?:recipient|address|destination mailbox)\b/,
      /recipient(?:'s)? preferences/,
      /due to user rules/,
      /blocked by the recipient/,
      /refuses? to receive (?:this )?(?:mail|email|messages?)/,
    ],
  },
  {
    reason: 'securityerror',
    patterns: [
      /authentication (?:required|is required)/,
      /\bsmtp auth (?:is )?required\b/,
      // OpenSMTPD's relay that would not or could not log in to the host it relays through (smtpd/mta_session.c "Refuse
      // to AUTH over unsecure channel", smtpd/mta.c "Could not retrieve credentials")
      /\brefuse to auth over (?:an? )?(?:unsecure|insecure) channel\b|\bcould not retrieve credentials\b/,
      /must (?:be )?(?:authenticate|use tls|use starttls|issue a starttls)/,
      // the sender's client asked to log in before relaying ("Please turn on SMTP Authentication in your mail client",
      // Broadcom Email Security.cloud)
      /(?:turn on|enable|use) smtp auth(?:entication)?\b/,
      /\bauthentication turned on in your email client\b/,
      // SMTP AUTH itself failed (the credentials, not SPF/DKIM/DMARC, read earlier), and Amazon SES refusing the
      // sending account ("User ... is not authorized to perform ses:SendRawEmail", "Account not subscribed to SES")
      /\bauthentication (?:failure|credentials invalid)\b|\bnot authorized to perform ses:|\baccount not subscribed to ses\b/,
      // ... in Exim's words ("535 Incorrect authentication data") and Mimecast's ("Submitter failed to authenticate")
      /\bincorrect authentication data\b|\bsubmitter failed to authenticate\b/,
      // ... and the sending MTA's own login to its next hop failing, in its words: Courier's esmtp module ("Compatible
      // SASL authentication not available", "Temporary SASL authentication error"), nullmailer's ("Failed to
      // authenticate to server"), dma's ("SMTP login failed")
      /\bsasl authentication (?:error|failed|not available)\b|\bfailed to authenticate to (?:the )?server\b|\bsmtp login failed\b/,
      /tls (?:required|is required)/,
      // (Exim's hosts_require_tls: "a TLS session is required, but an attempt to start TLS failed")
      /\btls session is required\b/,
      // (maddy's outbound policy: "451 4.7.1 TLS it not available or unauthenticated but required")
      /\btls\b[^.;]{0,40}? but required\b/,
      // Broadcom Email Security.cloud requiring TLS of the connecting client ("TLS/SSLv3 Connection required")
      /\btls(?:\/sslv?3)? connection required\b/,
      // (MailCleaner's "550 Encryption is required from you")
      /encryption (?:is )?required/,
      /(?:not|un)authorized (?:sender|user|to send)/,
      /access denied/,
      // not the name of the gateway that wrote the notice: Trend Micro "InterScan Messaging Security Suite", Cisco
      // "Email Security Appliance", Symantec/Broadcom "Email Security.cloud", Barracuda "Email Security Gateway"
      // sign their notices with the product's name, which says nothing about the cause
      /\bsecurity\b(?! ?(?:suite|appliance|gateway|\.cloud)\b)/,
      /certificate/,
      /starttls/,
      // TLS could not be set up with the destination (Postfix: "Cannot start TLS: handshake failure")
      /\b(?:cannot|could not|unable to|failed to) (?:start|negotiate|establish) (?:a )?tls\b|\btls handshake\b/,
      // ... or a receiver without the TLS the client requires ("554 TLS not supported here"), a handshake that failed
      // ("550 5.0.0 Handshake error"), and SMTP AUTH (RFC 4954) the server could not do: "432 4.7.12 A password
      // transition is needed", "435 Unable to authenticate at present", "too much fail authentication"
      /\btls (?:is )?not (?:supported|available|offered)\b|\bhandshake (?:error|failed|failure)\b|\btls (?:session )?(?:negotiation|initiation) failed\b/,
      /\bpassword transition (?:is )?needed\b|\bunable to authenticate\b|\bfail(?:ed)? authentications?\b/,
    ],
  },
  {
    reason: 'mailererror',
    patterns: [
      /\bpipe\b/,
      /procmail/,
      /(?:mailer|program|command) (?:exited|failed|returned|died)/,
      // (Sendmail's deliver.c names the mailer between: "451 4.3.0 mailer local died with signal 9"; Exim's program run
      // on the message before it is sent: "transport filter process failed (127)")
      /\bmailer \S{1,64} died with signal\b|\btransport filter process failed\b/,
      // (Postfix's pipe(8) stopping a command that ran too long: "Command time limit exceeded: "/usr/bin/maildrop"")
      /\bcommand time limit exceeded\b/,
      /x-unix;/,
      /exit(?:ed)? (?:with )?(?:status|code) \d+/,
      // qmail's .qmail program line with its exit code for a temporary failure ("|/home/a/bin/prog || exit 75")
      /\|\| ?exit \d+\b/,
      // Sendmail's words for a delivery program's exit code outside sysexits(3) ("554 5.3.0 unknown mailer error 1",
      // deliver.c), and other MTAs' "Mailer error"
      /\bmailer error\b/,
      // (maildrop's limit on one delivery's time, "maildrop: Timeout quota exceeded": the program ran too long)
      /\btimeout quota exceeded\b/,
      // Postfix's pipe(8) quoting what the delivery program printed ("Command output: avpcheck: unable to connect to
      // avp daemon: Connection refused"): the program's failure, whatever it says of its own connections
      /\bcommand output:/,
      // Exim's pipe transport reporting its command's failure ("Child process of address_pipe transport returned 75
      // from command: /usr/bin/procmail", its specification's "Failures in a pipe transport")
      /\bchild process of \S{1,64} transport returned\b/,
      // Dovecot's delivery agent run by the MTA, ending with its own error ("lda: Fatal: Invalid -f parameter",
      // "dovecot-lda(bob): Fatal: ...": its log prefix, which the MTA quotes as the program's output)
      /\b(?:dovecot-)?lda(?:\([^()\s]{1,64}\))?: fatal:/,
      // a local delivery agent that could not open, create, lock or write the mailbox file ("local delivery deferred:
      // can not lock `/var/mail/bob'", mail.local; "maildrop: error writing to mailbox."; "can't create INBOX")
      /\b(?:unable to|cannot|could not) (?:open|create|lock|write to) (?:the )?(?:mailbox|inbox|maildir|[`'"]?\/var\/(?:spool\/)?mail\/)|\berror writing to (?:the )?(?:mailbox|maildir)\b/,
      // ... in Postfix's words, local(8)'s "cannot update mailbox /var/mail/bob for user bob. unable to create lock file
      // ...", "maildir delivery failed: create maildir file ...", virtual(8)'s "delivery failed to mailbox ...: cannot
      // open file: Permission denied" (a mailbox at its size limit is full, read above)
      /\bcannot update mailbox\b|\bmaildir delivery failed\b|\bdelivery failed to mailbox\b/,
    ],
  },
  {
    reason: 'systemfull',
    patterns: [
      /(?:mail )?system (?:is )?full/,
      /insufficient system storage/,
      // Sendmail's refusal while its queue's file system is short of space ("452 4.4.5 Insufficient disk space; try
      // again later", srvrsmtp.c): the host's disk, whatever mailbox the message was for
      /insufficient disk space/,
      // ... in Italian ("Spazio esaurito sul device", no space left on the device)
      /\bspazio esaurito\b/,
      // the host's disk in the operating system's words (ENOSPC, "No space left on device"), or "not sufficient disk
      // space" (the reference library's system-full list, Sisimai 5)
      /\bno space left on device\b|\bnot sufficient disk space\b/,
      /out of (?:disk )?space/,
      /disk (?:is )?full/,
    ],
  },
  {
    reason: 'expired',
    patterns: [
      RETRY_TIME_RAN_OUT,
      // the retries ran out rather than the time: "Exceeded Maximum Delivery Attempts"
      /\bexceeded (?:the )?maximum (?:number of )?delivery attempts\b|\bmaximum (?:number of )?delivery attempts exceeded\b/,
      // (Apache James's "Too many retries failure. Bouncing after 5 retries."; 1&1's "Reason: multiple delivery
      // attempts failed")
      /\btoo many retries failure\b|\bmultiple delivery attempts (?:have )?failed\b/,
      // an X.400 gateway's non-delivery, RFC 2156's reason and diagnostic codes written out ("Reason 1
      // (Unable-To-Transfer); Diagnostic 5 (Maximum-Time-Expired)", X.411's maximum-time-expired)
      /\bmaximum-time-expired\b/,
      // ... or a deadline the sender set (RFC 2852 DELIVERBY, Sendmail's "554 Message can't be delivered in time")
      /\b(?:cannot|could not) be delivered in time\b/,
      // Exchange's notices for a message that expired in its queue (4.4.7, QUEUE.Expired; Microsoft, "Exchange
      // Server NDRs"): "Could not deliver the message in the time limit specified", and the later "The server has
      // tried to deliver this message, without success, and has stopped trying"
      /could not deliver the message in the time limit specified/,
      /tried to deliver this message, without success, and has stopped trying/,
      /too long in (?:the )?queue/,
      /has been in the queue too long/,
      // Oracle Communications Messaging Server's notice for a message that outlived its time in the queue ("Message
      // timed out", under 4.4.7): the message, not a connection, timed out
      /\bmessage (?:has )?timed out\b/,
      // RFC 3463 x.4.7 "delivery time expired", in each MTA's noun for what ran out of time: "Message expired"
      // (Amazon SES, Exchange), "Envelope expired" (OpenSMTPD), "QUEUE.Expired" (Exchange), "Delivery expired",
      // "queue lifetime expired"
      /\b(?:(?:message|envelope|delivery|queue|lifetime) (?:has )?|queue\.)expired\b/,
      // ... and Exchange's localised "The message in the queue has expired"
      // (and Spanish MTAs' "tiempo de entrega vencido", x.4.7's title)
      /nachricht in der warteschlange ist abgelaufen|message de la file d'attente a expiré|\btiempo de entrega vencido\b/,
      /(?:delivery|message) (?:attempts|delivery) (?:will )?(?:be )?(?:abandoned|stopped)/,
      // not qmail-remote's "Giving up on 192.0.2.1.", which closes every permanent refusal it reports (qmail 1.03
      // qmail-remote.c), however soon it came
      /giving up(?! on \[?[0-9a-f.:]{2,45}\]?\.?(?:\s|$))/,
      /could not be delivered (?:within|for) (?:more than )?(?:\d+|the last|the (?:allotted|allowed|specified) time)/,
      /\bhas not been collected after\b/,
      /did not accept our requests to connect/,
      inOrder(/unable to deliver /, / (?:within|for) \d/),
      /time limit exceeded/,
      inOrder(/exceeded /, / (?:retry|delivery) (?:time|period|limit)/),
      /not (?:been )?delivered for \d+/,
      /maximum time/,
      /(?:no|without) (?:successful )?delivery (?:for|in|after)/,
      /expired after/,
      /gave up/,
      // the queue lifetime ran out, in the final notices of Sendmail ("Cannot send message for 5 days", its
      // Timeout.queuereturn) and Exim ("retry time not reached for any host after a long failure period", past the
      // retry rules' cutoff)
      /cannot send (?:this )?message (?:for|within) \d+/,
      // a retry count run out in words ("This message has been retried the maximum of (10) times and has permanently
      // failed")
      /\bretried the maximum (?:number )?of\b/,
      // ... and its warning before that ("Warning: could not send message for past 4 hours", Timeout.queuewarn)
      /could not send (?:this )?message for (?:the )?past \d+/,
      /after a long failure period/,
      // queue-lifetime notices that state the elapsed time instead of saying "expired": "Delivery to the following
      // recipients was aborted after 5.0 hour(s)", Japanese carrier gateways' "not delivered within 0 days and 1 hours"
      /not (?:been )?delivered within \d+ (?:days?|hours?|minutes?)/,
      /aborted after \d+(?:\.\d+)? ?(?:days?|hours?|hour\(s\)|day\(s\)|minutes?)/,
      // IMail's final notice after its retry schedule: "Delivery failed 3 attempts"
      /delivery failed \d+ attempts?/,
      // the queue's own limit named as such: "the destination computer was not reachable within the allowed queue
      // period" (Post.Office), "maximum queue time", "queue lifetime reached"
      /(?:allowed|maximum|max) queue (?:period|time|lifetime)|queue lifetime (?:reached|exceeded)/,
      // the retries ran out, said of the attempts rather than of time: "Delivery failed after multiple attempts",
      // "not delivered after 5 retries", the sending MTA's own "Unable to deliver message after multiple retries",
      // "Maximum delivery attempts exceeded", "delivery attempts exhausted", and Exim's "all hosts for 'example.net'
      // have been failing for a long time (and retry time not reached)"
      /(?:failed|not (?:been )?delivered|(?:could not|cannot) be reached|(?:unable to|could not|cannot) deliver(?: (?:the |this |your )?(?:message|mail|email))?) after (?:\d+|multiple|several|repeated|many) (?:delivery )?(?:attempts|retries|tries)/,
      /\bretry (?:count|limit) (?:exceeded|reached)/,
      /max(?:imum)? (?:number of )?(?:delivery )?(?:attempts|retries) (?:exceeded|reached|has been reached)/,
      /(?:delivery attempts|retries) (?:exhausted|exceeded)|\battempts exhausted/,
      /have been failing for a long time/,
      // ... or said of the time the destination kept failing: "Delivery has failed after 4 days", "unreachable for
      // too long", "undeliverable for 5 days"
      /(?:failed|undeliverable|unreachable|not (?:been )?delivered) (?:after|for) \d+(?:\.\d+)? ?(?:days?|hours?|day\(s\)|hour\(s\))/,
      /(?:unreachable|failing|undeliverable) for too long/,
      // the routing step that found no next hop before the queue gave up ("Routing: Could not find a gateway for
      // <a@b>", as the older reference library's expired list reads it)
      /\bcould not find a gateway for\b/,
      // Exim's frozen messages, failed once they outlive timeout_frozen_after ("Message has been frozen", "was frozen on
      // arrival by ACL"; Exim specification, "Frozen messages")
      /\b(?:has been|was) frozen\b/,
    ],
  },
  {
    // a host that refused or shut the connection on the sender, in the sending MTA's words (Sendmail's "Deferred:
    // Connection refused by mx.example.net." and "Remote protocol error: Connection reset by peer during result
    // wait"; Exchange's "421 4.4.2 Connection dropped due to SocketError"): the reference library's Blocked list
    // reads these wordings as the host turning the client away, and the corpus it labelled agrees. Read after every
    // other cause: a reply that names one says why the host hung up. (Postfix's "connect to host[ip]:25: Connection
    // refused" names no host that refused, and stays the network's.)
    reason: 'blocked',
    patterns: [/\bconnection (?:refused by \S|reset by peer\b|dropped\b|was dropped by remote host\b)/],
  },
  {
    reason: 'networkerror',
    patterns: [
      /connection (?:refused|timed out|reset|closed|lost|dropped|failure|error)/,
      // (SmarterMail's "Failed four Attempts to connect to recipients mail server")
      /\bfailed [a-z0-9]{1,10} attempts? to connect\b/,
      // ("connection with mx1.example.com is broken")
      /\bconnection (?:with|to) \S{1,255} (?:is|was) broken\b/,
      // (GroupWise's "420 TCP Write Error", "420 TCP Read Error": a time-out while it sent or read)
      /\btcp (?:read|write) error\b/,
      /timed? ?out/,
      // (and maddy's "Network I/O error", its name for a connection's failure: before the receiver's own I/O error)
      /network (?:error|unreachable|is unreachable|i\/o error)/,
      /no route to host/,
      // RFC 3463 x.4.1 "No answer from host"
      /no answer from (?:the )?(?:remote )?host/,
      /host (?:is )?(?:unreachable|down|not responding|not reachable)/,
      /could not connect/,
      /unable to connect/,
      // (Postini's "451 Can't connect to example.org - psmtp"; Coremail's "Can not connect to recipient's server")
      /\bcan(?:'?t| ?not) connect to\b/,
      // the attempt to connect named with its target and then failed (Tencent's system reply "(9)connect to the
      // "192.0.2.10(192.0.2.10) of example.org" server failed"; its own words, "连接收件方邮件系统失败": connecting to
      // the recipient's mail system failed)
      /\bconnect to (?:the )?\S.{0,100}? (?:server|host) failed\b/,
      /连接[^。，,]{0,20}失败/,
      // (and Exim's "421 Lost incoming connection", "451 Cannot resolve <a@b> at this time")
      /lost (?:incoming )?connection|\bcannot resolve \S{1,300} at this time\b/,
      /too many hops/,
      // (and the same said bare, "550 Loop detected")
      /routing loop|\bloop detect(?:ed|ion)\b/,
      // a loop between hosts (RFC 3463 x.4.6, "routing loop detected"): "mail loop", "Message looping (received 6
      // times)", "mail is looping"
      // (ZoneMTA's "500 A delivery loop was detected")
      /(?:mail|message|delivery) (?:is )?loop|\blooping (?:message|mail)\b/,
      /dns (?:temporary )?(?:failure|timeout)|\bdns resol(?:ve|ution) (?:error|failure|failed)\b|\bdns error\b(?!:)/,
      /temporary dns failure/,
      /remote host (?:closed|said: 421)/,
      // Haraka's bounce when every MX host of the domain failed ("550 5.1.2 Tried all MXs a.example"): the domain has
      // mail hosts, none could be reached
      /\btried all mxs?\b/,
      // ... and maddy's, "No usable MXs, last err: ..." (its remote target, when no MX host took the connection)
      /\bno usable mxs?\b/,
      // RFC 5321 6.3 loop detection by counting Received fields: "Message has exceeded maximum hop count" (Domino),
      // "Hop count exceeded - possible mail loop" (RFC 3463 x.4.6)
      /hop count exceeded|exceeded (?:the )?maximum hop count/,
      // OpenSMTPD's reasons for giving up on a destination's MX hosts (smtpd/mta.c), its relay loop among them
      /address family mismatch on destination|all routes to destination blocked|no valid route to (?:remote mx|destination)/,
      new RegExp(`${OPENSMTPD_VERDICT}loop detected\\.?$`),
      /network error on destination/,
      // Exchange's "The DNS records for the destination computer could not be found" (a lookup that failed, not a
      // domain said not to exist)
      /\bdns records for the destination computer could not be found\b/,
    ],
  },
  {
    reason: 'systemerror',
    patterns: [
      // (and in the words of MMDF's smtpsrvr: "451 Mail system problem", "451 Unknown mail trouble, try later")
      /system (?:error|failure|config|problem)|\bmail trouble\b/,
      // (and an error the server did not expect, Apache James's "451 4.0.0 Unexpected error for a@b": its own fault)
      /internal (?:server |service )?error|\bunexpected (?:error|failure|exception)\b/,
      // ... in other words for the same ("550 Internal delivery error", "451 Internal confusion", "450 out of memory.",
      // DSPAM's "Unable to initialize agent context", Sun Messaging Server's "TLS library initialization failure",
      // "422 License Expired": the receiving product's licence, "user lookup error", a queue or spool it cannot use)
      // (and Postfix's word for its own tables or files failing it, "local data error while talking to mx", "451 4.3.0
      // Error: Server local data error")
      /\blocal data error\b/,
      // (and its table lookups that failed for now, "Temporary lookup error")
      /\btemporary lookup error\b/,
      // (and Exim's configuration that does not expand, "failed to expand helo_data: unknown variable name ...")
      /\bfailed to expand\b/,
      // ... and OpenSMTPD's relay for its own configuration or queue ("Cannot retrieve smarthost", "Could not retrieve
      // source address", "Error reading content file", smtpd/mta.c and mta_session.c)
      /\bcannot retrieve smarthost\b|\bcould not retrieve source address\b|\berror reading content file\b/,
      // (a process the server could not start, said either way round: "cannot fork", and "421 Fork failed" as a relay
      // greeted a sender under load)
      /\b(?:unable to|cannot) (?:initiali[sz]e|fork)\b|\bfork failed\b|\b(?:tls|ssl) library initiali[sz]ation failure\b|\binternal (?:delivery |processing |dkim )?(?:error|confusion|failure)\b|\bout of memory\b|\bmemory shortage\b|\blicen[cs]e (?:has )?expired\b|\bi\/o error\b|\binput\/output error\b|\balias expansion error\b/,
      /\buser lookup (?:error|failure|failed)\b|\b(?:queue|spool) (?:is )?(?:temporarily )?unavailable\b|\berror (?:while |in )?writing (?:the )?spool file\b|\blogging failure\b/,
      // the server going down ("421 4.3.2 Service shutting down", RFC 5321 3.8), read after the causes it may add (a
      // disk full): whatever x.3.2 says, it takes mail again when it is back
      /\bshutting down\b|\bshutdown in progress\b/,
      /server (?:error|configuration)/,
      // the MTA's own delivery into a local mailbox failing (Exim's appendfile transport, "local delivery failed";
      // dma's): no delivery program of the recipient's ran, so no mailer failed (as the reference library's Exim table
      // reads it); a full disk it gives as the cause is read first
      /\blocal delivery failed\b/,
      // qmail-send's own failure to start a delivery ("Unable to run qmail-remote.", its log's "Unable_to_run_qmail-
      // remote./"): the mail system, whatever the recipient
      /\bunable[_ ]to[_ ]run[_ ]qmail-(?:remote|local)\b/,
      // not a notice calling itself a "temporary failure report" (OpenSMTPD's delay warning): that says nothing of
      // the cause
      // ... nor Gmail's delay notice saying so of itself, "There was a temporary problem delivering your message"
      /temporar(?:y|ily) (?:local |system |service )?(?:problem|failure|error)(?! report| delivering)/,
      // (and RFC 5321 4.2.3's text for 451 without its "local": "Requested action aborted: error in processing"; or
      // with its words turned round, Indy's "451 Local Processing Error")
      /local (?:processing )?(?:error|configuration error|problem)|\baction aborted: error in processing\b|^4\d\d[ -](?:4\.\d{1,3}\.\d{1,3} )?error in processing\b/,
      /misconfigur/,
      /(?:ldap|database|directory) (?:server )?(?:error|failure|unavailable|lookup)/,
      /unable to contact/,
      /try again later/,
      /service (?:temporarily |currently )?(?:unavailable|not available)/,
      /loops? back to myself/,
      // the destination's best MX is the sending host itself, a configuration error of the mail system, in Postfix's
      // words (Exchange's own, SMTPSEND.DNS.MxLoopback, are its table's: receiver-codes.ts)
      /mx (?:record )?points to (?:the )?local host/,
      // (Exim's smtp transport: "remote host address is the local host", the same fault found by address)
      /\bremote host address is the local host\b/,
      /too many hops/,
      /resources? (?:are |is )?(?:temporarily )?unavailable/,
      // a server of the destination, or the proxy before it, failing for now: "esmtp server temporarily not
      // available" (Cox's error codes), "Upstream error" (Cloudflare Email Routing), "Service not active" (as the
      // older reference library's Microsoft table reads it; not a closed account)
      /\bserver (?:is )?temporarily (?:not available|unavailable)\b|\bupstream error\b|\bservice not active\b/,
      // the receiver cannot handle the step now: Mimecast's "451 Unable to process connection at this time", "Unable to
      // process command", "Unable to process an email at this time" (Mimecast SMTP error codes)
      /unable to process (?:the |this |your |an? )?(?:connection|command|email|message|request)s?\b/,
      // ... or lost the message part way ("Message ended early", Mimecast SMTP error codes)
      /\bmessage ended early\b/,
      // the receiving MTA's own faults: Sendmail's "aliasing/forwarding loop broken", "Can't create user output file"
      // (older releases' "Can't create output"), "queue file write error", mail.local's "temporary file write error", a
      // system call interrupted, Exchange's "A loop was found in the mail exchanger" and "it encountered an error while
      // being processed"
      /\bforwarding loop (?:for \S{1,255} )?broken\b|\bcannot create (?:user )?output(?: file)?\b|\b(?:queue|temporary) file write error\b/,
      /\binterrupted system call\b|\bloop was found in the mail exchanger\b|\bencountered an error while being processed\b/,
      // ... and qmail's queue program failing under qmail-smtpd (qmail.c's qmail_close: "qq trouble in home directory",
      // "qq trouble creating files in queue", "qq read error", "qq internal bug", "qq crashed", "unable to exec qq"),
      // whose "(#4.3.0)" a relay may drop
      /\bqq (?:trouble|read error|internal bug|crashed)\b|\bunable to exec qq\b/,
      // Exchange's store not reachable for the mailbox ("Recipient deferred because there is no Mdb") and its
      // directory routing data not loaded ("Could not load DRD for domain")
      /\bthere is no mdb\b|\bcould not load drd\b/,
    ],
  },
  {
    reason: 'syntaxerror',
    patterns: [
      /syntax error/,
      /command (?:not )?(?:recognized|unrecognized|unknown)/,
      /unrecognized command/,
      /command outside of transaction/,
      // ("550 Invalid syntax in RCPT command", "521 Closing connection as too many unknown commands received",
      // Dovecot's "421 4.7.0 Too many invalid commands.")
      /\binvalid syntax in (?:the )?(?:rcpt|mail|helo|ehlo|data)\b|\btoo many (?:unknown|invalid) commands\b|\binvalid (?:rcpt|mail) param/,
      // (a client that skipped its greeting: "It's polite to say HELO first", "Send HELO/EHLO first")
      // ("Mail transactions must start with EHLO/HELO"; Debian's exim4-config "no HELO given before MAIL command", the
      // Exim wiki's "HELO required before MAIL")
      /\b(?:say|send) (?:helo|ehlo)(?:\/ehlo)? first\b|\bmust (?:start|begin) with (?:ehlo|helo)\b|\b(?:helo|ehlo)(?:\/(?:helo|ehlo))? (?:required|given) before mail\b/,
      // ... or one told how to write the command ("503 5.1.2 Invalid RCPT TO. Use RCPT TO: <recipient>", DSPAM's LMTP)
      /\buse (?:rcpt to|mail from): ?</,
      CLIENTS_PROTOCOL_FAULT,
      // RFC 5321's own texts for 502, 503 and 504, and the same said in other words ("Improper sequence of commands")
      // (and the command named, Mailman's LMTP runner's "502 Error: command HELO not implemented")
      /(?:bad|improper|wrong|invalid) sequence of commands|command (?:parameter |[a-z]{4} )?not implemented/,
      // a parameter of MAIL FROM or RCPT TO the server could not read or does not know (RFC 5321 4.2.2's 555 "MAIL
      // FROM/RCPT TO parameters not recognized or not implemented"; MailHog's "550 Badly formed parameter")
      /\b(?:badly formed|malformed|unrecognized|unknown|unsupported) (?:mail from |rcpt to |mail |rcpt )?parameters?\b|\bparameters? not recognized\b/,
      // Exim's address parser (parser.c): the address itself is malformed (RFC 5321 4.1.2)
      /angle-brackets nested too deep|domain missing in source-routed address|malformed address: |\(expected word or "<"\)/,
    ],
  },
  {
    // a link to a block list's or reputation service's lookup page with the sending IP as its query: the reply
    // points at the listing of the host (Spamhaus "spamhaus.org/query/bl?ip=", Proofpoint "ipcheck.proofpoint.com/
    // ?ip=", Cloudmark "csi.cloudmark.com/reset-request/?ip="). Read only when the words name nothing else: some
    // receivers put the sending IP into the link of every error they explain (1&1's "Mail size limit exceeded. For
    // explanation visit http://postmaster.1and1.com/en/error-messages?ip=...")
    reason: 'blocked',
    patterns: [
      /[?&](?:ip|query)=(?:\d{1,3}\.){3}\d{1,3}\b/,
      // ... and Barracuda's name, which its block replies carry, but so does its signature under any other verdict
      // ("550 5.1.1 User unknown. Protected by Barracuda Networks")
      /barracuda/,
    ],
  },
  // Last, the titles the standards give the enhanced status codes (RFC 3463 section 3; x.7.20-x.7.26 RFC 7372,
  // x.7.27 RFC 7505, x.7.28 RFC 7372 errata / IANA, x.7.29 RFC 8617, x.7.30 RFC 8689): servers that write no
  // enhanced code often write its title instead ("550 Mailbox owner has changed"). Each maps as its code does in
  // status-code-reasons.ts; titles too vague to name a cause ("Other address status") and those whose meaning
  // depends on the class ("Unable to route") are left out.
  { reason: 'hasmoved', patterns: [/(?:mailbox|domain) owner has changed/] },
  { reason: 'notaccept', patterns: [/system not accepting network messages/] },
  { reason: 'systemfull', patterns: [/mail system congestion/] },
  {
    reason: 'authfailure',
    patterns: [/no (?:passing|acceptable|valid author-matched) dkim signature/, /arc validation failure/],
  },
  { reason: 'spamdetected', patterns: [/mail flood detected/] },
  {
    reason: 'contenterror',
    patterns: [/undefined media error/, /media not supported/, /conversion (?:required but not supported|failed)/],
  },
  {
    reason: 'securityerror',
    patterns: [
      /message integrity failure/,
      /cryptographic (?:failure|algorithm not supported)/,
      /authentication (?:credentials invalid|mechanism is too weak)/,
      /encryption needed/,
      /trust relationship required/,
      /requiretls support required/,
      // x.7.1's title, "Delivery not authorized, message refused" (whole, it is Microsoft's recipient restriction:
      // receiver-codes.ts)
      /delivery not authorized/,
    ],
  },
  {
    reason: 'systemerror',
    patterns: [/undefined mail system status/, /system incorrectly configured/, /mailing list expansion problem/],
  },
  { reason: 'networkerror', patterns: [/undefined network or routing status/, /\bbad connection\b/] },
  { reason: 'syntaxerror', patterns: [/invalid command(?: arguments)?\b/, /wrong protocol version/] },
  {
    // a delay told in the words of a warning or a reply: Sendmail's "Warning: message still undelivered after 4 hours"
    // (envelope.c), "Delivery attempts will continue to be made for 4 days", "The message has been delayed". Read as
    // a delay report is, and last: the cause the same words name first ("Deferred: No route to host") is the reason
    reason: 'expired',
    patterns: [
      /\bmessage still undelivered after\b/,
      /\bdelivery attempts will continue\b|\b(?:message|delivery|mail) has been delayed\b/,
    ],
  },
];

/**
 * The letters and punctuation of Chinese, Japanese and Korean text (CJK symbols and punctuation, kana, ideographs,
 * Hangul, full-width forms), which runs its words together without blanks: in "收件人user@example.com不存在" and
 * "アドレス「user@example.jp」は" they end the address as a blank would.
 */
const CJK_TEXT = String.raw`\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef`;

/**
 * An address (RFC 5321 allows 64 octets to its local part): the run of non-delimiters before an @, and its domain.
 * Both are names someone chose, read as one neutral address without a dot, since the rules read a dot as a sentence's
 * end and "Postfach user@example.de nicht vorhanden" is one sentence.
 */
const ADDRESS = new RegExp(
  String.raw`(['"<([]?)(?<![^\s<>()[\]:;,"'=${CJK_TEXT}])[^\s<>()[\]:;,"'=@${CJK_TEXT}]{1,64}@[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63}){0,10}(['">)\]]?)`,
  'g',
);

/** The bracket or quote that closes each one that can open an address. */
const CLOSING = new Map([
  ['<', '>'],
  ['(', ')'],
  ['[', ']'],
  ["'", "'"],
  ['"', '"'],
]);

/**
 * The address in one form, in angle brackets, however the reply set it off ("<a@b>", "'a@b'", "(a@b)", or bare): the
 * quoting is the writer's habit, not a word. A bracket that opens or closes something longer stays.
 */
function neutralAddress(_address: string, open: string, close: string): string {
  return (!open && !close) || CLOSING.get(open) === close
    ? `<${NEUTRAL_ADDRESS}>`
    : `${open}${NEUTRAL_ADDRESS}${close}`;
}

/**
 * A host name ("mx1.spamfilter.example.net"): like a local part it is a name someone chose, not the reply's words, so
 * "filter", "blocked" or "barracuda" in it say nothing of the failure. Left as they are: names inside a URL and the
 * names of block lists and reputation services ("blocked using zen.spamhaus.org"), which are the cause itself, and
 * dotted tokens whose last part is no common top-level domain (Exchange's "RESOLVER.ADR.RecipNotFound",
 * "QUEUE.Expired", and two sentences run together, "Mailbox full.Please try later").
 */
const HOST_NAME =
  /(?<![@\w./-])(?:[a-z0-9-]{1,63}\.){1,10}(?:com|net|org|edu|gov|mil|int|info|biz|name|mobi|example|test|invalid|local|localdomain|arpa|[a-z]{2})\b(?![\w/@-])/g;
const LISTING_SERVICE =
  /spamhaus|spamcop|sorbs|barracudacentral|uribl|surbl|dnsbl|\brbl|abuseat|mailspike|senderscore|cloudmark|spameatingmonkey|s5h\.net|psbl|backscatterer/;

/**
 * A gateway's name for itself in the failures it relays ("#5.0.0 X-Spam-&-Virus-Firewall; [example.com]: Name or
 * service not known", Barracuda's Spam & Virus Firewall): like a host name, a product's name, not a verdict on spam
 * or a virus.
 */
const GATEWAY_PRODUCT_TAG = /\b(?:x-)?spam[- ]&[- ]virus[- ]firewall\b/g;

/**
 * The stamp a scanning gateway or a desktop antivirus puts under the mail it passed, a notice included: MailScanner's
 * default "This message has been scanned for viruses and dangerous content by MailScanner, and is believed to be
 * clean.", Proofpoint Essentials' "This email has been scanned for spam and viruses by Proofpoint Essentials. Click
 * here to report this email as spam.", Mimecast's "... scanned for viruses and malware, and may have been
 * automatically archived by Mimecast", Websense's "... scanned for malware by Websense", MailGuard's "e-mail
 * anti-virus, anti-spam and content filtering", AVG's "Virus-free." and older "No virus found in this message. ...
 * Virus Database: ...". It says a scan found nothing: the words a threat was found by ("a virus was found",
 * "infected") are left to be read.
 */
const CLEAN_SCAN_STAMP =
  /\b(?:has|have) been (?:scanned|checked) for (?:(?:spam|viruses|malware|spyware|threats|dangerous content)(?:,? and |, | & )?){1,4}|\bbelieved to be clean\b|\breport this (?:e-?mail|message) as spam\b|\banti-?virus, anti-?spam and content filtering\b|\bvirus-free\b|\bno (?:virus(?:es)?|malware) (?:was |were )?(?:found|detected) in this (?:message|e-?mail)\b|\bvirus database:/g;

/**
 * A reply's non-ASCII characters as an MTA writes them into its ASCII notice: Exim escapes each byte in octal
 * ("doesn\342\200\231t", string_printing() in its string.c), Postfix puts a "?" for each ("doesn???t",
 * printable() in its util library, when SMTPUTF8 is off). Exim's escapes are read back as the UTF-8 they spell; of
 * Postfix's question marks only a three-byte character between two letters, the typographic apostrophe ("doesn’t"),
 * can be told.
 */
const OCTAL_ESCAPED_BYTES = /(?:\\[23][0-7]{2})+/g;
const APOSTROPHE_AS_BYTES = /(?<=[a-zA-Z])\?{3}(?=[a-zA-Z])/g;

function decodedBytes(run: string): string {
  const bytes = Uint8Array.from(run.split('\\').slice(1), (octal) => parseInt(octal, 8));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return run;
  }
}

/** The text with those escapes read back; most replies have none, so the scans run only when one may be there. */
function asciiEscapesRead(text: string): string {
  const decoded = text.includes('\\') ? text.replace(OCTAL_ESCAPED_BYTES, decodedBytes) : text;
  return decoded.includes('???') ? decoded.replace(APOSTROPHE_AS_BYTES, "'") : decoded;
}

/**
 * An IPv4 address set off in brackets of its own ("Your mail from [192.0.2.1] was rejected", "<192.0.2.1> blocked"),
 * read as the bare address; not Postfix's "unknown[192.0.2.1]", a host's name and its address.
 */
const BRACKETED_IPV4 = /(?<![\w.])[[(<](\d{1,3}(?:\.\d{1,3}){3})[\])>]/g;

/**
 * Typographic apostrophes (HTML notices write "recipient’s") and the accent or backtick typed in an apostrophe's place
 * between two letters ("recipient´s"), each read as the ASCII one (before compatibility forms, which would make the
 * accent a space and a combining mark).
 */
const APOSTROPHE = /[\u2018\u2019\u02bc]|(?<=[a-z])[\u00b4`](?=[a-z])/gi;

/**
 * The text in Unicode's compatibility forms (NFKC): full-width letters and digits ("ｕｓｅｒ ５５０") as ASCII, half-width
 * katakana (old Japanese mobile mail) as full-width, so a pattern written one way reads the other; and without the
 * zero-width characters an HTML notice may leave between letters. Only text with a character outside ASCII is
 * normalised.
 */
const NOT_ASCII = /[^\t\n\r\x20-\x7e]/;
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g;

function compatibleForms(text: string): string {
  return NOT_ASCII.test(text) ? text.normalize('NFKC').replace(ZERO_WIDTH, '') : text;
}

/** A host's name as one neutral name with no word in it (a "host" of its own would be read as the word "host"). */
function neutralHost(name: string): string {
  return LISTING_SERVICE.test(name) ? name : 'x.example';
}

/**
 * Lower-cases and collapses whitespace so patterns need not care about folding or case; underscores between words are
 * spaces ("550 BAD_RECIPIENT"); each word a reply may write several ways is read in one spelling, and an address or an
 * IP in one form, so patterns need not care about a writer's habits either.
 */
export function normaliseDiagnostic(text: string): string {
  const words = withIpv6AsAddress(
    joinedReplyLines(
      asOneLine(compatibleForms(asciiEscapesRead(cutText(text)).replace(APOSTROPHE, "'")).toLowerCase()),
    ),
  );
  return withoutWhatFollows(
    negationsWrittenOut(words)
      // an address is names someone chose ("no-such-user@", "filtered-by-domain@"), not words of the reply
      .replace(ADDRESS, neutralAddress)
      .replace(HOST_NAME, neutralHost)
      .replace(BRACKETED_IPV4, '$1')
      .replace(GATEWAY_PRODUCT_TAG, 'gateway')
      .replace(CLEAN_SCAN_STAMP, 'scanned')
      .replace(/(?<=[a-z])_(?=[a-z])/g, ' ')
      .replace(SPELLING_VARIANT, oneSpelling)
      .replace(NOT_EXIST, doesNotExist)
      .replace(TOO_MANY_OF_ONE, 'too many $1s'),
  );
}

/**
 * "Too many" before a noun left singular, as non-native writers leave it ("452 Too many recipient", "421 Too many
 * connection from your IP"): read as the plural every rule names; not a noun that qualifies the next ("Too many
 * recipient attempts").
 */
const TOO_MANY_OF_ONE =
  /\btoo many (recipient|connection|message|error|session|command|request|attempt|hop)(?= (?:from|per|in|for|to|on|at|specified|sent)\b|[^\s\w-]|$)/g;

/**
 * "Not exist" as non-native writers put it ("550 user not exist", "recipient is not exist", "the domain in your From
 * header does not exists"): read as "does not exist", unless a verb before it keeps it ("may not exist").
 */
const NOT_EXIST = /\b(?:([a-z]+) )?not exists?\b/g;
const KEEPS_ITS_VERB = new Set([
  'does',
  'do',
  'did',
  'may',
  'might',
  'must',
  'can',
  'could',
  'will',
  'would',
  'shall',
  'should',
  'need',
  'to',
]);
const BE = new Set(['is', 'are', 'was', 'were']);

function doesNotExist(_words: string, before: string | undefined): string {
  if (before === undefined || BE.has(before)) return 'does not exist';
  return KEEPS_ITS_VERB.has(before) ? `${before} not exist` : `${before} does not exist`;
}

/**
 * Words that replies write in several ways, each read in one spelling so that a pattern names a phrase once: the
 * misspellings admins' own refusals carry ("550-Invalid Recepient", "550 unroutable adress", "User unkown", "550
 * Invaild recipient address", "reciever", "unavaliable", "mailbox unavaiable", "account is freezed", Tencent QQ's
 * "access denined"); compounds written as one word, with a hyphen or as two ("e-mail", "mail box", "host name",
 * "non-existent", "black list", "block-listed", "denylist", "grey list", "time-out", "look-up", "spamfilter",
 * "IP-address", "reverse-DNS", "mailserver"); British spellings ("unauthorised", "recognised"). Negations are written
 * out before (`negationsWrittenOut`).
 */
const SPELLING_VARIANT =
  /\b(?:(?:time[- ]out|look[- ]up|log-in|adress|unkown|invaild|unavaliable|unavailible|unavaiable|freezed|denined)\b|recepient|recipent|reciev|e-mail|mail[- ]box|host[- ]name|non[- ]exist|(?:black[- ]|block[- ]?|deny[- ]?)list|(?:grey[- ]|gray[- ]?)list|timed-out|spam-?filter|domain-name|reverse-dns|ip-address|mail-?server|((?:un)?(?:authori|recogni|organi))s(?=(?:e[ds]?|ing|ations?)\b))/g;

/** The one spelling of each variant above, by its letters alone. */
const ONE_SPELLING = new Map([
  ['recepient', 'recipient'],
  ['recipent', 'recipient'],
  ['adress', 'address'],
  ['unkown', 'unknown'],
  ['invaild', 'invalid'],
  ['unavaliable', 'unavailable'],
  ['unavailible', 'unavailable'],
  ['unavaiable', 'unavailable'],
  ['freezed', 'frozen'],
  ['denined', 'denied'],
  ['reciev', 'receiv'],
  ['email', 'email'],
  ['mailbox', 'mailbox'],
  ['hostname', 'hostname'],
  ['nonexist', 'nonexist'],
  ['blacklist', 'blacklist'],
  ['blocklist', 'blacklist'],
  ['denylist', 'blacklist'],
  ['greylist', 'greylist'],
  ['graylist', 'greylist'],
  ['timeout', 'timeout'],
  ['timedout', 'timed out'],
  ['lookup', 'lookup'],
  ['login', 'login'],
  ['spamfilter', 'spam filter'],
  ['domainname', 'domain name'],
  ['reversedns', 'reverse dns'],
  ['ipaddress', 'ip address'],
  ['mailserver', 'mail server'],
]);

function oneSpelling(word: string, british: string | undefined): string {
  if (british) return `${british}z`;
  return ONE_SPELLING.get(word.replace(/[^a-z]/g, '')) ?? word;
}

/**
 * An IPv6 address (RFC 4291 2.2, lower case), with RFC 5321's "IPv6:" tag: hex groups and colons, compressed by "::"
 * or all eight groups written (so a time of day, "23:34:45", is none), perhaps ending a sentence.
 */
const IPV6_ADDRESS =
  /(?<![\w:.])(?:ipv6:)?(?=[0-9a-f:]*::|(?:[0-9a-f]{1,4}:){7}[0-9a-f])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:]|\.\w)/g;

/** The inner six groups of an address written in full, found from its colons (a pattern that starts with one). */
const EIGHT_GROUPS = /(?::[0-9a-f]{1,4}){6}:/;

/**
 * The text with each IPv6 address read as an IPv4 one would be, so every rule about the sending IP reads both. Only
 * text with a "::" or eight groups in a row can hold one, so the pattern is tried on no other.
 */
function withIpv6AsAddress(t: string): string {
  return t.includes('::') || EIGHT_GROUPS.test(t) ? t.replace(IPV6_ADDRESS, '0.0.0.0') : t;
}

/**
 * What follows a reply's words without being any of them: the receiver's stamp, its server's name in brackets
 * (Microsoft's "... [BN8NAM11FT014.eop-nam11.prod.protection.outlook.com]", read by then as the neutral "[x.example]")
 * or a trace id and its name (Gmail's "... d2si1234567qkd.123 - gsmtp"; an id has a digit, so a word before the
 * name is the reply's), and the step the notice says the reply answered (Postfix's "(in reply to RCPT TO command)",
 * Gmail's "(state 14)", Yahoo's "[RCPT_TO]"; `findCommand` reads them; not SendGrid's "  in MAIL FROM", which once its
 * blanks are collapsed reads as a reply's own "Unknown domain in MAIL FROM"), or the enhanced code qmail and its kin
 * write after the words ("Sorry, no mailbox here by that name. (#5.1.1)"; the code is read from the reply as a
 * whole). They say who answered and when, or how the code was written, not why.
 */
const AFTER_THE_WORDS =
  / (?:\(#[245]\.\d{1,3}\.\d{1,3}\)|\[x\.example\]|(?=[^\s]{0,79}\d)[^\s]{1,80} - gsmtp|\(state \d{1,3}\)\.?|\[(?:rcpt to|mail from|data|body|ehlo|helo|connect)\]|\(in reply to [a-z]{1,10}(?: [a-z]{1,10}){0,4}\))$/;

/** The words without it, looked for in their last characters only (the longest such ending is some 90). */
function withoutWhatFollows(t: string): string {
  const tail = t.length > 120 ? t.length - 120 : 0;
  const m = AFTER_THE_WORDS.exec(t.slice(tail));
  return m ? t.slice(0, tail + m.index) : t;
}

/**
 * A multi-line reply flattened into one line repeats its code on every line (RFC 5321 4.2.1: "550-" on each line but
 * the last, "550 " on the last): it is read as the one-line reply it stands for, its codes once and its lines' words
 * joined, so a phrase split across lines reads whole ("550-5.7.1 ... multiple 550-5.7.1 addresses") and a name a line
 * opens with is not joined to the code by its hyphen ("550-kijitora@example.org... No 550 such user").
 */
export function joinedReplyLines(t: string): string {
  // with an enhanced code on each line: every repeat of the pair after the first
  const first = /\b([245]\d\d)-([245]\.\d{1,3}\.\d{1,3}) /.exec(t);
  if (first) {
    const repeat = new RegExp(`\\s${first[1]}[- ]${first[2]!.replace(/\./g, '\\.')}(?= )`, 'g');
    const rest = t.slice(first.index + first[0].length);
    return `${t.slice(0, first.index)}${opening(t, first.index, `${first[1]} ${first[2]} `)}${rest.replace(repeat, '')}`;
  }
  // ... and a bare code where the reply has no enhanced one ("554-Service unavailable; Client host [192.0.2.1]
  // blocked using 554-Barracuda Reputation; 554 http://..."): the continuation markers "554-", and the "554 " that
  // opens the reply's last line, the first after the last marker; another "554 " could be a number of the text
  const bare = /(?<!\S)([245]\d\d)-(?=\S)/.exec(t);
  if (!bare) return t;
  const rest = t.slice(bare.index + bare[0].length);
  const markers = new RegExp(`\\s${bare[1]}-(?=\\S)`, 'g');
  let lastLine = 0;
  for (const m of rest.matchAll(markers)) lastLine = m.index + m[0].length;
  const closing = new RegExp(`\\s${bare[1]} (?=\\S)`).exec(rest.slice(lastLine));
  const at = closing ? lastLine + closing.index : -1;
  const unclosed = closing ? `${rest.slice(0, at)} ${rest.slice(at + closing[0].length)}` : rest;
  return `${t.slice(0, bare.index)}${opening(t, bare.index, `${bare[1]} `)}${unclosed.replace(markers, ' ')}`;
}

/**
 * The first "550-" (at `at`) as the one-line reply's opening, `head` ("550 ", "550 5.7.1 "); nothing when the reply
 * opened with that head already and this is its second line, the first line's hyphen written as a space by whoever
 * quoted it ("554 Service unavailable; ... blocked using 554-Barracuda Reputation; 554 http://...").
 */
function opening(t: string, at: number, head: string): string {
  const before = t.slice(0, at);
  const opened = before.startsWith(head) || before.includes(` ${head}`) || before.includes(`\n${head}`);
  return opened ? '' : head;
}

/**
 * Instrumentation for the corpus measure (scripts/classify-bounce.ts --measure): it is told which pattern decided
 * each classification, and can leave patterns out, to see how much a family of bounces depends on patterns nothing
 * else uses. Unset in the service, where it costs one null check per classification.
 */
export interface RuleProbe {
  /** A pattern (id "<rule index>.<pattern index>:<reason>", or "provider:<name>") decided a reason. */
  decided(id: string): void;
  /** Whether to behave as if this pattern were not in the table. */
  skip(id: string): boolean;
}

let probe: RuleProbe | null = null;

/** Installs (or, with null, removes) the probe; for measuring tools only. */
export function setRuleProbe(p: RuleProbe | null): void {
  probe = p;
}

export function ruleProbe(): RuleProbe | null {
  return probe;
}

/**
 * The reason the words of the reply a text quotes name (the whole text's when it quotes none), or null: what the
 * destination said, without the reporting MTA's words around it.
 */
export function reasonForReplyWords(text: string): BounceReason | null {
  return reasonForText(remoteReply(text) ?? text);
}

/** First reason whose patterns match the diagnostic text, or null. */
export function reasonForText(text: string): BounceReason | null {
  const found = reasonForNormalised(normaliseDiagnostic(text));
  if (found !== null) return found;
  // A code word written in CamelCase ("550 DisabledUser", "554 MailLoop", "550 DmarcRejection": the names sending
  // platforms and filters give their verdicts) says its words once split; read so only when the reply as written
  // matched nothing, so names the patterns know whole (Exchange's "RecipNotFound") keep their reading. Only the first
  // few such words are read, on their own: a reply made of them costs one more short reading, not a second full one
  const joined = cutText(text).match(JOINED_WORDS);
  return joined
    ? reasonForNormalised(normaliseDiagnostic(joined.slice(0, MAX_JOINED_WORDS).map(splitWords).join('; ')))
    : null;
}

// (not a part of a dotted name, Exchange's "SMTPSEND.SuspiciousRemoteServerError": its codes are read whole or not)
const JOINED_WORDS = /(?<![\w.:])[A-Z][a-z]+(?:[A-Z][a-z]+)+\b/g;
const MAX_JOINED_WORDS = 4;
const splitWords = (word: string): string => word.replace(/(?<=[a-z])(?=[A-Z])/g, ' ');

function reasonForNormalised(t: string): BounceReason | null {
  if (!t) return null;
  if (probe) return probedReason(t, probe);
  for (const rule of DIAGNOSTIC_RULES) {
    if (rule.patterns.some((p) => p.test(t))) return rule.reason;
  }
  return null;
}

function probedReason(t: string, p: RuleProbe): BounceReason | null {
  for (const [i, rule] of DIAGNOSTIC_RULES.entries()) {
    for (const [j, pattern] of rule.patterns.entries()) {
      const id = `${i}.${j}:${rule.reason}`;
      if (!p.skip(id) && pattern.test(t)) {
        p.decided(id);
        return rule.reason;
      }
    }
  }
  return null;
}
