#!/usr/bin/env bash
# Makes .tools/bin/temporal-server and .tools/bin/temporal-sql-tool the Temporal server and its
# SQL schema tool at the version the CLI embeds (ops/tools.env), and copies the server's
# PostgreSQL schema to .tools/temporal-server/schema/postgresql/v12 — what ops/topology/ runs:
# the real server (not the dev server) on PostgreSQL, as docker-compose.yml deploys it.
# Idempotent (a version stamp); tries, in order:
#   1. binaries already installed by this script at that version;
#   2. `go install go.temporal.io/server/cmd/server@vX` and `.../cmd/tools/sql@vX` (Go >= 1.25);
# the schema comes from the same module in Go's module cache.
set -euo pipefail
cd "$(dirname "$0")/.."
source ops/tools.env
VERSION=${TEMPORAL_SERVER_VERSION:-$TEMPORAL_CLI_SERVER_VERSION}
BIN=.tools/bin
SERVER=$BIN/temporal-server
SQL_TOOL=$BIN/temporal-sql-tool
SHARE=.tools/temporal-server
STAMP=$SHARE/version
SCHEMA=$SHARE/schema/postgresql/v12
mkdir -p "$BIN" "$SHARE"

reports_version() { # both print "<name> version X.Y.Z"
  local out
  out=$("$1" --version 2>/dev/null) || return 1
  [[ "$out" == *" version $VERSION"* ]]
}

installed() {
  [ -x "$SERVER" ] && [ -x "$SQL_TOOL" ] && [ -f "$SCHEMA/temporal/versioned/v1.0/manifest.json" ] &&
    [ -f "$SCHEMA/visibility/versioned/v1.0/manifest.json" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$VERSION" ]
}

if installed; then
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<MSG
The Temporal server v$VERSION and its SQL tool are built with Go, which is not installed.
Install Go >= 1.25 and run this script again (bash ops/install-temporal-server.sh); it runs
  go install go.temporal.io/server/cmd/server@v$VERSION
  go install go.temporal.io/server/cmd/tools/sql@v$VERSION
MSG
  exit 1
fi

# go install names a binary after its package folder (server, sql): build into a folder of our own,
# then give them the names the Temporal images use.
BUILD=$SHARE/build
mkdir -p "$BUILD"
echo "Temporal server: building v$VERSION and its SQL tool with go install (several minutes the first time)..."
GOBIN="$PWD/$BUILD" GOFLAGS="${GOFLAGS:-} -buildvcs=false" \
  go install "go.temporal.io/server/cmd/server@v$VERSION" "go.temporal.io/server/cmd/tools/sql@v$VERSION"
reports_version "$BUILD/server" || { echo "Temporal server: the built binary does not report v$VERSION" >&2; exit 1; }
reports_version "$BUILD/sql" || { echo "Temporal SQL tool: the built binary does not report v$VERSION" >&2; exit 1; }
mv -f "$BUILD/server" "$SERVER"
mv -f "$BUILD/sql" "$SQL_TOOL"
rmdir "$BUILD" 2>/dev/null || true

MODULE="$(go env GOMODCACHE)/go.temporal.io/server@v$VERSION"
if [ ! -d "$MODULE/schema/postgresql/v12" ]; then
  # go install leaves the module in the cache; download it if a clean-up took it away.
  MODULE=$(cd "$SHARE" && go mod download -json "go.temporal.io/server@v$VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
fi
[ -d "$MODULE/schema/postgresql/v12" ] || {
  echo "Temporal server: schema/postgresql/v12 not found in the module go.temporal.io/server@v$VERSION" >&2
  exit 1
}
rm -rf "$SCHEMA"
mkdir -p "$(dirname "$SCHEMA")"
cp -R "$MODULE/schema/postgresql/v12" "$SCHEMA"
chmod -R u+w "$SCHEMA" # the module cache is read-only
echo "$VERSION" >"$STAMP"
echo "Temporal server v$VERSION: $SERVER, $SQL_TOOL, schema in $SCHEMA"
