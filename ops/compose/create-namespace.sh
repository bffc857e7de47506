#!/bin/sh
# Creates the app's namespace on the compose Temporal server (the server image creates
# none) and registers the project's search attributes. Safe to run again.
set -eu

ADDRESS=${TEMPORAL_ADDRESS:-temporal:7233}
NAMESPACE=${TEMPORAL_NAMESPACE:-default}
# Name=Type as lib/search-attributes.ts defines them (test/unit/compose.test.ts compares).
SEARCH_ATTRIBUTES="ClientId=Keyword BusinessStatus=Keyword DeadlineAt=Datetime TicketPriority=Keyword SupportLine=Int ReactionDueAt=Datetime ResolutionDueAt=Datetime SlaBreached=Bool"

# As Temporal's own compose sample does: dial the IPv4 address, the server binds 0.0.0.0.
host=${ADDRESS%:*}
port=${ADDRESS##*:}
ip=$(getent ahosts "$host" | awk '/STREAM/ && $1 ~ /^[0-9.]+$/ { print $1; exit }')
if [ -n "$ip" ]; then ADDRESS="$ip:$port"; fi

# The frontend answers before it serves every call, and a new namespace takes a few
# seconds to reach the server's caches: each step is retried.
retry() {
  attempt=1
  until "$@"; do
    if [ "$attempt" -ge 40 ]; then
      echo "Gave up after $attempt attempts: $*" >&2
      return 1
    fi
    attempt=$((attempt + 1))
    sleep 3
  done
}

ensure_namespace() {
  temporal operator namespace describe --address "$ADDRESS" -n "$NAMESPACE" >/dev/null 2>&1 ||
    temporal operator namespace create --address "$ADDRESS" -n "$NAMESPACE"
}

ensure_search_attribute() {
  temporal operator search-attribute list --address "$ADDRESS" -n "$NAMESPACE" | grep -qw "$1" ||
    temporal operator search-attribute create --address "$ADDRESS" -n "$NAMESPACE" --name "$1" --type "$2"
}

echo "Waiting for Temporal at $ADDRESS"
retry temporal operator cluster health --address "$ADDRESS"
retry ensure_namespace
for attribute in $SEARCH_ATTRIBUTES; do
  retry ensure_search_attribute "${attribute%%=*}" "${attribute#*=}"
done
echo "Namespace $NAMESPACE is ready with search attributes: $SEARCH_ATTRIBUTES"
