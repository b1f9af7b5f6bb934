#!/usr/bin/env bash
# Builds the wasm core for the npm package into js/pkg (one release build).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
cargo build -p jwtgate-js --target wasm32-unknown-unknown --release -j2
wasm-bindgen --target web --no-typescript --out-dir "$here/pkg" --out-name jwtgate_js \
  "$root/target/wasm32-unknown-unknown/release/jwtgate_js.wasm"
size=$(wc -c < "$here/pkg/jwtgate_js_bg.wasm")
gz=$(gzip -9 -c "$here/pkg/jwtgate_js_bg.wasm" | wc -c)
echo "jwtgate_js_bg.wasm: $size bytes ($gz gzipped)"
