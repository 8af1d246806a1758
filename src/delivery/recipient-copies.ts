import { deriveVerpSecret, verpAddress } from '../bounces/verp.js';
import { personalizeCopy } from '../tracking/personalize-copy.js';
import type { Logger } from '../log.js';

// What the relay network receives for each recipient of a part: its own envelope sender (a VERP address, so an
// asynchronous bounce names the recipient it is about) and, when the message is tracked, its own copy with its own
// open pixel and click links. Everything else of the message is the stored MIME, unchanged.

export interface CopySettings {
  /** RELAY_MASTER_SECRET: VERP and tracking keys are derived from it. */
  masterSecret: string;
  publicUrl: string;
  bounceDomain: string;
}

/** Whether a message's copies are tracked (getMessageTracking of src/db/messages-repo.ts reads it). */
export interface Tracking {
  opens: boolean;
  clicks: boolean;
}

export interface RecipientCopy {
  recipient: string;
  envelopeFrom: string;
  raw: Buffer;
}

export function createCopyBuilder(
  settings: CopySettings,
  log: Logger,
): (m: { messageId: string; raw: Buffer; tracking: Tracking }, recipient: string) => Promise<RecipientCopy> {
  const verpSecret = deriveVerpSecret(settings.masterSecret);
  return async (m, recipient) => {
    const envelopeFrom = verpAddress({ messageId: m.messageId, recipient }, verpSecret, settings.bounceDomain);
    if (!m.tracking.opens && !m.tracking.clicks) return { recipient, envelopeFrom, raw: m.raw };
    try {
      const raw = await personalizeCopy(m.raw, {
        messageId: m.messageId,
        recipient,
        ...m.tracking,
        publicUrl: settings.publicUrl,
        secret: settings.masterSecret,
      });
      return { recipient, envelopeFrom, raw };
    } catch (err) {
      // A message mailsplit cannot split is still delivered, untracked: tracking must never cost a delivery.
      log.warn('tracking.rewrite_failed', { messageId: m.messageId, recipient, error: err });
      return { recipient, envelopeFrom, raw: m.raw };
    }
  };
}
