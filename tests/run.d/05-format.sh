# Formatting (.editorconfig): `dotnet format whitespace` must change nothing.
echo "checking formatting: dotnet format whitespace --verify-no-changes"
dotnet format whitespace KnowItAll.Workflow.sln --verify-no-changes

# Line length (.editorconfig's max_line_length, which dotnet format does not check): no C# or shell line of the
# project is longer than 150 characters. Counted in characters (UTF-8), so a line with "→" is not charged 3 for it.
# The tracked files when this is a git checkout; otherwise (a source archive) the same files found on disk.
echo "checking line length: at most 150 characters in .cs and shell files"
project_sources() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z -- '*.cs' '*.sh' .ci/run ':!tests/corpus/'
  else
    find . \( -path ./tests/corpus -o -path ./node_modules -o -path ./cdk.out -o -name bin -o -name obj \) -prune \
      -o \( -name '*.cs' -o -name '*.sh' -o -path ./.ci/run \) -type f -print0
  fi
}
long_lines=$(project_sources | LC_ALL=C.UTF-8 xargs -0 grep -nHE '^.{151}' | cut -d: -f1,2 || true)
if [ -n "$long_lines" ]; then
  echo "error: lines over 150 characters (wrap them; see .editorconfig):" >&2
  echo "$long_lines" >&2
  exit 1
fi
