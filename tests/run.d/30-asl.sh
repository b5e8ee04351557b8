# The state machine definition, checked offline by asl-validator and @wmfs/statelint (pinned in package-lock.json).
command -v npm >/dev/null || { echo "error: npm is needed for the ASL checks" >&2; exit 1; }
npm ci --no-audit --no-fund --loglevel=error
bash statemachine/validate-asl.sh
