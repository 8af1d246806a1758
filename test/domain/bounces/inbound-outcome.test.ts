import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifyBounce,
  type BounceReport,
  type RecipientReport,
} from '../../../src/domain/bounces/classify-bounce.js';
import { inboundOutcome, recipientsConcerned } from '../../../src/domain/bounces/inbound-outcome.js';
import { dsn, textNotice } from './synthetic-dsn.js';

const line = (o: Partial<RecipientReport>): RecipientReport => ({
  recipient: 'a@dest.test',
  status: '5.1.1',
  replycode: '550',
  reason: 'userunknown',
  hard: true,
  diagnostic: '550 5.1.1 User unknown',
  ...o,
});
const bounce = (...recipients: RecipientReport[]): BounceReport => ({ kind: 'bounce', recipients });

test('a failure for the VERP recipient is a bounce with the reported facts', () => {
  assert.deepEqual(
    inboundOutcome(
      bounce(
        line({ recipient: 'other@dest.test', reason: 'mailboxfull', hard: false, status: '5.2.2' }),
        line({ action: 'failed', command: 'RCPT', remoteHost: 'mx.dest.test' }),
      ),
      'A@dest.test',
    ),
    {
      kind: 'bounced',
      status: '5.1.1',
      replyCode: '550',
      diagnosticCode: '550 5.1.1 User unknown',
      reason: 'userunknown',
      hard: true,
      reportedRecipient: 'a@dest.test',
      command: 'RCPT',
      remoteHost: 'mx.dest.test',
    },
  );
  // the reply is recorded as one line, as MTAs log it: the notice's folds are no part of it ...
  const folded = inboundOutcome(
    classifyBounce(
      textNotice(
        'This is the mail system at host mx.example.org.\n\n<a@dest.test>: host mx.dest.test[192.0.2.1] said: 550 5.1.1\n' +
          '    <a@dest.test>: User unknown (in\n    reply to RCPT TO command)\n',
        { from: 'MAILER-DAEMON@mx.example.org', subject: 'Undelivered Mail Returned to Sender' },
      ),
    ),
    'a@dest.test',
  );
  assert.equal(
    folded.kind === 'bounced' && folded.diagnosticCode,
    '<a@dest.test>: host mx.dest.test[192.0.2.1] said: 550 5.1.1 <a@dest.test>: User unknown (in reply to RCPT TO command)',
  );
  // ... and a long one is cut to a bound, never inside a character
  const long = inboundOutcome(bounce(line({ diagnostic: `550 x${'\u{1F4E7}'.repeat(2000)}` })), 'a@dest.test');
  const kept = long.kind === 'bounced' ? long.diagnosticCode : '';
  assert.ok(kept.length <= 1000 && kept.length > 900, `${kept.length} characters kept`);
  assert.ok(!/[\uD800-\uDBFF]$/.test(kept), 'a character cut in half');
  // A report naming another address (forwarding, rewriting) is still about the recipient the VERP address names.
  const forwarded = inboundOutcome(bounce(line({ recipient: 'alias@elsewhere.test' })), 'a@dest.test');
  assert.equal(forwarded.kind, 'bounced');
  assert.equal(forwarded.kind === 'bounced' && forwarded.reportedRecipient, 'alias@elsewhere.test');
});

test('a delay warning is a deferral; a temporary failure after retries is a soft bounce; a success report is ignored', () => {
  const delayed = inboundOutcome(
    bounce(
      line({
        status: '4.4.1',
        replycode: '',
        reason: 'networkerror',
        hard: false,
        action: 'delayed',
        diagnostic: 'connection timed out',
      }),
    ),
    'a@dest.test',
  );
  assert.equal(delayed.kind, 'delayed');
  const expired = inboundOutcome(
    bounce(
      line({
        status: '4.4.7',
        replycode: '',
        reason: 'expired',
        hard: false,
        action: 'failed',
        diagnostic: 'delivery time expired',
      }),
    ),
    'a@dest.test',
  );
  assert.equal(expired.kind, 'bounced');
  assert.equal(expired.kind === 'bounced' && expired.hard, false);
  assert.deepEqual(
    inboundOutcome(
      bounce(line({ status: '2.0.0', replycode: '250', reason: 'delivered', hard: false, action: 'delivered' })),
      'a@dest.test',
    ),
    { kind: 'ignored', why: 'success-report' },
  );
  assert.deepEqual(inboundOutcome(bounce(line({ status: '5.1.1', action: 'relayed' })), 'a@dest.test'), {
    kind: 'ignored',
    why: 'success-report',
  });
});

test('complaints, auto-replies and ordinary mail', () => {
  assert.deepEqual(
    inboundOutcome(
      {
        kind: 'feedback',
        recipients: [line({ status: '', replycode: '', reason: 'feedback', hard: false, feedbackType: 'abuse' })],
      },
      'a@dest.test',
    ),
    { kind: 'complained', feedbackType: 'abuse' },
  );
  // a DMARC failure report, or a message a recipient marked as not spam, is nobody's complaint
  for (const feedbackType of ['auth-failure', 'not-spam'])
    assert.deepEqual(
      inboundOutcome(
        { kind: 'feedback', recipients: [line({ reason: 'feedback', hard: false, feedbackType })] },
        'a@dest.test',
      ),
      { kind: 'ignored', why: 'not-a-complaint' },
    );
  assert.deepEqual(inboundOutcome({ kind: 'vacation', recipients: [line({ reason: 'vacation' })] }, 'a@dest.test'), {
    kind: 'auto-reply',
  });
  assert.deepEqual(inboundOutcome({ kind: 'not_bounce', recipients: [] }, 'a@dest.test'), {
    kind: 'ignored',
    why: 'not-a-report',
  });
  assert.deepEqual(inboundOutcome(bounce(), 'a@dest.test'), { kind: 'ignored', why: 'not-a-report' });
});

test('a per-message address: the report names which recipients it is about; a single recipient needs no name', () => {
  const report = bounce(line({ recipient: 'B@dest.test' }), line({ recipient: 'stranger@else.test' }));
  assert.deepEqual(recipientsConcerned(report, ['a@dest.test', 'b@dest.test', 'c@dest.test']), ['b@dest.test']);
  assert.deepEqual(recipientsConcerned(report, ['a@dest.test', 'c@dest.test']), []);
  const redacted: BounceReport = {
    kind: 'feedback',
    recipients: [line({ recipient: '', reason: 'feedback', feedbackType: 'abuse' })],
  };
  assert.deepEqual(recipientsConcerned(redacted, ['only@dest.test']), ['only@dest.test']);
  assert.deepEqual(recipientsConcerned(redacted, ['a@dest.test', 'b@dest.test']), []);
});

test('a delay warning written as prose leaves the recipient as it is, whichever MTA wrote it', () => {
  const warning = (subject: string, text: string) =>
    classifyBounce({
      headers: [
        { name: 'from', value: 'Mail Delivery System <Mailer-Daemon@mx.example.org>' },
        { name: 'subject', value: subject },
      ],
      parts: [{ type: 'text/plain', headers: [], text }],
    });
  const notices: Array<[string, string]> = [
    [
      'Warning: message 1abcde-000001-AB delayed 24 hours',
      'A message that you sent has not yet been delivered to one or more of its recipients after more than 24 ' +
        'hours on the queue.\n\nThe address to which the message has not yet been delivered is:\n\n  a@dest.test\n' +
        '    host mx.dest.test [192.0.2.1]: Connection timed out\n\nNo action is required on your part. Delivery ' +
        'attempts will continue for some time.\n',
    ],
    [
      'Warning: could not send message for past 4 hours',
      '    **      THIS IS A WARNING MESSAGE ONLY      **\n    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **\n\n' +
        '<a@dest.test>... Deferred: Connection timed out with mx.dest.test.\nWill keep trying until message is 5 days old\n',
    ],
    [
      'Delivery delayed:hi',
      "Delivery is delayed to these recipients or groups:\n\na@dest.test\n\nThis message hasn't been delivered yet. " +
        'Delivery will continue to be attempted.\n',
    ],
    [
      'Mail Delivery Warning',
      'This is an advisory-only email. Please do not reply to it.\n\nDelivery of the message you sent to a@dest.test ' +
        'has been postponed due to a full mailbox.\nWe will continue to try to deliver your message.\n',
    ],
    // cPanel's Exim holding mail over the sender domain's hourly limit
    [
      'Mail delivery deferred: returning message to sender',
      'A message that you sent could not be delivered to one or more of its recipients. This is a temporary error. ' +
        'The following address(es) deferred:\n\n  a@dest.test\n    Domain src.test has exceeded the max emails per ' +
        'hour (150/100 (150%)) allowed.  Message will be reattempted later\n',
    ],
  ];
  for (const [subject, text] of notices)
    assert.equal(inboundOutcome(warning(subject, text), 'a@dest.test').kind, 'delayed', subject);
  // the final notice of the same MTA is a bounce
  const final = warning(
    'Mail delivery failed: returning message to sender',
    'A message that you sent could not be delivered to one or more of its recipients. This is a permanent error. ' +
      'The following address(es) failed:\n\n  a@dest.test\n    retry timeout exceeded\n',
  );
  assert.equal(inboundOutcome(final, 'a@dest.test').kind, 'bounced');
  // a final notice stays final when the reply it quotes sounds temporary
  const quoted = warning(
    'Mail delivery failed: returning message to sender',
    'A message that you sent could not be delivered to one or more of its recipients. This is a permanent error. ' +
      'The following address(es) failed:\n\n  a@dest.test\n    Mailbox temporarily disabled, try again later\n',
  );
  assert.equal(inboundOutcome(quoted, 'a@dest.test').kind, 'bounced');
  // ... and so does one that does not say it gave up (the DragonFly Mail Agent's): the words are the reply's
  const quotedOnly = warning(
    'Mail delivery failed',
    'There was an error delivering your mail to <a@dest.test>.\n\nmx.dest.test [192.0.2.25] did not like our RCPT ' +
      'TO:\n550-Requested action not taken: mailbox unavailable\n550 Failure sending mail. Try again later\n',
  );
  assert.equal(inboundOutcome(quotedOnly, 'a@dest.test').kind, 'bounced');
  // a gateway's final notice quoting the last temporary reply after its retries ran out
  const retriesRanOut = warning(
    'Delivery failure',
    'This is a delivery failure notification message indicating that an email addressed to email address :\n' +
      '-- a@dest.test\ncould not be delivered. The problem appears to be :\n-- Recipient server unavailable or busy\n' +
      'Additional information follows :\n-- 4.4.4 Temporary server error. Please try again later\n' +
      'This condition occurred after 30 attempt(s) to deliver over\na period of 92 hour(s) and 52 minute(s).\n',
  );
  assert.equal(inboundOutcome(retriesRanOut, 'a@dest.test').kind, 'bounced');
  // Gmail's delay notice: it will retry, whatever class the reply it quotes has; with no cause, an expiring delay
  const gmailDelay = (response: string) =>
    warning(
      'Delivery Status Notification (Delay)',
      '** Delivery incomplete **\n\nThere was a temporary problem delivering your message to a@dest.test. Gmail will ' +
        `retry for 47 more hours. You'll be notified if the delivery fails permanently.\n\n${response}`,
    );
  const quoting = inboundOutcome(
    gmailDelay('The response from the remote server was:\n550 5.7.1 Our system has detected a very low reputation\n'),
    'a@dest.test',
  );
  assert.equal(quoting.kind, 'delayed');
  // ... and its class is the delay's: a temporary failure, never hard, whatever the quoted reply
  const classOf = (response: string) =>
    gmailDelay(`The response from the remote server was:\n${response}\n`).recipients.map((r) => [r.status, r.hard]);
  assert.deepEqual(classOf('554 Your access to this mail system has been rejected due to poor reputation'), [
    ['4.0.0', false],
  ]);
  assert.deepEqual(classOf('550 No such user here'), [['4.0.0', false]]);
  const plain = gmailDelay('');
  assert.deepEqual(
    plain.recipients.map((r) => [r.reason, r.action]),
    [['expired', 'delayed']],
  );
});

test('a report that only says "Action: Delayed", in any case, is a delay', () => {
  const report = classifyBounce(
    dsn('Final-Recipient: rfc822; a@dest.test\nAction: Delayed\nDiagnostic-Code: smtp; Connection refused'),
  );
  assert.deepEqual(
    report.recipients.map((r) => [r.status, r.action]),
    [['4.0.0', 'delayed']],
  );
  assert.equal(inboundOutcome(report, 'a@dest.test').kind, 'delayed');
});

test('an alias whose members failed differently is only as dead as its least failed member, whichever comes first', () => {
  const member = (recipient: string, status: string, diagnostic: string, action = 'failed') =>
    `Final-Recipient: rfc822; ${recipient}\nOriginal-Recipient: rfc822; team@dest.test\nAction: ${action}\n` +
    `Status: ${status}\nDiagnostic-Code: smtp; ${diagnostic}\n`;
  const unknown = member(
    'ann@dest.test',
    '5.1.1',
    '550 5.1.1 <ann@dest.test>: Recipient address rejected: User unknown',
  );
  const full = member('bob@dest.test', '5.2.2', '552 5.2.2 <bob@dest.test>: Mailbox full');
  const waiting = member('cy@dest.test', '4.4.1', '421 4.4.1 Connection timed out', 'delayed');
  const outcome = (recipient: string, ...lines: string[]) => {
    const o = inboundOutcome(classifyBounce(dsn(lines.join('\n'))), recipient);
    return o.kind === 'bounced' || o.kind === 'delayed' ? [o.kind, o.reportedRecipient, o.hard] : [o.kind];
  };
  assert.deepEqual(outcome('team@dest.test', unknown, full), ['bounced', 'bob@dest.test', false]);
  assert.deepEqual(outcome('team@dest.test', full, unknown), ['bounced', 'bob@dest.test', false]);
  assert.deepEqual(outcome('team@dest.test', unknown, waiting), ['delayed', 'cy@dest.test', false]);
  // every member gone: the alias is
  const gone = member('dee@dest.test', '5.1.1', '550 5.1.1 User unknown');
  assert.deepEqual(outcome('team@dest.test', unknown, gone), ['bounced', 'ann@dest.test', true]);
  // a member's own address still reads its own line
  assert.deepEqual(outcome('ann@dest.test', full, unknown), ['bounced', 'ann@dest.test', true]);
});
