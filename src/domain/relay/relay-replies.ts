import { smtpReplies, type SmtpReply } from '../smtp-reply.js';

// Every reply the relay's SMTP intake gives, in one table so a code and its enhanced status code never drift apart.
// Situations the relay shares with the ingress use the ingress's entries; only the relay's own ones are new here.
export const relayReplies = {
  authRequired: smtpReplies.authRequired,
  authInvalid: smtpReplies.authInvalid,
  messageTooBig: smtpReplies.messageTooBig,
  temporaryFailure: smtpReplies.temporaryFailure,
  envidRequired: { code: 555, enhanced: '5.5.4', text: 'MAIL FROM must carry ENVID=<message id> (1 to 100 characters)' },
  recipientWithoutDomain: { code: 501, enhanced: '5.1.3', text: 'Recipient address must have a domain' },
} as const satisfies Record<string, SmtpReply>;
