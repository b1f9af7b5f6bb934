#!/usr/bin/env bash
# CPU µs per operation in Node, robust to a busy machine: runs the module
# with N1 and N2 iterations of one timing and divides the CPU-time
# difference by N2 - N1 (start-up and warm-up cancel out).
# Usage: ./cpu.sh <module.wasm> <label filter> [N1] [N2]
set -euo pipefail
wasm=$1 filter=$2 n1=${3:-200} n2=${4:-1200}
cpu() { node "$(dirname "$0")/run.mjs" "$wasm" "$1" "$filter" 2>&1 >/dev/null | sed -n 's/^cpu_us //p'; }
a=$(cpu "$n1"); b=$(cpu "$n2")
python3 -c "print(f'$filter: {($b - $a) / ($n2 - $n1):.1f} cpu-us/op')"
