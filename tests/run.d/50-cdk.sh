# The CDK tests synthesise through jsii (node) and lint the templates with cfn-lint.
command -v node >/dev/null || { echo "error: node is needed to synthesise the CDK app" >&2; exit 1; }
if ! command -v cfn-lint >/dev/null; then
  echo "cfn-lint missing: installing it with pip"
  python3 -m pip install -q cfn-lint
fi
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
