"""A configuration error makes on_configure fail with a log line naming the
field, and Envoy refuses the configuration (here: it does not start)."""

import json

import pytest

import harness
from harness import ISSUER

JWKS = json.dumps(harness.jwks(harness.Key("EdDSA", "k")))


def base():
    return {
        "providers": {"p": {"issuer": ISSUER, "local_jwks": {"inline_string": JWKS}}},
        "rules": [{"match": {"prefix": "/"}, "requires": {"provider_name": "p"}}],
    }


def with_unknown_field(cfg):
    cfg["providers"]["p"]["isuer"] = ISSUER


def with_bad_algorithm(cfg):
    cfg["providers"]["p"]["algorithms"] = ["RS256", "none"]


def with_unknown_provider(cfg):
    cfg["rules"][0]["requires"]["provider_name"] = "nobody"


def with_bad_timeout(cfg):
    cfg["providers"]["p"] = {"remote_jwks": {"cluster": "jwks", "path": "/k", "timeout_ms": 0}}


@pytest.mark.parametrize("mutate, field", [
    (with_unknown_field, "isuer"),
    (with_bad_algorithm, "providers.p.algorithms[1]"),
    (with_unknown_provider, "rules[0].requires.provider_name"),
    (with_bad_timeout, "providers.p.remote_jwks.timeout_ms"),
])
def test_config_error_is_refused_with_the_field_named(mutate, field):
    cfg = base()
    mutate(cfg)
    upstream = harness.Upstream()
    envoy = harness.Envoy(cfg, upstream, wait_ready=False)
    try:
        code = envoy.wait_exit(timeout=30)
        logs = envoy.logs()
        assert code is not None and code != 0, "envoy must refuse the configuration:\n" + logs[-2000:]
        assert "jwtgate: invalid configuration field" in logs, logs[-2000:]
        assert field in logs, logs[-2000:]
    finally:
        envoy.close()
        upstream.close()
