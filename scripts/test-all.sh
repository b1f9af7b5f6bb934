#!/usr/bin/env bash
# Runs every jwtgate test. Installs what it needs when missing (rustup
# targets, rustfmt/clippy components; the Envoy and npm parts install their own).
set -euo pipefail
cd "$(dirname "$0")/.."

section() { printf '\n=== %s ===\n' "$*"; }

section "toolchain"
installed=$(rustup target list --installed)
for target in wasm32-unknown-unknown wasm32-wasip1; do
  grep -qx "$target" <<<"$installed" || rustup target add "$target"
done
rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
rustup component list --installed | grep -q '^clippy' || rustup component add clippy

section "format and lints"
cargo fmt --all -- --check
cargo clippy -j2 -p jwtgate -p jwtgate-crypto -p jwtgate-cli -p jwtgate-envoy -p jwtgate-js --all-targets -- -D warnings
cargo clippy -j2 -p jwtgate --no-default-features --all-targets -- -D warnings
cargo clippy -j2 -p jwtgate-envoy --target wasm32-wasip1 -- -D warnings
cargo clippy -j2 -p jwtgate-js --target wasm32-unknown-unknown -- -D warnings

section "core builds without std for both wasm targets (default features and none)"
cargo build -j2 -p jwtgate --target wasm32-unknown-unknown
cargo build -j2 -p jwtgate --target wasm32-wasip1
cargo build -j2 -p jwtgate --no-default-features --target wasm32-unknown-unknown

section "core, crypto, command, filter and npm-glue unit tests (includes the bounded property-based fuzz passes)"
cargo test -j2 -p jwtgate -p jwtgate-crypto -p jwtgate-cli -p jwtgate-envoy -p jwtgate-js
# The core as the Envoy filter builds it: no pure-Rust ECDSA.
cargo test -j2 -p jwtgate --no-default-features

section "Envoy filter: real Envoy 1.40 end to end"
bash envoy/test.sh

section "the demo (issuer, Envoy, workerd, sample API), non-interactively"
bash js/build.sh
cargo build -j2 -p jwtgate-cli
./target/debug/jwtgate demo

section "npm package: API, shared table, remote JWKS, WebCrypto/wasm agreement, workerd, Deno, Bun, Chromium, tsc"
bash js/test.sh
