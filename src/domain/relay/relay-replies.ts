import type { SmtpReply } from '../smtp-reply.js';

// Every reply the relay's SMTP intake gives, in one table so a code and its enhanced status code never drift apart.
export const relayReplies = {
  authRequired: { code: 530, enhanced: '5.7.0', text: 'Authentication required' },
  authInvalid: { code: 535, enhanced: '5.7.8', text: 'Authentication credentials invalid' },
  envidRequired: { code: 555, enhanced: '5.5.4', text: 'MAIL FROM must carry ENVID=<message id> (1 to 100 characters)' },
  recipientWithoutDomain: { code: 501, enhanced: '5.1.3', text: 'Recipient address must have a domain' },
  messageTooBig: { code: 552, enhanced: '5.3.4', text: 'Message size exceeds fixed maximum message size' },
  temporaryFailure: { code: 451, enhanced: '4.3.0', text: 'Temporary local problem, please try again later' },
} as const satisfies Record<string, SmtpReply>;

export function relayQueuedReply(queueId: string): SmtpReply {
  return { code: 250, enhanced: '2.0.0', text: `Ok: queued as ${queueId}` };
}
