// One SMTP failure (code, enhanced code, text, and the command it answered when known) → reason and hard flag.
// Both paths use it: the relay's own synchronous 5xx replies and each recipient of a received bounce.
import {
  ADDRESS_NOT_FOUND_CARD,
  CLIENTS_PROTOCOL_FAULT,
  joinedReplyLines,
  LINE_OVER_LIMIT,
  normaliseDiagnostic,
  OPENS_WITH_SYNTAX_ERROR,
  reasonForText,
  RECIPIENTS_OWN_LIMIT,
  SENDERS_OWN_QUOTA,
  SESSION_AUTH,
  SINGLE_LABEL_DOMAIN,
} from './diagnostic-patterns.js';
import { RECIPIENT_RESTRICTION, receiverVerdict } from './receiver-codes.js';
import { isHardBounce, type BounceReason } from './reasons.js';
import { domainOf } from '../mime/address.js';
import {
  findEnhancedStatus,
  findReplyCode,
  namesNoCause,
  NOT_IN_IPV6,
  remoteReply,
  REPLY_CODES_FIRST,
  statusClassOf,
  type SmtpCommand,
} from './smtp-codes.js';
import { reasonForStatus } from './status-code-reasons.js';
import { cutText } from './text-match.js';

export interface ReplyClassification {
  reason: BounceReason;
  hard: boolean;
}

/**
 * Enhanced codes precise enough to beat the text: vendor-specific codes and the authentication family, whose
 * replies also talk about "policy" or "rejected" in words that would match a vaguer rule first; and the RFC 3463
 * details that name one cause outright (x.1.6 moved, x.1.7/x.1.8 bad sender address, x.2.2 mailbox full, x.2.3
 * over a per-recipient size limit, x.3.4 message too big; RFC 4954's x.7.8, the sending side's login credentials),
 * whose replies often add generic words ("Access denied, bad outbound sender", "rejected: mailbox full",
 * "Authentication failed") that a vaguer rule would take first.
 */
const DECISIVE_STATUS = /^[45]\.(?:1\.[678]|2\.[23]|3\.4|4\.7|7\.(?:8|13|2[0-6]|509|606|650|708|750))$/;

/** DATA refused for want of an accepted recipient (RFC 5321 3.3). */
const NO_VALID_RECIPIENTS = /\bno valid recipients\b/i;

/**
 * Verizon's MMS gateway's "Error: No valid recipients for this MM": not DATA's answer but the gateway's verdict on the
 * one number it was given (no subscriber has it), one of the `DIRECTORY_VERDICT`s.
 */
const NO_SUBSCRIBER_FOR_MMS = /\bno valid recipients? for this (?:mm|message)\b/i;

/** Reasons that judge the message itself, not the address it went to. */
const isContentVerdict = (reason: BounceReason | null): boolean =>
  reason === 'spamdetected' || reason === 'virusdetected';

/** A DNS answer that the name does not exist (RFC 2308's NXDOMAIN, Gmail's "Domain name not found"). */
const NO_SUCH_DOMAIN_ANSWER = /\bnxdomain\b|\bdomain name not found\b/i;

/** Words that say an address could not be read, not that its mailbox is missing ("Invalid address", "Bad syntax"). */
const ADDRESS_UNREADABLE = /\b(?:invalid|bad|malformed|illegal|improper)\b|\bsyntax\b/i;

/**
 * RFC 3463 x.1.1 "bad destination mailbox address" (and Microsoft's x.1.10 "recipient not found"), and x.1.0 "other
 * address status", which status-code-reasons.ts reads as the address too.
 */
const BAD_MAILBOX = /^[45]\.1\.(?:0|1|10)$/;

/** The words' reason, where the enhanced code does not say more precisely what they leave open. */
function wordsWithStatus(
  fromText: BounceReason | null,
  status: string | null,
  replyCode: string | null,
  text: string,
): BounceReason | null {
  // "Recipient rejected" under x.1.1 ("bad destination mailbox address", RFC 3463) or x.1.0: the code says why the
  // recipient was refused, which the words only suggest was the recipient's own filter
  if (fromText === 'filtered' && status !== null && BAD_MAILBOX.test(status)) return 'userunknown';
  // a lookup that found no such domain (NXDOMAIN) under the permanent 5.1.2 ("bad destination system address"): the
  // domain does not exist, though Google words it as a lookup's failure ("DNS Error: ... NXDOMAIN")
  if (fromText === 'networkerror' && status === '5.1.2' && NO_SUCH_DOMAIN_ANSWER.test(text)) return 'hostunknown';
  // a null MX refused under a policy code is the sender's domain (RFC 7505 4.2: 550 5.7.27 "sender address has null
  // MX"; Rspamd's "554 5.7.1 Domain published RFC 7505 Null MX"): a recipient's domain that takes no mail is 5.1.10
  if (fromText === 'notaccept' && status !== null && /^[45]\.7\./.test(status) && /\bnull ?mx\b/i.test(text))
    return 'rejected';
  // an address said invalid under RFC 5321's 500 or 501 ("syntax error in parameters or arguments": msmtpd's "501
  // Invalid address") with no x.1.x beside it: the argument could not be read, no mailbox was looked up (the reference
  // library reads these soft too). Not a directory's verdict under them (Critical Path's "500 (err.nosuchuser)")
  if (
    fromText === 'userunknown' &&
    (replyCode === '500' || replyCode === '501') &&
    !/^[45]\.1\./.test(status ?? '') &&
    ADDRESS_UNREADABLE.test(text)
  )
    return 'syntaxerror';
  // RFC 5321's stock "mailbox unavailable" names no cause; x.2.1 beside it does (RFC 3463: "mailbox disabled, not
  // accepting messages"), not a missing mailbox
  if (fromText === 'userunknown' && /^[45]\.2\.1$/.test(status ?? '') && isStockMailboxUnavailable(text))
    return 'suspend';
  // something "not allowed" under RFC 5321's 503, "bad sequence of commands" ("503 5.5.1 Multiple MAIL commands not
  // allowed", "503 5.5.0 AUTH not permitted now"): the command where it came, not a policy on the message
  if (fromText === 'policyviolation' && replyCode === '503' && !/^[45]\.7\./.test(status ?? '')) return 'syntaxerror';
  // "try again later" alone names no cause, so a transient x.7.1 beside it says which (greylisting and other holds
  // of the sending host, as status-code-reasons.ts reads it): Postfix's policy servers' "450 4.7.1 <a@b>: Recipient
  // address rejected: Please try again later", "451 4.7.1 Service unavailable - try again later"
  if (fromText === 'systemerror' && status === '4.7.1' && RETRY_WORDS_ONLY.test(text)) return 'blocked';
  // a line too long under 500, which RFC 5321 4.2.2 gives a command line too long, or content's words after "Syntax
  // error" under 500 or 501 (SubEthaSMTP's "501 Syntax error: invalid character encoding." for a command line it
  // could not decode), or under 501 with a protocol code (RFC 3463 x.5.x; Dovecot's "501 5.5.4 Invalid TO: Invalid
  // character in path"): the command, not the content
  if ((fromText === 'contenterror' || fromText === 'notcompliantrfc') && commandRefused(text, status, replyCode))
    return 'syntaxerror';
  // a header field's fault given under a content code ("550 5.6.0 Missing required RFC2822 Date field", "554 5.6.0
  // Message contains duplicate Message-ID headers"): RFC 3463's x.6 subject, "message content or media status", says
  // which of the two readings of a malformed message the receiver meant, as the reference library reads such a code
  if (fromText === 'notcompliantrfc' && status !== null && /^[45]\.6\./.test(status)) return 'contenterror';
  return fromText ?? reasonWithoutText(status, replyCode, text);
}

/** The 500/501 cases above, with the reply's words normalised once for both of their patterns. */
function commandRefused(text: string, status: string | null, replyCode: string | null): boolean {
  if (replyCode === '501' && /^[45]\.5\./.test(status ?? '')) return true;
  if (replyCode !== '500' && replyCode !== '501') return false;
  const words = normaliseDiagnostic(text);
  return OPENS_WITH_SYNTAX_ERROR.test(words) || (replyCode === '500' && LINE_OVER_LIMIT.some((p) => p.test(words)));
}

/**
 * RFC 5321's words for 450 and 550 and nothing more ("550 5.2.1 Requested action not taken: mailbox unavailable"),
 * also as "not available" (Interia's "550 5.2.1 Mailbox not available"), with its own translation after a slash
 * ("Mailbox not available / Konto niedostepne", Polish for "account unavailable").
 */
const STOCK_MAILBOX_UNAVAILABLE = new RegExp(
  String.raw`${REPLY_CODES_FIRST}(?:requested action not taken: )?mailbox (?:unavailable|not available)\.?(?: \/ ([^/]{1,60}))?$`,
  'i',
);

/** The stock words alone, or with a translation that names no cause of its own. */
function isStockMailboxUnavailable(text: string): boolean {
  const stock = STOCK_MAILBOX_UNAVAILABLE.exec(text);
  return stock !== null && (stock[1] === undefined || reasonForText(stock[1]) === null);
}

/** A reply whose only words ask to retry ("451 4.7.1 Please try again later", after Postfix's "<a@b>: Recipient ..."). */
const RETRY_WORDS_ONLY = new RegExp(
  String.raw`${REPLY_CODES_FIRST}(?:recipient address rejected: )?(?:service unavailable|temporarily rejected)?[ .,;-]{0,3}(?:please )?try again later[ .!]{0,3}$`,
  'i',
);

/**
 * The words of a 521/556 reply say what RFC 7504 gives those codes for (a host or domain that accepts no mail), or
 * next to nothing: a receiver that uses the code for another check and names it ("556 The number of RCPTs is over
 * size", "556 remote ip check error") has not said its domain takes no mail.
 */
function saysNoMailAccepted(text: string): boolean {
  if (/\baccept|\bnull mx\b|\bno mail\b/i.test(text)) return true;
  // (the codes and host names do not count: a name is a token with a dot, matched from its start only)
  const words = text.replace(/\b[45]\d\d\b|(?<!\S)[^\s.]*\.\S*/g, ' ').match(/[A-Za-z]{2,}/g);
  return (words?.length ?? 0) <= 2;
}

/** Reason when only the code says anything (text matched no rule). */
function reasonWithoutText(status: string | null, replyCode: string | null, text: string): BounceReason | null {
  // RFC 5321's 501, "syntax error in parameters or arguments": the server could not read the address it was given
  // (maddy's "501 5.1.2 Unable to normalize the recipient address"), which says nothing of whether its domain exists
  if (replyCode === '501' && status !== null && /^[45]\.1\.2$/.test(status)) return 'syntaxerror';
  if (status) {
    const r = reasonForStatus(status);
    if (r) return r;
  }
  // RFC 5321's 552 "exceeded storage allocation". Not 551 ("user not local") nor 553 ("mailbox name not allowed"):
  // servers use both for relay and sender refusals too, and a code alone is no evidence that an address is gone
  if (replyCode === '552') return 'mailboxfull';
  if (replyCode === '554' || replyCode === '550') return null;
  // RFC 7504: 521 "host does not accept mail", 556 "domain does not accept mail"
  if (replyCode === '521' || replyCode === '556') return saysNoMailAccepted(text) ? 'notaccept' : null;
  // RFC 4954: 530 authentication required, 534 mechanism too weak, 535 credentials invalid, 538 encryption required
  if (replyCode && /^53[0458]$/.test(replyCode)) return 'securityerror';
  // RFC 5321: 500-504 syntax and unimplemented commands, 555 MAIL/RCPT parameters not recognised
  if (replyCode && /^(?:50[0-4]|555)$/.test(replyCode)) return 'syntaxerror';
  return null;
}

/**
 * "User unknown" under a code that says the mailbox exists but refuses (RFC 3463 x.2.0 "the mailbox exists, but
 * something about the destination mailbox has caused this DSN", x.2.1 "mailbox disabled, not accepting messages",
 * x.7.1 "delivery not authorized") or that the system failed (x.3.0): the recipient's side filtered it. NTT docomo
 * is the common case: it accepts every RCPT TO and answers "550 Unknown user <address>" after DATA when the
 * recipient's reception settings refuse the sender, which Sendmail reports as Status 5.2.0 (docomo's own
 * description of its 550 reply: unknown address or the handset's refusal settings).
 */
export function isFilterStatus(status: string | null): boolean {
  return status !== null && /^[45]\.(?:2\.[01]|7\.1|3\.0)$/.test(status);
}

/**
 * Words about the session, not about who sends: its encryption (a client certificate it did not present: Postfix's
 * "421 4.7.1 mx Error: No client certificate presented"), or the client not having logged in (RFC 4954's 530
 * "Authentication required"; Microsoft's 5.7.57, "Client was not authenticated to send anonymous mail during MAIL
 * FROM", answered at MAIL FROM by a submission endpoint that wants SMTP AUTH first; chasquid's "Mail to submission
 * port must be authenticated").
 */
const SESSION_SECURITY = new RegExp(
  String.raw`\b(?:starttls|tls|ssl|encrypt(?:ion|ed)?|client certificate)\b|${SESSION_AUTH.source}`,
  'i',
);

/**
 * The words of a system that looked the address up in its own directory, rather than a bare "User unknown" that any
 * step of a relayed session could have drawn: Exchange 2003's "The recipient name is not recognized ... (000C05A6)",
 * Domino's "not listed in Domino Directory" (and its Japanese, French and German editions), IMail's "Invalid final
 * delivery userid" and "Unknown user: <address>" (IMail's own verdict on a local address: the verdict first, the
 * address after a colon, no reply; a reply it relays comes after "Body of message generated response:"), Trend Micro
 * InterScan's "Please check if address is correct", Google's "the address couldn't be found", Microsoft's "a wasn't
 * found at example.com" (its German edition: "a wurde nicht in example.com gefunden"), Verizon's MMS gateway's "Error:
 * No valid recipients for this MM" (no subscriber has that number), Google's Korean and Japanese cards
 * ("주소를 찾을 수 없음", "アドレスが見つからなかったか") and phquery's "Does not have a final email delivery point". Not
 * Postfix's "unknown user" and "User unknown in virtual alias table" without the 5.1.1 its reports give them: the
 * reference library reads those, as old Postfix sent them under 5.0.0, by the rule below (filtered), and Yahoo's old
 * "This user doesn't have a yahoo.com account" at no step, as it reads it too (corpus).
 */
const DIRECTORY_VERDICT = new RegExp(
  String.raw`^unknown user: ?<?[^\s@<>]+@|not listed in|${NO_SUBSCRIBER_FOR_MMS.source}|not recognized|(?:could not|cannot) be found|(?:was not|is not) found at|wurde nicht in \S+ gefunden|check (?:if|that|whether) (?:the )?(?:email )?address is correct|\bdirector(?:y|io)\b|\bannuaire\b|\bverzeichnis\b|ディレクトリ|주소를 찾을 수 없|アドレスが見つからなかった|invalid final delivery userid|\(000c05a6\)|does not have a final (?:email )?delivery point\b|${ADDRESS_NOT_FOUND_CARD.source}`,
);

/**
 * A HELO sent without the domain it requires, or again in one session, or to an LMTP server: the client's misuse, not
 * its name refused (OpenSMTPD's "EHLO requires domain name", Python smtpd's "501 Syntax: HELO hostname" and "503
 * Duplicate HELO/EHLO", qpsmtpd's "503 but you already said HELO ...", go-smtp's "Domain/address argument required for
 * HELO"), or another command where it was due (Net::Server::Mail's "500 Expected EHLO or HELO", Exchange's "5.5.2 Send
 * hello first", Sendmail's "503 5.0.0 Polite people say HELO first"), or a HELO the server does not know (Dovecot's
 * LMTP: "500 5.5.1 Unknown command"; Mailman's: "502 Error: command HELO not implemented"; Postfix's "502 5.5.2 Error:
 * command not recognized", "500 Too many unrecognized commands").
 */
const HELO_MISUSED =
  /\brequires? (?:a )?domain(?: name| or address)?\b|\balready identified\b|\balready said (?:helo|ehlo)\b|\bsyntax: (?:helo|ehlo|lhlo)\b|\bduplicate (?:helo|ehlo|lhlo)\b|\bargument required\b|\buse lhlo\b|\bexpected (?:ehlo|helo)\b|\bunknown command\b|\b(?:helo|ehlo) not implemented\b|\b(?:send|say) (?:hello|helo|ehlo) first\b|\bcommand (?:not recognized|unrecognized)\b|\bunrecognized commands?\b/;

/** The client's own misuse of the protocol, its HELO or speaking out of turn: no verdict on its host. */
const isClientsOwnFault = (text: string): boolean => {
  const words = normaliseDiagnostic(text);
  return HELO_MISUSED.test(words) || CLIENTS_PROTOCOL_FAULT.test(words);
};

/** A reply code written loosely ("550: : User unknown", "ERROR_CODE :550"): still a sign of an SMTP exchange. */
const BARE_REPLY_CODE = new RegExp(String.raw`(?:^|[\s:])${NOT_IN_IPV6}[45][0-5]\d(?=[\s:,]|$)`);

/**
 * Exchange 2000/2003 name the component that failed the delivery in "MSEXCH:<component>:...": IMC is the Internet
 * Mail Connector, the SMTP gateway to other systems, so its "Recipient Not Found" reports another server's refusal
 * (made at an SMTP step the notice does not name), not a lookup in Exchange's own directory (whose notices
 * carry the store's diagnostic code instead: "MSEXCH:IMS:... (000C05A6)").
 */
const GATEWAY_NOTICE = /msexch:imc:/i;

/**
 * The command refines the reason: a refusal at MAIL FROM is about the sender (rejected); one at or after DATA
 * came after the recipient was accepted (filtered), whatever the text says about the user.
 */
function byCommand(
  reason: BounceReason | null,
  command: SmtpCommand | null,
  status: string | null,
  replyCode: string | null = null,
  text = '',
): BounceReason | null {
  // No SMTP reply at all (neither a code nor an enhanced status beyond a report's catch-all x.0.0, RFC 3463's "other
  // undefined status") and the words of a directory lookup: the reporting system judged the address from its own
  // directory (Exchange 2003 "The recipient name is not recognized", Lotus Notes, Trend Micro InterScan), so there was
  // no accepted RCPT TO for a later refusal to follow; unless the notice comes from a gateway relaying another
  // server's refusal. A bare "User unknown" with no step named stays with the rule below, as the reference library
  // reads it (filtered)
  if (
    reason === 'userunknown' &&
    command === null &&
    namesNoCause(status) &&
    replyCode === null &&
    !BARE_REPLY_CODE.test(text) &&
    !GATEWAY_NOTICE.test(text) &&
    DIRECTORY_VERDICT.test(normaliseDiagnostic(text))
  )
    return reason;
  // "user unknown" after DATA, or at no step named, came after the address was accepted (before the envelope, at the
  // greeting or HELO, it is a block of the host, below), unless the code itself says the address is bad (x.1.x): a
  // suspended account stays suspended whatever the command. x.5.0 (a protocol-level
  // refusal of the command itself) counts too: Outlook.com/Hotmail and Orange/La Poste refuse unknown recipients at
  // RCPT TO with "550 5.5.0 Requested action not taken: mailbox unavailable" / "550 5.5.0 Invalid recipient"
  if (
    reason === 'userunknown' &&
    (command === null || command === 'DATA') &&
    (isFilterStatus(status) || !(status && /^[45]\.(?:1\.\d+|5\.0)$/.test(status)))
  )
    return 'filtered';
  if (
    command === 'MAIL' &&
    (reason === null ||
      reason === 'userunknown' ||
      // a transport or a login the session lacks (TLS, SMTP AUTH) is no verdict on the sender, whatever step it
      // stopped at
      (reason === 'securityerror' && !SESSION_SECURITY.test(normaliseDiagnostic(text))) ||
      reason === 'hostunknown' ||
      // before any recipient is named, a suspended account is the sender's ("550 Outgoing mail from "example.org"
      // has been suspended", a hosting provider's cPanel)
      reason === 'suspend')
  )
    return 'rejected';
  // refused before any envelope: only the connecting host can be the cause, whatever the words say of a mailbox (a
  // greeting of "550-Requested action not taken: mailbox unavailable 550-Reject due to policy restrictions" names
  // none); so is a greeting that refuses for good ("554 Service unavailable", RFC 5321 3.1's 554 in place of the 220)
  // and a HELO whose argument was refused ("501 Invalid domain name": the sending host's name), not one sent without
  // its argument or twice (OpenSMTPD's "501 5.5.1 Invalid command: EHLO requires domain name", "Already identified"),
  // nor a client that spoke before the greeting (Exim's "SMTP protocol synchronization error")
  if (
    (command === 'CONN' || command === 'HELO') &&
    (reason === null ||
      (reason === 'securityerror' && !SESSION_SECURITY.test(normaliseDiagnostic(text))) ||
      reason === 'rejected' ||
      reason === 'userunknown' ||
      reason === 'filtered' ||
      reason === 'suspend' ||
      (reason === 'syntaxerror' && !isClientsOwnFault(text)) ||
      // a policy or a fault that refuses the greeting for good refuses the host ("554 Local Policy Violation"); for
      // now, it may be the receiver's own trouble ("451 4.7.0 DNS error during policy check")
      ((reason === 'systemerror' || reason === 'policyviolation') && (replyCode ?? status ?? '').startsWith('5')))
  )
    return 'blocked';
  return reason;
}

export function classifyFailure(input: {
  replyCode: string | null;
  status: string | null;
  text: string;
  command?: SmtpCommand | null;
  /** The host that gave the reply (a DSN's Remote-MTA or the MTA's words naming it, the relay's session), if known. */
  remoteHost?: string | null;
  /** The recipient the reply is about: a consumer service's own domain names the receiver when no host is known. */
  recipient?: string | null;
}): BounceReason | null {
  const { status } = input;
  // the reply is someone else's text: only its first MAX_CLASSIFIED_TEXT characters are read (real replies are far
  // shorter), so a crafted one costs no more than an ordinary one
  // (a multi-line reply as the one-line reply it stands for, so its first line's code opens it and its words run on)
  const text = joinedReplyLines(cutText(input.text));
  // a success, by its enhanced code or, without one, its reply code (Yahoo's "250 ok dirdel")
  if (status?.startsWith('2.') || (status === null && /^25[012]$/.test(input.replyCode ?? ''))) return 'delivered';
  // the words as the rules read them: a multi-line reply's lines joined without their codes, so a phrase broken over
  // two lines ("Submission\n554-5.2.2 quota exceeded") reads whole, and names made neutral
  const words = normaliseDiagnostic(text);
  // RFC 5321 3.3's "no valid recipients", DATA's answer once every RCPT TO was refused (Postfix's "554 5.5.1 Error: no
  // valid recipients", Dovecot's "554 5.5.0 No valid recipients"): the causes were in those replies, this names none
  // unless its code names the address (qmail's "554 Sorry, no valid recipients (#5.1.3)")
  if (NO_VALID_RECIPIENTS.test(words) && !NO_SUBSCRIBER_FOR_MMS.test(words) && !/^[45]\.1\./.test(status ?? ''))
    return null;
  // The remote server's own words, without the MTA's "host X said:" before them: what a code adds to them, and what
  // they say against a decisive code, is read from them
  const reply = remoteReply(text);
  const replyWords = reply === null || reply === text ? words : normaliseDiagnostic(reply);
  if (
    status &&
    DECISIVE_STATUS.test(status) &&
    !SENDERS_OWN_QUOTA.test(replyWords) &&
    // x.2.2 over words about the session's encryption or login (Zimbra's "451 4.2.2 Server accepts messages only on
    // TLS connection"): no mailbox is full
    !(/^[45]\.2\.2$/.test(status) && SESSION_SECURITY.test(replyWords)) &&
    // Exchange's recipient restrictions (RESOLVER.RST.*, "NotAuthorizedToSend") come under x.7.13 as well as x.7.1:
    // the sender was refused by the recipient's settings, the account is not disabled
    !(/^[45]\.7\.13$/.test(status) && RECIPIENT_RESTRICTION.test(replyWords)) &&
    // x.3.4 "too big for system" over words that name the recipient's own limit (amavisd-new's "554 5.3.4 Bounce
    // ... - message size exceeds recipient's size limit"): the limit is the mailbox's, as x.2.3 says
    !(/^[45]\.3\.4$/.test(status) && RECIPIENTS_OWN_LIMIT.test(replyWords)) &&
    // x.1.6 ("mailbox has moved") where the words say what was wrong instead: under RFC 5321's 500/501, a command or
    // argument the server could not take (Exchange's "501 5.1.6 SMTPUTF8 argument required"); over a filter's verdict
    // on the message ("550 5.1.6 Spam not accepted"); over an address in a domain of one label (Exchange Online's
    // 5.1.6), which no mailbox can have
    !(
      /^[45]\.1\.6$/.test(status) &&
      (/^50[01]$/.test(input.replyCode ?? '') ||
        isContentVerdict(reasonForText(text)) ||
        SINGLE_LABEL_DOMAIN.test(replyWords))
    )
  ) {
    // Gmail gives its missing-PTR refusal under 4.7.23 (RFC 7372's "SPF validation failed"): words about the
    // reverse DNS name the cause the code only approximates
    const byStatus = reasonForStatus(status);
    // ... as Sendmail gives its check of the client's name under x.1.8 ("451 4.1.8 Possibly forged hostname for
    // 192.0.2.1", "Client IP address 192.0.2.1 does not resolve"): not the sender's domain x.1.8 names
    if (
      (byStatus === 'authfailure' || /^[45]\.1\.8$/.test(status)) &&
      reasonForText(remoteReply(text) ?? text) === 'requireptr'
    )
      return 'requireptr';
    return byStatus;
  }
  // A receiver's documented code or fixed sentence (receiver-codes.ts) names the cause more precisely than words
  const vendor = receiverVerdict(words, {
    remoteHost: input.remoteHost ?? null,
    recipientDomain: input.recipient ? (domainOf(input.recipient) ?? null) : null,
    command: input.command ?? null,
    status,
  });
  if (vendor?.atAnyStep && input.command !== 'MAIL') return vendor.reason;
  // (a receiver's code for its login refused, NetEase's "503 MI:ANL" at MAIL FROM, names the session, not the sender)
  if (vendor?.reason === 'securityerror') return vendor.reason;
  if (vendor)
    return byCommand(vendor.reason, input.command ?? (vendor.atRcpt ? 'RCPT' : null), status, input.replyCode, text);
  // The remote server's own words first, then its codes; the MTA's wrapper prose only when it quotes no reply, as
  // what introduces a reply is written the same whatever the reply was ("rejected by the server for the recipient
  // domain", Gmail's introduction of every refusal)
  const fromText = reply !== null ? reasonForText(reply) : reasonForText(text);
  return byCommand(
    wordsWithStatus(fromText, status, input.replyCode, replyWords),
    input.command ?? null,
    status,
    input.replyCode,
    text,
  );
}

/**
 * Classifies a synchronous SMTP reply, e.g. classifySmtpReply(550, '5.1.1', 'User unknown'). A reply with no
 * recognisable cause is `onhold` (a failure, but too little detail to say more).
 */
export function classifySmtpReply(
  code: number | null,
  enhanced: string | null,
  reply: string,
  command: SmtpCommand | null = 'RCPT',
  /**
   * The recipient the reply is about and the host that gave it: a receiver's documented replies count from its own
   * hosts, or for its own mail domain when the host is not known.
   */
  origin: { recipient?: string | null; remoteHost?: string | null } = {},
): ReplyClassification {
  const text = cutText(reply);
  const replyCode = code !== null ? String(code) : findReplyCode(text);
  // a success code in a refusal's words is no enhanced code of it (SubEthaSMTP's "501 Syntax error ... See RFC 2821
  // #2.7.1", a section number): RFC 3463 2 gives a failure's enhanced code the class of its reply
  const found = enhanced ?? findEnhancedStatus(text);
  const status = found?.startsWith('2') && /^[45]/.test(replyCode ?? '') ? null : found;
  const reason =
    classifyFailure({ replyCode, status, text, command, recipient: origin.recipient, remoteHost: origin.remoteHost }) ??
    'onhold';
  // the enhanced code's class first, as a report's Status comes before its reply: Exchange answers "550 4.3.2
  // QUEUE.Admin; message deleted by administrative action" for a state of its own queue, not of the address
  const cls = statusClassOf(status) ?? statusClassOf(replyCode) ?? '5';
  return { reason, hard: isHardBounce(reason, cls) };
}
