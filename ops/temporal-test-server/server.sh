#!/usr/bin/env bash
# Temporal's Java time-skipping test server, run from the classpath that
# ops/install-test-server.sh resolved. @temporalio/testing starts this file as an
# `existing-path` executable with `<port>` and the test's extra arguments. `exec` keeps the
# JVM the direct child, so the SDK's teardown (SIGKILL to its child) leaves nothing behind.
#
# `--start-at=<ISO instant>`: the server's clock starts at that instant instead of the real
# time (the JVM runs under libfaketime, Debian's `libfaketime`), so a workflow test's
# calendar scenario is the same on whatever day it runs. Time skipping moves it forward as usual.
#
# The JVM options favour start-up time (core gives the server 5 s to answer; measured
# here: ready in about 1.5 s on 2 cores, so class-data sharing is not needed).
set -euo pipefail
D="$(cd "$(dirname "$0")/../.." && pwd)/.tools/temporal-test-server"
args=()
start_at=""
for arg in "$@"; do
  case "$arg" in
    --start-at=*) start_at="${arg#--start-at=}" ;;
    *) args+=("$arg") ;;
  esac
done
if [ -n "$start_at" ]; then
  lib=$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 2>/dev/null | head -n1 || true)
  if [ -z "$lib" ]; then
    echo "server.sh: --start-at needs libfaketime (Debian: apt-get install faketime)" >&2
    exit 1
  fi
  # libfaketime's absolute start ("@"): the clock starts there and runs at normal speed.
  export TZ=UTC LD_PRELOAD="$lib" FAKETIME="@$(date -u -d "$start_at" '+%Y-%m-%d %H:%M:%S')"
  unset FAKETIME_SHARED FAKETIME_TIMESTAMP_FILE FAKETIME_NO_CACHE FAKETIME_START_AFTER_SECONDS 2>/dev/null || true
fi
exec java -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
  -cp "$D/lib/*" io.temporal.testserver.TestServer "${args[@]}"
