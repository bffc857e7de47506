#!/bin/sh
# Temporal's Java time-skipping test server, run from the classpath that
# ops/install-test-server.sh resolved. @temporalio/testing starts this file as an
# `existing-path` executable with `<port>` as its only argument. `exec` keeps the JVM
# the direct child, so the SDK's teardown (SIGKILL to its child) leaves nothing behind.
# The JVM options favour start-up time (core gives the server 5 s to answer; measured
# here: ready in about 1.5 s on 2 cores, so class-data sharing is not needed).
D="$(cd "$(dirname "$0")/../.." && pwd)/.tools/temporal-test-server"
exec java -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
  -cp "$D/lib/*" io.temporal.testserver.TestServer "$@"
