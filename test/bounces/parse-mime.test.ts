// The MIME walk under the ways real MTAs and relays write the same notice differently: what the classifier reads
// must not depend on them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBounceMime } from '../../src/bounces/parse-mime.js';
import { classifyRawBounce } from '../../src/bounces/classify-raw-bounce.js';

const textOf = (raw: string | Buffer): string =>
  parseBounceMime(raw)
    .parts.map((p) => p.text)
    .join('\n');

test('quoted-printable: a soft break followed by the padding a relay added is still a soft break', () => {
  const raw = [
    'Subject: Undelivered Mail Returned to Sender',
    'Content-Type: text/plain; charset=us-ascii',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    '<ivy@dest.exam=  ',
    'ple>: host mx.dest.example[192.0.2.1] said: 550 5.1.1 User unkn=\t',
    'own (in reply to RCPT TO command)   ',
    '',
  ].join('\n');
  assert.match(textOf(raw), /<ivy@dest\.example>: host .* 550 5\.1\.1 User unknown \(in reply to RCPT TO command\)/);
});

test('format=flowed text is read as its reader joins it', () => {
  const raw = [
    'Subject: Returned mail',
    'Content-Type: text/plain; charset=us-ascii; format=flowed',
    '',
    '<ivy@dest.example>: host mx.dest.example[192.0.2.1] said: 553 ',
    '5.3.0 <ivy@dest.example>... No such user here',
    '',
  ].join('\n');
  assert.match(textOf(raw), /said: 553 5\.3\.0 <ivy@dest\.example>\.\.\. No such user here/);
});

test('blank lines before the header, with or without an mbox separator, are not the end of an empty header', () => {
  const message = 'From: MAILER-DAEMON@mx.example\nSubject: Undelivered Mail Returned to Sender\n\nbody\n';
  for (const raw of [`\n${message}`, `\n\n${message}`, `\nFrom MAILER-DAEMON Thu Apr 29 23:34:45 2010\n${message}`])
    assert.equal(
      parseBounceMime(raw).headers.find((h) => h.name === 'subject')?.value,
      'Undelivered Mail Returned to Sender',
    );
});

test('a line of blanks only ends a header, as an empty line does: white space alone is no folded line', () => {
  const notice = [
    'Return-Path: <>',
    'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
    'Subject: Undelivered Mail Returned to Sender',
    'Content-Type: multipart/report; report-type=delivery-status;',
    '    boundary="sep"',
    ' ',
    '--sep',
    'Content-Type: text/plain',
    '\t',
    'Your message could not be delivered.',
    '--sep',
    'Content-Type: message/delivery-status',
    ' ',
    'Reporting-MTA: dns; mx.example.net',
    ' ',
    'Final-Recipient: rfc822; gone@example.org',
    'Action: failed',
    'Status: 5.1.1',
    '--sep--',
    '',
  ].join('\n');
  const report = classifyRawBounce(Buffer.from(notice));
  assert.deepEqual(
    report.recipients.map((r) => [r.recipient, r.reason, r.hard]),
    [['gone@example.org', 'userunknown', true]],
  );
});

test("Windows code pages decode to their own characters, whatever the Node version's decoder does", () => {
  const part = (charset: string, bytes: number[]): Buffer =>
    Buffer.concat([
      Buffer.from(`Subject: x\nContent-Type: text/plain; charset=${charset}\n\n`, 'latin1'),
      Buffer.from(bytes),
    ]);
  // "doesn’t €" in windows-1252, which WHATWG also gives the ISO-8859-1 labels
  const quote = [0x64, 0x6f, 0x65, 0x73, 0x6e, 0x92, 0x74, 0x20, 0x80];
  for (const charset of ['windows-1252', 'iso-8859-1', 'latin1'])
    assert.equal(textOf(part(charset, quote)), 'doesn’t €');
  // "あ" in Shift_JIS under Microsoft's name for it
  assert.equal(textOf(part('cp932', [0x82, 0xa0])), 'あ');
  // UTF-7 is never decoded (it hides markup), however its name is spelled; its ASCII stays readable
  for (const charset of ['utf-7', 'UTF7', 'utf_7', 'unicode-1-1-utf-7', 'unicode11utf7'])
    assert.equal(textOf(part(charset, [...Buffer.from('User unknown +ADw-')])), 'User unknown +ADw-', charset);
});

test('a complaint returning the message as message/global (RFC 6532) is a complaint', () => {
  const raw = [
    'From: staff@hotmail.example',
    'Subject: complaint about message from 192.0.2.1',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'This is an email abuse report for an email message received from IP 192.0.2.1.',
    '--b',
    'Content-Type: message/global',
    '',
    'From: app@example.org',
    'To: ivy@dest.example',
    'Subject: Your invoice',
    '',
    'Hello',
    '--b--',
    '',
  ].join('\n');
  const report = classifyRawBounce(raw);
  assert.equal(report.kind, 'feedback');
  assert.deepEqual(
    report.recipients.map((r) => r.recipient),
    ['ivy@dest.example'],
  );
});

test("report fields pasted into the notice's HTML rendering are not read over the plain text's", () => {
  // Amazon WorkMail's layout: the report fields in the text, the last attempt's reply in angle brackets
  const fields = (open: string, close: string) =>
    'Action: failed\nFinal-Recipient: rfc822; ivy@dest.example\n' +
    `Diagnostic-Code: smtp; 554 4.4.7 Message expired: unable to deliver in 840 minutes.${open}421 4.4.2 Connection timed out${close}\n` +
    'Status: 4.4.7\n';
  const notice = (html: boolean) =>
    [
      'From: MAILER-DAEMON@mx.example',
      'Subject: Delivery Status Notification (Failure)',
      'Content-Type: multipart/alternative; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      `Technical report:\n\n${fields('<', '>')}`,
      ...(html
        ? ['--b', 'Content-Type: text/html', '', `<pre>Technical report:\n\n${fields('&lt;', '&gt;')}</pre>`]
        : []),
      '--b--',
      '',
    ].join('\n');
  const read = (raw: string) => classifyRawBounce(raw).recipients.map((r) => [r.recipient, r.replycode, r.status]);
  assert.deepEqual(read(notice(false)), [['ivy@dest.example', '421', '4.4.2']]);
  assert.deepEqual(read(notice(true)), read(notice(false)));
});

test("a report forwarded inside a message is read, and marked as not the message's own", () => {
  const raw = [
    'From: James Turner <james.turner@contoso.example>',
    'Subject: FW: old error',
    'Content-Type: multipart/mixed; boundary=b',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'FYI, see attached.',
    '--b',
    'Content-Type: message/rfc822',
    '',
    'From: MAILER-DAEMON@contoso.example',
    'Subject: Undeliverable',
    'Content-Type: multipart/report; report-type=delivery-status; boundary=c',
    '',
    '--c',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.contoso.example',
    '',
    'Final-Recipient: rfc822; ap-old@contoso.example',
    'Action: failed',
    'Status: 5.1.1',
    '--c--',
    '--b--',
    '',
  ].join('\n');
  assert.deepEqual(
    parseBounceMime(raw).parts.map((p) => [p.type, p.forwarded ?? false]),
    [
      ['text/plain', false],
      ['message/rfc822', false],
      ['message/delivery-status', true],
    ],
  );
  // a person forwarding an old bounce reports nothing
  assert.equal(classifyRawBounce(raw).kind, 'not_bounce');
});

test("a CR left before a line's CRLF ends the line once: a quoted multi-line reply stays one paragraph", () => {
  // the DragonFly Mail Agent copies each line of a multi-line reply with the CR it received, then ends it with CRLF
  const notice = (eol: string): Buffer =>
    Buffer.from(
      [
        'From: MAILER-DAEMON <>',
        'To: sender@example.com',
        'Subject: Mail delivery failed',
        '',
        'This is the DragonFly Mail Agent v0.13 at relay.example.com.',
        '',
        'There was an error delivering your mail to <bob@example.net>.',
        '',
        'mx.example.net [192.0.2.25] did not like our final DATA:',
        `550-5.7.1 [192.0.2.10 12] Our system has detected that this message is${eol}`,
        `550-5.7.1 likely unsolicited mail. To reduce the amount of spam sent to Gmail,${eol}`,
        `550 5.7.1 this message has been blocked.${eol}`,
        '',
        'Message headers follow.',
        '',
      ].join('\r\n'),
      'latin1',
    );
  const read = (raw: Buffer | string): unknown[] =>
    classifyRawBounce(raw).recipients.map((r) => [r.recipient, r.reason, r.replycode]);
  assert.deepEqual(read(notice('\r')), [['bob@example.net', 'spamdetected', '550']]);
  assert.deepEqual(read(notice('\r').toString('latin1')), read(notice('')));
  // a CR inside a line still breaks it, as before
  assert.match(textOf('Subject: x\r\n\r\nfirst\rsecond\r\n'), /first\nsecond/);
});

test('report fields sent in base64 keep the blank line between recipients, as CRLF once decoded', () => {
  const fields = [
    'Reporting-MTA: dns; relay.example.com',
    '',
    'Final-Recipient: rfc822; ann@example.net',
    'Action: failed',
    'Status: 5.1.1',
    'Diagnostic-Code: smtp; 550 5.1.1 <ann@example.net>: Recipient address rejected: User unknown',
    '',
    'Final-Recipient: rfc822; bob@example.net',
    'Action: failed',
    'Status: 5.2.2',
    'Diagnostic-Code: smtp; 552 5.2.2 <bob@example.net>: Mailbox full',
    '',
  ].join('\r\n');
  const raw = [
    'From: MAILER-DAEMON@relay.example.com',
    'Subject: Undelivered Mail Returned to Sender',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'Your message could not be delivered.',
    '--b',
    'Content-Type: message/delivery-status',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(fields).toString('base64'),
    '--b--',
    '',
  ].join('\r\n');
  assert.deepEqual(
    classifyRawBounce(raw).recipients.map((r) => [r.recipient, r.reason, r.status]),
    [
      ['ann@example.net', 'userunknown', '5.1.1'],
      ['bob@example.net', 'mailboxfull', '5.2.2'],
    ],
  );
});

test('a part in UTF-16 keeps its own line breaks: its bytes 0x0D and 0x0A are halves of characters', () => {
  const lines = 'line one\r\nline two\r\n\r\nline four\r\n';
  for (const [charset, bytes] of [
    ['utf-16le', Buffer.from(lines, 'utf16le')],
    ['UTF-16', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines, 'utf16le')])],
  ] as const)
    assert.equal(
      textOf(
        `Subject: x\r\nContent-Type: text/plain; charset=${charset}\r\nContent-Transfer-Encoding: base64\r\n\r\n${bytes.toString('base64')}\r\n`,
      ),
      'line one\nline two\n\nline four\n',
    );
});

test('no-break spaces in a plain-text notice read as the spaces its reader sees', () => {
  // a plain alternative made from HTML keeps "&nbsp;" as the character U+00A0
  const notice = (space: string): Buffer =>
    Buffer.from(
      [
        'From: MAILER-DAEMON@mx.example.net',
        'Subject: Undelivered Mail Returned to Sender',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        '<bob@dest.example>: host mx.dest.example[192.0.2.1] said: 550 5.1.1 <bob@dest.example>: Recipient address rejected: User unknown (in reply to RCPT TO command)',
        '',
      ]
        .join('\n')
        .replace(/(?<=\S) (?=\S)/g, space),
      'utf8',
    );
  const read = (raw: Buffer) =>
    classifyRawBounce(raw).recipients.map((r) => [r.recipient, r.reason, r.hard, r.replycode]);
  assert.deepEqual(read(notice(' ')), [['bob@dest.example', 'userunknown', true, '550']]);
  assert.deepEqual(read(notice('\u00a0')), read(notice(' ')));
});
