import { smtpReplies, type SmtpReply } from '../smtp-reply.js';
import { findContainingCidr } from '../network/cidr.js';
import { domainOf, strictDomainOf } from '../mime/address.js';
import type { HeaderBlock, HeaderBlockProblem } from '../mime/header-fields.js';
import type { AuthorHeaders } from '../mime/message-headers.js';

// The security checks of a submission, as pure functions of facts loaded elsewhere. Ingress uses them during the
// SMTP dialogue (to answer with the right code), the workflow's policy stage uses them again to record the decision.

export type PolicyDecision =
  | { allowed: true; check: PolicyCheck; reason: string }
  | { allowed: false; check: PolicyCheck; reason: string; reply: SmtpReply };

export type PolicyCheck =
  'trust-zone' | 'acceptance-list' | 'sender-domain' | 'header-block' | 'header-from' | 'header-sender';

export type ListenerKind = 'submission' | 'plain';

/**
 * Trust zone: the networks that may talk to the service at all. On submission ports (TLS + AUTH) an empty zone list
 * means "no network restriction"; the plaintext port is an exception only for clients inside an explicit zone.
 */
export function checkTrustZone(clientIp: string, listener: ListenerKind, zones: readonly string[]): PolicyDecision {
  const zone = findContainingCidr(zones, clientIp);
  if (zone) return { allowed: true, check: 'trust-zone', reason: `${clientIp} is inside trust zone ${zone}` };
  if (listener === 'submission' && zones.length === 0) {
    return {
      allowed: true,
      check: 'trust-zone',
      reason: 'no trust zones configured; submission ports are open to authenticated clients',
    };
  }
  return {
    allowed: false,
    check: 'trust-zone',
    reason: `${clientIp} is outside every trust zone`,
    reply: smtpReplies.outsideTrustZone,
  };
}

/** Acceptance list: an account accepts mail only from the networks it listed (0.0.0.0/0 must be explicit). */
export function checkAcceptanceList(clientIp: string, allowedCidrs: readonly string[]): PolicyDecision {
  const hit = findContainingCidr(allowedCidrs, clientIp);
  if (hit) return { allowed: true, check: 'acceptance-list', reason: `${clientIp} matches ${hit}` };
  return {
    allowed: false,
    check: 'acceptance-list',
    reason:
      allowedCidrs.length === 0
        ? 'the account has no acceptance-list entries'
        : `${clientIp} matches none of ${allowedCidrs.length} entries`,
    reply: smtpReplies.notOnAcceptanceList,
  };
}

/** A domain is allowed when it is listed or is a subdomain of a listed domain (mail.example.com under example.com). */
export function isDomainAllowed(domain: string, allowed: readonly string[]): string | undefined {
  const d = domain.toLowerCase();
  return allowed.find((a) => d === a.toLowerCase() || d.endsWith(`.${a.toLowerCase()}`));
}

/**
 * The decision for one address's domain against the account's allowed domains: `what` names the address in the
 * reason ("envelope sender domain"), `missing` is the reason when there is no domain at all.
 */
function checkDomain(
  domain: string | undefined,
  allowedDomains: readonly string[],
  d: { check: PolicyCheck; what: string; missing: string; reply: SmtpReply },
  unverifiedDomains: readonly string[] = [],
): PolicyDecision {
  const hit = domain ? isDomainAllowed(domain, allowedDomains) : undefined;
  if (hit) return { allowed: true, check: d.check, reason: `${d.what} ${domain} is allowed (${hit})` };
  // Listed but not verified yet (SENDER_DOMAIN_POLICY=verified): a reply that tells the customer what to do.
  const pending = domain ? isDomainAllowed(domain, unverifiedDomains) : undefined;
  if (pending)
    return {
      allowed: false,
      check: d.check,
      reason: `${d.what} ${domain} is not verified (${pending}: ownership and DKIM records not confirmed)`,
      reply: d.check === 'sender-domain' ? smtpReplies.senderDomainNotVerified : smtpReplies.headerFromNotVerified,
    };
  return {
    allowed: false,
    check: d.check,
    reason: domain ? `${d.what} ${domain} is not on the account's allowed list` : d.missing,
    reply: d.reply,
  };
}

export function checkSenderDomain(
  mailFrom: string,
  allowedDomains: readonly string[],
  unverifiedDomains: readonly string[] = [],
): PolicyDecision {
  return checkDomain(
    domainOf(mailFrom),
    allowedDomains,
    {
      check: 'sender-domain',
      what: 'envelope sender domain',
      missing: 'empty envelope sender is not accepted for submission',
      reply: smtpReplies.senderDomainNotAllowed,
    },
    unverifiedDomains,
  );
}

/** The visible From must be one of the account's domains too, or a customer could spoof any brand. */
export function checkHeaderFrom(
  headerFrom: string | undefined,
  allowedDomains: readonly string[],
  unverifiedDomains: readonly string[] = [],
): PolicyDecision {
  return checkDomain(
    headerFrom ? domainOf(headerFrom) : undefined,
    allowedDomains,
    {
      check: 'header-from',
      what: 'From header domain',
      missing: 'message has no From header address',
      reply: smtpReplies.headerFromNotAllowed,
    },
    unverifiedDomains,
  );
}

const headerBlockReplies: Record<HeaderBlockProblem, SmtpReply> = {
  'block-too-large': smtpReplies.headerBlockTooLarge,
  'too-many-fields': smtpReplies.headerTooManyFields,
  'field-too-large': smtpReplies.headerFieldTooLarge,
  'bare-line-ending': smtpReplies.headerBareLineEnding,
  'malformed-field': smtpReplies.headerMalformed,
};

/**
 * The header block as the client sent it must be within the limits and read the same way by every program after us:
 * a refused block is answered at DATA and nothing is stored (see parseHeaderBlock).
 */
export function checkHeaderBlock(block: HeaderBlock): PolicyDecision {
  if (block.ok)
    return {
      allowed: true,
      check: 'header-block',
      reason: `${block.fields.length} header fields in ${block.end} bytes`,
    };
  return {
    allowed: false,
    check: 'header-block',
    reason: `${block.problem}: ${block.detail}`,
    reply: headerBlockReplies[block.problem],
  };
}

/** The first address of `list` whose domain is not allowed (or is not a plain domain at all), with why. */
function firstForeign(list: readonly string[], allowedDomains: readonly string[]): string | undefined {
  for (const address of list) {
    const domain = strictDomainOf(address);
    if (!domain) return `address ${JSON.stringify(address.slice(0, 100))} has no plain domain`;
    if (!isDomainAllowed(domain, allowedDomains)) return `domain ${domain} is not on the account's allowed list`;
  }
  return undefined;
}

/**
 * What recipients are shown as the author must be the account's: exactly one From field and at most one Sender field
 * (RFC 5322), and every address in them (a list or a group, not only the first) in the account's sender domains.
 * The workflow's policy stage re-checks the stored first From address with checkHeaderFrom.
 */
export function checkAuthorHeaders(
  h: AuthorHeaders,
  allowedDomains: readonly string[],
  unverifiedDomains: readonly string[] = [],
): PolicyDecision {
  const refuse = (check: PolicyCheck, reason: string, reply: SmtpReply): PolicyDecision => ({
    allowed: false,
    check,
    reason,
    reply,
  });
  if (h.fromFields !== 1)
    return refuse('header-from', `message has ${h.fromFields} From header fields`, smtpReplies.headerFromNotSingle);
  if (h.from.length === 0)
    return refuse('header-from', 'message has no From header address', smtpReplies.headerFromNotAllowed);
  const badFrom = firstForeign(h.from, allowedDomains);
  if (badFrom) {
    const pending = h.from.find((a) => !firstForeign([a], unverifiedDomains));
    if (pending && firstForeign([pending], allowedDomains))
      return refuse(
        'header-from',
        `From header domain ${strictDomainOf(pending)} is not verified`,
        smtpReplies.headerFromNotVerified,
      );
    return refuse('header-from', `From header ${badFrom}`, smtpReplies.headerFromNotAllowed);
  }
  if (h.senderFields > 1)
    return refuse(
      'header-sender',
      `message has ${h.senderFields} Sender header fields`,
      smtpReplies.headerSenderNotSingle,
    );
  if (h.senderFields === 1) {
    if (h.sender.length === 0)
      return refuse('header-sender', 'Sender header has no address', smtpReplies.headerSenderNotAllowed);
    const badSender = firstForeign(h.sender, allowedDomains);
    if (badSender) return refuse('header-sender', `Sender header ${badSender}`, smtpReplies.headerSenderNotAllowed);
  }
  const domains = [...new Set([...h.from, ...h.sender].map((a) => strictDomainOf(a)))].join(', ');
  return {
    allowed: true,
    check: 'header-from',
    reason: `From${h.senderFields > 0 ? ' and Sender' : ''} header domains ${domains} are allowed`,
  };
}

/** Runs checks in order and returns every decision up to and including the first refusal. */
export function firstRefusal(
  decisions: readonly PolicyDecision[],
): Extract<PolicyDecision, { allowed: false }> | undefined {
  return decisions.find((d): d is Extract<PolicyDecision, { allowed: false }> => !d.allowed);
}
