import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../log.js';
import type { LocalRelaySpec } from './bootstrap.js';

export const relayEntry = fileURLToPath(new URL('../relay/main.ts', import.meta.url));

export interface RelayProcessOptions {
  spec: LocalRelaySpec;
  databaseUrl: string;
  secret: string;
  env: Record<string, string | undefined>;
  log: Logger;
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
      env: {
        ...process.env,
        ...o.env,
        RELAY_ID: o.spec.id,
        RELAY_SMTP_PORT: String(o.spec.smtpPort),
        RELAY_HTTP_PORT: String(o.spec.httpPort),
        RELAY_SOURCE_IP: o.spec.sourceIp,
        RELAY_DATABASE_URL: o.databaseUrl,
        RELAY_SECRET: o.secret,
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
