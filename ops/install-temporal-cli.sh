#!/usr/bin/env bash
# Makes .tools/bin/temporal a Temporal CLI v1.5.1 (its `server start-dev` runs Temporal
# with the Web UI). Idempotent; tries, in order:
#   1. .tools/bin/temporal already installed by this script;
#   2. a `temporal` on PATH of that version (linked);
#   3. `go install github.com/temporalio/cli/cmd/temporal@v1.5.1` when Go is present;
#   4. the official release archive (needs internet and curl).
# Later CLI tags cannot be `go install`ed (they use a `replace` directive).
set -euo pipefail
cd "$(dirname "$0")/.."
source ops/tools.env
BIN=.tools/bin
TARGET=$BIN/temporal
STAMP=$BIN/temporal.version
mkdir -p "$BIN"

if [ -x "$TARGET" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$TEMPORAL_CLI_VERSION" ]; then
  exit 0
fi

matches_version() { # a CLI built by go install says 0.0.0-DEV but names its server
  local out; out=$("$1" --version 2>/dev/null) || return 1
  [[ "$out" == *"version $TEMPORAL_CLI_VERSION "* || "$out" == *"Server $TEMPORAL_CLI_SERVER_VERSION,"* ]]
}

if command -v temporal >/dev/null 2>&1 && matches_version "$(command -v temporal)"; then
  ln -sf "$(command -v temporal)" "$TARGET"
  echo "$TEMPORAL_CLI_VERSION" > "$STAMP"
  echo "Temporal CLI: using $(command -v temporal)"
  exit 0
fi

if command -v go >/dev/null 2>&1; then
  echo "Temporal CLI: building v$TEMPORAL_CLI_VERSION with go install (a few minutes the first time)..."
  GOBIN="$PWD/$BIN" GOFLAGS="${GOFLAGS:-} -buildvcs=false" \
    go install "github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION"
  matches_version "$TARGET" || { echo "Temporal CLI: the built binary does not report v$TEMPORAL_CLI_VERSION" >&2; exit 1; }
  echo "$TEMPORAL_CLI_VERSION" > "$STAMP"
  exit 0
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) PLATFORM=linux_amd64 ;; Linux-aarch64) PLATFORM=linux_arm64 ;;
  Darwin-x86_64) PLATFORM=darwin_amd64 ;; Darwin-arm64) PLATFORM=darwin_arm64 ;;
  *) PLATFORM="" ;;
esac
if [ -n "$PLATFORM" ] && command -v curl >/dev/null 2>&1; then
  URL="https://github.com/temporalio/cli/releases/download/v$TEMPORAL_CLI_VERSION/temporal_cli_${TEMPORAL_CLI_VERSION}_${PLATFORM}.tar.gz"
  echo "Temporal CLI: downloading $URL"
  TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
  if curl -fsSL "$URL" -o "$TMP/cli.tgz" && tar -xzf "$TMP/cli.tgz" -C "$TMP" temporal; then
    mv "$TMP/temporal" "$TARGET"; chmod +x "$TARGET"
    echo "$TEMPORAL_CLI_VERSION" > "$STAMP"
    exit 0
  fi
fi

cat >&2 <<MSG
Temporal CLI v$TEMPORAL_CLI_VERSION is needed to run the Temporal dev server, and none could be set up.
Install one of:
  - Go >= 1.25 (then this script runs: go install github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION),
  - the Temporal CLI v$TEMPORAL_CLI_VERSION on PATH (https://docs.temporal.io/cli),
or set TEMPORAL_ADDRESS to a Temporal server you run yourself.
MSG
exit 1
