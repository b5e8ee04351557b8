# Publishes the Native AOT bootstrap the functions tests run as a real process (zero AOT/trim warnings: warnings are errors).
# Under tests/run.sh it runs beside the checks that follow (they run the built CLI, not the functions) and the tests wait
# for it; run on its own (BENCHMARKS.md) it publishes in the foreground.
publish=(dotnet publish functions/KnowItAll.Workflow.Functions -c Release -r linux-x64 -p:PublishAot=true
  -o functions/KnowItAll.Workflow.Functions/bin/aot --nologo -v quiet)
if declare -F in_background >/dev/null; then
  echo "publishing the Native AOT bootstrap (in the background)"
  in_background "Native AOT bootstrap publish" "${publish[@]}"
else
  echo "publishing the Native AOT bootstrap"
  "${publish[@]}"
fi
export KNOWITALL_BOOTSTRAP="$PWD/functions/KnowItAll.Workflow.Functions/bin/aot/bootstrap"
