# Formatting (.editorconfig): `dotnet format whitespace` must change nothing, and no C# line is longer than the
# editorconfig's max_line_length (dotnet format does not wrap lines, so this part is checked here).
echo "checking formatting: dotnet format whitespace --verify-no-changes, C# lines at most 150 characters"
dotnet format whitespace KnowItAll.Workflow.sln --verify-no-changes
long_lines=$(git ls-files '*.cs' | xargs awk 'length($0) > 150 { printf "%s:%d: %d characters\n", FILENAME, FNR, length($0) }')
if [ -n "$long_lines" ]; then
  echo "error: C# lines longer than 150 characters (.editorconfig max_line_length):" >&2
  echo "$long_lines" >&2
  exit 1
fi
