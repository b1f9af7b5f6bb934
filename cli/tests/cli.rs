//! The `jwtgate` command as a user runs it: exit codes and output.

use std::io::{Read, Write};
use std::net::TcpListener;

use assert_cmd::Command;
use serde_json::Value;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
const ISSUER: &str = "https://issuer.jwtgate.test";
const AUDIENCE: &str = "payments-api";

fn example(name: &str) -> String {
    std::fs::read_to_string(format!("{ROOT}/examples/{name}")).expect("example file")
}

fn jwtgate() -> Command {
    Command::cargo_bin("jwtgate").expect("binary")
}

fn json(output: &[u8]) -> Value {
    serde_json::from_slice(output).expect("stdout is JSON")
}

fn verify(jwks: &str, token: &str, extra: &[&str]) -> std::process::Output {
    jwtgate()
        .args([
            "verify",
            "--jwks",
            jwks,
            "--issuer",
            ISSUER,
            "--audience",
            AUDIENCE,
        ])
        .args(extra)
        .write_stdin(token)
        .output()
        .expect("runs")
}

#[test]
fn verify_valid_token_prints_claims_and_exits_0() {
    let out = verify(
        &format!("{ROOT}/examples/jwks.json"),
        &example("token.jwt"),
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let body = json(&out.stdout);
    assert_eq!(body["payload"]["iss"], ISSUER);
    assert_eq!(body["scopes"], serde_json::json!(["payments:read"]));
}

#[test]
fn verify_invalid_token_prints_error_and_exits_1() {
    let jwks = format!("{ROOT}/examples/jwks.json");
    let out = verify(&jwks, &example("expired.jwt"), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out.stdout)["error"], "token_expired");
    let out = verify(&jwks, &example("token.jwt"), &["--scope", "payments:write"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out.stdout)["error"], "insufficient_scope");
    // `--now` and `--leeway` move the clock: the expired token (exp 1700000000) holds just before.
    let out = verify(
        &jwks,
        &example("expired.jwt"),
        &["--now", "1700000010", "--leeway", "30"],
    );
    assert_eq!(out.status.code(), Some(0));
    let out = verify(
        &jwks,
        &example("token.jwt"),
        &["--algorithms", "ES256,EdDSA"],
    );
    assert_eq!(json(&out.stdout)["error"], "algorithm_not_allowed");
}

#[test]
fn verify_configuration_errors_exit_2() {
    let out = verify("/nonexistent/jwks.json", &example("token.jwt"), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
    let out = verify(&format!("{ROOT}/Cargo.toml"), &example("token.jwt"), &[]);
    assert_eq!(out.status.code(), Some(2));
    let out = verify(
        &format!("{ROOT}/examples/jwks.json"),
        &example("token.jwt"),
        &["--algorithms", "none"],
    );
    assert_eq!(out.status.code(), Some(2));
    let out = jwtgate()
        .args(["verify", "--jwks", "x"])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(2),
        "missing --issuer is a usage error"
    );
}

#[test]
fn verify_fetches_the_key_set_over_http() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/jwks.json", listener.local_addr().expect("addr"));
    let body = example("jwks.json");
    let server = std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes());
        }
    });
    let out = verify(&url, &example("token.jwt"), &[]);
    server.join().expect("server thread");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Nothing listens there any more: a configuration error.
    let out = verify(&url, &example("token.jwt"), &[]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn decode_shows_times_and_scopes_without_verifying() {
    let out = jwtgate()
        .args(["decode", "--now", "1700000000", "-"])
        .write_stdin(example("token.jwt"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let body = json(&out.stdout);
    assert_eq!(body["header"]["alg"], "RS256");
    assert_eq!(body["times"]["expired"], false);
    assert_eq!(body["times"]["expires"]["utc"], "2100-01-01T00:00:00Z");
    assert_eq!(
        body["times"]["seconds_left"],
        4_102_444_800i64 - 1_700_000_000
    );
    assert_eq!(body["scopes"], serde_json::json!(["payments:read"]));
    assert_eq!(body["verified"], false);
    let out = jwtgate()
        .args(["decode", "--now", "1800000000"])
        .write_stdin(example("expired.jwt"))
        .output()
        .expect("runs");
    assert_eq!(json(&out.stdout)["times"]["expired"], true);
}

#[test]
fn decode_malformed_token_exits_2_with_a_message() {
    let out = jwtgate()
        .args(["decode", "not-a-token"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a JWT"));
}

#[test]
fn jwks_lists_keys_and_skipped_with_reasons() {
    let out = jwtgate()
        .args(["jwks", &format!("{ROOT}/examples/jwks.json")])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let body = json(&out.stdout);
    let keys = body["keys"].as_array().expect("keys");
    assert_eq!(keys.len(), 7);
    assert!(keys
        .iter()
        .any(|k| k["kid"] == "ec-521" && k["type"] == "EC P-521" && k["bits"] == 521));
    let skipped = body["skipped"].as_array().expect("skipped");
    let reasons: Vec<&str> = skipped
        .iter()
        .filter_map(|s| s["reason"].as_str())
        .collect();
    assert_eq!(skipped.len(), 4, "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("too weak: 1024 bits")));
}
