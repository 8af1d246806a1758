import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyBounce } from '../../../src/domain/bounces/classify-bounce.js';
import type { BounceMessage } from '../../../src/domain/bounces/bounce-message.js';
import { classifySmtpReply } from '../../../src/domain/bounces/classify-smtp-reply.js';
import { normaliseDiagnostic, reasonForText } from '../../../src/domain/bounces/diagnostic-patterns.js';
import { parseDsnFields } from '../../../src/domain/bounces/dsn-fields.js';
import { dsn, h, reported, textNotice } from './synthetic-dsn.js';
import {
  findCommand,
  findEnhancedStatus,
  findReplyCode,
  namedCommand,
} from '../../../src/domain/bounces/smtp-codes.js';

const first = (msg: BounceMessage) => {
  const r = classifyBounce(msg).recipients[0]!;
  return { recipient: r.recipient, status: r.status, replycode: r.replycode, reason: r.reason, hard: r.hard };
};

test('"user unknown" that did not answer RCPT TO is a filter after acceptance', () => {
  // no command stated, no address echoed, no x.1.x code: the refusal came at DATA ("550 : User unknown")
  assert.equal(
    first(
      dsn(
        'Final-Recipient: rfc822; a@example.jp\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; 550 : User unknown\n',
      ),
    ).reason,
    'filtered',
  );
  // the reply echoes the refused address, as replies to RCPT TO do
  assert.equal(
    first(
      dsn(
        'Final-Recipient: rfc822; a@example.jp\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; 550 <a@example.jp>: User unknown\n',
      ),
    ).reason,
    'userunknown',
  );
  // the code itself says the address is bad
  assert.equal(
    first(
      dsn(
        'Final-Recipient: rfc822; a@example.jp\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 User unknown\n',
      ),
    ).reason,
    'userunknown',
  );
  // x.2.1 "mailbox not accepting messages" under a "User Unknown" text, even with the address echoed
  assert.equal(
    first(
      dsn(
        'Final-Recipient: rfc822; a@example.jp\nAction: failed\nStatus: 5.2.1\nDiagnostic-Code: smtp; 550 5.2.1 <a@example.jp>... User Unknown\n',
      ),
    ).reason,
    'filtered',
  );
  // a stated RCPT keeps it a user problem; a disabled account at DATA stays suspended
  assert.equal(classifySmtpReply(550, '5.7.1', 'User unknown', 'RCPT').reason, 'userunknown');
  assert.equal(
    classifySmtpReply(550, '5.2.1', 'The email account that you tried to reach is disabled', 'DATA').reason,
    'suspend',
  );
  assert.equal(findCommand('SMTP:RCPT host 192.0.2.8: 553 5.3.0 No such user here'), 'RCPT');
  assert.equal(findCommand('SMTP command DATA'), 'DATA');
});

test('a quoted inner reply gives the status and reply code', () => {
  const r = first(
    dsn(
      'Final-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 4.4.7\nDiagnostic-Code: smtp; 554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>\n',
    ),
  );
  assert.deepEqual(r, {
    recipient: 'a@example.com',
    status: '4.4.2',
    replycode: '421',
    reason: 'expired',
    hard: false,
  });
});

test('a queue-expiry Status gives way to the real reply it summarises', () => {
  const r = first(
    dsn(
      'Final-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 4.4.7\nDiagnostic-Code: smtp; 450 4.7.1 Access denied. IP name lookup failed [192.0.2.222]\n',
    ),
  );
  assert.deepEqual([r.status, r.reason], ['4.7.1', 'requireptr']);
});

test('a notice that explains another recipient by name does not explain one whose report gives no reply', () => {
  // AOL's layout: the prose explains one failed recipient, the report lists two, one of them without a reply
  const report = classifyBounce(
    dsn(
      'Final-Recipient: rfc822; full@example.jp\nAction: failed\nStatus: 5.2.2\n\n' +
        'Final-Recipient: rfc822; gone@example.jp\nAction: failed\nStatus: 5.1.1\n',
      'We were unable to deliver your message to the following address\nfull@example.jp\nbecause: Mailbox is full\n',
    ),
  );
  assert.deepEqual(
    report.recipients.map((r) => [r.recipient, r.reason, r.hard]),
    [
      ['full@example.jp', 'mailboxfull', false],
      ['gone@example.jp', 'userunknown', true],
    ],
  );
});

test('DSN fields: a Status comment is dropped; a source-routed Final-Recipient yields to Original-Recipient', () => {
  assert.equal(
    parseDsnFields('Final-Recipient: rfc822; a@example.org\nStatus: 5.1.10 (host/domain does not accept mail)\n')[0]!
      .status,
    '5.1.10',
  );
  const r = first(
    dsn(
      'Original-recipient: rfc822;kijitora@example.net\nFinal-recipient: rfc822;@smtp.example.net:kijitora@server\nAction: failed\nStatus: 5.2.0 (LMTP transmission failure)\nDiagnostic-code: smtp;522 5.2.0 Delivery failed: Over quota\n',
    ),
  );
  assert.deepEqual([r.recipient, r.status, r.reason], ['kijitora@example.net', '5.2.0', 'mailboxfull']);
});

test('a Final-Recipient that is no Internet address (X.400, a bare local user) yields to Original-Recipient', () => {
  const block = (final: string) =>
    `Original-Recipient: rfc822;ivy@dest.example\nFinal-Recipient: ${final}\nAction: failed\nStatus: 5.1.1\n`;
  for (const final of ['X400; /C=US/ADMD= /PRMD=dest/O=dest/S=ivy/', 'rfc822; ivy', 'unknown; ivy'])
    assert.deepEqual(reported(dsn(block(final)), 'recipient', 'reason'), [['ivy@dest.example', 'userunknown']], final);
  // an Internet address is the recipient the report names, whatever the original was
  assert.deepEqual(reported(dsn(block('rfc822; ivy.smith@dest.example')), 'recipient'), [['ivy.smith@dest.example']]);
});

test('a forwarded prose bounce with an unusual subject is still a bounce', () => {
  const msg: BounceMessage = {
    headers: [
      h('from', 'mailer-daemon'),
      h('subject', 'There was an error sending your mail'),
      h('auto-submitted', 'auto-replied'),
    ],
    parts: [
      {
        type: 'text/plain',
        headers: [],
        text: 'SMTP Server <mx.example.org> rejected recipient <k@example.org> (Error following RCPT command). It responded as follows: [550 5.1.1 User unknown]\n',
      },
    ],
  };
  assert.deepEqual(first(msg), {
    recipient: 'k@example.org',
    status: '5.1.1',
    replycode: '550',
    reason: 'userunknown',
    hard: true,
  });
});

test('text rules: repeated multi-line reply codes are dropped; a named rule beats a mention of spam', () => {
  assert.equal(
    normaliseDiagnostic(
      '550-5.7.1 Messages with multiple 550-5.7.1 addresses in From: header are not 550 5.7.1 accepted.',
    ),
    '550 5.7.1 messages with multiple addresses in from: header are not accepted.',
  );
  assert.equal(
    reasonForText(
      '550-5.7.1 This message is not RFC 5322 compliant. There are multiple Subject 550-5.7.1 headers. To reduce the amount of spam sent to Gmail, this message has been blocked.',
    ),
    'notcompliantrfc',
  );
  assert.equal(
    reasonForText('552-5.7.0 This message was blocked because its content presents a potential security issue'),
    'policyviolation',
  );
  assert.equal(reasonForText("550 5.7.1 can't determine Purported Responsible Address"), 'rejected');
  assert.equal(reasonForText('550 domain [example.com] mismatches client ip 192.0.2.225.'), 'requireptr');
  assert.equal(reasonForText('kijitora@example.jp: Envelope expired'), 'expired');
  assert.equal(findReplyCode('<a@example.jp>:\n550: <a@example.jp>: User unknown'), '550');
});

test('DSN fields: blocks that start with Action (Amazon SES) keep each recipient whole', () => {
  const fields = parseDsnFields(
    [
      'Action: failed',
      'Final-Recipient: rfc822; a@example.jp',
      'Original-Recipient: rfc822; a@example.jp',
      'Diagnostic-Code: smtp; 552 5.2.2 Mailbox full',
      'Status: 5.2.2',
      '',
      'Action: failed',
      'Final-Recipient: rfc822; b@example.jp',
      'Original-Recipient: rfc822; b@example.jp',
      'Diagnostic-Code: smtp; 552 5.3.4 Message too large',
      'Status: 5.3.4',
    ].join('\n'),
  );
  assert.deepEqual(
    fields.map((f) => [f.finalRecipient, f.originalRecipient, f.status, f.action]),
    [
      ['a@example.jp', 'a@example.jp', '5.2.2', 'failed'],
      ['b@example.jp', 'b@example.jp', '5.3.4', 'failed'],
    ],
  );
});

test('X-Failed-Recipients: the one coded reply that names another failed recipient is not shared', () => {
  const text = [
    'The following address(es) failed:',
    '',
    '  a@example.jp',
    '    SMTP error from remote mail server after RCPT TO:<a@example.jp>:',
    '    host mx.example.jp [192.0.2.12]: 452 4.2.2 <a@example.jp>: mailbox is full',
    '  b@example.com',
    '    all relevant MX records point to non-existent hosts',
  ].join('\n');
  const exim = textNotice(text, {
    from: 'Mail Delivery System <Mailer-Daemon@mx.example>',
    subject: 'Mail delivery failed: returning message to sender',
    headers: [h('x-failed-recipients', 'a@example.jp, b@example.com')],
  });
  assert.deepEqual(reported(exim, 'recipient', 'reason'), [
    ['a@example.jp', 'mailboxfull'],
    ['b@example.com', 'hostunknown'],
  ]);
});

test('a heading that says the account is disabled outweighs the bare "user unknown" under it (au EZweb)', () => {
  const ezweb = textNotice(
    'The user(s) account is disabled.\n\n<a@ezweb.ne.jp>: 550 user unknown (in reply to RCPT TO command)\n',
    { from: 'Postmaster@ezweb.ne.jp', subject: 'Mail System Error - Returned Mail' },
  );
  assert.deepEqual(reported(ezweb, 'recipient', 'reason', 'hard'), [['a@ezweb.ne.jp', 'suspend', false]]);
});

test('"Message content rejected" under a content status (x.6) is a content error, otherwise spam', () => {
  assert.equal(reasonForText('500 5.6.1 Message content rejected'), null);
  assert.equal(
    first(
      dsn(
        'Final-Recipient: rfc822; a@example.jp\nAction: failed\nStatus: 5.6.1\nDiagnostic-Code: smtp; 500 5.6.1 Message content rejected\n',
      ),
    ).reason,
    'contenterror',
  );
  assert.equal(reasonForText('550 5.7.1 Message content rejected, UBE, id=00000-22-225'), 'spamdetected');
});

test('a reply that names its step by the bare verb ("(RCPT)", "RCPT TO:<a@b> 550 ...") is read at that step', () => {
  const failed = (diagnostic: string) =>
    dsn(
      `Final-Recipient: rfc822; ivy@dest.example\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; ${diagnostic}`,
    );
  // refused at RCPT TO, the address is unknown; the same words after DATA or with no step are the recipient's filter
  for (const [diagnostic, reason] of [
    ['550 Requested action not taken: mailbox unavailable (RCPT)', 'userunknown'],
    ['RCPT TO:<ivy@dest.example> 550 User unknown', 'userunknown'],
    ['550 User unknown (DATA)', 'filtered'],
    ['550 User unknown', 'filtered'],
  ] as const)
    assert.deepEqual(reported(failed(diagnostic), 'reason'), [[reason]], diagnostic);
  // a verb inside a word, an address, a host name or a field's name is no step
  for (const text of ['DATABASE@dest.example', 'mail.RCPT.example', 'H=mx [192.0.2.1] HELO=[mx.example]', 'METADATA'])
    assert.equal(namedCommand(text), null, text);
  assert.equal(namedCommand('MAIL FROM:<a@b> 250 ok RCPT TO:<c@d> 550 no'), 'RCPT');
});

test("a product's version number in a reply is no status code, and a failure never reads a success code", () => {
  const failed = (status: string, diagnostic: string) =>
    dsn(
      `Final-Recipient: rfc822; ivy@dest.example\nAction: failed\nStatus: ${status}\nDiagnostic-Code: smtp; ${diagnostic}`,
    );
  for (const diagnostic of [
    '554 Message refused by ScanMail for Exchange v5.1.2',
    '550 Rejected by Postfix 2.11.3 header_checks',
    '550 Rejected by Postfix v2.1.5 header_checks',
  ])
    assert.deepEqual(reported(failed('5.0.0', diagnostic), 'status', 'hard'), [['5.0.0', false]], diagnostic);
  assert.equal(findEnhancedStatus('ScanMail v5.1.2'), null);
  assert.equal(findEnhancedStatus('5.11.3'), null);
  assert.equal(findEnhancedStatus('(#5.1.1)'), '5.1.1');
  // RFC 3463's x.Y.0 ("other or undefined" within its subject) says less than the code qmail puts after the reply
  assert.deepEqual(
    reported(
      failed('5.3.0', "554 delivery error: dd This user doesn't have a example.com account (#5.1.1)"),
      'status',
      'reason',
      'hard',
    ),
    [['5.1.1', 'userunknown', true]],
  );
  // a notice without report fields: the refusal's code says it failed, so a success code in its words is none
  const textOnly = textNotice(
    'There was an error delivering your mail to <ivy@dest.example>.\n\nmx.dest.example [192.0.2.25] did not like our final DATA:\n550 Message is not RFC5322 2.1.1 compliant\n',
    { subject: 'Mail delivery failed' },
  );
  assert.deepEqual(reported(textOnly, 'status', 'reason', 'hard'), [['5.0.0', 'notcompliantrfc', false]]);
});

test('DSN fields: any field may be folded, and a blank line after a recipient ends its block', () => {
  // a folded Final-Recipient and Remote-MTA keep their values
  assert.deepEqual(
    parseDsnFields(
      'Final-Recipient: rfc822;\n\tivy@dest.example\nAction: failed\nStatus: 5.1.1\nRemote-MTA: dns;\n mx.dest.example\n',
    ).map((r) => [r.finalRecipient, r.remoteMta, r.status]),
    [['ivy@dest.example', 'mx.dest.example', '5.1.1']],
  );
  // a reply wrapped at a fixed width, mid-word and without the fold's indent, goes on to the next field
  assert.deepEqual(
    parseDsnFields(
      'Final-Recipient: rfc822; ivy@dest.example\nAction: failed\nStatus: 5.2.0\nDiagnostic-Code: smtp; 552 5.2.0 rejected due to content judged to b\ne spam by the internet community\nRemote-MTA: dns; mx.dest.example\n',
    ).map((r) => [r.diagnosticCode, r.remoteMta]),
    [['552 5.2.0 rejected due to content judged to be spam by the internet community', 'mx.dest.example']],
  );
  // ... never past what is classified, however many such lines a part holds
  const endless = parseDsnFields(
    `Final-Recipient: rfc822; ivy@dest.example\nDiagnostic-Code: smtp; 550 no${'\nmore'.repeat(100_000)}`,
  );
  assert.ok(endless[0]!.diagnosticCode!.length <= 4096 + 'more'.length);
  // a block that gives its Diagnostic-Code before its Final-Recipient: the reply is that block's
  const diagnosticFirst = [
    'Final-Recipient: rfc822; ivy@dest.example',
    'Action: failed',
    'Status: 5.1.1',
    'Diagnostic-Code: smtp; 550 5.1.1 <ivy@dest.example>: Recipient address rejected: User unknown',
    '',
    'Diagnostic-Code: smtp; 552 5.2.2 Mailbox full',
    'Final-Recipient: rfc822; jack@dest.example',
    'Action: failed',
    'Status: 5.2.2',
    '',
  ].join('\n');
  assert.deepEqual(
    parseDsnFields(diagnosticFirst).map((r) => [r.finalRecipient, r.diagnosticCode]),
    [
      ['ivy@dest.example', '550 5.1.1 <ivy@dest.example>: Recipient address rejected: User unknown'],
      ['jack@dest.example', '552 5.2.2 Mailbox full'],
    ],
  );
  // maddy writes each block's fields in reverse: a paragraph that names its own recipient is the next block, even
  // where it opens with a field the block before lacks
  const reversed = [
    'Status: 4.4.1',
    'Action: delayed',
    'Final-Recipient: rfc822; ivy@dest.example',
    '',
    'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
    'Status: 5.1.1',
    'Action: failed',
    'Final-Recipient: rfc822; jack@dest.example',
    '',
  ].join('\n');
  assert.deepEqual(
    parseDsnFields(reversed).map((r) => [r.finalRecipient, r.action, r.status, r.diagnosticCode]),
    [
      ['ivy@dest.example', 'delayed', '4.4.1', undefined],
      ['jack@dest.example', 'failed', '5.1.1', '550 5.1.1 User unknown'],
    ],
  );
  // a stray blank line inside a block: the fields after it that the block lacks are still its own
  assert.deepEqual(
    parseDsnFields('Final-Recipient: rfc822; ivy@dest.example\nAction: failed\n\nStatus: 5.2.2\n').map((r) => [
      r.finalRecipient,
      r.status,
    ]),
    [['ivy@dest.example', '5.2.2']],
  );
});

test('a delay reported under the generic x.4.0 with no words of cause is a message kept too long, as a bare delay is', () => {
  const delayed = (fields: string) =>
    first(dsn(`Final-Recipient: rfc822; a@example.com\nAction: delayed\n${fields}\n`, 'Delivery is delayed.\n'));
  assert.equal(delayed('Status: 4.4.0 (other or undefined network or routing status)').reason, 'expired');
  // words that name the network's fault keep it
  assert.equal(
    delayed('Status: 4.4.1\nDiagnostic-Code: smtp; connect to mx.example.com[192.0.2.2]:25: No route to host').reason,
    'networkerror',
  );
});
