"""The shared verdict table (tests/cases/cases.json) over HTTP through a real
Envoy: every case without `options.now` (which needs a settable clock) must
get the same verdict as in the core: status, JSON error code and
WWW-Authenticate; valid tokens reach the upstream with their payload."""

import json

import pytest

import harness

# The filter's pure Rust has no ECDSA (BoringSSL does ES* through the host):
# with crypto=rust the table's `unsupported` verdicts apply to those cases.
RUST_LACKS = {"ES256", "ES384", "ES512"}

# The table's option names (the npm package's) -> the filter's config fields.
PROVIDER_FIELDS = {"algorithms": "algorithms", "clockTolerance": "clock_skew_seconds",
                   "maxTokenAge": "max_token_age_seconds", "requiredClaims": "required_claims",
                   "typ": "typ"}
REQUIRES_FIELDS = {"requiredScopes": "scopes", "scopesAny": "scopes_any", "claims": "claims"}
PROVIDER_OPTIONS = ("issuer", "audience", *PROVIDER_FIELDS)


def expected(case, crypto):
    unsupported = case.get("unsupported")
    if crypto == "rust" and unsupported and unsupported["alg"] in RUST_LACKS:
        return unsupported["expect"]
    return case["expect"]


def _as_list(value):
    return value if isinstance(value, list) else [value]


def build(table):
    """One provider per distinct provider-level option set, one exact-path
    rule per case (carrying the case's scope and claim requirements)."""
    runnable, skipped = [], []
    providers, rules = {}, []
    for case in table["cases"]:
        options = case["options"]
        if "now" in options:
            skipped.append(case["name"])
            continue
        key = json.dumps({k: options.get(k) for k in PROVIDER_OPTIONS}, sort_keys=True)
        if key not in providers:
            provider = {
                "issuer": _as_list(options.get("issuer", table["defaults"]["issuer"])),
                "audiences": _as_list(options.get("audience", table["defaults"]["audience"])),
                "local_jwks": {"inline_string": json.dumps(table["jwks"])},
                "forward_payload_header": "x-jwt-payload",
                "claim_to_headers": [{"claim_name": "client_id", "header_name": "x-client-id"}],
            }
            provider.update({field: options[name] for name, field in PROVIDER_FIELDS.items()
                             if name in options})
            providers[key] = ("p%d" % len(providers), provider)
        requires = {"provider_name": providers[key][0]}
        requires.update({field: options[name] for name, field in REQUIRES_FIELDS.items()
                         if name in options})
        rules.append({"match": {"path": "/case/" + case["name"]}, "requires": requires})
        runnable.append(case)
    config = {
        "realm": harness.REALM,
        "providers": {name: provider for name, provider in providers.values()},
        "rules": rules,
    }
    return config, runnable, skipped


@pytest.fixture(scope="module", params=["auto", "rust"])
def table_envoy(request):
    """The table through Envoy's BoringSSL (`auto`) and through the pure-Rust
    provider alone (`rust`): both must give every verdict (`rust` answers
    algorithm_not_allowed for ES*, as the table's `unsupported` says)."""
    with open(harness.CASES) as f:
        table = json.load(f)
    config, runnable, skipped = build(table)
    config["crypto"] = request.param
    upstream = harness.Upstream()
    envoy = harness.Envoy(config, upstream)
    envoy.crypto = request.param
    yield envoy, runnable, skipped
    envoy.close()
    upstream.close()


def test_every_shared_case_over_http(table_envoy):
    envoy, runnable, skipped = table_envoy
    assert len(runnable) >= 80, "the table lost cases"
    harness.REPORT.append(
        "shared table (crypto=%s): %d cases run through Envoy (cold and cached); %d left out, "
        "not run (they need a settable clock): %s"
        % (envoy.crypto, len(runnable), len(skipped), ", ".join(skipped)))
    failures = []
    for case in runnable:
        name = case["name"]
        expect = expected(case, envoy.crypto)
        for round_ in ("cold", "cached"):
            status, headers, body = envoy.request("/case/" + name, token=case["token"])
            if expect.get("ok"):
                if status != 200:
                    failures.append("%s (%s): status %s body %r" % (name, round_, status, body[:300]))
                    continue
                echoed = json.loads(body)
                got = echoed["headers"]
                payload_b64 = case["token"].split(".")[1]
                if got.get("x-jwt-payload") != payload_b64:
                    failures.append("%s: x-jwt-payload %r" % (name, got.get("x-jwt-payload")))
                if "authorization" in got:
                    failures.append("%s: the token was forwarded upstream" % name)
                payload = json.loads(harness.b64url_decode(payload_b64))
                want_client = payload.get("client_id")
                if isinstance(want_client, str) and got.get("x-client-id") != want_client:
                    failures.append("%s: x-client-id %r" % (name, got.get("x-client-id")))
            else:
                problems = harness.check_error(status, headers, body, expect["error"])
                failures.extend("%s (%s): %s" % (name, round_, p) for p in problems)
    assert not failures, "%d problem(s):\n%s" % (len(failures), "\n".join(failures))


def test_the_configured_crypto_provider_gave_the_verdicts(table_envoy):
    """With crypto=auto the RS*/ES* verdicts above came from Envoy's
    BoringSSL (the VM-start self-test passed); with crypto=rust from the
    pure-Rust provider."""
    envoy, _, _ = table_envoy
    logs = envoy.logs()
    assert "passed the self-test" in logs, logs[-3000:]
    assert "failed the self-test" not in logs
    if envoy.crypto == "auto":
        assert "crypto: host verify_signature for RS*/ES*" in logs, logs[-3000:]
        assert "crypto: pure Rust" not in logs
    else:
        assert "crypto: pure Rust for every algorithm but ES*" in logs, logs[-3000:]
        assert "crypto: host" not in logs
