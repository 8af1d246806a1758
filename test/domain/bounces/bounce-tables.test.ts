import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifySmtpReply } from '../../../src/domain/bounces/classify-smtp-reply.js';
import { reasonForText } from '../../../src/domain/bounces/diagnostic-patterns.js';
import { reasonForStatus } from '../../../src/domain/bounces/status-code-reasons.js';
import { isHardBounce } from '../../../src/domain/bounces/reasons.js';
import { findCommand, findEnhancedStatus, findReplyCode, remoteReply } from '../../../src/domain/bounces/smtp-codes.js';

test('synchronous replies classify with the same tables as bounces', () => {
  const cases: Array<[number, string | null, string, string, boolean]> = [
    [550, '5.1.1', 'User unknown', 'userunknown', true],
    [552, '5.2.2', 'Mailbox full', 'mailboxfull', false],
    [550, '5.7.1', 'Service unavailable; client host [192.0.2.1] blocked using zen.spamhaus.org', 'blocked', false],
    [
      550,
      '5.7.26',
      "Unauthenticated email from example.com is not accepted due to domain's DMARC policy",
      'authfailure',
      false,
    ],
    [550, '5.7.1', 'Message rejected as spam by Content Filtering', 'spamdetected', false],
    [554, '5.3.4', 'Message size exceeds fixed maximum message size', 'mesgtoobig', false],
    [550, null, 'Host unknown', 'hostunknown', true],
    [550, '5.1.6', 'User has moved', 'hasmoved', true],
    [421, '4.7.0', 'Try again later, closing connection. Connection rate limit exceeded', 'toomanyconn', false],
    [554, '5.7.1', 'Relay access denied', 'norelaying', false],
    [550, '5.7.25', 'The IP address sending this message does not have a PTR record setup', 'requireptr', false],
    // Gmail's missing-PTR refusal under x.7.23 (RFC 7372's SPF failure): the words name the reverse DNS
    [
      451,
      '4.7.23',
      "The sending IP address for this message doesn't have a PTR record, or the PTR record's forward DNS entry doesn't match the sending IP address.",
      'requireptr',
      false,
    ],
    [550, '5.7.23', 'The message was rejected because of Sender Policy Framework violation', 'authfailure', false],
    // RFC 8617's ARC validation failure, a message authentication check as x.7.20-x.7.26 are
    [550, '5.7.29', 'Requested action not taken', 'authfailure', false],
    [550, null, 'Something odd happened', 'onhold', false],
  ];
  for (const [code, enhanced, text, reason, hard] of cases) {
    assert.deepEqual(classifySmtpReply(code, enhanced, text), { reason, hard }, `${code} ${enhanced} ${text}`);
  }
});

test('the failed command refines the reason', () => {
  assert.equal(classifySmtpReply(550, null, 'User unknown', 'DATA').reason, 'filtered');
  assert.equal(classifySmtpReply(550, null, 'Unroutable address', 'MAIL').reason, 'rejected');
  assert.equal(classifySmtpReply(550, null, 'Access denied', 'CONN').reason, 'blocked');
  // a greeting that refuses for good, and a HELO whose argument (the sending host's name) was refused; a busy
  // server's temporary greeting is its own state
  assert.equal(classifySmtpReply(554, '5.7.1', '554 5.7.1 Service unavailable', 'CONN').reason, 'blocked');
  assert.equal(classifySmtpReply(501, '5.0.0', '501 5.0.0 Invalid domain name', 'HELO').reason, 'blocked');
  assert.equal(classifySmtpReply(421, null, '421 Service not available', 'CONN').reason, 'systemerror');
  // a greeting names no recipient, whatever it says of a mailbox
  const greeting = '550-Requested action not taken: mailbox unavailable 550-Reject due to policy restrictions.';
  assert.deepEqual(classifySmtpReply(550, null, greeting, 'CONN'), { reason: 'blocked', hard: false });
});

test('status codes alone map to reasons; generic ones do not', () => {
  assert.equal(reasonForStatus('5.1.1'), 'userunknown');
  assert.equal(reasonForStatus('4.2.2'), 'mailboxfull');
  assert.equal(reasonForStatus('4.4.7'), 'expired');
  assert.equal(reasonForStatus('5.3.3'), 'systemerror'); // system not capable of selected features
  assert.equal(reasonForStatus('2.0.0'), 'delivered');
  assert.equal(reasonForStatus('5.0.0'), null);
  assert.equal(reasonForStatus('nonsense'), null);
});

test('text rules are ordered: the specific cause wins over the generic wording', () => {
  assert.equal(reasonForText('550 5.7.1 Rejected: IP listed at Spamhaus'), 'blocked');
  assert.equal(reasonForText('552 5.2.2 Mailbox full: over quota'), 'mailboxfull');
  assert.equal(reasonForText('Blacklisted URL in message'), 'spamdetected');
  assert.equal(reasonForText('retry timeout exceeded'), 'expired');
  assert.equal(reasonForText(''), null);
});

test('hard means the address itself failed', () => {
  assert.equal(isHardBounce('userunknown', '5'), true);
  assert.equal(isHardBounce('notaccept', '5'), true);
  assert.equal(isHardBounce('notaccept', '4'), false);
  // a temporary failure is never hard, whatever it says of the address
  assert.equal(isHardBounce('userunknown', '4'), false);
  assert.equal(isHardBounce('hostunknown', '4'), false);
  assert.equal(isHardBounce('blocked', '5'), false);
});

test('codes and the command are found inside prose', () => {
  assert.equal(findEnhancedStatus('host said: 550 5.1.1 <a@b.example>: no such user'), '5.1.1');
  assert.equal(findEnhancedStatus('connect to 192.0.2.1 port 25'), null);
  assert.equal(findReplyCode('host mx.example said: 550-5.1.1 nope'), '550');
  // Apache James writes a dash between the code and the text
  assert.equal(findReplyCode('Error message below:\n550 - Requested action not taken: no such user here'), '550');
  // RFC 5321 4.2 asks only for text after the code: two spaces, or an enhanced code outside RFC 3463's classes,
  // still open a reply (OpenSMTPD quotes "554 6.6.0 Error sending message"); a report's cut-off "554 5.7." keeps its
  // code
  assert.equal(findReplyCode('u@dest.example: 554 6.6.0 Error sending message for delivery.'), '554');
  assert.equal(findReplyCode('550  previously hard-bounced'), '550');
  assert.equal(findReplyCode('Diagnostic-Code: smtp; 554 5.7.'), '554');
  assert.equal(findReplyCode('port 587 refused 192.0.2.222'), null);
  // nor does a group of an IPv6 address, though it follows a colon as a reply does ("said:550")
  assert.equal(
    findReplyCode(
      'SMTP error from remote mail server after initial connection:\n    550-2001:db8::222 blocked by ldap:ou=x\n    550 Blocked',
    ),
    '550',
  );
  assert.equal(findReplyCode('2001:db8:4864:20::225 does not like recipient.'), null);
  assert.equal(findReplyCode('host mx.example said:550 User unknown'), '550');
  // a reply found in a notice's words ends with its paragraph: below a blank line the notice speaks again (m-FILTER)
  assert.equal(remoteReply('-------server message\n550 blocked\n\n-------SMTP command\nDATA')?.trim(), '550 blocked');
  assert.equal(findCommand('(in reply to RCPT TO command)'), 'RCPT');
  assert.equal(findCommand('SMTP error from remote mail server after end of data:'), 'DATA');
  // Postfix when the greeting is not a 220: the connection was refused, whatever the reply's words
  assert.equal(findCommand('host mx.example.org[192.0.2.1] refused to talk to me: 554 mx.example.org'), 'CONN');
  // SendGrid names the step after the reply, at the line's end
  assert.equal(findCommand('550 Requested action not taken: mailbox unavailable  in RCPT TO\n'), 'RCPT');
  assert.equal(findCommand('554 5.7.1 Message rejected  in End of DATA'), 'DATA');
  assert.equal(findCommand('a reply about mail in RCPT TO lists'), null);
  assert.equal(
    remoteReply('Google tried ... The error that the other server returned was: 550 5.1.1 User unknown'),
    '550 5.1.1 User unknown',
  );
});
