// Which address a notice reports as the failed recipient, and by which addresses the service can match it to the
// message's recipients: the notice's own listing, not a summary of the original message, a mailing list's address or an
// X.400 label; the address as the sender gave it beside the address a forward reached.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BounceMessage } from '../../../src/domain/bounces/bounce-message.js';
import { classifyBounce } from '../../../src/domain/bounces/classify-bounce.js';
import { inboundOutcome, recipientsConcerned } from '../../../src/domain/bounces/inbound-outcome.js';
import { dsn, eximFailure, h, qmailOpening, reported, textNotice } from './synthetic-dsn.js';

test("Exchange's summary of the original message names its addressees, not the failed recipient", () => {
  const notice = textNotice(
    'Your message\n\n  To:      club@lists.example.com\n  Cc:      ann@example.net\n  Subject: Spring ride\n  Sent:    Mon, 3 Mar 2025 10:00:00 +0000\n\ndid not reach the following recipient(s):\n\nbob@example.net on Mon, 3 Mar 2025 10:00:05 +0000\n    The recipient name is not recognized\n',
  );
  assert.deepEqual(reported(notice, 'recipient', 'reason', 'hard'), [['bob@example.net', 'userunknown', true]]);
  // a gateway's bulleted details of the original, after the failure it lists
  const bulleted = textNotice(
    'Delivery has failed to these recipients or distribution lists:\n\n\t* [erin@example.net]: 550 erin@example.net...User account is overquota\n\nOriginal message details:\n\n\t* Received on: 2025-04-03 01:25:40 +0000 UTC\n\t* From: poster@example.com\n\t* To: club@example.com\n\t* Subject: spring ride\n',
  );
  assert.deepEqual(reported(bulleted, 'recipient', 'reason'), [['erin@example.net', 'mailboxfull']]);
  // a "To:" line alone is still a listing of the failed recipient
  const alone = textNotice(
    'Delivery to the following recipient failed permanently:\n\nTo: carl@example.net\n\n550 5.1.1 User unknown\n',
  );
  assert.deepEqual(reported(alone, 'recipient'), [['carl@example.net']]);
});

test('an X.400 attribute that carries the address labels it: the label is not part of the address', () => {
  const notice = textNotice(
    'Your message\n\n  Subject: Invoice\n\ndid not reach the following recipient(s):\n\nc=US;a= ;p=Example;o=Site1;dda:SMTP=bob@example.com; on Mon, 3 Mar 2025\n    The recipient name is not recognized\n',
  );
  assert.deepEqual(reported(notice, 'recipient'), [['bob@example.com']]);
});

test('an undisclosed failed address is reported by the address it was generated from', () => {
  const notice = textNotice(
    'A message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  an undisclosed address\n    (generated from dave@example.net)\n',
    { subject: 'Mail delivery failed: returning message to sender' },
  );
  // "undisclosed" names no closed account: the notice gives no cause
  assert.deepEqual(reported(notice, 'recipient', 'reason', 'hard'), [['dave@example.net', 'onhold', false]]);
});

/** A notice that names nobody and returns the header of the message (one "Name: value" field per line). */
const returning = (copyHeader: string): BounceMessage => ({
  headers: [
    h('from', 'MAILER-DAEMON@mx.example.org'),
    h('to', 'bounces@example.com'),
    h('subject', 'Undeliverable mail'),
  ],
  parts: [
    {
      type: 'text/plain',
      headers: [],
      text: 'Your message could not be delivered: one or more of the recipients are not a valid user of the system.\n',
    },
    {
      type: 'text/rfc822-headers',
      headers: [],
      text: copyHeader,
      attachedHeaders: copyHeader
        .trim()
        .split('\n')
        .map((line) => h(line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim())),
    },
  ],
});

test("a returned list post's To is the list, or there is none: the copy's trace field names the recipient, or nobody is", () => {
  const post =
    'From: poster@example.com\nTo: Club <club@lists.example.com>\nList-Id: <club.lists.example.com>\nSubject: Spring ride\n';
  assert.deepEqual(reported(returning(post), 'recipient'), [['']]);
  const traced = `Received: from relay.example.com by mx.example.org with ESMTP id 1; Mon, 3 Mar 2025 10:00:00 +0000\nReceived: from lists.example.com by relay.example.com for <frank@example.org>; Mon, 3 Mar 2025 09:59:59 +0000\n${post}`;
  assert.deepEqual(reported(returning(traced), 'recipient'), [['frank@example.org']]);
  // an ordinary copy's To is still its addressee
  assert.deepEqual(reported(returning('From: poster@example.com\nTo: frank@example.org\n'), 'recipient'), [
    ['frank@example.org'],
  ]);
  // a copy with no To (sent Bcc, or returned without it) is named by its trace field, with Gmail's comment after it
  const untold =
    'Received: from mail.example.com by mx.example.org with ESMTPS id 1 for <grace@example.org> (version=TLS1_2 cipher=ECDHE-RSA-AES128-GCM-SHA256 bits=128/128); Mon, 3 Mar 2025 09:59:59 +0000\nFrom: poster@example.com\nSubject: Spring ride\n';
  assert.deepEqual(reported(returning(untold), 'recipient'), [['grace@example.org']]);
});

test('a forwarded recipient is matched by the address the sender gave (Original-Recipient, "expanded from")', () => {
  const forwarded = classifyBounce(
    dsn(
      'Original-Recipient: rfc822;pat@example.net\nFinal-Recipient: rfc822;pat.forward@example.org\nAction: failed\nStatus: 5.7.1\nDiagnostic-Code: smtp; 550 5.7.1 Message rejected as spam\n',
    ),
  );
  assert.deepEqual(
    forwarded.recipients.map((r) => [r.recipient, r.originalRecipient]),
    [['pat.forward@example.org', 'pat@example.net']],
  );
  // a message sent to two recipients under one VERP address: the forwarded one is concerned, the other is not
  assert.deepEqual(recipientsConcerned(forwarded, ['pat@example.net', 'lou@example.net']), ['pat@example.net']);
  const outcome = inboundOutcome(forwarded, 'pat@example.net');
  assert.equal(outcome.kind, 'bounced');
  // an address type written twice is still only its type
  const twice = classifyBounce(
    dsn(
      'Original-Recipient: rfc822; rfc822;pat@example.net\nFinal-Recipient: rfc822; pat.forward@example.org\nAction: failed\nStatus: 5.2.2\n',
    ),
  );
  assert.deepEqual(recipientsConcerned(twice, ['pat@example.net', 'lou@example.net']), ['pat@example.net']);
  // Messaging Server's local channel ("sims-ms-daemon") is no Internet domain: the original address is reported
  const channel = dsn(
    'Original-Recipient: rfc822;userx@example.com\nFinal-Recipient: rfc822;userx@sims-ms-daemon\nAction: failed\nStatus: 5.2.2\n',
  );
  assert.deepEqual(reported(channel, 'recipient', 'reason'), [['userx@example.com', 'mailboxfull']]);
  const expanded = classifyBounce(
    textNotice(
      'The following addresses had permanent fatal errors:\n\njudy@backend.example.net\n    (expanded from: <judy@example.net>)\n\n550 5.1.1 <judy@backend.example.net>... User unknown\n',
    ),
  );
  assert.deepEqual(recipientsConcerned(expanded, ['judy@example.net', 'kim@example.net']), ['judy@example.net']);
});

test("AOL's listing of screen names without a domain: the daemon's domain, not the reader it greets", () => {
  const notice = (cause: string): BounceMessage => {
    const m = textNotice(
      `Sorry owner@example.com. Your mail to the following recipients could not be delivered because ${cause}:\n\trobin\n\tsam\n`,
      { from: 'Mail Delivery Subsystem <MAILER-DAEMON@example.net>', subject: 'Mail Delivery Problem' },
    );
    return { ...m, headers: m.headers.map((f) => (f.name === 'to' ? h('to', '<owner@example.com>') : f)) };
  };
  assert.deepEqual(
    reported(notice('they are not accepting mail with attachments or embedded images'), 'recipient', 'reason', 'hard'),
    [
      ['robin@example.net', 'filtered', false],
      ['sam@example.net', 'filtered', false],
    ],
  );
  // the sender a cause names ("not accepting mail from a@b") is not a recipient either
  assert.deepEqual(reported(notice('they are not accepting mail from news@lists.example.com'), 'recipient'), [
    ['robin@example.net'],
    ['sam@example.net'],
  ]);
  // ... and a sentence folded before its colon still introduces the names
  assert.deepEqual(reported(notice('they are not accepting mail from\n    news@lists.example.com'), 'recipient'), [
    ['robin@example.net'],
    ['sam@example.net'],
  ]);
});

test('a notice that lists no failure of its own names its recipient in its summary of the message, when it names one', () => {
  const summary = (to: string) =>
    textNotice(
      `I'm afraid I wasn't able to deliver the following message.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\nSubject: Your invoice\nTo: ${to}\n\n--- Below this line is a copy of the message.\n`,
      { from: 'MAILER-DAEMON@mail.example.net', subject: 'Failure Notice' },
    );
  assert.deepEqual(reported(summary('reader@example.net'), 'recipient'), [['reader@example.net']]);
  // two addressees: the summary does not say which failed
  assert.deepEqual(reported(summary('reader@example.net, other@example.net'), 'recipient'), [['']]);
});

test('a reply about the address the notice returns to is a refusal of the sender, whatever Status the MTA wrote', () => {
  // an Exim callout on the envelope sender, summed up by Sendmail as "550 5.1.1 ... User unknown"
  const msg = dsn(
    'Final-Recipient: RFC822; reader@example.net\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: SMTP; 550-Verification failed for <bounces+abc123@example.com>\n',
  );
  msg.headers.push(h('to', '<bounces+abc123@example.com>'));
  assert.deepEqual(reported(msg, 'recipient', 'reason', 'hard'), [['reader@example.net', 'rejected', false]]);
  // the recipient's own unknown mailbox stays one
  const own = dsn(
    'Final-Recipient: RFC822; reader@example.net\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: SMTP; 550 5.1.1 <reader@example.net>: User unknown\n',
  );
  own.headers.push(h('to', '<bounces+abc123@example.com>'));
  assert.deepEqual(reported(own, 'reason', 'hard'), [['userunknown', true]]);
});

test("an address in the lines a reply is folded onto is the reply's words, not another failed recipient", () => {
  const postfix = (entry: string) =>
    textNotice(
      `This is the mail system at host relay.example.net.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n${entry}\n`,
      { subject: 'Undelivered Mail Returned to Sender', from: 'MAILER-DAEMON@relay.example.net' },
    );
  // the rewritten address the destination answered for, a contact address, the sender's own address
  for (const [entry, reason] of [
    [
      '<carol@example.com>: host mx.example.com[192.0.2.10] said: 550\n    5.1.1 <carol.jones@example.com>... Addressee unknown (in reply to RCPT TO\n    command)',
      'userunknown',
    ],
    [
      '<dave@example.org>: host mx.example.org[192.0.2.20] refused to talk to\n    me: 554 IP=192.0.2.99 - poor standing of your network. Ask your postmaster\n    or write to unblock@example.org for removal. (XY1)',
      'blocked',
    ],
    [
      '<erin@example.org>: host relay.example.org[192.0.2.30] said: 550 5.1.1\n    <bounces+a1b2c3@mailer.example.net>: sender not permitted here (in reply to\n    RCPT TO command)',
      'rejected',
    ],
  ] as const)
    assert.deepEqual(reported(postfix(entry), 'recipient', 'reason'), [[entry.slice(1, entry.indexOf('>')), reason]]);
  // Exim's next recipient, less indented than the reply above it, is still one
  const exim = textNotice(
    'A message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  ann@example.com\n    host mx.example.com [192.0.2.1]\n    SMTP error from remote mail server after RCPT TO:<ann@example.com>:\n    550 5.1.1 User unknown\n  bob@example.com\n    host mx.example.com [192.0.2.1]\n    SMTP error from remote mail server after RCPT TO:<bob@example.com>:\n    552 5.2.2 Mailbox full\n',
    { subject: 'Mail delivery failed: returning message to sender' },
  );
  assert.deepEqual(reported(exim, 'recipient', 'reason'), [
    ['ann@example.com', 'userunknown'],
    ['bob@example.com', 'mailboxfull'],
  ]);
});

test("Exchange Online's Sender Address label, and a message its author sent to itself, name no failed recipient", () => {
  const o365 = textNotice(
    "Your message to frank@example.com couldn't be delivered.\nfrank wasn't found at example.com.\n\nOriginal Message Details\nCreated Date: 3/3/2025 10:00:00 AM\nSender Address: bounces+abc@mailer.example.net\nRecipient Address: frank@example.com\nSubject: Hello\n\nError Details\nReported error: 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup\n",
    { subject: 'Undeliverable: Hello' },
  );
  assert.deepEqual(reported(o365, 'recipient'), [['frank@example.com']]);
  // the copy's To is its author: the failed recipients had it by Bcc, and the notice names them by display name only
  const selfAddressed: BounceMessage = {
    headers: [h('from', 'postmaster@example.net'), h('to', 'alice@example.com'), h('subject', 'Undeliverable: notes')],
    parts: [
      {
        type: 'text/plain',
        headers: [],
        text: 'did not reach the following recipient(s):\n\nBob Smith on Fri, 14 Sep 2007 18:52:54 +0300\n    The recipient was unavailable to take delivery of the message\n',
      },
      {
        type: 'message/rfc822',
        headers: [],
        text: '',
        attachedHeaders: [h('from', 'Alice <alice@example.com>'), h('to', 'alice@example.com')],
      },
    ],
  };
  assert.deepEqual(reported(selfAddressed, 'recipient'), [['']]);
});

test('a copy the notice quotes as a reply quotes ("> ") is the sender\'s message: its addresses and fields are no cause', () => {
  const copy =
    '> Received: from relay.example.com (192.0.2.7)\n>       (Authenticated sender: helper@example.org)\n>       by mx.example.net with SMTP id 4-0001\n> Message-Id: <abc123_def@out.example.com.tmail>\n> X-Spam: [F=0.2; B=0.5]\n>\n> Hi Bob\n';
  const intro =
    'Delivery of email to this address\n\n"bob@example.net"\n\nhas failed due to a full mailbox.\n\nThe first 50 lines of your original message follow:';
  for (const text of [`${intro}${copy}`, `${intro}\n${copy}`, `${intro.replace(/The first.*$/, '')}${copy}`]) {
    const notice = textNotice(text, { subject: 'Mail Delivery Failure' });
    assert.deepEqual(reported(notice, 'recipient', 'reason'), [['bob@example.net', 'mailboxfull']], text);
  }
});

test("an address in a reply about the recipient above it is that recipient's other name, not another failure", () => {
  // Sendmail's "(reason: ...)" explains the address listed above it; the remote named the mailbox the alias led to
  const sendmail = textNotice(
    '   ----- The following addresses had permanent fatal errors -----\n<sales@example.net>\n    (reason: 550 5.1.1 <erin.old@example.net>... User unknown)\n\n   ----- Transcript of session follows -----\n... while talking to mx.example.net.:\n>>> RCPT To:<sales@example.net>\n<<< 550 5.1.1 <erin.old@example.net>... User unknown\n550 5.1.1 <sales@example.net>... User unknown\n',
    { subject: 'Returned mail: see transcript for details' },
  );
  assert.deepEqual(reported(sendmail, 'recipient', 'reason', 'hard'), [['sales@example.net', 'userunknown', true]]);
  // the reply about the listed address in other layouts: Exim before 4.9x gives it after the host, indented under the
  // address; another MTA after the host, under its list of failed recipients; Trend Micro's InterScan in a transcript
  // whose arrows point the other way ("Sent <<<", "Received >>>"); MailFoundry after "responded with failure:"
  const relay = { subject: 'Delivery failure', from: 'postmaster@relay.example.com' };
  for (const [text, headers] of [
    [
      'A message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  sales@example.net\n    SMTP error from remote mail server after RCPT TO:<sales@example.net>:\n    host mx.example.net [192.0.2.1]: 550 5.1.1 <erin.old@example.net>... User unknown\n',
      { subject: 'Mail delivery failed: returning message to sender', from: 'Mailer-Daemon@relay.example.com' },
    ],
    [
      'Delivery to the following recipients failed permanently:\n\n   * sales@example.net\n\n\nTechnical details:\n\nSMTP:RCPT host 192.0.2.8: 553 5.3.0 <erin.old@example.net>... No such user here\n',
      relay,
    ],
    ['Sent <<< RCPT TO:<sales@example.net>\nReceived >>> 550 5.1.1 <erin.old@example.net>... user unknown\n', relay],
    [
      'Unable to deliver message to: <sales@example.net>\nDelivery failed for the following reason:\nmx.example.net[192.0.2.1] responded with failure: 550 5.1.1 <erin.old@example.net>... User unknown\n\nThis has been a permanent failure. No further delivery attempts will be made.\n',
      relay,
    ],
  ] as const)
    assert.deepEqual(reported(textNotice(text, headers), 'recipient', 'reason', 'hard'), [
      ['sales@example.net', 'userunknown', true],
    ]);
  // replies after DATA name each recipient they refuse: those are failures of their own
  const afterData = textNotice(
    '   ----- The following addresses had permanent fatal errors -----\n<ann@example.net>\n<bob@example.net>\n\n   ----- Transcript of session follows -----\n... while talking to mx.example.net.:\n>>> DATA\n<<< 550 5.1.1 <ann@example.net>... User unknown\n<<< 550 5.1.1 <bob@example.net>... User unknown\n',
    { subject: 'Returned mail: see transcript for details' },
  );
  assert.deepEqual(reported(afterData, 'recipient'), [['ann@example.net'], ['bob@example.net']]);
});

test("Messaging Server's recipient address and original address are one recipient, known by the original", () => {
  const notice = textNotice(
    'This report relates to a message you sent with the following header fields:\n\n  Subject: quarterly figures\n\nYour message cannot be delivered to the following recipients:\n\n  Recipient address: carol@ims-ms-daemon\n  Original address: carol@example.net\n  Reason: Over quota\n\n  Recipient address: dan@mailstore.example.net\n  Original address: dan@example.net\n  Reason: Over quota\n',
    { subject: 'Delivery Notification: Delivery has failed' },
  );
  assert.deepEqual(reported(notice, 'recipient', 'reason'), [
    ['carol@example.net', 'mailboxfull'],
    ['dan@example.net', 'mailboxfull'],
  ]);
  // two mailboxes the same original address led to are one failure of that address
  const twice = textNotice(
    'Your message cannot be delivered to the following recipients:\n\n  Recipient address: erin@store1.example.net\n  Original address: team@example.net\n  Reason: Over quota\n\n  Recipient address: fay@store2.example.net\n  Original address: team@example.net\n  Reason: Over quota\n',
    { subject: 'Delivery Notification: Delivery has failed' },
  );
  assert.deepEqual(reported(twice, 'recipient', 'reason'), [['team@example.net', 'mailboxfull']]);
});

test('someone who mailed their own address is told of its failure on a line that labels it the recipient', () => {
  const notice: BounceMessage = {
    headers: [
      h('from', 'Mail Administrator <postmaster@example.net>'),
      h('to', 'alice@example.com'),
      h('subject', 'Mail System Error - Returned Mail'),
    ],
    parts: [
      {
        type: 'text/plain',
        headers: [],
        text: 'This Message was undeliverable due to the following reason:\n\nEach of the following recipients was rejected by a remote mail server.\n\nRecipient: <alice@example.com>\nReason: <alice@example.com>... No such mailbox here\n',
      },
    ],
  };
  assert.deepEqual(reported(notice, 'recipient'), [['alice@example.com']]);
});

test('a name with a single label after its "@" is no Internet address: a malware name is not a failed recipient', () => {
  const alert = textNotice(
    'The following action has been applied to the below attachments:\nAttachment Name: invoice.pif, Virus Found: W32/Examplebug.a@MM, Status: Quarantined\n',
    { subject: 'Mail_Delivery_failure', from: 'alerts@gateway.example.com' },
  );
  assert.deepEqual(reported(alert, 'recipient'), []);
});

test('a role address the mail was sent to is a failed recipient; one given as a contact is not', () => {
  const notice = textNotice(
    "Unable to send to abuse@example.com\nBounce reason: The recipient's email address (abuse@example.com) does not exist, so the message could not be delivered.\nhost mx.example.com[192.0.2.10] said: 550 5.1.1 Address does not exist (in reply to RCPT TO command)\nSolution: Please check the address and try again, or contact postmaster@example.net.\n",
    { subject: 'Delivery failure' },
  );
  assert.deepEqual(reported(notice, 'recipient', 'reason', 'hard'), [['abuse@example.com', 'userunknown', true]]);
  // Sendmail lists each failed address alone in its brackets
  const sendmail = textNotice(
    '   ----- The following addresses had permanent fatal errors -----\n<root@mail.example.net>\n    (reason: 550 Host unknown)\n',
    { subject: 'Returned mail: see transcript for details', from: 'MAILER-DAEMON@gw.example.com' },
  );
  assert.deepEqual(reported(sendmail, 'recipient', 'reason'), [['root@mail.example.net', 'hostunknown']]);
  // ... and Gmail and Exim alone on its line, under the sentence that states the failure
  const gmailFailure = (sentence: string, listed: string) =>
    textNotice(
      `${sentence}\n\n     ${listed}\n\nTechnical details of permanent failure:\nThe error that the other server returned was:\n550 5.1.1 No such mailbox here\n`,
      { subject: 'Delivery Status Notification (Failure)', from: 'mailer-daemon@googlemail.com' },
    );
  const failedPermanently = 'Delivery to the following recipient failed permanently:';
  const gmail = gmailFailure(failedPermanently, 'abuse@example.net');
  assert.deepEqual(reported(gmail, 'recipient'), [['abuse@example.net']]);
  // ... also when a relay folded that sentence narrower
  const folded = gmailFailure('Delivery to the following recipient\n    failed permanently:', 'abuse@example.net');
  assert.deepEqual(reported(folded, 'recipient'), [['abuse@example.net']]);
  // ... or set off in quotes, or bracketed before the time Exchange stamps on each entry
  for (const listed of ['"abuse@example.net"', "'abuse@example.net'", '<abuse@example.net> on 21/04/2009 1:05 PM']) {
    const quoted = gmailFailure(failedPermanently, listed);
    assert.deepEqual(reported(quoted, 'recipient'), [['abuse@example.net']], listed);
  }
  // ... or the delay (Gmail's delay notice; Exim's delay warning)
  const delayed = textNotice(
    'THIS IS A WARNING MESSAGE ONLY.\n\nYOU DO NOT NEED TO RESEND YOUR MESSAGE.\n\nDelivery to the following recipient has been delayed:\n\n    root@example.net\n\nMessage will be retried for 2 more day(s)\n',
    { subject: 'Delivery Status Notification (Delay)', from: 'mailer-daemon@googlemail.com' },
  );
  assert.deepEqual(reported(delayed, 'recipient', 'action'), [['root@example.net', 'delayed']]);
  const eximDelay = textNotice(
    'A message that you sent has not yet been delivered to one or more of its\nrecipients after more than 24 hours on the queue on relay.example.org.\n\nThe address to which the message has not yet been delivered is:\n\n  postmaster@example.net\n\nNo action is required on your part.\n',
    {
      subject: 'Warning: message 1abcde-000123-AB delayed 24 hours',
      from: 'Mail Delivery System <Mailer-Daemon@relay.example.org>',
    },
  );
  assert.deepEqual(reported(eximDelay, 'recipient', 'action'), [['postmaster@example.net', 'delayed']]);
  // ... but only that sentence: after one that states the failure, an address under "For help, write to:" is a contact
  const contact = textNotice(
    'Delivery to the following recipient failed permanently:\n\n     abuse@example.net\n\nYour message could not be delivered. For help,\n    write to:\n\n     postmaster@example.org\n',
    { subject: 'Delivery Status Notification (Failure)', from: 'mailer-daemon@googlemail.com' },
  );
  assert.deepEqual(reported(contact, 'recipient'), [['abuse@example.net']]);
  const exim = eximFailure(
    '  postmaster@example.net\n    SMTP error from remote mail server after RCPT TO:<postmaster@example.net>:\n    550 5.1.1 No such mailbox here\n\nFor help, write to:\n\n  postmaster@example.org\n',
    'relay.example.org',
  );
  assert.deepEqual(reported(exim, 'recipient'), [['postmaster@example.net']]);
  // Gmail's and Microsoft's cards name it as the one "your message" was for; a message sent on to a contact is not
  const blocked = textNotice(
    '** Message blocked **\n\nYour message to noreply@example.net has been blocked. See technical details below for more information.\n\nThe response from the recipient enterprise administrator was:\nThe user or domain that you are sending to (or from) has a policy that prohibited the mail that you sent.\n',
    { subject: 'Delivery Status Notification (Failure)', from: 'mailer-daemon@googlemail.com' },
  );
  assert.deepEqual(reported(blocked, 'recipient'), [['noreply@example.net']]);
  const microsoft = textNotice(
    "Your message to postmaster@example.net couldn't be delivered.\n\npostmaster wasn't found at example.net.\n\nIf the problem continues, forward your message to postmaster@example.org.\n",
    { subject: 'Undeliverable: report', from: 'postmaster@outlook.com' },
  );
  assert.deepEqual(reported(microsoft, 'recipient', 'reason'), [['postmaster@example.net', 'userunknown']]);
});

test('a reported recipient that is also the address the notice went to keeps the lines about it', () => {
  const report = dsn(
    'Action: failed\nFinal-Recipient: rfc822;team@lists.example.com\nStatus: 5.0.0\n\nAction: failed\nFinal-Recipient: rfc822;dave@example.org\nStatus: 5.0.0\n',
    'A message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  dave@example.org\n    Domain example.com has exceeded the max emails per hour (1250/1000 (125%)) allowed.  Message discarded.\n  team@lists.example.com\n    Domain example.com has exceeded the max emails per hour (1250/1000 (125%)) allowed.  Message discarded.\n',
  );
  const notice: BounceMessage = { ...report, headers: [...report.headers, h('to', 'team@lists.example.com')] };
  assert.deepEqual(reported(notice, 'recipient', 'reason'), [
    ['team@lists.example.com', 'speeding'],
    ['dave@example.org', 'speeding'],
  ]);
});

test("a mailing list's footer under a look-alike notice names nobody who failed", () => {
  const lookalike: BounceMessage = {
    headers: [
      h('from', 'Mail Delivery System <mailer-daemon@host.example.net>'),
      h('to', 'devs@lists.example.org'),
      h('subject', '[Devs] Undeliverable: Outgoing mail failed'),
      h('list-post', '<mailto:devs@lists.example.org>'),
    ],
    parts: [
      {
        type: 'text/plain',
        headers: [],
        text: 'Messages Delivery Failure\nYou have 3 pending messages that could not be sent. Click to review.\n\n_______________________________________________\nDevs mailing list\nDevs@lists.example.org\nhttps://lists.example.org/listinfo/devs\n',
      },
    ],
  };
  // (its failure sentence still makes it a notice, of a failure whose recipient is not known)
  assert.deepEqual(reported(lookalike, 'recipient'), [['']]);
  // above the footer, a line that lists the address still reports it
  const notice: BounceMessage = {
    ...lookalike,
    parts: [
      { ...lookalike.parts[0]!, text: `Devs@lists.example.org: 550 5.1.1 User unknown\n\n${lookalike.parts[0]!.text}` },
    ],
  };
  assert.deepEqual(reported(notice, 'recipient'), [['Devs@lists.example.org']]);
});

test("Exim's reply under a listed address names the sender it refused, not another failed recipient", () => {
  const notice = textNotice(
    'A message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  list@example.org\n    SMTP error from remote mail server after RCPT TO:<list@example.org>:\n    host mx.example.org [192.0.2.7]:\n    550 5.1.7 <SRS0=Xv7n=65=example.com=alice@relay.example.net>:\n    Sender address rejected: undeliverable address\n',
    { subject: 'Mail delivery failed: returning message to sender', from: 'Mailer-Daemon@relay.example.net' },
  );
  assert.deepEqual(reported(notice, 'recipient', 'reason'), [['list@example.org', 'rejected']]);
  // ... nor is the envelope form of the listed address in the step Exim names, which a router may have rewritten
  const rewritten = textNotice(
    "A message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  bob@example.com\n    SMTP error from remote mail server after RCPT TO:<bob@mail.example.com>:\n    host 192.0.2.5 [192.0.2.5]: 553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\n",
    { subject: 'Mail delivery failed: returning message to sender', from: 'Mailer-Daemon@relay.example.net' },
  );
  assert.deepEqual(reported(rewritten, 'recipient', 'replycode'), [['bob@example.com', '553']]);
});

test("the address qmail's remote host names in its reply is the listed recipient's, not another failure", () => {
  const notice = textNotice(
    qmailOpening('mail.example.com') +
      '<bob@example.net>:\n192.0.2.25 does not like recipient.\nRemote host said: 550 5.1.1 <robert@mail.example.net>... User unknown\nGiving up on 192.0.2.25.\n',
    { subject: 'failure notice', from: 'MAILER-DAEMON@mail.example.com' },
  );
  assert.deepEqual(reported(notice, 'recipient', 'reason', 'hard'), [['bob@example.net', 'userunknown', true]]);
});

test("the reply on the line under the notice's words that introduce it is about the recipient the notice lists", () => {
  // the DragonFly Mail Agent's notice: the remote named the mailbox the alias led to, at RCPT and after DATA
  const dma = (step: string, reply: string): BounceMessage =>
    textNotice(
      `This is the DragonFly Mail Agent v0.13 at relay.example.com.\n\nThere was an error delivering your mail to <bob@example.net>.\n\nmx.example.net [192.0.2.25] did not like our ${step}:\n${reply}\n\nMessage headers follow.\n`,
      { subject: 'Mail delivery failed', from: 'MAILER-DAEMON@relay.example.com' },
    );
  assert.deepEqual(
    reported(dma('RCPT TO', '550 5.1.1 <robert@mail.example.net>... User unknown'), 'recipient', 'reason', 'hard'),
    [['bob@example.net', 'userunknown', true]],
  );
  assert.deepEqual(reported(dma('DATA', '552 5.2.2 <robert@mail.example.net>: Mailbox full'), 'recipient', 'reason'), [
    ['bob@example.net', 'mailboxfull'],
  ]);
  // ... and so are the lines after the first of a multi-line reply, which carry its code (an Exim callout on the sender)
  const callout = dma(
    'RCPT TO',
    '550-Verification failed for <ann@example.com>\n550-Sent: RCPT TO:<ann@example.com>\n550-5.1.1 <ann@example.com>: Recipient address rejected: User unknown\n550 Sender verify failed',
  );
  assert.deepEqual(reported(callout, 'recipient', 'reason'), [['bob@example.net', 'rejected']]);
});

test('an alias note Postfix wrapped after "(expanded from" still names the alias, not another failure', () => {
  const notice = (entry: string): BounceMessage =>
    textNotice(
      `This is the mail system at host mail.example.net.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients. It's attached below.\n\n${entry} host mx.example.com[192.0.2.1] said:\n    550 5.1.1 No such mailbox (in reply to RCPT TO command)\n`,
      { subject: 'Undelivered Mail Returned to Sender', from: 'MAILER-DAEMON@mail.example.net' },
    );
  assert.deepEqual(
    reported(
      notice('<alice@example.com> (expanded from\n    <bob@example.org>):'),
      'recipient',
      'originalRecipient',
      'reason',
    ),
    [['alice@example.com', 'bob@example.org', 'userunknown']],
  );
  // ... and named again where a reply's line was wrapped without an indent, it is still the alias
  const sendmail = textNotice(
    '   ----- The following addresses had permanent fatal errors -----\nann@mail.example.org\n    (expanded from: ann@example.org)\n\n' +
      '   ----- Transcript of session follows -----\n554 Too many hops 26 (25 max): from list-admin@example.com\nvia localhost, to ann@example.org\n',
    { subject: 'Returned mail: Too many hops', from: 'MAILER-DAEMON@mail.example.org' },
  );
  assert.deepEqual(reported(sendmail, 'recipient', 'originalRecipient'), [['ann@mail.example.org', 'ann@example.org']]);
  // ... and one wrapped between its words
  assert.deepEqual(
    reported(
      notice('<alice@example.com> (expanded\n    from <bob@example.org>):'),
      'recipient',
      'originalRecipient',
      'reason',
    ),
    [['alice@example.com', 'bob@example.org', 'userunknown']],
  );
});

test("a line under a heading for delivered recipients that states its own failure is a failure (OpenSMTPD 5.7's template)", () => {
  const notice = textNotice(
    'This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail.\n\nYour message was successfully delivered to these recipients.\n\ncarol@example.com: Envelope expired\n\nBelow is a copy of the original message:\n',
    { subject: 'Delivery status notification', from: 'MAILER-DAEMON@mx.example.org' },
  );
  assert.deepEqual(reported(notice, 'recipient', 'reason'), [['carol@example.com', 'expired']]);
  // a line that only lists the address stays a delivery
  const delivered = textNotice('Your message was successfully delivered to these recipients.\n\ndan@example.com\n', {
    subject: 'Delivery status notification',
    from: 'MAILER-DAEMON@mx.example.org',
  });
  assert.deepEqual(reported(delivered, 'recipient', 'reason'), [['dan@example.com', 'delivered']]);
});

test("the returned message's cc list folded over lines, Exchange's encapsulated address and the sender named in a reply are no failed recipients", () => {
  const domino = textNotice(
    "Delivery Failure Report\n\nwas not       bob@example.org\ndelivered\nto:\n\nbecause:      5.1.2 - Bad destination host 'DNS Hard Error looking up\n              example.org (A):  domain has no A record'\n\nTo: bob@example.org\ncc: carol@example.org, \"'Dave Jones'\" <dave@example.com>,\n erin@example.org, \"'Frank Lee'\" <frank@example.com>\n",
    { subject: 'DELIVERY FAILURE: 5.1.2', from: 'Postmaster@mail01.example.com' },
  );
  assert.deepEqual(reported(domino, 'recipient'), [['bob@example.org']]);
  const exchange = textNotice(
    "Delivery has failed to these recipients or groups:\n\nbob@example.org\nThe email address you entered couldn't be found.\n\nDiagnostic information for administrators:\n\nGenerating server: MAIL01.corp.example.net\n\nIMCEAEX-_O=EXAMPLE_OU=First+20Administrative+20Group_cn=Recipients_cn=bob+40example+2Eorg@example.net\nRemote Server returned '550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found'\n",
    { subject: 'Undeliverable: hello', from: 'postmaster@example.net' },
  );
  assert.deepEqual(reported(exchange, 'recipient', 'reason', 'hard'), [['bob@example.org', 'userunknown', true]]);
  // ... but when the notice lists only encapsulated addresses (stale directory entries), they are what failed
  const onlyEncapsulated = textNotice(
    'Diagnostic information for administrators:\n\nIMCEAEX-_O=Example_cn=Recipients_cn=1a2b-Carol@example.net\n#550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found ##\n\nIMCEAEX-_O=Example_cn=Recipients_cn=3c4d-Dan@example.net\n#550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found ##\n',
    { subject: 'Undeliverable: hello', from: 'postmaster@example.net' },
  );
  assert.equal(reported(onlyEncapsulated, 'recipient').length, 2);
  const sendmail = textNotice(
    '   ----- The following addresses had permanent fatal errors -----\nuuhost!bob\n    (reason: 553 5.1.8 <uuhost!bob>... Domain of sender address alice@relay.example.net does not exist)\n',
    { subject: 'Returned mail: see transcript for details', from: 'MAILER-DAEMON@relay.example.org' },
  );
  assert.ok(!reported(sendmail, 'recipient').some(([r]) => r === 'alice@relay.example.net'));
});

test("a recipient's display name is not the cause: 'Complaints' in a name is no complaint about the sender", () => {
  const notice = textNotice(
    "Delivery has failed to these recipients or groups:\n\nExample Health Board - Complaints (bob@example.net)\nThe recipient's mailbox is full and can't accept messages now.\n",
    { subject: 'Undeliverable: hello', from: 'postmaster@example.net' },
  );
  assert.deepEqual(reported(notice, 'recipient', 'reason'), [['bob@example.net', 'mailboxfull']]);
});

test('an address the notice offers to write to instead is not a failed recipient', () => {
  const notice = textNotice(
    'The email sent to replies@example.com cannot be processed. This address is used to collect replies.\n\nPlease contact us instead using help@example.com\n',
    { subject: 'Undeliverable: hello', from: 'noreply@example.com' },
  );
  assert.deepEqual(reported(notice, 'recipient'), [['replies@example.com']]);
  // ... in Postfix's template, and in a localised one whose verb comes after the address
  const postfix = (preamble: string) =>
    textNotice(
      `This is the Postfix program at host mx1.example.com.\n\n${preamble}\n\n                   The Postfix program\n\n<bob@nohost.example.net>: Host or domain name not found. Name\n    service error for name=nohost.example.net type=A: Host not found\n`,
      { subject: 'Undelivered Mail Returned to Sender', from: 'MAILER-DAEMON@mx1.example.com' },
    );
  for (const preamble of [
    'For further assistance, please send mail to <helpdesk@example.com>',
    // ... also when a relay refolded the line narrower, the address opening the next line
    'For further assistance, please contact\n    <helpdesk@example.com>',
    'お送りいただいたメールは宛先に届きませんでした。\n解決しない場合は、<helpdesk@example.com>\nまでお問い合わせください。',
  ])
    assert.deepEqual(reported(postfix(preamble), 'recipient'), [['bob@nohost.example.net']], preamble);
  // near miss: a failure to send mail to an address names it
  const failed = textNotice('Could not send mail to <carol@example.org>: mailbox unavailable\n', {
    subject: 'Undeliverable: hello',
    from: 'MAILER-DAEMON@mx1.example.com',
  });
  assert.deepEqual(reported(failed, 'recipient'), [['carol@example.org']]);
});

test("1&1 cuts the remote's reply anywhere, inside an address too: the cut-off end is no failed recipient", () => {
  const notice = textNotice(
    'This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of\nits recipients. This is a permanent error. The following address(es)\nfailed:\n\nbob.longname@example.com:\nSMTP error from remote server for TEXT command, host: mx.example.com (192.0.2.4) reason: 550 Message was not accepted -- invalid mailbox. Local mailbox bob.long\nname@example.com is unavailable: account is disabled\n',
    { subject: 'Mail delivery failed: returning message to sender', from: 'mailer-daemon@kundenserver.example' },
  );
  assert.deepEqual(reported(notice, 'recipient', 'reason'), [['bob.longname@example.com', 'suspend']]);
});

test('a contact address set apart by a run of blanks is still a contact', () => {
  const notice = textNotice(
    'Unable to send to friend@example.org: the address does not exist.\n\nFor more information, please contact           help@example.com\n',
    { subject: 'Undeliverable: hello', from: 'mailer-daemon@mail.example.com' },
  );
  assert.deepEqual(reported(notice, 'recipient'), [['friend@example.org']]);
});

test("a Final-Recipient that holds only a domain stands for the address the notice's lines list at that domain", () => {
  const fields = (recipient: string) =>
    `Final-Recipient: rfc822; ${recipient}\nAction: delayed\nStatus: 4.4.1\n` +
    `Diagnostic-Code: X-Postfix; connect to example.org[192.0.2.6]:25: Connection timed out\n`;
  const text = '<bob@example.org>: connect to example.org[192.0.2.6]:25: Connection timed out\n';
  assert.deepEqual(reported(dsn(fields('example.org'), text), 'recipient'), [['bob@example.org']]);
  // two addresses listed at the domain: nothing says which one the field stood for
  const two = `${text}<carol@example.org>: connect to example.org[192.0.2.6]:25: Connection timed out\n`;
  assert.deepEqual(reported(dsn(fields('example.org'), two), 'recipient'), [['example.org']]);
});

test('a line of addresses and nothing else lists each of them as failed', () => {
  const notice = textNotice(
    "Your message couldn't be delivered to the recipients shown below.\n\nexample.com suspects your message is spam and rejected it.\n\nCouldn't deliver the message to the following recipients:\nalpha@example.com, beta@example.com\n\nHow to Fix It\n",
    { subject: 'Undeliverable: hello', from: 'postmaster@outlook.example' },
  );
  assert.deepEqual(reported(notice, 'recipient', 'reason'), [
    ['alpha@example.com', 'spamdetected'],
    ['beta@example.com', 'spamdetected'],
  ]);
  // an address with words after it lists only itself: the next is in its words
  const said = textNotice('Delivery failed for alpha@example.com, relayed via beta@example.com.\n', {
    subject: 'Undeliverable: hello',
    from: 'postmaster@outlook.example',
  });
  assert.deepEqual(reported(said, 'recipient'), [['alpha@example.com']]);
});

test('addresses listed one under another share the words under the last of them', () => {
  // Apache James's notice lists the recipients it gave up on, then the one reason for all of them
  const james = textNotice(
    "Hi. This is the James mail server at mail.example.org.\nI'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.  Below\nI include the list of recipients and the reason why I was unable to deliver\nyour message.\n\nalpha@example.com\nbeta@example.com\ngamma@example.com\nConnection timed out: connect\n",
    { subject: 'Undeliverable: hello', from: 'MAILER-DAEMON@mail.example.org' },
  );
  const readings = classifyBounce(james).recipients;
  assert.deepEqual(
    readings.map((r) => r.recipient),
    ['alpha@example.com', 'beta@example.com', 'gamma@example.com'],
  );
  for (const r of readings) {
    assert.equal(r.reason, readings[2]!.reason, r.recipient);
    assert.match(r.diagnostic, /Connection timed out/, r.recipient);
  }
  // an address listed above another, whose own words come later, keeps its own
  const detailed = textNotice(
    'Delivery to the following recipients failed:\n\nalpha@example.com\nbeta@example.com\n\nDetails:\nalpha@example.com: 550 5.1.1 User unknown\nbeta@example.com: 552 5.2.2 Mailbox full\n',
  );
  assert.deepEqual(reported(detailed, 'recipient', 'reason'), [
    ['alpha@example.com', 'userunknown'],
    ['beta@example.com', 'mailboxfull'],
  ]);
});

test('a Final-Recipient that is a program an alias led to stands for the original address, at a host of one label too', () => {
  const fields =
    'Original-Recipient: utf-8; desk@mailhub\nFinal-Recipient: utf-8; /usr/local/bin/ticket-import\nAction: failed\nStatus: 5.0.0\n';
  assert.deepEqual(reported(dsn(fields), 'recipient'), [['desk@mailhub']]);
});

test("a transcript's last session that names nobody belongs to no one of several recipients", () => {
  const notice = textNotice(
    '   ----- The following addresses had permanent fatal errors -----\n<gone@example.net>\n' +
      '    (reason: 550 5.1.1 <gone@example.net>... User unknown)\n<member@other.example.net>\n' +
      '    (reason: 552 5.2.2 Mailbox full)\n\n   ----- Transcript of session follows -----\n' +
      '... while talking to mx.example.net.:\n>>> RCPT To:<gone@example.net>\n' +
      '<<< 550 5.1.1 <gone@example.net>... User unknown\n... while talking to mx.other.example.net.:\n>>> DATA\n' +
      '<<< 552 5.2.2 Mailbox full\n554 5.0.0 Service unavailable\n',
    { from: 'Mail Delivery Subsystem <MAILER-DAEMON@mx.example.com>', subject: 'Returned mail: see transcript' },
  );
  assert.deepEqual(reported(notice, 'recipient', 'reason', 'hard'), [
    ['gone@example.net', 'userunknown', true],
    ['member@other.example.net', 'mailboxfull', false],
  ]);
});

test('the address a recipient moved to is no failed recipient: it is where mail should go now', () => {
  const qmail = (reason: string) =>
    textNotice(
      "Hi. This is the qmail-send program at mail.example.net.\nI'm afraid I wasn't able to deliver your message to " +
        `the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n<board@example.net>:\n${reason}\n`,
      { from: 'MAILER-DAEMON@mail.example.net', subject: 'failure notice' },
    );
  assert.deepEqual(
    reported(qmail('This address has moved to newbox@example.org, please resend your message there.'), 'recipient'),
    [['board@example.net']],
  );
  // RFC 5321 3.4: "551 User not local; please try <forward-path>"
  assert.deepEqual(
    reported(
      qmail(
        '192.0.2.1 failed after I sent the message.\nRemote host said: 551 User not local; please try <new@example.org>',
      ),
      'recipient',
    ),
    [['board@example.net']],
  );
});

test("a recipient whose own lines quote only the destination's success is reached, beside one that failed (Courier's notice, text only)", () => {
  // Courier's module.dsn templates: dsndelivered.txt, dsnrelayed.txt, dsnfailed.txt, each recipient followed by the
  // host it reached and the session's last reply
  const rule = '\n---------------------------------------------------------------------------\n\n';
  const delivered =
    `${rule}                    MESSAGE DELIVERED SUCCESSFULLY\n\nYour E-mail requested a delivery notice/return receipt for the following\naddresses:\n\n` +
    '<alice@example.org>:\n    mx.example.org [192.0.2.1]:\n<<< 250 2.0.0 Ok: queued as 4F1\n';
  const relayed =
    `${rule}                   MESSAGE DELIVERED TO A MAIL GATEWAY\n\nYou requested a delivery acknowledgement (a return receipt) for the\nfollowing recipients of your E-mail message.  Unfortunately, your message\nhas been transferred to an intermediate mail gateway that is not capable\nof generating delivery acknowledgements.\n\nUnless your message is eventually returned as undeliverable, you may not\nreceive any further delivery notices for the following addresses:\n\n` +
    '<bob@example.org>:\n    mx.example.org [192.0.2.1]:\n<<< 250 ok 931200942 qp 25258\n';
  const failed =
    `${rule}                           UNDELIVERABLE MAIL\n\nYour message to the following recipients cannot be delivered:\n\n` +
    '<carol@example.org>:\n    mx.example.org [192.0.2.1]:\n>>> RCPT TO:<carol@example.org>\n<<< 550 5.1.1 <carol@example.org>: Recipient address rejected: User unknown\n';
  const courier = (body: string): BounceMessage =>
    textNotice(
      `This is a delivery status notification from relay.example.com,\nrunning the Courier mail server.\n${body}`,
      {
        subject: 'NOTICE: mail delivery status.',
        from: '"Courier mail server at relay.example.com" <@>',
      },
    );
  for (const body of [delivered + failed, failed + delivered])
    assert.deepEqual(reported(courier(body), 'recipient', 'reason', 'hard').sort(), [
      ['alice@example.org', 'delivered', false],
      ['carol@example.org', 'userunknown', true],
    ]);
  assert.deepEqual(reported(courier(relayed + failed), 'recipient', 'reason', 'hard').sort(), [
    ['bob@example.org', 'delivered', false],
    ['carol@example.org', 'userunknown', true],
  ]);
  // a success in the session before the recipient's own failure is no delivery (Sendmail's transcript)
  const deferred = textNotice(
    '   ----- Transcript of session follows -----\n... while talking to mx.example.org.:\n>>> MAIL From:<s@example.com>\n<<< 250 2.1.0 Sender ok\n<dan@example.org>... Deferred: Connection timed out with mx.example.org.\n',
    { subject: 'Returned mail: see transcript for details', from: 'MAILER-DAEMON@relay.example.com' },
  );
  assert.notEqual(reported(deferred, 'reason')[0]?.[0], 'delivered');
});

test("Haraka's one line of intended recipients names each of them, all failed for its one reason", () => {
  // Haraka's config/outbound.bounce_message: "Intended Recipients: {recipients}" then "Failure Reason: {reason}"
  const notice = textNotice(
    qmailOpening('out1.example.com', 'Haraka Mailer') +
      'Intended Recipients: <kalle@example.net>, <tekniker@example.net>\nFailure Reason: 550 5.7.1 Service unavailable; client [198.51.100.201] blocked using zen.spamhaus.org\n',
    { subject: 'failure notice', from: 'MAILER-DAEMON@out1.example.com' },
  );
  assert.deepEqual(reported(notice, 'recipient', 'reason'), [
    ['kalle@example.net', 'blocked'],
    ['tekniker@example.net', 'blocked'],
  ]);
});

test("a transcript line that names the address a listed recipient was expanded from is that recipient's (Sendmail)", () => {
  // Sendmail lists the failed addresses, then one transcript line per failure: the hop count names the alias the
  // first was expanded from, the second line its own address
  const notice = textNotice(
    '   ----- The following addresses had permanent fatal errors -----\nann@mail.example.org\n    (expanded from: ann@example.org)\n<bob@example.org>\n\n' +
      '   ----- Transcript of session follows -----\n554 Too many hops 26 (25 max): from list-admin@example.com via localhost, to ann@example.org\n550 <bob@example.org>... User unknown\n',
    { subject: 'Returned mail: see transcript for details', from: 'MAILER-DAEMON@mail.example.org' },
  );
  assert.deepEqual(reported(notice, 'recipient', 'originalRecipient', 'reason', 'hard'), [
    ['ann@mail.example.org', 'ann@example.org', 'networkerror', false],
    ['bob@example.org', undefined, 'userunknown', true],
  ]);
});

test("a message identifier in a transcript's log line names no recipient (MDaemon)", () => {
  // MDaemon's warning: the failed address, then its session log, which prints the message's own headers
  const log = (s: string) => ` Mon 2026-03-02 09:14:05: ${s}\n`;
  const notice = textNotice(
    'MDaemon Delivery Status Notification - https://www.example.com/dsn\n\nThe attached message had TEMPORARY non-fatal delivery errors.\n\nFailed address: dana@dest.example\n\n--- Session Transcript ---\n' +
      log('*  From: app@example.org') +
      log('*  To: dana@dest.example') +
      log('*  Message-ID: <7c1e90aa-51b2-4d0e-9f3a-2b6c1d8e4f70@example.org>') +
      log('--> RCPT To:<dana@dest.example>') +
      log('<-- 450 4.7.25 Client host rejected: cannot find your hostname, [192.0.2.7]') +
      '--- End Transcript ---\n',
    { subject: 'Warning: Temporary Delivery Failure', from: 'MDaemon@example.org' },
  );
  assert.deepEqual(reported(notice, 'recipient', 'reason'), [['dana@dest.example', 'requireptr']]);
});

test('a mapping of refused recipients quoted in a notice names each address without its punctuation', () => {
  // a council's gateway quoted what Python's smtplib raised: a mapping of each refused address to its reply
  const notice = textNotice(
    'This is a delivery status notification, automatically generated by MTA mg1.example.gov.uk on Tue, 12 Apr 2011 00:59:11 +0100\n' +
      'Regarding recipient(s) : foi@example.gov.uk\n' +
      "Delivery status : Failed. Message could not be delivered to domain <example.gov.uk> .{'foi@example.gov.uk': (550, '5.7.1 Unknown recipient <foi@example.gov.uk> was submitted by host <192.0.2.41>. Sender address was <app@example.org>.')}\n" +
      'MTA Response :N/A\nThe original message headers are included as attachment.\n',
    { subject: 'Delivery Status Notification', from: 'postmaster@example.gov.uk' },
  );
  assert.deepEqual(reported(notice, 'recipient', 'status'), [['foi@example.gov.uk', '5.7.1']]);
});
