// Notice formats that are not RFC 3464 reports: Amazon SES JSON notifications, fml mailing-list notices, gateway
// notices recognised only by their null sender and a failure sentence, and a few documented directory phrases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyBounce, type RecipientReport } from '../../../src/domain/bounces/classify-bounce.js';
import type { BounceMessage } from '../../../src/domain/bounces/bounce-message.js';
import { classifySmtpReply } from '../../../src/domain/bounces/classify-smtp-reply.js';
import { MAX_SES_JSON } from '../../../src/domain/bounces/ses-notification.js';
import { inboundOutcome } from '../../../src/domain/bounces/inbound-outcome.js';
import { dsn, eximFailure, h, qmailOpening, reported, textNotice } from './synthetic-dsn.js';

function snsMail(body: string): BounceMessage {
  return {
    headers: [
      h('from', 'AWS Notifications <no-reply@sns.amazonaws.com>'),
      h('subject', 'AWS Notification Message'),
      h('content-type', 'text/plain; charset=UTF-8'),
    ],
    parts: [{ type: 'text/plain', headers: [], text: body }],
  };
}

const sesBounce = (bounce: Record<string, unknown>): string =>
  JSON.stringify({ notificationType: 'Bounce', bounce, mail: { source: 'app@example.com' } });

/** SES's most common notification: a permanent bounce of subtype General for the recipients given. */
const generalBounce = (bouncedRecipients: ReadonlyArray<Record<string, unknown>>): string =>
  sesBounce({ bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients });

test('an SES bounce notification reports each bounced recipient from its diagnostic', () => {
  const report = classifyBounce(
    snsMail(
      generalBounce([
        {
          emailAddress: 'gone@example.org',
          action: 'failed',
          status: '5.1.1',
          diagnosticCode: 'smtp; 550 5.1.1 user unknown',
        },
        {
          emailAddress: 'spam@example.org',
          action: 'failed',
          status: '5.7.1',
          diagnosticCode: 'smtp; 554 5.7.1 Message rejected as spam',
        },
      ]) + '\n--\nIf you wish to stop receiving notifications from this topic, please click the link below.\n',
    ),
  );
  assert.equal(report.kind, 'bounce');
  assert.deepEqual(
    report.recipients.map((r) => [r.recipient, r.status, r.replycode, r.reason, r.hard]),
    [
      ['gone@example.org', '5.1.1', '550', 'userunknown', true],
      ['spam@example.org', '5.7.1', '554', 'spamdetected', false],
    ],
  );
});

test('an SNS-wrapped notification is unwrapped; SES suppression and subtypes decide what the reply leaves open', () => {
  const suppressed = sesBounce({
    bounceType: 'Permanent',
    bounceSubType: 'Suppressed',
    bouncedRecipients: [
      {
        emailAddress: 'old@example.org',
        action: 'failed',
        status: '5.1.1',
        diagnosticCode: 'Amazon SES has suppressed sending to this address because it has a recent history of bouncing',
      },
    ],
  });
  const wrapped = JSON.stringify({ Type: 'Notification', MessageId: 'x', Message: suppressed });
  const r1 = classifyBounce(snsMail(wrapped)).recipients[0]!;
  assert.deepEqual([r1.recipient, r1.reason, r1.hard], ['old@example.org', 'userunknown', true]);

  const full = classifyBounce(
    snsMail(
      sesBounce({
        bounceType: 'Transient',
        bounceSubType: 'MailboxFull',
        bouncedRecipients: [{ emailAddress: 'a@example.org' }],
      }),
    ),
  ).recipients[0]!;
  assert.deepEqual([full.status, full.reason, full.hard], ['4.0.0', 'mailboxfull', false]);
});

test("a notification whose long lines a mailer broke is read whole, Sendmail's '!' breaks included", () => {
  const json = generalBounce([
    { emailAddress: 'gone@example.org', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 "gone" user unknown' },
  ]);
  // each line cut at 76 characters and continued after one space; Sendmail ends the cut line with '!', even
  // right after the backslash of an escape
  const cut = (sep: string, at: number) => json.slice(0, at) + sep + json.slice(at);
  const escape = json.indexOf('\\"') + 1;
  for (const body of [json.replace(/(.{76})/g, '$1\n '), json.replace(/(.{76})/g, '$1!\n '), cut('!\n ', escape)]) {
    const r = classifyBounce(snsMail(`${body}\n--\nIf you wish to stop receiving notifications ...\n`));
    assert.deepEqual(
      r.recipients.map((x) => [x.recipient, x.reason, x.hard]),
      [['gone@example.org', 'userunknown', true]],
      body,
    );
  }
});

test('an SES complaint is feedback, a delivery notification a success report', () => {
  const complaint = classifyBounce(
    snsMail(
      JSON.stringify({
        notificationType: 'Complaint',
        complaint: { complainedRecipients: [{ emailAddress: 'c@example.org' }], complaintFeedbackType: 'abuse' },
      }),
    ),
  );
  assert.equal(complaint.kind, 'feedback');
  assert.deepEqual(
    complaint.recipients.map((r) => [r.recipient, r.reason, r.feedbackType]),
    [['c@example.org', 'feedback', 'abuse']],
  );
  const delivery = classifyBounce(
    snsMail(
      JSON.stringify({
        notificationType: 'Delivery',
        delivery: { recipients: ['ok@example.org'], smtpResponse: '250 2.6.0 Message received' },
      }),
    ),
  ).recipients[0]!;
  assert.deepEqual(
    [delivery.recipient, delivery.status, delivery.replycode, delivery.reason, delivery.hard],
    ['ok@example.org', '2.6.0', '250', 'delivered', false],
  );
});

test('an SES delivery delay event is a delay, its delayType deciding what the reply leaves open', () => {
  const delay = (delayType: string, recipient: Record<string, string>) =>
    classifyBounce(
      snsMail(
        JSON.stringify({
          eventType: 'DeliveryDelay',
          mail: { source: 'app@example.com' },
          deliveryDelay: { delayType, expirationTime: '2026-06-16T00:25:40.914Z', delayedRecipients: [recipient] },
        }),
      ),
    ).recipients.map((r) => [r.recipient, r.status, r.reason, r.hard, r.action]);
  // the example of "Contents of event data that Amazon SES publishes to Amazon SNS"
  assert.deepEqual(
    delay('TransientCommunicationFailure', {
      emailAddress: 'recipient@example.com',
      status: '4.4.1',
      diagnosticCode: 'smtp; 421 4.4.1 Unable to connect to remote host',
    }),
    [['recipient@example.com', '4.4.1', 'networkerror', false, 'delayed']],
  );
  assert.deepEqual(delay('IPFailure', { emailAddress: 'a@example.org' }), [
    ['a@example.org', '4.0.0', 'blocked', false, 'delayed'],
  ]);
  assert.deepEqual(delay('MailboxFull', { emailAddress: 'b@example.org', status: '4.2.2' }), [
    ['b@example.org', '4.2.2', 'mailboxfull', false, 'delayed'],
  ]);
});

test("an SES recipient listed with the display name of the message's To is reported by its address", () => {
  const r = classifyBounce(
    snsMail(
      generalBounce([
        {
          emailAddress: 'Ann Example <ann@example.org>',
          status: '5.1.1',
          diagnosticCode: 'smtp; 550 5.1.1 no such user',
        },
      ]),
    ),
  );
  assert.deepEqual(
    r.recipients.map((x) => [x.recipient, x.reason]),
    [['ann@example.org', 'userunknown']],
  );
});

test('a JSON body that is not an SES notification, or is cut, is read as any other message', () => {
  assert.equal(classifyBounce(snsMail('{"hello": "world"}')).kind, 'not_bounce');
  assert.equal(classifyBounce(snsMail('{"notificationType": "Bounce", "bounce": {')).kind, 'not_bounce');
  // past the bound the document is cut, so it no longer parses: nothing is reported, nothing throws
  const huge = sesBounce({
    bounceType: 'Permanent',
    bouncedRecipients: [{ emailAddress: 'a@example.org', diagnosticCode: 'x'.repeat(2 * MAX_SES_JSON) }],
  });
  assert.equal(classifyBounce(snsMail(huge)).kind, 'not_bounce');
  const deep = '{"a":' + '['.repeat(MAX_SES_JSON) + ']'.repeat(MAX_SES_JSON) + '}';
  assert.equal(classifyBounce(snsMail(deep)).kind, 'not_bounce');
});

function fmlNotice(subject: string, text: string): BounceMessage {
  return {
    headers: [
      h('from', 'list-admin@example.jp'),
      h('to', 'list-admin@example.jp'),
      h('subject', subject),
      h('x-mlserver', 'fml [fml 4.0.3 release (20011202/4.0.3)]'),
    ],
    parts: [{ type: 'text/plain', headers: [], text }],
  };
}

test('fml notices: a loop is a system error, a non-member post a refusal of the sender; neither is hard', () => {
  const loop = classifyBounce(
    fmlNotice(
      'Loop Alert: Duplicated Message-ID (neko ML)',
      'Duplicated Message-ID in <neko@example.jp>.\n\n\nOriginal mail as follows:\n\n   From: <poster@example.org>\n',
    ),
  );
  assert.deepEqual(
    loop.recipients.map((r) => [r.recipient, r.reason, r.hard]),
    [['neko@example.jp', 'systemerror', false]],
  );
  const member = classifyBounce(
    fmlNotice('NOT MEMBER article from poster@example.org (neko ML)', 'You are not member of <neko@example.jp>.\n'),
  );
  assert.equal(member.recipients[0]?.reason, 'rejected');
  // fml's other catalogue phrases: its loop detector, and a post refused because a header may cause a loop
  const detected = classifyBounce(
    fmlNotice('fml error (neko ML)', 'fml <neko@example.jp> has detected a loop condition so that\ninput mail ...\n'),
  );
  assert.equal(detected.recipients[0]?.reason, 'systemerror');
  const header = classifyBounce(
    fmlNotice('fml error (neko ML)', 'reject since X-ML-Name header may cause mail loop <neko@example.jp>\n'),
  );
  assert.equal(header.recipients[0]?.reason, 'rejected');
  // the text names the post's own cause under a subject the list's notices share
  const shared = classifyBounce(
    fmlNotice('Loop Alert: Duplicated Message-ID (neko ML)', 'NOT MEMBER article from <poster@example.org>\n'),
  );
  assert.equal(shared.recipients[0]?.reason, 'rejected');
  // the same header on an ordinary list message that states no known cause is not a notice
  assert.equal(classifyBounce(fmlNotice('Re: lunch', 'See you at noon, <neko@example.jp>')).kind, 'not_bounce');
});

test("fml notices of its envelope filter, its size limit and its traffic monitor, in its catalogue's words", () => {
  const reasonOf = (subject: string, text: string) => classifyBounce(fmlNotice(subject, text)).recipients[0]?.reason;
  assert.equal(
    reasonOf(
      'Rejected mail by FML EnvelopeFilter (neko ML)',
      "Your mail is rejected for 'null mail body'. <neko@example.jp>\n",
    ),
    'policyviolation',
  );
  assert.equal(
    reasonOf(
      'Rejected mail by FML EnvelopeFilter (neko ML)',
      "Your mail is rejected for 'melissa family computer virus'. <neko@example.jp>\n",
    ),
    'virusdetected',
  );
  assert.equal(
    reasonOf(
      'REJECT TOO BIG MAIL (neko ML)',
      'ATTENTION! Your mail is too big, so not processed!!! <neko@example.jp>\n',
    ),
    'mesgtoobig',
  );
  assert.equal(
    reasonOf(
      'FML Mail Traffic Monitor System Report (neko ML)',
      'FML Mail Traffic Monitor System: I detect a burst traffic (mail bomb?) occurs now. <neko@example.jp>\n',
    ),
    'speeding',
  );
});

test('a null-sender notice that states a failure is a bounce whatever its subject; without the null sender it is not', () => {
  const text =
    'Your mail sent on: Thu, 29 Apr 2013 00:00:00 +0900\n     Could not be delivered to: <kijitora@ezweb.example.jp>\n     As their mailbox is full.\n';
  const notice = (returnPath: string): BounceMessage => ({
    headers: [
      h('return-path', returnPath),
      h('from', 'no-reply@gateway.example.jp'),
      h('to', 'me@example.com'),
      h('subject', 'Mail'),
    ],
    parts: [{ type: 'text/plain', headers: [], text }],
  });
  const r = classifyBounce(notice('<>')).recipients[0]!;
  assert.deepEqual([r.recipient, r.reason, r.hard], ['kijitora@ezweb.example.jp', 'mailboxfull', false]);
  assert.equal(classifyBounce(notice('<someone@example.jp>')).kind, 'not_bounce');
  // the sentence folded over two lines states the same failure
  const folded: BounceMessage = {
    ...notice('<>'),
    parts: [
      { type: 'text/plain', headers: [], text: text.replace('Could not be delivered', 'Could not\n     be delivered') },
    ],
  };
  assert.equal(classifyBounce(folded).recipients[0]?.recipient, 'kijitora@ezweb.example.jp');
  // ... and so does the sentence with its negation contracted, as newer templates write it
  const contracted: BounceMessage = {
    ...notice('<>'),
    parts: [{ type: 'text/plain', headers: [], text: text.replace('Could not be delivered', "Couldn't be delivered") }],
  };
  assert.equal(classifyBounce(contracted).recipients[0]?.recipient, 'kijitora@ezweb.example.jp');
  // ... and so do Gmail's cards for a blocked message and a delay, under a subject no table knows
  for (const [card, reason] of [
    ['** Message blocked **\n\nYour message to ivy@dest.example has been blocked.', 'onhold'],
    [
      '** Delivery incomplete **\n\nThere was a temporary problem delivering your message to ivy@dest.example. Gmail will retry for 46 more hours.',
      'expired',
    ],
  ]) {
    const gmail: BounceMessage = {
      ...notice('<>'),
      parts: [{ type: 'text/plain', headers: [], text: `${card}\n` }],
    };
    assert.deepEqual(reported(gmail, 'recipient', 'reason'), [['ivy@dest.example', reason]], card);
  }
});

test('a notice is known by its subject, in the languages providers write it, and by its words, whoever its From names', () => {
  const from = 'Mail Server <mail@relay.example.net>';
  const text = '<gone@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1 User unknown\n';
  for (const subject of [
    'Не удается доставить: report',
    'Недоставленное сообщение',
    'Não entregue: report',
    'Sin entregar: report',
    'Aviso de mensaje no entregado',
    'Niet-bezorgde mail teruggestuurd naar afzender',
    'Vertraagde mail (wordt nog opnieuw verzonden)',
    'Remise retardée : report',
    '系统退信',
    'Dooray! 메일 발송 실패 안내',
    'Mail delivery deferred: returning message to sender',
    'Delayed: report',
    'Warning: message delayed',
  ])
    assert.equal(classifyBounce(textNotice(text, { from, subject })).kind, 'bounce', subject);
  // marked automatic (RFC 3834), a notice's subject over words that state the failure is a notice, not an auto-reply
  const marked = textNotice(
    "I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n" + text,
    {
      from,
      subject: 'Undelivered Mail Returned to Sender',
      headers: [h('auto-submitted', 'auto-replied')],
    },
  );
  assert.deepEqual(reported(marked, 'recipient', 'reason'), [['gone@example.org', 'userunknown']]);
  // ... but an out-of-office reply that only echoes such a subject is still one
  const away = textNotice('I am away until Monday.\n', {
    from: 'Ivy <ivy@example.org>',
    subject: 'Undelivered Mail Returned to Sender',
    headers: [h('auto-submitted', 'auto-replied')],
  });
  assert.equal(classifyBounce(away).kind, 'vacation');
});

test('a delay warning reads as one with its negations contracted', () => {
  const warning = (sentence: string) =>
    reported(
      textNotice(`<slow@example.org>: connection timed out\n${sentence}\n`, {
        from: 'MAILER-DAEMON@mx.example.org',
        subject: 'Mail delivery notice',
      }),
      'reason',
      'hard',
      'status',
    );
  assert.deepEqual(warning('You do not need to resend your message.'), [['expired', false, '4.0.0']]);
  assert.deepEqual(warning("You don't need to resend your message."), [['expired', false, '4.0.0']]);
});

test("a Google Workspace domain's group notice, signed by its admins, is Google Groups' refusal of the poster", () => {
  const notice = textNotice(
    "Hello writer@example.net,\n\nWe're writing to let you know that the group you tried to contact (sales) may not exist, or you may not have permission to post messages to the group. A few more details on why you weren't able to post:\n\n * You might have spelled or formatted the group name incorrectly.\n * The owner of the group may have removed this group.\n * You may need to join the group before receiving permission to post.\n * This group may not be open to posting.\n\nIf you have questions related to this or any other Google Group, visit the Help Center at https://support.google.com/a/example.com/bin/topic.py&topic=25838.\n\nThanks,\n\nexample.com admins\n",
    { subject: 'Address not found', from: 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>' },
  );
  const r = classifyBounce(notice);
  assert.deepEqual([r.kind, r.recipients[0]?.reason, r.recipients[0]?.hard], ['bounce', 'rejected', false]);
});

test("Google Groups' refusal is known by its own sentence too, and a group's name is no cause word", () => {
  const refusal = (group: string, bullets: string, help = ''): BounceMessage =>
    textNotice(
      `We're writing to let you know that the group you tried to contact (${group})\nmay not exist, or you may not ` +
        `have permission to post messages to the\ngroup. A few more details on why you weren't able to post:\n\n` +
        [
          'You might have spelled or formatted the group name incorrectly.',
          'The owner of the group may have removed this group.',
          'You may need to join the group before receiving permission to post.',
          'This group may not be open to posting.',
        ]
          .map((line) => `${bullets}${line}\n`)
          .join('') +
        help,
      {
        subject: 'Delivery Status Notification (Failure)',
        from: 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
      },
    );
  const reading = (m: BounceMessage) => {
    const r = classifyBounce(m);
    return [r.kind, r.recipients[0]?.reason, r.recipients[0]?.hard];
  };
  // pasted without its signature or help link; a group named for what its words would otherwise say
  assert.deepEqual(reading(refusal('security', ' * ')), ['bounce', 'rejected', false]);
  assert.deepEqual(reading(refusal('sales', ' * ')), ['bounce', 'rejected', false]);
  // the 2012 edition: dashes for bullets, the older help link
  const older =
    '\nIf you have questions, visit http://www.google.com/support/a/example.org/bin/static.py?page=groups.cs\n';
  assert.deepEqual(reading(refusal('team', '- ', older)), ['bounce', 'rejected', false]);
});

test("Exchange's notices in other languages, marked auto-replied, and the reply it quotes without a colon", () => {
  const exchange = (subject: string, text: string): BounceMessage => ({
    headers: [
      h('from', 'Microsoft Outlook <postmaster@example.net>'),
      h('subject', subject),
      h('auto-submitted', 'auto-replied'),
    ],
    parts: [{ type: 'text/plain', headers: [], text }],
  });
  const german = exchange(
    'Unzustellbar: Quarterly figures',
    "Diagnoseinformationen für Administratoren:\n\nGenerierender Server: mx1.example.net\n\nsomeone@example.com\nmail.example.com\nRemote server returned '550 5.1.1 <someone@example.com>: Recipient address rejected: User unknown'\n",
  );
  assert.deepEqual(reported(german, 'recipient', 'reason', 'hard'), [['someone@example.com', 'userunknown', true]]);
  // the remote's reply inside Exchange's own code: its words name the cause, whatever colon they hold
  const wrapped = exchange(
    'Undeliverable: Club newsletter',
    "Diagnostic information for administrators:\n\nmember@example.com\nmx.example.com\nRemote Server returned '554 5.0.0 <mx.example.com #5.0.0 smtp; 550-5.7.1 [192.0.2.10] Messages with multiple addresses in From: header are 550-5.7.1 not accepted.>'\n",
  );
  assert.deepEqual(reported(wrapped, 'recipient', 'reason'), [['member@example.com', 'notcompliantrfc']]);
  // ... and the same code without Exchange's own reply before it, a relay's name left empty: the colon of a link in
  // the reply does not end an introduction
  const relayed = exchange(
    'Undeliverable: Test',
    "Diagnostic information for administrators:\n\nGenerating server: mx-gate.example.net\n\nmember@example.com\nRemote Server returned '< #5.7.1 X-ASE-Secure-MTA; 550 5.7.1 Access denied to 192.0.2.10 by bl.example.org DNSBL (http://www.example.org/)>'\n",
  );
  assert.deepEqual(reported(relayed, 'recipient', 'reason'), [['member@example.com', 'blocked']]);
});

test('a notice that names nobody but quotes a refusal with its enhanced code is still a failure report', () => {
  const notice = textNotice(
    'The response from the remote server was:\n550 5.1.1 Recipient address rejected: no such user here [mx.example.com]\n',
    { subject: 'Delivery Status Notification (Failure)', from: 'Mail Delivery Subsystem <mailer-daemon@example.net>' },
  );
  assert.deepEqual(reported(notice, 'recipient', 'status', 'reason'), [['', '5.1.1', 'userunknown']]);
});

test('a null-sender notice states its failure in the language of its reader too', () => {
  const notice = (text: string, returnPath = '<>'): BounceMessage => ({
    headers: [
      h('return-path', returnPath),
      h('from', 'noreply@robot.example.net'),
      h('to', 'me@example.com'),
      h('subject', 'Re: hello'),
    ],
    parts: [{ type: 'text/plain', headers: [], text }],
  });
  const notices = [
    // Russian, folded over two lines
    'К сожалению, Ваше письмо не может\nбыть доставлено адресату someone@example.net.\n',
    'Ihre Nachricht an someone@example.net konnte nicht zugestellt werden.\n',
    "Votre message n'a pas pu être remis à someone@example.net.\n",
    'Su mensaje no se ha podido entregar a someone@example.net.\n',
    "Ceci est un message d'échec : votre email à someone@example.net n'a pu être envoyé.\n",
    'Twoja wiadomość do someone@example.net nie została dostarczona.\n',
    '您发送的邮件无法投递到 someone@example.net。\n',
    'someone@example.net 주소에 메일이 전송되지 않았습니다.\n',
    // NAVER's, and Dooray!'s, which puts each word of its sentence on a line of its own
    'someone@example.net 님께 보내신 메일 <hello> 이 다음과 같은 이유로 전송 실패했습니다.\n',
    'someone@example.net\n님께\n보낸\n메일이\n전송되지\n못하였습니다.\n',
  ];
  for (const text of notices) {
    const r = classifyBounce(notice(text));
    assert.deepEqual([r.kind, r.recipients[0]?.recipient], ['bounce', 'someone@example.net'], text);
    // the same words from an ordinary sender are a person's, not a notice
    assert.equal(classifyBounce(notice(text, '<person@example.org>')).kind, 'not_bounce', text);
  }
  // a French or Polish notice's subject marks it as one, whoever sends it
  for (const subject of ["[Important] Impossible d'envoyer l'email", 'Wiadomość niedoręczona'])
    assert.equal(
      classifyBounce({ ...notice(notices[0]!, '<robot@example.net>'), headers: [h('subject', subject)] }).kind,
      'bounce',
      subject,
    );
});

test('a Korean notice names its cause: a full mailbox, a recipient blocking the sender or restricting what it takes', () => {
  const dooray = (cause: string) =>
    textNotice(`someone@example.net\n님께\n보낸\n메일이\n전송되지\n못하였습니다.\n\n* 실패 사유 :\n${cause}\n`, {
      from: 'Mailer-Daemon@mx.example.net',
      subject: '메일 발송 실패 안내',
    });
  assert.deepEqual(
    [
      '받는 사람의 메일함 용량이 가득 찼습니다.',
      '받는 사람이 회원님의 메일을 수신차단 하였습니다.',
      '받는 사람이 현재 메일 수신을 제한하고 있습니다.',
    ].map((cause) => reported(dooray(cause), 'recipient', 'reason', 'hard')),
    [
      [['someone@example.net', 'mailboxfull', false]],
      [['someone@example.net', 'filtered', false]],
      [['someone@example.net', 'filtered', false]],
    ],
  );
});

test("a notice about the sender's own address still names it", () => {
  const msg: BounceMessage = {
    headers: [
      h('from', 'Mail Delivery System <mailer-daemon@mx.example.net>'),
      h('to', 'self@example.fr'),
      h('subject', 'Mail delivery failed: returning message to sender'),
      h('auto-submitted', 'auto-replied'),
    ],
    parts: [
      {
        type: 'text/plain',
        headers: [],
        text: 'This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of\nits recipients. This is a permanent error. The following address(es)\nfailed:\n\n  self@example.fr\n    host mx.example.fr [192.0.2.1]\n    SMTP error from remote mail server after RCPT TO:<self@example.fr>:\n    550 5.1.1 User unknown\n',
      },
    ],
  };
  const report = classifyBounce(msg);
  assert.equal(report.kind, 'bounce');
  assert.deepEqual(
    report.recipients.map((r) => [r.recipient, r.reason, r.hard]),
    [['self@example.fr', 'userunknown', true]],
  );
});

test('documented directory and loop phrases: Lotus Domino, IMail, KDDI', () => {
  const reason = (text: string): string => classifySmtpReply(null, null, text, null).reason;
  assert.equal(reason('User Kijitora Nyan (kijitora@example.co.jp) not listed in Domino Directory'), 'userunknown');
  // Postfix's lookup tables say so under the 5.1.1 its reports carry; without it (old Postfix's 5.0.0) the words are
  // read as the reference library reads them, filtered
  const table = 'User unknown in virtual alias table';
  assert.equal(classifySmtpReply(null, '5.1.1', table, null).reason, 'userunknown');
  assert.equal(classifySmtpReply(null, '5.0.0', table, null).reason, 'filtered');
  assert.equal(reason('ユーザー kijitora はディレクトリのリストにありません'), 'userunknown');
  assert.equal(reason('Invalid final delivery userid: kijitora@example.jp'), 'userunknown');
  assert.equal(reason('Message has exceeded maximum hop count'), 'networkerror');
  assert.equal(reason('Delivery failed 3 attempts: kijitora@example.jp'), 'expired');
  assert.equal(reason('As the remote domain doesnt exist.'), 'hostunknown');
  // a mailbox that exists but is not reachable for now is no unknown user: nothing to suppress
  const busy = classifySmtpReply(null, null, 'As their mailbox is temporarily unavailable.', null);
  assert.deepEqual([busy.reason, busy.hard], ['suspend', false]);
  assert.equal(classifySmtpReply(null, null, 'Recipient mailbox is currently unavailable', null).hard, false);
  assert.equal(classifySmtpReply(550, null, '550 Recipient email address is possibly incorrect').reason, 'userunknown');
});

test('RFC 3463 details that name one cause beat generic words; documented IP refusals are blocks', () => {
  assert.equal(classifySmtpReply(550, '5.1.8', '550 5.1.8 Access denied, bad outbound sender').reason, 'rejected');
  assert.equal(classifySmtpReply(552, '5.2.2', '552 5.2.2 Message rejected: mailbox full').reason, 'mailboxfull');
  assert.equal(classifySmtpReply(552, '5.3.4', '552 5.3.4 Error: message file too big, policy').reason, 'mesgtoobig');
  assert.equal(
    classifySmtpReply(550, '5.7.708', '550 5.7.708 Access denied, traffic not accepted from this IP').reason,
    'blocked',
  );
  assert.equal(
    classifySmtpReply(
      550,
      '5.7.1',
      "550-5.7.1 [192.0.2.1] The IP you're using to send mail is not authorized to send email directly to our servers.",
    ).reason,
    'blocked',
  );
});

test('a Google Groups notice in any language is known by the group address it failed for and its list of causes', () => {
  const notice = (text: string): BounceMessage => ({
    headers: [
      h('from', 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>'),
      h('subject', 'Delivery Status Notification (Failure)'),
      h('x-failed-recipients', 'team@googlegroups.com'),
    ],
    parts: [{ type: 'text/plain', headers: [], text }],
  });
  const causes =
    '* Der Gruppenname ist vielleicht falsch geschrieben.\n* Der Inhaber hat die Gruppe vielleicht entfernt.\n' +
    '*Sie müssen der Gruppe vielleicht erst beitreten.\n* Die Gruppe nimmt vielleicht keine Beiträge an.\n';
  const r = classifyBounce(notice(`Hallo poster@example.jp, die Gruppe (team) gibt es vielleicht nicht.\n${causes}`))
    .recipients[0]!;
  assert.deepEqual([r.recipient, r.reason, r.hard], ['team@googlegroups.com', 'rejected', false]);
  // without that list the group's notice says something else, and nothing here reads it
  const other = classifyBounce(notice('Hallo poster@example.jp, die Gruppe (team) hat Ihre Nachricht erhalten.\n'))
    .recipients[0]!;
  assert.deepEqual([other.recipient, other.reason, other.hard], ['team@googlegroups.com', 'onhold', false]);
});

test('a reply echoes the recipient only in its own lines, not in the listing that follows it', () => {
  const prose = (lines: string): BounceMessage => ({
    headers: [h('from', 'MAILER-DAEMON@mx.example.net'), h('subject', 'Undeliverable mail')],
    parts: [{ type: 'text/plain', headers: [], text: `A message could not be delivered.\n\n${lines}` }],
  });
  // the address repeated on the next line by the MTA: no echo, no command, so a refusal after acceptance
  const listed = classifyBounce(prose('  <a@example.jp>: 550 unknown user\n<a@example.jp>\n')).recipients[0]!;
  assert.deepEqual([listed.reason, listed.hard], ['filtered', false]);
  // the reply itself names the address: it answered RCPT TO
  const echoed = classifyBounce(prose('<a@example.jp>:\n550: <a@example.jp>: User unknown\n')).recipients[0]!;
  assert.deepEqual([echoed.reason, echoed.hard], ['userunknown', true]);
});

test('qmail-remote names the failed step in words: "does not like recipient" answered RCPT TO', () => {
  const qmail = (step: string): BounceMessage => ({
    headers: [h('from', 'MAILER-DAEMON@mx.example.net'), h('subject', 'failure notice')],
    parts: [
      {
        type: 'text/plain',
        headers: [],
        text: `Hi. This is the qmail-send program at mx.example.net.\nI'm afraid I wasn't able to deliver your message to the following addresses.\n\n<a@example.jp>:\n${step}\nRemote host said: 550 User unknown\nGiving up on 192.0.2.1.\n`,
      },
    ],
  });
  const rcpt = classifyBounce(qmail('192.0.2.1 does not like recipient.')).recipients[0]!;
  assert.deepEqual([rcpt.reason, rcpt.hard], ['userunknown', true]);
  const data = classifyBounce(qmail('192.0.2.1 failed after I sent the message.')).recipients[0]!;
  assert.deepEqual([data.reason, data.hard], ['filtered', false]);
});

test("qmail-send's own closing lines after the remote reply are not words of the reply", () => {
  const qmail = (reply: string): RecipientReport =>
    classifyBounce({
      headers: [h('from', 'MAILER-DAEMON@mx.example.net'), h('subject', 'failure notice')],
      parts: [
        {
          type: 'text/plain',
          headers: [],
          text: `${qmailOpening('mx.example.net')}<a@example.jp>:\n192.0.2.1 does not like recipient.\nRemote host said: ${reply}\nGiving up on 192.0.2.1.\nI'm not going to try again; this message has been in the queue too long.\n`,
        },
      ],
    }).recipients[0]!;
  // the reply names the cause: the queue's lifetime is qmail's, not the destination's, words
  const unknownDomain = qmail("553 5.1.2 We weren't able to find the recipient domain.");
  assert.deepEqual([unknownDomain.reason, unknownDomain.hard], ['hostunknown', true]);
  assert.equal(qmail('550 5.2.2 Mailbox full').reason, 'mailboxfull');
  // a transient reply that names nothing, given up on: the queue ran out of time
  assert.deepEqual([qmail('451 Try later').reason, qmail('451 Try later').hard], ['expired', false]);
});

test('qmail-remote\'s "Giving up on <ip>." closes every permanent refusal: it is no expired queue', () => {
  const r = classifyBounce({
    headers: [h('from', 'MAILER-DAEMON@mx.example.net'), h('subject', 'failure notice')],
    parts: [
      {
        type: 'text/plain',
        headers: [],
        text: `${qmailOpening('mx.example.net')}<a@example.jp>:\n192.0.2.1 does not like recipient.\nRemote host said: 550 Requested action not taken\nGiving up on 192.0.2.1.\n`,
      },
    ],
  }).recipients[0]!;
  // the reply names no cause, and the refusal came at once: on hold, neither expired nor suppressed
  assert.deepEqual([r.reason, r.hard], ['onhold', false]);
});

test('the address the original message came from is its sender, not a failed recipient', () => {
  const notice = textNotice(
    'The original message was received at Thu, 29 Apr 2010 23:34:45 +0900 (JST)\nfrom shironeko@example.jp\n\n' +
      '---The following addresses had delivery errors---\n\nkijitora@example.co.jp [User unknown]\n',
    { from: 'MAILER-DAEMON@example.co.jp', subject: 'Returned Mail: Could not deliver mail.' },
  );
  assert.deepEqual(reported(notice, 'recipient'), [['kijitora@example.co.jp']]);
  // ... and MailMarshal's "Original Sender:" among its notice's additional information
  const mailMarshal = textNotice(
    'Your message:\n   From:    sender@example.com\n   Subject: Test\n\nCould not be delivered because of\n\n' +
      '550 5.1.1 User unknown\n\nThe following recipients were affected:\n    gone@example.net\n\n' +
      'Additional Information\n======================\nOriginal Sender:    <sender@example.com>\n' +
      'Reporting-MTA:      <relay.example.com>\n',
    { subject: 'Undeliverable Mail' },
  );
  assert.deepEqual(reported(mailMarshal, 'recipient', 'reason'), [['gone@example.net', 'userunknown']]);
  // the notice's one reply is all of its lines, when the server's reply had several (RFC 5321 4.2.1)
  const multiLine = textNotice(
    'Your message:\n   From:    sender@example.com\n   Subject: Test\n\nCould not be delivered because of\n\n' +
      '550-5.7.1 [192.0.2.10 12] Our system has detected that this message is\n550-5.7.1 likely unsolicited mail.\n' +
      '550 5.7.1 Please visit https://support.google.com/mail/?p=UnsolicitedMessageError\n\n' +
      'The following recipients were affected:\n    gone@example.net\n',
    { subject: 'Undeliverable Mail' },
  );
  assert.deepEqual(reported(multiLine, 'recipient', 'reason'), [['gone@example.net', 'spamdetected']]);
});

test("IMail's sentence introducing the remote reply names the step it answered", () => {
  const imailNotice = (intro: string, reply: string): RecipientReport[] =>
    classifyBounce({
      headers: [
        h('from', 'postmaster@mx.example.net'),
        h('subject', 'Undeliverable Mail'),
        h('x-mailer', '<SMTP32 v8.22>'),
      ],
      parts: [
        {
          type: 'text/plain',
          headers: [],
          text: `undeliverable to a@example.jp\n\n${intro}\n${reply}\n\nOriginal message follows.\n`,
        },
      ],
    }).recipients;
  const imail = (intro: string, reply: string): RecipientReport => imailNotice(intro, reply)[0]!;
  const unavailable = '550 Requested action not taken: mailbox unavailable';
  const rcpt = imail('Additional RCPT TO generated following response:', unavailable);
  assert.deepEqual([rcpt.reason, rcpt.hard], ['userunknown', true]);
  assert.equal(imail('DATA command generated response:', unavailable).reason, 'filtered');
  assert.equal(imail('Server response to MAIL FROM:', unavailable).reason, 'rejected');
  assert.equal(imail('Unexpected response to EHLO/HELO:', '550 Access denied').reason, 'blocked');
  assert.equal(
    imail('SMTP connection failed, Unexpected connection response from server:', '554 Access denied').reason,
    'blocked',
  );
  // an address in the reply below the sentence is the reply's words (the mailbox an alias led to), not another failure
  assert.deepEqual(
    imailNotice('Additional RCPT TO generated following response:', '550 <robert@mail.example.jp>... User unknown').map(
      (r) => [r.recipient, r.reason],
    ),
    [['a@example.jp', 'userunknown']],
  );
});

test('Yahoo names the failed step in brackets after the reply: [RCPT_TO], [BODY], [MAIL_FROM]', () => {
  const yahoo = (reply: string): RecipientReport =>
    classifyBounce({
      headers: [h('from', 'MAILER-DAEMON@yahoo.com'), h('subject', 'Failure Notice')],
      parts: [
        {
          type: 'text/plain',
          headers: [],
          text: `Sorry, we were unable to deliver your message to the following address.\n\n<a@example.jp>:\nRemote host said: ${reply}\n\n--- Below this line is a copy of the message.\n`,
        },
      ],
    }).recipients[0]!;
  const unknown = '550 5.1.1 <a@example.jp>... User Unknown';
  assert.deepEqual([yahoo(`${unknown} [RCPT_TO]`).reason, yahoo(`${unknown} [RCPT_TO]`).hard], ['userunknown', true]);
  // refused after the recipient was accepted: the recipient's side filtered the message
  assert.deepEqual(
    [yahoo('550 Unknown user [BODY]').reason, yahoo('550 Unknown user [BODY]').hard],
    ['filtered', false],
  );
  assert.equal(yahoo('550 Requested action not taken: mailbox unavailable [MAIL_FROM]').reason, 'rejected');
});

test("Spectrum's AUP#13xx codes are connection limits, whatever the words before them", () => {
  assert.equal(
    classifySmtpReply(550, '5.1.0', '550 5.1.0 <x@example.com> sender rejected. AUP#In-1310').reason,
    'toomanyconn',
  );
});

test("a notice's summary of the original message names the sender too: only the recipient is reported", () => {
  const summary = textNotice(
    'Error: Invalid user address\n\nError message below:\n550 - Requested action not taken: no such user here\n\n' +
      'Message details:\n  Subject: Test message\n  MAIL FROM: app@example.org\n  RCPT TO: gone@example.net\n' +
      '  Size (in bytes): 222\n  From: billing@example.org\n  Number of lines: 2\n',
    { from: 'post_master@mail.example.net', subject: 'Re: Test message' },
  );
  // a number that ends a line is no reply code: the failure is not reported as a 2xx, but as the reply it quotes
  assert.deepEqual(reported(summary, 'recipient', 'reason', 'hard', 'status', 'replycode'), [
    ['gone@example.net', 'userunknown', true, '5.0.0', '550'],
  ]);
});

test("a summary field's number is no reply code even when the next summary field is indented under it", () => {
  // Apache James's notice (AbstractNotify): the error, then "Message details:" with indented fields, the original's
  // To: naming the recipient again, then "Size (in bytes): 512" over "Number of lines: 3"
  const james = textNotice(
    'We were unable to deliver the attached message because of an error in the mail server.\n\n' +
      'Error message below:\n552 5.2.2 Mailbox full\n\nMessage details:\n  Subject: Nyaan\n' +
      '  MAIL FROM: app@example.org\n  RCPT TO: full@example.net\n  From: app@example.org\n' +
      '  To: full@example.net\n  Size (in bytes): 512\n  Number of lines: 3\n',
    { from: 'postmaster@mail.example.net', subject: '[BOUNCE]' },
  );
  assert.deepEqual(reported(james, 'recipient', 'reason', 'hard', 'status', 'replycode'), [
    ['full@example.net', 'mailboxfull', false, '5.2.2', '552'],
  ]);
});

test("a transcript's successful steps are not the failure: the reply that failed gives the codes", () => {
  const transcript = (failing: string): BounceMessage =>
    textNotice(
      '   ----- The following addresses had permanent fatal errors -----\n<a@example.jp>\n\n' +
        '   ----- Transcript of session follows -----\n... while talking to mx.example.jp.:\n' +
        '>>> MAIL From:<app@example.org> SIZE=1000\n<<< 250 2.1.0 <app@example.org>... Sender ok\n' +
        `>>> RCPT To:<a@example.jp>\n${failing}`,
      { from: 'MAILER-DAEMON@mx.example.org', subject: 'Returned mail: see transcript for details' },
    );
  const data = transcript(
    '<<< 250 2.1.5 <a@example.jp>... Recipient ok\n>>> DATA\n<<< 554 5.7.1 Message rejected as spam\n',
  );
  assert.deepEqual(reported(data, 'recipient', 'status', 'replycode', 'reason'), [
    ['a@example.jp', '5.7.1', '554', 'spamdetected'],
  ]);
  const rcpt = transcript('<<< 550 5.1.1 <a@example.jp>... User unknown\n');
  assert.deepEqual(reported(rcpt, 'recipient', 'status', 'replycode', 'reason', 'hard'), [
    ['a@example.jp', '5.1.1', '550', 'userunknown', true],
  ]);
  // refused at MAIL FROM: the command names the sender, the reply after it is still the recipient's failure
  const mail = textNotice(
    'Each of the following recipients was rejected by a remote mail server.\n\n' +
      '    Recipient: <a@example.jp>\n    >>> MAIL FROM:<app@example.org>\n' +
      '    <<< 550 5.7.1 Mail from 192.0.2.1 refused, see http://www.spamhaus.org/query/ip/192.0.2.1\n',
  );
  assert.deepEqual(reported(mail, 'recipient', 'replycode', 'reason'), [['a@example.jp', '550', 'blocked']]);
});

test('recipients a notice lists as reached are deliveries, not failures', () => {
  const relayed = textNotice(
    'Delivery to these recipients or groups is complete, but no delivery notification was sent by the ' +
      'destination server:\n\nb@example.jp (b@example.jp)\n\nSubject: hi\n',
    { subject: 'Relayed: hi' },
  );
  assert.deepEqual(reported(relayed, 'recipient', 'reason', 'status'), [['b@example.jp', 'delivered', '2.0.0']]);
  const mixed = textNotice(
    'Delivery has failed to these recipients or groups:\n\na@example.jp\n550 5.1.1 User unknown\n\n' +
      'The following recipients were delivered successfully:\n\nb@example.jp\n',
  );
  assert.deepEqual(reported(mixed, 'recipient', 'reason'), [
    ['a@example.jp', 'userunknown'],
    ['b@example.jp', 'delivered'],
  ]);
});

test('a timestamped transcript ("<-- 250", "--> RCPT To:") and a message identifier in the summary', () => {
  const stamp = ' Thu 2010-04-29 23:34:45:';
  const transcript = textNotice(
    'The attached message had PERMANENT fatal delivery errors!\n\n--- Session Transcript ---\n' +
      `${stamp} <-- 220 mx.example.jp ESMTP\n${stamp} --> MAIL From:<app@example.org>\n${stamp} <-- 250 2.1.0 Ok\n` +
      `${stamp} --> RCPT To:<a@example.jp>\n${stamp} <-- 550 Mailbox unavailable\n--- End Transcript ---\n`,
  );
  // the failing reply's code, and RCPT TO named by the arrow: an unknown mailbox, not a filter after DATA
  assert.deepEqual(reported(transcript, 'recipient', 'status', 'replycode', 'hard'), [
    ['a@example.jp', '5.0.0', '550', true],
  ]);
  const summary = textNotice(
    'This report relates to a message you sent with the following header fields:\n\n' +
      '  Message-id: <0000@mail.example.org>\n  From: app@example.org\n  To: a@example.jp\n\n' +
      'Your message cannot be delivered to the following recipients:\n\n  Recipient address: a@example.jp\n' +
      '  Diagnostic code: smtp;550 5.1.1 <a@example.jp>... User unknown\n',
  );
  assert.deepEqual(reported(summary, 'recipient', 'reason'), [['a@example.jp', 'userunknown']]);
});

test('a recipient listed in quotes is the address inside them', () => {
  const listing = textNotice(
    'Your message did not reach some or all of the intended recipients.\n\n' +
      "The following recipient(s) cannot be reached:\n\n      'a@example.jp' on 4/29/2010 11:34 PM\n" +
      "            Remote Server returned '550 5.7.1 Unable to relay for a@example.jp'\n\n" +
      "      o'neil@example.jp on 4/29/2010 11:34 PM\n" +
      "            Remote Server returned '550 5.1.1 User unknown'\n",
  );
  assert.deepEqual(reported(listing, 'recipient', 'reason'), [
    ['a@example.jp', 'norelaying'],
    ["o'neil@example.jp", 'userunknown'],
  ]);
  // ... and in a grave accent and an apostrophe, as Exchange 5.5's Internet Mail Service quotes it (Microsoft KB)
  const older = textNotice(
    'Your message did not reach some or all of the intended recipients.\n\n' +
      "The following recipient(s) could not be reached:\n\n  `a@example.jp' on 1/5/98 8:01 PM\n" +
      '      Unable to deliver the message due to a communications failure\n',
  );
  assert.deepEqual(reported(older, 'recipient'), [['a@example.jp']]);
});

test('an HTML-only notice is read as its reader sees it: character references decoded', () => {
  const html = textNotice(
    '<html><body><p>Delivery has failed to these recipients:</p>' +
      '<p>&lt;a@example.jp&gt;<br>The e-mail address couldn&#39;t be found&nbsp;here.</p></body></html>',
    { type: 'text/html' },
  );
  assert.deepEqual(reported(html, 'recipient', 'reason', 'hard'), [['a@example.jp', 'userunknown', true]]);
});

test('an HTML notice is read from its HTML beside a text file it attaches or a plain stub', () => {
  const notice = textNotice(
    '<html><body><p>We had trouble delivering your message.</p><p>SMTP Server &lt;mx.example.jp&gt; rejected ' +
      'recipient &lt;a@example.jp&gt; (Error following RCPT command). It responded as follows: ' +
      '[550 5.1.1 User unknown]</p></body></html>',
    { type: 'text/html' },
  );
  const attachedHeader = {
    type: 'text/plain',
    headers: [h('content-disposition', 'attachment; filename="headers.txt"')],
    text: 'From: app@example.org\nTo: a@example.jp\nX-Spam-Score: 0.1\nSubject: hi\n',
  };
  const withFile = { ...notice, parts: [...notice.parts, attachedHeader] };
  assert.deepEqual(reported(withFile, 'recipient', 'replycode', 'reason', 'hard'), [
    ['a@example.jp', '550', 'userunknown', true],
  ]);
  // a plain alternative that is only a stub leaves the notice to its HTML
  const stub = { type: 'text/plain', headers: [], text: 'This is a message in HTML format.\n' };
  const withStub = { ...notice, parts: [stub, ...notice.parts] };
  assert.deepEqual(reported(withStub, 'recipient', 'replycode', 'reason', 'hard'), [
    ['a@example.jp', '550', 'userunknown', true],
  ]);
  // a notice whose only text is attached is still read from it
  const onlyFile = { ...notice, parts: [{ ...attachedHeader, text: notice.parts[0]!.text, type: 'text/html' }] };
  assert.deepEqual(reported(onlyFile, 'recipient', 'reason'), [['a@example.jp', 'userunknown']]);
});

test('a trace field copied alone after the notice is not a list of recipients', () => {
  const copied = textNotice(
    '<a@example.jp>: host mx.example.jp[192.0.2.1] said: 550 5.1.1 User unknown (in\n' +
      '    reply to RCPT TO command)\n\n' +
      'Received: from app.example.org (app.example.org [192.0.2.9])\n\tby mx.example.org (Postfix) with ESMTPS id 1234\n' +
      '\tfor <c@example.jp>; Thu, 29 Apr 2010 23:34:45 +0900\n',
    { subject: 'Undelivered Mail Returned to Sender' },
  );
  assert.deepEqual(reported(copied, 'recipient', 'reason'), [['a@example.jp', 'userunknown']]);
});

test("an address a reply only mentions is not another recipient, and keeps the reply with the recipient's", () => {
  const exim = textNotice(
    'A message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. ' +
      'The following address(es) failed:\n\n  a@example.jp\n    host mx.example.jp [192.0.2.1]\n' +
      '    SMTP error from remote mail server after RCPT TO:<a@example.jp>:\n' +
      "    550 Mailbox full. Please contact postmaster@example.jp or the user's assistant b.helper@example.jp\n",
    { subject: 'Mail delivery failed: returning message to sender' },
  );
  assert.deepEqual(reported(exim, 'recipient', 'replycode', 'reason'), [['a@example.jp', '550', 'mailboxfull']]);
  // Sendmail names the list the failed address was expanded from on a line of its own
  const sendmail = textNotice(
    '   ----- The following addresses had permanent fatal errors -----\n<a@example.jp>\n' +
      '    (reason: 550 5.1.1 User unknown)\n    (expanded from: <list@example.org>)\n',
    { subject: 'Returned mail: see transcript for details' },
  );
  assert.deepEqual(reported(sendmail, 'recipient', 'reason'), [['a@example.jp', 'userunknown']]);
  // a reply whose head names the address is about that recipient (Sendmail: "554 <b@example.jp>... Host unknown")
  const listed = textNotice(
    '   ----- Transcript of session follows -----\n554 <a@example.jp>... 550 User unknown\n' +
      '554 <b@example.net>... 550 Host unknown (Authoritative answer from name server)\n',
    { subject: 'Returned mail: see transcript for details' },
  );
  assert.deepEqual(reported(listed, 'recipient', 'reason'), [
    ['a@example.jp', 'userunknown'],
    ['b@example.net', 'hostunknown'],
  ]);
});

test("a copy of the original's header without a marker line ends the notice: its To and Cc are not failures", () => {
  const copied = textNotice(
    'Your message could not be delivered to the following recipient:\n\na@example.jp: 550 5.1.1 User unknown\n\n' +
      'From: App <app@example.org>\nTo: a@example.jp, c@example.jp\nCc: d@example.jp\nSubject: hi\n\nHello\n',
  );
  assert.deepEqual(reported(copied, 'recipient', 'reason'), [['a@example.jp', 'userunknown']]);
});

test("a reply that names another listed recipient is that recipient's, not one shared by the notice", () => {
  // 1&1's layout: each address, then "For the following reason:" and its own words; the first's words carry no code
  const notice = textNotice(
    'This message was created automatically by mail delivery software.\n\nA message that you sent could not be ' +
      'delivered to one or more of\nits recipients. This is a permanent error. The following addresses failed:\n\n' +
      'hund@example.de\n\nFor the following reason:\n\nMail size limit exceeded. For explanation visit\n' +
      'http://postmaster.1and1.com/en/error-messages\n\nkatze@example.de\n\nFor the following reason:\n\n' +
      '552 5.2.2 <katze@example.de> Mailbox full\n',
    {
      from: '"Mail Delivery System" <mailer-daemon@kundenserver.de>',
      subject: 'Mail delivery failed: returning message to sender',
    },
  );
  assert.deepEqual(reported(notice, 'recipient', 'reason', 'status'), [
    ['hund@example.de', 'mesgtoobig', '5.0.0'],
    ['katze@example.de', 'mailboxfull', '5.2.2'],
  ]);
});

test('a notice that states the reply once, above the list of recipients, gives each recipient its words', () => {
  // MailMarshal's layout: the cause first, the recipients it affected after, then a block of sender details
  const notice = textNotice(
    'Your message:\n   From:    app@example.org\n   Subject: Invoice\n\nCould not be delivered because of\n\n' +
      '554 5.7.1 Virus detected in message\n\nThe following recipients were affected: \n    gone@example.net\n\n' +
      'Additional Information\n======================\nSender-MTA:         <192.0.2.250>\n' +
      'Remote-MTA:         <203.0.113.2>\n',
  );
  assert.deepEqual(reported(notice, 'recipient', 'reason', 'status', 'replycode'), [
    ['gone@example.net', 'virusdetected', '5.7.1', '554'],
  ]);
  assert.match(String(reported(notice, 'diagnostic')[0]![0]), /Virus detected/);
});

test("a reply whose words name nothing is read by its codes, not by the reporting system's introduction", () => {
  // Gmail introduces every refusal as "rejected by the server for the recipient domain ... [IP]"
  const gmail = (reply: string): BounceMessage =>
    textNotice(
      'Delivery to the following recipient failed permanently:\n\n     gone@example.jp\n\n' +
        'Technical details of permanent failure:\nGoogle tried to deliver your message, but it was rejected by the ' +
        'server for the recipient domain example.jp by mx.example.jp. [192.0.2.153].\n\n' +
        `The error that the other server returned was:\n${reply}\n`,
      {
        from: 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
        subject: 'Delivery Status Notification (Failure)',
      },
    );
  assert.deepEqual(reported(gmail('554 5.6.0 Message refused. Not accepted.'), 'reason', 'status'), [
    ['contenterror', '5.6.0'],
  ]);
  assert.deepEqual(reported(gmail('550 5.0.350 Remote server returned an error'), 'reason'), [['onhold']]);
});

test('words from two parts of a notice do not combine into one rule', () => {
  // "rejected because" in the reply and "host" in the prose after it are not "rejected because of your host"
  const notice = textNotice(
    'This message was created automatically by mail delivery software.\n\nA message that you sent could not be ' +
      'delivered to one or more of its recipients. This is a permanent error.\n\n  gone@example.jp\n' +
      '    SMTP error from remote mail server after end of data:\n' +
      '    554 5.7.1 The message was rejected because it contains prohibited virus or spam content\n\n' +
      'Please check the recipient addresses. If the problem persists, ask the administrator of the receiving host.\n',
    { from: 'Mail Delivery System <Mailer-Daemon@mx.example.org>', subject: 'Mail delivery failed' },
  );
  assert.deepEqual(reported(notice, 'recipient', 'reason'), [['gone@example.jp', 'virusdetected']]);
});

test("Exim's name of the answering host and the prose after the reply are not words of the reply", () => {
  // an IP inside a reply names the sending host ("client host [192.0.2.1] blocked"); the one Exim puts before the
  // reply is the destination's, and the paragraph after the reply is the notice's own
  const exim = (reply: string): BounceMessage =>
    textNotice(
      'This message was created automatically by mail delivery software.\n\nA message that you sent could not be ' +
        'delivered to one or more of its recipients. This is a permanent error. The following address(es) failed:\n\n' +
        '  gone@example.jp\n    SMTP error from remote mail server after RCPT TO:<gone@example.jp>:\n' +
        `    host mx.example.jp [192.0.2.1]: ${reply}\n\n` +
        'If the problem persists, contact the administrator of mx.example.jp [192.0.2.1].\n',
      { from: 'Mail Delivery System <Mailer-Daemon@mx.example.org>', subject: 'Mail delivery failed' },
    );
  assert.deepEqual(reported(exim('550 Sender address rejected: Domain not found'), 'recipient', 'reason'), [
    ['gone@example.jp', 'rejected'],
  ]);
  assert.deepEqual(reported(exim('550 5.7.1 Sender address rejected: Access denied'), 'reason'), [['rejected']]);
  // a forwarding address the reply names is not another failed recipient
  assert.deepEqual(reported(exim('551 User not local; please try <new@example.net>'), 'recipient', 'reason'), [
    ['gone@example.jp', 'hasmoved'],
  ]);
});

test('a failure nothing names is undefined when the notice says nothing of the recipient, on hold when its words are unreadable', () => {
  // Postfix writes "Delivery report unavailable" when it lost the report: the recipient is known only from the
  // returned message
  const postfix = 'This is the mail system at host mx.example.org.\n\n--- Delivery report unavailable ---\n';
  const unreported: BounceMessage = {
    ...textNotice(postfix, { from: 'MAILER-DAEMON@mx.example.org' }),
    parts: [
      { type: 'text/plain', headers: [], text: postfix },
      {
        type: 'message/rfc822',
        headers: [],
        text: 'To: gone@example.net\n',
        attachedHeaders: [h('to', 'gone@example.net'), h('from', 'app@example.org')],
      },
    ],
  };
  assert.deepEqual(reported(unreported, 'recipient', 'reason', 'hard'), [['gone@example.net', 'undefined', false]]);
  const unreadable = textNotice(`${postfix}\n<gone@example.net>: 550 Computer says no\n`, {
    from: 'MAILER-DAEMON@mx.example.org',
  });
  assert.deepEqual(reported(unreadable, 'recipient', 'reason', 'hard'), [['gone@example.net', 'onhold', false]]);
});

test('a notice that lists nobody is about the addressee of the copy it returns inline', () => {
  // old Sendmail: a transcript with no address in it, then the unsent message
  const notice = textNotice(
    '   ----- Transcript of session follows -----\n' +
      '421 example.com (smtp)... Deferred: Connection timed out during user open with example.com\n\n' +
      '   ----- Unsent message follows -----\nReceived: by mx.example.org; id 1\nFrom: app@example.org\n' +
      'To: gone@example.com\nSubject: Invoice\n\nHello gone@elsewhere.example\n',
    { from: 'MAILER-DAEMON@mx.example.org', subject: 'Returned mail: Deferred: Connection timed out' },
  );
  assert.deepEqual(reported(notice, 'recipient', 'replycode'), [['gone@example.com', '421']]);
});

test('a failure notice that names no recipient and returns nothing is still a bounce, even marked auto-replied', () => {
  // Postfix marks its notices Auto-Submitted: auto-replied; received at a VERP address, that address says whose
  const notice: BounceMessage = {
    headers: [
      h('from', 'MAILER-DAEMON@mx.example.org (Mail Delivery System)'),
      h('subject', 'Undelivered Mail Returned to Sender'),
      h('auto-submitted', 'auto-replied'),
    ],
    parts: [
      {
        type: 'text/plain',
        headers: [],
        text:
          "This is the mail system at host mx.example.org.\n\nI'm sorry to have to inform you that your message could not\n" +
          'be delivered to one or more recipients.\n\n--- Delivery report unavailable ---\n',
      },
    ],
  };
  const report = classifyBounce(notice);
  assert.equal(report.kind, 'bounce');
  assert.deepEqual(reported(notice, 'recipient', 'reason', 'hard'), [['', 'undefined', false]]);
  assert.equal(inboundOutcome(report, 'app-user@example.net').kind, 'bounced');
  // without a sentence that states a failure, such a message reports nothing
  const silent = {
    ...notice,
    parts: [{ ...notice.parts[0]!, text: 'This is the mail system at host mx.example.org.\n' }],
  };
  assert.notEqual(classifyBounce(silent).kind, 'bounce');
});

test('a complaint loop that attaches only the header of the offending message is a complaint', () => {
  const jmrp: BounceMessage = {
    headers: [h('from', 'staff@hotmail.com'), h('subject', 'complaint about message from 192.0.2.222')],
    parts: [
      {
        type: 'text/rfc822-headers',
        headers: [],
        text: 'To: reader@example.com\nFrom: app@example.org\n',
        attachedHeaders: [h('to', 'reader@example.com'), h('from', 'app@example.org')],
      },
    ],
  };
  assert.equal(classifyBounce(jmrp).kind, 'feedback');
});

test('a folded line still names the step and the reply: Postfix wraps its notices at 80 columns', () => {
  const postfix = (lines: string): RecipientReport =>
    classifyBounce(
      textNotice(`This is the mail system at host mx.example.org.\n\n${lines}\n`, {
        from: 'MAILER-DAEMON@mx.example.org',
        subject: 'Undelivered Mail Returned to Sender',
      }),
    ).recipients[0]!;
  // "user unknown" after the recipient was accepted is the recipient's filter, wherever the line breaks
  const data = postfix(
    '<a@example.net>: host mx.example.net[192.0.2.1] said: 550 User unknown (in reply to end of\n    DATA command)',
  );
  assert.deepEqual([data.reason, data.hard, data.replycode], ['filtered', false, '550']);
  const code = postfix(
    '<a@example.net>: host a-very-long-host-name.mx.example.net[192.0.2.1] said: 550\n' +
      '    5.1.1 <a@example.net>: Recipient address rejected: User unknown (in reply to RCPT TO command)',
  );
  assert.deepEqual([code.reason, code.hard, code.replycode, code.status], ['userunknown', true, '550', '5.1.1']);
  // the code alone on its line, then words that read like a field: after "said:" a code is the reply's, whatever follows
  const alone = postfix(
    '<a@example.net>: host mx.example.net[192.0.2.1] said:\n    550\n    Requested action not taken: mailbox\n' +
      '    unavailable (in reply to RCPT TO command)',
  );
  assert.deepEqual([alone.replycode, alone.status[0]], ['550', '5']);
  // ... as after Exchange's "Remote SMTP Server Returned:"
  const exchange = classifyBounce(
    textNotice(
      'Your message did not reach some or all of the intended recipients.\n\n\tRecipient: [SMTP:a@example.net]\n' +
        '\tReason: Remote SMTP Server Returned: 550\n\t    Requested action not taken: mailbox\n\t    unavailable or not local.\n',
      { from: 'postmaster@mail.example.org', subject: 'Undeliverable: hello' },
    ),
  ).recipients[0]!;
  assert.deepEqual([exchange.recipient, exchange.replycode], ['a@example.net', '550']);
  // a line wrapped without an indent goes on with the reply where it opens with the enhanced code ...
  const unindented = classifyBounce(
    textNotice(
      'The following recipients returned permanent errors:\na@example.net. Reason: SMTP Server <192.0.2.1> refused\n' +
        'to accept your message (DATA), with the following error message: [554\n5.4.6 Hop count exceeded - possible mail loop]\n',
      { from: 'postmaster@mail.example.org', subject: 'Delivery failure' },
    ),
  ).recipients[0]!;
  assert.deepEqual([unindented.replycode, unindented.status, unindented.reason], ['554', '5.4.6', 'networkerror']);
  // ... as after Gmail's "The error that the other server returned was:"
  const gmail = classifyBounce(
    textNotice(
      'Delivery to the following recipient failed permanently:\n\n     a@example.net\n\nTechnical details of permanent failure:\n' +
        'Google tried to deliver your message, but it was rejected by the server for the recipient domain. The error\n' +
        'that the other server returned was: 554 554\n5.7.0 Header error (state 18).\n',
      { from: 'mailer-daemon@googlemail.com', subject: 'Delivery Status Notification (Failure)' },
    ),
  ).recipients[0]!;
  assert.deepEqual([gmail.replycode, gmail.status], ['554', '5.7.0']);
  // ... but a number that ends a line of prose is no code
  const count = classifyBounce(
    textNotice(
      '<a@example.net>: host mx.example.net[192.0.2.1] said: 452 4.2.2 Quota exceeded: more than 250\nmessages in the mailbox (in reply to RCPT TO command)\n',
      { from: 'MAILER-DAEMON@mx.example.org', subject: 'Undelivered Mail Returned to Sender' },
    ),
  ).recipients[0]!;
  assert.deepEqual([count.replycode, count.status], ['452', '4.2.2']);
});

test('a Sendmail session transcript belongs to the recipient it names, not to the one listed above it', () => {
  const sendmail = (text: string): unknown[][] =>
    reported(
      textNotice(text, { from: 'MAILER-DAEMON@mx.example.org', subject: 'Returned mail: User unknown' }),
      'recipient',
      'reason',
      'hard',
    );
  // old Sendmail (V5): each host's transcript, then one summary line per recipient ("554 <a@b>... ...")
  const v5 =
    '   ----- Transcript of session follows -----\nWhile talking to mx.example.edu:\n' +
    '>>> MAIL From:<app@example.org>\n<<< 550 Insecure Mail Relay\n' +
    '421 example.edu (smtp)... Deferred: Connection reset by peer during result wait with example.edu\n' +
    '554 <a@example.edu>... Remote protocol error\n' +
    '550 example.net (smtp)... 550 Host unknown\n' +
    '554 <b@example.net>... 550 Host unknown (Authoritative answer from name server)\n' +
    'While talking to smtp.example.com:\n>>> QUIT\n<<< 421 Sorry, unable to contact destination SMTP daemon.\n' +
    'While talking to mail.example.jp:\n>>> RCPT To:<c@example.jp>\n<<< 550 No such user here.\n' +
    '550 <c@example.jp>... User unknown\n';
  const v5Readings = [
    ['a@example.edu', 'norelaying', false],
    ['b@example.net', 'hostunknown', true],
    ['c@example.jp', 'userunknown', true],
  ];
  assert.deepEqual(sendmail(v5), v5Readings);
  // an address given without brackets is summed up bare ("554 b@example.net... 550 Host unknown"): the host's lines
  // above it are still its own, reply code included
  const withCodes = (text: string): unknown[][] =>
    reported(textNotice(text, { from: 'MAILER-DAEMON@mx.example.org' }), 'recipient', 'reason', 'hard', 'replycode');
  assert.deepEqual(withCodes(v5.replace(/^(\d{3}) <([^<>]+)>/gm, '$1 $2')), withCodes(v5));
  // today's Sendmail lists its one recipient first; the transcript after it, naming nobody, is still that recipient's
  assert.deepEqual(
    sendmail(
      '   ----- The following addresses had permanent fatal errors -----\n<a@example.net>\n' +
        '    (reason: 550 User unknown)\n\n   ----- Transcript of session follows -----\n' +
        '... while talking to mx.example.net.:\n>>> DATA\n<<< 550 User unknown\n554 5.0.0 Service unavailable\n',
    ),
    [['a@example.net', 'filtered', false]],
  );
  // two recipients listed first, then a session that names neither: it is not the last one's
  assert.deepEqual(
    sendmail(
      '   ----- The following addresses had permanent fatal errors -----\n<a@example.net>\n<b@example.jp>\n' +
        '    (reason: 552 Mailbox full)\n\n   ----- Transcript of session follows -----\n' +
        '... while talking to mx.example.net.:\n>>> DATA\n<<< 554 Message refused as spam\n' +
        '... while talking to mx.example.jp.:\n>>> RCPT To:<b@example.jp>\n<<< 552 5.2.2 Mailbox full\n',
    ).find(([recipient]) => recipient === 'b@example.jp'),
    ['b@example.jp', 'mailboxfull', false],
  );
});

test("a daemon's notice marked auto-replied is a notice when it states a failure, an auto-reply otherwise", () => {
  // Exim and Postfix mark their notices "Auto-Submitted: auto-replied" (RFC 3834); this one has neither a subject a
  // table knows nor X-Failed-Recipients
  const exim = (text: string, from = 'mailer-daemon@mx.example.ru'): BounceMessage => ({
    headers: [h('from', from), h('subject', 'Ваше сообщение не доставлено'), h('auto-submitted', 'auto-replied')],
    parts: [{ type: 'text/plain', headers: [], text }],
  });
  const failed = exim(
    'This message was created automatically by mail delivery software.\n\nA message that you sent could not be ' +
      'delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n' +
      '  a@example.jp\n    SMTP error from remote mail server after RCPT TO:<a@example.jp>:\n' +
      '    host mx.example.jp [192.0.2.12]: 550 5.1.1 <a@example.jp>... User Unknown\n',
  );
  assert.deepEqual(reported(failed, 'recipient', 'reason'), [['a@example.jp', 'userunknown']]);
  assert.equal(classifyBounce(exim('I am away until Monday.', 'a@example.jp')).kind, 'vacation');
  // other wordings of a failure, from a sender named "Mailer Daemon"
  for (const sentence of [
    'We had trouble delivering your message. Full details follow:',
    'An error has occurred while attempting to deliver a message for the following list of recipients:',
  ]) {
    const notice = exim(
      `${sentence}\n\na@example.jp: 550 5.1.1 User unknown\n`,
      'Mailer Daemon <daemon@mx.example.jp>',
    );
    assert.equal(classifyBounce(notice).recipients[0]?.recipient, 'a@example.jp', sentence);
  }
});

test('hMailServer names the command it sent before the reply: "hMailServer sent: RCPT TO:<a@b>"', () => {
  const hmail = (sent: string): RecipientReport =>
    classifyBounce(
      textNotice(
        'Your message did not reach some or all of the intended recipients.\n\n   Subject: Invoice\n\n' +
          'The following recipient(s) could not be reached:\n\na@example.net\n   Error Type: SMTP\n' +
          `   Remote server (192.0.2.1) issued an error.\n   hMailServer sent: ${sent}\n` +
          '   Remote server replied: 550 Requested action not taken: mailbox unavailable\n',
      ),
    ).recipients[0]!;
  assert.deepEqual(
    [hmail('RCPT TO:<a@example.net>').reason, hmail('RCPT TO:<a@example.net>').hard],
    ['userunknown', true],
  );
  assert.deepEqual([hmail('DATA').reason, hmail('DATA').hard], ['filtered', false]);
});

test('a role address listed as the failed recipient is reported; one the prose only mentions is not', () => {
  const postfix = (listing: string): RecipientReport[] =>
    classifyBounce({
      headers: [
        h('from', 'MAILER-DAEMON@mx.example.net (Mail Delivery System)'),
        h('subject', 'Undelivered Mail Returned to Sender'),
      ],
      parts: [
        {
          type: 'text/plain',
          headers: [],
          text: `This is the mail system at host mx.example.net.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients. It's attached below.\n\nFor further assistance, please send mail to postmaster@example.net.\n\n                   The mail system\n\n${listing}\n`,
        },
      ],
    }).recipients;
  const listed = postfix(
    '<postmaster@example.org> (expanded from <info@example.org>): host\n    mx.example.org[192.0.2.1] said: 550 5.1.1 <postmaster@example.org>: User\n    unknown (in reply to RCPT TO command)',
  );
  assert.deepEqual(
    listed.map((r) => [r.recipient, r.reason]),
    [['postmaster@example.org', 'userunknown']],
  );
  // a local command's failure told in prose is the command's, whatever its output says of the user
  const local = postfix(
    '<a@example.net> (expanded from <b@example.net>): user unknown. Command output:\n    procmail: Couldn\'t create "/var/spool/mail/a"',
  );
  assert.deepEqual(
    local.map((r) => [r.recipient, r.reason, r.hard]),
    [['a@example.net', 'mailererror', false]],
  );
});

test('a role address Exchange lists with its time stamp, or as the link an HTML notice made of it, is reported', () => {
  const exchange = (listing: string, why: string) =>
    reported(
      textNotice(`${listing}\n            ${why}\n`, {
        from: 'postmaster@mx.example.org',
        subject: 'Undeliverable: hi',
      }),
      'recipient',
      'reason',
    );
  assert.deepEqual(
    exchange(
      'Your message did not reach some or all of the intended recipients.\n\nThe following recipient(s) cannot be ' +
        'reached:\n\n      root@mx.example.local on 21/04/2009 1:05 PM',
      'Could not deliver the message in the time limit specified.  Please retry or contact your administrator.',
    ),
    [['root@mx.example.local', 'expired']],
  );
  assert.deepEqual(
    exchange(
      'Delivery has failed to these recipients or distribution lists:\n\npostmaster@example.co.za<mailto:postmaster@example.co.za>',
      "The recipient's mailbox is full and can't accept messages now.",
    ),
    [['postmaster@example.co.za', 'mailboxfull']],
  );
});

test("Gmail's older notices name the SMTP state a refusal came in; at DATA it is the message refused, for every recipient listed above the one reply", () => {
  const gmail = (reply: string): BounceMessage =>
    textNotice(
      'Delivery to the following recipient failed permanently:\n\n     a@example.co.jp\n\n' +
        'Technical details of permanent failure:\nGoogle tried to deliver your message, but it was rejected by the ' +
        'recipient domain. We recommend contacting the other email provider for further information about the cause ' +
        `of this error. The error that the other server returned was: ${reply}\n`,
      {
        from: 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
        subject: 'Delivery Status Notification (Failure)',
      },
    );
  const reason = (reply: string) => classifyBounce(gmail(reply)).recipients[0]?.reason;
  // a catch-all code and words that name nothing: the state says the message was refused after the recipient
  assert.equal(reason('554 554 5.7.0 Header error (state 18).'), 'filtered');
  assert.equal(reason('554 554 5.7.0 Header error.'), 'securityerror');
  // a code with a detail, or words that name a cause, keep their reading; state 14 is RCPT TO
  assert.equal(reason('550 550 5.7.1 <a@example.co.jp>... Access denied (state 18).'), 'securityerror');
  assert.equal(reason('552 552 Message size exceeds maximum permitted (state 18).'), 'mesgtoobig');
  assert.equal(reason('550 550 Unknown user a@example.co.jp (state 14).'), 'userunknown');
  assert.equal(reason('550 550 Unknown user a@example.co.jp (state 18).'), 'filtered');
  // the older notice lists every recipient it failed for above its one reply: each reads it, its step included, as
  // the one listed nearest it does
  const both = (reply: string) =>
    reported(
      textNotice(
        'Delivery to the following recipients failed permanently:\n\n     a@example.co.jp\n     b@example.co.jp\n\n' +
          'Technical details of permanent failure:\nGoogle tried to deliver your message, but it was rejected by the ' +
          `recipient domain. The error that the other server returned was: ${reply}\n`,
        {
          from: 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
          subject: 'Delivery Status Notification (Failure)',
        },
      ),
      'recipient',
      'reason',
      'hard',
      'replycode',
    );
  assert.deepEqual(both('550 550 Unknown user (state 18).'), [
    ['a@example.co.jp', 'filtered', false, '550'],
    ['b@example.co.jp', 'filtered', false, '550'],
  ]);
  assert.deepEqual(both('554 554 5.7.0 Header error (state 18).'), [
    ['a@example.co.jp', 'filtered', false, '554'],
    ['b@example.co.jp', 'filtered', false, '554'],
  ]);
  // ... as a gateway's listing does, its one reply giving its enhanced code in qmail's "(#5.1.1)"
  const listing = textNotice(
    '  ----- The following addresses had permanent fatal errors -----\n\n>>> a@example.org <a@example.org>\n\n' +
      '>>> b@example.org <b@example.org>\n\n  ----- Transcript of session follows -----\n' +
      '550 sorry, no mailbox here by that name (#5.1.1 - chkusr)\n',
    { from: 'MAILER-DAEMON@gw.example.net', subject: 'Returned mail: see transcript for details' },
  );
  assert.deepEqual(reported(listing, 'recipient', 'reason', 'hard', 'status'), [
    ['a@example.org', 'userunknown', true, '5.1.1'],
    ['b@example.org', 'userunknown', true, '5.1.1'],
  ]);
  assert.deepEqual(both('550 550 5.1.1 Unknown user (state 14).'), [
    ['a@example.co.jp', 'userunknown', true, '550'],
    ['b@example.co.jp', 'userunknown', true, '550'],
  ]);
});

test("IMail's own verdict 'Unknown user: <address>' is its directory's, for each address it lists", () => {
  const imail = textNotice('Unknown user: a@example.jp\nUnknown user: b@example.jp\n\n\nOriginal message follows.\n', {
    from: 'postmaster@mail.example.jp',
    subject: 'Undeliverable Mail',
    headers: [h('x-mailer', '<SMTP32 v8.22>')],
  });
  assert.deepEqual(reported(imail, 'recipient', 'reason', 'hard'), [
    ['a@example.jp', 'userunknown', true],
    ['b@example.jp', 'userunknown', true],
  ]);
});

test("a notice's one reply that names another listed recipient is not this one's (m-FILTER)", () => {
  const mfilter = textNotice(
    'a@example.com\nb@example.com\n\n\n-------server message\n550 5.1.1 <a@example.com>... User unknown\n\n' +
      '-------SMTP command\nRCPT\n\n-------original message\n',
    { from: 'POSTMASTER <postmaster@example.com>', subject: 'failure notice', headers: [h('x-mailer', 'm-FILTER')] },
  );
  assert.deepEqual(reported(mfilter, 'recipient', 'reason', 'hard'), [
    ['a@example.com', 'userunknown', true],
    ['b@example.com', 'onhold', false],
  ]);
});

test("au by KDDI's X-SPASIGN: NG marks a message its filter refused, when the words name no other cause", () => {
  const kddi = (line: string): RecipientReport =>
    classifyBounce({
      headers: [
        h('return-path', '<>'),
        h('from', 'no-reply@x0000.dion.ne.jp'),
        h('subject', 'Mail'),
        h('x-spasign', 'NG'),
        h('content-type', 'multipart/mixed'),
      ],
      parts: [
        {
          type: 'text/plain',
          headers: [],
          text: `Your mail sent on: Thu, 29 Apr 2013 23:45:22 +0900\n     Could not be delivered to: <a@example.jp>\n${line}\n`,
        },
      ],
    }).recipients[0]!;
  assert.deepEqual([kddi('').reason, kddi('').hard], ['filtered', false]);
  assert.equal(kddi('     As their mailbox is full.').reason, 'mailboxfull');
});

test("a recipient with words of its own keeps them: another recipient's reply is that recipient's", () => {
  // OpenSMTPD lists each recipient on one line with its own words; only the second quotes a coded reply
  const listing = (lines: string[]) =>
    textNotice(
      [
        'Hi!',
        '',
        'This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail.',
        '',
        'An error has occurred while attempting to deliver a message for',
        'the following list of recipients:',
        '',
        ...lines,
        '',
        'Below is a copy of the original message:',
      ].join('\n'),
      { from: 'Mailer Daemon <MAILER-DAEMON@mx.example.org>', subject: 'Delivery status notification: error' },
    );
  const dead = 'ivy@dead.example: Domain does not exist';
  const blocked =
    'jack@dest.example: 554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org';
  for (const lines of [
    [dead, blocked],
    [blocked, dead],
  ])
    assert.deepEqual(
      reported(listing(lines), 'recipient', 'reason', 'hard', 'status').sort(),
      [
        ['ivy@dead.example', 'hostunknown', true, '5.0.0'],
        ['jack@dest.example', 'blocked', false, '5.7.1'],
      ],
      lines.join(' / '),
    );
  // a list of bare addresses followed by one reply shares it
  const shared = textNotice(
    'Delivery to the following recipients failed permanently:\n\n     ivy@dest.example\n     jack@dest.example\n\nTechnical details of permanent failure:\n550 5.1.1 The email account that you tried to reach does not exist.\n',
  );
  assert.deepEqual(reported(shared, 'recipient', 'reason', 'status'), [
    ['ivy@dest.example', 'userunknown', '5.1.1'],
    ['jack@dest.example', 'userunknown', '5.1.1'],
  ]);
});

test("indimail's session line names the sender, then the recipient: the reply under it is that recipient's", () => {
  const entry = (rcpt: string, reply: string) => [
    `<${rcpt}>:`,
    `From: <postmaster@app.example.org> RCPT: <${rcpt}> 192.0.2.7 failed after I sent the message.`,
    `Remote host said: ${reply}`,
    '',
  ];
  const notice = textNotice(
    [
      'Hi. This is the qmail-send program at app.example.org.',
      "I'm afraid I wasn't able to deliver your message to the following addresses.",
      "This is a permanent error; I've given up. Sorry it didn't work out.",
      '',
      ...entry(
        'ivy@dest.example',
        "550 5.7.26 Unauthenticated email from app.example.org is not accepted due to domain's DMARC policy.",
      ),
      ...entry('jack@dest.example', '552 5.2.2 Mailbox full'),
      '--- Enclosed is a copy of the message.',
    ].join('\n'),
    { from: 'MAILER-DAEMON@app.example.org', subject: 'failure notice' },
  );
  assert.deepEqual(reported(notice, 'recipient', 'reason', 'status'), [
    ['ivy@dest.example', 'authfailure', '5.7.26'],
    ['jack@dest.example', 'mailboxfull', '5.2.2'],
  ]);
});

test("the copy a notice returns inline is the sender's text: its report fields and header are no evidence", () => {
  const notice = (copy: string[]) =>
    textNotice(
      [
        'Sorry, we were unable to deliver your message to the following address.',
        '',
        '<ivy@dest.example>:',
        'Remote host said: 550 5.2.2 <ivy@dest.example>... Mailbox full [RCPT_TO]',
        '',
        '--- Below this line is a copy of the message.',
        '',
        ...copy,
      ].join('\n'),
      { from: 'MAILER-DAEMON@mx.example.org', subject: 'Failure Notice' },
    );
  const expected = [['ivy@dest.example', 'mailboxfull', false, '5.2.2']];
  // a support ticket quoting an old report of its own
  const ticket = [
    'From: Support <support@shop.example>',
    'To: ivy@dest.example',
    'Subject: Ticket 42',
    '',
    'We could not reach you earlier:',
    'Final-Recipient: rfc822; billing@shop.example',
    'Status: 5.1.1',
    'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
  ];
  assert.deepEqual(reported(notice(ticket), 'recipient', 'reason', 'hard', 'status'), expected);
  // a copy whose header starts with a receiver's ARC set, under a marker no table knows: its authentication results
  // and its subject are the original's, and the notice's own words name no cause
  const arc = textNotice(
    [
      'Hello ivy@dest.example,',
      '',
      'Your message could not be delivered to the group.',
      '',
      'Your message follows:',
      'ARC-Seal: i=1; a=rsa-sha256; t=1700000000; cv=none; d=relay.example; s=arc',
      'ARC-Authentication-Results: i=1; relay.example; dkim=fail; spf=fail smtp.mailfrom=app.example.org; dmarc=fail',
      'From: App <no-reply@app.example.org>',
      'To: ivy@dest.example',
      'Subject: Your card ending 4242 has been blocked',
    ].join('\n'),
    { from: 'MAILER-DAEMON@mx.example.org', subject: 'Failure Notice' },
  );
  assert.deepEqual(reported(arc, 'recipient', 'reason', 'hard'), [['ivy@dest.example', 'onhold', false]]);
});

test("a notice that names nobody reports the returned copy's one envelope recipient, not everyone in its To", () => {
  const copy = [
    'Received: from relay.app.example (relay.app.example [192.0.2.10])',
    '\tby mx.dest.example (Postfix) with ESMTPS id 4XyZ',
    '\tfor <maria@dest.example>; Thu, 3 Dec 2026 10:00:00 +0000',
    'From: Bookings <bookings@app.example>',
    'To: maria@dest.example, lead.guest@travellers.example',
    'Subject: Your booking',
  ];
  const attachedCopy: BounceMessage = {
    headers: [h('from', 'MAILER-DAEMON@mx.dest.example'), h('subject', 'Undelivered Mail Returned to Sender')],
    parts: [
      { type: 'text/plain', headers: [], text: 'Delivery report unavailable.' },
      {
        type: 'message/rfc822',
        headers: [],
        text: copy.join('\n'),
        attachedHeaders: [
          h('received', copy.slice(0, 3).join(' ')),
          h('from', 'Bookings <bookings@app.example>'),
          h('to', 'maria@dest.example, lead.guest@travellers.example'),
        ],
      },
    ],
  };
  assert.deepEqual(reported(attachedCopy, 'recipient'), [['maria@dest.example']]);
  // the same copy returned inline after old Sendmail's marker
  const inline = textNotice(
    [
      '   ----- Transcript of session follows -----',
      '421 mx.dest.example (smtp)... Deferred: Connection timed out',
      '',
      '   ----- Unsent message follows -----',
      ...copy,
      '',
      'Your booking is confirmed.',
    ].join('\n'),
    { from: 'MAILER-DAEMON@mx.app.example', subject: 'Returned mail: Cannot send message for 5 days' },
  );
  assert.deepEqual(reported(inline, 'recipient'), [['maria@dest.example']]);
});

test("a daemon's automatic answer that returns the message is a notice, whatever its words", () => {
  // Dovecot's Sieve reject (RFC 5429): a disposition notification marked auto-replied, the message attached
  const sieveReject: BounceMessage = {
    headers: [
      h('from', 'Mail Delivery Subsystem <admin@mail.example.net>'),
      h('to', 'app@example.org'),
      h('subject', 'Automatically rejected mail'),
      h('auto-submitted', 'auto-replied (rejected)'),
      h('content-type', 'multipart/report; report-type=disposition-notification'),
    ],
    parts: [
      {
        type: 'text/plain',
        headers: [],
        text: 'Your message to <alice@example.net> was automatically rejected:\nQuota exceeded (mailbox for user is full)\n',
      },
      { type: 'message/rfc822', headers: [], text: 'To: alice@example.net\n\nHello\n' },
    ],
  };
  assert.deepEqual(reported(sieveReject, 'recipient', 'reason', 'hard'), [['alice@example.net', 'mailboxfull', false]]);
  // the same answer from a person's address returns nothing and is an auto-reply
  const fromPerson: BounceMessage = {
    ...sieveReject,
    headers: sieveReject.headers.map((f) => (f.name === 'from' ? h('from', 'Alice <alice@example.net>') : f)),
    parts: [sieveReject.parts[0]!],
  };
  assert.equal(classifyBounce(fromPerson).kind, 'vacation');
});

test('a mail daemon is never away on vacation: its automatic message with no failure in it is nothing', () => {
  const notice = textNotice('Your message has been scanned and was found to be clean.\n', {
    from: 'MAILER-DAEMON@mx.example.net',
    subject: 'Scan report',
    headers: [h('auto-submitted', 'auto-generated')],
  });
  assert.equal(classifyBounce(notice).kind, 'not_bounce');
});

test('a delivery report whose fields were lost is still a failure, for the VERP address to name', () => {
  const lost: BounceMessage = {
    headers: [
      h('from', 'Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>'),
      h('subject', 'Returned mail: see transcript for details'),
      h('auto-submitted', 'auto-generated (failure)'),
      h('content-type', 'multipart/report; report-type=delivery-status'),
    ],
    parts: [{ type: 'text/plain', headers: [], text: '<<< No Message Collected >>>\n' }],
  };
  const report = classifyBounce(lost);
  assert.equal(report.kind, 'bounce');
  assert.deepEqual(reported(lost, 'recipient', 'hard'), [['', false]]);
});

test("a challenge-response filter's request holds the message: an automatic answer, not a failure", () => {
  // Boxbe wraps its notes in a delivery report with Action: failed and a 4.7.0 of its own
  const note = (text: string): BounceMessage => ({
    headers: [
      h('from', 'noreply@screen.example.org'),
      h('reply-to', 'dana@example.net'),
      h('subject', 'Re: March newsletter'),
      h('content-type', 'multipart/report; report-type=delivery-status'),
    ],
    parts: [
      { type: 'text/plain', headers: [], text },
      {
        type: 'message/delivery-status',
        headers: [],
        text: 'Reporting-MTA: dns; screen.example.org\n\nFinal-Recipient: rfc822; dana@example.net\nAction: failed\nStatus: 4.7.0\nDiagnostic-Code: X-Screen-Notice; Sender not yet approved\n',
      },
    ],
  });
  for (const text of [
    'Your message about "March newsletter" was waitlisted.\nPlease add yourself to my Guest List so your messages will go to my Inbox.\n',
    'This one-time automatic note confirms that you are on my approved senders list.\nMail from you goes straight to my inbox.\n',
    'Your message has not been delivered yet. To deliver it, confirm you are a person: https://guard.example/c/1\n',
    // cPanel's BoxTrapper, folded as it sends it
    'The message you sent requires that you verify that you\nare a real live human being and not a spam source.\n',
  ])
    assert.equal(classifyBounce(note(text)).kind, 'vacation', text);
  // a refusal that quotes a reply is one, whatever else it asks
  const refused = note(
    '550 5.7.1 Sender not approved. To be approved, confirm you are a person at https://guard.example\n',
  );
  assert.equal(classifyBounce(refused).kind, 'bounce');
  // a quarantine that releases the message when its notice comes back unchanged asks the same
  const quarantine = textNotice(
    'Your message has been placed in quarantine. To release it, press "Reply" and leave the\nmessage body ' +
      'unchanged, or follow this link: https://mail.example.net/q/1\n',
    { from: 'quarantine@example.net', subject: 'friend@example.net: Hello (Quarantine)' },
  );
  assert.equal(classifyBounce(quarantine).kind, 'vacation');
});

test("a complaint names who complained: JMRP's recipient header, an opt-out's Removal-Recipient", () => {
  // Microsoft's JMRP sends the reported message itself, marked with the mailbox that reported it
  const unwrapped: BounceMessage = {
    headers: [
      h('return-path', 'staff@hotmail.com'),
      h('x-hmxmroriginalrecipient', 'reader@example.net'),
      h('from', 'news@example.com'),
      h('to', 'reader@example.net'),
      h('subject', 'Spring offers'),
    ],
    parts: [{ type: 'text/plain', headers: [], text: 'Our spring offers.\n' }],
  };
  assert.deepEqual(reported(unwrapped, 'recipient', 'reason'), [['reader@example.net', 'feedback']]);
  // ... or attaches it under its complaint subject: the header, not the copy's To (a list's address), names them
  const attached: BounceMessage = {
    headers: [h('from', 'staff@hotmail.com'), h('subject', 'complaint about message from 192.0.2.1')],
    parts: [
      {
        type: 'message/rfc822',
        headers: [],
        text: '',
        attachedHeaders: [h('x-hmxmroriginalrecipient', 'reader@example.net'), h('to', 'members@example.com')],
      },
    ],
  };
  assert.deepEqual(reported(attached, 'recipient'), [['reader@example.net']]);
  // an opt-out report of the draft ARF names the address to remove
  const optOut: BounceMessage = {
    headers: [h('from', 'fbl@isp.example'), h('content-type', 'multipart/report; report-type=feedback-report')],
    parts: [
      {
        type: 'message/feedback-report',
        headers: [],
        text: 'Feedback-Type: opt-out\nUser-Agent: SomeFBL/1.0\nVersion: 0.1\nRemoval-Recipient: member@example.net\n',
      },
    ],
  };
  assert.deepEqual(reported(optOut, 'recipient', 'feedbackType'), [['member@example.net', 'opt-out']]);
});

test('an automatic answer from the null sender saying the address is not a valid user is a notice', () => {
  // an Exim filter's refusal sent as an auto-reply: no subject, no daemon name
  const refusal: BounceMessage = {
    headers: [
      h('return-path', '<>'),
      h('from', '<>'),
      h('to', 'bounces@example.com'),
      h('auto-submitted', 'auto-replied'),
    ],
    parts: [
      { type: 'text/plain', headers: [], text: "You sent mail to a@example.net. That's not a valid user here.\n" },
    ],
  };
  assert.deepEqual(reported(refusal, 'recipient', 'reason', 'hard'), [['a@example.net', 'filtered', false]]);
});

test('a notice whose prose its MTA labelled as the report is read as text; a short Russian auto-reply subject', () => {
  const mislabelled: BounceMessage = {
    headers: [
      h('from', 'Mail Administrator <Postmaster@sms.example.net>'),
      h('subject', 'Mail System Error - Returned Mail'),
      h('content-type', 'multipart/report; report-type=delivery-status'),
    ],
    parts: [
      {
        type: 'message/delivery-status',
        headers: [],
        text: 'This Message was undeliverable due to the following reason:\n\n<5550100@sms.example.net> has restricted SMS e-mail\n',
      },
      {
        type: 'message/delivery-status',
        headers: [],
        text: 'Reporting-MTA: dns; mta.sms.example.net\n\nFinal-Recipient: RFC822; <5550100@sms.example.net>\nAction: failed\nStatus: 5.3.0\n',
      },
    ],
  };
  assert.deepEqual(reported(mislabelled, 'recipient', 'reason', 'hard'), [
    ['5550100@sms.example.net', 'filtered', false],
  ]);
  const away: BounceMessage = {
    headers: [h('from', 'Ivan <ivan@example.ru>'), h('subject', 'Автоответ: Ваш заказ')],
    parts: [{ type: 'text/plain', headers: [], text: 'Я в отпуске до понедельника.\n' }],
  };
  assert.equal(classifyBounce(away).kind, 'vacation');
});

test("Exchange Online's advice for every refusal of a kind is no word of the reply its Error Details give", () => {
  const notice = textNotice(
    [
      "Your message to reader@example.org couldn't be delivered.",
      'Security or policy settings at example.org have rejected your message.',
      '',
      'How to Fix It',
      '  *   If the error mentions SPF, DKIM, or DMARC issues, forward this message to your email admin.',
      '',
      'More Info for Email Admins',
      'Status code: 550 5.7.1',
      '',
      'Common issues include the following: the Sender Policy Framework (SPF) record for example.com is',
      "incorrectly configured or doesn't exist.",
      '',
      'Error Details',
      'Error:  554 5.7.1 Message rejected due to local policy.',
      'Message rejected by:    mx.example.org',
      '',
    ].join('\n'),
    { subject: 'Undeliverable: Monthly letter' },
  );
  assert.deepEqual(reported(notice, 'recipient', 'reason', 'hard'), [['reader@example.org', 'policyviolation', false]]);
});

test("Exim's own diagnostic field speaks for a recipient whose report quotes no SMTP reply", () => {
  const report = (extra: string) =>
    dsn(
      'Action: failed\nFinal-Recipient: rfc822;erin@example.net\nStatus: 5.0.0\nRemote-MTA: dns; mx.example.net\n' +
        extra,
    );
  const tls = 'X-Exim-Diagnostic: X-str; a TLS session is required, but the server did not offer TLS support\n';
  assert.deepEqual(reported(report(tls), 'recipient', 'reason'), [['erin@example.net', 'systemerror']]);
  // a Diagnostic-Code, when there is one, is the reply itself
  assert.deepEqual(reported(report(`Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\n${tls}`), 'reason'), [
    ['mailboxfull'],
  ]);
});

test("a report's Action: failed is final whatever passing fault the notice names; a Sieve reject is the recipient's filter", () => {
  // Apache James: a free-text Status, no reply, the words of a temporary lookup problem
  const james = dsn(
    'Final-Recipient: rfc822; reader@example.com\nAction: failed\nStatus: Temporary problem looking up mail server\n',
    'Error message below:\nTemporary problem looking up mail server\n',
  );
  assert.deepEqual(reported(james, 'status', 'hard'), [['5.0.0', false]]);
  // (a delay stays one)
  const delayed = dsn(
    'Final-Recipient: rfc822; reader@example.com\nAction: delayed\nStatus: Temporary problem looking up mail server\n',
    'Temporary problem looking up mail server\n',
  );
  assert.equal(classifyBounce(delayed).recipients[0]?.status[0], '4');
  // Dovecot's Sieve reject (RFC 5429): a disposition notification, the script's own words after Pigeonhole's
  const sieve: BounceMessage = {
    headers: [
      h('from', 'Postmaster <postmaster@mail.example.com>'),
      h('subject', 'Rejected: hello'),
      h('auto-submitted', 'auto-replied (rejected)'),
      h('content-type', 'multipart/report; report-type=disposition-notification'),
    ],
    parts: [
      {
        type: 'text/plain',
        headers: [],
        text: 'Your message to <reader@example.com> was automatically rejected:\nI do not want mail from you any more.\n',
      },
      {
        type: 'message/disposition-notification',
        headers: [],
        text:
          'Reporting-UA: mail.example.com; Dovecot Mail Delivery Agent\nFinal-Recipient: rfc822; reader@example.com\n' +
          'Disposition: automatic-action/MDN-sent-automatically; deleted\n',
      },
    ],
  };
  assert.deepEqual(reported(sieve, 'recipient', 'reason', 'hard'), [['reader@example.com', 'filtered', false]]);
});

test("Sendmail's Diagnostic-Code holding only a reply's first line is read whole from its transcript", () => {
  const first = '550-5.7.1 [192.0.2.20 7] The receiving system says that this message is';
  const transcript = [
    '   ----- Transcript of session follows -----',
    '... while talking to mx.example.org.:',
    '>>> DATA',
    `<<< ${first}`,
    '<<< 550-5.7.1 likely unsolicited mail. This message has been blocked.',
    '<<< 550 5.7.1 See the policy page for more information.',
    '554 5.0.0 Service unavailable',
  ].join('\n');
  const fields = `Final-Recipient: rfc822; member@example.net\nAction: failed\nStatus: 5.7.1\nDiagnostic-Code: smtp; ${first}`;
  assert.deepEqual(reported(dsn(fields, transcript), 'reason', 'hard'), [['spamdetected', false]]);
  // (without the transcript, the first line names no cause: the enhanced code's class decides)
  assert.deepEqual(reported(dsn(fields), 'reason'), [['securityerror']]);
});

test("an MTA's give-up on a transient reply is the queue's time running out, whatever the reply's words name", () => {
  // as Exim 4.96 writes it when its retry rules' cutoff has passed (the reply's class is the destination's: 4xx)
  const exim = (reply: string): BounceMessage =>
    eximFailure(
      '  a@example.net\n    host mx.example.net [192.0.2.1]\n    SMTP error from remote mail server after RCPT ' +
        `TO:<a@example.net>:\n    ${reply}: retry timeout exceeded\n`,
    );
  assert.deepEqual(reported(exim('456 Address temporarily unavailable.'), 'recipient', 'reason', 'hard'), [
    ['a@example.net', 'expired', false],
  ]);
  assert.deepEqual(reported(exim('450 Recipient address rejected: Domain not found'), 'reason', 'hard'), [
    ['expired', false],
  ]);
  // chasquid's words for a recipient still pending when its queue gave up (internal/queue/dsn.go), beside one that
  // failed for good; its list of recipients runs together, as its template trims the line break between them
  const chasquid = textNotice(
    'Delivery to the following recipient(s) failed permanently:\n\n  - jonas@example.net- stina@example.org\n\n\n----- Technical details -----\n\n' +
      '- "jonas@example.net" (EMAIL) failed permanently with error:\n    550 5.1.1 <jonas@example.net>: Recipient address rejected: User unknown in virtual mailbox table\n\n' +
      '- "stina@example.org" (EMAIL) failed repeatedly and timed out, last error:\n    451 4.7.1 Try again later\n',
    {
      from: 'Mail Delivery System <postmaster@mail.example.com>',
      subject: 'Mail delivery failed: returning message to sender',
    },
  );
  assert.deepEqual(reported(chasquid, 'recipient', 'reason', 'hard'), [
    ['jonas@example.net', 'userunknown', true],
    ['stina@example.org', 'expired', false],
  ]);
});

test("Sendmail's transcript gives the step of a reply its recipient's lines do not: the sender refused at MAIL FROM", () => {
  // as Sendmail 8.17 writes it when the destination refused the envelope sender (no recipient in the transcript)
  const reply = '550 <app@example.org> That sender cannot send mail here';
  const notice = dsn(
    `Final-Recipient: RFC822; a@example.net\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: SMTP; ${reply}`,
    'The original message was received at Sat, 5 Dec 2026 23:50:27 GMT\nfrom root@localhost\n\n' +
      '   ----- The following addresses had permanent fatal errors -----\na@example.net\n' +
      `    (reason: ${reply})\n\n   ----- Transcript of session follows -----\n... while talking to ` +
      `mx.example.net.:\n>>> MAIL From:<app@example.org>\n<<< ${reply}\n554 5.0.0 Service unavailable\n`,
  );
  assert.deepEqual(reported(notice, 'recipient', 'reason', 'hard'), [['a@example.net', 'rejected', false]]);
});

test('... and a reply no command came before in its session answered the greeting: the sending host refused', () => {
  // as Sendmail writes it when every MX refused the connection in its greeting (RFC 5321 3.1's 554), with and without
  // its report: the words say nothing of the recipient, and the step says it was the sending host
  const reply = '554 5.7.1 Delivery not authorized';
  const prose =
    'The original message was received at Thu, 2 Feb 2012 14:01:15 -0500\nfrom www.example.org [192.0.2.5]\n\n' +
    '   ----- The following addresses had permanent fatal errors -----\n<a@example.edu>\n' +
    `    (reason: ${reply})\n\n   ----- Transcript of session follows -----\n... while talking to mx1.example.edu.:\n` +
    `<<< ${reply}\n... while talking to mx2.example.edu.:\n<<< ${reply}\n554 5.0.0 Service unavailable\n`;
  const report = dsn(
    `Final-Recipient: RFC822; a@example.edu\nAction: failed\nStatus: 5.7.1\nDiagnostic-Code: SMTP; ${reply}`,
    prose,
  );
  const bare = textNotice(prose, {
    from: 'Mail Delivery Subsystem <MAILER-DAEMON@relay.example.org>',
    subject: 'Returned mail: see transcript for details',
  });
  for (const notice of [report, bare])
    assert.deepEqual(reported(notice, 'recipient', 'reason', 'hard'), [['a@example.edu', 'blocked', false]]);
});

test("a recipient whose own reply reads as nothing does not take the words another recipient's reply has", () => {
  // as Postfix 3.7 writes two recipients of one message: the second server's reply has a code no pattern reads
  const unknown = "554 delivery error: dd This user doesn't have a yahoo.com account (b@example.com) [-5]";
  const odd = '554 6.6.0 Error sending message for delivery.';
  const notice = dsn(
    `Final-Recipient: rfc822; a@example.net\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; ${unknown}\n\n` +
      `Final-Recipient: rfc822; c@example.org\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; ${odd}`,
    "I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n" +
      `<a@example.net>: host mx.example.net[192.0.2.1] said: ${unknown} (in reply to RCPT TO command)\n\n` +
      `<c@example.org>: host mx.example.org[192.0.2.2] said: ${odd} (in reply to end of DATA command)\n`,
  );
  assert.deepEqual(reported(notice, 'recipient', 'reason', 'hard'), [
    ['a@example.net', 'userunknown', true],
    ['c@example.org', 'onhold', false],
  ]);
});

test("... nor in OpenSMTPD's layout, where each recipient's line is its address and the reply", () => {
  const notice = dsn(
    'Final-Recipient: rfc822; a@example.net\nAction: failed\nStatus: 5.0.0\n\n' +
      'Final-Recipient: rfc822; c@example.org\nAction: failed\nStatus: 5.0.0',
    '    This is the MAILER-DAEMON, please DO NOT REPLY to this email.\n\n    An error has occurred while ' +
      'attempting to deliver a message for\n    the following list of recipients:\n\n' +
      'a@example.net: 550 No such user here\nc@example.org: 554 6.6.0 Error sending message for delivery.\n',
  );
  assert.deepEqual(reported(notice, 'recipient', 'reason', 'hard'), [
    ['a@example.net', 'filtered', false],
    ['c@example.org', 'onhold', false],
  ]);
});

test("Exim's delay warning reads as the delay itself, unless the reply came at MAIL FROM", () => {
  // as Exim 4.96 writes its warning for a message still waiting on a transient reply
  const warning = (step: string, reply: string): BounceMessage =>
    textNotice(
      'This message was created automatically by mail delivery software.\nA message that you sent has not yet been ' +
        'delivered to one or more of its\nrecipients after more than 24 hours on the queue on mx.example.org.\n\n' +
        'The address to which the message has not yet been delivered is:\n\n  a@example.net\n' +
        `    host mx.example.net [192.0.2.1]\n    Delay reason: SMTP error from remote mail server after ${step}:\n` +
        `    ${reply}\n\nNo action is required on your part. Delivery attempts will continue for\nsome time.\n`,
      {
        from: 'Mail Delivery System <Mailer-Daemon@mx.example.org>',
        subject: 'Warning: message 1xZzxw delayed 24 hours',
      },
    );
  assert.deepEqual(reported(warning('RCPT TO:<a@example.net>', '452 4.2.2 Mailbox full'), 'reason', 'hard'), [
    ['expired', false],
  ]);
  assert.deepEqual(
    reported(
      warning('MAIL FROM:<app@example.org>', '450 4.7.1 Sender address rejected: Domain not found'),
      'reason',
      'hard',
    ),
    [['rejected', false]],
  );
});

test("a recipient's transcript is read up to its own summary: the replies after it answered later commands", () => {
  // Sendmail pipelines RCPT TO and DATA: the recipient's refusal and Sendmail's summary of it, then what later
  // commands got, which names no cause of this recipient's (DATA's "no valid recipients", a session closed for its
  // errors)
  const transcript = (refusal: string, later: string): BounceMessage =>
    textNotice(
      [
        '   ----- The following addresses had permanent fatal errors -----',
        '<bob@dest.example>',
        '',
        '   ----- Transcript of session follows -----',
        '... while talking to mx.dest.example.:',
        '>>> DATA',
        `<<< ${refusal}`,
        `550 5.1.1 <bob@dest.example>... User unknown`,
        later,
        '',
      ].join('\n'),
      {
        from: 'Mail Delivery Subsystem <MAILER-DAEMON@relay.example>',
        subject: 'Returned mail: see transcript for details',
      },
    );
  for (const later of [
    '<<< 554 5.5.1 Error: no valid recipients',
    '<<< 503 5.5.1 Need RCPT (recipient)',
    '>>> RSET\n<<< 421 4.7.0 mx.dest.example Error: too many errors',
  ]) {
    assert.deepEqual(reported(transcript('550 5.5.0 Invalid recipient', later), 'reason', 'hard'), [
      ['userunknown', true],
    ]);
    assert.deepEqual(reported(transcript('552 5.2.2 Mailbox full', later), 'reason', 'hard'), [['mailboxfull', false]]);
  }
});

test("the original's subject a notice repeats is the sender's words, never the failure's cause", () => {
  // an app's alert about an account or a card: its words name failures the delivery never had
  const subject = 'Your account is suspended: card blocked, mailbox full';
  const exchange = textNotice(
    `Your message\n\n  To:      bob@example.net\n  Subject: ${subject}\n  Sent:    Mon, 3 Mar 2025 10:00:00 +0000\n\n` +
      'did not reach the following recipient(s):\n\nbob@example.net on Mon, 3 Mar 2025 10:00:05 +0000\n' +
      '    The recipient name is not recognized\n',
  );
  assert.deepEqual(reported(exchange, 'recipient', 'reason', 'hard'), [['bob@example.net', 'userunknown', true]]);
  // a gateway's details of the message under a failure that names no cause: none is read from the subject
  const details = textNotice(
    'Your message could not be delivered to bob@example.net.\n\n' +
      `Message details:\n  Subject: ${subject}\n  Sent date: Mon, 3 Mar 2025 10:00:00 +0000\n  RCPT TO: bob@example.net\n`,
  );
  assert.deepEqual(reported(details, 'recipient', 'reason'), [['bob@example.net', 'onhold']]);
  // ... nor from the display names of the addresses it repeats
  const named = textNotice(
    'Your message could not be delivered to bob@example.net.\n\n' +
      'Message details:\n  From: "Fraud alerts: card blocked" <alerts@bank.example>\n  To: "Mailbox full?" <bob@example.net>\n',
  );
  assert.deepEqual(reported(named, 'recipient', 'reason'), [['bob@example.net', 'onhold']]);
  // ... nor from Lotus Notes' delivery failure report, whose subject stands after "Your document:"
  const notes = textNotice(
    `Your document:\t${subject}\nwas not delivered to:\tbob@example.net\nbecause:\tRouter: No route found to domain ` +
      'example.net from server MAIL01/ACME. Check Server, Connection and Domain documents in Domino Directory.\n',
    { subject: 'DELIVERY FAILURE: Router: No route found to domain example.net' },
  );
  assert.deepEqual(reported(notes, 'recipient', 'reason'), [['bob@example.net', 'onhold']]);
});

test("a folded line of a notice that starts with a number is the line before's continuation, not a transcript's step", () => {
  // Postfix folds at 80 columns with four spaces; "200 messages" is the reply's words, not a "200" reply of a session
  const notice = textNotice(
    'This is the mail system at host relay.example.net.\n\n                   The mail system\n\n' +
      '<bob@example.org>: host mx.example.org[192.0.2.1] said: 452 4.2.2 more than\n' +
      '    200 messages in past 1m0s from your ip/network (4GHZ1X3QN2ZIC) (in reply\n    to RCPT TO command)\n',
    { from: 'MAILER-DAEMON@relay.example.net', subject: 'Undelivered Mail Returned to Sender' },
  );
  assert.deepEqual(reported(notice, 'recipient', 'reason', 'hard'), [['bob@example.org', 'speeding', false]]);
});

test("a transcript's successful steps indented by three spaces are no failure's reply (MDaemon's session transcript)", () => {
  const transcript =
    '--- Partial Session Transcript ---\n   MAIL From:<alice@example.com>\n   250 2.1.0 <alice@example.com>... Sender ok\n' +
    '   RCPT To:<bob@example.org>\n   250 2.1.5 <bob@example.org>... Recipient ok\n   DATA\n' +
    '   354 Enter mail, end with "." on a line by itself\n';
  const notice = (end: string): BounceMessage =>
    textNotice(
      'The attached message had PERMANENT fatal delivery errors!\n\nAfter one or more unsuccessful delivery attempts ' +
        'the attached message has\nbeen removed from the mail queue on this server.\n\nYOUR MESSAGE WAS NOT DELIVERED!\n\n' +
        transcript +
        end,
      { from: 'MDaemon@relay.example.net', subject: 'Permanent Delivery Failure' },
    );
  // the session ends before the reply that failed: the recipient's reason is unknown, and no success
  const cut = notice('   Sending <c:\\mdaemon\\remoteq\\pd50000371555.msg> to [192.0.2.1]\n');
  assert.deepEqual(reported(cut, 'recipient', 'reason', 'status'), [['bob@example.org', 'onhold', '5.0.0']]);
  // ... and when the reply that failed follows, it is the one read
  const full = notice('   552 5.2.2 <bob@example.org>... Mailbox full\n');
  assert.deepEqual(reported(full, 'recipient', 'reason', 'status'), [['bob@example.org', 'mailboxfull', '5.2.2']]);
});

test('a final notice that could not connect reads the same wherever its line is folded', () => {
  // Postfix folds the recipient's line between any two words; the queue ran out trying to connect either way
  const notice = (line: string): BounceMessage =>
    textNotice(
      "This is the mail system at host relay.example.net.\n\nI'm sorry to have to inform you that your message could " +
        "not\nbe delivered to one or more recipients. It's attached below.\n\n                   The mail system\n\n" +
        line,
      { from: 'MAILER-DAEMON@relay.example.net', subject: 'Undelivered Mail Returned to Sender' },
    );
  const whole = notice('<bob@example.org>: connect to example.org[192.0.2.1]:25: Connection timed out\n');
  const folded = notice('<bob@example.org>: connect to example.org[192.0.2.1]:25: Connection timed\n    out\n');
  assert.deepEqual(reported(whole, 'recipient', 'reason', 'hard'), [['bob@example.org', 'expired', false]]);
  assert.deepEqual(reported(folded, 'recipient', 'reason', 'hard'), reported(whole, 'recipient', 'reason', 'hard'));
});

test('a delay warning refolded narrower is still a delay: its sentences are read across the folds', () => {
  const warning = (text: string): BounceMessage =>
    textNotice(text, {
      from: 'Mail Delivery System <Mailer-Daemon@relay.example.net>',
      subject: 'Warning: message delayed',
    });
  const exim =
    'This message was created automatically by mail delivery software.\n\nA message that you sent has not yet been ' +
    'delivered to all its recipients\nafter more than 24 hours on the queue on relay.example.net.\n\n' +
    'The address to which the message has not yet been delivered is:\n\n  bob@example.org\n\n' +
    'No action is required on your part. Delivery attempts will continue for\nsome time.\n';
  const refolded = exim
    .replaceAll('has not yet been delivered', 'has not yet been\n    delivered')
    .replace('attempts will continue', 'attempts will\n    continue');
  assert.deepEqual(reported(warning(exim), 'recipient', 'status'), [['bob@example.org', '4.0.0']]);
  assert.deepEqual(reported(warning(refolded), 'recipient', 'status'), [['bob@example.org', '4.0.0']]);
});

test("a step's name folded onto a deeper-indented line still names the step (Exim's indented lines refolded)", () => {
  const exim = (after: string): BounceMessage =>
    textNotice(
      'This message was created automatically by mail delivery software.\n\nA message that you sent could not be ' +
        'delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n' +
        `  bob@example.org\n    host mx.example.org [192.0.2.1]\n    SMTP error from remote mail server after${after}` +
        'initial connection:\n    550 Access denied\n',
      { from: 'Mail Delivery System <Mailer-Daemon@relay.example.net>', subject: 'Mail delivery failed' },
    );
  const one = reported(exim(' '), 'recipient', 'reason', 'command');
  assert.deepEqual(one, [['bob@example.org', 'blocked', 'CONN']]);
  // Exim indents by four; a relay refolding with eight more puts twelve spaces and a line break between the words
  assert.deepEqual(reported(exim(`\n${' '.repeat(12)}`), 'recipient', 'reason', 'command'), one);
});

test("notices as mail software's sources write them: maddy's report in reverse field order, masqmail's warning, Postal's message id", () => {
  // maddy writes a recipient's fields last to first; a final report on a transient reply is an expired queue
  const maddy = dsn(
    'Diagnostic-Code: smtp; 451 4.4.2 No usable MXs, last err: Network I/O error\nStatus: 4.4.2\nAction: failed\nFinal-Recipient: rfc822; a@example.net\n',
    'Delivery to a@example.net failed with error: SMTP error 451: No usable MXs, last err: Network I/O error\n',
  );
  assert.deepEqual(reported(maddy, 'recipient', 'reason', 'hard', 'status'), [
    ['a@example.net', 'expired', false, '4.4.2'],
  ]);
  // masqmail's delay warning ("could not yet be delivered ... has been defered ... will be tried again") is a delay
  const masqmail = textNotice(
    'Sorry, but your mail could not yet be delivered to all recipients.\nDelivery to the following recipients has been defered:\n\n\ta@example.net\n\n' +
      'Delivery will be tried again, until it is either successfull or a\ntimeout has been reached.\n\n' +
      'This error message may give you a hint about what caused the\ndelay:\n\ncould not open connection to mx.example.net:25 :\n\tConnection timed out\n',
    { from: 'MAILER-DAEMON@mail.example.org', subject: 'Warning: could not deliver mail' },
  );
  assert.deepEqual(reported(masqmail, 'recipient', 'action', 'hard'), [['a@example.net', 'delayed', false]]);
  assert.equal(classifyBounce(masqmail).recipients[0]!.status[0], '4');
  // Postal names the original message's identifier in its words, misspelt: an identifier is no failed recipient
  const postal = textNotice(
    "This is the mail delivery service.\n\nThe message you've sent cannot be delivered.\n\n" +
      'Message Token: Xk3pQ9wLzR2m@k4t7bq\nOrginal Message ID: <CAF3a9Yq7Lx2@mail.example.net>\nMail from: alice@example.net\nRcpt To: bob@example.org\n',
    { from: 'Mail Delivery Service <postmaster@example.org>', subject: 'Mail Delivery Failed (Order question)' },
  );
  assert.deepEqual(reported(postal, 'recipient'), [['bob@example.org']]);
});

test("a reply quoted under one of Exim's entries ends where the next entry begins, less indented: it is not the next recipient's", () => {
  // Exim's listing (deliver.c): each address indented by two, its host and reply by four; the second failed on
  // Exim's own words, with no reply of its own
  const notice = eximFailure(
    '  archive@lists.example.org\n    SMTP error from remote mail server after end of data:\n    host mx.lists.example.org [192.0.2.66]: 550 5.7.1 Message rejected as spam by Content Filtering.\n' +
      "  ann@example.net\n    all hosts for 'example.net' have been failing for a long time (and retry time not reached)\n",
    'relay.example.com',
    [h('x-failed-recipients', 'archive@lists.example.org, ann@example.net')],
  );
  assert.deepEqual(reported(notice, 'recipient', 'reason'), [
    ['archive@lists.example.org', 'spamdetected'],
    ['ann@example.net', 'expired'],
  ]);
});

test("one recipient's words in a notice are no cause of another's: qmail's entries, each with its own lines", () => {
  // qmail-send's listing: the list server's own refusal under the first address, the remote host's under the second
  const notice = textNotice(
    qmailOpening('lists.example.org') +
      '<team@lists.example.org>:\nMail rejected: List address must be in To: or Cc: headers.\n\n' +
      '<bob@example.net>:\n192.0.2.201 does not like recipient.\nRemote host said: 550 Invalid recipient\nGiving up on 192.0.2.201.\n',
    { subject: 'failure notice', from: 'MAILER-DAEMON@lists.example.org' },
  );
  const [team, bob] = reported(notice, 'recipient', 'reason', 'hard');
  assert.deepEqual(bob, ['bob@example.net', 'userunknown', true]);
  // the list's refusal says nothing of its address being dead
  assert.equal(team![0], 'team@lists.example.org');
  assert.notEqual(team![1], 'userunknown');
  assert.equal(team![2], false);
});

test("Exim's failed pipe is the program's failure, and the entry it opens is the address it was generated by", () => {
  // deliver.c lists a local delivery by what it delivered to, "pipe to |<command>", and the address it was made for
  // on the line under it; a full mailbox above it keeps its own words
  const notice = eximFailure(
    '  ann@example.net\n    host mx.example.net [192.0.2.66]\n    SMTP error from remote mail server after RCPT TO:<ann@example.net>:\n    552 5.2.2 Mailbox full\n' +
      '  pipe to |/home/site/public_html/support/cli/index.php\n    generated by sales@example.org\n    local delivery failed\n',
  );
  assert.deepEqual(reported(notice, 'recipient', 'reason', 'hard'), [
    ['ann@example.net', 'mailboxfull', false],
    ['sales@example.org', 'mailererror', false],
  ]);
  // a delivery to a mailbox file that failed is the mail system's, as before: no program of the recipient's ran
  const appendfile = eximFailure('  bob@example.org\n    local delivery failed\n');
  assert.deepEqual(reported(appendfile, 'reason'), [['systemerror']]);
});

test("amavisd-new's notice that a message was spam names that verdict, not the infected mail its disclaimer mentions", () => {
  const notice = (verdict: string) =>
    reported(
      textNotice(
        `A message from <app@example.org>\nto: a@example.net\n${verdict}\nOur internal reference code for your message ` +
          'is 62202-17/GlMCoiSt+AcW\nThe message carried your return address, so it was either a genuine mail\nfrom ' +
          'you, or a sender address was faked and your e-mail address abused\nby third party, in which case we ' +
          'apologize for undesired notification.\nWe do try to minimize backscatter for more prominent cases of UBE ' +
          'and\nfor infected mail, but for less obvious cases some balance between\n',
        {
          from: 'Content-filter at mx.example.net <postmaster@mx.example.net>',
          subject: 'Considered UNSOLICITED BULK EMAIL',
        },
      ),
      'recipient',
      'reason',
      'hard',
    );
  assert.deepEqual(notice('was considered unsolicited bulk e-mail (UBE).'), [['a@example.net', 'spamdetected', false]]);
  // ... and its virus notice still names the virus
  assert.deepEqual(notice('was blocked because it contains a virus: W32/Klez.H@mm'), [
    ['a@example.net', 'virusdetected', false],
  ]);
});

test("a failed recipient whose report fields carry a success's codes is read from the notice's own lines", () => {
  // Sendmail 8.x wrote a later connection's acceptance into a failed recipient's fields
  const notice = dsn(
    'Final-Recipient: RFC822; a@example.com\nAction: failed\nStatus: 2.0.0\nRemote-MTA: DNS; loopback.example.com\n' +
      'Diagnostic-Code: SMTP; 250 Message accepted for delivery\n',
    '   ----- The following addresses had permanent fatal errors -----\n<a@example.com>\n\n' +
      '   ----- Transcript of session follows -----\n... while talking to mx.example.com.:\n>>> RCPT To:<a@example.com>\n' +
      '<<< 553 <a@example.com>... Users mailbox is currently disabled\n550 <a@example.com>... User unknown\n',
  );
  const [line] = classifyBounce(notice).recipients;
  assert.deepEqual(
    [line?.recipient, line?.status[0], line?.reason, line?.action],
    ['a@example.com', '5', 'suspend', 'failed'],
  );
  // ... so the service records a bounce, not a delivery
  assert.equal(inboundOutcome(classifyBounce(notice), 'a@example.com').kind, 'bounced');
});

test("Postfix's report that an address is deliverable (sendmail -bv) is a success, not a failure with a success's codes", () => {
  // RFC 3464 has no "deliverable" action: the report's lines, not its 250 and 2.1.5, say the address was verified
  const notice = dsn(
    'Final-Recipient: rfc822; ann@example.net\nAction: deliverable\nStatus: 2.1.5\nRemote-MTA: dns; mx.example.net\n' +
      'Diagnostic-Code: smtp; 250 2.1.5 OK l8si9043175wbg.36\n',
    'This is the mail system at host mx.example.org.\n\nEnclosed is the mail delivery report that you requested.\n\n' +
      '                   The mail system\n\n<ann@example.net>: delivery via\n    mx.example.net[192.0.2.27]:25: 250 2.1.5 OK\n    l8si9043175wbg.36\n',
  );
  assert.deepEqual(reported(notice, 'recipient', 'reason'), [['ann@example.net', 'delivered']]);
});

test("a report pasted into a notice's text is read as fields, and its fields are no recipient's words", () => {
  // Postfix's report on an address it verified (sendmail -bv), whose "deliverable" is no failure
  const verified = textNotice(
    [
      'Reporting-MTA: dns; mx.example.org',
      'X-Postfix-Queue-ID: EA64410A80',
      'X-Postfix-Sender: rfc822; root@example.org',
      '',
      'Final-Recipient: rfc822; ivy@dest.example',
      'Action: deliverable',
      'Status: 2.0.0',
      'Remote-MTA: dns; mx.dest.example',
      'Diagnostic-Code: smtp; 250 recipient <ivy@dest.example> ok',
      '',
    ].join('\n'),
    { from: 'MAILER-DAEMON@mx.example.org', subject: 'Mail Delivery Status Report' },
  );
  assert.deepEqual(reported(verified, 'recipient', 'reason', 'status'), [['ivy@dest.example', 'delivered', '2.0.0']]);
  // a refused connection in a delay warning, under a report whose Reporting-MTA names "dns": no fault of DNS, so
  // the message is read as kept waiting, as the same warning with its report in a part of its own is
  const words =
    'Delivery has been delayed of your email to:\n\n\tivy@dest.example\n\nError during the last delivery attempt:\n\n' +
    '\tdial tcp 192.0.2.10:25: connect: connection refused\n';
  const fields =
    'Final-Recipient: rfc822;ivy@dest.example\nAction: delayed\nStatus: 4.0.0\nRemote-MTA: dns;mx.dest.example\n';
  const ownPart = dsn(fields, words);
  assert.deepEqual(reported(ownPart, 'reason', 'status'), [['expired', '4.0.0']]);
  // pasted after a blank line, or straight under the words, with or without the report's per-message fields
  for (const report of [
    `\nReporting-MTA: dns; mx.example\n\n${fields}`,
    `Reporting-MTA: dns; mx.example\n${fields}`,
    fields,
  ]) {
    const pasted = textNotice(words + report, { from: 'MAILER-DAEMON@mx.example.org', subject: 'Delivery delayed' });
    assert.deepEqual(reported(pasted, 'reason', 'status'), reported(ownPart, 'reason', 'status'), report);
  }
});

test("in Exchange Online's own notice Microsoft's code names the cause; elsewhere the words do", () => {
  const ndr = (reply: string, marks: boolean): BounceMessage => ({
    headers: [
      h('from', 'postmaster@example.onmicrosoft.com'),
      h('subject', 'Undeliverable: Invoice 1042'),
      h('message-id', marks ? '<1f0c@AM0PR01MB1234.eurprd01.prod.outlook.com>' : '<1f0c@mail.example.net>'),
      ...(marks ? [h('x-ms-exchange-message-is-ndr', '')] : []),
    ],
    parts: [
      {
        type: 'text/plain',
        headers: [],
        text:
          'Delivery has failed to these recipients or groups:\n\nbilling@example.org<mailto:billing@example.org>\n' +
          "Your message couldn't be delivered.\n\nDiagnostic information for administrators:\n\n" +
          `Generating server: AM0PR01MB1234.eurprd01.prod.outlook.com\n\nbilling@example.org\nRemote Server returned '${reply}'\n`,
      },
    ],
  });
  const cases: Array<[reply: string, microsoft: string, words: string]> = [
    // the recipient takes mail only from some senders, or only authenticated ones: Microsoft's codes for it say the
    // sender was refused, whatever words its restrictions have elsewhere
    ['550 5.7.1 RESOLVER.RST.AuthRequired; authentication required', 'rejected', 'securityerror'],
    ['550 5.7.1 Delivery not authorized', 'rejected', 'securityerror'],
    // its protection's codes name their cause whatever the words
    ['550 5.7.705 Access denied, tenant has exceeded threshold', 'toomanyconn', 'speeding'],
    // (and a content code beside a fault of the message's form reads as content anywhere)
    ['550 5.6.11 SMTPSEND.BareLinefeedsAreIllegal; message contains bare linefeeds', 'contenterror', 'contenterror'],
    // a cause the words name more exactly than a code shared with every system stays
    ['550 5.7.1 Service unavailable, Client host [192.0.2.1] blocked using zen.spamhaus.org', 'blocked', 'blocked'],
    // ... and so do the codes whose words tell more (an SPF failure, Directory-Based Edge Blocking's unknown address)
    ['550 5.7.23 The message was rejected because of Sender Policy Framework violation', 'authfailure', 'authfailure'],
    ['550 5.4.1 Recipient address rejected: Access denied. AS(201806281)', 'userunknown', 'userunknown'],
  ];
  for (const [reply, microsoft, words] of cases) {
    assert.deepEqual(reported(ndr(reply, true), 'recipient', 'reason'), [['billing@example.org', microsoft]], reply);
    // the same layout with only one of Microsoft's marks (its subject) is no notice of Exchange Online's own
    assert.deepEqual(reported(ndr(reply, false), 'recipient', 'reason'), [['billing@example.org', words]], reply);
  }
});
