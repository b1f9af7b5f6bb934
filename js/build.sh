#!/usr/bin/env bash
# Builds the npm package: installs what is missing (the wasm32 target, the
# wasm-bindgen CLI at the crate's pinned version, the npm dev dependencies
# with workerd), then one release build of the wasm core into js/pkg (its own
# target dir: the crypto crates at opt-level 3, everything else at "z" for
# size), wasm-bindgen, and binaryen's wasm-opt.
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
fast=(jwtgate jwtgate-js num-bigint-dig rsa crypto-bigint p256 primeorder curve25519-dalek sha2 serde_json serde base64 hashbrown jwt-compact)
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
