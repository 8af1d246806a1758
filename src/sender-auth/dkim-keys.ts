import crypto from 'node:crypto';
import { createSecretBox, type SecretBox } from '../webhooks/secret-box.js';

// DKIM keys of sender domains: RSA-2048 (what every receiver verifies; RFC 8301 asks for at least 1024 bits), the
// private key sealed at rest with a key derived from the master secret for this purpose only.

export interface NewDkimKey {
  selector: string;
  /** PKCS#8 PEM, sealed before it is stored. */
  privateKeyPem: string;
  /** base64 of the SubjectPublicKeyInfo DER: the p= of the DNS record. */
  publicKey: string;
}

export const dkimKeyBox = (masterSecret: string): SecretBox => createSecretBox(masterSecret, 'dkim-keys/v1');

/**
 * Selectors name the key's creation time (`rs` + yyyymmdd + 4 random hex digits), so a customer sees which record
 * is the newer one, and two keys made the same day still differ.
 */
export function newSelector(now: Date): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  return `rs${day}${crypto.randomBytes(2).toString('hex')}`;
}

/** RSA key generation takes tens of milliseconds: the async form keeps it off the event loop. */
export async function generateDkimKey(now: Date): Promise<NewDkimKey> {
  const { publicKey, privateKey } = await new Promise<{ publicKey: Buffer; privateKey: string }>((resolve, reject) =>
    crypto.generateKeyPair(
      'rsa',
      {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'der' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      },
      (err, pub, priv) => (err ? reject(err) : resolve({ publicKey: pub, privateKey: priv })),
    ),
  );
  return { selector: newSelector(now), privateKeyPem: privateKey, publicKey: publicKey.toString('base64') };
}

/** The ownership token: 128 random bits, hex. */
export const newOwnershipToken = (): string => crypto.randomBytes(16).toString('hex');
