#!/usr/bin/env bash
# Builds the npm package: installs what is missing (the wasm32 target, the
# wasm-bindgen CLI at the crate's pinned version, the npm dev dependencies
# with workerd and binaryen), then one build of the wasm core into js/pkg (its
# own target dir, cargo profile `npm`), wasm-bindgen, and wasm-opt -Oz.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
WASM_BINDGEN_VERSION=0.2.130 # = the wasm-bindgen pin in js/Cargo.toml

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\b"; then
  # --locked first; where the registry lacks a crate version the published
  # lock file names (seen here), fall back to fresh resolution.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked -j2 \
    || cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" -j2
fi
if [ ! -x "$here/node_modules/.bin/workerd" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi

cd "$root"
export CARGO_TARGET_DIR="$root/target/js-wasm"
# Cargo profile `npm` (Cargo.toml says why each level).
cargo build -p jwtgate-js --target wasm32-unknown-unknown --profile npm -j2
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
  --out-dir "$here/pkg" --out-name jwtgate_js "$CARGO_TARGET_DIR/wasm32-unknown-unknown/npm/jwtgate_js.wasm"
"$here/node_modules/.bin/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals "$here/pkg/jwtgate_js_bg.wasm" -o "$here/pkg/jwtgate_js_bg.wasm"
size=$(wc -c < "$here/pkg/jwtgate_js_bg.wasm")
gz=$(gzip -9 -c "$here/pkg/jwtgate_js_bg.wasm" | wc -c)
echo "jwtgate_js_bg.wasm: $size bytes ($gz gzipped)"
