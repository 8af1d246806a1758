import { smtpReplies, type SmtpReply } from '../smtp-reply.js';
import { findContainingCidr } from './cidr.js';
import { domainOf } from '../mime/address.js';

// The security checks of a submission, as pure functions of facts loaded elsewhere. Ingress uses them during the
// SMTP dialogue (to answer with the right code), the workflow's policy stage uses them again to record the decision.

export type PolicyDecision =
  | { allowed: true; check: PolicyCheck; reason: string }
  | { allowed: false; check: PolicyCheck; reason: string; reply: SmtpReply };

export type PolicyCheck = 'trust-zone' | 'acceptance-list' | 'sender-domain' | 'header-from';

export type ListenerKind = 'submission' | 'plain';

/**
 * Trust zone: the networks that may talk to the service at all. On submission ports (TLS + AUTH) an empty zone list
 * means "no network restriction"; the plaintext port is an exception only for clients inside an explicit zone.
 */
export function checkTrustZone(clientIp: string, listener: ListenerKind, zones: readonly string[]): PolicyDecision {
  const zone = findContainingCidr(zones, clientIp);
  if (zone) return { allowed: true, check: 'trust-zone', reason: `${clientIp} is inside trust zone ${zone}` };
  if (listener === 'submission' && zones.length === 0) {
    return { allowed: true, check: 'trust-zone', reason: 'no trust zones configured; submission ports are open to authenticated clients' };
  }
  return { allowed: false, check: 'trust-zone', reason: `${clientIp} is outside every trust zone`, reply: smtpReplies.outsideTrustZone };
}

/** Acceptance list: an account accepts mail only from the networks it listed (0.0.0.0/0 must be explicit). */
export function checkAcceptanceList(clientIp: string, allowedCidrs: readonly string[]): PolicyDecision {
  const hit = findContainingCidr(allowedCidrs, clientIp);
  if (hit) return { allowed: true, check: 'acceptance-list', reason: `${clientIp} matches ${hit}` };
  return {
    allowed: false,
    check: 'acceptance-list',
    reason: allowedCidrs.length === 0 ? 'the account has no acceptance-list entries' : `${clientIp} matches none of ${allowedCidrs.length} entries`,
    reply: smtpReplies.notOnAcceptanceList,
  };
}

/** A domain is allowed when it is listed or is a subdomain of a listed domain (mail.example.com under example.com). */
export function isDomainAllowed(domain: string, allowed: readonly string[]): string | undefined {
  const d = domain.toLowerCase();
  return allowed.find((a) => d === a.toLowerCase() || d.endsWith(`.${a.toLowerCase()}`));
}

export function checkSenderDomain(mailFrom: string, allowedDomains: readonly string[]): PolicyDecision {
  const domain = domainOf(mailFrom);
  const hit = domain ? isDomainAllowed(domain, allowedDomains) : undefined;
  if (hit) return { allowed: true, check: 'sender-domain', reason: `envelope sender domain ${domain} is allowed (${hit})` };
  return {
    allowed: false,
    check: 'sender-domain',
    reason: domain ? `envelope sender domain ${domain} is not on the account's allowed list` : 'empty envelope sender is not accepted for submission',
    reply: smtpReplies.senderDomainNotAllowed,
  };
}

/** The visible From must be one of the account's domains too, or a customer could spoof any brand. */
export function checkHeaderFrom(headerFrom: string | undefined, allowedDomains: readonly string[]): PolicyDecision {
  const domain = headerFrom ? domainOf(headerFrom) : undefined;
  const hit = domain ? isDomainAllowed(domain, allowedDomains) : undefined;
  if (hit) return { allowed: true, check: 'header-from', reason: `From header domain ${domain} is allowed (${hit})` };
  return {
    allowed: false,
    check: 'header-from',
    reason: domain ? `From header domain ${domain} is not on the account's allowed list` : 'message has no From header address',
    reply: smtpReplies.headerFromNotAllowed,
  };
}

/** Runs checks in order and returns every decision up to and including the first refusal. */
export function firstRefusal(decisions: readonly PolicyDecision[]): Extract<PolicyDecision, { allowed: false }> | undefined {
  return decisions.find((d): d is Extract<PolicyDecision, { allowed: false }> => !d.allowed);
}
