// Unit tests for the general rules that raised the corpus accuracy: each test builds a small synthetic bounce in
// the wording of the MTA family named, not a copy of a corpus file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyBounce } from '../../../src/domain/bounces/classify-bounce.js';
import type { BounceMessage } from '../../../src/domain/bounces/bounce-message.js';
import { classifyFailure } from '../../../src/domain/bounces/classify-smtp-reply.js';
import { reasonForText } from '../../../src/domain/bounces/diagnostic-patterns.js';
import { parseDsnFields } from '../../../src/domain/bounces/dsn-fields.js';
import { dsn, h, qmailOpening, textNotice } from './synthetic-dsn.js';

function prose(text: string, to = 'user@dest.example'): BounceMessage {
  return {
    headers: [
      h('from', 'MAILER-DAEMON@mx.example'),
      h('subject', 'Undeliverable mail'),
      h('content-type', 'multipart/mixed'),
    ],
    parts: [
      { type: 'text/plain', headers: [], text },
      {
        type: 'message/rfc822',
        headers: [],
        text: '',
        attachedHeaders: [h('from', 'sender@origin.example'), h('to', to)],
      },
    ],
  };
}

const first = (msg: BounceMessage) => {
  const r = classifyBounce(msg).recipients[0]!;
  return { recipient: r.recipient, status: r.status, replycode: r.replycode, reason: r.reason, hard: r.hard };
};

test('a connection failure reported as final (Action: failed, Status 4.4.1/4.4.2) is an expired queue', () => {
  // Postfix at the end of maximal_queue_lifetime keeps the last transient status of the connection attempts
  const r = first(
    dsn(
      'Final-Recipient: rfc822; a@example.jp\nAction: failed\nStatus: 4.4.1\nDiagnostic-Code: X-Postfix; connect to example.jp[192.0.2.1]:25: Connection timed out\n',
    ),
  );
  assert.deepEqual(r, { recipient: 'a@example.jp', status: '4.4.1', replycode: '', reason: 'expired', hard: false });
  // ... but a route that does not exist is the cause the queue gave up on, not its time running out
  assert.equal(
    first(
      dsn(
        'Final-Recipient: rfc822; a@example.jp\nAction: failed\nStatus: 4.4.1\nDiagnostic-Code: X-Postfix; connect to example.jp[192.0.2.1]:25: No route to host\n',
      ),
    ).reason,
    'networkerror',
  );
  // in a delay warning, a route that does not exist is only a network error (a host that never answered leaves the
  // message waiting out its time: expired, and still a delay)
  assert.equal(
    first(
      dsn(
        'Final-Recipient: rfc822; a@example.jp\nAction: delayed\nStatus: 4.4.1\nDiagnostic-Code: X-Postfix; connect to example.jp[192.0.2.1]:25: No route to host\n',
      ),
    ).reason,
    'networkerror',
  );
  // a DNS failure reported as final stays a network error (Google's "DNS Error: ..." under Status 4.0.0)
  assert.equal(
    first(
      dsn(
        "Final-Recipient: rfc822; a@example.jp\nAction: failed\nStatus: 4.0.0\nDiagnostic-Code: smtp; DNS Error: 1234 DNS type 'mx' lookup of example.jp responded with code SERVFAIL\n",
      ),
    ).reason,
    'networkerror',
  );
});

test('a notice that states how long delivery was tried makes the per-recipient network error an expiry', () => {
  assert.equal(reasonForText('Your message was not delivered within 2 days and 1 hours.'), 'expired');
  assert.equal(reasonForText('Delivery to the following recipients was aborted after 5.0 hour(s):'), 'expired');
  assert.notEqual(reasonForText('Delivery to the following recipients was aborted after 0 second(s):'), 'expired');
  const r = first(
    prose(
      'Your message was not delivered within 0 days and 4 hours.\nRemote host is not responding.\n\nThe following recipients did not receive this message:\n\n<user@dest.example>\n',
    ),
  );
  assert.equal(r.reason, 'expired');
});

test('a final notice whose only reply was a labelled 4xx code is an expiry; a warning that retries is not', () => {
  // Zoho-style "ERROR_CODE :421" is read as the reply code
  const final = first(
    prose(
      'A message that you sent could not be delivered. This is a permanent error.\n\nuser@dest.example Error, ERROR_CODE :421, Host not reachable.\n',
    ),
  );
  assert.equal(final.replycode, '421');
  assert.equal(final.status, '4.0.0');
  assert.equal(final.reason, 'expired');
  const warning = first(
    prose(
      'THIS IS A WARNING MESSAGE ONLY.\n[Status: Error, Address: <user@dest.example>, ResponseCode 421, , Host not reachable.]\nMessage will be retried for 4 more day(s)\n',
    ),
  );
  assert.equal(warning.replycode, '421');
  // (a host not reachable names no fault of the route: the message has waited, and waits on)
  assert.deepEqual([warning.reason, warning.hard], ['expired', false]);
  // a label folded over two lines still labels the code
  const folded = first(
    prose(
      'Delivery has failed.\n\n<user@dest.example>: Requested action not\n    taken: mailbox unavailable. [SMTP Error\n    Code 550]\n',
    ),
  );
  assert.equal(folded.replycode, '550');
});

test('"Action: expired" (SendGrid) over a transient last reply is an expired queue, whatever that reply was', () => {
  const expiredWith = (status: string, reply: string) =>
    first(
      dsn(
        `Final-Recipient: rfc822; a@example.jp\nAction: expired\nStatus: ${status}\nDiagnostic-Code: smtp; ${reply}\n`,
      ),
    ).reason;
  assert.equal(expiredWith('4.0.0', '421 Service not available, closing transmission channel'), 'expired');
  assert.equal(expiredWith('4.2.1', '450 4.2.1 Mailbox temporarily unavailable'), 'expired');
  // a permanent refusal keeps its own reason
  assert.equal(expiredWith('5.1.1', '550 5.1.1 User unknown'), 'userunknown');
});

test("Google's 'DNS Error' quoted in a notice's prose is the same network error as in its report fields", () => {
  const r = first(
    prose(
      "** Message not delivered **\n\nThere was a problem delivering your message to user@dest.example. See the technical details below.\n\nThe response was:\n\nDNS Error: 7221 DNS type 'mx' lookup of dest.example had no relevant answers.\n",
    ),
  );
  assert.deepEqual([r.reason, r.hard], ['networkerror', false]);
});

test('Diagnostic-Code type X-Unix is a local delivery program failure (mailererror)', () => {
  const fields = parseDsnFields(
    'Final-Recipient: rfc822; a@example.jp\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: x-unix; procmail: Couldn\'t create "/var/mail/a"\n',
  );
  assert.equal(fields[0]!.diagnosticType, 'x-unix');
  assert.equal(
    first(
      dsn(
        'Final-Recipient: rfc822; a@example.jp\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: x-unix; procmail: No such user\n',
      ),
    ).reason,
    'mailererror',
  );
  // Sendmail writes only the sysexits code
  assert.equal(
    first(dsn('Final-Recipient: rfc822; a@example.jp\nAction: delayed\nStatus: 4.5.0\nDiagnostic-Code: X-Unix; 71\n'))
      .reason,
    'mailererror',
  );
  // unless the Status puts the fault in the mail system (RFC 3463 x.3: EX_NOPERM reported as 5.3.0)
  assert.equal(
    first(dsn('Final-Recipient: rfc822; a@example.jp\nAction: failed\nStatus: 5.3.0\nDiagnostic-Code: X-Unix; 77\n'))
      .reason,
    'systemerror',
  );
  // or the program's words name a cause of the mailbox or the system, under any Status but a named x.3 one
  for (const [status, said] of [
    ['5.7.0', 'The recipient mailbox has exceeded its disk space limit.'],
    ['4.3.0', 'Quota exceeded for user ivy'],
  ])
    assert.equal(
      first(
        dsn(
          `Final-Recipient: rfc822; a@example.jp\nAction: failed\nStatus: ${status}\nDiagnostic-Code: X-Unix; ${said}\n`,
        ),
      ).reason,
      'mailboxfull',
      said,
    );
});

test("a local delivery agent's own message says what happened to the mailbox; its other failures stay its own", () => {
  const xUnix = (status: string, said: string) =>
    first(
      dsn(
        `Final-Recipient: rfc822; a@example.jp\nAction: failed\nStatus: ${status}\nDiagnostic-Code: x-unix; ${said}\n`,
      ),
    );
  // Postfix's pipe(8) quotes the agent; the exit status alone would say only that the program failed
  const full = xUnix('5.3.0', 'maildrop: maildir over quota.');
  assert.equal(full.reason, 'mailboxfull');
  assert.equal(full.hard, false);
  assert.equal(xUnix('5.2.2', 'procmail: Quota exceeded while writing "/var/mail/a"').reason, 'mailboxfull');
  assert.equal(xUnix('4.3.0', 'procmail: No space left to finish writing "/var/mail/a"').reason, 'systemfull');
  const unknown = xUnix('5.3.0', 'maildrop: Invalid user specified.');
  assert.equal(unknown.reason, 'userunknown');
  assert.equal(unknown.hard, true);
  // a message the agent does not define is its own failure, as before
  assert.equal(xUnix('5.1.1', 'procmail: Couldn\'t create "/var/mail/a" id: No such user').reason, 'mailererror');
  // the same words without the agent's name are not its message
  assert.equal(xUnix('5.3.0', 'Invalid user specified.').reason, 'systemerror');
  // qmail states the agent's message as the whole failure
  const qmail = (said: string) =>
    first(prose(`${qmailOpening('mx.example.jp')}<user@dest.example>:\n${said}\n`)).reason;
  assert.equal(qmail("vdeliver: Invalid or unknown virtual user 'user'"), 'userunknown');
  assert.equal(qmail('vdeliver: Delivery failed due to system quota violation'), 'mailboxfull');
  assert.equal(qmail('vdelivermail: user is over quota'), 'mailboxfull');
  // Postfix's local(8) prose names the command before quoting it
  assert.equal(
    first(
      prose(
        '<user@dest.example>: Command died with status 1: "maildrop". Command output:\n    maildrop: Cannot find system user\n',
      ),
    ).reason,
    'userunknown',
  );
});

test('a domain that names no mail exchanger does not accept mail (notaccept); a missing domain stays hostunknown', () => {
  assert.equal(reasonForText("Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)"), 'notaccept');
  assert.equal(reasonForText('No MX found for domain'), 'notaccept');
  assert.equal(reasonForText('No mx record found for domain=example.org'), 'notaccept');
  assert.equal(
    reasonForText('Host or domain name not found. Name service error for name=example.org type=A: Host not found'),
    'hostunknown',
  );
});

test("the remote reply's own enhanced code refines a DSN Status of the same class", () => {
  const r = first(
    dsn(
      'Final-Recipient: rfc822; a@example.net\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 552 5.2.2 Over quota\n',
    ),
  );
  assert.equal(r.status, '5.2.2');
  assert.equal(r.reason, 'mailboxfull');
  // a reply of another class does not override the Status
  assert.equal(
    first(
      dsn(
        'Final-Recipient: rfc822; a@example.net\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 450 4.2.2 Over quota\n',
      ),
    ).status,
    '5.1.1',
  );
});

test('one reply stated for the whole notice gives the status of a recipient listed without one', () => {
  const r = first(
    prose(
      'Your message could not be delivered because of\n\n550 5.1.1 User unknown\n\nThe following recipients were affected:\n    user@dest.example\n',
    ),
  );
  assert.equal(r.status, '5.1.1');
  assert.equal(r.replycode, '550');
  assert.equal(r.reason, 'userunknown');
});

test('text rules: "not listed" is not a blocklist; advice to check the address; "currently unavailable"; unverifiable IPs', () => {
  // Lotus Notes
  assert.equal(reasonForText('User not listed in public Name & Address Book'), 'userunknown');
  assert.equal(reasonForText('Your IP 192.0.2.1 is listed in zen.example'), 'blocked');
  // Trend Micro InterScan
  assert.equal(
    reasonForText('Unable to deliver message to <a@example.jp>. Please check if address is correct.'),
    'userunknown',
  );
  assert.equal(reasonForText('554 Service currently unavailable'), 'systemerror');
  assert.equal(reasonForText('Host not reachable'), 'networkerror');
  assert.equal(
    reasonForText('450 service permits 2 unverifyable sending IPs - example.com is not 192.0.2.1'),
    'requireptr',
  );
});

test('"user unknown" with no SMTP reply at all is the address itself, not a later filter', () => {
  // Exchange 2003 / InterScan: the gateway's own directory said no, there was no reply code or enhanced status
  assert.equal(
    classifyFailure({ replyCode: null, status: null, text: 'The recipient name is not recognized' }),
    'userunknown',
  );
  // a loosely written reply code ("550: : User unknown") is still an SMTP refusal that may follow acceptance
  assert.equal(
    classifyFailure({ replyCode: null, status: null, text: '<a@example.jp>: 550: : User unknown' }),
    'filtered',
  );
});

test('550 5.5.0 refusals of an unknown recipient (Outlook.com, Orange) answered RCPT TO', () => {
  assert.equal(
    classifyFailure({ replyCode: '550', status: '5.5.0', text: '550 Requested action not taken: mailbox unavailable' }),
    'userunknown',
  );
  assert.equal(
    classifyFailure({ replyCode: '550', status: '5.5.0', text: '550 5.5.0 Invalid recipient' }),
    'userunknown',
  );
  // other codes keep the after-acceptance reading
  assert.equal(classifyFailure({ replyCode: '550', status: '5.0.0', text: '550 : User unknown' }), 'filtered');
});

test('a report field names the address alone, without a trailing comment, a display name or a separator', () => {
  for (const field of [
    'rfc822; a@example.jp (Mail Box)',
    'rfc822; Kijitora <a@example.jp>',
    'RFC822;<a@example.jp>',
    'rfc822; a@example.jp;',
    'rfc822; <a@example.jp>,',
  ])
    assert.equal(first(dsn(`Final-Recipient: ${field}\nAction: failed\nStatus: 5.1.1\n`)).recipient, 'a@example.jp');
});

test("the remote reply a relay quotes gives the codes, in angle brackets or after Amazon SES's own summary", () => {
  const line = (diagnostic: string) =>
    first(
      dsn(
        `Final-Recipient: rfc822; a@example.jp\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; ${diagnostic}\n`,
      ),
    );
  const ses = line("5.1.0 - Unknown address error 550-'5.7.1 <a@example.jp>... Access denied' (delivery attempts: 0)");
  assert.deepEqual([ses.status, ses.replycode], ['5.7.1', '550']);
  const expired = line('554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>');
  assert.deepEqual([expired.status, expired.replycode], ['4.4.2', '421']);
});

test("an expired queue's report takes its status from the last attempt's error when the notice quotes it", () => {
  // Exchange's notice for an expired message: the queue's summary, then the error of its last attempt
  const text =
    'Delivery has failed to these recipients or groups:\n\na@example.jp\n\nDiagnostic information for administrators:\n\n' +
    "a@example.jp\nmx.example.org returned '550 4.4.7 QUEUE.Expired; message expired'\n" +
    "mx.example.org returned '441 4.4.1 Error encountered while communicating with primary target IP address'\n";
  const line = first(
    dsn(
      'Final-Recipient: rfc822; a@example.jp\nAction: failed\nStatus: 4.4.7\nDiagnostic-Code: smtp;550 4.4.7 QUEUE.Expired; message expired\n',
      text,
    ),
  );
  assert.deepEqual([line.status, line.reason, line.hard], ['4.4.1', 'expired', false]);
  // ... also when the notice's lines are folded between the reply's code and its enhanced code
  const folded = first(
    dsn(
      'Final-Recipient: rfc822; a@example.jp\nAction: failed\nStatus: 4.4.7\nDiagnostic-Code: smtp;550 4.4.7 QUEUE.Expired; message expired\n',
      text.replace("returned '441 ", "returned '441\n    "),
    ),
  );
  assert.deepEqual([folded.status, folded.reason, folded.hard], ['4.4.1', 'expired', false]);
});

test('a recipient whose words lead with the queue giving up reads expired, whatever cause the last attempt names', () => {
  const report = (diagnostic: string, text?: string) =>
    first(
      dsn(
        `Final-Recipient: rfc822; a@example.jp\nAction: failed\nStatus: 4.4.7\nDiagnostic-Code: smtp; ${diagnostic}\n`,
        text,
      ),
    );
  // Amazon SES quotes the last attempt's reply after its own expiry: a receiver's throttling of the sending IP
  const ses = report(
    '554 4.4.7 Message expired: unable to deliver in 840 minutes.<451 4.7.651 The mail server [192.0.2.61] has been ' +
      'temporarily rate limited due to IP reputation. (S844) [AM7EUR06FT034.eop-eur06.prod.protection.outlook.com]>',
  );
  assert.deepEqual([ses.status, ses.reason, ses.hard], ['4.7.651', 'expired', false]);
  // Exchange lists the queue's expiry above the attempts, the last of which met a block list
  const exchange = report(
    '550 4.4.7 QUEUE.Expired; message expired',
    'Delivery has failed to these recipients or groups:\n\na@example.jp\n\nDiagnostic information for administrators:\n\n' +
      "a@example.jp\n3/12/2019 11:47:03 AM - Remote Server at mx.example.jp (192.0.2.7) returned '550 4.4.7 " +
      "QUEUE.Expired; message expired'\n3/12/2019 11:39:02 AM - Remote Server at mx.example.jp (192.0.2.7) returned " +
      '\'451 4.4.0 Primary target IP address responded with: "550 [192.0.2.9] is in an RBL on bl.example.net".\'\n',
  );
  assert.deepEqual([exchange.reason, exchange.hard], ['expired', false]);
  // Exchange's own expiry code (5.4.300 "Message expired") over a DNS failure of the sending side's: no missing
  // domain to suppress the address for
  const dns = first(
    textNotice(
      'Delivery has failed to these recipients or groups:\n\na@example.com\n\nDiagnostic information for administrators:' +
        "\n\na@example.com\n1/22/2023 11:33:24 AM - Server at mx.example.org returned '550 5.4.300 Message expired -> " +
        '451 4.4.0 DNS query failed. The error was: SMTPSEND.DNS.NonExistentDomain; nonexistent domain edgesync -> ' +
        "DnsDomainDoesNotExist'\n",
      { subject: 'Undeliverable: hi' },
    ),
  );
  assert.deepEqual([dns.status, dns.reason, dns.hard], ['5.4.300', 'expired', false]);
  // a report whose words are only the last reply (Sendmail's Status 4.4.7 over it) reads that reply's cause
  assert.equal(report('450 4.7.1 Access denied. IP name lookup failed [192.0.2.222]').reason, 'requireptr');
});

test("PowerMTA's own bounce category names the cause a reply leaves open, and never outweighs one it names", () => {
  const report = (diagnostic: string, category: string) =>
    classifyBounce(
      dsn(
        'Final-Recipient: rfc822; a@example.net\nAction: failed\nStatus: 5.0.0 (undefined status)\n' +
          `Diagnostic-Code: smtp; ${diagnostic}\nX-PowerMTA-BounceCategory: ${category}\n`,
      ),
    ).recipients[0]!;
  const open = '554 delivery error: dd Sorry - mta1082.example.net';
  assert.deepEqual([report(open, 'bad-mailbox').reason, report(open, 'bad-mailbox').hard], ['userunknown', true]);
  assert.equal(report(open, 'quota-issues').reason, 'mailboxfull');
  assert.equal(report(open, 'Spam-Related').reason, 'spamdetected');
  // "other" and unknown categories name nothing
  assert.equal(report(open, 'other').reason, 'onhold');
  assert.equal(report(open, 'made-up').reason, 'onhold');
  // the reply's own words come first
  assert.equal(report('552 5.2.2 Mailbox full', 'bad-mailbox').reason, 'mailboxfull');
});
