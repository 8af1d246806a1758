// A remote server's reply means the same whichever MTA reports it. Each single-recipient corpus bounce that quotes
// SMTP replies becomes a template: its replies (and the report's Status) are replaced by other documented replies,
// and the recipient must get the reason the reply gets on its own, for some SMTP command (the template decides which
// step it answered). Replies with an enhanced code go into notices that quote such replies, replies without one into
// notices that quote those. A notice whose own prose, layout or reporting host decides the reason instead (the words
// introducing a reply, a host name or IP before it, the prose after it) fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { classifyRawBounce } from '../../src/bounces/classify-raw-bounce.js';
import { classifySmtpReply } from '../../src/domain/bounces/classify-smtp-reply.js';
import type { SmtpCommand } from '../../src/domain/bounces/smtp-codes.js';

const corpus = path.resolve('../shared/corpus/bounces');

/** Replies as receivers and MTAs document them (Gmail, Microsoft, Yahoo, Apple, Mimecast, Postfix, RFC 3463). */
const REPLIES: ReadonlyArray<[code: string, status: string, text: string]> = [
  ['550', '5.1.1', 'The email account that you tried to reach does not exist.'],
  ['550', '5.2.1', 'The email account that you tried to reach is disabled.'],
  ['552', '5.2.2', 'The email account that you tried to reach is over quota.'],
  ['553', '5.1.2', "We weren't able to find the recipient domain. Please check for any spelling errors."],
  ['550', '5.7.1', 'Our system has detected that this message is likely unsolicited mail.'],
  ['550', '5.7.26', "Unauthenticated email from example.com is not accepted due to domain's DMARC policy."],
  ['550', '5.7.25', 'The IP address sending this message does not have a PTR record setup.'],
  ['421', '4.7.0', 'This message is suspicious due to the very low reputation of the sending IP address.'],
  ['552', '5.3.4', "Your message exceeded Google's message size limits."],
  ['554', '5.6.0', 'Mail message is malformed. Not accepted.'],
  ['550', '5.7.1', 'Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org'],
  ['550', '5.7.606', 'Access denied, banned sending IP [192.0.2.1].'],
  ['550', '5.4.1', 'Recipient address rejected: Access denied.'],
  ['554', '5.7.1', 'Relay access denied'],
  ['550', '5.1.1', 'Recipient address rejected: User unknown in virtual mailbox table'],
  ['452', '4.2.2', 'Mailbox full'],
  ['554', '5.7.9', 'Message not accepted for policy reasons.'],
  ['451', '4.7.1', 'Greylisted, please try again later'],
  ['550', '5.7.1', 'Client host rejected: cannot find your reverse hostname, [192.0.2.1]'],
  ['554', '5.7.1', 'Virus detected in message'],
  ['550', '5.1.10', 'RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'],
  ['550', '5.7.1', 'Sender address rejected: Access denied'],
  ['550', '5.1.8', 'Sender address rejected: Domain not found'],
  ['421', '4.4.2', 'Connection timed out'],
  ['554', '5.7.1', 'This message has been blocked because it contains a banned attachment'],
  ['550', '5.7.509', 'Access denied, sending domain example.com does not pass DMARC verification.'],
  ['554', '5.4.14', 'Hop count exceeded - possible mail loop'],
  [
    '550',
    '5.7.1',
    'Unfortunately, messages from [192.0.2.1] were not sent. Part of their network is on our block list.',
  ],
  ['451', '4.7.500', 'Server busy. Please try again later from [192.0.2.1]. (S77719)'],
  ['554', '5.7.1', 'Email rejected due to security policies - MCSpamSignature.sa.2.2'],
  ['550', '5.7.1', 'Administrative prohibition - envelope blocked'],
  ['451', '4.3.0', 'Internal resources are temporarily unavailable'],
  ['552', '5.3.4', 'Message size exceeds fixed limit'],
  ['550', '5.2.1', 'Mailbox disabled, not accepting messages'],
  ['530', '5.7.0', 'Must issue a STARTTLS command first'],
  ['550', '5.7.1', 'Message rejected due to content restrictions'],
  ['550', '5.0.350', 'Remote server returned an error'],
  ['421', '4.3.2', 'The maximum number of concurrent connections has been exceeded'],
  ['550', '5.7.1', "The sender's address is on the recipient's blocked senders list"],
  ['550', '5.6.11', 'SMTPSEND.BareLinefeedsAreIllegal; message contains bare linefeeds'],
  ['550', '5.7.511', 'Access denied, banned sender'],
  ['554', '5.2.2', 'Submission quota exceeded'],
  ['550', '5.7.1', 'Rejecting open proxy 192.0.2.1'],
  ['451', '4.5.0', 'SMTP protocol violation, see RFC 2821'],
  ['452', '4.4.5', 'Insufficient disk space; try again later'],
];

const COMMANDS: ReadonlyArray<SmtpCommand | null> = [null, 'CONN', 'HELO', 'MAIL', 'RCPT', 'DATA'];

/** A reply with an enhanced code, and one without, on a line that is not a header field of the returned message. */
const CODED_REPLY_LINE = /(?<=^|[\s:;'(]|<<< )([45]\d\d)[ -]([45]\.\d{1,3}\.\d{1,3})\b.*$/;
const PLAIN_REPLY_LINE = /(?<=^|[\s:;'(]|<<< )([45]\d\d)[ -](?![45]\.\d)\S.*$/;
const HEADER_LINE = /^(?:Received|X-[\w-]+|DKIM-Signature|Message-ID|Date|Subject):/i;

/**
 * The message with every quoted reply of one kind replaced (its folded continuation dropped) and the Status field
 * set: to the reply's enhanced code, or to the class alone ("5.0.0", as Postfix writes for a reply without one).
 */
function transplant(raw: string, line: RegExp, code: string, status: string | null, text: string): string {
  const out: string[] = [];
  let inReply = false;
  for (const l of raw.split('\n')) {
    if (inReply && /^[ \t]+\S/.test(l)) {
      // Postfix's "(in reply to RCPT TO command)" names the step the reply answered: it stays
      const step = /\(in reply\b.*/.exec(l);
      if (step) out.push(`    ${step[0]}`);
      continue;
    }
    const m = HEADER_LINE.test(l) ? null : line.exec(l);
    inReply = m !== null;
    if (m) out.push(`${l.slice(0, m.index)}${code} ${status ? `${status} ` : ''}${text}`);
    else out.push(l.replace(/^(Status:\s*)[245]\.\d{1,3}\.\d{1,3}/i, `$1${status ?? `${code[0]}.0.0`}`));
  }
  return out.join('\n');
}

const reasonOf = (raw: string, recipient: string): string | undefined =>
  classifyRawBounce(Buffer.from(raw, 'latin1')).recipients.find((r) => r.recipient === recipient)?.reason;

/**
 * Every corpus template quoting replies of one kind only (`line`; none of the `other` kind, whose words the
 * transplant would leave), each reply transplanted: the differences from the reply read alone.
 */
function transplantDifferences(line: RegExp, other: RegExp, coded: boolean): { templates: number; differ: string[] } {
  const files = fs.readdirSync(corpus).filter((f) => f.endsWith('.eml'));
  const differ: string[] = [];
  let templates = 0;
  for (const file of files) {
    const raw = fs.readFileSync(path.join(corpus, file)).toString('latin1');
    // quoted-printable lines are encoded and may be cut mid-reply: the transplant would not be the reply
    if (/content-transfer-encoding:\s*quoted-printable/i.test(raw)) continue;
    const report = classifyRawBounce(Buffer.from(raw, 'latin1'));
    if (report.kind !== 'bounce' || report.recipients.length !== 1) continue;
    const lines = raw.split('\n').filter((l) => !HEADER_LINE.test(l));
    if (!lines.some((l) => line.test(l)) || lines.some((l) => other.test(l))) continue;
    const recipient = report.recipients[0]!.recipient;
    // a notice still read by its own words once its reply says nothing is no template: the reply does not decide
    const neutral = reasonOf(transplant(raw, line, '550', coded ? '5.0.0' : null, 'xyzzy plugh'), recipient);
    if (!['onhold', 'rejected', 'blocked'].includes(neutral ?? '')) continue;
    templates++;
    for (const [code, enhanced, text] of REPLIES) {
      const status = coded ? enhanced : null;
      const reply = `${code} ${status ? `${status} ` : ''}${text}`;
      const got = reasonOf(transplant(raw, line, code, status, text), recipient);
      const alone = COMMANDS.map((c) => classifySmtpReply(Number(code), status, reply, c).reason);
      // a final notice whose failure was transient says the retries ran out
      const gaveUp = got === 'expired' && alone.some((r) => r === 'onhold' || r === 'networkerror');
      if (got === undefined || (!alone.includes(got as (typeof alone)[number]) && !gaveUp))
        differ.push(`${file}: ${reply} → ${got ?? 'recipient missing'}, alone ${alone.join('/')}`);
    }
  }
  return { templates, differ };
}

test("a quoted reply is read the same in every MTA's notice", () => {
  const { templates, differ } = transplantDifferences(CODED_REPLY_LINE, PLAIN_REPLY_LINE, true);
  assert.ok(templates > 40, `only ${templates} templates`);
  assert.deepEqual(differ, []);
});

test("a quoted reply without an enhanced code is read the same in every MTA's notice", () => {
  const { templates, differ } = transplantDifferences(PLAIN_REPLY_LINE, CODED_REPLY_LINE, false);
  assert.ok(templates > 20, `only ${templates} templates`);
  assert.deepEqual(differ, []);
});

/**
 * The reply as the server could have sent it over three lines (RFC 5321 4.2.1: "550-" on all but the last), broken
 * between any two words as Gmail breaks its lines, with its enhanced code on each line or on none; joined by line
 * breaks (the relay's own session, a transcript) or by spaces (Postfix's account of it).
 */
function multiline(code: string, status: string | null, text: string, join: string): string {
  const words = text.split(' ');
  const perLine = Math.ceil(words.length / 3);
  const lines: string[] = [];
  for (let i = 0; i < words.length; i += perLine) lines.push(words.slice(i, i + perLine).join(' '));
  const head = status ? `${status} ` : '';
  return lines.map((l, i) => `${code}${i < lines.length - 1 ? '-' : ' '}${head}${l}`).join(join);
}

test('a documented reply reads the same sent over several lines', () => {
  const differ: string[] = [];
  let compared = 0;
  for (const [code, enhanced, text] of REPLIES) {
    if (text.split(' ').length < 3) continue;
    for (const status of [enhanced, null])
      for (const join of ['\n', ' '])
        for (const command of COMMANDS) {
          const one = classifySmtpReply(null, null, `${code} ${status ? `${status} ` : ''}${text}`, command);
          const lines = multiline(code, status, text, join);
          const split = classifySmtpReply(null, null, lines, command);
          compared++;
          if (split.reason !== one.reason || split.hard !== one.hard)
            differ.push(`${command ?? 'no step'}: ${JSON.stringify(lines)} → ${split.reason}, one line ${one.reason}`);
        }
  }
  assert.ok(compared > 800, `only ${compared} replies compared`);
  assert.deepEqual(differ, []);
});

/** What receivers write after a reply's words: their trace ids, server names and links, none of them a cause. */
const STAMPS: Record<string, string> = {
  Gmail: ' a1si1234567pfb.12 - gsmtp',
  Microsoft: ' [BN8NAM11FT014.eop-nam11.prod.protection.outlook.com]',
  'a queue id': ' (queue id 4AbCdE12)',
  'a help link': ' For more information see https://postmaster.example.net/errors?code=550',
};

test("a documented reply reads the same with a receiver's stamp after it", () => {
  const differ: string[] = [];
  let compared = 0;
  for (const [code, enhanced, text] of REPLIES)
    for (const status of [enhanced, null])
      for (const command of COMMANDS) {
        const reply = `${code} ${status ? `${status} ` : ''}${text}`;
        const one = classifySmtpReply(null, null, reply, command);
        for (const [name, stamp] of Object.entries(STAMPS)) {
          const stamped = classifySmtpReply(null, null, reply + stamp, command);
          compared++;
          if (stamped.reason !== one.reason || stamped.hard !== one.hard)
            differ.push(`${command ?? 'no step'} (${name}): ${reply} → ${stamped.reason}, alone ${one.reason}`);
        }
      }
  assert.ok(compared > 1000, `only ${compared} replies compared`);
  assert.deepEqual(differ, []);
});
