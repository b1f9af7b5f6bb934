//! `jwtgate issuer` over real HTTP: the client-credentials grant, RFC 6749
//! §5.2 errors, published keys, rotation, and tokens that `jwtgate verify`
//! accepts.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

struct Issuer {
    child: Child,
    url: String,
}

impl Drop for Issuer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(extra: &[&str]) -> Issuer {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jwtgate"))
        .args([
            "issuer",
            "--listen",
            "127.0.0.1:0",
            "--audience",
            "payments-api",
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .spawn()
        .expect("issuer starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    let mut reader = BufReader::new(stdout);
    reader.read_line(&mut first).expect("first line");
    // Keep draining, as a terminal would.
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    let url = first.trim().rsplit(' ').next().expect("url").to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{first}");
    Issuer { child, url }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .new_agent()
}

/// POSTs a form; returns status, headers of interest and the JSON body.
fn post(url: &str, auth: Option<&str>, form: &str) -> (u16, Option<String>, Option<String>, Value) {
    let mut request = agent()
        .post(&format!("{url}/oauth/v1/token"))
        .header("content-type", "application/x-www-form-urlencoded");
    if let Some(auth) = auth {
        request = request.header("authorization", auth);
    }
    let mut response = request.send(form.as_bytes()).expect("request");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(String::from)
    };
    let (challenge, cache) = (header("www-authenticate"), header("cache-control"));
    let body: Value = response.body_mut().read_json().expect("json body");
    (response.status().as_u16(), challenge, cache, body)
}

fn basic(id: &str, secret: &str) -> String {
    use base64::Engine as _;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
    )
}

fn verify(jwks: &str, issuer: &str, token: &str, scopes: &[&str]) -> (i32, Value) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jwtgate"));
    command.args([
        "verify",
        "--jwks",
        jwks,
        "--issuer",
        issuer,
        "--audience",
        "payments-api",
        token,
    ]);
    for scope in scopes {
        command.args(["--scope", scope]);
    }
    let out = command.output().expect("verify runs");
    (
        out.status.code().unwrap_or(-1),
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null),
    )
}

#[test]
fn issues_tokens_that_verify_and_answers_every_error_per_rfc_6749() {
    let issuer = start(&["--alg", "ES256"]);
    let url = issuer.url.as_str();
    let reader = basic("payments-reader", "reader-secret");

    // Basic auth, explicit scope.
    let (status, _, cache, body) = post(
        url,
        Some(&reader),
        "grant_type=client_credentials&scope=payments:read",
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(cache.as_deref(), Some("no-store"));
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["scope"], "payments:read");
    let token = body["access_token"].as_str().expect("token").to_owned();
    let jwks = format!("{url}/.well-known/jwks.json");
    let (code, claims) = verify(&jwks, url, &token, &["payments:read"]);
    assert_eq!(code, 0, "{claims}");
    assert_eq!(claims["header"]["typ"], "at+jwt");
    assert_eq!(claims["header"]["alg"], "ES256");
    assert_eq!(claims["payload"]["client_id"], "payments-reader");
    assert_eq!(claims["payload"]["sub"], "payments-reader");
    assert!(claims["payload"]["jti"].is_string());
    let (code, error) = verify(&jwks, url, &token, &["payments:write"]);
    assert_eq!(
        (code, error["error"].as_str()),
        (1, Some("insufficient_scope"))
    );

    // Form auth, no scope: the client's default (all its scopes).
    let (status, _, _, body) = post(
        url,
        None,
        "grant_type=client_credentials&client_id=payments-writer&client_secret=writer-secret",
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["scope"], "payments:read payments:write");

    // Errors.
    let cases: [(Option<&str>, &str, u16, &str); 9] = [
        (Some(&reader), "scope=payments:read", 400, "invalid_request"),
        (
            Some(&reader),
            "grant_type=client_credentials&grant_type=client_credentials",
            400,
            "invalid_request",
        ),
        (
            Some(&reader),
            "grant_type=client_credentials&client_id=payments-reader&client_secret=reader-secret",
            400,
            "invalid_request",
        ),
        (
            Some(&reader),
            "grant_type=authorization_code&code=x",
            400,
            "unsupported_grant_type",
        ),
        (
            Some(&reader),
            "grant_type=client_credentials&scope=payments:write",
            400,
            "invalid_scope",
        ),
        (
            Some(&reader),
            "grant_type=client_credentials&scope=bad\"scope",
            400,
            "invalid_scope",
        ),
        (None, "grant_type=client_credentials", 401, "invalid_client"),
        (
            None,
            "grant_type=client_credentials&client_id=payments-reader&client_secret=wrong",
            401,
            "invalid_client",
        ),
        (
            None,
            "grant_type=client_credentials&client_id=nobody&client_secret=reader-secret",
            401,
            "invalid_client",
        ),
    ];
    for (auth, form, want_status, want_error) in cases {
        let (status, challenge, cache, body) = post(url, auth, form);
        assert_eq!(
            (status, body["error"].as_str()),
            (want_status, Some(want_error)),
            "{form}: {body}"
        );
        assert!(body["error_description"].is_string());
        assert_eq!(cache.as_deref(), Some("no-store"));
        if want_status == 401 {
            assert_eq!(challenge.as_deref(), Some("Basic realm=\"jwtgate\""));
        }
    }
    let (status, challenge, _, body) = post(
        url,
        Some(&basic("payments-reader", "wrong")),
        "grant_type=client_credentials",
    );
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    assert!(challenge.is_some());

    // Discovery.
    let mut response = agent()
        .get(&format!("{url}/.well-known/openid-configuration"))
        .call()
        .expect("metadata");
    let metadata: Value = response.body_mut().read_json().expect("json");
    assert_eq!(metadata["issuer"], url);
    assert_eq!(metadata["jwks_uri"], jwks);
    assert_eq!(metadata["token_endpoint"], format!("{url}/oauth/v1/token"));
    let response = agent().get(&jwks).call().expect("jwks");
    let max_age = response
        .headers()
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(max_age.contains("max-age=300"), "{max_age}");
}

#[test]
fn rotation_publishes_the_new_key_and_keeps_the_old_one_for_a_period() {
    let issuer = start(&["--alg", "EdDSA", "--rotate-every", "1"]);
    let url = issuer.url.as_str();
    let form =
        "grant_type=client_credentials&client_id=payments-reader&client_secret=reader-secret";
    let (_, _, _, first) = post(url, None, form);
    let old_token = first["access_token"].as_str().expect("token").to_owned();
    std::thread::sleep(Duration::from_millis(1_500));
    let (_, _, _, second) = post(url, None, form);
    let new_token = second["access_token"].as_str().expect("token").to_owned();
    let jwks = format!("{url}/.well-known/jwks.json");
    let kid = |token: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_jwtgate"))
            .args(["decode", token])
            .output()
            .expect("decode");
        serde_json::from_slice::<Value>(&out.stdout).expect("json")["header"]["kid"].clone()
    };
    assert_ne!(
        kid(&old_token),
        kid(&new_token),
        "a new key signs after rotation"
    );
    assert_eq!(verify(&jwks, url, &new_token, &[]).0, 0);
    assert_eq!(
        verify(&jwks, url, &old_token, &[]).0,
        0,
        "the previous key stays published"
    );
    std::thread::sleep(Duration::from_millis(2_200));
    let (code, error) = verify(&jwks, url, &old_token, &[]);
    assert_eq!(
        (code, error["error"].as_str()),
        (1, Some("key_not_found")),
        "two rotations later the old key is gone"
    );
}

#[test]
fn a_clients_file_replaces_the_demo_registry() {
    let dir = std::env::temp_dir().join(format!("jwtgate-clients-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("clients.toml");
    std::fs::write(
        &path,
        "[clients.billing]\nsecret = \"s3cret\"\nscopes = [\"billing:read\", \"billing:write\"]\ndefault_scopes = [\"billing:read\"]\naudience = \"billing-api\"\n\n[clients.legacy]\nsecret = \"old\"\nscopes = [\"x\"]\nclient_credentials = false\n",
    )
    .expect("write registry");
    let issuer = start(&[
        "--alg",
        "ES256",
        "--clients",
        path.to_str().expect("utf-8 path"),
    ]);
    let url = issuer.url.as_str();
    let (status, _, _, body) = post(
        url,
        Some(&basic("billing", "s3cret")),
        "grant_type=client_credentials",
    );
    assert_eq!(
        (status, body["scope"].as_str()),
        (200, Some("billing:read")),
        "{body}"
    );
    let token = body["access_token"].as_str().expect("token");
    let out = Command::new(env!("CARGO_BIN_EXE_jwtgate"))
        .args(["decode", token])
        .output()
        .expect("decode");
    let decoded: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(decoded["payload"]["aud"], "billing-api");
    let (status, _, _, body) = post(
        url,
        Some(&basic("legacy", "old")),
        "grant_type=client_credentials",
    );
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unauthorized_client"))
    );
    let (status, _, _, body) = post(
        url,
        Some(&basic("payments-reader", "reader-secret")),
        "grant_type=client_credentials",
    );
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client")),
        "demo clients are gone"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
