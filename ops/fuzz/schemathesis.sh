#!/usr/bin/env bash
# Fuzzes the back office's HTTP API with Schemathesis (issue #19): starts the whole stack as `npm start` does
# (embedded PostgreSQL, the Temporal dev server, the API and the worker) on free ports and a throw-away data
# folder, makes a staff token (every role) and a client token (scopes cabinet + station), then runs Schemathesis
# against /docs/json once with each token. Checks: no server error (5xx) and only status codes the OpenAPI
# document declares. Prints, per token and in total, the number of generated cases and of failures; exits 1
# when any failed.
#
#   bash ops/fuzz/schemathesis.sh                   # defaults below
#   FUZZ_MAX_EXAMPLES=50 bash ops/fuzz/schemathesis.sh --include-path-regex '^/client/'   # extra args → schemathesis
#
# Settings (environment): FUZZ_VENV (the Python venv, made when missing; default /tmp/ismet-fuzz-venv),
# FUZZ_DIR (logs, reports and the stack's data; default a new /tmp/ismet-fuzz.XXXX), FUZZ_MAX_EXAMPLES (per
# operation, default 25), FUZZ_WORKERS (default 2), FUZZ_SEED (reproducible runs), FUZZ_CHECKS
# (default not_a_server_error,status_code_conformance).
set -euo pipefail
cd "$(dirname "$0")/../.."

SCHEMATHESIS_VERSION=4.32.5
VENV=${FUZZ_VENV:-/tmp/ismet-fuzz-venv}
WORK=${FUZZ_DIR:-$(mktemp -d /tmp/ismet-fuzz.XXXX)}
MAX_EXAMPLES=${FUZZ_MAX_EXAMPLES:-25}
WORKERS=${FUZZ_WORKERS:-2}
CHECKS=${FUZZ_CHECKS:-not_a_server_error,status_code_conformance}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  echo "Schemathesis $SCHEMATHESIS_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "schemathesis==$SCHEMATHESIS_VERSION"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# The stack on embedded defaults, on its own ports and data folder (a running `npm start` is left alone).
export DATA_DIR="$WORK/data"
export PORT=$(free_port) EMBEDDED_PG_PORT=$(free_port) TEMPORAL_DEV_PORT=$(free_port) TEMPORAL_UI_PORT=$(free_port)
export SUPPORT_SMTP_PORT=0 LOG_LEVEL=${LOG_LEVEL:-warn}
# The fuzzer sends thousands of requests from one address with one token: limits far above its pace.
export RATE_LIMIT_PUBLIC_PER_MINUTE=${RATE_LIMIT_PUBLIC_PER_MINUTE:-1000000}
export RATE_LIMIT_TOKEN_PER_MINUTE=${RATE_LIMIT_TOKEN_PER_MINUTE:-1000000}
unset DATABASE_URL TEMPORAL_ADDRESS SMTP_URL
BASE="http://127.0.0.1:$PORT"

bash ops/install-temporal-cli.sh
echo "Starting the back office at $BASE (data and logs in $WORK)"
# tsx itself (not through npx), so that SIGTERM reaches ops/start.ts, which stops the API, the worker, Temporal
# and PostgreSQL in that order (a background job ignores SIGINT).
node_modules/.bin/tsx ops/start.ts >"$WORK/app.log" 2>&1 &
APP_PID=$!
stop_app() {
  if kill -0 "$APP_PID" 2>/dev/null; then
    kill -TERM "$APP_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 1; done
    kill -KILL "$APP_PID" 2>/dev/null || true
  fi
}
trap stop_app EXIT

for _ in $(seq 1 180); do
  if curl -fsS "$BASE/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$APP_PID" 2>/dev/null; then
    echo "The back office did not start:" >&2
    tail -n 40 "$WORK/app.log" >&2
    exit 2
  fi
  sleep 1
done
curl -fsS "$BASE/ready" >/dev/null

eval "$(node_modules/.bin/tsx ops/fuzz/tokens.ts | grep -E '^(STAFF|CLIENT)_TOKEN=')"

TOTAL_CASES=0
TOTAL_FAILURES=0
TOTAL_ERRORS=0
STATUS=0
SUMMARY=""
for who in staff client; do
  if [ "$who" = staff ]; then token=$STAFF_TOKEN; else token=$CLIENT_TOKEN; fi
  out="$WORK/schemathesis-$who.txt"
  echo "Schemathesis with the $who token…"
  set +e
  # From $WORK: Schemathesis keeps its cache (.schemathesis/) in the current folder.
  (cd "$WORK" && "$VENV/bin/schemathesis" run "$BASE/docs/json" \
    --url "$BASE" \
    --checks "$CHECKS" \
    --header "Authorization: Bearer $token" \
    --max-examples "$MAX_EXAMPLES" \
    --workers "$WORKERS" \
    --request-timeout 20 \
    --suppress-health-check all \
    --generation-database none \
    ${FUZZ_SEED:+--seed "$FUZZ_SEED"} \
    --report junit --report-dir "$WORK/report-$who" \
    --no-color "$@") >"$out" 2>&1
  code=$?
  set -e
  [ "$code" -ne 0 ] && STATUS=1
  # Schemathesis's summary: "Test cases:" then "  N generated, M found K unique failures" (or "N passed").
  cases=$(grep -A1 '^Test cases:' "$out" | grep -oE '[0-9]+ generated' | grep -oE '^[0-9]+' || echo 0)
  # The last line: "=== 10 failures, 1 error, 4 warnings in 65.98s ===" (no count: none).
  last=$(grep -E '^=+ .* in [0-9.]+s =+$' "$out" | tail -n 1 || true)
  failures=$(grep -oE '[0-9]+ failures?' <<<"$last" | grep -oE '^[0-9]+' || echo 0)
  errors=$(grep -oE '[0-9]+ errors?' <<<"$last" | grep -oE '^[0-9]+' || echo 0)
  TOTAL_ERRORS=$((TOTAL_ERRORS + errors))
  TOTAL_CASES=$((TOTAL_CASES + cases))
  TOTAL_FAILURES=$((TOTAL_FAILURES + failures))
  SUMMARY+="$who token: $cases cases, $failures failures, $errors errors (exit $code; output $out)"$'\n'
  tail -n 25 "$out"
done

echo
echo "=== Schemathesis summary ($CHECKS; max $MAX_EXAMPLES examples per operation) ==="
printf '%s' "$SUMMARY"
echo "total: $TOTAL_CASES cases, $TOTAL_FAILURES failures, $TOTAL_ERRORS errors"
exit $STATUS
