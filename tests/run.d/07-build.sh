# The solution is built once, with warnings as errors (Directory.Build.props): the checks below run what it built, and the
# tests run with --no-build.
echo "building the solution"
dotnet build KnowItAll.Workflow.sln -c Release --nologo -v quiet
knowitall_dll=$(compgen -G "functions/KnowItAll.Workflow.Cli/bin/Release/net*/knowitall.dll" | head -n 1)
[ -n "$knowitall_dll" ] || { echo "error: the build left no knowitall.dll" >&2; exit 1; }
