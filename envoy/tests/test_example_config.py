"""envoy/envoy.yaml, the documented example, really runs: its ports and
filter path are swapped for the test's, nothing else."""

import contextlib
import http.client
import json
import os
import subprocess

import harness
from harness import Key

EXAMPLE = os.path.join(harness.HERE, "..", "envoy.yaml")
CLAIMS = dict(iss="https://issuer.jwtgate.test", aud="payments-api")


@contextlib.contextmanager
def example_envoy(key):
    jwks = harness.JwksServer(harness.jwks(key))
    upstream = harness.Upstream()
    listen, admin = harness.free_port(), harness.free_port()
    with open(EXAMPLE) as f:
        text = f.read()
    for old, new in (("port_value: 8080", "port_value: %d" % listen),
                     ("port_value: 9901", "port_value: %d" % admin),
                     ("port_value: 8081", "port_value: %d" % upstream.port),
                     ("port_value: 9000", "port_value: %d" % jwks.port),
                     ("target/envoy/jwtgate_envoy.wasm", harness.WASM)):
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
        yield env
    finally:
        env.close()
        upstream.close()
        jwks.close()


def test_example_config_runs():
    key = Key("ES256", "example")
    with example_envoy(key) as env:
        assert env.request("/health")[0] == 200
        status, _, body = env.request("/payments/1", token=key.token(**CLAIMS))
        assert status == 200, body
        assert "x-jwt-payload" in json.loads(body)["headers"]
        status, headers, _ = env.request("/payments/1", token=key.token(**CLAIMS), method="POST")
        assert status == 403 and 'error="insufficient_scope"' in headers["www-authenticate"]
        assert 'realm="payments"' in headers["www-authenticate"]
        assert env.request("/payments/1")[0] == 401
        assert env.request("/other", token=key.token(**CLAIMS))[0] == 403


def test_example_normalizes_paths_before_the_rules():
    with example_envoy(Key("ES256", "example")) as env:
        for sneaky in ("/health/../payments/1", "/health/%2e%2e/payments/1",
                       "//health/../payments", "/health/..%2Fpayments"):
            conn = http.client.HTTPConnection("127.0.0.1", env.port, timeout=10)
            conn.request("GET", sneaky)
            resp = conn.getresponse()
            resp.read()
            conn.close()
            # Refused, or redirected to the normalized path: never let through.
            assert resp.status in (400, 401, 403, 301, 302, 307, 308), (sneaky, resp.status)
