#!/usr/bin/env bash
# Fuzzes the REST API from its own OpenAPI document (test/api/api-fuzz.test.ts, also part of `npm test`): starts a real
# stack (PostgreSQL, Temporal, the three roles) and points schemathesis at its /openapi.json with the admin key. Fails
# on any 5xx or any answer the document does not describe. API_FUZZ_EXAMPLES (default 25) sets the examples per
# operation; API_FUZZ_PRINT=1 prints schemathesis's report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/test-setup.sh
exec npx tsx scripts/run-tests.ts test/api/api-fuzz
