# Publishes the Native AOT bootstrap the functions tests run as a real process (zero AOT/trim warnings: warnings are errors),
# then, under tests/run.sh (KNOWITALL_TEST_RESULTS set), runs those tests against it; the other test projects run beside
# this. Run on its own (BENCHMARKS.md) it only publishes.
echo "publishing the Native AOT bootstrap"
dotnet publish functions/KnowItAll.Workflow.Functions -c Release -r linux-x64 -p:PublishAot=true \
  -o functions/KnowItAll.Workflow.Functions/bin/aot --nologo -v quiet
export KNOWITALL_BOOTSTRAP="$PWD/functions/KnowItAll.Workflow.Functions/bin/aot/bootstrap"
if [ -n "${KNOWITALL_TEST_RESULTS:-}" ]; then
  dotnet test tests/KnowItAll.Workflow.Functions.Tests -c Release --no-build --logger "trx;LogFileName=functions.trx" \
    --results-directory "$KNOWITALL_TEST_RESULTS"
fi
