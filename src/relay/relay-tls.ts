import fs from 'node:fs';
import path from 'node:path';
import { generate } from 'selfsigned';
import { certificateFingerprint } from '../relay-protocol/tls-pin.js';

// The relay's TLS certificate for its SMTP intake. The MDE does not trust it through a CA but by its SHA-256
// fingerprint (registered per relay), as Postfix's `smtp_tls_security_level = fingerprint` pins a next hop, so a
// self-signed certificate is enough: one is generated when none is configured.

export interface RelayTls {
  cert: string;
  key: string;
  /** SHA-256 fingerprint of the certificate (see relay-protocol/tls-pin.ts). */
  fingerprint: string;
}

/** A new self-signed certificate (ECDSA P-256: generated in milliseconds) for these host names. */
export async function generateRelayCertificate(hostnames: readonly string[]): Promise<RelayTls> {
  const names = [...new Set([...hostnames, 'localhost'])];
  const pems = await generate([{ name: 'commonName', value: names[0] as string }], {
    keyType: 'ec',
    algorithm: 'sha256',
    // The MDE pins the certificate itself, but TLS still checks its validity period: ten years, rotated by re-registering.
    notAfterDate: new Date(Date.now() + 3650 * 86_400_000),
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [...names.map((value) => ({ type: 2 as const, value })), { type: 7 as const, ip: '127.0.0.1' }],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private, fingerprint: certificateFingerprint(pems.cert) };
}

/** The certificate given as PEM text (its fingerprint computed), or a generated one when there is none. */
export async function relayTlsMaterial(
  given: { cert: string | Buffer; key: string | Buffer } | undefined,
  hostnames: readonly string[],
): Promise<RelayTls> {
  if (!given) return generateRelayCertificate(hostnames);
  const cert = given.cert.toString();
  return { cert, key: given.key.toString(), fingerprint: certificateFingerprint(cert) };
}

/**
 * cert.pem and key.pem in a directory, generated once and kept (so a restarted relay keeps the fingerprint the MDE
 * registered). Used by the supervisor for its local relays and by `src/relay/make-cert.ts` for deployments.
 */
export async function ensureRelayCertificateFiles(
  dir: string,
  hostnames: readonly string[],
): Promise<{ certFile: string; keyFile: string; fingerprint: string }> {
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  if (!fs.existsSync(certFile) || !fs.existsSync(keyFile)) {
    const made = await generateRelayCertificate(hostnames);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(keyFile, made.key, { mode: 0o600 });
    fs.writeFileSync(certFile, made.cert);
  }
  return { certFile, keyFile, fingerprint: certificateFingerprint(fs.readFileSync(certFile, 'utf8')) };
}
