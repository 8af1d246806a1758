// Every reply the ingress gives for a situation comes from this one table, so a code and its enhanced status code
// (RFC 3463) never drift apart.
export interface SmtpReply {
  code: number;
  enhanced: string;
  text: string;
}

export const smtpReplies = {
  tlsRequired: { code: 530, enhanced: '5.7.0', text: 'Must issue a STARTTLS command first' },
  authRequired: { code: 530, enhanced: '5.7.0', text: 'Authentication required' },
  authInvalid: { code: 535, enhanced: '5.7.8', text: 'Authentication credentials invalid' },
  outsideTrustZone: { code: 554, enhanced: '5.7.1', text: 'Client address is not inside a trusted network' },
  notOnAcceptanceList: { code: 554, enhanced: '5.7.1', text: "Client address is not on the account's acceptance list" },
  senderDomainNotAllowed: { code: 553, enhanced: '5.7.1', text: 'Sender domain is not allowed for this account' },
  headerFromNotAllowed: { code: 550, enhanced: '5.7.1', text: 'From header domain is not allowed for this account' },
  messageTooBig: { code: 552, enhanced: '5.3.4', text: 'Message size exceeds fixed maximum message size' },
  tooManyRecipients: { code: 452, enhanced: '4.5.3', text: 'Too many recipients' },
  noRecipients: { code: 554, enhanced: '5.5.1', text: 'No valid recipients' },
  temporaryFailure: { code: 451, enhanced: '4.3.0', text: 'Temporary local problem, please try again later' },
  accountDisabled: { code: 550, enhanced: '5.7.1', text: 'Account is disabled' },
} as const satisfies Record<string, SmtpReply>;

export type SmtpReplyName = keyof typeof smtpReplies;

export function queuedReply(id: string): SmtpReply {
  return { code: 250, enhanced: '2.0.0', text: `Ok: queued as ${id}` };
}

export function formatReply(r: SmtpReply): string {
  return `${r.code} ${r.enhanced} ${r.text}`;
}
