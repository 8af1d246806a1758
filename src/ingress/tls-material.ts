import fs from 'node:fs';
import path from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  key: string;
  cert: string;
  selfSigned: boolean;
}

/**
 * TLS_CERT/TLS_KEY when given; otherwise a self-signed certificate generated once into DATA_DIR/tls, so restarts
 * keep the same certificate (clients that pinned it keep working).
 */
export async function loadTlsMaterial(opts: {
  certPath?: string;
  keyPath?: string;
  dataDir: string;
  hostname: string;
}): Promise<TlsMaterial> {
  if (opts.certPath && opts.keyPath) {
    return {
      cert: fs.readFileSync(opts.certPath, 'utf8'),
      key: fs.readFileSync(opts.keyPath, 'utf8'),
      selfSigned: false,
    };
  }
  const dir = path.join(opts.dataDir, 'tls');
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  if (!fs.existsSync(certFile) || !fs.existsSync(keyFile)) {
    fs.mkdirSync(dir, { recursive: true });
    const pems = await generate([{ name: 'commonName', value: opts.hostname }], {
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: opts.hostname },
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
          ],
        },
      ],
    });
    fs.writeFileSync(keyFile, pems.private, { mode: 0o600 });
    fs.writeFileSync(certFile, pems.cert);
  }
  return { cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8'), selfSigned: true };
}
