"""envoy/envoy.yaml, the documented example, really runs: its ports and
filter path are swapped for the test's, nothing else."""

import json
import os
import subprocess

import harness
from harness import Key

EXAMPLE = os.path.join(harness.HERE, "..", "envoy.yaml")


def test_example_config_runs():
    key = Key("ES256", "example")
    jwks = harness.JwksServer(harness.jwks(key))
    upstream = harness.Upstream()
    listen, admin = harness.free_port(), harness.free_port()
    with open(EXAMPLE) as f:
        text = f.read()
    for old, new in (("port_value: 8080", "port_value: %d" % listen),
                     ("port_value: 9901", "port_value: %d" % admin),
                     ("port_value: 8081", "port_value: %d" % upstream.port),
                     ("port_value: 9000", "port_value: %d" % jwks.port),
                     ("target/wasm32-wasip1/release/jwtgate_envoy.wasm", harness.WASM)):
        assert old in text, old
        text = text.replace(old, new)
    env = harness.Envoy.__new__(harness.Envoy)
    env.port, env.admin_port = listen, admin
    env.dir = harness.tempfile.mkdtemp(prefix="jwtgate-example-")
    path = os.path.join(env.dir, "envoy.yaml")
    with open(path, "w") as f:
        f.write(text)
    env.log_path = os.path.join(env.dir, "envoy.log")
    env.log = open(env.log_path, "w")
    env.proc = subprocess.Popen(
        [harness.envoy_binary(), "-c", path, "--concurrency", "1", "--use-dynamic-base-id",
         "--log-level", "warn"], stdout=env.log, stderr=subprocess.STDOUT)
    try:
        env.wait_ready()
        claims = dict(iss="https://issuer.jwtgate.test", aud="payments-api")
        assert env.request("/health")[0] == 200
        status, _, body = env.request("/payments/1", token=key.token(**claims))
        assert status == 200, body
        assert "x-jwt-payload" in json.loads(body)["headers"]
        status, headers, _ = env.request("/payments/1", token=key.token(**claims), method="POST")
        assert status == 403 and 'error="insufficient_scope"' in headers["www-authenticate"]
        assert 'realm="payments"' in headers["www-authenticate"]
        assert env.request("/payments/1")[0] == 401
        assert env.request("/other", token=key.token(**claims))[0] == 403
    finally:
        env.close()
        upstream.close()
        jwks.close()
