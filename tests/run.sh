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

# The test servers take their shared memory in huge pages when this machine lets the run reserve them (as root, as CI runs):
# on a virtual machine each backend's first touch of a 4 KiB page of shared buffers is a page fault through the hypervisor,
# and the engine's acceptance cases ran 13% faster with 2 MiB pages. The servers ask with PostgreSQL's default
# huge_pages=try, so without the reservation nothing changes. The previous reservation is restored at exit.
hugepages_before=""
memory_kib=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo 2>/dev/null || echo 0)
if [ "$(id -u)" -eq 0 ] && [ -z "${KNOWITALL_TEST_DB:-}" ] && [ -w /proc/sys/vm/nr_hugepages ] && [ "${memory_kib:-0}" -ge 8000000 ]; then
  hugepages_before=$(cat /proc/sys/vm/nr_hugepages)
  # About 75 pages a server (128 MB of shared buffers); up to six run at once (the engine's, the CLI's and the functions'
  # tests, the schema-lock check's and the CLI tests' own throwaway ones). One that finds none left uses ordinary pages.
  if [ "$hugepages_before" -lt 450 ] && { echo 450 >/proc/sys/vm/nr_hugepages; } 2>/dev/null; then
    echo "reserved $(cat /proc/sys/vm/nr_hugepages) huge pages of 2 MiB for the test servers (was $hugepages_before; restored at exit)"
  else
    hugepages_before=""
  fi
fi
# shellcheck disable=SC2317  # called by the EXIT trap
restore_hugepages() { if [ -n "$hugepages_before" ]; then echo "$hugepages_before" >/proc/sys/vm/nr_hugepages; fi; }
trap restore_hugepages EXIT

results=$(mktemp -d)
export KNOWITALL_TEST_RESULTS="$results"

# The parts under tests/run.d: those numbered below 10 are sourced first, in order (prerequisites, formatting, shellcheck,
# the build); those from 10 on are checks that run the built code, each its own process beside the tests (the Native AOT
# publish and the functions' tests after it, the schema lock, the ASL tools, moto parity). Each background part has its
# own process group: the run stops them when it stops. One that failed fails the run, with its output.
background_pids=()
background_names=()
background_logs=()
in_background() {
  local name=$1 log
  shift
  log=$(mktemp)
  setsid "$@" >"$log" 2>&1 &
  background_pids+=("$!")
  background_names+=("$name")
  background_logs+=("$log")
}
wait_background() {
  local i failed=0
  for i in "${!background_pids[@]}"; do
    if wait "${background_pids[$i]}"; then
      echo "== ${background_names[$i]}: passed"
      cat "${background_logs[$i]}"
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
# shellcheck disable=SC2317  # called by the EXIT trap
stop_background() {
  local pid
  for pid in "${background_pids[@]}"; do kill -- "-$pid" 2>/dev/null || true; done
  rm -f "${background_logs[@]}"
}
# shellcheck disable=SC2317  # called by the EXIT trap
on_exit() {
  stop_background
  rm -rf "$results"
  restore_hugepages
}
trap on_exit EXIT

for part in tests/run.d/0*.sh; do
  # shellcheck source=/dev/null
  source "$part"
done
export knowitall_dll
for part in tests/run.d/[1-9]*.sh; do
  echo "starting beside the tests: $part"
  in_background "$part" bash -euo pipefail "$part"
done

# Every test project but the functions' (run.d/10-bootstrap.sh runs those once their Native AOT binary is published).
set +e
dotnet test KnowItAll.Workflow.sln -c Release --no-build --logger "trx" --results-directory "$results" \
  --filter "FullyQualifiedName!~KnowItAll.Workflow.Functions.Tests" 2>&1 | tee "$results/console.log"
status=${PIPESTATUS[0]}
set -e
wait_background || status=1

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
