/** The domain of an address, lower-cased; undefined for an empty or domain-less address. */
export function domainOf(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0 || at === address.length - 1) return undefined;
  return address
    .slice(at + 1)
    .replace(/>$/, '')
    .trim()
    .toLowerCase();
}

/** Addresses compare case-insensitively in the domain; local parts are compared case-insensitively too in practice. */
export function sameAddress(a: string, b: string): boolean {
  return normalizeAddress(a) === normalizeAddress(b);
}

/** The longest host name DNS allows (RFC 1035 2.3.4): anything longer is someone's crafted text. */
export const MAX_HOST_NAME = 253;

/**
 * The domain of a header address for a policy check, lower-cased; undefined unless the address is one local part, one
 * `@` and a host name (labels of letters, digits and hyphens, IDNs in either form). An address that other software
 * could split differently (`ceo@victim.test@own.test`, a domain with spaces or brackets) has no domain to allow.
 */
export function strictDomainOf(address: string): string | undefined {
  const at = address.indexOf('@');
  if (at <= 0 || at !== address.lastIndexOf('@')) return undefined;
  const domain = address.slice(at + 1).toLowerCase();
  return /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62})(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62}))*$/u.test(domain) &&
    domain.length <= MAX_HOST_NAME
    ? domain
    : undefined;
}

/**
 * An address as the service keys and compares it (recipient sets, relay answers, suppression lookups): trimmed and
 * lower-cased. Domains are case-insensitive; local parts are case-sensitive by the letter of RFC 5321, but no mailbox
 * provider treats them so, and the service never sends to two addresses that differ only in case.
 */
export function normalizeAddress(address: string): string {
  return address.trim().toLowerCase();
}
