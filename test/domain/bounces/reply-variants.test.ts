// A reply means the same however its words are spelled or its characters written ("isn't" or "is not", "e-mail" or
// "email", "mail box" or "mailbox", "non-existent" or "nonexistent", "blocklisted" or "blacklisted", "unauthorised" or
// "unauthorized", full-width letters or ASCII), however it sets off an address ("<a@b>", "'a@b'", "(a@b)" or bare) or
// an IP ("[192.0.2.1]" or bare), whether or not the server echoes the address or a word of courtesy before its words
// ("550 5.2.1 <a@b>: Mailbox unavailable", "Sorry, "), and wherever it writes its enhanced code (after the reply code,
// or after the words as qmail does: "(#5.2.1)"). Each row is a real reply with the reading it has, then the same reply
// as other servers write it; every one must read the same, at the step the reply was given at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifySmtpReply } from '../../../src/domain/bounces/classify-smtp-reply.js';
import type { SmtpCommand } from '../../../src/domain/bounces/smtp-codes.js';

type Row = readonly [step: SmtpCommand | null, reply: string, reason: string, hard: boolean, respelled: string[]];

function expectSameReading(rows: readonly Row[]): void {
  for (const [step, reply, reason, hard, respelled] of rows) {
    for (const text of [reply, ...respelled]) {
      const r = classifySmtpReply(null, null, text, step);
      assert.deepEqual([r.reason, r.hard], [reason, hard], `at ${step ?? 'no step'}: ${text}`);
    }
  }
}

test('a negation reads the same written out or contracted, with or without its apostrophe', () => {
  expectSameReading([
    [
      'RCPT',
      '550 user@netzero.net is not a valid user',
      'userunknown',
      true,
      ["550 user@netzero.net isn't a valid user"],
    ],
    // the apostrophe as typed where a keyboard has none: an accent or a backtick
    [
      'RCPT',
      '550 User does not exist',
      'userunknown',
      true,
      ["550 User doesn't exist", '550 User doesn´t exist', '550 User doesn`t exist'],
    ],
    ['RCPT', '550 Account is not active.', 'suspend', false, ["550 Account isn't active.", '550 Account isnt active.']],
    [
      'RCPT',
      '553 Sorry, this domain is not in my list of allowed hosts (#5.7.1)',
      'norelaying',
      false,
      ["553 Sorry, this domain isn't in my list of allowed hosts (#5.7.1)"],
    ],
    [
      null,
      '554 delivery error: dd This user does not have a yahoo.com account (a@yahoo.com) [0]',
      'userunknown',
      true,
      [
        "554 delivery error: dd This user doesn't have a yahoo.com account (a@yahoo.com) [0]",
        '554 delivery error: dd This user doesn’t have a yahoo.com account (a@yahoo.com) [0]',
      ],
    ],
    [
      'RCPT',
      '554 Refused. Sending to remote addresses (relaying) is not allowed.',
      'norelaying',
      false,
      ["554 Refused. Sending to remote addresses (relaying) isn't allowed."],
    ],
    [
      null,
      "550 Sendmail <a@example.org>... Can't create output",
      'systemerror',
      false,
      ['550 Sendmail <a@example.org>... Cannot create output', '550 Sendmail <a@example.org>... Can not create output'],
    ],
    [
      'RCPT',
      '550 5.7.193 Delivery failed because the sender is not a group member or external senders are not permitted to send to this group.',
      'filtered',
      false,
      [
        "550 5.7.193 Delivery failed because the sender isn't a group member or external senders aren't permitted to send to this group.",
      ],
    ],
    [
      'RCPT',
      '550 Your domain does not have an MX record',
      'rejected',
      false,
      ["550 Your domain doesn't have an MX record", '550 Your domain doesnt have an MX record'],
    ],
    // the verb after a negation as non-native writers leave it, or leave out
    [
      'RCPT',
      '550 The domain in your From header does not exist',
      'rejected',
      false,
      ['550 The domain in your From header does not exists', '550 The domain in your From header not exist'],
    ],
    ['RCPT', '550 Sending domain does not exist', 'rejected', false, ['550 Sending domain not exist']],
    ['RCPT', '551 5.1.1 recipient does not exist', 'userunknown', true, ['551 5.1.1 recipient is not exist']],
    // a plural left singular after "too many", but not a noun that qualifies the next
    ['RCPT', '452 Too many recipients', 'toomanyconn', false, ['452 Too many recipient']],
    ['CONN', '421 Too many connections from your IP', 'toomanyconn', false, ['421 Too many connection from your IP']],
    ['RCPT', '450 Too many recipient attempts', 'onhold', false, []],
  ]);
});

test("a word an admin's own refusal misspells reads as the word", () => {
  expectSameReading([
    ['RCPT', '550 User unknown', 'userunknown', true, ['550 User unkown']],
    ['RCPT', '550 Recipient unknown', 'userunknown', true, ['550 Recipent unknown', '550 Recepient unknown']],
    [null, '550 unroutable address', 'hostunknown', true, ['550 unroutable adress']],
    ['RCPT', '550 Invalid recipient address', 'userunknown', true, ['550 Invaild recipient address']],
    [
      'RCPT',
      '550 mailbox unavailable',
      'userunknown',
      true,
      ['550 mailbox unavaliable', '550 mailbox unavailible', '550 mailbox unavaiable'],
    ],
    ['RCPT', '550 User is frozen', 'suspend', false, ['550 account is freezed']],
    [
      'RCPT',
      '554 5.7.1 <a@example.net>: Relay access denied',
      'norelaying',
      false,
      ['554 5.7.1 <a@example.net>: Relay access denined'],
    ],
  ]);
});

test('a compound reads the same written as one word, with a hyphen or as two', () => {
  expectSameReading([
    [
      'RCPT',
      '550 5.5.0 Requested action not taken: mailbox unavailable',
      'userunknown',
      true,
      [
        '550 5.5.0 Requested action not taken: mail box unavailable',
        '550 5.5.0 Requested action not taken: mail-box unavailable',
      ],
    ],
    [
      'RCPT',
      '550 MX records point to non-existent hosts or (invalidly) to IP addresses',
      'hostunknown',
      true,
      [
        '550 MX records point to nonexistent hosts or (invalidly) to IP addresses',
        '550 MX records point to non existent hosts or (invalidly) to IP addresses',
      ],
    ],
    [
      'RCPT',
      '550 Recipient email address is possibly incorrect',
      'userunknown',
      true,
      ['550 Recipient e-mail address is possibly incorrect'],
    ],
    [
      'RCPT',
      '550 5.7.1 Blacklisted by recipient',
      'filtered',
      false,
      [
        '550 5.7.1 Blocklisted by recipient',
        '550 5.7.1 Black-listed by recipient',
        '550 5.7.1 Denylisted by recipient',
      ],
    ],
    [
      'RCPT',
      '550 contains blacklisted regex (URGENT BUSINESS PROPOSAL)',
      'policyviolation',
      false,
      [
        '550 contains blocklisted regex (URGENT BUSINESS PROPOSAL)',
        '550 contains block-listed regex (URGENT BUSINESS PROPOSAL)',
      ],
    ],
    [
      'RCPT',
      '450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.1]',
      'requireptr',
      false,
      ['450 4.7.1 Client host rejected: cannot find your host name, [192.0.2.1]'],
    ],
    [
      'RCPT',
      '450 4.2.0 Recipient address rejected: Greylisted',
      'blocked',
      false,
      ['450 4.2.0 Recipient address rejected: Grey-listed', '450 4.2.0 Recipient address rejected: Gray listed'],
    ],
    [null, 'Connection timeout', 'networkerror', false, ['Connection time-out', 'Connection time out']],
    [
      null,
      'Temporary MX lookup error for example.net',
      'networkerror',
      false,
      ['Temporary MX look-up error for example.net'],
    ],
    [
      'DATA',
      '550 The message is rejected by spam filtering engine.',
      'spamdetected',
      false,
      ['550 The message is rejected by spamfiltering engine.', '550 The message is rejected by spam-filtering engine.'],
    ],
    [
      'MAIL',
      '553 5.5.4 <alice@localhost>... Real domain name required for sender address',
      'rejected',
      false,
      ['553 5.5.4 <alice@localhost>... Real domain-name required for sender address'],
    ],
    [null, '451 Bad reverse DNS.', 'requireptr', false, ['451 Bad reverse-DNS.']],
    [
      'CONN',
      '451 4.7.1 Sender IP address not resolving',
      'requireptr',
      false,
      ['451 4.7.1 Sender IP-address not resolving'],
    ],
  ]);
});

test('a British spelling reads as the American one', () => {
  expectSameReading([
    [null, '525 5.7.1 Unauthorized IP address', 'blocked', false, ['525 5.7.1 Unauthorised IP address']],
    [
      'RCPT',
      '550 5.7.1 192.0.2.1 is not authorized to send mail on behalf of example.com',
      'authfailure',
      false,
      ['550 5.7.1 192.0.2.1 is not authorised to send mail on behalf of example.com'],
    ],
  ]);
});

test('a reply reads the same with more than one space between its words', () => {
  expectSameReading([
    [
      'HELO',
      '501 5.5.1 HELO/EHLO requires domain address',
      'syntaxerror',
      false,
      ['501 5.5.1 HELO/EHLO  requires  domain address'],
    ],
    ['MAIL', '530 5.7.0 User not authenticated', 'securityerror', false, ['530 5.7.0 User  not authenticated']],
  ]);
});

test('a reply reads the same with or without the address it echoes before its words', () => {
  expectSameReading([
    [
      'RCPT',
      '550 5.2.1 Mailbox unavailable',
      'suspend',
      false,
      ['550 5.2.1 <a@example.org>: Mailbox unavailable', '550 5.2.1 a@example.org: Mailbox unavailable'],
    ],
    ['RCPT', '550 Connection refused', 'blocked', false, ['550 <a@example.org>... Connection refused']],
    ['RCPT', '553 Header Error', 'contenterror', false, ['553 <a@example.org>: Header Error']],
    ['RCPT', '550 blocked', 'blocked', false, ['550 a@example.org: blocked']],
    ['RCPT', '550 5.7.1 Callback failure', 'rejected', false, ['550 5.7.1 <a@example.org>: Callback failure']],
    [
      'MAIL',
      '554 Syntax error - your mail software violates RFC 821.',
      'syntaxerror',
      false,
      ['554 <a@example.org>: Syntax error - your mail software violates RFC 821.'],
    ],
    // Postfix's policy servers' hold, with and without the address
    [
      'RCPT',
      '450 4.7.1 <a@example.org>: Recipient address rejected: Please try again later',
      'blocked',
      false,
      ['450 4.7.1 Recipient address rejected: Please try again later'],
    ],
  ]);
});

test('a reply reads the same however it sets off an address', () => {
  expectSameReading([
    [
      'MAIL',
      '550 5.7.1 sender <user@example.com> black listed #127',
      'rejected',
      false,
      ["550 5.7.1 sender 'user@example.com' black listed #127", '550 5.7.1 sender user@example.com black listed #127'],
    ],
    [
      'RCPT',
      '550 <a@example.org> not found',
      'userunknown',
      true,
      ["550 'a@example.org' not found", '550 a@example.org not found', '550 (a@example.org) not found'],
    ],
    [
      'RCPT',
      "550 The domain of the recipient's address <a@example.invalid> was not found",
      'hostunknown',
      true,
      [
        '550 The domain of the recipient\'s address "a@example.invalid" was not found',
        "550 The domain of the recipient's address a@example.invalid was not found",
      ],
    ],
    [
      'MAIL',
      '550 mail from <user@debian.org> not allowed externally',
      'rejected',
      false,
      ['550 mail from user@debian.org not allowed externally'],
    ],
    // a refusal that says it follows a policy is the receiver's policy, whoever it names (the reference library's
    // reading, and the corpus's)
    [
      'MAIL',
      '554 Mail from <sender@example.com> rejected for policy reasons.',
      'policyviolation',
      false,
      ['554 Mail from sender@example.com rejected for policy reasons.'],
    ],
  ]);
});

test('a reply reads the same with its enhanced code after its words, as qmail writes it', () => {
  expectSameReading([
    ['RCPT', '451 4.7.1 Try again later', 'blocked', false, ['451 Try again later (#4.7.1)']],
    ['RCPT', '550 5.2.1 Mailbox unavailable', 'suspend', false, ['550 Mailbox unavailable (#5.2.1)']],
  ]);
});

test('a reply reads the same with a word of courtesy or a label before its words', () => {
  expectSameReading([
    ['RCPT', '451 4.7.1 Try again later', 'blocked', false, ['451 4.7.1 Sorry, try again later']],
    ['RCPT', '550 5.2.1 Mailbox unavailable', 'suspend', false, ['550 5.2.1 Sorry, mailbox unavailable']],
    ['RCPT', '550 Connection refused', 'blocked', false, ['550 Error: Connection refused']],
    ['RCPT', '553 Header Error', 'contenterror', false, ['553 Rejected: Header Error']],
  ]);
});

test('a reply reads the same with the sending IP in brackets or bare', () => {
  expectSameReading([
    [
      'RCPT',
      '550 5.7.1 [HCM2] Your mail from 192.0.2.1 was rejected. https://support.apple.com/en-us/HT204137',
      'blocked',
      false,
      ['550 5.7.1 [HCM2] Your mail from [192.0.2.1] was rejected. https://support.apple.com/en-us/HT204137'],
    ],
    ['RCPT', '553 Message blocked from 203.0.113.5', 'blocked', false, ['553 Message blocked from [203.0.113.5]']],
    [
      'RCPT',
      '550 5.7.1 Mail rejected: 192.0.2.1 is not allowed to send mail from example.com',
      'authfailure',
      false,
      ['550 5.7.1 Mail rejected: [192.0.2.1] is not allowed to send mail from example.com'],
    ],
    [
      'RCPT',
      '451 4.7.500 Server busy. Please try again later from [192.0.2.1]. (S77714)',
      'blocked',
      false,
      ['451 4.7.500 Server busy. Please try again later from 192.0.2.1. (S77714)'],
    ],
  ]);
});

test('a reply reads the same in full-width letters, with a zero-width space, or in half-width katakana as old Japanese mobile mail wrote it', () => {
  expectSameReading([
    ['RCPT', '550 User unknown', 'userunknown', true, ['550 Ｕｓｅｒ ｕｎｋｎｏｗｎ', '550 User un\u200bknown']],
    ['RCPT', '550 メールボックスが一杯です', 'mailboxfull', false, ['550 ﾒｰﾙﾎﾞｯｸｽが一杯です']],
    ['RCPT', '550 ユーザが存在しません', 'userunknown', true, ['550 ﾕｰｻﾞが存在しません']],
  ]);
});
