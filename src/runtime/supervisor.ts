// Keeps one child process of `npm start` (Temporal dev server, embedded PostgreSQL) running: when it ends on its own
// it is started again through the same start function (same port, same data folder) after the pause that
// src/domain/restart-policy.ts decides. Once stopping has begun nothing is restarted.
import type { Logger } from '../log.js';
import {
  decideRestart,
  defaultRestartPolicy,
  type RestartPolicy,
  type RestartState,
} from '../domain/restart-policy.js';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** What a start function returns: a running child, a promise settled when it ends, and an orderly stop. */
export interface SupervisedChild {
  pid: number | undefined;
  exited: Promise<ChildExit>;
  stop(): Promise<void>;
}

export interface Supervisor<T extends SupervisedChild> {
  /** The running child, or undefined while it is down (between a crash and its restart). */
  current(): T | undefined;
  isUp(): boolean;
  /** No restarts from now on; what runs keeps running until stop(). Called first thing on shutdown. */
  hold(): void;
  /** Holds, cancels a pending restart, and stops the child (waiting for one being started right now). */
  stop(): Promise<void>;
}

/**
 * Starts the child once (a failure of this first start is thrown to the caller, as a start-up error) and then watches
 * it. `name` appears in the log lines and in readiness (`/readyz` lists it as down while it is restarting).
 */
export async function supervise<T extends SupervisedChild>(o: {
  name: string;
  start: () => Promise<T>;
  log: Logger;
  policy?: RestartPolicy;
}): Promise<Supervisor<T>> {
  const policy = o.policy ?? defaultRestartPolicy;
  let child: T | undefined = await o.start();
  let upSince = Date.now();
  let state: RestartState = { failures: 0 };
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let starting: Promise<void> | undefined;

  const schedule = (event: { upForMs?: number }, detail: Record<string, unknown>): void => {
    const r = decideRestart(state, { stopping, ...event }, policy);
    state = r.state;
    if (r.decision.action !== 'restart') return;
    o.log.warn(event.upForMs === undefined ? 'supervisor.restart_failed' : 'supervisor.child_exited', {
      service: o.name,
      ...detail,
      attempt: r.decision.attempt,
      restartInMs: r.decision.delayMs,
    });
    timer = setTimeout(() => {
      timer = undefined;
      if (!stopping) starting = restart();
    }, r.decision.delayMs);
  };

  const restart = async (): Promise<void> => {
    try {
      const c = await o.start();
      if (stopping) {
        await c.stop();
        return;
      }
      child = c;
      upSince = Date.now();
      o.log.info('supervisor.child_restarted', { service: o.name, pid: c.pid, attempt: state.failures });
      watch(c);
    } catch (err) {
      schedule({}, { error: err instanceof Error ? err.message : String(err) });
    } finally {
      starting = undefined;
    }
  };

  const watch = (c: T): void => {
    void c.exited.then((exit) => {
      if (child !== c) return;
      child = undefined;
      if (stopping) return;
      schedule({ upForMs: Date.now() - upSince }, { pid: c.pid, code: exit.code, signal: exit.signal });
    });
  };
  watch(child);

  const hold = (): void => {
    stopping = true;
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  return {
    current: () => child,
    isUp: () => child !== undefined,
    hold,
    stop: async () => {
      hold();
      await starting;
      const c = child;
      child = undefined;
      await c?.stop();
    },
  };
}
