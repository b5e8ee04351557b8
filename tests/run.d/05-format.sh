# Formatting (.editorconfig): `dotnet format whitespace` must change nothing.
echo "checking formatting: dotnet format whitespace --verify-no-changes"
dotnet format whitespace KnowItAll.Workflow.sln --verify-no-changes
