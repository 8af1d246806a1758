// Rules read from the standards (RFC 3463 subjects and details, RFC 5321 roles of the envelope) and from receivers'
// public documentation, each checked on replies written as those texts show them, never on a corpus sample.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyBounce } from '../../../src/domain/bounces/classify-bounce.js';
import { classifySmtpReply } from '../../../src/domain/bounces/classify-smtp-reply.js';
import { reasonForStatus } from '../../../src/domain/bounces/status-code-reasons.js';
import { reasonForText } from '../../../src/domain/bounces/diagnostic-patterns.js';
import { dsn, h, reported, textNotice } from './synthetic-dsn.js';

test('an enhanced code alone: the class changes what x.2.1, x.4.4 and x.7.1 mean', () => {
  const cases: Array<[string, string | null]> = [
    ['5.4.4', 'hostunknown'], // unable to route, permanent: the domain has no route
    ['4.4.4', 'networkerror'], // the lookup did not answer this time: nothing about the domain
    ['5.7.1', 'securityerror'],
    ['4.7.1', 'blocked'], // held back for now: greylisting, a rate or reputation block of the sending host
    ['5.2.0', 'filtered'], // "the mailbox exists, but something about [it] has caused this DSN"
    ['5.2.1', 'filtered'], // "the mailbox exists, but is not accepting messages": refused by its own state
    ['4.2.1', 'suspend'], // "only temporarily disabled"
    ['5.1.0', 'userunknown'],
    ['5.1.4', 'filtered'], // ambiguous: the address matches mailboxes
    ['5.3.2', 'notaccept'],
    ['5.4.0', 'networkerror'],
    ['5.5.3', 'toomanyconn'],
    ['5.7.16', 'mesgtoobig'],
    ['5.7.18', 'hasmoved'],
    ['5.0.0', null],
  ];
  for (const [status, reason] of cases) assert.equal(reasonForStatus(status), reason, status);
});

test("a reply that writes an enhanced code's title instead of the code reads as the code does", () => {
  // the titles of RFC 3463 section 3 and its successors, as servers without enhanced codes write them
  const titles: Array<[string, string]> = [
    ['5.1.1', 'Bad destination mailbox address'],
    ['5.1.2', 'Bad destination system address'],
    ['5.1.6', 'Destination mailbox has moved, No forwarding address'],
    ['5.2.2', 'Mailbox full'],
    ['5.2.3', 'Message length exceeds administrative limit'],
    ['5.2.4', 'Mailing list expansion problem'],
    ['5.3.0', 'Other or undefined mail system status'],
    ['5.3.1', 'Mail system full'],
    ['5.3.2', 'System not accepting network messages'],
    ['5.3.4', 'Message too big for system'],
    ['5.3.5', 'System incorrectly configured'],
    ['5.4.0', 'Other or undefined network or routing status'],
    ['4.4.2', 'Bad connection'],
    ['4.4.5', 'Mail system congestion'],
    ['5.4.6', 'Routing loop detected'],
    ['5.5.1', 'Invalid command'],
    ['5.5.3', 'Too many recipients'],
    ['5.5.4', 'Invalid command arguments'],
    ['5.5.5', 'Wrong protocol version'],
    ['5.6.0', 'Other or undefined media error'],
    ['5.6.1', 'Media not supported'],
    ['5.6.5', 'Conversion Failed'],
    // RFC 6531's (SMTPUTF8)
    ['5.6.7', 'Non-ASCII addresses not permitted for that sender/recipient'],
    ['5.6.8', 'UTF-8 string reply is required, but not permitted by the SMTP client'],
    ['5.6.9', 'UTF-8 header message cannot be transferred to one or more recipients, so the message must be rejected'],
    ['5.7.1', 'Recipient address rejected: Delivery not authorized'],
    ['5.7.5', 'Cryptographic failure'],
    ['5.7.7', 'Message integrity failure'],
    ['5.7.8', 'Authentication credentials invalid'],
    ['5.7.9', 'Authentication mechanism is too weak'],
    ['5.7.14', 'Trust relationship required'],
    ['5.7.17', 'Mailbox owner has changed'],
    ['5.7.18', 'Domain owner has changed'],
    ['5.7.20', 'No passing DKIM signature found'],
    ['5.7.22', 'No valid author-matched DKIM signature found'],
    ['5.7.23', 'SPF validation failed'],
    ['5.7.25', 'Reverse DNS validation failed'],
    ['5.7.27', 'Sender address has null MX'],
    ['5.7.28', 'Mail flood detected'],
  ];
  for (const [status, title] of titles)
    assert.equal(reasonForText(`550 ${title}`), reasonForStatus(status), `${status} ${title}`);
  // x.2.1's title says more than its code: "disabled" is the account's state, where the code alone only says that
  // the existing mailbox takes no messages
  assert.equal(reasonForText('550 Mailbox disabled, not accepting messages'), 'suspend');
});

test('a temporary "unable to route" never suppresses; the permanent one does', () => {
  assert.deepEqual(classifySmtpReply(451, '4.4.4', 'Requested action aborted'), {
    reason: 'networkerror',
    hard: false,
  });
  assert.deepEqual(classifySmtpReply(550, '5.4.4', 'Requested action aborted'), { reason: 'hostunknown', hard: true });
  // x.3.2 "system not accepting network messages": hard only when permanent
  assert.deepEqual(classifySmtpReply(453, '4.3.2', 'Try later'), { reason: 'notaccept', hard: false });
  assert.deepEqual(classifySmtpReply(521, '5.3.2', 'Go away'), { reason: 'notaccept', hard: true });
});

test('a refusal whose subject is the envelope sender is `rejected`, never an unknown recipient', () => {
  const cases: Array<[string, string]> = [
    ['550 Sender address invalid', 'rejected'],
    ['553 sender address unknown', 'rejected'],
    ['550 The sender address domain does not exist', 'rejected'],
    ['550 Return path address invalid', 'rejected'],
    ['550 Sender verify failed', 'rejected'],
    ['550 Mail from address not found', 'rejected'],
    ['550 5.7.1 Sender blacklisted', 'rejected'],
    ['550 5.7.1 Sender domain is blocked', 'rejected'],
    ['550 5.7.1 Mail from this sender is not accepted', 'rejected'],
    ['550 5.7.1 Envelope sender domain not permitted', 'rejected'],
    ['553 5.7.1 From address does not match authenticated user', 'rejected'],
    // said to the sender, "your" address is the sender's
    ['550 The domain of your email address does not exist', 'rejected'],
    ['550 Your email address is not valid', 'rejected'],
    ['550 Return address invalid', 'rejected'],
    ['451 Could not verify sender address: no such user', 'rejected'],
    ['550 The mail server is not accepting mail from your domain', 'rejected'],
    // the sender's domain has no mail route: not the recipient's domain taking no mail
    ["550 No MX record found for the sender's domain", 'rejected'],
    ["550 Your message couldn't be delivered because you weren't recognized as a valid sender.", 'rejected'],
    // the From header's form refused (an IP address where its domain belongs), though the sentence names an IP: not
    // the connecting host
    [
      '550 a@example.org IP addresses are not allowed as a From: Address. Please provide a valid From. IB502',
      'notcompliantrfc',
    ],
    // the author in the From header is the sender too (RFC 5322 3.6.2)
    ['550 5.7.0 Unknown user or domain in From header', 'rejected'],
    // the same words naming the connecting host are a block of the host
    ['550 5.7.1 Sender blocked: 192.0.2.1 is listed at zen.spamhaus.org', 'blocked'],
    // the HELO name is the sending host's
    ['550 Your HELO name is invalid', 'blocked'],
    // so are its IP address and its name
    ['421 Your IP address is not known to us', 'blocked'],
    ['550 Invalid domain name in HELO', 'blocked'],
    ['450 Client host name unknown', 'requireptr'],
    // the recipient is still the recipient
    ['550 5.1.1 <a@example.org>: Recipient address rejected: User unknown', 'userunknown'],
  ];
  for (const [reply, reason] of cases) {
    const m = /^(\d{3}) (?:([245]\.\d+\.\d+) )?/.exec(reply)!;
    const r = classifySmtpReply(Number(m[1]), m[2] ?? null, reply);
    assert.equal(r.reason, reason, reply);
    assert.equal(r.hard, reason === 'userunknown', reply);
  }
});

test('an operating-system error is not an unknown user', () => {
  const r = classifySmtpReply(null, null, 'Failed to read response template /home/a/.cat: No such file or directory');
  assert.notEqual(r.reason, 'userunknown');
  assert.equal(r.hard, false);
});

test('documented relay refusals, connection limits and restrictions', () => {
  const cases: Array<[string, string]> = [
    // qmail-smtpd's rcpthosts refusal and the gateway wording derived from it (Broadcom Email Security.cloud)
    ["553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", 'norelaying'],
    ["553 sorry, that domain isn't in my list of allowed rcpthost", 'norelaying'],
    [
      '553-you are trying to use me [server-4.tower-1.messagelabs.com] as a relay, but I have not been configured to ' +
        'let you [192.0.2.1, mail.example.com] do this. 553 (#5.7.1)',
      'norelaying',
    ],
    ['421 Too many concurrent SMTP connections from this IP address; please try again later.', 'toomanyconn'],
    // Exchange Online recipient restrictions (RESOLVER.RST.*, 5.7.124): this sender is not one the recipient takes
    // mail from; AuthRequired, one it takes only from authenticated senders
    ['550 5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required', 'rejected'],
    ['550 5.7.124 Sender not in allowed-senders list', 'rejected'],
    ['550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized', 'rejected'],
    ['550 5.7.1 RESOLVER.RST.AuthRequired; authentication required', 'securityerror'],
    // ... also under x.7.13, whose "user account disabled" would suppress the address
    ['550 5.7.13 RESOLVER.RST.NotAuthorizedToSend; sender not permitted to send', 'rejected'],
    // ... and in the words of its NDR, a mailbox that takes mail from its own organisation only
    ['550 5.7.1 Recipient is not authorized to accept external mail', 'filtered'],
    // Microsoft's 4.7.500-4.7.699 throttling range: the words only say "try again later"
    ['451 4.7.500 Server busy. Please try again later from [192.0.2.1]. (S77714)', 'blocked'],
    // Amazon SES refusing an unverified identity
    [
      '554 Message rejected: Email address is not verified. The following identities failed the check in region ' +
        'US-EAST-1: app@example.com',
      'norelaying',
    ],
  ];
  for (const [reply, reason] of cases) {
    const m = /^(\d{3})[ -](?:([245]\.\d+\.\d+) )?/.exec(reply)!;
    assert.equal(classifySmtpReply(Number(m[1]), m[2] ?? null, reply).reason, reason, reply);
  }
});

test("Yahoo's TS codes are its verdict on the sender only when Yahoo's host gave them", () => {
  const reply =
    '421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - ' +
    '4.16.55.1; see https://postmaster.yahooinc.com/error-codes';
  const report = (remote: string) =>
    classifyBounce(
      dsn(
        `Final-Recipient: rfc822; a@yahoo.example\nAction: failed\nStatus: 4.7.0\nRemote-MTA: dns; ${remote}\n` +
          `Diagnostic-Code: smtp; ${reply}\n`,
      ),
    ).recipients[0]!;
  assert.equal(report('mta6.am0.yahoodns.net').reason, 'rejected');
  // the same words from another host: the complaints it names are the sender's reputation
  assert.equal(report('mx.example.net').reason, 'badreputation');
  // Postfix's own wording names the host when the DSN has no Remote-MTA
  const prose = classifyBounce(
    dsn(
      `Final-Recipient: rfc822; a@yahoo.example\nAction: failed\nStatus: 4.7.0\nDiagnostic-Code: smtp; ${reply}\n`,
      `<a@yahoo.example>: host mta5.am0.yahoodns.net[192.0.2.9] said: ${reply} (in reply to MAIL FROM command)`,
    ),
  ).recipients[0]!;
  assert.equal(prose.reason, 'rejected');
});

test('"Unknown user" after DATA under x.2.0 is the recipient side refusing (NTT docomo), not a dead address', () => {
  const r = classifyBounce(
    dsn(
      'Final-Recipient: RFC822; a@docomo.example\nAction: failed\nStatus: 5.2.0\n' +
        'Diagnostic-Code: SMTP; 550 Unknown user a@docomo.example\n',
    ),
  ).recipients[0]!;
  assert.deepEqual([r.reason, r.hard], ['filtered', false]);
  // the same reply with a code saying the address is bad stays an unknown user
  const bad = classifyBounce(
    dsn(
      'Final-Recipient: RFC822; a@docomo.example\nAction: failed\nStatus: 5.1.1\n' +
        'Diagnostic-Code: SMTP; 550 Unknown user a@docomo.example\n',
    ),
  ).recipients[0]!;
  assert.deepEqual([bad.reason, bad.hard], ['userunknown', true]);
});

function exchangeNotice(component: string, why: string) {
  return classifyBounce({
    headers: [
      h('from', 'System Administrator <postmaster@example.org>'),
      h('subject', 'Undeliverable: Nyaan'),
      h('content-type', 'text/plain'),
    ],
    parts: [
      {
        type: 'text/plain',
        headers: [],
        text:
          'Your message did not reach some or all of the intended recipients.\n\n      Subject:\tNyaan\n\n' +
          'The following recipient(s) could not be reached:\n\n      a@example.net on 4/29/01 11:34:45 PM\n' +
          `            ${why}\n            ${component}\n`,
      },
    ],
  }).recipients[0]!;
}

test("Exchange's own directory lookup is an unknown user; its SMTP connector relaying a refusal is not", () => {
  const ims = exchangeNotice('MSEXCH:IMS:ORG:SITE:SERVER 0 (000C05A6)', 'The recipient name is not recognized');
  assert.deepEqual([ims.reason, ims.hard], ['userunknown', true]);
  const imc = exchangeNotice('MSEXCH:IMC:ORG:SITE:SERVER', 'Recipient Not Found');
  assert.deepEqual([imc.reason, imc.hard], ['filtered', false]);
});

function dominoNotice(because: string) {
  return classifyBounce({
    headers: [
      h('from', 'Postmaster@example.org'),
      h('subject', 'DELIVERY FAILURE: ' + because),
      h('content-type', 'text/plain'),
    ],
    parts: [
      {
        type: 'text/plain',
        headers: [],
        text: `Your message\n\n  Subject: Nyaan\n\nwas not delivered to:\n\n  a@example.net\n\nbecause:\n\n  ${because}\n`,
      },
    ],
  }).recipients[0]!;
}

test("Domino's router sentences, in the editions that translate them", () => {
  const cases: Array<[string, string, boolean]> = [
    ['User a (a@example.net) not listed in Domino Directory', 'userunknown', true],
    ['User a (a@example.net) no se encuentra en el Directorio de Domino', 'userunknown', true],
    ["User a (a@example.net) non répertorié dans l'annuaire Domino", 'userunknown', true],
    ['Several matches found in Domino Directory', 'systemerror', false],
    ['Cannot route mail to user (a@example.net)', 'filtered', false],
    // Domino calls the mailbox a "mail file"
    ['Mail file is full', 'mailboxfull', false],
    // over the mail file's quota: the mailbox, not this message, is too big
    ['Mail file size exceeds the maximum size allowed for mail routing', 'mailboxfull', false],
  ];
  for (const [because, reason, hard] of cases) {
    const r = dominoNotice(because);
    assert.deepEqual([r.recipient, r.reason, r.hard], ['a@example.net', reason, hard], because);
  }
});

test("Sendmail's per-recipient line is the reply, not a later step of the transcript quoted after it", () => {
  const r = classifyBounce({
    headers: [
      h('from', 'Mail Delivery Subsystem <MAILER-DAEMON@mx.example>'),
      h('subject', 'Returned mail: Host unknown'),
      h('content-type', 'text/plain'),
    ],
    parts: [
      {
        type: 'text/plain',
        headers: [],
        text:
          '   ----- Transcript of session follows -----\n' +
          '554 <a@example.org>... 550 Host unknown (Authoritative answer from name server)\n' +
          'While talking to smtp.example.com:\n>>> QUIT\n<<< 421 smtp.example.com Sorry, unable to contact destination SMTP daemon.\n',
      },
    ],
  }).recipients[0]!;
  assert.deepEqual([r.recipient, r.reason, r.hard], ['a@example.org', 'hostunknown', true]);
});

function proseNotice(text: string) {
  return classifyBounce({
    headers: [
      h('from', 'Mail Delivery Subsystem <MAILER-DAEMON@mx.example>'),
      h('subject', 'Delivery Status Notification (Failure)'),
      h('content-type', 'text/plain'),
      h('x-failed-recipients', 'a@example.net'),
    ],
    parts: [{ type: 'text/plain', headers: [], text }],
  }).recipients[0]!;
}

test('a final notice that quotes no SMTP reply and could not reach the host is an expired queue', () => {
  // no server ever answered: the queue gave up connecting (RFC 5321 4.5.4.1)
  const gaveUp = proseNotice(
    'Delivery to the following recipient failed permanently:\n\n     a@example.net\n\n' +
      'Technical details of permanent failure:\nconnect to mx.example.net[192.0.2.1]:25: Connection refused\n',
  );
  assert.deepEqual([gaveUp.reason, gaveUp.hard], ['expired', false]);
  // a name that did not resolve stays what it is
  const dns = proseNotice(
    'Delivery to the following recipient failed permanently:\n\n     a@example.net\n\n' +
      'Technical details of permanent failure:\nDNS Error: lookup of example.net timed out\n',
  );
  assert.notEqual(dns.reason, 'expired');
  // ... and a lookup that answered that the name does not exist (RFC 2308 NXDOMAIN) is a domain that does not exist
  const nxdomain = proseNotice(
    'Delivery to the following recipient failed permanently:\n\n     a@example.net\n\n' +
      'Technical details of permanent failure:\nDNS Error: Address resolution of example.net. failed: Domain name not found\n',
  );
  assert.deepEqual([nxdomain.reason, nxdomain.hard], ['hostunknown', true]);
  // a warning that says it will retry is only a delay: a host that never answered leaves the message waiting out its
  // time (expired, still a delay), a route that does not exist is a fault of the network
  const warning = (failure: string) =>
    proseNotice(
      'Delivery to the following recipient has been delayed:\n\n     a@example.net\n\n' +
        `Message will be retried for 2 more day(s)\nTechnical details of temporary failure:\n${failure}\n`,
    );
  const timedOut = warning('connect to mx.example.net[192.0.2.1]:25: Connection timed out');
  assert.deepEqual([timedOut.reason, timedOut.action, timedOut.hard], ['expired', 'delayed', false]);
  assert.equal(warning('connect to mx.example.net[192.0.2.1]:25: No route to host').reason, 'networkerror');
});

test('reply codes whose RFC gives them one meaning decide when the words say nothing', () => {
  const cases: Array<[number, string, boolean]> = [
    [521, 'notaccept', true], // RFC 7504: host does not accept mail
    [556, 'notaccept', true], // RFC 7504: domain does not accept mail
    [530, 'securityerror', false], // RFC 4954: authentication required
    [535, 'securityerror', false],
    [555, 'syntaxerror', false], // RFC 5321: parameters not recognised
    [554, 'onhold', false], // "transaction failed": nothing more
  ];
  for (const [code, reason, hard] of cases)
    assert.deepEqual(classifySmtpReply(code, null, `${code} nyaan`), { reason, hard }, String(code));
  // ... and RFC 7504's codes only when the words say what the RFC gives them for, or next to nothing: a receiver that
  // uses 556 for another check, and names it, has not said its domain takes no mail (nothing to suppress)
  assert.deepEqual(classifySmtpReply(556, '5.1.10', '556 5.1.10 Recipient address has null MX'), {
    reason: 'notaccept',
    hard: true,
  });
  assert.equal(classifySmtpReply(521, null, '521 5.3.2 mx.example.net does not accept mail').reason, 'notaccept');
  assert.deepEqual(classifySmtpReply(556, null, '556 remote ip check error.'), { reason: 'onhold', hard: false });
  assert.deepEqual(classifySmtpReply(556, null, '556 The number of RCPTs is over size'), {
    reason: 'toomanyconn',
    hard: false,
  });
});

test('a refusal to relay is `norelaying` in each MTA wording, never the word inside a host name', () => {
  const cases: Array<[number, string | null, string, string]> = [
    // Postfix (reject_unauth_destination)
    [554, '5.7.1', '554 5.7.1 <a@example.net>: Relay access denied', 'norelaying'],
    // Sendmail (cf/README, check_rcpt)
    [550, '5.7.1', '550 5.7.1 <a@example.net>... Relaying denied', 'norelaying'],
    // Exim (the default configuration's ACL)
    [550, null, '550 relay not permitted', 'norelaying'],
    // the same refusal with another verb or word order
    [554, '5.7.1', '554 5.7.1 Relaying rejected', 'norelaying'],
    [550, null, '550 Relay refused for a@example.net', 'norelaying'],
    // a host named "relay" refusing for another cause
    [
      550,
      '5.1.1',
      'host relay.example.net[192.0.2.1] said: 550 5.1.1 <a@example.net>: Recipient address rejected: User unknown',
      'userunknown',
    ],
    [550, '5.7.1', '550 5.7.1 Message from smtp-relay rejected as spam', 'spamdetected'],
  ];
  for (const [code, status, reply, reason] of cases)
    assert.equal(classifySmtpReply(code, status, reply).reason, reason, reply);
});

test('a link to a block list lookup that names the sending IP is `blocked`, and never suppresses', () => {
  // Proofpoint, Cloudmark and Spamhaus point the sender at the listing of its IP ("?ip=" in the lookup link)
  const replies: Array<[number, string, string]> = [
    [554, '5.7.1', '554 5.7.1 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.1'],
    [550, '5.7.1', '550 5.7.1 see https://csi.cloudmark.com/reset-request/?ip=192.0.2.1'],
    // the link alone under an address code (x.1.3): the link names the host, not the mailbox
    [553, '5.1.3', '553 5.1.3 https://ipcheck.proofpoint.com/?ip=192.0.2.1'],
  ];
  for (const [code, status, reply] of replies)
    assert.deepEqual(classifySmtpReply(code, status, reply), { reason: 'blocked', hard: false }, reply);
  // a receiver that puts the sending IP into the link of every error it explains (1&1): the words name the cause
  assert.equal(
    classifySmtpReply(
      552,
      null,
      'Mail size limit exceeded. For explanation visit http://postmaster.1and1.com/en/error-messages?ip=192.0.2.1',
    ).reason,
    'mesgtoobig',
  );
  // a help link with another query says nothing about the host
  assert.deepEqual(classifySmtpReply(550, '5.1.1', '550 5.1.1 unknown user, see https://help.example.net/?topic=1'), {
    reason: 'userunknown',
    hard: true,
  });
});

test('the name of the security gateway that signs a notice is not a security cause', () => {
  // Trend Micro "InterScan Messaging Security Suite", Symantec "Email Security.cloud", Cisco "Email Security
  // Appliance": product names, not reasons
  for (const reply of [
    '550 Message from InterScan Messaging Security Suite: message refused',
    '554 Email Security.cloud: transaction failed',
    '554 Rejected by the Email Security Appliance',
  ])
    assert.notEqual(classifySmtpReply(554, null, reply).reason, 'securityerror', reply);
  // a refusal that names security as its cause still is one
  assert.equal(classifySmtpReply(554, null, '554 Rejected for security reasons').reason, 'securityerror');
});

test('a refusal of the HELO name is about the sending host and never suppresses the recipient', () => {
  // Postfix reject_unknown_helo_hostname and reject_non_fqdn_helo_hostname
  const cases: Array<[number, string, string]> = [
    [550, '5.7.1', '550 5.7.1 <mx.example.org>: Helo command rejected: Host not found'],
    [450, '4.7.1', '450 4.7.1 <mx.example.org>: Helo command rejected: Host not found'],
    [504, '5.5.2', '504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname'],
  ];
  for (const [code, status, reply] of cases)
    assert.deepEqual(classifySmtpReply(code, status, reply), { reason: 'blocked', hard: false }, reply);
});

test('the sender refused in each MTA wording is `rejected`, never a dead recipient', () => {
  const cases: Array<[number | null, string | null, string]> = [
    // Sendmail: an unqualified MAIL FROM
    [553, '5.5.4', '553 5.5.4 <nyaan>... Domain name required for sender address nyaan'],
    // qmail-remote: the remote server refused MAIL FROM
    [null, null, 'Connected to 192.0.2.1 but sender was rejected.'],
    // the envelope sender's domain or the header From's domain, in other words than "sender domain"
    [550, '5.7.1', '550 5.7.1 Sending domain does not exist'],
    [550, '5.7.1', '550 5.7.1 From: header domain does not exist'],
  ];
  for (const [code, status, reply] of cases)
    assert.deepEqual(classifySmtpReply(code, status, reply), { reason: 'rejected', hard: false }, reply);
});

test('queue lifetime notices of Sendmail and Exim are `expired`', () => {
  for (const text of [
    'Cannot send message for 5 days', // Sendmail, Timeout.queuereturn
    'retry time not reached for any host after a long failure period', // Exim, past the retry cutoff
  ])
    assert.deepEqual(classifySmtpReply(null, null, text), { reason: 'expired', hard: false }, text);
});

test('header fields RFC 5322 requires, reported missing, are `notcompliantrfc` unless a content code says content', () => {
  // Gmail ("SMTP errors and codes"): the message lacks a field RFC 5322 3.6 asks for
  for (const reply of [
    '550 5.7.1 Messages missing a valid Message-ID header are not accepted.',
    '550 5.7.1 Messages missing a valid address in From: header, or having no From: header, are not accepted.',
  ])
    assert.equal(classifySmtpReply(550, '5.7.1', reply).reason, 'notcompliantrfc', reply);
  // RFC 5321 2.3.8: a line ends in CRLF; a lone LF or CR is refused; under a content code (RFC 3463 x.6), as the
  // code reads it
  assert.equal(classifySmtpReply(550, null, '550 Message contains bare LF').reason, 'notcompliantrfc');
  const bareLf = '550 5.6.11 SMTPSEND.BareLinefeedsAreIllegal; message contains bare linefeeds';
  assert.equal(classifySmtpReply(550, '5.6.11', bareLf).reason, 'contenterror');
});

test('connection and message rate limits in Sendmail and Postfix words', () => {
  assert.equal(classifySmtpReply(421, '4.3.2', '421 4.3.2 Too many open connections').reason, 'toomanyconn');
  // the same limit said as a count reached rather than "too many" (read by its words, not x.3.2's "not accepting")
  for (const reply of [
    '421 4.3.2 The maximum number of concurrent connections has been exceeded',
    '421 Number of simultaneous connections exceeded',
    '421 You have exceeded the allowed number of connections from your IP',
    '421 Connection count limit exceeded for your IP',
    '421 Maximum concurrent connections from your IP reached',
    // ... or as a limit of its own (HENNGE Email DLP's relay: "per sender")
    '450 Peak concurrent SMTP relay limit per sender exceeded.',
  ])
    assert.equal(classifySmtpReply(421, null, reply).reason, 'toomanyconn', reply);
  // Postfix smtpd_client_message_rate_limit
  assert.equal(classifySmtpReply(450, '4.7.1', '450 4.7.1 Error: too much mail from 192.0.2.1').reason, 'speeding');
});

test('Gmail\'s "Address not found" names the domain that could not be found: the domain, not the mailbox', () => {
  const report = classifyBounce({
    headers: [
      h('from', 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>'),
      h('subject', 'Delivery Status Notification (Failure)'),
      h('x-failed-recipients', 'a@nonexistent.example'),
    ],
    parts: [
      {
        type: 'text/plain',
        headers: [],
        text:
          "** Address not found **\n\nYour message wasn't delivered to a@nonexistent.example because the domain " +
          "nonexistent.example couldn't be found. Check for typos or unnecessary spaces and try again.\n",
      },
    ],
  });
  assert.deepEqual(
    report.recipients.map((r) => [r.recipient, r.reason, r.hard]),
    [['a@nonexistent.example', 'hostunknown', true]],
  );
});

test('a refused recipient under x.1.1 is an unknown address, whatever filter its words suggest (RFC 3463)', () => {
  // "bad destination mailbox address" says why the recipient was refused; "Recipient rejected" alone would be the
  // recipient's own filter
  assert.deepEqual(classifySmtpReply(550, '5.1.1', '550 5.1.1 Recipient rejected'), {
    reason: 'userunknown',
    hard: true,
  });
  assert.deepEqual(classifySmtpReply(550, '5.1.10', '550 5.1.10 Recipient rejected'), {
    reason: 'userunknown',
    hard: true,
  });
  // without the code, the words decide
  assert.deepEqual(classifySmtpReply(550, null, '550 Recipient rejected'), { reason: 'filtered', hard: false });
  assert.deepEqual(classifySmtpReply(550, '5.7.1', '550 5.7.1 Recipient rejected'), {
    reason: 'filtered',
    hard: false,
  });
});

test("Gmail's unknown recipient domain, and greylisting, read the same with or without their enhanced codes", () => {
  // Microsoft's NDR prose for the same mistake
  assert.equal(
    classifySmtpReply(null, null, 'The domain name in the e-mail address is incorrect.', null).reason,
    'hostunknown',
  );
  // Gmail's 553 5.1.2: the domain, not a mailbox, does not exist; hard either way
  for (const status of ['5.1.2', null]) {
    const r = classifySmtpReply(
      553,
      status,
      "We weren't able to find the recipient domain. Please check for any spelling errors.",
    );
    assert.deepEqual([r.reason, r.hard], ['hostunknown', true], String(status));
  }
  // greylisting (RFC 6647) holds the sending host back until it retries: not a fault of the receiving system
  for (const [code, status, text] of [
    [451, '4.7.1', 'Greylisted, please try again later'],
    [450, '4.2.0', 'Greylisted, see http://postgrey.schweikert.ch/help/example.com.html'],
    [451, null, 'Greylisting in action, please come back later'],
  ] as const) {
    const r = classifySmtpReply(code, status, text);
    assert.deepEqual([r.reason, r.hard], ['blocked', false], text);
  }
});

test('a delay notice that names no cause is about the time the message has waited: expired, and still a delay', () => {
  const delayed = classifyBounce(
    dsn(
      'Final-Recipient: rfc822; a@example.net\nAction: delayed\nStatus: 4.0.0\n',
      'Delivery to the following recipient has been delayed: a@example.net',
    ),
  ).recipients[0]!;
  assert.deepEqual([delayed.reason, delayed.hard, delayed.action], ['expired', false, 'delayed']);
  // a delay that names its cause keeps it; a failure that names nothing is still on hold
  const full = classifyBounce(
    dsn(
      'Final-Recipient: rfc822; a@example.net\nAction: delayed\nStatus: 4.2.2\nDiagnostic-Code: smtp; 452 4.2.2 Mailbox full\n',
    ),
  ).recipients[0]!;
  assert.equal(full.reason, 'mailboxfull');
  const failed = classifyBounce(dsn('Final-Recipient: rfc822; a@example.net\nAction: failed\nStatus: 5.0.0\n'))
    .recipients[0]!;
  assert.equal(failed.reason, 'onhold');
});

test('a delay reads expired unless its words or its code name a fault of the route to the destination', () => {
  const delay = (status: string, diagnostic: string) =>
    classifyBounce(
      dsn(
        `Final-Recipient: rfc822; a@example.net\nAction: delayed\nStatus: ${status}\nDiagnostic-Code: ${diagnostic}\n`,
      ),
    ).recipients[0]!;
  // the destination was there but did not take the connection yet (Sendmail's "Deferred: Connection refused by",
  // Go's "connect: connection refused", CommuniGate's "connection ... is broken"): the message waits out its time
  for (const [status, diagnostic] of [
    ['4.4.1', 'X-Postfix; connect to mx.example.net[192.0.2.1]:25: Connection refused'],
    ['4.0.0', 'smtp; dialing smtp server: dial tcp 192.0.2.10:25: connect: connection refused'],
    ['4.0.0', 'smtp; connection with mx.example.net is broken'],
  ]) {
    const r = delay(status!, diagnostic!);
    assert.deepEqual([r.reason, r.hard, r.action], ['expired', false, 'delayed'], diagnostic);
  }
  // a route that does not exist, a name that does not resolve, a loop, or a code that names a bad connection
  for (const [status, diagnostic] of [
    ['4.4.1', 'X-Postfix; connect to mx.example.net[192.0.2.1]:25: No route to host'],
    ['4.4.3', 'X-Postfix; Name service error for name=example.net type=MX: Host not found, try again'],
    ['4.4.6', 'smtp; mail forwarding loop for a@example.net'],
    ['4.4.2', 'smtp; 451 a@example.net... reply: read error from mx.example.net.'],
  ]) {
    const r = delay(status!, diagnostic!);
    assert.deepEqual([r.reason, r.hard, r.action], ['networkerror', false, 'delayed'], diagnostic);
  }
});

test("a relay's limit on the sender's own volume is a rate limit, not a full mailbox or a suspended one", () => {
  // Google Workspace's SMTP relay errors
  for (const [code, status, text] of [
    [550, '5.4.5', 'Daily sending quota exceeded'],
    [450, '4.2.1', 'Peak SMTP relay limit exceeded for customer'],
    [550, '5.4.5', 'Daily SMTP relay limit exceeded for user'],
  ] as const)
    assert.deepEqual(classifySmtpReply(code, status, text), { reason: 'speeding', hard: false }, text);
  // recipients counted over a time are a rate; too many for one transaction is RFC 3463's x.5.3
  assert.equal(classifySmtpReply(550, null, 'Too many recipients per hour').reason, 'speeding');
  assert.equal(classifySmtpReply(452, null, 'Error: too many recipients').reason, 'toomanyconn');
  // throttling is a rate limit, whoever does it (Mimecast, Amazon SES's own sending quota)
  assert.equal(classifySmtpReply(451, null, 'Message is being throttled, please try again later').reason, 'speeding');
  assert.equal(classifySmtpReply(550, null, 'Throttling failure: Daily message quota exceeded').reason, 'speeding');
  assert.equal(classifySmtpReply(552, null, 'Quota exceeded').reason, 'mailboxfull');
  // and "temporary system problem" is the receiver's own
  assert.equal(classifySmtpReply(421, '4.7.0', 'Temporary System Problem. Try again later.').reason, 'systemerror');
});

test('words that sound like a dead address but are not: a person not accepting mail, a mailbox unavailable or denied', () => {
  const cases: Array<[string, string, boolean]> = [
    ['550 This user is not accepting any mail', 'filtered', false],
    // the recipient's own setting, not a host that takes no mail
    ['550 The recipient is not accepting mail with attachments or embedded images', 'filtered', false],
    ['550 Mailbox unavailable or access denied', 'suspend', false],
    // the sender on the recipient's own block list: the address is alive ("blocked" is no closed account here)
    ["550 The sender's address is on the recipient's blocked senders list", 'filtered', false],
    // and the ones that are: a host taking no mail, a replaced address, a recipient domain that must exist
    ['550 example.org is not accepting any mail', 'notaccept', true],
    ['550 a@example.org has been replaced by b@example.org', 'hasmoved', true],
    ['550 Recipient domain must exist', 'hostunknown', true],
    ['553 Domain must exist', 'hostunknown', true],
  ];
  for (const [reply, reason, hard] of cases) {
    const r = classifySmtpReply(550, null, reply.slice(4));
    assert.deepEqual([r.reason, r.hard], [reason, hard], reply);
  }
});

test("MTAs' own failure strings, as their sources write them, read as what they report", () => {
  const cases: Array<[string, string, boolean]> = [
    // Exim: transports/smtp.c, route.c (no router could route it: RFC 3463 x.4.4), parser.c
    ['all host address lookups failed permanently', 'hostunknown', true],
    ['550 Unrouteable address', 'hostunknown', true],
    ['malformed address: <a may not follow a@example.org', 'syntaxerror', false],
    ['domain missing in source-routed address', 'syntaxerror', false],
    // OpenSMTPD: smtpd/mta.c
    ['Destination seem to reject all mails', 'notaccept', true],
    // ... its verdict on the recipient's domain and its relay loop, each the whole diagnostic after the address
    ['Invalid domain name', 'hostunknown', true],
    ['a@example..jp: Invalid domain name', 'hostunknown', true],
    ['a@example.jp: Loop detected', 'networkerror', false],
    // DragonFly's dma: a lookup that found no such host
    ['DNS lookup failure: host example.jp not found', 'hostunknown', true],
    ['No valid route to remote MX', 'networkerror', false],
    ['Address family mismatch on destination MXs', 'networkerror', false],
    // Courier (module.esmtp/esmtpclient.c): a lookup that did not complete is no missing domain, one that says so is
    ['DNS lookup failed.', 'networkerror', false],
    ['DNS lookup failed: NXDOMAIN', 'hostunknown', true],
    // Exchange: the destination's MX is the sender itself (DNS records that give no usable route, not a missing
    // domain); an address that matches several mailboxes (x.1.4 in words)
    ['554 5.4.4 SMTPSEND.DNS.MxLoopback; DNS config error', 'networkerror', false],
    ['MSEXCH:IMS:Example:Site:SERVER 0 (000C0595) Ambiguous Recipient', 'filtered', false],
    // RFC 5321's texts for 502-504 (and in other words), read without their codes
    ['Improper sequence of commands', 'syntaxerror', false],
    ['553 Requested action not taken: mailbox name not allowed', 'userunknown', true],
    ['Command parameter not implemented', 'syntaxerror', false],
    // Microsoft's directory verdict and its NDR prose, written without an apostrophe
    ['RESOLVER.ADR.RecipNotFound; not found', 'userunknown', true],
    ['The email address wasnt found at the destination domain.', 'userunknown', true],
    // a qmail patch's full disk: the host out of space, not a missing mailbox nor a full one; the mailbox's own space
    ['Requested action not taken: mailbox unavailable (not enough free space)', 'systemfull', false],
    ['Not enough storage space in the mailbox', 'mailboxfull', false],
    // Gmail's older permanent failures name what the lookup found (NXDOMAIN, NODATA); its lookups that did not
    // complete stay network errors
    ['DNS Error: Domain name not found', 'hostunknown', true],
    ['DNS Error: DNS server returned answer with no data', 'hostunknown', true],
    ["DNS Error: 80335577 DNS type 'mx' lookup of example.jp responded with code NXDOMAIN", 'networkerror', false],
  ];
  for (const [text, reason, hard] of cases) {
    const r = classifySmtpReply(null, '5.0.0', text);
    assert.deepEqual([r.reason, r.hard], [reason, hard], text);
  }
  // ... whatever the lookup answered, when the reply itself is temporary: the sender still retries
  for (const [text, reason, hard] of [
    ["451 4.4.3 DNS Error: DNS type 'mx' lookup of example.jp had no relevant answers.", 'networkerror', false],
    ["451 4.4.3 DNS Error: DNS type 'mx' lookup of example.jp responded with code NXDOMAIN", 'networkerror', false],
    ['550 5.1.2 DNS Error: Domain name not found', 'hostunknown', true],
    // a lookup that found no such domain, under the permanent "bad destination system address"
    [
      "550 5.1.2 DNS Error: DNS type 'mx' lookup of example.jp responded with code NXDOMAIN Domain name not found: example.jp",
      'hostunknown',
      true,
    ],
  ] as const) {
    const r = classifySmtpReply(null, null, text);
    assert.deepEqual([r.reason, r.hard], [reason, hard], text);
  }
});

test('a session that could not be secured or authenticated is no verdict on the sender, whatever step it stopped at', () => {
  // Postfix quotes the step: a TLS requirement met at MAIL FROM is about the session, not the sender
  assert.equal(
    classifySmtpReply(530, '5.7.0', '530 5.7.0 Must issue a STARTTLS command first', 'MAIL').reason,
    'securityerror',
  );
  // ... where a plain 5.7.x refusal at MAIL FROM is the sender's
  assert.equal(classifySmtpReply(550, '5.7.1', '550 5.7.1 Access denied', 'MAIL').reason, 'rejected');
  // RFC 4954's x.7.8: the sending side's login, whatever words ("authentication failed") come with it
  assert.equal(
    classifySmtpReply(535, '5.7.8', '535 5.7.8 Authentication failed: Invalid user name or password').reason,
    'securityerror',
  );
  // the other side lacks what the sender requires (RFC 3463 x.3.3), or takes no authenticated relaying (Gmail's state
  // 6 and 12)
  assert.equal(classifySmtpReply(500, null, '500 Remote server does not support TLS (state 6).').reason, 'systemerror');
  assert.equal(
    classifySmtpReply(500, null, '500 Remote server does not support SMTP Authenticated Relay (state 12).').reason,
    'norelaying',
  );
});

test("a Diagnostic-Code that is only a reply code leaves the notice's own lines to say what the reply was", () => {
  const r = classifyBounce(
    dsn(
      'Final-Recipient: rfc822; a@example.jp\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; 550\n',
      "** Address not found **\n\nYour message wasn't delivered to a@example.jp.\n\n" +
        'The response from the remote server was:\n550 #5.1.0 Address rejected.\n',
    ),
  ).recipients[0]!;
  assert.deepEqual([r.reason, r.replycode], ['userunknown', '550']);
  assert.match(r.diagnostic, /Address rejected/);
});

test('with no SMTP reply, only the words of a directory lookup make an unknown user; a bare "User unknown" is filtered', () => {
  const notice = (text: string) =>
    reported(
      textNotice(`Unable to deliver message to the following address(es).\n\n${text}\n`, {
        from: 'MAILER-DAEMON@mx.example.org',
        subject: 'Returned Mail: Error',
      }),
      'reason',
      'hard',
    );
  // no step, no code: said after DATA as well as at RCPT TO, the recipient's side refusing (as Sisimai reads it)
  assert.deepEqual(notice('<a@example.jp>:\nUser unknown'), [['filtered', false]]);
  // a notice's own words that name the address are no SMTP reply to RCPT TO
  assert.deepEqual(notice("<a@example.jp>:\nThis user doesn't have a example.jp account (a@example.jp) [-9]"), [
    ['filtered', false],
  ]);
  // ... where a reply with its code that echoes the address answered RCPT TO
  assert.deepEqual(notice('<a@example.jp>:\n550 <a@example.jp>: User unknown'), [['userunknown', true]]);
  // the system's own directory said so
  assert.deepEqual(notice('<a@example.jp>:\nUser a (a@example.jp) not listed in Domino Directory'), [
    ['userunknown', true],
  ]);
});

test('a reply code is read where a report writes it: a reply opening with stars, a Status field holding the reply', () => {
  assert.deepEqual(
    reported(
      dsn(
        'Final-Recipient: rfc822; a@dest.test\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; 550 ** No mail box available for this user **\n',
      ),
      'replycode',
    ),
    [['550']],
  );
  assert.deepEqual(
    reported(
      dsn('Final-Recipient: rfc822; a@dest.test\nAction: failure\nStatus: 553 Exceeded maximum inbound message size\n'),
      'replycode',
      'reason',
    ),
    [['553', 'mesgtoobig']],
  );
});

test('a reply code after "said:" needs no reply text of a known shape after it (RFC 5321 4.2: any text)', () => {
  const postfix = (reply: string) =>
    reported(
      textNotice(`<judy@example.com>: host mx.example.com[192.0.2.50] said: ${reply}\n`, {
        subject: 'Undelivered Mail Returned to Sender',
      }),
      'replycode',
    );
  assert.deepEqual(postfix('552 1 Requested mail action aborted, mailbox not found (in reply to RCPT TO command)'), [
    ['552'],
  ]);
  assert.deepEqual(postfix('554 30\n    Sorry, your message cannot be delivered. This mailbox is disabled (554.30).'), [
    ['554'],
  ]);
});
