#!/usr/bin/env bash
# Core benchmark: jwtgate vs jsonwebtoken and jwt-simple, one criterion run,
# then a Markdown table of medians and ratios (paste into BENCHMARKS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf target/criterion/verify
cargo bench -j2 --bench verify -- --warm-up-time 1 --measurement-time "${MEASURE_SECS:-4}" >&2
python3 - <<'PY'
import json, pathlib
root = pathlib.Path("target/criterion/verify")
median = {}
for est in root.glob("*/*/new/estimates.json"):
    lib, alg = est.parts[-4], est.parts[-3]
    median[(lib, alg)] = json.loads(est.read_text())["median"]["point_estimate"]
def fmt(ns):
    return f"{ns/1000:.2f} µs" if ns >= 1000 else f"{ns:.0f} ns"
libs = ["jwtgate", "jwtgate-cached", "jwtgate-all-but-signature", "jsonwebtoken", "jwt-simple"]
print("| alg | " + " | ".join(libs) + " | jsonwebtoken / jwtgate | jwt-simple / jwtgate |")
print("|---" * (len(libs) + 3) + "|")
for alg in ["HS256", "RS256", "ES256", "EdDSA"]:
    row = [fmt(median[(l, alg)]) if (l, alg) in median else "-" for l in libs]
    base = median.get(("jwtgate", alg))
    ratios = [f"{median[(o, alg)]/base:.2f}x" if base and (o, alg) in median else "-" for o in ("jsonwebtoken", "jwt-simple")]
    print(f"| {alg} | " + " | ".join(row) + " | " + " | ".join(ratios) + " |")
PY
