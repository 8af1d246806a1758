import {
  appendEvent,
  getMessageEnvelope,
  getRecipientStatuses,
  insertRecipients,
  refreshMessageStatus,
} from '../db/messages-repo.js';
import { failOpenRecipients } from '../db/pipeline-moves-repo.js';
import { parseMessageHeaders } from '../domain/mime/message-headers.js';
import { classifyRecipients } from '../domain/mime/recipient-kinds.js';
import { markSuppressedRecipients } from '../db/suppressed-recipients-repo.js';
import { markSandboxedRecipients } from '../db/sandboxed-recipients-repo.js';
import { ApplicationFailure } from '@temporalio/activity';
import { failureTypes } from '../workflows/failure-types.js';
import type { ActivityDeps } from './deps.js';
import type { DeliveryActivities } from './types.js';

type RecordActivities = Pick<
  DeliveryActivities,
  'recordMessage' | 'recordMessageEvent' | 'failMessage' | 'finalizeMessage'
>;

export function createRecordActivities({ pool }: ActivityDeps): RecordActivities {
  return {
    /** Writes one row per envelope recipient with its kind (to/cc/bcc). Idempotent. */
    async recordMessage(messageId) {
      const m = await getMessageEnvelope(pool, messageId);
      if (!m) throw ApplicationFailure.nonRetryable(`message ${messageId} not found`, failureTypes.messageNotFound);
      if (!m.headerBlock)
        throw ApplicationFailure.nonRetryable(
          `message ${messageId}: raw MIME purged by retention`,
          failureTypes.rawPurged,
        );
      const headers = parseMessageHeaders(m.headerBlock);
      await insertRecipients(pool, messageId, classifyRecipients(m.envelopeRcpts, headers));
      // Addresses on the account's suppression list are final (`suppressed`) before routing: never sent.
      await markSuppressedRecipients(pool, messageId);
      // A message accepted in sandbox mode is recorded, never sent: its other recipients end `sandboxed`.
      await markSandboxedRecipients(pool, messageId);
      // No status refresh here: new recipients are `pending` like the message row, and each move above refreshed it.
      return { recipients: await getRecipientStatuses(pool, messageId) };
    },
    async recordMessageEvent(messageId, type, data) {
      await appendEvent(pool, { messageId, type, data });
    },
    async failMessage(messageId, reason, recipients) {
      await failOpenRecipients(pool, messageId, reason, recipients);
    },
    async finalizeMessage(messageId) {
      const status = await refreshMessageStatus(pool, messageId);
      await appendEvent(pool, { messageId, type: 'completed', data: { status }, sourceKey: `${messageId}:completed` });
      return { status };
    },
  };
}
