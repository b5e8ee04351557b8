# Publishes the Native AOT bootstrap the functions tests run as a real process (zero AOT/trim warnings: warnings are errors).
# It runs beside the checks that follow (they run the built CLI, not the functions); the tests wait for it.
echo "publishing the Native AOT bootstrap (in the background)"
in_background "Native AOT bootstrap publish" dotnet publish functions/KnowItAll.Workflow.Functions -c Release -r linux-x64 \
  -p:PublishAot=true -o functions/KnowItAll.Workflow.Functions/bin/aot --nologo -v quiet
export KNOWITALL_BOOTSTRAP="$PWD/functions/KnowItAll.Workflow.Functions/bin/aot/bootstrap"
