// A relay's synchronous bounce is the destination's own reply, and what it means can depend on the command it answered
// and the host that gave it: the relay reports both, and the central update reads them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relayOutcomeUpdate } from '../../src/delivery/apply-relay-report.js';
import type { SmtpCommand } from '../../src/domain/bounces/smtp-codes.js';

const relay = { id: 'r1' };

/** The central update for one bounced recipient, as a relay reports it (command and host absent: an older relay). */
function bounced(recipient: string, response: string, origin: { command?: SmtpCommand; remoteHost?: string } = {}) {
  const code = Number(response.slice(0, 3));
  const update = relayOutcomeUpdate(relay, {
    recipient,
    status: 'bounced',
    smtpCode: code,
    enhancedCode: null,
    response,
    at: '2026-12-06T00:00:00.000Z',
    ...origin,
  });
  return update.bounce && [update.bounce.reason, update.bounce.hard];
}

test("NTT docomo's 'Unknown user' after DATA is its recipient's filter, not an unknown address: nothing is suppressed", () => {
  const reply = '550 Unknown user a@docomo.ne.jp';
  assert.deepEqual(bounced('a@docomo.ne.jp', reply, { command: 'DATA', remoteHost: 'mfsmax.docomo.ne.jp' }), [
    'rejected',
    false,
  ]);
  // the host the relay names, or the subscriber's domain when it names none
  assert.deepEqual(bounced('a@docomo.ne.jp', reply, { command: 'DATA' }), ['rejected', false]);
  // the same words at RCPT TO refuse the address
  assert.deepEqual(bounced('a@docomo.ne.jp', reply, { command: 'RCPT', remoteHost: 'mfsmax.docomo.ne.jp' }), [
    'userunknown',
    true,
  ]);
  // a relay that does not say which command: read as RCPT TO, as before
  assert.deepEqual(bounced('a@docomo.ne.jp', reply), ['userunknown', true]);
});

test("a receiver's reply documented for its own hosts counts when the relay names one of them", () => {
  // Yahoo refuses an address it has no account for only after DATA: from its MX that is its directory's verdict
  const reply = '552 1 Requested mail action aborted, mailbox not found';
  const fromYahoo = bounced('a@yahoo.com', reply, { command: 'DATA', remoteHost: 'mta7.am0.yahoodns.net' });
  assert.deepEqual(fromYahoo, ['userunknown', true]);
  // another host's words after DATA came once the address had been taken
  assert.deepEqual(bounced('a@example.com', reply, { command: 'DATA', remoteHost: 'mx.example.com' }), [
    'filtered',
    false,
  ]);
});
