#!/usr/bin/env bash
# Starts the schema-migration state machine and follows it to the end: what the pipeline's deploy stage runs
# (buildspec.yml), and what a person can run by hand against AWS or a local endpoint (knowitall workflow serve).
#
#   start-migration.sh --state-machine-arn ARN [--action apply|plan|validate] [--dry-run] [--plan-hash HASH]
#                      [--input JSON] [--build-id ID] [--timeout SECONDS] [--interval SECONDS] [--endpoint-url URL] [--region REGION]
#
# --plan-hash binds the execution to the plan reviewed (e.g. in the pull request): any other plan fails with
# Migration.PlanStale and nothing is applied.
# The execution name comes from the build id (CODEBUILD_BUILD_ID by default), so a retried build step finds the
# execution it already started instead of starting a second migration.
# Exit codes: 0 SUCCEEDED; 1 FAILED, TIMED_OUT or ABORTED; 2 bad arguments; 3 still running when --timeout passed.
set -euo pipefail

usage() { sed -n '5,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
fail_usage() { echo "error: $1" >&2; usage; }

arn="" action="apply" dry_run="false" plan_hash="" input="" build_id="${CODEBUILD_BUILD_ID:-}" timeout=1800 interval=5
aws_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --state-machine-arn) [ $# -ge 2 ] || fail_usage "$1 needs a value"; arn="$2"; shift 2 ;;
    --action) [ $# -ge 2 ] || fail_usage "$1 needs a value"; action="$2"; shift 2 ;;
    --dry-run) dry_run="true"; shift ;;
    --plan-hash) [ $# -ge 2 ] || fail_usage "$1 needs a value"; plan_hash=$(printf '%s' "$2" | tr 'A-F' 'a-f'); shift 2 ;;
    --input) [ $# -ge 2 ] || fail_usage "$1 needs a value"; input="$2"; shift 2 ;;
    --build-id) [ $# -ge 2 ] || fail_usage "$1 needs a value"; build_id="$2"; shift 2 ;;
    --timeout) [ $# -ge 2 ] || fail_usage "$1 needs a value"; timeout="$2"; shift 2 ;;
    --interval) [ $# -ge 2 ] || fail_usage "$1 needs a value"; interval="$2"; shift 2 ;;
    --endpoint-url|--region) [ $# -ge 2 ] || fail_usage "$1 needs a value"; aws_args+=("$1" "$2"); shift 2 ;;
    -h|--help) usage ;;
    *) fail_usage "unknown argument '$1'" ;;
  esac
done

[ -n "$arn" ] || fail_usage "--state-machine-arn is required"
[[ "$arn" =~ ^arn:aws[a-z-]*:states:[a-z0-9-]+:[0-9]{12}:stateMachine:[A-Za-z0-9_-]{1,80}$ ]] || fail_usage "'$arn' is not a state machine ARN"
case "$action" in validate|plan|apply) ;; *) fail_usage "--action must be validate, plan or apply (got '$action')" ;; esac
if ! [[ "$timeout" =~ ^[1-9][0-9]*$ ]]; then fail_usage "--timeout must be a positive number of seconds"; fi
if ! [[ "$interval" =~ ^[1-9][0-9]*$ ]]; then fail_usage "--interval must be a positive number of seconds"; fi
if [ -n "$plan_hash" ]; then
  [[ "$plan_hash" =~ ^[0-9a-f]{64}$ ]] || fail_usage "--plan-hash must be a 64-character hex SHA-256 (knowitall plan --json prints plan_hash)"
  [ -z "$input" ] || fail_usage "--plan-hash builds the input with --action: with --input, put \"plan_hash\" in that JSON"
  [ "$action" != "validate" ] || fail_usage "--plan-hash needs --action plan or apply"
  input="{\"action\":\"$action\",\"dry_run\":$dry_run,\"plan_hash\":\"$plan_hash\"}"
fi
[ -n "$input" ] || input="{\"action\":\"$action\",\"dry_run\":$dry_run}"
python3 -c 'import json,sys; json.loads(sys.argv[1])' "$input" 2>/dev/null || fail_usage "--input is not valid JSON"

# A name Step Functions accepts (1-80 of [A-Za-z0-9_-]) and that a retry of the same build reproduces.
if [ -n "$build_id" ]; then
  clean=$(printf '%s' "$build_id" | tr -c 'A-Za-z0-9_-' '-')
  digest=$(printf '%s' "$build_id" | sha256sum | cut -c1-10)
  name="migrate-${clean:0:58}-${digest}"
else
  name="migrate-$(date -u +%Y%m%dT%H%M%S)-$$"
fi

region=$(printf '%s' "$arn" | cut -d: -f4)
machine=$(printf '%s' "$arn" | cut -d: -f7)
execution_arn="arn:aws:states:${region}:$(printf '%s' "$arn" | cut -d: -f5):execution:${machine}:${name}"

if output=$(aws stepfunctions start-execution "${aws_args[@]}" --state-machine-arn "$arn" --name "$name" --input "$input" --output json 2>&1); then
  execution_arn=$(printf '%s' "$output" | python3 -c 'import json,sys; print(json.load(sys.stdin)["executionArn"])')
  echo "started ${execution_arn}"
elif printf '%s' "$output" | grep -q 'ExecutionAlreadyExists'; then
  echo "this build already started ${execution_arn}; following it instead of starting another migration"
else
  echo "error: start-execution failed: ${output}" >&2
  exit 1
fi

# The plan a RUNNING execution waits on for approval (environments with requireApproval), from the newest events of
# its history; empty when it does not wait. Only the plan hash is printed, never the task token.
waiting_plan() {
  aws stepfunctions get-execution-history "${aws_args[@]}" --execution-arn "$execution_arn" --reverse-order --max-items 50 --output json |
    python3 -c '
import json, sys
for e in json.load(sys.stdin).get("events", []):
    if e["type"] in ("TaskSucceeded", "TaskFailed", "TaskTimedOut", "TaskSubmitFailed", "TaskStartFailed"):
        break
    if e["type"] == "TaskScheduled":
        d = e.get("taskScheduledEventDetails") or {}
        if d.get("resource") == "invoke.waitForTaskToken":
            plan = ((json.loads(d.get("parameters") or "{}").get("Payload") or {}).get("state") or {}).get("plan") or {}
            print(plan.get("plan_hash") or "?")
        break
'
}

deadline=$(( $(date +%s) + timeout ))
announced=""
while :; do
  described=$(aws stepfunctions describe-execution "${aws_args[@]}" --execution-arn "$execution_arn" --output json)
  status=$(printf '%s' "$described" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
  [ "$status" = "RUNNING" ] || break
  waiting=$(waiting_plan)
  if [ -n "$waiting" ] && [ "$waiting" != "$announced" ]; then
    echo "waiting for approval of plan ${waiting}: knowitall workflow approve ${execution_arn} (or reject ... --reason TEXT)"
    announced="$waiting"
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    if [ -n "$waiting" ]; then
      echo "still waiting for approval of plan ${waiting} after ${timeout} s: ${execution_arn} (it keeps waiting until its approval timeout)" >&2
    else
      echo "still RUNNING after ${timeout} s: ${execution_arn}" >&2
    fi
    exit 3
  fi
  sleep "$interval"
done

printf '%s' "$described" | python3 -c '
import json, sys
d = json.load(sys.stdin)
region = sys.argv[1]
print("status:", d["status"])
if d.get("error"):
    cause = d.get("cause") or ""
    try:
        cause = json.loads(cause).get("errorMessage", cause)
    except (ValueError, AttributeError):
        pass
    print("error: %s: %s" % (d["error"], cause))
out = json.loads(d["output"]) if d.get("output") else {}
if out:
    print("outcome:", out.get("outcome"))
    plan = out.get("plan") or {}
    if plan.get("plan_hash"):
        print("plan %s: %s statements" % (plan["plan_hash"][:12], plan.get("statement_count", 0)))
    changes = (out.get("apply") or {}).get("changes") or {}
    if changes:
        print("applied:", ", ".join("%s %s" % (n, kind) for kind, n in sorted(changes.items())))
    hazards = plan.get("hazard_counts") or {}
    if hazards:
        print("hazards:", ", ".join("%s x%s" % (code, n) for code, n in sorted(hazards.items())))
    perms = out.get("verify_permissions")
    if perms:
        print("permissions of %s: %s" % (perms.get("role"), "all present" if perms.get("success") else "%s MISSING" % perms.get("missing_count")))
    for step in ("validate", "plan", "apply", "verify_permissions"):
        report = (out.get(step) or {}).get("report") or {}
        if report.get("location"):
            print("report (%s): %s" % (step, report["location"]))
print("console: https://%s.console.aws.amazon.com/states/home?region=%s#/v2/executions/details/%s" % (region, region, d["executionArn"]))
' "$region"

[ "$status" = "SUCCEEDED" ] || exit 1
