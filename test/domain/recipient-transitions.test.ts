import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allowedFrom,
  canChange,
  canTransition,
  finalRecipientStatuses,
  isFinal,
  recipientStatuses,
  statusCauses,
  suppressionApplies,
  type RecipientStatus,
  type StatusCause,
} from '../../src/domain/status.js';

// Every (cause, from, to) of the transition table against a specification written out independently here: the rules
// the code and the SQL followed before the table existed (forward-only relay reports with the asynchronous-bounce
// exception; the pipeline's own moves guarded by "not final", the record stage's suppression by "still pending").

const finals: readonly RecipientStatus[] = ['delivered', 'bounced', 'failed', 'suppressed', 'sandboxed'];

function relayReportSpec(from: RecipientStatus, to: RecipientStatus): boolean {
  if (from === to) return false;
  if (finals.includes(from)) return false;
  if (to === 'pending') return false;
  // Sandbox mode is decided at acceptance; no relay ever reports it.
  if (to === 'sandboxed') return false;
  if (from === 'deferred' && to === 'relayed') return false;
  return true;
}

const spec: Record<StatusCause, (from: RecipientStatus, to: RecipientStatus) => boolean> = {
  'relay-report': relayReportSpec,
  'async-bounce': (from, to) => to === 'bounced' && (from === 'delivered' || relayReportSpec(from, to)),
  handoff: (from, to) => to === 'relayed' && !finals.includes(from),
  waiting: (from, to) => to === 'deferred' && !finals.includes(from),
  'give-up': (from, to) => to === 'failed' && !finals.includes(from),
  suppression: (from, to) => to === 'suppressed' && from === 'pending',
  sandbox: (from, to) => to === 'sandboxed' && from === 'pending',
};

test('the final statuses are the five that end a recipient', () => {
  assert.deepEqual([...finalRecipientStatuses].sort(), [...finals].sort());
  assert.deepEqual(
    recipientStatuses.filter((s) => !isFinal(s)),
    ['pending', 'relayed', 'deferred'],
  );
});

test('every (cause, from, to) of the table matches the specification', () => {
  let pairs = 0;
  let allowed = 0;
  for (const cause of statusCauses) {
    for (const from of recipientStatuses) {
      for (const to of recipientStatuses) {
        pairs++;
        const expected = spec[cause](from, to);
        if (expected) allowed++;
        assert.equal(canChange(cause, from, to), expected, `${cause}: ${from} → ${to}`);
        assert.equal(allowedFrom(cause, to).includes(from), expected, `${cause}: allowedFrom(${to}) has ${from}`);
      }
    }
  }
  assert.equal(pairs, statusCauses.length * 8 * 8);
  // relay-report 1+2+3+3+3+3, async-bounce 4, handoff 3, waiting 3, give-up 3, suppression 1, sandbox 1.
  assert.equal(allowed, 15 + 4 + 3 + 3 + 3 + 1 + 1);
});

test('canTransition is the relay-report rule, and with asyncBounce also lets delivered become bounced', () => {
  for (const from of recipientStatuses) {
    for (const to of recipientStatuses) {
      assert.equal(canTransition(from, to), relayReportSpec(from, to), `${from} → ${to}`);
      const asyncExpected = relayReportSpec(from, to) || (from === 'delivered' && to === 'bounced');
      assert.equal(canTransition(from, to, { asyncBounce: true }), asyncExpected, `${from} → ${to} (async bounce)`);
    }
  }
  assert.equal(canTransition('delivered', 'bounced'), false);
  assert.equal(canTransition('delivered', 'bounced', { asyncBounce: true }), true);
  assert.equal(canTransition('bounced', 'bounced', { asyncBounce: true }), false);
  assert.equal(canTransition('failed', 'bounced', { asyncBounce: true }), false);
});

test('no cause moves a recipient back to pending, and only an asynchronous bounce leaves a final status', () => {
  for (const cause of statusCauses) {
    assert.deepEqual(allowedFrom(cause, 'pending'), [], cause);
    for (const to of recipientStatuses) {
      const leavesFinal = allowedFrom(cause, to).filter((from) => isFinal(from));
      assert.deepEqual(
        leavesFinal,
        cause === 'async-bounce' && to === 'bounced' ? ['delivered'] : [],
        `${cause} → ${to}`,
      );
    }
  }
});

test('suppression takes effect for a new report; a relay bounce only when it moved the recipient', () => {
  const cases: Array<[{ fresh: boolean; cause?: StatusCause; moved: boolean }, boolean]> = [
    [{ fresh: false, cause: 'relay-report', moved: true }, false],
    [{ fresh: true, cause: 'relay-report', moved: true }, true],
    [{ fresh: true, cause: 'relay-report', moved: false }, false],
    [{ fresh: true, cause: 'async-bounce', moved: false }, true],
    [{ fresh: false, cause: 'async-bounce', moved: false }, false],
    [{ fresh: true, moved: false }, true], // a complaint moves no status
    [{ fresh: false, moved: false }, false],
  ];
  for (const [input, expected] of cases) assert.equal(suppressionApplies(input), expected, JSON.stringify(input));
});
