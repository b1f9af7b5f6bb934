#!/usr/bin/env bash
# Builds the npm package once and runs every JS test: the API, every error
# code, the shared verdict table, remote key sets, WebCrypto/wasm agreement,
# a real workerd, Deno, Bun, headless Chromium and the TypeScript check.
# Installs what it needs when missing. Exits non-zero on any failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
WASM_BINDGEN_VERSION=0.2.130 # = the wasm-bindgen pin in js/Cargo.toml

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  # --locked first; the registry mirror here lacks a crate version the
  # published lock file names, so fall back to fresh resolution.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked -j2 \
    || cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" -j2
fi
if [ ! -x node_modules/.bin/workerd ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi

./build.sh

node --test --test-concurrency=2 test/*.test.js
