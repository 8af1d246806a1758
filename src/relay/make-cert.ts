// Generates a relay's TLS certificate for a deployment (kept if it already exists) and prints the SHA-256 fingerprint
// to register with the MDE (RELAY_ENDPOINTS' tlsFingerprint, or POST /v1/relays):
//   npx tsx src/relay/make-cert.ts <directory> <host name> [more host names…]
// The directory gets cert.pem and key.pem (0600), for the relay's TLS_CERT and TLS_KEY.
import { ensureRelayCertificateFiles } from './relay-tls.js';

const [dir, ...hostnames] = process.argv.slice(2);
if (!dir || hostnames.length === 0) {
  process.stderr.write('usage: tsx src/relay/make-cert.ts <directory> <host name> [more host names…]\n');
  process.exit(2);
}
const made = await ensureRelayCertificateFiles(dir, hostnames);
process.stdout.write(
  `${JSON.stringify({ certFile: made.certFile, keyFile: made.keyFile, tlsFingerprint: made.fingerprint })}\n`,
);
