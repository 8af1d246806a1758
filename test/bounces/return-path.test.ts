// The receiver writes the envelope's reverse-path on each message as a delivery agent does: the null path of a
// notification is evidence that the message is one, and a Return-Path the message brings along is not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyRawBounce } from '../../src/bounces/classify-raw-bounce.js';
import { withReturnPath } from '../../src/bounces/return-path.js';

// A gateway's own notice: neither its subject nor its sender is one a table of MTAs knows, and it has no report part.
const gatewayNotice = (...extraHeaders: string[]): Buffer =>
  Buffer.from(
    [
      'From: Relay Gateway <gateway@relay.example>',
      'To: bounces+abc@bounces.example',
      'Subject: Message status',
      ...extraHeaders,
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'Your message could not be delivered to the following recipient:',
      '',
      '    <ivy@dest.example>',
      '    550 5.1.1 <ivy@dest.example>: Recipient address rejected: User unknown in local recipient table',
      '',
    ].join('\r\n'),
  );

test('a notice no table knows is read as one when it came from the null sender', () => {
  const report = classifyRawBounce(withReturnPath(gatewayNotice(), ''));
  assert.equal(report.kind, 'bounce');
  assert.deepEqual(
    report.recipients.map((r) => [r.recipient, r.reason, r.hard, r.status]),
    [['ivy@dest.example', 'userunknown', true, '5.1.1']],
  );
});

test('the same text from an ordinary sender is not a bounce, whatever Return-Path it carries itself', () => {
  assert.equal(classifyRawBounce(withReturnPath(gatewayNotice(), 'gateway@relay.example')).kind, 'not_bounce');
  const forged = gatewayNotice('Return-Path: <>');
  assert.equal(classifyRawBounce(withReturnPath(forged, 'gateway@relay.example')).kind, 'not_bounce');
});

test('the reverse-path is written as one header field whatever it holds', () => {
  const stamped = withReturnPath(Buffer.from('Subject: x\r\n\r\nbody\r\n'), 'a@b>\r\nBcc: c@d');
  const [first, second] = stamped.toString('latin1').split('\r\n');
  assert.equal(first, 'Return-Path: <a@bBcc:c@d>');
  assert.equal(second, 'Subject: x');
});

test('blank lines a sender left before the header stay out of the way of the written field', () => {
  const report = classifyRawBounce(withReturnPath(Buffer.concat([Buffer.from('\r\n\r\n'), gatewayNotice()]), ''));
  assert.deepEqual(
    report.recipients.map((r) => r.recipient),
    ['ivy@dest.example'],
  );
});
