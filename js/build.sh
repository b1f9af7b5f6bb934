#!/usr/bin/env bash
# Builds the wasm core for the npm package into js/pkg (one release build,
# in its own target dir: the crypto crates at opt-level 3, everything else
# at opt-level "z" for size; then wasm-bindgen and binaryen's wasm-opt).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="$root/target/js-wasm"
fast=(num-bigint-dig rsa p256 primeorder curve25519-dalek sha2)
config=(--config 'profile.release.package."*".opt-level="z"' --config 'profile.release.package.jwtgate-js.opt-level="z"')
for crate in "${fast[@]}"; do config+=(--config "profile.release.package.$crate.opt-level=3"); done
cargo build -p jwtgate-js --target wasm32-unknown-unknown --release -j2 "${config[@]}"
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
  --out-dir "$here/pkg" --out-name jwtgate_js "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/jwtgate_js.wasm"
if [ -x "$here/node_modules/.bin/wasm-opt" ]; then
  "$here/node_modules/.bin/wasm-opt" -O2 --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals "$here/pkg/jwtgate_js_bg.wasm" -o "$here/pkg/jwtgate_js_bg.wasm"
fi
size=$(wc -c < "$here/pkg/jwtgate_js_bg.wasm")
gz=$(gzip -9 -c "$here/pkg/jwtgate_js_bg.wasm" | wc -c)
echo "jwtgate_js_bg.wasm: $size bytes ($gz gzipped)"
