import crypto from 'node:crypto';

// Webhook signing secrets must be usable (to sign), so they cannot be hashed: they are stored encrypted with
// AES-256-GCM under a key derived from the master secret (RELAY_MASTER_SECRET or the generated one in DATA_DIR), so
// the database alone never reveals them. Format: `v1.<base64url(iv ‖ tag ‖ ciphertext)>`.

export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

/** HKDF-SHA256 of the master secret with a purpose label: a key used for nothing else. */
export function deriveWebhookKey(masterSecret: string, purpose = 'webhook-secrets/v1'): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', masterSecret, 'smtp-relay', purpose, 32));
}

/** `purpose` labels the derived key (other sealed secrets, such as DKIM private keys, use their own label). */
export function createSecretBox(masterSecret: string, purpose?: string): SecretBox {
  const key = deriveWebhookKey(masterSecret, purpose);
  return {
    seal(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1.${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url')}`;
    },
    open(sealed) {
      if (!sealed.startsWith('v1.')) throw new Error('unknown sealed secret format');
      const buf = Buffer.from(sealed.slice(3), 'base64url');
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
      decipher.setAuthTag(buf.subarray(12, 28));
      return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
