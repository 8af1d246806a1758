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

/**
 * End of DATA when the MDE asked for a source address this relay does not send from. A 5xx on purpose: the MDE
 * reads it as "route this elsewhere", and nothing was queued. The address is echoed in a bounded, printable form.
 */
export function sourceNotHostedReply(sourceIp: string, relayId: string): SmtpReply {
  const shown = sourceIp.replace(/[^\x21-\x7e]/g, '?').slice(0, 64);
  return { code: 550, enhanced: '5.7.1', text: `Source address ${shown} is not hosted on relay ${relayId}` };
}
