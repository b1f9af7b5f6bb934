"""Remote key sets through a real Envoy: fetched from a JWKS server of the
test over an Envoy cluster; outage at start (503, then 200), last good set
kept, key rotation with cooldown, paused requests resumed, and one fetch
per refresh across two worker threads."""

import json
import time

import harness
from harness import AUDIENCE, ISSUER, REALM, Key, check_error

A = Key("RS256", "key-a")
B = Key("ES256", "key-b")
C = Key("EdDSA", "key-c")


def config(**remote):
    settings = {
        "cluster": "jwks",
        "path": "/.well-known/jwks.json",
        "authority": "issuer.test",
        "timeout_ms": 500,
        "cache_duration_seconds": 600,
        "backoff_base_ms": 200,
        "backoff_max_ms": 1000,
    }
    settings.update(remote)
    return {
        "realm": REALM,
        "providers": {
            "issuer": {
                "issuer": ISSUER,
                "audiences": [AUDIENCE],
                "remote_jwks": settings,
                "forward_payload_header": "x-jwt-payload",
            }
        },
        "rules": [{"match": {"prefix": "/"}, "requires": {"provider_name": "issuer"}}],
    }


class Stack:
    def __init__(self, cfg, jwks_server, concurrency=1):
        self.jwks = jwks_server
        self.upstream = harness.Upstream()
        self.envoy = harness.Envoy(cfg, self.upstream, jwks_server=jwks_server,
                                   concurrency=concurrency)

    def close(self):
        self.envoy.close()
        self.upstream.close()
        self.jwks.close()

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()


def wait_for(predicate, timeout, step=0.1):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def test_outage_at_start_gives_503_then_200():
    server = harness.JwksServer(harness.jwks(A), status=503)
    with Stack(config(), server) as stack:
        status, headers, body = stack.envoy.request("/x", token=A.token())
        problems = check_error(status, headers, body, "jwks_unavailable")
        assert not problems, problems
        assert server.count() >= 1, "the filter must have tried the key-set server"
        assert stack.envoy.stat("jwtgate.jwks_fetch_failed") >= 1
        server.set(status=200)
        assert wait_for(lambda: stack.envoy.request("/x", token=A.token())[0] == 200, 10)
        assert stack.envoy.stat("jwtgate.jwks_fetch_ok") >= 1
        assert stack.envoy.stat("jwtgate.jwks_keys.issuer") == 1


def test_first_request_waits_for_the_key_set():
    # The key-set server answers after 2 s; a request arriving before that
    # is paused and then resumed, not refused.
    server = harness.JwksServer(harness.jwks(A), delay=2.0)
    with Stack(config(timeout_ms=5000), server) as stack:
        started = time.time()
        token = A.token()
        status, _, body = stack.envoy.request("/x", token=token)
        assert status == 200, body
        # Resumed with the same upstream headers as an unpaused request.
        seen = json.loads(body)["headers"]
        assert seen["x-jwt-payload"] == token.split(".")[1]
        assert "authorization" not in seen
        assert server.count() == 1
        waited = time.time() - started
        assert 0.2 < waited < 5.0, waited


def test_last_good_set_is_kept_when_refresh_fails():
    server = harness.JwksServer(harness.jwks(A))
    with Stack(config(cache_duration_seconds=1), server) as stack:
        assert wait_for(lambda: stack.envoy.request("/x", token=A.token())[0] == 200, 5)
        server.set(status=500)
        failed = stack.envoy.stat("jwtgate.jwks_fetch_failed")
        assert wait_for(lambda: stack.envoy.stat("jwtgate.jwks_fetch_failed") >= failed + 2, 8)
        for _ in range(5):
            status, _, body = stack.envoy.request("/x", token=A.token(jti=str(time.time())))
            assert status == 200, body
        assert "keeping the last good key set" in stack.envoy.logs()


def test_key_rotation_with_cooldown():
    server = harness.JwksServer(harness.jwks(A))
    with Stack(config(cooldown_seconds=3), server) as stack:
        assert wait_for(lambda: stack.envoy.request("/x", token=A.token())[0] == 200, 5)
        hits = server.count()
        assert hits == 1
        # A new kid appears: one re-fetch, then accepted.
        server.set(document=harness.jwks(A, B))
        status, _, body = stack.envoy.request("/x", token=B.token())
        assert status == 200, body
        assert server.count() == hits + 1
        refetched_at = time.time()
        # Another new kid within the cooldown: no fetch, key_not_found.
        server.set(document=harness.jwks(A, B, C))
        for _ in range(3):
            status, headers, body = stack.envoy.request("/x", token=C.token())
            assert not check_error(status, headers, body, "key_not_found")
        # An unknown kid the server does not have either: no fetch either.
        stranger = Key("RS256", "stranger")
        stack.envoy.request("/x", token=stranger.token())
        assert server.count() == hits + 1, "cooldown must hold back re-fetches"
        # After the cooldown the new kid triggers one re-fetch.
        time.sleep(max(0.0, refetched_at + 3.2 - time.time()))
        status, _, body = stack.envoy.request("/x", token=C.token())
        assert status == 200, body
        assert server.count() == hits + 2
        # Old keys still work; a kid that stays unknown is key_not_found.
        assert stack.envoy.request("/x", token=A.token())[0] == 200
        time.sleep(3.2)
        status, headers, body = stack.envoy.request("/x", token=stranger.token())
        assert not check_error(status, headers, body, "key_not_found")
        assert server.count() == hits + 3


def test_two_workers_fetch_once_per_refresh():
    server = harness.JwksServer(harness.jwks(A))
    with Stack(config(cache_duration_seconds=1), server, concurrency=2) as stack:
        assert wait_for(lambda: stack.envoy.request("/x", token=A.token())[0] == 200, 5)
        start_hits, started = server.count(), time.time()
        ok = 0
        while time.time() - started < 6.0:
            # New connections spread over both workers.
            status, _, _ = stack.envoy.request("/x", token=A.token(jti=str(ok)),
                                               headers={"connection": "close"})
            ok += status == 200
            time.sleep(0.05)
        elapsed = time.time() - started
        fetched = server.count() - start_hits
        # Several VMs really ran (each logs its self-test), and every VM ticks
        # and would fetch on its own schedule without the shared lease.
        vms = stack.envoy.logs().count("passed the self-test")
        assert vms >= 2, vms
        harness.REPORT.append(
            "--concurrency 2: %d key-set fetches in %.1f s with a 1 s refresh, %d requests ok, "
            "%d VMs" % (fetched, elapsed, ok, vms))
        assert ok > 50
        # One VM alone fetches about once per second; VMs fetching each on
        # their own would multiply it.
        assert elapsed / 1.5 - 1 <= fetched <= elapsed + 1, fetched


def test_cache_control_max_age_shortens_the_refresh():
    # cache_duration 600 s, but the server says max-age=5: refreshed after ~5 s.
    server = harness.JwksServer(harness.jwks(A), cache_control="public, max-age=5")
    with Stack(config(), server) as stack:
        assert wait_for(lambda: stack.envoy.request("/x", token=A.token())[0] == 200, 5)
        assert server.count() == 1
        time.sleep(3.5)
        assert server.count() == 1, "refreshed too early"
        assert wait_for(lambda: server.count() == 2, 4), server.count()


def test_request_body_does_not_release_a_waiting_request():
    # While a request waits for the key set, its body must not make Envoy
    # continue the paused headers: with the key-set server down, a request
    # with a body still ends in 503, never upstream.
    server = harness.JwksServer(harness.jwks(A), status=503)
    with Stack(config(timeout_ms=1000), server) as stack:
        for token in (A.token(), harness.Key("RS256", "key-a").token()):
            status, headers, body = stack.envoy.request(
                "/upload", token=token, method="POST",
                headers={"content-type": "application/octet-stream"}, data=b"x" * 100000)
            assert not check_error(status, headers, body, "jwks_unavailable"), (status, body[:200])
        server.set(status=200)
        assert wait_for(lambda: stack.envoy.request(
            "/upload", token=A.token(), method="POST", data=b"y" * 100000)[0] == 200, 10)
