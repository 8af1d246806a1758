import { smtpReplies, type SmtpReply } from '../smtp-reply.js';

// Every reply the relay's SMTP intake gives, in one table so a code and its enhanced status code never drift apart.
// Situations the relay shares with the ingress use the ingress's entries; only the relay's own ones are new here.
export const relayReplies = {
  authRequired: smtpReplies.authRequired,
  authInvalid: smtpReplies.authInvalid,
  messageTooBig: smtpReplies.messageTooBig,
  temporaryFailure: smtpReplies.temporaryFailure,
  envidRequired: {
    code: 555,
    enhanced: '5.5.4',
    text: 'MAIL FROM must carry ENVID=<message id> (1 to 100 characters)',
  },
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

/**
 * Outcomes the relay decides itself while delivering, recorded like a destination's reply but without a basic code
 * (no destination answered; see `localFailure`): the enhanced code carries the class, so 5.x.x is final.
 */
export const relayLocalFailures = {
  /**
   * Every address of the domain's mail hosts is loopback, private, link-local or otherwise not public, and the
   * transport map does not name the host: delivering would be SMTP into the relay's own network. RFC 3463 5.4.4
   * "unable to route"; permanent, since the domain's DNS says so.
   */
  nonPublicMx: { enhanced: '5.4.4', text: 'MX host resolves to a non-public address' },
  /**
   * The domain's MTA-STS policy is `enforce` and no MX host met it (none matched the policy's mx patterns, or none
   * offered STARTTLS with a certificate valid for its name): the mail is not sent in clear. RFC 3463 4.7.5
   * "cryptographic failure"; temporary, so the recipient is retried until its lifetime ends (RFC 8461 §5).
   */
  mtaStsNotMet: { enhanced: '4.7.5', text: 'MTA-STS policy not met' },
} as const satisfies Record<string, { enhanced: string; text: string }>;
