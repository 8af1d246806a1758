// Every reply the ingress gives for a situation comes from this one table, so a code and its enhanced status code
// (RFC 3463) never drift apart.
import { HEADER_LIMITS } from './mime/header-fields.js';

export interface SmtpReply {
  code: number;
  enhanced: string;
  text: string;
}

export const smtpReplies = {
  tlsRequired: { code: 530, enhanced: '5.7.0', text: 'Must issue a STARTTLS command first' },
  authRequired: { code: 530, enhanced: '5.7.0', text: 'Authentication required' },
  authInvalid: { code: 535, enhanced: '5.7.8', text: 'Authentication credentials invalid' },
  // The credential a session authenticated with (or its IP credential) was revoked since: the next MAIL is refused.
  credentialRevoked: { code: 535, enhanced: '5.7.8', text: 'Authentication credentials revoked' },
  authTooManyFailures: {
    code: 421,
    enhanced: '4.7.0',
    text: 'Too many failed authentication attempts, closing connection',
  },
  // AUTH lockout: the address is refused and disconnected (421); a username locked after failures from many addresses
  // is refused outside its account's acceptance list with RFC 4954's temporary failure (454).
  authAddressLocked: {
    code: 421,
    enhanced: '4.7.0',
    text: 'Too many failed authentication attempts from this address, try again later',
  },
  authUsernameLocked: { code: 454, enhanced: '4.7.0', text: 'Temporary authentication failure, try again later' },
  // Connection and session limits (421 closes the connection; 452 refuses one more recipient of this message).
  tooManyConnections: { code: 421, enhanced: '4.7.0', text: 'Too many connections, try again later' },
  tooManyConnectionsFromIp: {
    code: 421,
    enhanced: '4.7.0',
    text: 'Too many connections from this address, try again later',
  },
  tooManyMessagesInSession: {
    code: 421,
    enhanced: '4.7.0',
    text: 'Too many messages in this session, reconnect to send more',
  },
  sessionTimeLimit: { code: 421, enhanced: '4.4.2', text: 'Session time limit exceeded, closing connection' },
  outsideTrustZone: { code: 554, enhanced: '5.7.1', text: 'Client address is not inside a trusted network' },
  notOnAcceptanceList: { code: 554, enhanced: '5.7.1', text: "Client address is not on the account's acceptance list" },
  senderDomainNotAllowed: { code: 553, enhanced: '5.7.1', text: 'Sender domain is not allowed for this account' },
  headerFromNotAllowed: { code: 550, enhanced: '5.7.1', text: 'From header domain is not allowed for this account' },
  // SENDER_DOMAIN_POLICY=verified: a listed domain sends once its ownership and DKIM records verify in DNS.
  senderDomainNotVerified: {
    code: 550,
    enhanced: '5.7.1',
    text: 'Sender domain is not verified: publish its DNS records and verify it first',
  },
  headerFromNotVerified: {
    code: 550,
    enhanced: '5.7.1',
    text: 'From header domain is not verified: publish its DNS records and verify it first',
  },
  headerFromNotSingle: { code: 550, enhanced: '5.7.1', text: 'Message must have exactly one From header' },
  headerSenderNotAllowed: {
    code: 550,
    enhanced: '5.7.1',
    text: 'Sender header domain is not allowed for this account',
  },
  headerSenderNotSingle: { code: 550, enhanced: '5.7.1', text: 'Message must have at most one Sender header' },
  // Header block limits and shape (refused at DATA, nothing stored): 552 for a size limit, 554 for bytes that other
  // software could read differently; 5.6.0 (media error) because the content, not the total size, is at fault.
  headerBlockTooLarge: {
    code: 552,
    enhanced: '5.6.0',
    text: `Message header block exceeds ${HEADER_LIMITS.maxBlockBytes} bytes`,
  },
  headerTooManyFields: {
    code: 552,
    enhanced: '5.6.0',
    text: `Message header has more than ${HEADER_LIMITS.maxFields} fields`,
  },
  headerFieldTooLarge: {
    code: 552,
    enhanced: '5.6.0',
    text: `A message header field exceeds ${HEADER_LIMITS.maxFieldBytes} bytes`,
  },
  headerBareLineEnding: {
    code: 554,
    enhanced: '5.6.0',
    text: 'Message header contains a bare CR or LF; header lines must end with CRLF',
  },
  headerMalformed: {
    code: 554,
    enhanced: '5.6.0',
    text: 'Message header contains a line that is neither a header field nor a continuation',
  },
  messageTooBig: { code: 552, enhanced: '5.3.4', text: 'Message size exceeds fixed maximum message size' },
  tooManyRecipients: { code: 452, enhanced: '4.5.3', text: 'Too many recipients' },
  noRecipients: { code: 554, enhanced: '5.5.1', text: 'No valid recipients' },
  temporaryFailure: { code: 451, enhanced: '4.3.0', text: 'Temporary local problem, please try again later' },
  // Temporal has not confirmed the starts of START_BACKLOG_LIMIT accepted messages: accepting more would only grow a
  // queue nothing is draining; 4.3.2 (system not accepting network messages) tells the client to retry later.
  startBacklogFull: {
    code: 451,
    enhanced: '4.3.2',
    text: 'Delivery backlog is full, please try again later',
  },
  accountDisabled: { code: 550, enhanced: '5.7.1', text: 'Account is disabled' },
  // Account standing: a suspension is permanent until the operator lifts it; a quota is temporary (the app retries).
  accountSuspended: { code: 550, enhanced: '5.7.1', text: 'Account suspended' },
  authAccountSuspended: { code: 535, enhanced: '5.7.8', text: 'Authentication refused: account suspended' },
  quotaPerMinute: {
    code: 451,
    enhanced: '4.7.1',
    text: 'Sending rate limit reached: too many messages this minute, try again later',
  },
  quotaPerDay: { code: 451, enhanced: '4.7.1', text: 'Daily sending quota reached, try again later' },
} as const satisfies Record<string, SmtpReply>;

export type SmtpReplyName = keyof typeof smtpReplies;

export function queuedReply(id: string): SmtpReply {
  return { code: 250, enhanced: '2.0.0', text: `Ok: queued as ${id}` };
}

export function formatReply(r: SmtpReply): string {
  return `${r.code} ${r.enhanced} ${r.text}`;
}
