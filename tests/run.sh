#!/usr/bin/env bash
# The project's one test command (README: "bash tests/run.sh"); CI runs exactly this.
# It installs what the tests need when it is missing, builds once with warnings as errors (run.d/07-build.sh), runs every test project
# against a real (throwaway) PostgreSQL, and ends with one "N passed, N failed, N skipped" line.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { sudo_if_needed apt-get update -qq; apt_updated=1; }
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null && [ -z "${KNOWITALL_PG_BIN:-}" ] && [ -z "${KNOWITALL_TEST_DB:-}" ]; then
  echo "PostgreSQL binaries missing: installing postgresql with apt"
  apt_install postgresql
fi
compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || [ -n "${KNOWITALL_PG_BIN:-}" ] || [ -n "${KNOWITALL_TEST_DB:-}" ] \
  || { echo "error: no PostgreSQL binaries and no KNOWITALL_TEST_DB: the engine tests need a real PostgreSQL" >&2; exit 1; }

# The test servers take their shared memory in huge pages when this machine lets the run reserve them (as root, as CI runs,
# with 8 GiB or more): on a virtual machine each backend's first touch of a 4 KiB page of shared buffers is a page fault
# through the hypervisor, and the engine's acceptance cases ran 13% faster with 2 MiB pages. The servers ask with PostgreSQL's default
# huge_pages=try, so without the reservation nothing changes. The previous reservation is restored at exit.
hugepages_before=""
memory_kib=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo 2>/dev/null || echo 0)
if [ "$(id -u)" -eq 0 ] && [ -z "${KNOWITALL_TEST_DB:-}" ] && [ -w /proc/sys/vm/nr_hugepages ] && [ "${memory_kib:-0}" -ge 8000000 ]; then
  hugepages_before=$(cat /proc/sys/vm/nr_hugepages)
  # Four servers at once at most (engine, CLI, functions tests and the CLI's own throwaway one), about 75 pages each.
  if [ "$hugepages_before" -lt 320 ] && { echo 320 >/proc/sys/vm/nr_hugepages; } 2>/dev/null; then
    echo "reserved $(cat /proc/sys/vm/nr_hugepages) huge pages of 2 MiB for the test servers (was $hugepages_before; restored at exit)"
  else
    hugepages_before=""
  fi
fi
# shellcheck disable=SC2317  # called by the EXIT trap
restore_hugepages() { if [ -n "$hugepages_before" ]; then echo "$hugepages_before" >/proc/sys/vm/nr_hugepages; fi; }

# A part may start a long step that the parts after it do not need with `in_background NAME COMMAND...` (the Native AOT
# publish): it runs beside them, and the tests start once it has finished. One that failed fails the run, with its output.
background_pids=()
background_names=()
background_logs=()
# shellcheck disable=SC2317  # called by the parts sourced below
in_background() {
  local name=$1 log
  shift
  log=$(mktemp)
  "$@" >"$log" 2>&1 &
  background_pids+=("$!")
  background_names+=("$name")
  background_logs+=("$log")
}
wait_background() {
  local i failed=0
  for i in "${!background_pids[@]}"; do
    if wait "${background_pids[$i]}"; then
      echo "${background_names[$i]}: done"
    else
      echo "error: ${background_names[$i]} failed:" >&2
      cat "${background_logs[$i]}" >&2
      failed=1
    fi
    rm -f "${background_logs[$i]}"
  done
  background_pids=()
  return "$failed"
}
# A step still running when the run stops early (a check before the tests failed) is stopped with what it started.
# shellcheck disable=SC2317  # called by the EXIT trap
stop_tree() {
  local child
  for child in $(pgrep -P "$1"); do stop_tree "$child"; done
  kill "$1" 2>/dev/null || true
}
results=""
# shellcheck disable=SC2317  # called by the EXIT trap
on_exit() {
  local pid
  for pid in "${background_pids[@]}"; do stop_tree "$pid"; done
  rm -f "${background_logs[@]}"
  [ -z "$results" ] || rm -rf "$results"
  restore_hugepages
}
trap on_exit EXIT

for extra in tests/run.d/*.sh; do
  [ -e "$extra" ] || continue
  # Each part's own prerequisites and checks (npm tools for the state machine, cfn-lint for the templates, ...).
  # shellcheck source=/dev/null
  source "$extra"
done

wait_background

results=$(mktemp -d)
set +e
dotnet test KnowItAll.Workflow.sln -c Release --no-build --logger "trx" --results-directory "$results" 2>&1 | tee "$results/console.log"
status=${PIPESTATUS[0]}
set -e

python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for trx in glob.glob(sys.argv[1] + "/*.trx"):
    counters = ET.parse(trx).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(counters.get("passed")); failed += int(counters.get("failed")) + int(counters.get("error"))
    skipped += int(counters.get("notExecuted"))
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
PY
exit "$status"
