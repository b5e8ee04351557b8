# moto server (AWS protocol tests) and the AWS CLI come with the build machines' Python; install them if missing.
if ! python3 -c "import moto.server" 2>/dev/null; then
  echo "moto missing: installing moto[server] with pip"
  python3 -m pip install -q "moto[server]==5.2.1"
fi
command -v aws >/dev/null || python3 -m pip install -q awscli
