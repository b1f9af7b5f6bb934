"""Gateway behaviour through a real Envoy with local key sets: forwarding,
every token error code, rules per route and method, public routes,
no-match, forged headers, query-parameter tokens, metrics."""

import json
import time

import pytest

import harness
from harness import AUDIENCE, ISSUER, REALM, Key, check_error

RS = Key("RS256", "rs")
ES = Key("ES256", "es")
ED = Key("EdDSA", "ed")
OTHER = Key("RS256", "rs")  # same kid, other key: signature_invalid


def provider(**extra):
    base = {
        "issuer": ISSUER,
        "audiences": [AUDIENCE],
        "local_jwks": {"inline_string": json.dumps(harness.jwks(RS, ES, ED))},
        "forward_payload_header": "x-jwt-payload",
        "claim_to_headers": [
            {"claim_name": "sub", "header_name": "x-jwt-sub"},
            {"claim_name": "roles", "header_name": "x-jwt-roles"},
            {"claim_name": "org", "header_name": "x-jwt-org"},
        ],
        "algorithms": ["RS256", "ES256", "EdDSA"],
    }
    base.update(extra)
    return base


CONFIG = {
    "realm": REALM,
    "providers": {
        "main": provider(),
        "fwd": provider(forward=True),
        "param": provider(from_params=["access_token"],
                          from_headers=[{"name": "Authorization", "value_prefix": "Bearer "}]),
        "lifetime": provider(max_lifetime_seconds=7200),
    },
    "rules": [
        {"match": {"prefix": "/health"}},
        {"match": {"prefix": "/payments", "methods": ["GET"]},
         "requires": {"provider_name": "main", "scopes": ["payments:read"]}},
        {"match": {"prefix": "/payments", "methods": ["POST", "PUT"]},
         "requires": {"provider_name": "main", "scopes": ["payments:write"]}},
        {"match": {"path": "/admin"},
         "requires": {"provider_name": "main", "scopes_any": ["payments:admin", "ops"]}},
        {"match": {"prefix": "/tenant"},
         "requires": {"provider_name": "main", "claims": {"tenant": ["acme", "globex"]}}},
        {"match": {"prefix": "/forward"}, "requires": {"provider_name": "fwd"}},
        {"match": {"prefix": "/param"}, "requires": {"provider_name": "param"}},
        {"match": {"prefix": "/lifetime"}, "requires": {"provider_name": "lifetime"}},
        {"match": {"prefix": "/any"}, "requires": {"provider_name": "main"}},
    ],
}


@pytest.fixture(scope="module")
def gw():
    upstream = harness.Upstream()
    envoy = harness.Envoy(CONFIG, upstream)
    yield envoy
    envoy.close()
    upstream.close()


def harness_wait(predicate, timeout=2.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def upstream_view(body):
    return json.loads(body)


@pytest.mark.parametrize("key", [RS, ES, ED], ids=["RS256", "ES256", "EdDSA"])
def test_valid_token_forwards_payload_and_claims(gw, key):
    token = key.token(roles=["admin", "ops"], org={"id": 7})
    status, _, body = gw.request("/payments/42", token=token)
    assert status == 200, body
    seen = upstream_view(body)
    assert seen["path"] == "/payments/42"
    h = seen["headers"]
    assert h["x-jwt-payload"] == token.split(".")[1]
    assert h["x-jwt-sub"] == "demo-client"
    assert json.loads(h["x-jwt-roles"]) == ["admin", "ops"]
    assert json.loads(h["x-jwt-org"]) == {"id": 7}
    assert "authorization" not in h, "token must be stripped unless forward: true"


def test_bearer_scheme_is_case_insensitive(gw):
    status, _, _ = gw.request("/payments", headers={"authorization": "bEARer " + RS.token()})
    assert status == 200


def test_forward_true_keeps_the_token(gw):
    token = RS.token()
    status, _, body = gw.request("/forward", token=token)
    assert status == 200
    assert upstream_view(body)["headers"]["authorization"] == "Bearer " + token


def test_forged_payload_header_is_stripped(gw):
    forged = harness.b64url(json.dumps({"sub": "admin", "scope": "everything"}).encode())
    # Public route: the client copy is removed, nothing is added.
    status, _, body = gw.request("/health", headers={"x-jwt-payload": forged, "x-jwt-sub": "root"})
    assert status == 200
    h = upstream_view(body)["headers"]
    assert "x-jwt-payload" not in h and "x-jwt-sub" not in h
    # Authenticated route: replaced by the verified payload.
    token = RS.token()
    status, _, body = gw.request("/payments", token=token, headers={"x-jwt-payload": forged})
    assert status == 200
    assert upstream_view(body)["headers"]["x-jwt-payload"] == token.split(".")[1]


def test_public_route_needs_no_token(gw):
    status, _, body = gw.request("/health/live")
    assert status == 200
    assert upstream_view(body)["path"] == "/health/live"


def test_no_matching_rule_is_403(gw):
    for method, path in (("GET", "/unlisted"), ("DELETE", "/payments/1")):
        status, headers, body = gw.request(path, token=RS.token(), method=method)
        assert status == 403, (method, path)
        assert json.loads(body)["error"] == "no_matching_rule"


def test_scopes_per_route_and_method(gw):
    read = RS.token(scope="payments:read")
    write = RS.token(scope="payments:write")
    assert gw.request("/payments", token=read)[0] == 200
    status, headers, body = gw.request("/payments", token=read, method="POST")
    assert not check_error(status, headers, body, "insufficient_scope")
    assert 'scope="payments:write"' in headers["www-authenticate"]
    assert json.loads(body)["scope"] == "payments:write"
    assert gw.request("/payments", token=write, method="POST")[0] == 200
    assert gw.request("/payments", token=write, method="PUT")[0] == 200
    status, headers, body = gw.request("/payments", token=write)
    assert not check_error(status, headers, body, "insufficient_scope")
    # scp as an array counts too.
    assert gw.request("/payments", token=RS.token(scope=None, scp=["payments:read"]))[0] == 200


def test_scopes_any(gw):
    assert gw.request("/admin", token=RS.token(scope="ops"))[0] == 200
    assert gw.request("/admin", token=RS.token(scope="payments:admin x"))[0] == 200
    status, headers, body = gw.request("/admin", token=RS.token(scope="payments:read"))
    assert not check_error(status, headers, body, "insufficient_scope")


def test_claim_rules(gw):
    assert gw.request("/tenant/a", token=RS.token(tenant="acme"))[0] == 200
    assert gw.request("/tenant/a", token=RS.token(tenant=["x", "globex"]))[0] == 200
    for token in (RS.token(tenant="initech"), RS.token()):
        status, headers, body = gw.request("/tenant/a", token=token)
        assert not check_error(status, headers, body, "claim_invalid")


def test_token_in_query_parameter_is_used_and_removed(gw):
    token = RS.token()
    status, _, body = gw.request("/param/x?a=1&access_token=%s&b=2" % token)
    assert status == 200, body
    assert upstream_view(body)["path"] == "/param/x?a=1&b=2"


def test_two_tokens_are_invalid_request(gw):
    token = RS.token()
    status, headers, body = gw.request("/param/x?access_token=%s" % token, token=token)
    assert status == 400
    assert json.loads(body)["error"] == "invalid_request"
    assert 'error="invalid_request"' in headers["www-authenticate"]
    status, _, _ = gw.request("/param/x?access_token=a&access_token=b")
    assert status == 400


def test_max_lifetime(gw):
    now = int(time.time())
    assert gw.request("/lifetime", token=RS.token(iat=now, exp=now + 3600))[0] == 200
    status, headers, body = gw.request("/lifetime", token=RS.token(iat=now, exp=now + 86400))
    assert not check_error(status, headers, body, "token_expired")


def _tampered(token):
    head, payload, sig = token.split(".")
    claims = json.loads(harness.b64url_decode(payload))
    claims["scope"] = "payments:read payments:write"
    return ".".join([head, harness.b64url(json.dumps(claims).encode()), sig])


def _alg_token(alg):
    header = harness.b64url(json.dumps({"alg": alg, "kid": "rs"}).encode())
    payload = RS.token().split(".")[1]
    return header + "." + payload + "."


ERROR_CASES = {
    "token_missing": lambda: None,
    "token_malformed": lambda: "not-a-jwt",
    "algorithm_not_allowed": lambda: _alg_token("none"),
    "key_not_found": lambda: Key("RS256", "nobody").token(),
    "signature_invalid": lambda: OTHER.token(),
    "token_expired": lambda: RS.token(exp=int(time.time()) - 3600, iat=int(time.time()) - 7200),
    "token_not_yet_valid": lambda: RS.token(nbf=int(time.time()) + 3600),
    "issuer_invalid": lambda: RS.token(iss="https://evil.example"),
    "audience_invalid": lambda: RS.token(aud="other-api"),
    "claim_invalid": lambda: RS.token(exp=None),
    "insufficient_scope": lambda: RS.token(scope="profile"),
}


@pytest.mark.parametrize("code", sorted(ERROR_CASES))
def test_every_error_code(gw, code):
    token = ERROR_CASES[code]()
    status, headers, body = gw.request("/payments", token=token)
    problems = check_error(status, headers, body, code)
    assert not problems, problems
    assert headers.get("content-type") == "application/json"
    # A debug-level log line with the code.
    assert harness_wait(lambda: "jwtgate: deny %s:" % code in gw.logs()), code


def test_tampered_payload_is_signature_invalid(gw):
    status, headers, body = gw.request("/payments", token=_tampered(ES.token()))
    assert not check_error(status, headers, body, "signature_invalid")


def test_header_with_non_utf8_bytes_does_not_kill_the_vm(gw):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", gw.port, timeout=10)
    conn.putrequest("GET", "/payments")
    conn.putheader("x-odd", b"\xff\xfe")
    conn.putheader("authorization", b"Bearer \xff\xfe.\xfa.\xfb")
    conn.endheaders()
    resp = conn.getresponse()
    body = resp.read()
    assert resp.status == 401, body
    assert json.loads(body)["error"] == "token_malformed"
    conn.close()
    assert gw.request("/payments", token=RS.token())[0] == 200, "the VM must survive"


def test_metrics(gw):
    token = ES.token(jti="metrics")
    before = gw.stats()
    for _ in range(3):
        assert gw.request("/payments", token=token)[0] == 200
    gw.request("/payments", token="garbage")
    after = gw.stats()

    def delta(suffix):
        pick = lambda stats: sum(v for k, v in stats.items() if k.endswith(suffix))
        return pick(after) - pick(before)

    assert delta("jwtgate.allowed") == 3
    assert delta("jwtgate.cache_misses") == 1
    assert delta("jwtgate.cache_hits") == 2
    assert delta("jwtgate.denied.token_malformed") == 1
    assert any(k.endswith("jwtgate.jwks_keys.main") and v == 3 for k, v in after.items()), after
