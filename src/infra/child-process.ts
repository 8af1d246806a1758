import type { ChildProcess } from 'node:child_process';

export type ChildExit = { code: number | null; signal: NodeJS.Signals | null };

/** A server process the service started: its exit, signals that ignore "already gone", and a stop with a deadline. */
export interface WatchedChild {
  exit: Promise<ChildExit>;
  hasExited(): boolean;
  signal(sig: NodeJS.Signals): void;
  /** Sends `gentle`, then `force` if the child is still there after `forceAfterMs`; resolves when it has exited. */
  stop(gentle: NodeJS.Signals, force: NodeJS.Signals, forceAfterMs: number): Promise<void>;
}

/** `group`: signal the child's whole process group (a child spawned detached that runs its own children). */
export function watchChild(child: ChildProcess, group = false): WatchedChild {
  let exited = false;
  const exit = new Promise<ChildExit>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      resolve({ code, signal });
    }),
  );
  const signal = (sig: NodeJS.Signals): void => {
    try {
      if (group && child.pid) process.kill(-child.pid, sig);
      else child.kill(sig);
    } catch {
      // Already gone.
    }
  };
  return {
    exit,
    hasExited: () => exited,
    signal,
    stop: async (gentle, force, forceAfterMs) => {
      if (exited) return;
      signal(gentle);
      const timer = setTimeout(() => signal(force), forceAfterMs);
      await exit;
      clearTimeout(timer);
    },
  };
}
