//! Attack corpus beyond the shared table: inputs too large for it (a 1 MB
//! token, 10 000-deep JSON), hostile key sets, and cache behaviour.

mod support;

use jwt_compact::alg::{Hs256, Hs256Key};
use jwt_compact::{Algorithm as _, AlgorithmSignature};
use jwtgate::base64url::encode;
use jwtgate::{Algorithm, ErrorCode, KeySet, Requirements, RustCrypto, Validation, Verifier};
use serde_json::json;

const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef0123456789abcdef";
const NOW: u64 = 1_800_000_000;

fn hs_keys() -> KeySet {
    let jwks = json!({"keys": [{"kty": "oct", "kid": "k", "k": encode(SECRET)}]});
    KeySet::from_json(jwks.to_string().as_bytes()).expect("jwks")
}

fn hs_validation() -> Validation {
    let mut validation = Validation::default();
    validation.algorithms = vec![Algorithm::HS256];
    validation
}

fn sign(header: &str, payload: &str) -> String {
    let input = format!(
        "{}.{}",
        encode(header.as_bytes()),
        encode(payload.as_bytes())
    );
    let signature = Hs256.sign(&Hs256Key::new(SECRET), input.as_bytes());
    format!("{input}.{}", encode(&signature.as_bytes()))
}

fn code(verifier: &mut Verifier, token: &str) -> Result<(), ErrorCode> {
    verifier
        .verify(token, NOW, &RustCrypto, &Requirements::default())
        .map(|_| ())
        .map_err(|error| error.code())
}

#[test]
fn a_one_megabyte_token_is_malformed() {
    let mut verifier = Verifier::new(hs_validation(), hs_keys());
    let token = format!("{}.{}.{}", "e".repeat(1 << 20), "e", "e");
    assert_eq!(code(&mut verifier, &token), Err(ErrorCode::TokenMalformed));
}

#[test]
fn ten_thousand_deep_json_is_malformed_not_a_stack_overflow() {
    let mut validation = hs_validation();
    validation.max_token_bytes = 1 << 20;
    let mut verifier = Verifier::new(validation, hs_keys());
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let payload = format!(r#"{{"exp":{},"x":{deep}}}"#, NOW + 100);
    let token = sign(r#"{"alg":"HS256","kid":"k"}"#, &payload);
    assert_eq!(code(&mut verifier, &token), Err(ErrorCode::TokenMalformed));
    let header = format!(r#"{{"alg":"HS256","kid":"k","x":{deep}}}"#);
    let token = sign(&header, &format!(r#"{{"exp":{}}}"#, NOW + 100));
    assert_eq!(code(&mut verifier, &token), Err(ErrorCode::TokenMalformed));
}

#[test]
fn a_payload_that_is_not_an_object_is_malformed_after_the_signature() {
    let mut verifier = Verifier::new(hs_validation(), hs_keys());
    for payload in ["[]", "\"text\"", "12", "null", "{\"exp\":1", "{} {}"] {
        let token = sign(r#"{"alg":"HS256","kid":"k"}"#, payload);
        assert_eq!(
            code(&mut verifier, &token),
            Err(ErrorCode::TokenMalformed),
            "{payload}"
        );
    }
}

#[test]
fn hostile_kids_are_key_not_found() {
    let mut verifier = Verifier::new(hs_validation(), hs_keys());
    for kid in ["\u{0}", "k\u{0}", &"k".repeat(10_000), "\u{202e}k", "k "] {
        let header = json!({"alg": "HS256", "kid": kid}).to_string();
        let token = sign(&header, &format!(r#"{{"exp":{}}}"#, NOW + 100));
        assert_eq!(
            code(&mut verifier, &token),
            Err(ErrorCode::KeyNotFound),
            "{kid:?}"
        );
    }
}

#[test]
fn hostile_key_sets_skip_keys_and_never_fail_the_set() {
    let jwks = json!({"keys": [
        {"kty": "RSA", "n": "AQAB", "e": "AQAB"},
        {"kty": "RSA", "n": encode(&[0xff; 600]), "e": "AQAB"},
        {"kty": "EC", "crv": "P-256", "x": encode(&[1; 32]), "y": encode(&[2; 32])},
        {"kty": "EC", "crv": "P-256", "x": encode(&[1; 31]), "y": encode(&[2; 32])},
        {"kty": "EC", "crv": "secp256k1", "x": "AA", "y": "AA"},
        {"kty": "OKP", "crv": "Ed25519", "x": encode(&[0; 32])},
        {"kty": "OKP", "crv": "X25519", "x": encode(&[9; 32])},
        {"kty": "oct", "k": "c2hvcnQ"},
        {"kty": "oct", "alg": "HS512", "k": encode(&[7; 32])},
        {"kty": "oct", "k": encode(&[7; 32]), "key_ops": ["sign"]},
        {"kty": "oct", "k": encode(&[7; 32]), "alg": "none"},
        {"kty": "oct", "k": "not base64url!"},
        {"kty": "oct", "k": encode(&[7; 32]), "kid": 5},
        {"kty": 1},
        "a string",
        [],
        {"kty": "oct", "k": encode(&[7; 32]), "kid": "good"},
    ]});
    let set = KeySet::from_json(jwks.to_string().as_bytes()).expect("set parses");
    assert_eq!(
        set.keys().len(),
        1,
        "only the last key is usable: {:?}",
        set.skipped()
    );
    assert_eq!(set.skipped().len(), 16);
    for skipped in set.skipped() {
        assert!(!skipped.reason.is_empty());
    }
    for bad in [
        &b"[]"[..],
        b"{}",
        b"{\"keys\":{}}",
        b"",
        b"\xff",
        b"{\"keys\":[],\"keys\":[]}",
    ] {
        assert!(
            KeySet::from_json(bad).is_err(),
            "{:?}",
            String::from_utf8_lossy(bad)
        );
    }
}

#[test]
fn an_hmac_key_too_short_for_the_hash_cannot_verify_hs512() {
    let mut validation = hs_validation();
    validation.algorithms = vec![Algorithm::HS256, Algorithm::HS512];
    let mut verifier = Verifier::new(validation, hs_keys());
    let header = r#"{"alg":"HS512","kid":"k"}"#;
    let input = format!("{}.{}", encode(header.as_bytes()), encode(br#"{"exp":1}"#));
    let token = format!("{input}.{}", encode(&[1; 64]));
    assert_eq!(code(&mut verifier, &token), Err(ErrorCode::KeyNotFound));
}

#[test]
fn the_cache_serves_hits_rechecks_time_and_empties_on_new_keys() {
    let mut verifier = Verifier::new(hs_validation(), hs_keys());
    let token = sign(
        r#"{"alg":"HS256","kid":"k"}"#,
        &format!(r#"{{"exp":{},"scope":"a b"}}"#, NOW + 100),
    );
    assert_eq!(code(&mut verifier, &token), Ok(()));
    assert_eq!(verifier.cached_entries(), 1);
    // A hit still checks the route's scopes and the clock.
    let needs_c = Requirements::scopes(["c"]);
    let err = verifier
        .verify(&token, NOW, &RustCrypto, &needs_c)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InsufficientScope);
    assert_eq!(err.required_scope(), Some("c"));
    let later = verifier.verify(&token, NOW + 1_000, &RustCrypto, &Requirements::default());
    assert_eq!(later.unwrap_err().code(), ErrorCode::TokenExpired);
    assert_eq!(verifier.cached_entries(), 0, "an expired entry is dropped");
    assert_eq!(code(&mut verifier, &token), Ok(()));
    // The same keys again keep the cache; other keys empty it.
    verifier.set_keys(hs_keys());
    assert_eq!(verifier.cached_entries(), 1);
    let other = json!({"keys": [{"kty": "oct", "kid": "k", "k": encode(&[9; 32])}]});
    verifier.set_keys(KeySet::from_json(other.to_string().as_bytes()).expect("jwks"));
    assert_eq!(verifier.cached_entries(), 0);
    assert_eq!(
        code(&mut verifier, &token),
        Err(ErrorCode::SignatureInvalid)
    );
}

#[test]
fn the_cache_is_bounded() {
    let mut validation = hs_validation();
    validation.cache_entries = 8;
    let mut verifier = Verifier::new(validation, hs_keys());
    for i in 0..50 {
        let token = sign(
            r#"{"alg":"HS256","kid":"k"}"#,
            &format!(r#"{{"exp":{},"jti":"{i}"}}"#, NOW + 100),
        );
        assert_eq!(code(&mut verifier, &token), Ok(()));
        assert!(verifier.cached_entries() <= 8);
    }
    assert_eq!(verifier.cached_entries(), 8);
    let mut off = hs_validation();
    off.cache_entries = 0;
    let mut verifier = Verifier::new(off, hs_keys());
    let token = sign(
        r#"{"alg":"HS256","kid":"k"}"#,
        &format!(r#"{{"exp":{}}}"#, NOW + 100),
    );
    assert_eq!(code(&mut verifier, &token), Ok(()));
    assert_eq!(verifier.cached_entries(), 0);
}

#[test]
fn www_authenticate_and_body_follow_rfc_6750() {
    let mut verifier = Verifier::new(hs_validation(), hs_keys());
    let missing = verifier
        .verify("", NOW, &RustCrypto, &Requirements::default())
        .unwrap_err();
    assert_eq!(missing.code(), ErrorCode::TokenMissing);
    assert_eq!(missing.www_authenticate("api"), "Bearer realm=\"api\"");
    let bad = verifier
        .verify("a.b.c", NOW, &RustCrypto, &Requirements::default())
        .unwrap_err();
    assert_eq!(bad.http_status(), 401);
    let header = bad.www_authenticate("api");
    assert!(
        header.starts_with("Bearer realm=\"api\", error=\"invalid_token\", error_description=\""),
        "{header}"
    );
    let token = sign(
        r#"{"alg":"HS256","kid":"k"}"#,
        &format!(r#"{{"exp":{},"scope":"a"}}"#, NOW + 100),
    );
    let scope = verifier
        .verify(
            &token,
            NOW,
            &RustCrypto,
            &Requirements::scopes(["a", "b\"c"]),
        )
        .unwrap_err();
    assert_eq!(scope.http_status(), 403);
    let header = scope.www_authenticate("api");
    assert!(header.contains("error=\"insufficient_scope\""), "{header}");
    assert!(
        header.ends_with("scope=\"a b'c\""),
        "quotes never break the header: {header}"
    );
    let body: serde_json::Value = serde_json::from_str(&scope.json_body()).expect("json");
    assert_eq!(body["error"], "insufficient_scope");
    assert_eq!(body["scope"], "a b\"c");
    for code in ErrorCode::ALL {
        assert_eq!(ErrorCode::from_name(code.as_str()), Some(code));
    }
}
