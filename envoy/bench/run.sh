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
# Installs the rest and builds the filter as the tests use it.
"$repo/envoy/build.sh" >&2
export JWTGATE_WASM="${JWTGATE_WASM:-$repo/target/envoy/jwtgate_envoy.wasm}"

"$python" "$here/bench.py" "$@"
