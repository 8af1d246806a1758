import crypto from 'node:crypto';

// A relay's TLS certificate is identified by its SHA-256 fingerprint, written the way `openssl x509 -fingerprint
// -sha256` and node's X509Certificate#fingerprint256 write it (upper-case hex pairs joined by colons). The relay logs
// it at start; the MDE has it registered per relay (RELAY_ENDPOINTS' tlsFingerprint, POST /v1/relays, or the local
// relays' registration by `npm start`) and refuses a relay whose certificate has another.

const FINGERPRINT = /^(?:[0-9A-F]{2}:){31}[0-9A-F]{2}$/;

/** The canonical spelling of a SHA-256 fingerprint given with or without colons, in any case; undefined if invalid. */
export function normalizeFingerprint(s: string): string | undefined {
  const hex = s.trim().replace(/:/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return undefined;
  const canonical = hex.match(/../g)?.join(':') ?? '';
  return FINGERPRINT.test(canonical) ? canonical : undefined;
}

/** The SHA-256 fingerprint of a certificate (PEM text or DER bytes). */
export function certificateFingerprint(cert: string | Buffer): string {
  return new crypto.X509Certificate(cert).fingerprint256;
}
