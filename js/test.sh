#!/usr/bin/env bash
# Builds the npm package once and runs every JS test: the API, every error
# code, the shared verdict table, remote key sets, WebCrypto/wasm agreement,
# a real workerd, Deno, Bun, headless Chromium and the TypeScript check.
# Installs what it needs when missing. Exits non-zero on any failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi

./build.sh

node --test --test-concurrency=2 test/*.test.js
