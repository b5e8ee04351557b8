#!/usr/bin/env bash
# The pipeline's .NET SDK: CodeBuild's STANDARD_7_0 image may not offer `runtime-versions: dotnet: 10.0`, so the
# deploy stage installs the SDK itself when the image has no .NET 10 SDK, pinned by version and SHA-512 (the
# checksum published with the release, https://builds.dotnet.microsoft.com/dotnet/release-metadata/10.0/releases.json).
#
#   install-dotnet-sdk.sh [--dir DIR]      (default DIR: $DOTNET_ROOT, else $HOME/.dotnet; put DIR first on PATH)
set -euo pipefail

version="10.0.100"
sha512="f78dbac30c9af2230d67ff5c224de3a5dbf63f8a78d1c206594dedb80e6909d2cc8a9d865d5105c72c2fd2aa266fc0c6c77dedac60408cbccf272b116bd11b07"
url="https://builds.dotnet.microsoft.com/dotnet/Sdk/${version}/dotnet-sdk-${version}-linux-x64.tar.gz"
dir="${DOTNET_ROOT:-$HOME/.dotnet}"
if [ "${1:-}" = "--dir" ]; then
  [ $# -ge 2 ] || { echo "error: --dir needs a value" >&2; exit 2; }
  dir="$2"
elif [ $# -gt 0 ]; then
  echo "error: unknown argument '$1'" >&2; exit 2
fi

if command -v dotnet >/dev/null && dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then
  echo "the image has a .NET 10 SDK: $(dotnet --list-sdks | grep '^10\.' | tail -1)"
  exit 0
fi

archive="$(mktemp)"
trap 'rm -f "$archive"' EXIT
curl --fail --silent --show-error --location --retry 3 --output "$archive" "$url"
if ! printf '%s  %s\n' "$sha512" "$archive" | sha512sum --check --status -; then
  echo "error: $url does not have the pinned SHA-512; not installing it" >&2
  exit 1
fi
mkdir -p "$dir"
tar -xzf "$archive" -C "$dir"
echo "installed .NET SDK ${version} in ${dir}"
