"""Envoy filter benchmark: one Envoy process (one worker), one listener per
setup, answered by a direct_response route (no upstream in the way), loaded
by wrk with a Lua script cycling through pre-minted tokens.

Setups: no auth filter; native jwt_authn (local JWKS, and with
jwt_cache_config); jwtgate (cache off for distinct tokens, default cache for
a repeated token). Algorithms: RS256, ES256, EdDSA. Prints a Markdown
report (req/s, p50/p99, ratios; medians of the repeats)."""

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))

import harness  # noqa: E402
from harness import AUDIENCE, ISSUER, Key  # noqa: E402

ALGS = ["RS256", "ES256", "EdDSA"]


def listener(name, port, filters):
    return {
        "name": name,
        "address": {"socket_address": {"address": "127.0.0.1", "port_value": port}},
        "filter_chains": [{"filters": [{
            "name": "envoy.filters.network.http_connection_manager",
            "typed_config": {
                "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                "stat_prefix": name,
                "route_config": {"virtual_hosts": [{
                    "name": "all", "domains": ["*"],
                    "routes": [{"match": {"prefix": "/"},
                                "direct_response": {"status": 200, "body": {"inline_string": "ok"}}}],
                }]},
                "http_filters": filters + [{
                    "name": "envoy.filters.http.router",
                    "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"},
                }],
            },
        }]}],
    }


def jwt_authn(jwks_json, cache):
    provider = {
        "issuer": ISSUER,
        "audiences": [AUDIENCE],
        "local_jwks": {"inline_string": jwks_json},
        "forward_payload_header": "x-jwt-payload",
    }
    if cache:
        provider["jwt_cache_config"] = {"jwt_cache_size": 10000}
    return {
        "name": "envoy.filters.http.jwt_authn",
        "typed_config": {
            "@type": "type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication",
            "providers": {"p": provider},
            "rules": [{"match": {"prefix": "/"}, "requires": {"provider_name": "p"}}],
        },
    }


def jwtgate(jwks_json, cache_entries, public=False, wasm=None):
    config = {
        "providers": {"p": {
            "issuer": ISSUER,
            "audiences": [AUDIENCE],
            "local_jwks": {"inline_string": jwks_json},
            "forward_payload_header": "x-jwt-payload",
            "cache_entries": cache_entries,
        }},
        "rules": [{"match": {"prefix": "/"}, "requires": {"provider_name": "p"}}],
    }
    if public:
        config["rules"] = [{"match": {"prefix": "/"}}]
    f = harness.filter_config(config)
    # Each listener its own VM id: separate VMs, separate caches.
    vm = "jwtgate-%s%s" % ("public" if public else cache_entries, "-alt" if wasm else "")
    if wasm:
        f["typed_config"]["config"]["vm_config"]["code"]["local"]["filename"] = wasm
    f["typed_config"]["config"]["vm_config"]["vm_id"] = vm
    f["typed_config"]["config"]["name"] = vm
    return f


def lua_script(path, tokens):
    with open(path, "w") as f:
        f.write("local tokens = {\n")
        for t in tokens:
            f.write('"%s",\n' % t)
        f.write("}\nlocal i = 0\nrequest = function()\n  i = i % #tokens + 1\n"
                '  return wrk.format("GET", "/", {["Authorization"] = "Bearer " .. tokens[i]})\n'
                "end\n")


def parse_duration(text):
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    value, unit = float(m.group(1)), m.group(2)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def cpu_seconds(pid):
    """User + system CPU time of a process, seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def wrk(port, script, duration, connections, pid=None):
    cpu_before = cpu_seconds(pid) if pid else 0.0
    out = subprocess.run(
        ["wrk", "-t1", "-c%d" % connections, "-d%ds" % duration, "--latency", "-s", script,
         "http://127.0.0.1:%d/" % port],
        capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = parse_duration(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = parse_duration(re.search(r"\s99%\s+(\S+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if non2xx:
        raise RuntimeError("port %d: %s non-2xx responses\n%s" % (port, non2xx.group(1), out))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    cpu_us = 0.0
    if pid and requests:
        cpu_us = (cpu_seconds(pid) - cpu_before) * 1e6 / requests
    return rps, p50, p99, cpu_us


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--tokens", type=int, default=2000)
    parser.add_argument("--memory-tokens", type=int, default=100000)
    parser.add_argument("--compare-wasm", metavar="PATH",
                        help="a second filter build, run beside the first (A/B of build settings)")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="jwtgate-bench-")
    keys = {alg: Key(alg, "bench-" + alg) for alg in ALGS}
    jwks_json = json.dumps(harness.jwks(*keys.values()))
    scripts = {}
    for alg, key in keys.items():
        distinct = [key.token(jti="d%d" % i) for i in range(args.tokens)]
        scripts[(alg, "distinct")] = os.path.join(work, "%s-distinct.lua" % alg)
        lua_script(scripts[(alg, "distinct")], distinct)
        scripts[(alg, "repeated")] = os.path.join(work, "%s-repeated.lua" % alg)
        lua_script(scripts[(alg, "repeated")], [distinct[0]])

    setups = {
        "no auth": [],
        "jwt_authn": [jwt_authn(jwks_json, cache=False)],
        "jwt_authn+cache": [jwt_authn(jwks_json, cache=True)],
        "jwtgate (cache off)": [jwtgate(jwks_json, 0)],
        "jwtgate": [jwtgate(jwks_json, 10000)],
        # The floor of any proxy-wasm filter: jwtgate on a public route does
        # no token work, only the VM calls every request costs.
        "wasm floor (jwtgate, public route)": [jwtgate(jwks_json, 10000, public=True)],
    }
    if args.compare_wasm:
        setups["jwtgate B (cache off)"] = [jwtgate(jwks_json, 0, wasm=args.compare_wasm)]
        setups["jwtgate B"] = [jwtgate(jwks_json, 10000, wasm=args.compare_wasm)]
    ports = {name: harness.free_port() for name in setups}
    admin = harness.free_port()
    bootstrap = {
        "admin": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": admin}}},
        "static_resources": {"listeners": [listener("l%d" % i, ports[name], filters)
                                           for i, (name, filters) in enumerate(setups.items())]},
    }
    cfg = os.path.join(work, "envoy.json")
    with open(cfg, "w") as f:
        json.dump(bootstrap, f)
    log = open(os.path.join(work, "envoy.log"), "w")
    proc = subprocess.Popen([harness.envoy_binary(), "-c", cfg, "--concurrency", "1",
                             "--use-dynamic-base-id", "--log-level", "error",
                             "--component-log-level", "wasm:info"],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 30
        while True:
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/ready" % admin, timeout=1):
                    break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError("envoy did not start")
                time.sleep(0.2)

        plan = []
        b = args.compare_wasm is not None
        for alg in ALGS:
            for name in ("no auth", "jwt_authn", "jwtgate (cache off)") + (
                    ("jwtgate B (cache off)",) if b else ()):
                plan.append((alg, "distinct", name))
            for name in ("no auth", "jwt_authn+cache", "jwtgate") + (("jwtgate B",) if b else ()):
                plan.append((alg, "repeated", name))
        plan.append(("RS256", "repeated", "wasm floor (jwtgate, public route)"))
        results = {p: [] for p in plan}
        # Warm-up, then interleaved repeats so that machine noise spreads evenly.
        for alg, kind, name in plan:
            wrk(ports[name], scripts[(alg, kind)], 1, args.connections)
        for _ in range(args.repeats):
            for alg, kind, name in plan:
                results[(alg, kind, name)].append(
                    wrk(ports[name], scripts[(alg, kind)], args.duration, args.connections,
                        pid=proc.pid))

        def med(key):
            runs = results[key]
            return tuple(statistics.median(r[i] for r in runs) for i in range(4))

        lines = []
        lines.append("| alg | tokens | setup | req/s | p50 ms | p99 ms | Envoy CPU us/req |")
        lines.append("|---|---|---|---:|---:|---:|---:|")
        for alg, kind, name in plan:
            rps, p50, p99, cpu = med((alg, kind, name))
            lines.append("| %s | %s | %s | %.0f | %.2f | %.2f | %.1f |"
                         % (alg, kind, name, rps, p50, p99, cpu))
        lines.append("")
        lines.append("Ratios jwtgate / other, by throughput (req/s) and by Envoy CPU per request "
                     "(other's CPU us / jwtgate's; less sensitive to other load on the machine):")
        lines.append("")
        lines.append("| alg | distinct vs jwt_authn: req/s, CPU | repeated vs jwt_authn+cache: "
                     "req/s, CPU | repeated vs no auth: req/s, CPU |")
        lines.append("|---|---:|---:|---:|")
        for alg in ALGS:
            def pair(kind, mine, other):
                a, b = med((alg, kind, mine)), med((alg, kind, other))
                cpu = b[3] / a[3] if a[3] else 0.0
                return "%.2fx, %.2fx" % (a[0] / b[0], cpu)
            lines.append("| %s | %s | %s | %s |" % (
                alg,
                pair("distinct", "jwtgate (cache off)", "jwt_authn"),
                pair("repeated", "jwtgate", "jwt_authn+cache"),
                pair("repeated", "jwtgate", "no auth")))

        # Memory: RSS of the Envoy process before and after 100 000 distinct
        # EdDSA tokens through the cached jwtgate listener (cache: 10 000).
        memory_line = ""
        if args.memory_tokens:
            many = [keys["EdDSA"].token(jti="m%d" % i) for i in range(args.memory_tokens)]
            script = os.path.join(work, "memory.lua")
            lua_script(script, many)
            before = rss_kb(proc.pid)
            # wrk cycles; run long enough to send every token at least once.
            rps = 0.0
            sent = 0
            while sent < args.memory_tokens:
                rps = wrk(ports["jwtgate"], script, 5, args.connections)[0]
                sent += int(rps * 5)
            after = rss_kb(proc.pid)
            memory_line = ("Envoy RSS before/after >= %d distinct EdDSA tokens through jwtgate "
                           "(cache_entries 10000): %.1f MB -> %.1f MB"
                           % (args.memory_tokens, before / 1024, after / 1024))
            lines.append("")
            lines.append(memory_line)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()

    with open(os.path.join(work, "envoy.log"), errors="replace") as f:
        envoy_log = f.read()
    host = "passed the self-test" in envoy_log and "failed the self-test" not in envoy_log
    size = os.path.getsize(harness.WASM)
    header = [
        "Measured %s on %s (%s, %d cores, load shared with other work), Envoy 1.40.0, "
        "--concurrency 1, wrk -t1 -c%d, %d s runs, median of %d; %d distinct tokens per alg; "
        "direct_response route; filter .wasm %d bytes (%.0f KB); host verify_signature %s."
        % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), platform.node() or "this machine",
           platform.processor() or platform.machine(), os.cpu_count(), args.connections,
           args.duration, args.repeats, args.tokens, size, size / 1024,
           "used (self-test passed)" if host else "NOT used (self-test failed)"),
        "",
    ]
    if args.compare_wasm:
        header[0] += " jwtgate B: %s (%d bytes)." % (
            args.compare_wasm, os.path.getsize(args.compare_wasm))
    print("\n".join(header + lines))


if __name__ == "__main__":
    main()
