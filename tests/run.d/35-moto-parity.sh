# Every test case of every mock config (statemachine/mocks/NAME.mock.json, inputs in NAME.inputs.json) gives the same
# status, path, output and error/cause on moto's Step Functions interpreter as on ours (tests/moto_parity.py).
# moto and the CLI are required: a machine without them fails the run rather than skipping the comparison.
command -v python3 >/dev/null || { echo "error: python3 is needed for the moto parity check" >&2; exit 1; }
python3 -c "import moto.stepfunctions.parser.backend.execution_worker" \
  || { echo "error: moto's Step Functions interpreter is missing (python3 -m pip install 'moto[server]==5.2.1')" >&2; exit 1; }
: "${knowitall_dll:?the CLI run.d/07-build.sh builds: run tests/run.sh}"
parity_configs=0
for mock_config in statemachine/mocks/*.mock.json; do
  [ -e "$mock_config" ] || continue
  parity_configs=$((parity_configs + 1))
  # The approval cases (approval.mock.json) run the definition as an environment that requires plan approval.
  parity_approval=()
  case "$mock_config" in *approval.mock.json) parity_approval=(--require-approval) ;; esac
  python3 tests/moto_parity.py --definition statemachine/migration.asl.json --mock-config "$mock_config" \
    --inputs "${mock_config%.mock.json}.inputs.json" "${parity_approval[@]}" -- dotnet "$knowitall_dll"
done
[ "$parity_configs" -gt 0 ] || { echo "error: no mock configs under statemachine/mocks" >&2; exit 1; }
