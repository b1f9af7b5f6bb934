//! Writes `tests/cases/cases.json`: the one table of tokens, keys, options and
//! expected verdicts that the Rust, JS and Envoy tests all run.
//!
//! Run from the workspace root: `cargo run --release --example mint_cases`.
//! Tokens that should be valid expire in 2100 and expired ones in 2023, so
//! the table holds under the real clock too (Envoy cannot be given a `now`);
//! cases that need an exact clock carry `now` and Envoy leaves them out.

use jwt_compact::alg::{Ed25519, Es256, Hs256, Hs256Key, Rsa};
use jwt_compact::{Algorithm as _, AlgorithmSignature};
use jwtgate::alg::{Es384, Es512};
use jwtgate::base64url::encode;
use rand_core::OsRng;
use rsa::traits::PublicKeyParts;
use serde_json::{json, Value};

const ISSUER: &str = "https://issuer.jwtgate.test";
const AUDIENCE: &str = "payments-api";
const FAR: i64 = 4_102_444_800; // 2100-01-01
const PAST: i64 = 1_700_000_000; // 2023-11-14
const ISSUED: i64 = 1_690_000_000;

struct Keys {
    rsa: rsa::RsaPrivateKey,
    rsa_other: rsa::RsaPrivateKey,
    weak_rsa: rsa::RsaPrivateKey,
    p256: p256::ecdsa::SigningKey,
    p384: p384::ecdsa::SigningKey,
    p521: p521::ecdsa::SigningKey,
    ed: ed25519_dalek::SigningKey,
    hs: Vec<u8>,
}

enum Signer<'a> {
    Rs256(&'a rsa::RsaPrivateKey),
    Ps256(&'a rsa::RsaPrivateKey),
    Es256(&'a p256::ecdsa::SigningKey),
    Es384(&'a p384::ecdsa::SigningKey),
    Es512(&'a p521::ecdsa::SigningKey),
    EdDsa(&'a ed25519_dalek::SigningKey),
    Hs256(&'a [u8]),
}

fn sign(signer: &Signer<'_>, input: &str) -> Vec<u8> {
    let m = input.as_bytes();
    match signer {
        Signer::Rs256(k) => Rsa::rs256().sign(k, m).as_bytes().to_vec(),
        Signer::Ps256(k) => Rsa::ps256().sign(k, m).as_bytes().to_vec(),
        Signer::Es256(k) => Es256.sign(k, m).as_bytes().to_vec(),
        Signer::Es384(k) => Es384.sign(k, m).as_bytes().to_vec(),
        Signer::Es512(k) => Es512.sign(k, m).as_bytes().to_vec(),
        Signer::EdDsa(k) => Ed25519.sign(k, m).as_bytes().to_vec(),
        Signer::Hs256(k) => Hs256.sign(&Hs256Key::new(k), m).as_bytes().to_vec(),
    }
}

/// A token from raw header and payload JSON text (so tests can hold
/// duplicate members and odd spellings).
fn raw_token(header: &str, payload: &str, signer: &Signer<'_>) -> String {
    let input = format!(
        "{}.{}",
        encode(header.as_bytes()),
        encode(payload.as_bytes())
    );
    let signature = sign(signer, &input);
    format!("{input}.{}", encode(&signature))
}

fn token(header: Value, payload: Value, signer: &Signer<'_>) -> String {
    raw_token(&header.to_string(), &payload.to_string(), signer)
}

fn claims() -> Value {
    json!({
        "iss": ISSUER, "aud": AUDIENCE, "sub": "demo-client", "client_id": "demo-client",
        "iat": ISSUED, "exp": FAR, "jti": "case", "scope": "payments:read"
    })
}

fn with(mut base: Value, changes: Value) -> Value {
    if let (Some(base), Some(changes)) = (base.as_object_mut(), changes.as_object()) {
        for (name, value) in changes {
            if value.is_null() {
                base.remove(name);
            } else {
                base.insert(name.clone(), value.clone());
            }
        }
    }
    base
}

fn rsa_jwk(key: &rsa::RsaPrivateKey, kid: &str, alg: Option<&str>) -> Value {
    let mut jwk = json!({"kty": "RSA", "kid": kid, "use": "sig",
        "n": encode(&key.n().to_bytes_be()), "e": encode(&key.e().to_bytes_be())});
    if let Some(alg) = alg {
        jwk["alg"] = json!(alg);
    }
    jwk
}

fn ec_jwk(point: &[u8], crv: &str, len: usize, kid: &str) -> Value {
    let (x, y) = point[1..].split_at(len);
    json!({"kty": "EC", "crv": crv, "kid": kid, "x": encode(x), "y": encode(y)})
}

fn main() {
    let mut rng = OsRng;
    let keys = Keys {
        rsa: rsa::RsaPrivateKey::new(&mut rng, 2048).expect("rsa keygen"),
        rsa_other: rsa::RsaPrivateKey::new(&mut rng, 2048).expect("rsa keygen"),
        weak_rsa: rsa::RsaPrivateKey::new(&mut rng, 1024).expect("rsa keygen"),
        p256: p256::ecdsa::SigningKey::random(&mut rng),
        p384: p384::ecdsa::SigningKey::random(&mut rng),
        p521: p521::ecdsa::SigningKey::random(&mut rng),
        ed: ed25519_dalek::SigningKey::generate(&mut rng),
        hs: (0u8..64)
            .map(|i| i.wrapping_mul(37).wrapping_add(11))
            .collect(),
    };
    let p256_point = keys.p256.verifying_key().to_encoded_point(false);
    let p384_point = keys.p384.verifying_key().to_encoded_point(false);
    let p521_point = p521::ecdsa::VerifyingKey::from(&keys.p521).to_encoded_point(false);
    let jwks = json!({"keys": [
        rsa_jwk(&keys.rsa, "rsa-1", Some("RS256")),
        rsa_jwk(&keys.rsa, "rsa-ps", Some("PS256")),
        ec_jwk(p256_point.as_bytes(), "P-256", 32, "ec-256"),
        ec_jwk(p384_point.as_bytes(), "P-384", 48, "ec-384"),
        ec_jwk(p521_point.as_bytes(), "P-521", 66, "ec-521"),
        {"kty": "OKP", "crv": "Ed25519", "kid": "ed-1", "x": encode(keys.ed.verifying_key().as_bytes())},
        {"kty": "oct", "kid": "hs-1", "alg": "HS256", "k": encode(&keys.hs)},
        rsa_jwk(&keys.weak_rsa, "weak-rsa", None),
        {"kty": "oct", "kid": "weak-hs", "k": encode(b"short")},
        {"kty": "RSA", "kid": "enc-key", "use": "enc", "n": encode(&keys.rsa_other.n().to_bytes_be()), "e": "AQAB"},
        {"kty": "XYZ", "kid": "odd-kty"},
    ]});

    let rs = Signer::Rs256(&keys.rsa);
    let h = |kid: &str, alg: &str| json!({"alg": alg, "typ": "at+jwt", "kid": kid});
    let rs_h = h("rsa-1", "RS256");
    let mut cases: Vec<Value> = Vec::new();
    let mut case = |name: &str, token: String, options: Value, expect: Value| {
        cases.push(json!({"name": name, "token": token, "options": options, "expect": expect}));
    };
    let ok = |scopes: &[&str]| json!({"ok": true, "scopes": scopes});
    let err = |code: &str| json!({"error": code});
    let none = json!({});

    // Every algorithm, valid.
    case(
        "valid_rs256",
        token(rs_h.clone(), claims(), &rs),
        none.clone(),
        ok(&["payments:read"]),
    );
    case(
        "valid_ps256",
        token(h("rsa-ps", "PS256"), claims(), &Signer::Ps256(&keys.rsa)),
        none.clone(),
        ok(&["payments:read"]),
    );
    case(
        "valid_es256",
        token(h("ec-256", "ES256"), claims(), &Signer::Es256(&keys.p256)),
        none.clone(),
        ok(&["payments:read"]),
    );
    case(
        "valid_es384",
        token(h("ec-384", "ES384"), claims(), &Signer::Es384(&keys.p384)),
        none.clone(),
        ok(&["payments:read"]),
    );
    case(
        "valid_es512",
        token(h("ec-521", "ES512"), claims(), &Signer::Es512(&keys.p521)),
        none.clone(),
        ok(&["payments:read"]),
    );
    case(
        "valid_eddsa",
        token(h("ed-1", "EdDSA"), claims(), &Signer::EdDsa(&keys.ed)),
        none.clone(),
        ok(&["payments:read"]),
    );
    let hs_token = token(h("hs-1", "HS256"), claims(), &Signer::Hs256(&keys.hs));
    case(
        "valid_hs256_when_allowed",
        hs_token.clone(),
        json!({"algorithms": ["HS256"]}),
        ok(&["payments:read"]),
    );
    case(
        "hs256_not_allowed_by_default",
        hs_token,
        none.clone(),
        err("algorithm_not_allowed"),
    );
    case(
        "valid_without_kid_tries_keys",
        token(
            json!({"alg": "ES256"}),
            claims(),
            &Signer::Es256(&keys.p256),
        ),
        none.clone(),
        ok(&["payments:read"]),
    );
    case(
        "valid_scope_array_scp",
        token(
            rs_h.clone(),
            with(
                claims(),
                json!({"scope": null, "scp": ["payments:read", "payments:write"]}),
            ),
            &rs,
        ),
        json!({"requiredScopes": ["payments:write"]}),
        ok(&["payments:read", "payments:write"]),
    );
    case(
        "valid_aud_array",
        token(
            rs_h.clone(),
            with(claims(), json!({"aud": ["other", AUDIENCE]})),
            &rs,
        ),
        none.clone(),
        ok(&["payments:read"]),
    );

    // alg: none in every spelling, with and without a signature part.
    for spelling in ["none", "None", "NONE", "nOnE"] {
        let input = format!(
            "{}.{}",
            encode(json!({"alg": spelling}).to_string().as_bytes()),
            encode(claims().to_string().as_bytes())
        );
        case(
            &format!("alg_{spelling}_empty_signature"),
            format!("{input}."),
            none.clone(),
            err("algorithm_not_allowed"),
        );
        case(
            &format!("alg_{spelling}_junk_signature"),
            format!("{input}.AAAA"),
            none.clone(),
            err("algorithm_not_allowed"),
        );
    }
    // HS256 with the RSA public key as the secret (algorithm confusion).
    let rsa_pub_der = {
        use rsa::pkcs8::EncodePublicKey;
        keys.rsa
            .to_public_key()
            .to_public_key_der()
            .expect("der")
            .as_bytes()
            .to_vec()
    };
    let confused = token(h("rsa-1", "HS256"), claims(), &Signer::Hs256(&rsa_pub_der));
    case(
        "hs256_signed_with_rsa_public_key",
        confused.clone(),
        none.clone(),
        err("algorithm_not_allowed"),
    );
    case(
        "hs256_signed_with_rsa_public_key_hs_allowed",
        confused,
        json!({"algorithms": ["RS256", "HS256"]}),
        err("key_not_found"),
    );
    // Psychic signatures and wrong lengths.
    let es_valid = token(h("ec-256", "ES256"), claims(), &Signer::Es256(&keys.p256));
    let es_input = es_valid
        .rsplit_once('.')
        .map(|(i, _)| i.to_string())
        .unwrap_or_default();
    case(
        "psychic_ecdsa_zero_signature",
        format!("{es_input}.{}", encode(&[0u8; 64])),
        none.clone(),
        err("signature_invalid"),
    );
    case(
        "ecdsa_signature_63_bytes",
        format!("{es_input}.{}", encode(&[1u8; 63])),
        none.clone(),
        err("signature_invalid"),
    );
    case(
        "ecdsa_der_signature",
        format!(
            "{es_input}.{}",
            encode(&[0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01])
        ),
        none.clone(),
        err("signature_invalid"),
    );
    let rs_valid = token(rs_h.clone(), claims(), &rs);
    let (rs_input, rs_sig) = rs_valid
        .rsplit_once('.')
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .unwrap_or_default();
    let mut short_sig = jwtgate::base64url::decode(rs_sig.as_bytes()).unwrap_or_default();
    short_sig.pop();
    case(
        "rsa_signature_one_byte_short",
        format!("{rs_input}.{}", encode(&short_sig)),
        none.clone(),
        err("signature_invalid"),
    );
    case(
        "rsa_signature_all_zero",
        format!("{rs_input}.{}", encode(&[0u8; 256])),
        none.clone(),
        err("signature_invalid"),
    );
    // Tampered payload: signature_invalid even though the new claims are expired.
    let tampered_payload = encode(
        with(claims(), json!({"exp": PAST, "scope": "payments:write"}))
            .to_string()
            .as_bytes(),
    );
    let parts: Vec<&str> = rs_valid.split('.').collect();
    case(
        "tampered_payload",
        format!("{}.{}.{}", parts[0], tampered_payload, parts[2]),
        none.clone(),
        err("signature_invalid"),
    );
    case(
        "signed_by_other_key",
        token(rs_h.clone(), claims(), &Signer::Rs256(&keys.rsa_other)),
        none.clone(),
        err("signature_invalid"),
    );
    // Key lookup.
    case(
        "kid_path_traversal",
        token(h("../../../etc/passwd", "RS256"), claims(), &rs),
        none.clone(),
        err("key_not_found"),
    );
    case(
        "kid_sql_injection",
        token(h("' OR '1'='1' --", "RS256"), claims(), &rs),
        none.clone(),
        err("key_not_found"),
    );
    case(
        "kid_unknown",
        token(h("rsa-9", "RS256"), claims(), &rs),
        none.clone(),
        err("key_not_found"),
    );
    case(
        "kid_of_ec_key_with_rs256",
        token(h("ec-256", "RS256"), claims(), &rs),
        none.clone(),
        err("key_not_found"),
    );
    case(
        "kid_bound_to_other_alg",
        token(h("rsa-1", "PS256"), claims(), &Signer::Ps256(&keys.rsa)),
        none.clone(),
        err("key_not_found"),
    );
    case(
        "weak_rsa_key_skipped",
        token(
            h("weak-rsa", "RS256"),
            claims(),
            &Signer::Rs256(&keys.weak_rsa),
        ),
        none.clone(),
        err("key_not_found"),
    );
    case(
        "enc_key_not_used",
        token(
            h("enc-key", "RS256"),
            claims(),
            &Signer::Rs256(&keys.rsa_other),
        ),
        none.clone(),
        err("key_not_found"),
    );
    let attacker_jwk = rsa_jwk(&keys.rsa_other, "attacker", None);
    case(
        "embedded_jwk_ignored",
        token(
            json!({"alg": "RS256", "jwk": attacker_jwk}),
            claims(),
            &Signer::Rs256(&keys.rsa_other),
        ),
        none.clone(),
        err("signature_invalid"),
    );
    case(
        "jku_ignored",
        token(
            json!({"alg": "RS256", "kid": "attacker", "jku": "https://attacker.example/jwks.json"}),
            claims(),
            &Signer::Rs256(&keys.rsa_other),
        ),
        none.clone(),
        err("key_not_found"),
    );
    case(
        "x5u_ignored",
        token(
            json!({"alg": "RS256", "x5u": "https://attacker.example/cert.pem"}),
            claims(),
            &Signer::Rs256(&keys.rsa_other),
        ),
        none.clone(),
        err("signature_invalid"),
    );
    // Header rules.
    case(
        "crit_unknown",
        token(
            json!({"alg": "RS256", "kid": "rsa-1", "crit": ["exp-ext"], "exp-ext": 1}),
            claims(),
            &rs,
        ),
        none.clone(),
        err("token_malformed"),
    );
    case(
        "b64_false",
        token(
            json!({"alg": "RS256", "kid": "rsa-1", "b64": false, "crit": ["b64"]}),
            claims(),
            &rs,
        ),
        none.clone(),
        err("token_malformed"),
    );
    case(
        "cty_nested_jwt",
        token(
            json!({"alg": "RS256", "kid": "rsa-1", "cty": "JWT"}),
            claims(),
            &rs,
        ),
        none.clone(),
        err("token_malformed"),
    );
    case(
        "duplicate_header_alg",
        raw_token(
            r#"{"alg":"HS256","kid":"rsa-1","alg":"RS256"}"#,
            &claims().to_string(),
            &rs,
        ),
        none.clone(),
        err("token_malformed"),
    );
    let dup_claims = format!(
        r#"{{"iss":"{ISSUER}","aud":"{AUDIENCE}","exp":{PAST},"exp":{FAR},"scope":"payments:read"}}"#
    );
    case(
        "duplicate_claim_exp",
        raw_token(&rs_h.to_string(), &dup_claims, &rs),
        none.clone(),
        err("token_malformed"),
    );
    case(
        "typ_required_at_jwt_ok",
        token(
            json!({"alg": "RS256", "kid": "rsa-1", "typ": "application/AT+JWT"}),
            claims(),
            &rs,
        ),
        json!({"typ": "at+jwt"}),
        ok(&["payments:read"]),
    );
    case(
        "typ_required_at_jwt_got_jwt",
        token(
            json!({"alg": "RS256", "kid": "rsa-1", "typ": "JWT"}),
            claims(),
            &rs,
        ),
        json!({"typ": "at+jwt"}),
        err("claim_invalid"),
    );
    // Encoding.
    case(
        "padded_base64url",
        format!("{}=.{}.{}", parts[0], parts[1], parts[2]),
        none.clone(),
        err("token_malformed"),
    );
    case(
        "standard_base64_alphabet",
        format!(
            "{}.{}.{}",
            parts[0],
            parts[1],
            parts[2].replace('-', "+").replace('_', "/")
        ),
        none.clone(),
        if parts[2].contains(['-', '_']) {
            err("token_malformed")
        } else {
            err("signature_invalid")
        },
    );
    case(
        "non_canonical_trailing_bits",
        format!("{}.{}.{}", parts[0], parts[1], non_canonical(parts[2])),
        none.clone(),
        err("token_malformed"),
    );
    case(
        "four_parts",
        format!("{rs_valid}.e30"),
        none.clone(),
        err("token_malformed"),
    );
    case(
        "two_parts",
        format!("{}.{}", parts[0], parts[1]),
        none.clone(),
        err("token_malformed"),
    );
    case(
        "garbage",
        "not a token".to_string(),
        none.clone(),
        err("token_malformed"),
    );
    case(
        "header_not_json",
        format!("{}.{}.{}", encode(b"alg"), parts[1], parts[2]),
        none.clone(),
        err("token_malformed"),
    );
    case(
        "oversized_token",
        format!("{}.{}.{}", parts[0], "A".repeat(17_000), parts[2]),
        none.clone(),
        err("token_malformed"),
    );
    let deep = format!(
        r#"{{"alg":"RS256","kid":"rsa-1","x":{}{}}}"#,
        "[".repeat(5_000),
        "]".repeat(5_000)
    );
    case(
        "deep_json_header",
        raw_token(&deep, &claims().to_string(), &rs),
        none.clone(),
        err("token_malformed"),
    );
    // Claims with hostile values.
    case(
        "exp_as_string",
        token(
            rs_h.clone(),
            with(claims(), json!({"exp": FAR.to_string()})),
            &rs,
        ),
        none.clone(),
        err("claim_invalid"),
    );
    case(
        "exp_missing",
        token(rs_h.clone(), with(claims(), json!({"exp": null})), &rs),
        none.clone(),
        err("claim_invalid"),
    );
    case(
        "exp_1e18",
        token(
            rs_h.clone(),
            with(claims(), json!({"exp": 1_000_000_000_000_000_000i64})),
            &rs,
        ),
        none.clone(),
        ok(&["payments:read"]),
    );
    case(
        "exp_minus_1e18",
        token(
            rs_h.clone(),
            with(claims(), json!({"exp": -1_000_000_000_000_000_000i64})),
            &rs,
        ),
        none.clone(),
        err("token_expired"),
    );
    case(
        "exp_i64_max",
        token(rs_h.clone(), with(claims(), json!({"exp": i64::MAX})), &rs),
        none.clone(),
        ok(&["payments:read"]),
    );
    case(
        "exp_i64_min",
        token(rs_h.clone(), with(claims(), json!({"exp": i64::MIN})), &rs),
        none.clone(),
        err("token_expired"),
    );
    case(
        "exp_u64_max",
        token(rs_h.clone(), with(claims(), json!({"exp": u64::MAX})), &rs),
        none.clone(),
        ok(&["payments:read"]),
    );
    case(
        "exp_float_1e300",
        token(rs_h.clone(), with(claims(), json!({"exp": 1e300})), &rs),
        none.clone(),
        ok(&["payments:read"]),
    );
    case(
        "nbf_1e18",
        token(
            rs_h.clone(),
            with(claims(), json!({"nbf": 1_000_000_000_000_000_000i64})),
            &rs,
        ),
        none.clone(),
        err("token_not_yet_valid"),
    );
    case(
        "nbf_i64_min",
        token(rs_h.clone(), with(claims(), json!({"nbf": i64::MIN})), &rs),
        none.clone(),
        ok(&["payments:read"]),
    );
    case(
        "iat_in_future",
        token(rs_h.clone(), with(claims(), json!({"iat": FAR - 10})), &rs),
        none.clone(),
        err("token_not_yet_valid"),
    );
    case(
        "expired",
        token(rs_h.clone(), with(claims(), json!({"exp": PAST})), &rs),
        none.clone(),
        err("token_expired"),
    );
    case(
        "not_yet_valid",
        token(rs_h.clone(), with(claims(), json!({"nbf": FAR - 10})), &rs),
        none.clone(),
        err("token_not_yet_valid"),
    );
    let exact = token(rs_h.clone(), with(claims(), json!({"exp": PAST})), &rs);
    case(
        "expired_one_second_past_leeway",
        exact.clone(),
        json!({"now": PAST + 60}),
        err("token_expired"),
    );
    case(
        "within_leeway",
        exact.clone(),
        json!({"now": PAST + 59}),
        ok(&["payments:read"]),
    );
    case(
        "within_custom_leeway",
        exact,
        json!({"now": PAST + 100, "clockTolerance": 120}),
        ok(&["payments:read"]),
    );
    case(
        "max_token_age_exceeded",
        token(rs_h.clone(), claims(), &rs),
        json!({"maxTokenAge": 3600}),
        err("token_expired"),
    );
    case(
        "aud_as_object",
        token(
            rs_h.clone(),
            with(claims(), json!({"aud": {"aud": AUDIENCE}})),
            &rs,
        ),
        none.clone(),
        err("audience_invalid"),
    );
    case(
        "aud_wrong",
        token(
            rs_h.clone(),
            with(claims(), json!({"aud": "other-api"})),
            &rs,
        ),
        none.clone(),
        err("audience_invalid"),
    );
    case(
        "aud_missing",
        token(rs_h.clone(), with(claims(), json!({"aud": null})), &rs),
        none.clone(),
        err("audience_invalid"),
    );
    case(
        "iss_wrong",
        token(
            rs_h.clone(),
            with(claims(), json!({"iss": "https://evil.test"})),
            &rs,
        ),
        none.clone(),
        err("issuer_invalid"),
    );
    case(
        "iss_missing",
        token(rs_h.clone(), with(claims(), json!({"iss": null})), &rs),
        none.clone(),
        err("issuer_invalid"),
    );
    case(
        "iss_one_of_several",
        token(
            rs_h.clone(),
            with(claims(), json!({"iss": "https://second.test"})),
            &rs,
        ),
        json!({"issuer": [ISSUER, "https://second.test"]}),
        ok(&["payments:read"]),
    );
    case(
        "required_claim_missing",
        token(rs_h.clone(), claims(), &rs),
        json!({"requiredClaims": ["tenant"]}),
        err("claim_invalid"),
    );
    // Scopes and claim rules.
    let rw = token(
        rs_h.clone(),
        with(claims(), json!({"scope": "payments:read payments:write"})),
        &rs,
    );
    case(
        "scope_all_of_ok",
        rw.clone(),
        json!({"requiredScopes": ["payments:read", "payments:write"]}),
        ok(&["payments:read", "payments:write"]),
    );
    case(
        "scope_missing_write",
        token(rs_h.clone(), claims(), &rs),
        json!({"requiredScopes": ["payments:write"]}),
        err("insufficient_scope"),
    );
    case(
        "scope_any_of_ok",
        token(rs_h.clone(), claims(), &rs),
        json!({"scopesAny": ["payments:admin", "payments:read"]}),
        ok(&["payments:read"]),
    );
    case(
        "scope_any_of_missing",
        token(rs_h.clone(), claims(), &rs),
        json!({"scopesAny": ["payments:admin", "payments:write"]}),
        err("insufficient_scope"),
    );
    case(
        "scope_claim_wrong_type",
        token(rs_h.clone(), with(claims(), json!({"scope": 42})), &rs),
        none.clone(),
        err("claim_invalid"),
    );
    case(
        "claim_rule_ok",
        rw.clone(),
        json!({"claims": {"client_id": ["demo-client", "other"]}}),
        ok(&["payments:read", "payments:write"]),
    );
    case(
        "claim_rule_in_array",
        token(
            rs_h.clone(),
            with(claims(), json!({"roles": ["viewer", "admin"]})),
            &rs,
        ),
        json!({"claims": {"roles": "admin"}}),
        ok(&["payments:read"]),
    );
    // Numbers compare as decimal values: a rule on 1 accepts the token's
    // 1.0, not 1.5.
    case(
        "claim_rule_number_as_decimal",
        token(rs_h.clone(), with(claims(), json!({"tier": 1.0})), &rs),
        json!({"claims": {"tier": [1, 2]}}),
        ok(&["payments:read"]),
    );
    case(
        "claim_rule_number_mismatch",
        token(rs_h.clone(), with(claims(), json!({"tier": 1.5})), &rs),
        json!({"claims": {"tier": [1, 2]}}),
        err("claim_invalid"),
    );
    case(
        "claim_rule_mismatch",
        rw,
        json!({"claims": {"client_id": "someone-else"}}),
        err("claim_invalid"),
    );
    case(
        "claim_rule_missing",
        token(rs_h, claims(), &rs),
        json!({"claims": {"tenant": "acme"}}),
        err("claim_invalid"),
    );

    // Cases signed with an ECDSA algorithm reach the signature check, which a
    // provider without that algorithm cannot make (the table's
    // `unsupported` note): their verdict there.
    for case in &mut cases {
        let header = case["token"]
            .as_str()
            .and_then(|token| token.split('.').next())
            .and_then(|part| jwtgate::base64url::decode(part.as_bytes()))
            .and_then(|json| serde_json::from_slice::<Value>(&json).ok());
        let alg = header.as_ref().and_then(|header| header["alg"].as_str());
        if let Some(alg @ ("ES256" | "ES384" | "ES512")) = alg {
            case["unsupported"] = json!({"alg": alg, "expect": {"error": "algorithm_not_allowed"}});
        }
    }

    let table = json!({
        "about": "Shared verdict table: generated by `cargo run --release --example mint_cases`; run by tests/shared_cases.rs, the JS tests and the Envoy tests.",
        "defaults": {"issuer": ISSUER, "audience": AUDIENCE},
        "options": "issuer, audience (string or array), algorithms, clockTolerance, maxTokenAge, requiredClaims, typ, requiredScopes, scopesAny, claims ({name: value or [values]}), now (Unix seconds; cases with now need an injectable clock)",
        "unsupported": "A case's `unsupported` is its verdict from a crypto provider without that algorithm: builds of the core without its `p256`/`p384`/`p521` features (the Envoy filter's pure-Rust fallback has none of the three, the npm package's verifySync lacks ES384/ES512) answer algorithm_not_allowed once a key is found.",
        "jwks": jwks,
        "cases": cases,
    });
    let text = serde_json::to_string_pretty(&table).expect("json");
    std::fs::write("tests/cases/cases.json", text + "\n").expect("write tests/cases/cases.json");
    println!(
        "wrote {} cases",
        table["cases"].as_array().map_or(0, Vec::len)
    );
}

/// The same signature with non-zero trailing bits in its last character.
fn non_canonical(b64: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bytes = b64.as_bytes().to_vec();
    if let Some(last) = bytes.last_mut() {
        let index = ALPHABET.iter().position(|c| c == last).unwrap_or(0);
        // A 256-byte signature leaves 2 spare bits in a 4-bit final sextet.
        *last = ALPHABET[index ^ 1];
    }
    String::from_utf8(bytes).unwrap_or_default()
}
