import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyBounce } from '../../../src/domain/bounces/classify-bounce.js';
import type { BounceMessage } from '../../../src/domain/bounces/bounce-message.js';
import { parseDsnFields } from '../../../src/domain/bounces/dsn-fields.js';
import { cutOriginalMessage } from '../../../src/domain/bounces/returned-copy.js';
import { findTextRecipients } from '../../../src/domain/bounces/text-bounce.js';
import { dsn, textNotice } from './synthetic-dsn.js';

const h = (name: string, value: string) => ({ name, value });

test('delivery-status blocks split per recipient, folded diagnostics unfolded', () => {
  const fields = parseDsnFields(
    'Reporting-MTA: dns; mx.example\n\nFinal-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 <a@example.org>:\n  user unknown\n\nFinal-Recipient: rfc822;b@example.org\nAction: delayed\nStatus: 4.2.2\n',
  );
  assert.deepEqual(fields, [
    {
      finalRecipient: 'a@example.org',
      action: 'failed',
      status: '5.1.1',
      diagnosticCode: '550 5.1.1 <a@example.org>: user unknown',
      diagnosticType: 'smtp',
    },
    { finalRecipient: 'b@example.org', action: 'delayed', status: '4.2.2' },
  ]);
});

test('a DSN reports each recipient with status, reply code, reason and hard flag', () => {
  const msg: BounceMessage = {
    headers: [
      h('from', 'MAILER-DAEMON@mx.example'),
      h('subject', 'Undelivered Mail Returned to Sender'),
      h('content-type', 'multipart/report; report-type=delivery-status'),
    ],
    parts: [
      { type: 'text/plain', headers: [], text: 'I could not deliver your message.' },
      {
        type: 'message/delivery-status',
        headers: [],
        text: 'Final-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 5.2.2\nDiagnostic-Code: smtp; 552 5.2.2 Mailbox full\n',
      },
    ],
  };
  const r = classifyBounce(msg);
  assert.equal(r.kind, 'bounce');
  assert.deepEqual(
    r.recipients.map(({ recipient, status, replycode, reason, hard }) => ({
      recipient,
      status,
      replycode,
      reason,
      hard,
    })),
    [{ recipient: 'a@example.org', status: '5.2.2', replycode: '552', reason: 'mailboxfull', hard: false }],
  );
});

test('a report says which step its reply answered and which host gave it, a host no longer than a DNS name', () => {
  const report = (remoteMta: string) =>
    classifyBounce(
      dsn(
        `Final-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 5.1.1\nRemote-MTA: dns; ${remoteMta}\n` +
          'Diagnostic-Code: smtp; 550 5.1.1 <a@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command)\n',
      ),
    ).recipients[0]!;
  const r = report('mx.example.org');
  assert.deepEqual([r.command, r.remoteHost], ['RCPT', 'mx.example.org']);
  // a crafted field is cut where no real host name goes on
  assert.equal(report(`${'a'.repeat(62)}.`.repeat(40) + 'example').remoteHost?.length, 253);
});

test('prose bounces: each address gets the text that follows it; the returned copy is cut off', () => {
  const body =
    'Hi. This is the qmail-send program.\n\n<a@example.org>:\n550 5.1.1 no mailbox here by that name\n\n<b@example.net>:\n552 Mailbox full\n\n--- Below this line is a copy of the message.\n\nTo: c@example.com\n';
  const section = cutOriginalMessage(body);
  assert.ok(!section.includes('c@example.com'));
  // Smail's banners are framed in bars; the copy starts there even when no header field follows at once
  const smail = cutOriginalMessage(
    '|------------------------- Failed addresses follow: ---------------------|\n a@example.org ... unknown host\n' +
      '|------------------------- Message text follows: ------------------------|\nHello c@example.com\n',
  );
  assert.ok(smail.includes('a@example.org') && !smail.includes('c@example.com'));
  const recipients = findTextRecipients(section, new Set());
  assert.deepEqual(
    recipients.map((r) => r.address),
    ['a@example.org', 'b@example.net'],
  );
  const msg: BounceMessage = {
    headers: [h('from', 'MAILER-DAEMON@mx.example'), h('subject', 'failure notice')],
    parts: [{ type: 'text/plain', headers: [], text: body }],
  };
  assert.deepEqual(
    classifyBounce(msg).recipients.map((r) => [r.recipient, r.reason, r.hard]),
    [
      ['a@example.org', 'userunknown', true],
      ['b@example.net', 'mailboxfull', false],
    ],
  );
});

test("prose bounces: a paragraph that ends in a bare address is that address's (Lotus Notes' reason, then address)", () => {
  const section =
    '------- Failure Reasons  --------\n\nMessage has exceeded maximum hop count\na@example.org\n\n' +
    'User not listed in public Name & Address Book\nb@example.net\n\n';
  assert.deepEqual(
    findTextRecipients(section, new Set()).map((r) => [r.address, r.text.split('\n')[0]]),
    [
      ['a@example.org', 'Message has exceeded maximum hop count'],
      ['b@example.net', 'User not listed in public Name & Address Book'],
    ],
  );
  // a heading that introduces the list stays out of the address's text
  const sendmail = '----- The following addresses had permanent fatal errors -----\n<a@example.org>\n\n';
  assert.ok(!findTextRecipients(sendmail, new Set())[0]!.text.includes('permanent fatal errors'));
});

test('complaints, auto-replies and ordinary mail are told apart', () => {
  const arf: BounceMessage = {
    headers: [h('content-type', 'multipart/report; report-type=feedback-report')],
    parts: [
      { type: 'message/feedback-report', headers: [], text: 'Feedback-Type: abuse\nOriginal-Rcpt-To: x@example.org\n' },
    ],
  };
  assert.deepEqual(
    classifyBounce(arf).recipients.map((r) => [r.recipient, r.reason, r.feedbackType]),
    [['x@example.org', 'feedback', 'abuse']],
  );
  // ... also when a relay relabelled the report's part as plain text: RFC 5965's fields still make it the report
  const relabelled: BounceMessage = {
    ...arf,
    parts: [
      { type: 'text/plain', headers: [], text: 'This is an email abuse report.\n' },
      {
        type: 'text/plain',
        headers: [],
        text: 'Feedback-Type: abuse\nUser-Agent: SomeFBL/1.0\nVersion: 1\nOriginal-Rcpt-To: x@example.org\n',
      },
      { type: 'message/rfc822', headers: [], text: 'From: app@example.com\nTo: someone-else@example.org\n' },
    ],
  };
  assert.deepEqual(
    classifyBounce(relabelled).recipients.map((r) => [r.recipient, r.reason, r.feedbackType]),
    [['x@example.org', 'feedback', 'abuse']],
  );
  const ooo: BounceMessage = {
    headers: [
      h('from', 'Neko <n@example.org>'),
      h('subject', 'Automatic reply: hello'),
      h('auto-submitted', 'auto-replied'),
    ],
    parts: [{ type: 'text/plain', headers: [], text: 'I am away.' }],
  };
  assert.deepEqual(classifyBounce(ooo), {
    kind: 'vacation',
    recipients: [
      { recipient: 'n@example.org', status: '', replycode: '', reason: 'vacation', hard: false, diagnostic: '' },
    ],
  });
  // Outlook's localised "Automatic reply:" prefixes mark an auto-reply without any header saying so
  for (const subject of [
    'Réponse automatique : hello',
    'Respuesta automática: hello',
    'Autosvar: hello',
    // the Baltic editions; Exchange 2003's Latvian prefix, its diacritics lost on the way
    'Arpus biroja atrasanas automatiska atbilde: hello',
    'Automātiskā atbilde: hello',
    'Automatinis atsakymas: hello',
    'Automaatne vastus: hello',
    // ... after the tag a gateway or a spam filter put before the subject
    '[EXTERNAL] Automatic reply: hello',
    '*****SPAM***** Automatic reply: hello',
    '{Spam?} Réponse automatique : hello',
  ]) {
    const localised: BounceMessage = {
      headers: [h('from', 'Neko <n@example.org>'), h('subject', subject)],
      parts: [{ type: 'text/plain', headers: [], text: 'I am away.' }],
    };
    assert.equal(classifyBounce(localised).kind, 'vacation', subject);
  }
  const plain: BounceMessage = {
    headers: [h('from', 'a@example.com'), h('subject', 'lunch?')],
    parts: [{ type: 'text/plain', headers: [], text: 'see you at noon' }],
  };
  assert.deepEqual(classifyBounce(plain), { kind: 'not_bounce', recipients: [] });
});

test('a complaint or an automatic answer names whom its one From field names, up to the bound of recipients', () => {
  const many = Array.from({ length: 200 }, (_, i) => `u${i}@example.org`).join(', ');
  const senders = [h('from', many), ...Array.from({ length: 100 }, (_, i) => h('from', `other${i}@example.net`))];
  // Apple Mail's one-click unsubscribe comes from the recipient itself; a header repeated is not more recipients
  const unsubscribe: BounceMessage = {
    headers: [...senders, h('x-apple-unsubscribe', 'true')],
    parts: [{ type: 'text/plain', headers: [], text: 'Unsubscribe' }],
  };
  const ooo: BounceMessage = {
    headers: [...senders, h('subject', 'Automatic reply: hello'), h('auto-submitted', 'auto-replied')],
    parts: [{ type: 'text/plain', headers: [], text: 'I am away.' }],
  };
  for (const m of [unsubscribe, ooo]) {
    const named = classifyBounce(m).recipients.map((r) => r.recipient);
    assert.equal(named.length, 50);
    assert.deepEqual(named.slice(0, 2), ['u0@example.org', 'u1@example.org']);
    assert.ok(!named.some((a) => a.startsWith('other')));
  }
});

test('a notice is known by the subject or the sender its MTA gives it when nothing else marks it', () => {
  // a prose notice with no report part, no null Return-Path and no returned copy: only its subject or sender tells
  const notice = (from: string, subject: string): BounceMessage => ({
    headers: [h('from', from), h('subject', subject)],
    parts: [{ type: 'text/plain', headers: [], text: '<ivy@dest.example>: 550 5.1.1 User unknown\n' }],
  });
  const subjects = [
    'Delayed Mail (still being retried)', // Postfix's delay notice
    'WARNING: delayed mail.', // Courier
    'DELIVERY_FAILURE: User ivy (ivy@dest.example) not listed in Domino Directory', // Domino
    'Non_remis_: Invoice', // Exchange 2007, French
    'Non recapitabile: Invoice', // Exchange 2007, Italian
    'Mail failure - malformed recipient address', // Exim
    'error(s) in forwarding or filtering', // Exim
    'Delivery Status', // McAfee's gateway
    'Message you sent blocked by our bulk email filter', // Barracuda
  ];
  const senders = [
    'Courier mail server at mx.dest.example <@>',
    '"InterScan MSS" <scanner@dest.example>',
    '"InterScan Notification" <scanner@dest.example>',
    '"Mail Deliver System" <system@dest.example>',
  ];
  const read = (m: BounceMessage): string[] =>
    classifyBounce(m).recipients.map((r) => `${r.recipient} ${r.reason} ${r.hard}`);
  for (const subject of subjects)
    assert.deepEqual(
      read(notice('Relay <relay@dest.example>', subject)),
      ['ivy@dest.example userunknown true'],
      subject,
    );
  for (const from of senders)
    assert.deepEqual(read(notice(from, 'Invoice')), ['ivy@dest.example userunknown true'], from);
  // the same text from anyone else under an ordinary subject is ordinary mail
  assert.equal(classifyBounce(notice('Relay <relay@dest.example>', 'Invoice')).kind, 'not_bounce');
});

test("a program's own message marked auto-generated is no automatic answer; one that answers another is", () => {
  const mail = (extra: Array<[string, string]>): BounceMessage => ({
    headers: [
      h('from', 'GitLab <gitlab@gitlab.example>'),
      h('to', 'devel@lists.example.org'),
      h('subject', 'Failed pipeline for master | project | 1a2b3c4d'),
      h('auto-submitted', 'auto-generated'),
      ...extra.map(([n, v]) => h(n, v)),
    ],
    parts: [{ type: 'text/plain', headers: [], text: 'Your pipeline has failed.\n' }],
  });
  assert.equal(classifyBounce(mail([])).kind, 'not_bounce');
  assert.equal(classifyBounce(mail([['in-reply-to', '<1@example.org>']])).kind, 'vacation');
  // a reply's prefix in any language says it answers; a forward's passes a message on and answers nothing
  const titled = (subject: string): BounceMessage => {
    const m = mail([]);
    return { ...m, headers: m.headers.map((x) => (x.name === 'subject' ? h('subject', subject) : x)) };
  };
  for (const subject of ['Re: Order 1234', 'AW: Bestellung 1234', 'SV: Ordre 1234', '[Ticket#881] Re: Order 1234'])
    assert.equal(classifyBounce(titled(subject)).kind, 'vacation', subject);
  for (const subject of ['WG: Bestellung 1234', 'Fwd: Order 1234', 'TR: Commande 1234'])
    assert.equal(classifyBounce(titled(subject)).kind, 'not_bounce', subject);
});

test("answers, forwards and list mail that echo a failure's words are not notices: no address is suppressed by them", () => {
  const mail = (headers: Array<[string, string]>, text: string, parts: BounceMessage['parts'] = []): BounceMessage => ({
    headers: headers.map(([n, v]) => h(n, v)),
    parts: [{ type: 'text/plain', headers: [], text }, ...parts],
  });
  const kinds = (m: BounceMessage) => {
    const r = classifyBounce(m);
    return [r.kind, ...r.recipients.map((x) => `${x.reason} ${x.hard}`)];
  };
  // an out-of-office reply echoing the subject it answers, with a leaver's words and a deputy's address
  const oof = (subject: string, marker: Array<[string, string]>) =>
    mail(
      [['return-path', '<>'], ['from', 'Martin Klein <martin.klein@contoso.example>'], ['subject', subject], ...marker],
      'I am no longer with this company and this mailbox has been disabled. Please contact orders@contoso.example.',
    );
  for (const [subject, marker] of [
    ['Automatic reply: Delivery notification: your parcel is on its way', ['auto-submitted', 'auto-generated']],
    ['Automatische Antwort: Your order could not be delivered', ['x-auto-response-suppress', 'All']],
    ['Автоматический ответ: Undeliverable parcel', ['x-auto-response-suppress', 'All']],
    ['自动答复: Payment rejected', ['x-auto-response-suppress', 'All']],
  ] as const)
    assert.deepEqual(kinds(oof(subject, [[marker[0], marker[1]]])), ['vacation', 'vacation false'], subject);
  // a person's reply or forward: the subject is another message's
  const forwardedReport: BounceMessage['parts'] = [
    {
      type: 'message/rfc822',
      headers: [],
      text: 'From: MAILER-DAEMON@mx.contoso.example\nSubject: Undelivered Mail Returned to Sender',
    },
    {
      type: 'text/plain',
      headers: [],
      text: "I'm sorry to have to inform you that your message could not be delivered to one or more recipients.",
      forwarded: true,
    },
    {
      type: 'message/delivery-status',
      headers: [],
      text: 'Reporting-MTA: dns; mx.contoso.example\n\nFinal-Recipient: rfc822; ap-old@contoso.example\nAction: failed\nStatus: 5.1.1\n',
      forwarded: true,
    },
  ];
  const person: Array<[string, string]> = [['from', 'James Turner <james.turner@contoso.example>']];
  assert.deepEqual(
    kinds(mail([...person, ['subject', 'FW: Undeliverable: Your invoice']], 'FYI, see attached.', forwardedReport)),
    ['not_bounce'],
  );
  assert.deepEqual(kinds(mail([...person, ['subject', 'Re: Mail delivery failed']], 'Thanks, fixed.')), ['not_bounce']);
  // ... wherever the marker stands before the notice's words
  assert.deepEqual(
    kinds(
      mail(
        [...person, ['subject', '(was Re: lunch plans) Fw: Mail delivery failed: returning message to sender']],
        'Looks like her old address no longer works, see below.',
        forwardedReport,
      ),
    ),
    ['not_bounce'],
  );
  // Netscape's and early Mozilla's forward puts the whole subject in brackets
  assert.deepEqual(
    kinds(
      mail([...person, ['subject', '[Fwd: Warning: could not send message for past 4 hours]']], '', forwardedReport),
    ),
    ['not_bounce'],
  );
  // ... also when the person's mail program put the report's own parts at the top of the forward, not inside a copy
  const unwrapped: BounceMessage['parts'] = [
    ...forwardedReport.slice(1).map((p) => ({ type: p.type, headers: p.headers, text: p.text })),
    {
      type: 'message/rfc822',
      headers: [],
      text: 'From: James Turner <james.turner@contoso.example>\nSubject: invoice',
    },
  ];
  assert.deepEqual(
    kinds(mail([...person, ['subject', 'Fwd: Mail System Error - Returned Mail']], 'I keep getting these.', unwrapped)),
    ['not_bounce'],
  );
  // the same report forwarded by a mail system is its notice
  assert.deepEqual(
    kinds(
      mail(
        [
          ['from', 'Mail Delivery Subsystem <MAILER-DAEMON@gw.example>'],
          ['subject', 'Returned mail'],
        ],
        'See the attached report.',
        forwardedReport,
      ),
    ),
    ['bounce', 'userunknown true'],
  );
  // ... and so is that report at the top of a gateway's own message
  assert.deepEqual(
    kinds(
      mail(
        [
          ['from', 'Mail Delivery Subsystem <MAILER-DAEMON@gw.example>'],
          ['subject', 'Fwd: Returned mail'],
        ],
        'See the report below.',
        unwrapped,
      ),
    ),
    ['bounce', 'userunknown true'],
  );
  // a list digest whose contents mention a failure
  assert.deepEqual(
    kinds(
      mail(
        [
          ['from', 'postfix-users-request@lists.example.org'],
          ['list-id', '<postfix-users.lists.example.org>'],
          ['subject', 'Postfix-users Digest, Vol 214'],
        ],
        "Today's Topics:\n  1. Mail could not be delivered: 550 5.1.1 <ken@isp.example.jp>: User unknown",
        [{ type: 'message/rfc822', headers: [], text: 'From: ken@isp.example.jp\nSubject: bounce question' }],
      ),
    ),
    ['not_bounce'],
  );
});

test("a gateway's notice that it delivered the message with a change reports no failure", () => {
  const notice = (text: string): BounceMessage => ({
    headers: [h('from', 'Sophos UTM <postmaster@mail.contoso.example>'), h('subject', 'Message notification')],
    parts: [{ type: 'text/plain', headers: [], text }],
  });
  const delivered =
    'Sophos UTM has removed an attachment from a message you sent.\n\nRecipient: james.turner@contoso.example\n' +
    'Removed attachment: invoice.zip (Reason: File extension blocked)\n\nThe message itself was delivered to the recipient.\n';
  assert.equal(classifyBounce(notice(delivered)).kind, 'not_bounce');
  // the same gateway saying the message did not reach the recipient is a notice
  const refused = delivered.replace('was delivered to the recipient', 'was not delivered to the recipient');
  assert.deepEqual(
    classifyBounce(notice(refused)).recipients.map((r) => r.recipient),
    ['james.turner@contoso.example'],
  );
});

test('a notice marked automatic, sent from the null sender, is one; one that says it delivered is not, its copy aside', () => {
  // Sendmail marks its notices "auto-generated (failure)"; a relay may give its daemon any name
  const marked = textNotice(
    '<bob@dest.example>: host mx.dest.example[192.0.2.1] said: 550 5.1.1 <bob@dest.example>: Recipient address rejected: User unknown (in reply to RCPT TO command)\n',
    {
      from: 'Mail Delivery Service <mds@relay.example>',
      subject: 'Undelivered Mail Returned to Sender',
      headers: [h('return-path', '<>'), h('auto-submitted', 'auto-generated (failure)')],
    },
  );
  assert.deepEqual(
    classifyBounce(marked).recipients.map((r) => [r.recipient, r.reason, r.hard]),
    [['bob@dest.example', 'userunknown', true]],
  );
  // a daemon's notice whose returned copy says "has been delivered" still reports its refusal
  const copySaysDelivered = textNotice(
    [
      '<bob@dest.example>: 550 5.1.1 Benutzer unbekannt',
      '',
      '------ This is a copy of the message, including all the headers. ------',
      'From: Shop <orders@shop.example>',
      'To: bob@dest.example',
      'Subject: Your order',
      '',
      'Your order #123 has been delivered.',
    ].join('\n'),
    { from: 'MAILER-DAEMON@relay.example', subject: 'Nachricht konnte nicht zugestellt werden' },
  );
  assert.deepEqual(
    classifyBounce(copySaysDelivered).recipients.map((r) => [r.recipient, r.reason]),
    [['bob@dest.example', 'userunknown']],
  );
  // a person whose own note says the attached report's message failed is still a person forwarding a report
  const forwarded: BounceMessage = {
    headers: [h('from', 'Alice <alice@sender.example>'), h('subject', 'please check')],
    parts: [
      { type: 'text/plain', headers: [], text: 'Hi, my message below could not be delivered to Bob.' },
      { type: 'message/rfc822', headers: [], text: 'From: MAILER-DAEMON@mx.dest.example' },
      {
        type: 'message/delivery-status',
        headers: [],
        text: 'Final-Recipient: rfc822; bob@dest.example\nAction: failed\nStatus: 5.1.1\n',
        forwarded: true,
      },
    ],
  };
  assert.equal(classifyBounce(forwarded).kind, 'not_bounce');
  // a list of recipients with their names, then the one reply they share
  const named = textNotice(
    'Delivery to the following recipients failed permanently:\n\n     alice@dest.example (Alice Smith)\n     bob@dest.example (Bob Jones)\n\nTechnical details of permanent failure:\n550 5.1.1 The email account that you tried to reach does not exist.\n',
  );
  assert.deepEqual(
    classifyBounce(named).recipients.map((r) => [r.recipient, r.reason]),
    [
      ['alice@dest.example', 'userunknown'],
      ['bob@dest.example', 'userunknown'],
    ],
  );
});

test('an auto-reply whose From a program wrote wrong, its name and address in one quoted string, names the address', () => {
  const reply = (from: string): BounceMessage => ({
    headers: [h('from', from), h('subject', 'Automatic reply: Order 1234'), h('auto-submitted', 'auto-replied')],
    parts: [{ type: 'text/plain', headers: [], text: 'I am out of the office until Monday.\n' }],
  });
  const named = (from: string) => classifyBounce(reply(from)).recipients.map((r) => r.recipient);
  assert.deepEqual(named('"David Hasselhof <david.hasselhof@example.com>"'), ['david.hasselhof@example.com']);
  assert.deepEqual(named('David Hasselhof <david.hasselhof@example.com>'), ['david.hasselhof@example.com']);
  // a quoted local part is an address of its own (RFC 5322 3.4.1), kept as written
  assert.deepEqual(named('"david hasselhof"@example.com'), ['"david hasselhof"@example.com']);
});
