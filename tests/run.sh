#!/usr/bin/env bash
# The project's one test command (README: "bash tests/run.sh"); CI runs exactly this.
# It installs what the tests need when it is missing, builds with warnings as errors, runs every test project
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

for extra in tests/run.d/*.sh; do
  [ -e "$extra" ] || continue
  # Each part's own prerequisites and checks (npm tools for the state machine, cfn-lint for the templates, ...).
  # shellcheck source=/dev/null
  source "$extra"
done

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
set +e
dotnet build KnowItAll.Workflow.sln -c Release
status=$?
if [ "$status" -eq 0 ]; then
  # The engine's tests (KnowItAll.Migrations.Tests) take most of the time; every other test project runs beside them, one
  # after another (its output is printed when they are done). The summary below fails when a test project of the
  # solution left no results.
  (
    others_status=0
    for project in tests/*.Tests/*.Tests.csproj; do
      case "$project" in */KnowItAll.Migrations.Tests.csproj) continue ;; esac
      dotnet test "$project" -c Release --no-build --logger "trx" --results-directory "$results/$(basename "$project" .csproj)" \
        || others_status=1
    done
    exit "$others_status"
  ) > "$results/others.log" 2>&1 &
  others=$!
  dotnet test tests/KnowItAll.Migrations.Tests/KnowItAll.Migrations.Tests.csproj -c Release --no-build --logger "trx" \
    --results-directory "$results/KnowItAll.Migrations.Tests" 2>&1 | tee "$results/console.log"
  status=${PIPESTATUS[0]}
  wait "$others"
  others_status=$?
  cat "$results/others.log"
  [ "$others_status" -eq 0 ] || status=1
fi
set -e

python3 - "$results" KnowItAll.Workflow.sln <<'PY'
import glob, re, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
# Every test project of the solution left its results: one that did not run (or crashed before writing them) fails the run.
projects = set(re.findall(r'"([^"]+\.Tests)\.csproj"', open(sys.argv[2]).read().replace("\\", "/")))
reports = glob.glob(sys.argv[1] + "/**/*.trx", recursive=True)
if len(reports) != len(projects):
    print(f"error: {len(projects)} test projects in the solution, {len(reports)} test result files", file=sys.stderr)
    failed += 1
for trx in reports:
    counters = ET.parse(trx).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(counters.get("passed")); failed += int(counters.get("failed")) + int(counters.get("error"))
    skipped += int(counters.get("notExecuted"))
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
PY
exit "$status"
