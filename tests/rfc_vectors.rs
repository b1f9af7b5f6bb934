//! Published JOSE vectors, run through the core.
//!
//! - RFC 7515 Appendix A.1 (HS256), A.2 (RS256) and A.3 (ES256): whole
//!   tokens through [`Verifier`], plus one-byte-tampered variants.
//! - RFC 7520 §4.1 (RS256), §4.2 (PS384), §4.3 (ES512) and §4.4 (HS256):
//!   signatures through the provider (their payload is a quote, not claims).
//! - RFC 8037 Appendix A.2/A.4 (Ed25519): signature through the provider, and
//!   the A.3 thumbprint.
//! - RFC 7638 §3.1: the thumbprint of the example RSA key.
//!
//! Every value below is copied from the published vectors (the RFC 7520
//! ones from the JOSE cookbook JSON the RFC was generated from); none is
//! computed here. That each published signature verifies, and each
//! thumbprint matches, is itself the check that nothing was mistyped.

use jwtgate::json::{self, Value};
use jwtgate::{
    base64url, Algorithm, CryptoProvider, Jwk, KeySet, Requirements, RustCrypto, Validation,
    Verifier,
};

/// A JWK from its JSON text.
fn jwk(json: &str) -> Jwk {
    let object = json::parse_object(json.as_bytes()).expect("JWK is a JSON object");
    Jwk::from_object(&object).expect("the published key imports")
}

/// A one-key JWK Set.
fn key_set(json: &str) -> KeySet {
    let set = KeySet::from_json(format!(r#"{{"keys":[{json}]}}"#).as_bytes()).expect("JWK Set");
    assert!(set.skipped().is_empty(), "key skipped: {:?}", set.skipped());
    assert_eq!(set.keys().len(), 1);
    set
}

/// `token` with one byte of its signature changed.
fn tamper_signature(token: &str) -> String {
    let (signing_input, signature) = token.rsplit_once('.').expect("three parts");
    let mut bytes = base64url::decode(signature.as_bytes()).expect("signature base64url");
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    format!("{signing_input}.{}", base64url::encode(&bytes))
}

/// `token` with one byte of its payload changed (the header stays intact).
fn tamper_payload(token: &str) -> String {
    let mut parts = token.split('.');
    let (header, payload, signature) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    let mut bytes = base64url::decode(payload.as_bytes()).expect("payload base64url");
    // `{"iss":"joe"...`: byte 8 is the `j` of "joe", so the JSON stays valid.
    assert_eq!(bytes[8], b'j');
    bytes[8] = b'J';
    format!("{header}.{}.{signature}", base64url::encode(&bytes))
}

fn bytes(b64: &str) -> Vec<u8> {
    base64url::decode(b64.as_bytes()).expect("canonical base64url")
}

// ---------------------------------------------------------------------------
// RFC 7515 Appendix A: JWTs with {"iss":"joe","exp":1300819380,...}.

/// `exp` of the RFC 7515 example tokens.
const RFC7515_EXP: u64 = 1_300_819_380;
/// A time inside the example tokens' validity (one hour before `exp`).
const RFC7515_NOW: u64 = RFC7515_EXP - 3600;

/// RFC 7515 A.1.1: the HS256 token.
const A1_TOKEN: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
/// RFC 7515 A.1.1: the HMAC key.
const A1_KEY: &str = r#"{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#;

/// RFC 7515 A.2.1: the RS256 token.
const A2_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";
/// RFC 7515 A.2.1: the public part (n, e) of the RSA key.
const A2_KEY: &str = r#"{"kty":"RSA","n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ","e":"AQAB"}"#;

/// RFC 7515 A.3.1: the ES256 token.
const A3_TOKEN: &str = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
/// RFC 7515 A.3.1: the public part (x, y) of the P-256 key.
const A3_KEY: &str = r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#;

fn rfc7515_verifier(key: &str, algorithms: &[Algorithm]) -> Verifier {
    let mut validation = Validation::default();
    validation.algorithms = algorithms.to_vec();
    Verifier::new(validation, key_set(key))
}

/// The token verifies at a time inside its validity, with the claims of the
/// RFC; each tampered variant fails as `signature_invalid`; and the same
/// token is expired once `exp` (plus leeway) has passed.
fn check_rfc7515_token(token: &str, key: &str, alg: Algorithm, algorithms: &[Algorithm]) {
    let mut verifier = rfc7515_verifier(key, algorithms);
    if !RustCrypto.supports(alg) {
        // Built without this pure-Rust verifier: the key imports, and the
        // verifier says the algorithm is not available.
        let err = verifier
            .verify(token, RFC7515_NOW, &RustCrypto, &Requirements::default())
            .expect_err("no verifier for this algorithm");
        assert_eq!(err.code().as_str(), "algorithm_not_allowed");
        return;
    }
    let verified = verifier
        .verify(token, RFC7515_NOW, &RustCrypto, &Requirements::default())
        .unwrap_or_else(|err| panic!("{alg}: {err}"));
    assert_eq!(verified.header().alg(), alg);
    let claim = |name| verified.payload().get(name);
    assert_eq!(claim("iss"), Some(&Value::from("joe")));
    assert_eq!(claim("exp"), Some(&Value::from(RFC7515_EXP)));
    assert_eq!(
        claim("http://example.com/is_root"),
        Some(&Value::Bool(true))
    );
    assert_eq!(verified.key_thumbprint(), jwk(key).thumbprint());

    for (what, tampered) in [
        ("signature", tamper_signature(token)),
        ("payload", tamper_payload(token)),
    ] {
        assert_ne!(tampered, token);
        let mut verifier = rfc7515_verifier(key, algorithms);
        let err = verifier
            .verify(
                &tampered,
                RFC7515_NOW,
                &RustCrypto,
                &Requirements::default(),
            )
            .expect_err("a tampered token must not verify");
        assert_eq!(
            err.code().as_str(),
            "signature_invalid",
            "{alg}, tampered {what}: {err}"
        );
    }

    let mut verifier = rfc7515_verifier(key, algorithms);
    let err = verifier
        .verify(
            token,
            RFC7515_EXP + 24 * 3600,
            &RustCrypto,
            &Requirements::default(),
        )
        .expect_err("expired a day later");
    assert_eq!(err.code().as_str(), "token_expired", "{alg}: {err}");
}

#[test]
fn rfc7515_a1_hs256_token() {
    let mut algorithms = Algorithm::ASYMMETRIC.to_vec();
    algorithms.push(Algorithm::HS256);
    check_rfc7515_token(A1_TOKEN, A1_KEY, Algorithm::HS256, &algorithms);
}

#[test]
fn rfc7515_a1_hs256_is_refused_unless_allowed() {
    let mut verifier = rfc7515_verifier(A1_KEY, &Validation::default().algorithms);
    let err = verifier
        .verify(A1_TOKEN, RFC7515_NOW, &RustCrypto, &Requirements::default())
        .expect_err("HS256 is not in the default allowlist");
    assert_eq!(err.code().as_str(), "algorithm_not_allowed");
}

#[test]
fn rfc7515_a2_rs256_token() {
    check_rfc7515_token(
        A2_TOKEN,
        A2_KEY,
        Algorithm::RS256,
        &Validation::default().algorithms,
    );
}

#[test]
fn rfc7515_a3_es256_token() {
    check_rfc7515_token(
        A3_TOKEN,
        A3_KEY,
        Algorithm::ES256,
        &Validation::default().algorithms,
    );
}

// ---------------------------------------------------------------------------
// Signature-level vectors through the provider.

/// `signature` verifies over `signing_input`; flipping a bit in the last
/// signature byte, or in the signing input, makes it fail.
fn check_signature(alg: Algorithm, key: &Jwk, signing_input: &str, signature: &[u8]) {
    assert!(key.can_verify(alg), "{alg}: key cannot verify");
    if !RustCrypto.supports(alg) {
        // Built without this pure-Rust verifier (features p384/p521 off):
        // the key still imports, and nothing verifies.
        assert!(!RustCrypto.verify(alg, key, signing_input.as_bytes(), signature));
        return;
    }
    assert!(
        RustCrypto.verify(alg, key, signing_input.as_bytes(), signature),
        "{alg}: published signature does not verify"
    );
    let mut bad_signature = signature.to_vec();
    let last = bad_signature.len() - 1;
    bad_signature[last] ^= 0x01;
    assert!(
        !RustCrypto.verify(alg, key, signing_input.as_bytes(), &bad_signature),
        "{alg}: tampered signature verifies"
    );
    let mut bad_input = signing_input.as_bytes().to_vec();
    let last = bad_input.len() - 1;
    bad_input[last] ^= 0x01;
    assert!(
        !RustCrypto.verify(alg, key, &bad_input, signature),
        "{alg}: signature verifies over a tampered input"
    );
    assert!(
        !RustCrypto.verify(alg, key, signing_input.as_bytes(), &signature[1..]),
        "{alg}: truncated signature verifies"
    );
}

/// RFC 7520 §4 payload ("It’s a dangerous business, Frodo, ..."), base64url.
const RFC7520_PAYLOAD: &str = "SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4";

/// RFC 7520 §3.4 (used by §4.1 and §4.2): public part of the RSA key.
const RFC7520_RSA_KEY: &str = r#"{"kty":"RSA","kid":"bilbo.baggins@hobbiton.example","use":"sig","n":"n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw","e":"AQAB"}"#;

#[test]
fn rfc7520_4_1_rs256_signature() {
    let header = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9";
    let signature = bytes("MRjdkly7_-oTPTS3AXP41iQIGKa80A0ZmTuV5MEaHoxnW2e5CZ5NlKtainoFmKZopdHM1O2U4mwzJdQx996ivp83xuglII7PNDi84wnB-BDkoBwA78185hX-Es4JIwmDLJK3lfWRa-XtL0RnltuYv746iYTh_qHRD68BNt1uSNCrUCTJDt5aAE6x8wW1Kt9eRo4QPocSadnHXFxnt8Is9UzpERV0ePPQdLuW3IS_de3xyIrDaLGdjluPxUAhb6L2aXic1U12podGU0KLUQSE_oI-ZnmKJ3F4uOZDnd6QZWJushZ41Axf_fcIe8u9ipH84ogoree7vjbU5y18kDquDg");
    let key = jwk(RFC7520_RSA_KEY);
    assert_eq!(key.kid(), Some("bilbo.baggins@hobbiton.example"));
    check_signature(
        Algorithm::RS256,
        &key,
        &format!("{header}.{RFC7520_PAYLOAD}"),
        &signature,
    );
    // The same signature is not an RS384 or PS256 signature.
    let input = format!("{header}.{RFC7520_PAYLOAD}");
    for other in [Algorithm::RS384, Algorithm::PS256] {
        assert!(!RustCrypto.verify(other, &key, input.as_bytes(), &signature));
    }
}

#[test]
fn rfc7520_4_2_ps384_signature() {
    let header = "eyJhbGciOiJQUzM4NCIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9";
    let signature = bytes("cu22eBqkYDKgIlTpzDXGvaFfz6WGoz7fUDcfT0kkOy42miAh2qyBzk1xEsnk2IpN6-tPid6VrklHkqsGqDqHCdP6O8TTB5dDDItllVo6_1OLPpcbUrhiUSMxbbXUvdvWXzg-UD8biiReQFlfz28zGWVsdiNAUf8ZnyPEgVFn442ZdNqiVJRmBqrYRXe8P_ijQ7p8Vdz0TTrxUeT3lm8d9shnr2lfJT8ImUjvAA2Xez2Mlp8cBE5awDzT0qI0n6uiP1aCN_2_jLAeQTlqRHtfa64QQSUmFAAjVKPbByi7xho0uTOcbH510a6GYmJUAfmWjwZ6oD4ifKo8DYM-X72Eaw");
    check_signature(
        Algorithm::PS384,
        &jwk(RFC7520_RSA_KEY),
        &format!("{header}.{RFC7520_PAYLOAD}"),
        &signature,
    );
}

#[test]
fn rfc7520_4_3_es512_signature() {
    let key = jwk(
        r#"{"kty":"EC","kid":"bilbo.baggins@hobbiton.example","use":"sig","crv":"P-521","x":"AHKZLLOsCOzz5cY97ewNUajB957y-C-U88c3v13nmGZx6sYl_oJXu9A5RkTKqjqvjyekWF-7ytDyRXYgCF5cj0Kt","y":"AdymlHvOiLxXkEhayXQnNCvDX4h9htZaCJN34kfmC6pV5OhQHiraVySsUdaQkAgDPrwQrJmbnX9cwlGfP-HqHZR1"}"#,
    );
    let header = "eyJhbGciOiJFUzUxMiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9";
    let signature = bytes("AE_R_YZCChjn4791jSQCrdPZCNYqHXCTZH0-JZGYNlaAjP2kqaluUIIUnC9qvbu9Plon7KRTzoNEuT4Va2cmL1eJAQy3mtPBu_u_sDDyYjnAMDxXPn7XrT0lw-kvAD890jl8e2puQens_IEKBpHABlsbEPX6sFY8OcGDqoRuBomu9xQ2");
    assert_eq!(signature.len(), 132);
    check_signature(
        Algorithm::ES512,
        &key,
        &format!("{header}.{RFC7520_PAYLOAD}"),
        &signature,
    );
}

#[test]
fn rfc7520_4_4_hs256_signature() {
    let key = jwk(
        r#"{"kty":"oct","kid":"018c0ae5-4d9b-471b-bfd6-eef314bc7037","use":"sig","alg":"HS256","k":"hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg"}"#,
    );
    assert_eq!(key.alg(), Some(Algorithm::HS256));
    let header = "eyJhbGciOiJIUzI1NiIsImtpZCI6IjAxOGMwYWU1LTRkOWItNDcxYi1iZmQ2LWVlZjMxNGJjNzAzNyJ9";
    let signature = bytes("s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0");
    check_signature(
        Algorithm::HS256,
        &key,
        &format!("{header}.{RFC7520_PAYLOAD}"),
        &signature,
    );
    // The key is bound to HS256 (`alg` member) and is too short for HS384/512.
    assert!(!key.can_verify(Algorithm::HS384));
    assert!(!key.can_verify(Algorithm::HS512));
}

/// RFC 8037 A.2: the Ed25519 public key.
const RFC8037_KEY: &str =
    r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;

#[test]
fn rfc8037_a4_ed25519_signature() {
    // A.4: header {"alg":"EdDSA"}, payload "Example of Ed25519 signing".
    let signing_input = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
    assert_eq!(
        bytes("RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"),
        b"Example of Ed25519 signing"
    );
    let signature = bytes(
        "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg",
    );
    assert_eq!(signature.len(), 64);
    check_signature(
        Algorithm::EdDSA,
        &jwk(RFC8037_KEY),
        signing_input,
        &signature,
    );
}

#[test]
fn rfc8037_a3_thumbprint() {
    assert_eq!(
        jwk(RFC8037_KEY).thumbprint(),
        "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
    );
}

#[test]
fn rfc7638_3_1_thumbprint() {
    let key = jwk(
        r#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#,
    );
    assert_eq!(
        key.thumbprint(),
        "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    );
}
