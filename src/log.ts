// One JSON line per event so ops can follow one message (messageId field) across ingress, worker and relays.
// Secrets never go through here: callers pass ids, never passwords or keys.
import { logLevelFromEnv } from './config/logging.js';
import type { LogLevel } from './config/env-parsers.js';

export type LogFields = Record<string, unknown>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const levelOrder: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** The process's threshold: set by configureLogging() at start; until then LOG_LEVEL from the environment (read once). */
let threshold: number | undefined;

/** Applies the configured log level to every logger of this process (called once by each entry point after loading its config). */
export function configureLogging(config: { LOG_LEVEL: LogLevel }): void {
  threshold = levelOrder[config.LOG_LEVEL];
}

export function createLogger(base: LogFields = {}): Logger {
  const write = (level: Exclude<LogLevel, 'silent' | 'debug'>, event: string, fields?: LogFields): void => {
    threshold ??= levelOrder[logLevelFromEnv()];
    if (levelOrder[level] < threshold) return;
    // A field named like one of the line's own keys never replaces it (the order of keys stays t, level, event, …).
    const line = JSON.stringify(
      Object.assign({ t: new Date().toISOString(), level, event }, base, fields, { level, event }),
      errorReplacer,
    );
    (level === 'info' ? process.stdout : process.stderr).write(line + '\n');
  };
  return {
    info: (e, f) => write('info', e, f),
    warn: (e, f) => write('warn', e, f),
    error: (e, f) => write('error', e, f),
    child: (fields) => createLogger({ ...base, ...fields }),
  };
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}
