#!/usr/bin/env bash
# The benchmark compares against Debian's Postfix (and drives load with its smtp-source): install it if missing.
set -euo pipefail
if ! command -v smtp-source >/dev/null 2>&1 || ! command -v postfix >/dev/null 2>&1; then
  echo '{"event":"setup.postfix","msg":"installing Debian postfix for the benchmark"}'
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null
fi
