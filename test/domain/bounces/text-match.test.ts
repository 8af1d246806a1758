// The linear matchers behind the classifier's tables: what they match, and that the pieces of one rule must come
// from one clause of a text, not from anywhere in a notice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inOrder, MAX_PIECE_GAP, negationsWrittenOut, withinSentence } from '../../../src/domain/bounces/text-match.js';

const filler = (n: number): string => 'x'.repeat(n);

test('in-order pieces match a little apart, in order only', () => {
  const rule = inOrder(/rejected because /, / host/);
  assert.equal(rule.test('mail rejected because your sending host is listed'), true);
  assert.equal(rule.test('your sending host: mail rejected because of content'), false);
  assert.equal(rule.test(`rejected because ${filler(MAX_PIECE_GAP - 1)} host`), true);
});

test('in-order pieces further apart than a clause do not make a match', () => {
  const rule = inOrder(/rejected because /, / host/);
  assert.equal(rule.test(`rejected because of its attachment. ${filler(MAX_PIECE_GAP)} reported by host`), false);
  // a later occurrence of the first piece close to the second still matches
  assert.equal(rule.test(`rejected because ${filler(300)} rejected because the host is listed`), true);
  const three = inOrder(/exceeded /, / limit /, / messages/);
  assert.equal(three.test('exceeded the daily limit of 500 messages'), true);
  assert.equal(three.test(`exceeded the daily limit ${filler(MAX_PIECE_GAP + 1)} messages`), false);
  assert.equal(three.test(`exceeded ${filler(200)} exceeded the limit for messages`), true);
});

test('within-sentence pieces stop at a full stop', () => {
  const rule = withinSentence(/\bbanned\b/, /\b(?:ip|host)\b/);
  assert.equal(rule.test('banned sending ip [192'), true);
  assert.equal(rule.test('contains a banned attachment. the remote host said so'), false);
});

test('negations are written out whatever apostrophe or case they were contracted with', () => {
  assert.equal(
    negationsWrittenOut("Couldn't, couldn’t, doesn´t, DIDNT, can't, Can not, won`t, dosn't; cannot, isn't"),
    'Could not, could not, does not, DID not, cannot, cannot, will not, does not; cannot, is not',
  );
  // words that only end like a contraction are left alone
  assert.equal(negationsWrittenOut("want, event, Kant's, the recipient's"), "want, event, Kant's, the recipient's");
});
