import { z } from 'zod';
import { parseDurationListMs, parseDurationMs } from '../domain/duration.js';

// The zod pieces every process's settings are built from (the service's config.ts, the relay's relay-config.ts), so a
// duration, a port or a list means the same thing in every environment variable.

const invalid = (ctx: z.RefinementCtx, err: unknown): typeof z.NEVER => {
  ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
  return z.NEVER;
};

/** A TCP port; 0 asks the OS for a free one (tests). */
export const port = z.coerce.number().int().min(0).max(65535);

/** An integer count of at least `min`. */
export const count = (min: number) => z.coerce.number().int().min(min);

/** Unset or blank → undefined (compose files write `VAR: ""` for "not set"). */
export const optional = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s.trim() === '' ? undefined : s));

/** "30s", "10m", "2d", "500ms" (a bare number is seconds) → milliseconds. */
export const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s, ctx) => {
      try {
        return parseDurationMs(s);
      } catch (err) {
        return invalid(ctx, err);
      }
    });

/**
 * A comma-separated list of durations ("1s,30s", a retry schedule) → milliseconds. `nonEmpty` refuses an empty list;
 * without it an empty list is left to the reader's own fallbacks.
 */
export const durationList = (fallback: string, o: { nonEmpty?: boolean } = {}) =>
  z
    .string()
    .default(fallback)
    .transform((s, ctx) => {
      try {
        const list = parseDurationListMs(s);
        if (o.nonEmpty && list.length === 0) throw new Error('duration list is empty');
        return list;
      } catch (err) {
        return invalid(ctx, err);
      }
    });

/**
 * A duration or duration list kept as the operator wrote it (the supervisor hands it on to relay processes), but
 * checked at start so a typo fails there rather than in a child process later.
 */
export const durationText = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .superRefine((s, ctx) => {
      try {
        if (parseDurationListMs(s).length === 0) throw new Error('duration list is empty');
      } catch (err) {
        invalid(ctx, err);
      }
    });

/** Splits a comma-separated list, trimming each item and dropping empty ones. */
export const splitList = (s: string): string[] =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');

/** A comma-separated list of ports. */
export const portList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s, ctx) => {
      try {
        return splitList(s).map((p) => port.parse(p));
      } catch {
        return invalid(ctx, new Error(`"${s}" is not a comma-separated list of ports`));
      }
    });

/** A comma-separated list of DNS names, lower-cased. */
export const nameList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s) => splitList(s).map((x) => x.toLowerCase()));

export const ipAddress = z.ipv4().or(z.ipv6());

/** A comma-separated list of IP addresses; every item must be one. */
export const ipList = z.string().transform((s, ctx) => {
  const list = splitList(s);
  for (const x of list)
    if (!ipAddress.safeParse(x).success) ctx.addIssue({ code: 'custom', message: `"${x}" is not an IP address` });
  return list;
});

/** `on` / `off`. */
export const onOff = (fallback: 'on' | 'off') => z.enum(['on', 'off']).default(fallback);

/** Log levels, least to most severe; `silent` writes nothing. */
export const logLevels = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];
export const logLevel = (fallback: LogLevel) => z.enum(logLevels).default(fallback);

/** Parses `env` with `schema`; on failure one error naming every bad variable. */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(lines);
  }
  return parsed.data;
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid configuration:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}
