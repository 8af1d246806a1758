import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyReply, localFailure, parseSmtpReply } from '../../../src/domain/relay/smtp-reply-parse.js';

test('splits code, enhanced code and keeps the reply verbatim', () => {
  assert.deepEqual(parseSmtpReply('550 5.1.1 <a@b.example>: Recipient address rejected'), {
    code: 550,
    enhanced: '5.1.1',
    response: '550 5.1.1 <a@b.example>: Recipient address rejected',
  });
  assert.deepEqual(parseSmtpReply('250 2.0.0 Ok: queued as ABC\r\n'), {
    code: 250,
    enhanced: '2.0.0',
    response: '250 2.0.0 Ok: queued as ABC',
  });
  assert.deepEqual(parseSmtpReply('451-4.3.0 first line'), {
    code: 451,
    enhanced: '4.3.0',
    response: '451-4.3.0 first line',
  });
});

test('replies without enhanced code, and non-replies', () => {
  assert.deepEqual(parseSmtpReply('250 Ok'), { code: 250, enhanced: null, response: '250 Ok' });
  assert.deepEqual(parseSmtpReply('550 5.1.1x not a code'), {
    code: 550,
    enhanced: null,
    response: '550 5.1.1x not a code',
  });
  assert.deepEqual(parseSmtpReply('connect ECONNREFUSED 127.0.0.1:25'), {
    code: null,
    enhanced: null,
    response: 'connect ECONNREFUSED 127.0.0.1:25',
  });
});

test('classifies by basic code, then by enhanced class, else deferred', () => {
  const cases: Array<[number | null, string | null, string]> = [
    [250, '2.0.0', 'delivered'],
    [251, null, 'delivered'],
    [550, '5.1.1', 'bounced'],
    [554, null, 'bounced'],
    [451, '4.3.0', 'deferred'],
    [421, null, 'deferred'],
    [354, null, 'deferred'],
    [null, null, 'deferred'],
    [null, '5.4.4', 'bounced'],
    [null, '4.4.1', 'deferred'],
  ];
  for (const [code, enhanced, want] of cases)
    assert.equal(classifyReply({ code, enhanced }), want, `${code} ${enhanced}`);
  assert.equal(classifyReply(localFailure('domain does not exist', '5.4.4')), 'bounced');
});
