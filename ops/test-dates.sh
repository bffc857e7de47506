#!/usr/bin/env bash
# The unit and workflow projects with the clock of the whole process tree (Node, PostgreSQL,
# the Java test server) faked by libfaketime to other days: a test that depends on the day
# it runs fails here. Dates are UTC instants; with no arguments, the four of issue #13:
# New Year's Eve 23:30 Astana (the operator's month and year turn before UTC's), a
# mid-year day past the bundled calendar's last official year, a leap-year 1 March, and 2030.
# Extra jest arguments after `--`, e.g. `bash ops/test-dates.sh '2028-03-01 04:00:00' -- -t calendar`.
set -euo pipefail
cd "$(dirname "$0")/.."
dates=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do dates+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
[ ${#dates[@]} -gt 0 ] || dates=('2026-12-31 18:30:00' '2027-06-01 06:00:00' '2028-03-01 04:00:00' '2030-01-01 00:00:00')
command -v faketime >/dev/null || { echo "ops/test-dates.sh needs libfaketime (Debian: apt-get install faketime)" >&2; exit 1; }
bash ops/install-test-server.sh
# libfaketime's wrapper names the semaphore and memory it shares with its children after its PID
# (/dev/shm/sem.faketime_sem_<pid>, faketime_shm_<pid>) and leaves them behind when a run is killed;
# a later wrapper given the same PID then cannot share them ("ft_shm_init … sem_open failed").
clean_stale_faketime() {
  local f pid
  for f in /dev/shm/sem.faketime_sem_* /dev/shm/faketime_shm_*; do
    [ -e "$f" ] || continue
    pid=${f##*_}
    kill -0 "$pid" 2>/dev/null || rm -f "$f" 2>/dev/null || true
  done
}
failed=()
for at in "${dates[@]}"; do
  clean_stale_faketime
  echo "=== unit and workflow tests with the clock at $at UTC"
  # faketime shares one start among the processes it starts (FAKETIME_SHARED), so Node, PostgreSQL
  # and the test server agree on "now"; a workflow test that pins its server's clock overrides it.
  if ! TZ=UTC faketime -f "@$at" npx jest --runInBand --selectProjects unit workflow "$@"; then
    failed+=("$at")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "Faked-date runs failed at: ${failed[*]}" >&2
  exit 1
fi
echo "Faked-date runs passed at: ${dates[*]}"
