import { z } from 'zod';
import { LOG_LEVEL } from './defaults.js';
import { logLevel, type LogLevel } from './env-parsers.js';

/**
 * The log level a process starts with, before its configuration is loaded (and for code that logs without one, such
 * as scripts and test helpers): LOG_LEVEL from the environment, read once; an invalid value means the default.
 */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const parsed = z.object({ LOG_LEVEL: logLevel(LOG_LEVEL) }).safeParse(env);
  return parsed.success ? parsed.data.LOG_LEVEL : LOG_LEVEL;
}
