# The project's shell scripts are shellcheck-clean (Debian's shellcheck; installed when missing).
if ! command -v shellcheck >/dev/null; then
  echo "shellcheck missing: installing it with apt"
  apt_install shellcheck
fi
shellcheck -s bash tests/run.sh .ci/run statemachine/validate-asl.sh cdk/scripts/start-migration.sh cdk/scripts/install-dotnet-sdk.sh tests/run.d/*.sh
echo "shellcheck: scripts clean"
