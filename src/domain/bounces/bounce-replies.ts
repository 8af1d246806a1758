// Every reply the bounce receiver gives, in one table (as src/domain/smtp-reply.ts does for ingress), so a code and
// its enhanced status never drift apart. Situations shared with the ingress use its entries.
import { smtpReplies, type SmtpReply } from '../smtp-reply.js';

export const bounceReplies = {
  /** Not a valid VERP address of a known message and recipient: the receiver is never a relay. */
  unknownRecipient: { code: 550, enhanced: '5.1.1', text: 'Recipient address rejected: no such bounce address' },
  tooManyRecipients: smtpReplies.tooManyRecipients,
  messageTooBig: smtpReplies.messageTooBig,
  temporaryFailure: smtpReplies.temporaryFailure,
  recorded: { code: 250, enhanced: '2.0.0', text: 'Ok: report recorded' },
} as const satisfies Record<string, SmtpReply>;
