#!/usr/bin/env bash
# `npm test`: installs the project's own tools when missing (Temporal CLI for the dev
# server, the Java time-skipping test server, the Temporal server for the topology soak),
# then runs every jest project: unit, workflow (time-skipping server) and integration (embedded PostgreSQL, Temporal dev
# server, HTTP, SMTP). Extra arguments go to jest, e.g. `npm test -- --selectProjects unit`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ops/install-temporal-cli.sh
bash ops/install-test-server.sh
# The production server on PostgreSQL, for the topology's soak test (test/integration/topology-soak.test.ts,
# which says it is skipped where Go is missing and the server cannot be built).
bash ops/install-temporal-server.sh || echo "Temporal server not built: the topology soak test will say why"
echo "Type-checking..."
npx tsc --noEmit -p .
# Formatting (Prettier), typescript-eslint, import layers and cycles, routes without SQL (eslint.config.mjs; madge
# also sees cycles of type-only imports, which eslint skips).
echo "Linting..."
npm run --silent lint
# One test file at a time: the time-skipping server has 5 s to start, and 2 cores are plenty busy.
# All ~110 files share one process, whose heap grows past Node's default 4 GB limit (it ran out at file 96 of
# 110 once); 8 GB of this machine's 24 leaves the rest to the services the tests start.
NODE_OPTIONS="${NODE_OPTIONS:-} --max-old-space-size=8192" npx jest --runInBand "$@"
# In CI (and with TEST_DATES=1), the unit and workflow projects again with the whole process
# tree's clock faked to other days (ops/test-dates.sh): no test may depend on the day it runs.
if [ $# -eq 0 ] && { [ "${CI:-}" = "true" ] || [ "${TEST_DATES:-}" = "1" ]; }; then
  bash ops/test-dates.sh
fi
