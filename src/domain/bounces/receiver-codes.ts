// What big receivers and gateways document about their own rejection texts. Their replies often carry a vendor code
// or a fixed sentence that names the cause precisely while the words around it are generic ("Service refused, please
// try later"), so these are read before the generic diagnostic table. Each family names the public documentation it
// follows; none is taken from a single sample's wording. Patterns match lower-cased, whitespace-collapsed text (see
// normaliseDiagnostic) and hold no unbounded gap, so each is one linear scan.
import { isAddressReason, type BounceReason } from './reasons.js';
import { MICROSOFT_EDGE_BLOCK, ruleProbe } from './diagnostic-patterns.js';
import { namesNoCause, type SmtpCommand } from './smtp-codes.js';

/**
 * Orange / La Poste (France PTT): every refusal ends with a code "OFRnnn_NNN" (or "OFRnnn-NNN"), "OFR_NNN",
 * "LPNnnn_NNN" or "OUK_NNN" whose last three digits name the cause (Orange postmaster, "Codes d'erreur SMTP":
 * postmaster.orange.fr; summarised in Postmastery's "Orange postmaster SMTP error codes"). Codes that only mean "try
 * later" (105, 108, 109, 201, 423, 424) or "mail rejected" (513) are left out: a code Orange gives no cause for, or one
 * it does not list, says that the receiver named none (`undefined`), as the reference library's France PTT table reads
 * it, rather than a guess from its generic words.
 */
const ORANGE_CODES: Record<string, BounceReason> = {
  '101': 'blocked', // IP listed on a public block list (Spamhaus)
  '102': 'blocked', // source IP blocked for spam incidents
  '103': 'blocked', // service refused to this IP
  '104': 'toomanyconn', // too many connections
  '305': 'securityerror', // invalid authentication code
  '401': 'authfailure', // SPF: not allowed to send
  '402': 'securityerror', // authentication required
  '403': 'rejected', // invalid sender
  '405': 'rejected', // invalid sender
  '415': 'rejected', // invalid sender
  '416': 'userunknown', // invalid recipient
  '417': 'mailboxfull', // recipient over quota
  '418': 'userunknown', // "Adresse d'au moins un destinataire invalide": invalid recipient, as 416
  '420': 'suspend', // recipient mailbox archived
  '421': 'rejected', // MAIL FROM not owned by the user
  '426': 'suspend', // recipient account blocked
  '505': 'systemerror', // service refused during DATA, try later
  '506': 'spamdetected', // mail rejected (content)
  '510': 'blocked', // service refused to this IP during DATA
  '514': 'mesgtoobig', // message size limit
  '517': 'authfailure', // DMARC verification failed
  '630': 'policyviolation', // client host rejected by policy
  '999': 'blocked', // IP reputation: service refused, try later
};

const ORANGE_CODE = /\b(?:ofr|lpn|lpnaaa|ouk)(?:_|\d{3}[-_])(\d{3})\b/;

/**
 * I.UA (Ukraine): every refusal links its explanation, "See http://mail.i.ua/err/<n>/", and the number names the
 * cause (the pages at mail.i.ua/err/1 .. /10).
 */
const IUA_CODES: Record<string, BounceReason> = {
  '1': 'norelaying', // using the server as a mail gateway is forbidden
  '2': 'userunknown', // user not found
  '3': 'suspend', // mailbox frozen: not used for more than 3 months
  '4': 'mailboxfull', // mailbox full
  '5': 'speeding', // the sender's sending limit exceeded
  '6': 'norelaying', // use your provider's SMTP server
  '7': 'blocked', // wrong HELO/EHLO argument
  '8': 'rejected', // the sender's address could not be checked
  '9': 'blocked', // the sender's IP is on a block list
  '10': 'filtered', // the recipient's address-management list refuses the sender
};

const IUA_CODE = /\bmail\.i\.ua\/err\/(\d{1,2})\b/;

/**
 * GoDaddy (its "Email error codes" help page for its inbound servers): every refusal ends with "IBnnn", and the code
 * names the cause whatever the words before it ("535 Authentication not allowed on IBSMTP Servers. IB401"). Codes that
 * only say "try again later" (IB101) are left out.
 */
const GODADDY_CODES: Record<string, BounceReason> = {
  '007': 'toomanyconn', // too many sessions from this IP
  '103': 'badreputation', // the IP's poor reputation on Cloudmark Sender Intelligence
  '104': 'blocked', // listed on the Spamhaus Block List
  '105': 'blocked', // listed on the Exploits Block List
  '106': 'blocked', // listed on the Policy Block List
  '108': 'requireptr', // reverse DNS for this IP failed
  '110': 'blocked', // blocked for sending too much content judged to be spam
  '111': 'blocked', // ... for the day
  '112': 'blocked', // blocked for mailing too many invalid recipients
  '113': 'blocked', // ... for the day
  '212': 'spamdetected', // this message's content judged to be spam
  '401': 'securityerror', // authentication not allowed on these servers
  '501': 'notcompliantrfc', // a blank From: header (RFC 5322 3.6.2 requires a mailbox there)
  '502': 'notcompliantrfc', // an IP address as the From: header's address, no mailbox either
  '504': 'speeding', // too many messages this hour
  '506': 'rejected', // the From: domain is invalid
  '508': 'authfailure', // invalid SPF record
  '510': 'speeding', // too many messages in one session (as Spectrum's 1540)
  '607': 'speeding', // too many recipients this hour
  '705': 'virusdetected', // virus-infected message
};

const GODADDY_CODE = /\bib(\d{3})\b/;

/**
 * Exchange 2000/2003's information store writes its own diagnostic code after the component that failed
 * ("MSEXCH:IMS:EXAMPLE:SITE:SERVER 0 (000C05A6) Unknown Recipient"), and the words after it vary with the code. The
 * codes as the reference library's Exchange 2003 table reads them. Three only pass on another MTA's refusal
 * (000B099C, 000B09AA, 000B09B6), so they are not here: Exchange follows them with that MTA's words or its summary of
 * them ("3903 (000B099C) Message exceeds size limit."), which name the cause, as the reference library reads them
 * again once its table has said only "onhold".
 */
const EXCHANGE2003_CODES: Record<string, BounceReason> = {
  '000c05a6': 'userunknown', // Unknown Recipient
  '000c0595': 'filtered', // Ambiguous Recipient
  '00010256': 'systemerror', // Too many recipients
  '000d06b5': 'systemerror', // No proxy for recipient
  '00120270': 'networkerror', // Too Many Hops
  '00050311': 'contenterror', // Conversion to Internet format failed
  '000502cc': 'contenterror', // ... the same
  '000b0981': 'securityerror', // 502 Server does not support AUTH
};

const EXCHANGE2003_CODE = /\bmsexch:ims:[^()]{0,200}\(([0-9a-f]{8})\)/;

/**
 * Facebook (postmaster.facebook.com/response_codes): its replies carry "<family>-<P|T><n>" ("550 5.1.1 RCP-P2"),
 * the family naming what was refused (RCP the recipient, MSG the message, POL policy, DNS the sender's DNS, CON the
 * connection, INT internal). Each is read by the words of its description, as quoted in the older reference
 * library's Facebook table (Sisimai 4.25). Where that table reads otherwise, the words win: "not accepting messages
 * from your mail server" (POL-P3/P4, T1-T3) holds back the sending server (`blocked`), which that table's `notaccept`
 * would make a dead address; a missing reverse DNS record (DNS-P3/T2) is `requireptr`. POL-P7 is two refusals in its
 * words: a message that fails "Facebook's Domain Authentication requirements" (`authfailure`, as the library's newer
 * table reads it) or its abuse policies.
 */
const FACEBOOK_CODES: Record<string, BounceReason> = {
  'rcp-p1': 'userunknown',
  'int-p1': 'userunknown',
  'int-p3': 'userunknown',
  'int-p4': 'userunknown',
  'rcp-p2': 'filtered', // recipient's preferences
  'rcp-p3': 'filtered', // recipient's privacy settings
  'rcp-t1': 'systemerror', // internal system issue
  'rcp-t4': 'suspend', // address deactivated
  'msg-p1': 'mesgtoobig',
  'int-p2': 'mesgtoobig',
  'msg-p2': 'contenterror', // attachment type
  'msg-p3': 'notcompliantrfc', // a once-only header field repeated (RFC 5322 3.6)
  'pol-p1': 'blocked',
  'pol-p2': 'blocked',
  'pol-p3': 'blocked',
  'pol-p4': 'blocked',
  'pol-t1': 'blocked',
  'pol-t2': 'blocked',
  'pol-t3': 'blocked',
  'pol-p5': 'virusdetected',
  'pol-p6': 'spamdetected', // a URL Facebook blocks
  'pol-p7': 'policyviolation', // abuse policies
  'pol-p7 domain authentication': 'authfailure',
  'dns-p1': 'rejected',
  'dns-p2': 'rejected',
  'dns-t1': 'rejected', // MAIL FROM domain
  'dns-p3': 'requireptr',
  'dns-t2': 'requireptr', // reverse DNS
  'con-t1': 'toomanyconn', // Facebook's servers with too many connections open
  'con-t2': 'toomanyconn',
  'con-t3': 'toomanyconn',
  'con-t4': 'toomanyconn',
  'msg-t1': 'toomanyconn',
};

const FACEBOOK_CODE = /\b((?:rcp|msg|pol|dns|con|int)-[pt]\d)\b(?:[^.]{0,80}\b(domain authentication)\b)?/;

/**
 * Spectrum / Charter ("Understanding email error codes", spectrum.net/support/internet): every refusal carries an
 * "AUP#<direction>-<code>" tag (I for mail to Spectrum, O for mail from its customers) whose range names the cause,
 * whatever the words before it say ("sender rejected"). The ranges as that page gives them, each inclusive.
 */
const SPECTRUM_RANGES: ReadonlyArray<readonly [number, number, BounceReason]> = [
  [1000, 1000, 'blocked'], // the connecting IP blocked for suspicious activity
  [1010, 1080, 'rejected'], // the sending account blocked or limited for suspicious activity
  [1090, 1090, 'systemerror'], // the message cannot be processed now
  [1100, 1150, 'requireptr'], // the connecting IP's DNS: no full-circle reverse name
  [1160, 1190, 'policyviolation'], // against the sender's domain's own security policy
  [1200, 1250, 'blocked'], // the IP flagged by Cloudmark CSI (1200-1210) or listed by Spamhaus (1220-1250)
  [1260, 1260, 'networkerror'], // IPv6 not taken: connect over IPv4
  [1300, 1349, 'toomanyconn'], // concurrent and total connection limits (the page lists 1300-1340)
  [1350, 1490, 'speeding'], // limits on messages and recipients over time
  [1500, 1520, 'rejected'], // sending as another address than the one signed in, or a domain Spectrum does not host
  [1530, 1530, 'mesgtoobig'], // over 20 MB
  [1540, 1550, 'speeding'], // too many messages in one session, too many recipients in one message
  [1560, 1560, 'policyviolation'], // too many invalid recipients
  [1580, 1580, 'speeding'], // too many recipients in a short time
];

// the direction is I or O, written out or not ("AUP#In-1310", "AUP#O-1500"); other letters are another receiver's tag
// (Cox's "AUP#IPBL1010" names block lists, below)
const SPECTRUM_CODE = /\baup#(?:in?|o(?:ut)?)?-?(\d{4})\b/;

const spectrumReason = (code: string): BounceReason | undefined => {
  const n = Number(code);
  return SPECTRUM_RANGES.find(([from, to]) => n >= from && n <= to)?.[2];
};

/**
 * Exchange's recipient restrictions (RESOLVER.RST.*: NotAuthorized, AuthRequired, SenderNotAuthenticatedForGroup,
 * NotAuthorizedToSend): the recipient's settings refused this sender, whatever enhanced code comes with them. Its
 * NDR table gives the same restrictions in short words too (5.7.12, 5.7.13, 5.7.133-136: "Sender was not
 * authenticated for public folder", "Sender not authenticated for group", "Sender was not authenticated by
 * organization", 5.7.136's bare "Sender was not authenticated"): the recipient takes mail only from its own
 * organisation.
 */
export const RECIPIENT_RESTRICTION =
  /\bresolver\.rst\.[a-z]|\bsender (?:was )?not authenticated (?:for (?:the )?(?:group|mailbox|public folder)|by (?:the )?organi[sz]ation)\b|\b5\.7\.13[3-6] sender (?:was )?not authenticated\b/i;

/**
 * NetEase (163.com, 126.com, yeah.net): its replies carry a two-part code after the reply code ("554 DT:SPM 163
 * smtp12,...", "421 HL:ICC"), which its help pages on returned mail ("企业退信常见问题", help.mail.163.com) explain, as
 * Coremail-based systems use them too: DT the content or the sender's listing checked at DATA, HL the connecting
 * host's behaviour, MI the sender at MAIL FROM, RP the recipients at RCPT TO. Codes whose page gives two causes at
 * once (RP:RDN "no such user or forwarding forbidden", RP:RPB) are left to the words.
 */
const NETEASE_CODES: Record<string, BounceReason> = {
  'dt:spm': 'spamdetected', // the content judged spam or unpermitted
  'dt:rbl': 'blocked', // the sending IP on a block list
  'dt:sur': 'spamdetected', // a link in the body on SURBL
  'dt:mrc': 'speeding', // the sender sent much mail in a short time
  'dt:mth': 'networkerror', // too many relay hops: a mail loop
  'dt:uqt': 'mailboxfull', // the recipient's mailbox is full
  'hl:rep': 'blocked', // the sending IP's behaviour (many unknown recipients): held back for a while
  'hl:icc': 'toomanyconn', // too many concurrent connections from the IP
  'hl:ifc': 'speeding', // too much mail from the IP in a short time
  'hl:ifq': 'speeding', // ... said the other way
  'hl:ihu': 'blocked', // the sending IP suspended for spam or abnormal behaviour
  'hl:ipb': 'blocked', // the sending IP not allowed, or on the system's temporary block list
  'hl:tld': 'systemerror', // the system's load too high: service paused
  'mi:dmc': 'toomanyconn', // too many messages in this connection
  'mi:sfq': 'speeding', // the sender sent more than its limit in 15 minutes
  'mi:stc': 'speeding', // the sender's connections or messages today over its limit
  'mi:spf': 'authfailure', // the sending IP not permitted by the sender domain's SPF
  'mi:dma': 'authfailure', // the message not permitted by the sender domain's DMARC policy
  'mi:spb': 'rejected', // the sender not on the system's list of allowed senders
  'mi:sfk': 'rejected', // a forged sender identity
  'mi:sum': 'rejected', // the sender is not the logged-in user
  'mi:imf': 'rejected', // the sender's address not RFC 5321-compliant (a bare host name after its "@")
  'mi:anl': 'securityerror', // a local user must log in to send
  'mi:spm': 'spamdetected', // refused by the system's anti-spam policy
  'mi:rbl': 'blocked', // the sending IP on one or more block lists
  'mi:ipb': 'blocked', // the sending IP banned for now or for good
  'rp:drc': 'toomanyconn', // too many recipients in this connection
  'rp:rcl': 'toomanyconn', // too many recipients for one message
  'rp:qrc': 'speeding', // the sender's recipients over a short period exceed its limit
  'rp:trc': 'speeding', // the sender's recipients today over its limit
  'rp:rph': 'speeding', // the sender sent much mail in a short time
  'rp:frl': 'norelaying', // no open relay
  'rp:drl': 'norelaying', // relaying forbidden
  'rp:sms': 'mesgtoobig', // the message over the system's size limit
  'rp:ums': 'exceedlimit', // the message over the size the recipient accepts (its own limit, RFC 3463 x.2.3)
  'rp:uqt': 'mailboxfull', // the recipient's mailbox is full
};

/**
 * Vade's hosted filtering (its OX Cloud, in front of EarthLink's and other providers' mailboxes) ends each refusal
 * with its own code, "550 5.7.1 Connection refused - OXSUS001_403", explained on its postmaster page
 * (postmaster-oxsus.vadesecure.com): the "Connection refused" before it is Vade's answer, not a failed connection.
 */
const VADE_CODES: Record<string, BounceReason> = {
  '101': 'blocked', // the sending IP on Vade's threat network list
  '102': 'systemerror', // Vade cannot hand mail to the mailbox system behind it
  '105': 'requireptr', // the sending IP has no reverse DNS
  '110': 'toomanyconn', // too many connections from one IP
  '139': 'toomanyconn', // the IP over its limit of open connections
  '140': 'speeding', // too many messages from one IP
  '403': 'userunknown', // no such recipient (or customer)
};

/**
 * Sophos Email (Sophos Central) answers every refusal "550 5.7.1 XGEMAIL_00nn Command rejected": the number is the
 * cause, as its "SMTP error codes" page lists them (docs.sophos.com, Email Security), whatever the 5.7.1 suggests.
 */
const SOPHOS_CODES: Record<string, BounceReason> = {
  '0001': 'authfailure', // no valid DKIM signature
  '0002': 'authfailure', // SPF check failed
  '0003': 'authfailure', // DMARC check failed
  '0004': 'blocked', // the sending IP failed an RBL test
  '0005': 'rejected', // the sender's domain failed a DBL test
  '0006': 'securityerror', // the TLS version does not match the policy
  '0007': 'systemerror', // the receiving customer's licence has expired
  '0008': 'rejected', // a domain, IP address or address on the administrator's block list
  '0009': 'filtered', // ... on the recipient's own block list
  '0010': 'norelaying', // the recipient's domain is not one Sophos Email protects
  '0011': 'userunknown', // no such address in the protected domain
  '0012': 'mesgtoobig', // over the allowed size
  '0013': 'toomanyconn', // too many recipients for a large message
  '0014': 'speeding', // over the recipient's inbound rate for one sender
  '0015': 'speeding', // over the recipient's inbound rate from all senders
};

const SOPHOS_CODE = /\bxgemail_(\d{4})\b/;

/**
 * AOL's MX (its postmaster site's "Error Messages" list, postmaster.info.aol.com/errors): each refusal carries a
 * category and a code, "554 RLY:B1", "421 DYN:T1", linking a page of its own. RTR, HVU, RLY:Bn, DYN and CON are blocks
 * of the sending IP (dynamic or residential ranges, complaints over a threshold, unusual traffic); DNS:NR and DNS:RR a
 * missing or unusable reverse DNS; RLY:SN a From address AOL does not let this IP use. Codes it documents
 * otherwise are left out.
 */
const AOL_CODES: Record<string, BounceReason> = {
  'rtr:du': 'blocked',
  'rtr:bb': 'blocked',
  'rtr:rd': 'blocked',
  'rtr:ch': 'blocked',
  'rtr:bg': 'blocked',
  'rtr:bl': 'blocked',
  'hvu:b1': 'blocked',
  'rly:b1': 'blocked',
  'rly:b2': 'blocked',
  'rly:b3': 'blocked',
  'rly:bd': 'blocked',
  'rly:bl': 'blocked',
  'dyn:t1': 'blocked',
  'con:b1': 'blocked',
  'dns:nr': 'requireptr',
  'dns:rr': 'requireptr',
  'rly:sn': 'rejected',
};

const AOL_CODE = /\b((?:rtr|hvu|rly|dyn|con|dns):[a-z0-9]{2})\b/;

const VADE_CODE = /\boxsus\d{3,4}_(\d{3})\b/;

// (after the reply code, or after an enhanced code that follows it: NetEase Qiye's "550 5.7.0 DT:SPM")
const NETEASE_CODE = new RegExp(
  String.raw`\b[45]\d\d (?:[45]\.\d{1,3}\.\d{1,3} )?(${Object.keys(NETEASE_CODES).join('|')})\b`,
);

/** Receivers whose replies carry a code of their own: the pattern captures the code, `reasonOf` names its cause. */
const NUMBERED_CODES: ReadonlyArray<{
  id: string;
  code: RegExp;
  /** The code's reason; `qualifier`, the code's second capture, when its words make it two codes. */
  reasonOf: (code: string, qualifier?: string) => BounceReason | undefined;
}> = [
  { id: 'iua', code: IUA_CODE, reasonOf: (c) => IUA_CODES[c] },
  { id: 'orange', code: ORANGE_CODE, reasonOf: (c) => ORANGE_CODES[c] ?? 'undefined' },
  { id: 'godaddy', code: GODADDY_CODE, reasonOf: (c) => GODADDY_CODES[c] },
  { id: 'exchange2003', code: EXCHANGE2003_CODE, reasonOf: (c) => EXCHANGE2003_CODES[c] },
  { id: 'facebook', code: FACEBOOK_CODE, reasonOf: (c, q) => FACEBOOK_CODES[q ? `${c} ${q}` : c] },
  { id: 'spectrum', code: SPECTRUM_CODE, reasonOf: spectrumReason },
  { id: 'netease', code: NETEASE_CODE, reasonOf: (c) => NETEASE_CODES[c] },
  { id: 'vade', code: VADE_CODE, reasonOf: (c) => VADE_CODES[c] },
  { id: 'sophos', code: SOPHOS_CODE, reasonOf: (c) => SOPHOS_CODES[c] },
  { id: 'aol', code: AOL_CODE, reasonOf: (c) => AOL_CODES[c] },
];

interface Phrase {
  reason: BounceReason;
  pattern: RegExp;
  /** The receiver gives this sentence at one step only, so the reply names its step (RCPT TO) by itself. */
  atRcpt?: true;
  /** Another system's layout of the same words, which means something else. */
  unless?: RegExp;
  /** Enhanced codes that name the cause themselves where the sentence only says which part of the receiver failed. */
  unlessStatus?: RegExp;
  /** The enhanced code the receiver gives the sentence, when the report's Status gives it instead of the reply. */
  underStatus?: RegExp;
  /** The verdict on the address holds whatever step the receiver gave it at. */
  atAnyStep?: true;
}

/**
 * Cox's error code as its refusals end it ("AUP#CXBL"), or as some of them name it ("554 cox blocked. Error Code:
 * CXBL - Refer to ..."), read by PHRASES below.
 */
const COX_CODE = String.raw`(?:\baup#|\berror code: ?)`;

/** Tencent QQ Mail's help page, linked right after the sentence it explains ("... https://service.mail.qq.com/..."). */
const QQ_PAGE = String.raw`.{0,40}?\bmail\.qq\.com\/`;

/**
 * Tencent QQ Mail's refusal of the sender's frequency, read from its help page anywhere after it or from its own MX
 * hosts (below).
 */
const QQ_FREQUENCY_REFUSAL = String.raw`mailbox unavailable or access denied\b`;

/** Mimecast's greylisting of a sending IP of poor reputation, read from its code page or from its own hosts (below). */
const MIMECAST_GREYLISTING = String.raw`internal resources? (?:are |is )?temporarily unavailable`;

const PHRASES: readonly Phrase[] = [
  // Yahoo (senders.yahooinc.com/smtp-error-codes): "mailbox is disabled"/"no longer valid" are closed accounts;
  // an unresolvable RFC 5321 MAIL FROM domain is a refusal of the sender. (TSS04 "deferred due to unexpected volume
  // or user complaints" is left to the generic table: it is the sender's reputation, `badreputation`.)
  { reason: 'rejected', pattern: /due to unresolvable rfc\.?5321/ },
  // ... and its refusal, after DATA, of an address it has no account for is its own template ("554 delivery error: dd
  // This user doesn't have a yahoo.com account"), whichever MTA quotes it with no host name (qmail's "192.0.2.1 failed
  // after I sent the message"), or with the domain cut out where it was logged: its directory's verdict, as its MX's
  // is read below
  {
    reason: 'userunknown',
    pattern: /\bdelivery error: dd this user does not have an? (?:[a-z0-9.-]{1,253} )?account\b/,
    atAnyStep: true,
  },
  { reason: 'suspend', pattern: /this mailbox is disabled|\bis no longer valid\b/ },
  // ... and Gmail's 4.2.1 "The user you are trying to contact is receiving email too quickly" (the recipient's rate,
  // not a disabled mailbox, whatever x.2.1 says), also worded "Mailbox received too much email in a short period of
  // time" (Google's SMTP error reference)
  {
    reason: 'speeding',
    pattern:
      /receiving (?:e-?)?mail (?:too quickly|at a rate)|received too much (?:e-?)?mail in a short (?:period|time)/,
  },
  { reason: 'toomanyconn', pattern: /max(?:imum)? (?:number of )?messages? per (?:connection|session)/ },
  { reason: 'policyviolation', pattern: /not accepted for policy reasons/ },
  { reason: 'authfailure', pattern: /requires all senders to authenticate/ },
  // Yahoo's VS codes (help.yahoo.com SLN3444, "Email sent to Yahoo Mail addresses is rejected"): "553 VS99-IP1
  // deferred", the connection refused, and "451 VS1-IP ... Excessive unknown recipients", mail deprioritised, name the
  // sending IP; "VS1-MF" names the envelope sender (MAIL FROM) instead. (The x.1.8 Yahoo writes after VS1-IP, "bad
  // sender's system address", is read first, as every decisive code is.)
  { reason: 'blocked', pattern: /\bvs\d{1,3}-ip\d{0,2}\b/ },
  { reason: 'rejected', pattern: /\bvs\d{1,3}-mf\b/ },
  // Italiaonline (Libero, Virgilio): "550 Invalid Domain [<host>; LIB_420]" (VIR_420, IOL_420) is given after DATA,
  // when its check of the message's From domain (DMARC alignment) fails, as Suped's deliverability notes on it explain:
  // the sender's domain, not the recipient's, whose address had been taken
  { reason: 'rejected', pattern: /\binvalid domain \[[^\]]{0,120}\b(?:lib|vir|iol)_420\]/ },
  // Mimecast ("Mimecast SMTP error codes", community.mimecast.com): gateway verdicts in fixed sentences. "Email
  // rejected due to security policies" is "a signature ... that could either be a virus, or a spam score over the
  // maximum threshold" there; the reference library reads it as a virus, even when "MCSpamSignature" follows. Not
  // when the reply names a list the sender is on first (Telstra's "550 5.7.1 Sender domain is blacklisted (IB309).
  // Message rejected due to security policies."): that cause is read from its words.
  {
    reason: 'virusdetected',
    pattern: /rejected due to security policies/,
    unless: /\bblacklisted\b[^\n]{0,80}\brejected due to security policies/,
  },
  { reason: 'authfailure', pattern: /(?:spf|dkim|dmarc) sender invalid/ },
  { reason: 'badreputation', pattern: /ip reputation - \(reject\)/ },
  { reason: 'blocked', pattern: /ip temporarily blacklisted/ },
  // ... and its greylisting of a sender of poor IP reputation when quoted without its host, known by the code page it
  // links ("451 Internal resource temporarily unavailable - https://community.mimecast.com/docs/DOC-1369#451"; read
  // by host below)
  {
    reason: 'badreputation',
    pattern: new RegExp(String.raw`${MIMECAST_GREYLISTING} - https?:\/\/community\.mimecast\.com\/`),
  },
  // ... and its directory's verdict on the recipient, with the code page it links ("550 Invalid Recipient -
  // https://community.mimecast.com/docs/DOC-1369#550", "501 Invalid address", "503 User unknown"): Mimecast checks
  // the address at RCPT TO, so the verdict holds whatever step the notice names (as the reference library's Mimecast
  // table reads it)
  {
    reason: 'userunknown',
    pattern:
      /\b(?:invalid recipient|invalid address|user unknown) - https?:\/\/community\.mimecast\.com\/docs\/doc-1369\b/,
    atAnyStep: true,
  },
  // the sender on a Blocked Senders policy, or on the recipient's own managed-senders list ("Rejected by
  // header-based Manually Blocked Senders - block for manual block", also spelt "header based")
  {
    reason: 'rejected',
    pattern:
      /envelope blocked|block policy for (?:envelope|header) from|\b(?:manually|header[- ]based) blocked senders\b/,
  },
  { reason: 'policyviolation', pattern: /anti-spoofing policy|content examination policy|host network,? not allowed/ },
  { reason: 'mesgtoobig', pattern: /maximum email size exceeded/ },
  { reason: 'norelaying', pattern: /open relay (?:is )?not allowed/ },
  { reason: 'securityerror', pattern: /this route requires (?:encryption|tls|high-strength)/ },
  { reason: 'userunknown', pattern: /recipient email address is possibly incorrect/ },
  // Microsoft 365 / Outlook.com ("Email non-delivery reports and SMTP errors in Exchange Online", learn.microsoft.com):
  // 5.4.1 "Recipient address rejected: Access denied" is directory-based edge blocking of an unknown recipient, which
  // answers RCPT TO ("Use Directory-Based Edge Blocking to reject messages sent to invalid recipients"); 5.7.1 "sender
  // is not allowed / delivery not authorized" restrictions refuse the sender (below). Postfix writes the same words
  // for a policy rule, in a layout of its own, and other receivers for their own rules: only Microsoft's code (or its
  // marks) make the words a missing mailbox
  {
    reason: 'userunknown',
    pattern: MICROSOFT_EDGE_BLOCK,
    atRcpt: true,
  },
  // ... its code in the report's Status, where the relay quoting the reply left it out of the text
  {
    reason: 'userunknown',
    pattern: /recipient address rejected: access denied/,
    underStatus: /^5\.4\.1$/,
    atRcpt: true,
  },
  // 5.1.4 "Recipient address reserved by RFC 2606": a domain kept for documentation and tests, which can never be
  // delivered to; an unknown address, as the reference library's Microsoft table reads it
  { reason: 'userunknown', pattern: /address reserved by rfc ?2606/ },
  // 5.7.1 "Delivery not authorized, message refused" whole is Microsoft's: "the sender of the message isn't allowed to
  // send messages to the recipient", a refusal of the sender, as the reference library's list of sender refusals has
  // it (not where a server's own verdict follows the words, as OpenSMTPD writes each reply after RFC 3463's
  // description of its code, smtpd/smtp_session.c: "550 5.7.1 Delivery not authorized, message refused: Message is
  // not RFC 2822 compliant")
  {
    reason: 'rejected',
    pattern: /delivery not authorized, message refused/,
    unless: /delivery not authorized, message refused: \S/,
  },
  // 4.7.500-4.7.699 "Server busy. Please try again later from [IP]": the sending IP throttled for suspicious
  // activity (the rest of that range is left to its words, e.g. 4.7.650 "rate limited due to IP reputation")
  { reason: 'blocked', pattern: /server busy\. please try again later from (?:\d{1,3}\.){3}\d{1,3}\b/ },
  // ... and the same range's "Access denied, please try again later"; its traffic refused (5.7.700-749 "traffic not
  // accepted from this IP"), a bad HELO (5.7.506), IPv6 refused (5.7.510); the connector that takes mail only from
  // some IP addresses or certificates (5.7.51 "RestrictDomainsToIPAddresses or RestrictDomainsToCertificate")
  {
    reason: 'blocked',
    pattern:
      /access denied, please try again later|traffic not accepted from this ip|access denied, bad (?:helo|ehlo)|does not accept (?:email|mail) over ipv6|\brestrictdomainstoipaddresses or restrictdomainstocertificate\b/,
  },
  // the sender's tenant over its sending threshold (5.7.700-749) is a rate limit; the sending IP over its permitted
  // limits within its range (5.7.508) and the recipient over what it may receive per hour (5.2.122) are limits on the
  // number of messages taken, as both of the reference library's Microsoft tables read them
  { reason: 'speeding', pattern: /tenant has exceeded (?:the )?threshold|exceeded the tenant'?s threshold/ },
  {
    reason: 'toomanyconn',
    pattern: /has exceeded permitted limits within|has exceeded (?:their|its) limit for (?:the )?number of messages/,
  },
  // 4.3.2 "STOREDRV.Deliver; recipient thread limit exceeded": the recipient's mailbox receiving too many messages
  // at once, a rate limit on the recipient (not x.3.2's system that takes no mail); 5.0.350 "x-dg-ref header is too
  // long", a header of the message
  { reason: 'speeding', pattern: /\brecipient thread limit exceeded\b/ },
  { reason: 'contenterror', pattern: /\bx-dg-ref header is too long\b/ },
  // 5.2.0 "RESOLVER.ADR.BadPrimary; recipient primary SMTP address is missing or invalid": the recipient's directory
  // entry is broken on the receiver's side, the address itself exists
  { reason: 'systemerror', pattern: /\bresolver\.adr\.badprimary\b/ },
  // 4.3.2 "STOREDRV.ClientSubmit; sender thread limit exceeded": the sending account's concurrent submissions over
  // the limit
  { reason: 'toomanyconn', pattern: /\bsender thread limit exceeded\b/ },
  // the rest of Exchange's store driver in its "STOREDRV.<stage>; <description>" form ("432 4.3.2 STOREDRV.Storage;
  // mailbox server mapi session limit exceeded", "430 4.2.0 STOREDRV; mailbox logon failure", "532 5.3.2
  // STOREDRV.Deliver; Missing or bad StoreDriver MDB properties"), its contacts' and public folders' directory entries
  // ("550 5.2.0 RESOLVER.CON.NoTarget; contact's external address is missing") and its moderation set up without a
  // moderator or looping: the receiving organisation's own mailbox servers and directory, whatever x.2.0 or x.3.2 say.
  // Codes that name a cause keep it: an address (5.1.3 "STOREDRV.Submit; invalid recipient address"), a full mailbox
  // or disk (4.3.1 "STOREDRV; mailbox disk is full"), a size, the content (5.6.0 "STOREDRV.Deliver; invalid message
  // content"); so do its exceptions' names ("STOREDRV.Deliver.Exception:QuotaExceededException")
  {
    reason: 'systemerror',
    pattern:
      /\bstoredrv(?:\.[a-z]{1,20})?; |\bresolver\.(?:con|pf)\.[a-z]{1,40}; |\b(?:no moderator addresses|no arbitration address|loop) (?:for|in) approval process\b/,
    unlessStatus: /^[45]\.(?:1\.\d{1,3}|2\.[23]|3\.[14]|6\.\d{1,3})$/,
  },
  // 5.7.511 "Access denied, banned sender[192.0.2.1]. To request removal from this list please forward this message
  // to delist@...": the sending IP Microsoft banned, as in 5.7.507 "Access denied, rejected by recipient", the IP the
  // recipient's organisation blocked (both of the reference library's Microsoft tables); 5.7.505 "Access denied,
  // banned recipient" is the recipient's own restriction
  { reason: 'blocked', pattern: /access denied, (?:banned sender|rejected by recipient)\b/ },
  { reason: 'filtered', pattern: /access denied, banned recipient/ },
  // Exchange's words for its own faults and verdicts, as both of the reference library's Microsoft tables read
  // them: an address that matches several directory entries (5.1.4 "Destination mailbox address ambiguous",
  // RESOLVER.ADR.Ambiguous), the directory's own fault, not the address's; an X.400 address that is not valid (5.1.2);
  // 5.4.4 "Invalid arguments" and SMTPSEND.DNS.MxLoopback, DNS records that give no usable route; a loop of messages
  // its agents generated (5.4.11 "Agent generated message depth exceeded"), a fault of the message; 5.2.1 "Mailbox
  // cannot be accessed", a mailbox disabled
  { reason: 'systemerror', pattern: /\bdestination mailbox address ambiguous\b|\bresolver\.adr\.ambiguous\b/ },
  { reason: 'userunknown', pattern: /\binvalid x\.400 address\b/, atAnyStep: true },
  { reason: 'networkerror', pattern: /\binvalid arguments\b/, underStatus: /^5\.4\.4$/ },
  { reason: 'networkerror', pattern: /\bsmtpsend\.dns\.mxloopback\b/ },
  { reason: 'contenterror', pattern: /\bagent generated message depth exceeded\b/ },
  { reason: 'suspend', pattern: /\bmailbox cannot be accessed\b/ },
  // RESOLVER.RST.* are Exchange's recipient restrictions (a group or mailbox that accepts only some senders:
  // NotAuthorized, SenderNotAuthenticatedForGroup, 5.7.124 "Sender not in allowed-senders list"): the address exists,
  // and this sender is not one it takes mail from, a refusal of the sender as the reference library reads each of
  // Exchange's tables. AuthRequired, a recipient that takes mail from authenticated senders only, is refused for want
  // of authentication
  { reason: 'securityerror', pattern: /\bresolver\.rst\.authrequired\b/ },
  { reason: 'rejected', pattern: new RegExp(`${RECIPIENT_RESTRICTION.source}|sender not in allowed-senders list`) },
  // ... and the same causes in the prose of its notices ("a wasn't found at example.com", in German editions "a wurde
  // nicht in example.com gefunden"; "The group only accepts messages from people in its organization or on its
  // allowed senders list"; "delivery to this address is restricted"; "you don't have permission to send to it";
  // "the sender isn't on the recipient's list of senders to accept mail from", which the reference library lists
  // with the refusals of the sender; "the recipient's domain has set up a rule that blocks mail from your domain")
  {
    reason: 'userunknown',
    pattern: /\bwas not found at [a-z0-9-]+\.|\bwurde nicht in [a-z0-9-]+\.[a-z0-9.-]{1,250} gefunden\b/,
  },
  {
    reason: 'rejected',
    pattern:
      /only accepts messages from people in its organization|delivery to this (?:address|recipient) is restricted|(?:do not have|have no) permission to send to (?:it|this)|\bis not on the recipient's list of senders\b/,
  },
  { reason: 'rejected', pattern: /blocks? (?:email|mail|messages) from your (?:domain|address|organization)/ },
  // a mail flow (transport) rule of the receiving organisation refused the message ("550 5.7.1
  // TRANSPORT.RULES.RejectMessage; the message was rejected by organization policy", Exchange Online's NDR table):
  // its own policy, whatever 5.7.x detail comes with it
  {
    reason: 'policyviolation',
    pattern: /\btransport\.rules\.rejectmessage\b|\brejected by (?:a |the )?(?:mail flow|transport) rule\b/,
  },
  // Exchange Online's Reject Direct Send setting ("550 5.7.68 TenantInboundAttribution; Direct Send not allowed for
  // this organization from unauthorized sources", Microsoft's announcement of the setting): mail claiming the
  // tenant's own domain that came in unauthenticated, not a policy on the content
  { reason: 'securityerror', pattern: /\btenantinboundattribution\b|\bdirect send not allowed\b/ },
  // Amazon SES (docs.aws.amazon.com/ses, "Verified identities"; "Email address is not verified. The following
  // identities failed the check in region ..."): SES refuses to send for an identity it has not verified, as a
  // relay refuses a sender it does not serve
  { reason: 'norelaying', pattern: /email address is not verified\. the following identities failed the check/ },
  // Gmail ("SMTP errors and codes", support.google.com/a/answer/3726730): the 421/550 4.7.0/5.7.1 reputation notices
  // name the sending IP's or domain's reputation, the 5.7.1 "unsolicited mail" notice the message.
  { reason: 'badreputation', pattern: /(?:low|poor|bad) reputation of the sending (?:ip|domain)/ },
  // Its notices of an unusual rate of unsolicited mail from the sending IP, or from the SPF or DKIM domain, refuse
  // that sender's mail, whether for a while (421 4.7.28 "... has been temporarily rate limited") or for good (550
  // 5.7.1 "... has been blocked", and 550 5.7.28 "There is an unusual rate of unsolicited mail originating from your
  // IP address"): the cause is the sender's unsolicited mail, not its speed, as the reference library's Google table
  // reads them. (A multi-line reply joined onto one line keeps its "421-4.7.28" between the words.)
  {
    reason: 'blocked',
    pattern:
      /(?:(?:our system|gmail) has detected|\bthere is) an unusual rate of (?:unsolicited )?(?:e-?)?mail(?: originating from your (?:ip|dkim domain|spf domain|sending domain|domain))?\b/,
  },
  // ... and a rate limit quoted without that cause is a limit on the speed, lifted as the rate falls; unless it names
  // another cause, its 421 4.7.0 for an IP without a PTR record ("The IP address sending this message does not have a
  // PTR record, or the corresponding forward DNS entry does not point to the sending IP. ... temporarily rate
  // limited"), read by its words
  {
    reason: 'speeding',
    pattern: /\bmail (?:sent from your (?:ip address|domain) )?has been temporarily (?:\S+ ){0,2}rate limited/,
    unless: /\bptr record\b|\bforward dns (?:entry|record)\b/,
  },
  // 421 4.7.0 "Try again later, closing connection.": the sending host refused for now, at HELO or after it ("This
  // usually indicates a Denial of Service (DoS) for the SMTP relay at the HELO stage", Google's SMTP error reference),
  // as the reference library's Google table reads it; unless the words go on to name the limit it hit
  { reason: 'blocked', pattern: /\btry again later, closing connection\b/, unless: /\brate limit|\btoo many\b/ },
  // ... and its other documented closings, as the reference library's Google table reads them: a session left idle
  // until it timed out (4.4.2 "Timeout - closing connection", 4.7.0 "Connection expired, try reconnecting"), and a
  // message that breaks RFC 5322 (5.6.0 "Mail message is malformed")
  // (Gmail's words right after its code: Exim's "SMTP incoming data timeout - closing connection" is its own session's)
  {
    reason: 'expired',
    pattern: /\b\d\.\d\.\d{1,3} timeout - closing connection\b|\bconnection expired, try reconnecting\b/,
  },
  { reason: 'notcompliantrfc', pattern: /\bmail message is malformed\b/ },
  // 4.7.29 "Your email has been rate limited because you're not using a TLS connection": the session's transport
  { reason: 'securityerror', pattern: /because you(?:'re| are) not using a tls connection/ },
  // 4.7.28 "this message exceeded its quota for sending messages with the same Message-ID": Gmail's limit on copies
  // of one message, a policy on the message, not the recipient's mailbox quota its words mention
  { reason: 'policyviolation', pattern: /exceeded its quota for sending messages with the same message-id/ },
  // "The IP you're using to send mail is not authorized to send email directly to our servers" and "IP not in
  // whitelist for RCPT domain": refusals of the connecting IP, though worded like an authorisation failure
  {
    reason: 'blocked',
    pattern: /the ip (?:address )?you(?:'re| are) using to send (?:email|mail) is not authorized|ip not in whitelist/,
  },
  // Gandi's mail (postmaster.gandi.net): "Reject for policy reason. RULEn_m" names its rule, RULE1 a virus, RULE2 and
  // RULE3 phishing, scams, unsolicited commercial mail or a high spam score
  { reason: 'virusdetected', pattern: /\breject for policy reason\. rule1_\d/ },
  { reason: 'spamdetected', pattern: /\breject for policy reason\. rule[23]_\d/ },
  // Deutsche Telekom's t-online.de (postmaster.t-online.de, "Why was the establishment of an SMTP connection
  // rejected?"): its refusals of a connecting host name the IP and end with a code in brackets, "554 IP=192.0.2.1 -
  // A problem occurred. (Ask your postmaster ...) (BL)", BL for a host on its block list and NOWL for one without a
  // known reputation ("None/bad reputation ... (NOWL)")
  { reason: 'blocked', pattern: /\bip=\[?[0-9a-f.:]{3,45}\]? - [^\n]{0,300}\((?:bl|nowl)\)/ },
  // Proofpoint ("Proofpoint Essentials bounce error codes", help.proofpoint.com) and Barracuda ("Barracuda Email
  // Security Gateway SMTP error messages", campus.barracuda.com): their block verdicts name the sender's IP.
  { reason: 'blocked', pattern: /blocked using (?:proofpoint|barracuda|cloudmark)|\bbarracudacentral\b/ },
  { reason: 'spamdetected', pattern: /message (?:content )?rejected, ?(?:spam|uce)|barracuda.{0,20}spam/ },
  // Barracuda's summary of a refused transaction names each recipient with its verdict, "550 permanent failure for
  // one or more recipients (a@example.org:blocked)": its policy blocked the message (a verdict on the sender or the
  // message, not the address; the recipient's own reply, when it has one, is quoted instead of the verdict)
  { reason: 'blocked', pattern: /permanent failure for one or more recipients \([^()\s]{1,254}:blocked\)/ },
  // HCL/IBM Domino's router (the "because:" line of its non-delivery notices, Domino Administrator help, "Mail
  // routing error messages"): the directory lookup of the recipient found several entries (RFC 3463 x.1.4,
  // ambiguous: a fault of the destination's directory, not of the address), or the recipient's entry routes
  // nowhere the router may deliver ("Cannot route mail to user"); the "not listed in Domino Directory" sentence
  // in the editions that translate it (Spanish, French, German, Japanese)
  { reason: 'systemerror', pattern: /several matches found in (?:the )?domino directory/ },
  { reason: 'filtered', pattern: /cannot route mail to user/ },
  {
    reason: 'userunknown',
    pattern:
      /no se encuentra en el directorio de domino|non répertorié dans l'annuaire domino|nicht im domino-verzeichnis|domino ディレクトリには見つかりません/,
  },
  // Cox ("Email error codes", cox.com/residential/support/email-error-codes): its refusals name a code (`COX_CODE`).
  // The sending IP blocked by Cox (CXBL, CDRBL) or found on the block lists it names (IPBLnnnn); the connecting IP's
  // reverse DNS failing (CXDNS); the message failing its sender domain's SPF, DomainKeys or DKIM policy (CXSNDR); Cox
  // unable to verify the sender is legitimate (CXSMTP); too many concurrent connections (CXCNCT); more mail than the
  // sender may send (CXMXRT); a URL in the body on a domain block list (URLBLnnn)
  { reason: 'blocked', pattern: new RegExp(String.raw`${COX_CODE}(?:cxbl|cdrbl|ipbl\d{4,5})\b`) },
  { reason: 'requireptr', pattern: new RegExp(String.raw`${COX_CODE}cxdns\b`) },
  { reason: 'authfailure', pattern: new RegExp(String.raw`${COX_CODE}cxsndr\b`) },
  { reason: 'rejected', pattern: new RegExp(String.raw`${COX_CODE}cxsmtp\b`) },
  { reason: 'toomanyconn', pattern: new RegExp(String.raw`${COX_CODE}cxcnct\b`) },
  { reason: 'speeding', pattern: new RegExp(String.raw`${COX_CODE}cxmxrt\b`) },
  { reason: 'spamdetected', pattern: new RegExp(String.raw`${COX_CODE}urlbl\d{3,4}\b`) },
  // Comcast ("SMTP error codes", postmaster.comcast.net/smtp-error-codes.php, the page its replies link with the
  // code as anchor, or the code alone after the reply code, "550 BL000000 ..."): BL codes are the sending IP on a
  // block list, RL codes its rate limits, SL codes the sender's address or domain
  { reason: 'blocked', pattern: /(?:smtp-error-codes\.php#|\b[45]\d\d[ -])bl\d{6}\b/ },
  { reason: 'speeding', pattern: /(?:smtp-error-codes\.php#|\b[45]\d\d[ -])rl\d{6}\b/ },
  { reason: 'rejected', pattern: /(?:smtp-error-codes\.php#|\b[45]\d\d[ -])sl\d{6}\b/ },
  // Tencent QQ Mail ("SMTP error codes", service.mail.qq.com/cgi-bin/help?id=20022, the page its replies link):
  // "Mailbox unavailable or access denied" is its refusal of the sender's frequency, not of a missing mailbox, which
  // it reports as "Mailbox not found"
  { reason: 'toomanyconn', pattern: new RegExp(String.raw`${QQ_FREQUENCY_REFUSAL}.{0,300}?\bmail\.qq\.com\b`) },
  // ... and "Mailbox not found" with that page is its directory's verdict on the recipient, at whatever step the
  // notice names (as the reference library's Tencent tables read it)
  { reason: 'userunknown', pattern: new RegExp(String.raw`\bmailbox not found\b${QQ_PAGE}`), atAnyStep: true },
  // ... and "Suspected spam IP" is its refusal of the sending IP, not of the message ("Suspected spam" is), as is
  // "Suspected bounce attacks" with its page (the IP suspected of sending backscatter)
  { reason: 'blocked', pattern: new RegExp(String.raw`\bsuspected spam ip\b|\bsuspected bounce attacks?\b${QQ_PAGE}`) },
  // ... and "Bad address syntax" with its page an address it cannot parse (RFC 5321's syntax error, as both of the
  // reference library's Tencent tables read it), not a lookup that found no mailbox
  { reason: 'syntaxerror', pattern: new RegExp(String.raw`\bbad address syntax\b${QQ_PAGE}`) },
  // ... and "Domain may not exist or DNS check failed" its check of the sender's domain: QQ Mail takes mail for its
  // own domains only, so the domain it could not find is the sender's
  { reason: 'rejected', pattern: /\bdomain may not exist or dns check failed\b/ },
  // Broadcom Email Security.cloud's (MessageLabs') spam verdict quoted without its host (read by host below), known by
  // the page it links ("553 Message filtered. Refer to the Troubleshooting page at
  // http://www.symanteccloud.com/troubleshooting for more information. (#5.7.1)")
  {
    pattern:
      /\bmessage filtered\. refer to the troubleshooting page at https?:\/\/(?:www\.)?(?:symanteccloud|messagelabs)\.com\b/,
    reason: 'spamdetected',
  },
];

/** Codes a receiver documents for replies from its own hosts only: the same code means nothing elsewhere. */
interface HostCode {
  /** The receiver's MX host names (lower case). */
  host: RegExp;
  /**
   * The mail domains whose mailboxes only this receiver holds (a consumer service's own addresses): a reply for a
   * recipient there came from its hosts even when the report does not name them, as the reference library also finds
   * a receiver by the recipient's domain (Sisimai's Rhost, "destination")
   */
  domains?: RegExp;
  pattern: RegExp;
  reason: BounceReason;
  /** Only for a reply to this command, under no enhanced code or the catch-all x.0.0. */
  answering?: SmtpCommand;
  /** The receiver's verdict on the address whatever step it answered (it may refuse an address only after DATA). */
  atAnyStep?: true;
}

/** A receiver's reading of a reply; `atAnyStep` when its verdict on the address holds whatever step it answered. */
export interface ReceiverVerdict {
  reason: BounceReason;
  atAnyStep: boolean;
  /** The receiver gives this reply only at RCPT TO: it names its step when the notice does not. */
  atRcpt?: true;
}

/** Where a reply was given: the host that gave it, the command it answered, the enhanced code reported with it. */
export interface ReplyContext {
  remoteHost?: string | null;
  /** The domain of the recipient the reply is about. */
  recipientDomain?: string | null;
  command?: SmtpCommand | null;
  status?: string | null;
}

/** Mimecast's MX hosts (us-smtp-inbound-1.mimecast.com, eu-..., mimecast-offshore.com, mimecast.co.za). */
const MIMECAST_HOSTS = /(?:^|\.)mimecast(?:-offshore)?\.com$|(?:^|\.)mimecast\.co\.za$/;

/** Cox's MX hosts (mx.east.cox.net, mx.west.cox.net). */
const COX_HOSTS = /(?:^|\.)cox\.net$/;

/** Broadcom Email Security.cloud's (formerly MessageLabs) MX hosts (cluster1.eu.messagelabs.com, ...). */
const MESSAGELABS_HOSTS = /(?:^|\.)messagelabs\.com$/;

/** au by KDDI's MX hosts (msmx.au.com, lsean.ezweb.ne.jp). */
const AU_HOSTS = /(?:^|\.)au\.com$|(?:^|\.)ezweb\.ne\.jp$/;

/** au by KDDI's mail domains: its subscribers' addresses (ezweb.ne.jp, and au.com since 2016). */
const AU_DOMAINS = /^(?:ezweb\.ne\.jp|au\.com)$/;

/** NTT docomo's MX hosts (mfsmax.docomo.ne.jp ...) and its subscribers' mail domain. */
const DOCOMO_HOSTS = /(?:^|\.)docomo\.ne\.jp$/;
const DOCOMO_DOMAIN = /^docomo\.ne\.jp$/;

// (Yahoo's codes are read from its hosts only, not for its addresses: its bracketed codes quoted by a relay's own
// notice, which names no host, are not its verdict, as the reference library reads them)
const YAHOO_HOSTS = /(?:^|\.)yahoodns\.net$|(?:^|\.)yahoo\.(?:com|co\.[a-z]{2}|[a-z]{2})$/;

const HOST_CODES: readonly HostCode[] = [
  // Cox's MX hosts' older replies without a code ("Email error codes", cox.com), as the reference library's Cox table
  // reads them: the sending IP held back for too many bad commands, its reverse DNS that did not check out, a limit on
  // the messages or sessions it may send, and a client that spoke before the greeting
  { host: COX_HOSTS, pattern: /\btoo many bad commands from\b/, reason: 'blocked' },
  { host: COX_HOSTS, pattern: /\bdns check failure\b/, reason: 'requireptr' },
  {
    host: COX_HOSTS,
    pattern: /\bmessage threshold exceeded\b|\brequested action aborted: try again later\b/,
    reason: 'toomanyconn',
  },
  { host: COX_HOSTS, pattern: /\besmtp no data before greeting\b/, reason: 'policyviolation' },
  // Yahoo (senders.yahooinc.com/smtp-error-codes): the bracketed TS codes ("421 4.7.0 [TSS04] Messages from <ip>
  // temporarily deferred due to unexpected volume or user complaints", [TS01]..[TS03], [TSS09], [TSS11]) are
  // Yahoo refusing the sender's traffic until its sending practices change, whatever the words around them say
  // about complaints or volume. Quoted by another system (a relay's own notice) the code is not Yahoo's verdict.
  {
    host: YAHOO_HOSTS,
    pattern: /\[tss?\d{2}\]|\bwill be permanently deferred\b/,
    reason: 'rejected',
  },
  // ... and its MX refuses an address it has no account for only after DATA ("552 1 Requested mail action aborted,
  // mailbox not found", "554 delivery error: dd This user doesn't have a yahoo.com account"): its own directory's
  // verdict, not a later filter's, as the reference library's Yahoo table reads both (Sisimai 5.1)
  {
    host: YAHOO_HOSTS,
    pattern: /\bmailbox not found\b|\bdd this user does not have an? [a-z0-9.-]{1,253} account\b/,
    reason: 'userunknown',
    atAnyStep: true,
  },
  // NTT docomo (docomo.ne.jp, its "迷惑メール対策" reception settings): its MX takes every RCPT TO, and when the
  // recipient's settings refuse this sender it answers "550 Unknown user <address>" after DATA; the address exists,
  // the sender is what was refused. (An unknown address is refused at RCPT TO; Sendmail's Status 5.2.0 for the DATA
  // refusal says the mailbox refused it, and is read so.)
  {
    host: DOCOMO_HOSTS,
    domains: DOCOMO_DOMAIN,
    pattern: /\bunknown user\b/,
    reason: 'rejected',
    answering: 'DATA',
  },
  // ... and its "552 Too much mail data" is the handset's mailbox out of room, not a message over a size limit, as the
  // reference library's NTT docomo table reads it (Sisimai 4.25.15 on)
  {
    host: DOCOMO_HOSTS,
    domains: DOCOMO_DOMAIN,
    pattern: /\btoo much mail data\b/,
    reason: 'mailboxfull',
  },
  // Mimecast ("Mimecast SMTP error codes", community.mimecast.com): from its own hosts, "421 Sender address blocked"
  // is the sending IP caught by a Blocked Senders policy, "451 Recipient temporarily unavailable" the IP put on its
  // block list for too many invalid connections; "451 Internal resources are temporarily unavailable" greylisting of
  // an IP of poor reputation (its reputation, as the reference library's Mimecast table reads it); "451 Account
  // inbounds disabled" the customer's inbound mail switched off; "Exceeding outbound thread limit" a connection
  // limit, and so "Account service is temporarily unavailable" (as that table reads it). Elsewhere the same words keep
  // their plain reading.
  {
    host: MIMECAST_HOSTS,
    pattern: /sender address blocked|recipient temporarily unavailable/,
    reason: 'blocked',
  },
  {
    host: MIMECAST_HOSTS,
    pattern: new RegExp(MIMECAST_GREYLISTING),
    reason: 'badreputation',
  },
  {
    host: MIMECAST_HOSTS,
    pattern: /account inbounds disabled/,
    reason: 'notaccept',
  },
  {
    host: MIMECAST_HOSTS,
    pattern: /exceeding outbound thread limit|account service is temporarily unavailable/,
    reason: 'toomanyconn',
  },
  // Broadcom Email Security.cloud (MessageLabs), as the reference library's MessageLabs table (Sisimai 5.2) reads its
  // fixed replies: "Connection rejected by policy" is its verdict on the sending IP's reputation, "Message Filtered"
  // and "filtered by Outbound scanning" its spam verdicts, "Too many recipients received this hour" / "too many
  // messages" its connection limits, "sender envelope domain not allowed for sender IP address" a refusal of the
  // sender, "Requested action aborted [4]" a message that breaks RFC 5322, "Recipient mailbox is not allowed" an
  // address it does not take
  { host: MESSAGELABS_HOSTS, pattern: /connection rejected by policy/, reason: 'badreputation' },
  { host: MESSAGELABS_HOSTS, pattern: /message filtered|filtered by outbound scanning/, reason: 'spamdetected' },
  {
    host: MESSAGELABS_HOSTS,
    pattern: /too many recipients received this hour|too many messages/,
    reason: 'toomanyconn',
  },
  { host: MESSAGELABS_HOSTS, pattern: /sender envelope domain not allowed for sender ip/, reason: 'rejected' },
  { host: MESSAGELABS_HOSTS, pattern: /requested action aborted \[4\]/, reason: 'notcompliantrfc' },
  // (its Address Registration's verdict on the address, at whatever step the session reached)
  { host: MESSAGELABS_HOSTS, pattern: /mailbox is not allowed/, reason: 'userunknown', atAnyStep: true },
  // Apple iCloud Mail's MX (mx01.mail.icloud.com ...): its refusal of a message "due to having a domain present in the
  // Spamhaus DBL" is read as a block of the sender, as the reference library's Apple table reads it (Sisimai 5.1),
  // where elsewhere a listed domain in the message is its content (spamdetected)
  {
    host: /(?:^|\.)mail\.icloud\.com$|(?:^|\.)apple\.com$/,
    domains: /^(?:icloud|me|mac)\.com$/,
    pattern: /\bhaving a domain (?:present|listed) (?:in|on) the (?:spamhaus )?dbl\b/,
    reason: 'blocked',
  },
  // GoDaddy's inbound hosts (*.secureserver.net; its help page "What does my email bounceback mean?"): "550 Recipient
  // not found" and "Account does not exist" are its directory's verdict on the address, whatever step the notice names
  // (as the reference library's GoDaddy table reads them)
  {
    host: /(?:^|\.)secureserver\.net$/,
    pattern: /\brecipient not found\b|\baccount does not exist\b/,
    reason: 'userunknown',
    atAnyStep: true,
  },
  // Tencent QQ Mail's MX (mx1.qq.com ..., mxbiz1.qq.com for its business mail): its "Mailbox unavailable or access
  // denied" is the same refusal of the sender's frequency as where it links its help page (above)
  {
    host: /(?:^|\.)qq\.com$/,
    domains: /^(?:vip\.)?qq\.com$|^foxmail\.com$/,
    pattern: new RegExp(QQ_FREQUENCY_REFUSAL),
    reason: 'toomanyconn',
  },
  // au by KDDI's MX (msmx.au.com, lsean.ezweb.ne.jp): "550 : User unknown", with no address before the colon, is its
  // answer when the recipient's reception settings refuse the sender; a real unknown address is named ("<a@b>: User
  // unknown"). As the reference library's KDDI table reads them
  {
    host: AU_HOSTS,
    domains: AU_DOMAINS,
    pattern: /(?:^|\b\d{3} ): user unknown/,
    reason: 'filtered',
  },
  // ... and the named one is its directory's verdict, whatever step the notice names
  { host: AU_HOSTS, domains: AU_DOMAINS, pattern: />: user unknown/, reason: 'userunknown', atAnyStep: true },
];

/** A host given as an address rather than a name (Remote-MTA: dns; [192.0.2.1], or an IPv6 address). */
const IP_LITERAL = /^\[?(?:ipv6:)?(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]{0,4}(?::[0-9a-f.]{0,15}){2,8})\]?$/;

/** The reason a receiver's documented code or sentence states, or null when the text has none. */
export function reasonForReceiverText(normalised: string, context: ReplyContext = {}): BounceReason | null {
  return receiverVerdict(normalised, context)?.reason ?? null;
}

/** The receiver's reading of a reply, or null when the text has no documented code or sentence. */
export function receiverVerdict(normalised: string, context: ReplyContext = {}): ReceiverVerdict | null {
  const probe = ruleProbe();
  const host = context.remoteHost?.toLowerCase() ?? null;
  // a host the report names answered, whoever holds the recipient's domain (a gateway on the way may have refused);
  // only when it names none, or only an address, is the recipient's domain the best word on who did
  const domain = host === null || IP_LITERAL.test(host) ? (context.recipientDomain?.toLowerCase() ?? null) : null;
  if (host || domain) {
    for (const [i, c] of HOST_CODES.entries()) {
      const answeredBy = (host !== null && c.host.test(host)) || (domain !== null && c.domains?.test(domain) === true);
      if (probe?.skip(`host:${i}`) || !answeredBy || !c.pattern.test(normalised)) continue;
      if (c.answering && (context.command !== c.answering || !namesNoCause(context.status ?? null))) continue;
      probe?.decided(`host:${i}`);
      return { reason: c.reason, atAnyStep: c.atAnyStep === true };
    }
  }
  for (const { id, code, reasonOf } of NUMBERED_CODES) {
    const m = code.exec(normalised);
    const r = m ? reasonOf(m[1]!, m[2]) : undefined;
    if (!r || probe?.skip(`receiver:${id}`)) continue;
    probe?.decided(`receiver:${id}`);
    // a code the receiver documents as "no such address" is its own directory's verdict, whatever step carried it
    return { reason: r, atAnyStep: isAddressReason(r) };
  }
  for (const [i, p] of PHRASES.entries()) {
    if (probe?.skip(`receiver:${i}`) || !p.pattern.test(normalised) || p.unless?.test(normalised)) continue;
    if (p.unlessStatus?.test(context.status ?? '')) continue;
    if (p.underStatus && !p.underStatus.test(context.status ?? '')) continue;
    probe?.decided(`receiver:${i}`);
    return { reason: p.reason, atAnyStep: p.atAnyStep === true, ...(p.atRcpt ? { atRcpt: true as const } : {}) };
  }
  return null;
}
