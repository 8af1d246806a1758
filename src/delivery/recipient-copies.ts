import { deriveVerpSecret, verpAddress } from '../bounces/verp.js';
import { personalizeCopy } from '../tracking/personalize-copy.js';
import { dkimSignCopy } from '../sender-auth/dkim-sign.js';
import type { CopySigner } from '../sender-auth/copy-signer.js';
import type { Logger } from '../log.js';

// What the relay network receives for each recipient of a part: its own envelope sender (a VERP address, so an
// asynchronous bounce names the recipient it is about) and, when the message is tracked, its own copy with its own
// open pixel and click links; then the copy is DKIM-signed as the sender domain, over exactly these bytes (the relay
// adds only trace fields on top). Everything else of the message is the stored MIME, unchanged.

export interface CopySettings {
  /** RELAY_MASTER_SECRET: VERP and tracking keys are derived from it. */
  masterSecret: string;
  publicUrl: string;
  bounceDomain: string;
  /** DKIM keys and return paths of sender domains; unset = copies leave unsigned, VERP under BOUNCE_DOMAIN. */
  signer?: CopySigner;
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
  const personalize = async (
    m: { messageId: string; raw: Buffer; tracking: Tracking },
    recipient: string,
  ): Promise<Buffer> => {
    if (!m.tracking.opens && !m.tracking.clicks) return m.raw;
    try {
      return await personalizeCopy(m.raw, {
        messageId: m.messageId,
        recipient,
        ...m.tracking,
        publicUrl: settings.publicUrl,
        secret: settings.masterSecret,
      });
    } catch (err) {
      // A message mailsplit cannot split is still delivered, untracked: tracking must never cost a delivery.
      log.warn('tracking.rewrite_failed', { messageId: m.messageId, recipient, error: err });
      return m.raw;
    }
  };
  return async (m, recipient) => {
    const signing = settings.signer ? await settings.signer.forMessage(m.messageId) : {};
    const envelopeFrom = verpAddress(
      { messageId: m.messageId, recipient },
      verpSecret,
      signing.returnPathDomain ?? settings.bounceDomain,
    );
    const copy = await personalize(m, recipient);
    if (!signing.key) return { recipient, envelopeFrom, raw: copy };
    try {
      return { recipient, envelopeFrom, raw: await dkimSignCopy(copy, signing.key, new Date()) };
    } catch (err) {
      // Unsigned mail is still mail: a key that cannot sign is logged (the domain check shows the key), not fatal.
      log.warn('dkim.sign_failed', { messageId: m.messageId, domain: signing.key.domain, error: err });
      return { recipient, envelopeFrom, raw: copy };
    }
  };
}
