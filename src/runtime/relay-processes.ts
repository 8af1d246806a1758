import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../log.js';
import { ensureRelayCertificateFiles } from '../relay/relay-tls.js';
import { localRelayHeloName, type LocalRelaySpec } from './bootstrap.js';

export const relayEntry = fileURLToPath(new URL('../relay/main.ts', import.meta.url));

export interface RelayProcessOptions {
  spec: LocalRelaySpec;
  databaseUrl: string;
  secret: string;
  /** The relay's certificate files (TLS_CERT, TLS_KEY); see localRelayCertificate. */
  tls: { certFile: string; keyFile: string };
  env: Record<string, string | undefined>;
  log: Logger;
}

/**
 * The certificate of a local relay of `npm start`, generated once into DATA_DIR/relays/<id>/tls and kept, so the
 * fingerprint the supervisor registers stays the relay's across restarts: verification stays on locally too.
 */
export function localRelayCertificate(
  dataDir: string,
  spec: LocalRelaySpec,
): Promise<{ certFile: string; keyFile: string; fingerprint: string }> {
  return ensureRelayCertificateFiles(path.join(dataDir, 'relays', spec.id, 'tls'), [
    spec.heloName ?? localRelayHeloName(spec.id),
  ]);
}

/**
 * Runs a relay as its own OS process (as it would be on its own host) and restarts it if it dies, with a growing pause.
 * Returns a stop function.
 */
export function superviseRelay(o: RelayProcessOptions): { stop(): Promise<void>; current(): ChildProcess | undefined } {
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  const start = (): void => {
    child = spawn(process.execPath, ['--import', 'tsx', relayEntry], {
      stdio: ['ignore', 'inherit', 'inherit'],
      // A process group of its own: a Ctrl-C at the terminal reaches only the supervisor, which stops relays first.
      detached: true,
      env: {
        ...process.env,
        ...o.env,
        RELAY_ID: o.spec.id,
        RELAY_SMTP_PORT: String(o.spec.smtpPort),
        RELAY_HTTP_PORT: String(o.spec.httpPort),
        RELAY_SOURCE_IP: o.spec.sourceIp,
        RELAY_DATABASE_URL: o.databaseUrl,
        RELAY_SECRET: o.secret,
        TLS_CERT: o.tls.certFile,
        TLS_KEY: o.tls.keyFile,
      },
    });
    const startedAt = Date.now();
    child.once('exit', (code, signal) => {
      if (stopping) return;
      if (Date.now() - startedAt > 60_000) restarts = 0;
      const delay = Math.min(30_000, 500 * 2 ** restarts++);
      o.log.warn('relay.exited', { relayId: o.spec.id, code, signal, restartInMs: delay });
      setTimeout(() => {
        if (!stopping) start();
      }, delay);
    });
  };
  start();
  return {
    current: () => child,
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child?.kill('SIGKILL'), 10_000).unref();
      }),
  };
}
