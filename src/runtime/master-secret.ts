import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

/**
 * The relay master secret: relay credentials are HMACs of it, so the database holds no relay password. Taken from
 * RELAY_MASTER_SECRET (`configured`), or generated once into DATA_DIR (mode 0600) for the single-machine setup.
 */
export function loadRelayMasterSecret(dataDir: string, configured: string | undefined): string {
  if (configured) return configured;
  const file = path.join(dataDir, 'secrets', 'relay-master-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}
