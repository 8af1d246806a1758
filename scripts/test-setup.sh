#!/usr/bin/env bash
# Installs the tools only the test suite needs, on top of scripts/setup.sh: schemathesis (PyPI) into a project-local
# venv for the API fuzz test, and Debian's chromium for the console's browser test. Idempotent and quiet when there
# is nothing to do.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
FUZZ_VENV=.tools/fuzz-venv
if [ "$("$FUZZ_VENV/bin/st" --version 2>/dev/null)" != "st, version $SCHEMATHESIS_VERSION" ]; then
  echo '{"event":"setup.schemathesis","msg":"installing schemathesis from PyPI"}'
  python3 -m venv "$FUZZ_VENV"
  "$FUZZ_VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# The web console's browser test drives Debian's chromium (through puppeteer-core, which downloads no browser).
if ! command -v chromium >/dev/null; then
  echo '{"event":"setup.chromium","msg":"installing chromium from Debian"}'
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
