// Every reply the bounce receiver gives, in one table (as src/domain/smtp-reply.ts does for ingress), so a code and
// its enhanced status never drift apart.
import type { SmtpReply } from '../smtp-reply.js';

export const bounceReplies = {
  /** Not a valid VERP address of a known message and recipient: the receiver is never a relay. */
  unknownRecipient: { code: 550, enhanced: '5.1.1', text: 'Recipient address rejected: no such bounce address' },
  tooManyRecipients: { code: 452, enhanced: '4.5.3', text: 'Too many recipients' },
  messageTooBig: { code: 552, enhanced: '5.3.4', text: 'Message size exceeds fixed maximum message size' },
  temporaryFailure: { code: 451, enhanced: '4.3.0', text: 'Temporary local problem, please try again later' },
  recorded: { code: 250, enhanced: '2.0.0', text: 'Ok: report recorded' },
} as const satisfies Record<string, SmtpReply>;
