import { spawn, type ChildProcess } from 'node:child_process';

/** Starts a TypeScript entry point as its own OS process (so a test can kill it with -9, as a crash would). */
export function spawnTs(entry: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Drain output so a chatty child never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

/** Waits until the child prints a JSON log line with the given event, or fails if it exits first. */
export function waitForLogEvent(child: ChildProcess, event: string, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    const onData = (d: Buffer): void => {
      buffered += d.toString();
      if (buffered.includes(`"event":"${event}"`)) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve();
      }
      if (buffered.length > 100_000) buffered = buffered.slice(-1000);
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited (${code}) before ${event}`));
    });
  });
}

export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
