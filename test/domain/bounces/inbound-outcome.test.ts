import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BounceReport, RecipientReport } from '../../../src/domain/bounces/classify-bounce.js';
import { inboundOutcome, recipientsConcerned } from '../../../src/domain/bounces/inbound-outcome.js';

const line = (o: Partial<RecipientReport>): RecipientReport => ({
  recipient: 'a@dest.test',
  status: '5.1.1',
  replycode: '550',
  reason: 'userunknown',
  hard: true,
  diagnostic: '550 5.1.1 User unknown',
  ...o,
});
const bounce = (...recipients: RecipientReport[]): BounceReport => ({ kind: 'bounce', recipients });

test('a failure for the VERP recipient is a bounce with the reported facts', () => {
  assert.deepEqual(
    inboundOutcome(
      bounce(
        line({ recipient: 'other@dest.test', reason: 'mailboxfull', hard: false, status: '5.2.2' }),
        line({ action: 'failed' }),
      ),
      'A@dest.test',
    ),
    {
      kind: 'bounced',
      status: '5.1.1',
      replyCode: '550',
      diagnosticCode: '550 5.1.1 User unknown',
      reason: 'userunknown',
      hard: true,
      reportedRecipient: 'a@dest.test',
    },
  );
  // A report naming another address (forwarding, rewriting) is still about the recipient the VERP address names.
  const forwarded = inboundOutcome(bounce(line({ recipient: 'alias@elsewhere.test' })), 'a@dest.test');
  assert.equal(forwarded.kind, 'bounced');
  assert.equal(forwarded.kind === 'bounced' && forwarded.reportedRecipient, 'alias@elsewhere.test');
});

test('a delay warning is a deferral; a temporary failure after retries is a soft bounce; a success report is ignored', () => {
  const delayed = inboundOutcome(
    bounce(
      line({
        status: '4.4.1',
        replycode: '',
        reason: 'networkerror',
        hard: false,
        action: 'delayed',
        diagnostic: 'connection timed out',
      }),
    ),
    'a@dest.test',
  );
  assert.equal(delayed.kind, 'delayed');
  const expired = inboundOutcome(
    bounce(
      line({
        status: '4.4.7',
        replycode: '',
        reason: 'expired',
        hard: false,
        action: 'failed',
        diagnostic: 'delivery time expired',
      }),
    ),
    'a@dest.test',
  );
  assert.equal(expired.kind, 'bounced');
  assert.equal(expired.kind === 'bounced' && expired.hard, false);
  const prose = inboundOutcome(
    bounce(
      line({
        status: '4.0.0',
        replycode: '',
        reason: 'onhold',
        hard: false,
        diagnostic: 'The message has been delayed; we will retry for 5 days',
      }),
    ),
    'a@dest.test',
  );
  assert.equal(prose.kind, 'delayed');
  assert.deepEqual(
    inboundOutcome(
      bounce(line({ status: '2.0.0', replycode: '250', reason: 'delivered', hard: false, action: 'delivered' })),
      'a@dest.test',
    ),
    { kind: 'ignored', why: 'success-report' },
  );
  assert.deepEqual(inboundOutcome(bounce(line({ status: '5.1.1', action: 'relayed' })), 'a@dest.test'), {
    kind: 'ignored',
    why: 'success-report',
  });
});

test('complaints, auto-replies and ordinary mail', () => {
  assert.deepEqual(
    inboundOutcome(
      {
        kind: 'feedback',
        recipients: [line({ status: '', replycode: '', reason: 'feedback', hard: false, feedbackType: 'abuse' })],
      },
      'a@dest.test',
    ),
    { kind: 'complained', feedbackType: 'abuse' },
  );
  assert.deepEqual(inboundOutcome({ kind: 'vacation', recipients: [line({ reason: 'vacation' })] }, 'a@dest.test'), {
    kind: 'auto-reply',
  });
  assert.deepEqual(inboundOutcome({ kind: 'not_bounce', recipients: [] }, 'a@dest.test'), {
    kind: 'ignored',
    why: 'not-a-report',
  });
  assert.deepEqual(inboundOutcome(bounce(), 'a@dest.test'), { kind: 'ignored', why: 'not-a-report' });
});

test('a per-message address: the report names which recipients it is about; a single recipient needs no name', () => {
  const report = bounce(line({ recipient: 'B@dest.test' }), line({ recipient: 'stranger@else.test' }));
  assert.deepEqual(recipientsConcerned(report, ['a@dest.test', 'b@dest.test', 'c@dest.test']), ['b@dest.test']);
  assert.deepEqual(recipientsConcerned(report, ['a@dest.test', 'c@dest.test']), []);
  const redacted: BounceReport = {
    kind: 'feedback',
    recipients: [line({ recipient: '', reason: 'feedback', feedbackType: 'abuse' })],
  };
  assert.deepEqual(recipientsConcerned(redacted, ['only@dest.test']), ['only@dest.test']);
  assert.deepEqual(recipientsConcerned(redacted, ['a@dest.test', 'b@dest.test']), []);
});
