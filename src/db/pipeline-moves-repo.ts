import crypto from 'node:crypto';
import type pg from 'pg';
import { inTransaction } from './pool.js';
import { changeRecipientStatus } from './recipient-state-repo.js';

// The delivery pipeline's own moves of recipients (handoff, waiting for an IP, giving up): each is one
// changeRecipientStatus under its cause, so the transition table decides which recipients move.

/** A part of the message (its recipients) is now on a relay, to be sent from sourceIp. */
export async function markHandedOff(
  db: pg.Pool,
  messageId: string,
  part: { relayId: string; sourceIp: string; recipients: string[] },
  response: string,
): Promise<void> {
  const { relayId, sourceIp, recipients } = part;
  await inTransaction(db, async (c) => {
    await c.query('UPDATE messages SET updated_at = now() WHERE id = $1', [messageId]);
    // A new handoff starts a fresh attempt: a deferral (by an earlier relay, or while waiting for an IP) is history.
    // One event per (relay, IP, recipient set): a retried activity does not record the handoff twice.
    const set = crypto
      .createHash('sha1')
      .update(
        [...recipients]
          .map((r) => r.toLowerCase())
          .sort()
          .join('\n'),
      )
      .digest('hex')
      .slice(0, 16);
    await changeRecipientStatus(c, {
      messageId,
      recipients,
      move: { cause: 'handoff', to: 'relayed', set: { relayId, sourceIp } },
      event: {
        kind: 'once',
        type: 'relayed',
        data: { relayId, sourceIp, recipients, response },
        sourceKey: `${messageId}:relayed:${relayId}:${sourceIp}:${set}`,
      },
    });
  });
}

/** Recipients waiting for a usable IP show `deferred` with the reason as their last response. */
export async function deferWaitingRecipients(
  db: pg.Pool,
  messageId: string,
  recipients: string[],
  why: string,
): Promise<void> {
  await inTransaction(db, (c) =>
    changeRecipientStatus(c, {
      messageId,
      recipients,
      move: { cause: 'waiting', to: 'deferred', set: { smtpResponse: why } },
    }),
  );
}

/**
 * Marks unfinished recipients failed (policy refusal after acceptance, or no relay could take them within the
 * lifetime): all of them, or only the given ones.
 */
export async function failOpenRecipients(
  db: pg.Pool,
  messageId: string,
  reason: string,
  only?: string[],
): Promise<void> {
  await inTransaction(db, (c) =>
    changeRecipientStatus(c, {
      messageId,
      recipients: only ?? 'all',
      move: { cause: 'give-up', to: 'failed', set: { smtpResponse: reason } },
      event: {
        kind: 'each',
        type: 'failed',
        data: () => ({ reason }),
        sourceKey: (address) => `${messageId}:failed:${address}`,
      },
    }),
  );
}
