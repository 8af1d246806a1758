/** The domain of an address, lower-cased; undefined for an empty or domain-less address. */
export function domainOf(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0 || at === address.length - 1) return undefined;
  return address.slice(at + 1).replace(/>$/, '').trim().toLowerCase();
}

/** Addresses compare case-insensitively in the domain; local parts are compared case-insensitively too in practice. */
export function sameAddress(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
