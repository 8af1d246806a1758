// One JSON line per event so ops can follow one message (messageId field) across ingress, worker and relays.
// Secrets never go through here: callers pass ids, never passwords or keys.
export type LogFields = Record<string, unknown>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const levelOrder = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = keyof typeof levelOrder;

function threshold(): number {
  const wanted = (process.env.LOG_LEVEL ?? 'info') as Level;
  return levelOrder[wanted] ?? levelOrder.info;
}

export function createLogger(base: LogFields = {}): Logger {
  const write = (level: Exclude<Level, 'silent' | 'debug'>, event: string, fields?: LogFields): void => {
    if (levelOrder[level] < threshold()) return;
    const line = JSON.stringify({ t: new Date().toISOString(), level, event, ...base, ...fields }, errorReplacer);
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
