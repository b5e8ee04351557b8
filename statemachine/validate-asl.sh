#!/usr/bin/env bash
# Checks statemachine/migration.asl.json with asl-validator and @wmfs/statelint (npm devDependencies), after
# filling its ${...} placeholders with well-formed ARNs as CDK's DefinitionSubstitutions would.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/node_modules/.bin"
if [ ! -x "$bin/asl-validator" ] || [ ! -x "$bin/statelint" ]; then echo "error: run 'npm ci' in $root first" >&2; exit 1; fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed -E -e 's/\$\{([A-Za-z]+)FunctionArn\}/arn:aws:lambda:us-east-1:123456789012:function:knowitall-check-\1/g' \
       -e 's/\$\{Environment\}/check/g' -e 's/\$\{RequireApproval\}/true/g' -e 's/\$\{ApprovalTimeoutSeconds\}/86400/g' \
       "$root/statemachine/migration.asl.json" > "$work/migration.json"
if grep -qF "\${" "$work/migration.json"; then echo "error: unsubstituted placeholder in migration.asl.json" >&2; exit 1; fi
"$bin/asl-validator" --json-path "$work/migration.json"
"$bin/statelint" "$work/migration.json"
echo "asl-validator and statelint: migration.asl.json is valid"
