#!/usr/bin/env bash
# Envoy filter benchmark: no auth vs native jwt_authn (with and without
# jwt_cache_config) vs jwtgate, RS256 / ES256 / EdDSA, in one Envoy with one
# worker, loaded by wrk over loopback. Prints a Markdown report; extra
# arguments go to bench.py (--duration, --repeats, --tokens, --memory-tokens).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"

PATH="$("$python" -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$PATH"
export PATH

if ! command -v wrk >/dev/null 2>&1; then
  echo "== apt-get install -y wrk" >&2
  apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
if ! "$python" -c "import cryptography" 2>/dev/null || ! command -v envoy >/dev/null 2>&1; then
  "$python" -m pip install -q -r "$repo/envoy/tests/requirements.txt" >&2
fi
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-wasip1; then
  rustup target add wasm32-wasip1 >&2
fi

# Same build settings as envoy/test.sh, so one build serves both.
export CARGO_PROFILE_RELEASE_STRIP="${CARGO_PROFILE_RELEASE_STRIP:-true}"
(cd "$repo" && cargo build -j2 --release -p jwtgate-envoy --target wasm32-wasip1 >&2)
export JWTGATE_WASM="$repo/target/wasm32-wasip1/release/jwtgate_envoy.wasm"

"$python" "$here/bench.py" "$@"
