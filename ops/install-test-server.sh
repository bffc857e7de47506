#!/usr/bin/env bash
# Resolves Temporal's Java time-skipping test server (io.temporal:temporal-test-server,
# version pinned in ops/tools.env) and its runtime classpath into
# .tools/temporal-test-server/lib with Maven. ops/temporal-test-server/server.sh runs it.
# Idempotent: a stamp file records the resolved version.
set -euo pipefail
cd "$(dirname "$0")/.."
source ops/tools.env
DIR=.tools/temporal-test-server
STAMP=$DIR/version
# Dated scenarios start the server's clock at their instant under libfaketime (server.sh --start-at).
if ! command -v faketime >/dev/null 2>&1; then
  echo "The workflow tests need libfaketime to pin the test server's clock (Debian: apt-get install faketime)." >&2
  exit 1
fi
if [ -d "$DIR/lib" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$TEMPORAL_TEST_SERVER_VERSION" ]; then
  exit 0
fi
missing=()
command -v java >/dev/null 2>&1 || missing+=("a Java runtime (JDK/JRE 8 or newer)")
command -v mvn >/dev/null 2>&1 || missing+=("Apache Maven 3")
if [ ${#missing[@]} -gt 0 ]; then
  printf 'The time-skipping Temporal test server (workflow tests) needs: %s.\n' "${missing[*]}" >&2
  echo "Install them (Debian: apt-get install default-jdk-headless maven faketime) and run npm test again." >&2
  exit 1
fi
echo "Temporal test server: resolving io.temporal:temporal-test-server:$TEMPORAL_TEST_SERVER_VERSION with Maven..."
rm -rf "$DIR/lib"
mvn -q -B -f ops/temporal-test-server/pom.xml \
  -Dtemporal.version="$TEMPORAL_TEST_SERVER_VERSION" \
  dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$PWD/$DIR/lib"
ls "$DIR/lib"/temporal-test-server-*.jar >/dev/null
echo "$TEMPORAL_TEST_SERVER_VERSION" > "$STAMP"
