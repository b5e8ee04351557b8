# Publishes the Native AOT bootstrap the functions tests run as a real process (zero AOT/trim warnings: warnings are errors).
echo "publishing the Native AOT bootstrap"
dotnet publish functions/KnowItAll.Workflow.Functions -c Release -r linux-x64 -p:PublishAot=true \
  -o functions/KnowItAll.Workflow.Functions/bin/aot --nologo -v quiet
export KNOWITALL_BOOTSTRAP="$PWD/functions/KnowItAll.Workflow.Functions/bin/aot/bootstrap"
