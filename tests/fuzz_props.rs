//! Property-based fuzzing (proptest; a bounded pass runs in CI): no input
//! panics the parser, key-set reader or verifier, and no change to a valid
//! token keeps it valid. Coverage-guided targets live in `fuzz/`.

mod support;

use jwtgate::jws::DEFAULT_MAX_TOKEN_BYTES;
use jwtgate::{decode_unverified, KeySet, Requirements, RustCrypto, Verifier};
use proptest::prelude::*;

fn valid_tokens() -> Vec<String> {
    let table = support::table();
    table["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .filter(|case| {
            support::expected(case, &RustCrypto)["ok"] == true
                && case["options"].as_object().is_some_and(|o| o.is_empty())
        })
        .filter_map(|case| case["token"].as_str().map(String::from))
        .collect()
}

fn verifier() -> (Verifier, Requirements, u64) {
    let table = support::table();
    let (validation, requirements, now) = support::case_settings(&table, &serde_json::json!({}));
    (
        Verifier::new(validation, support::key_set(&table)),
        requirements,
        now,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_is_an_error_not_a_panic(text in "\\PC{0,400}") {
        let (mut verifier, requirements, now) = verifier();
        prop_assert!(verifier.verify(&text, now, &RustCrypto, &requirements).is_err());
        let _ = decode_unverified(&text, DEFAULT_MAX_TOKEN_BYTES);
    }

    #[test]
    fn base64url_shaped_junk_is_an_error(parts in proptest::collection::vec("[A-Za-z0-9_=+/.-]{0,120}", 1..5)) {
        let (mut verifier, requirements, now) = verifier();
        let token = parts.join(".");
        prop_assert!(verifier.verify(&token, now, &RustCrypto, &requirements).is_err());
    }

    #[test]
    fn any_change_to_a_valid_token_makes_it_invalid(
        which in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        byte in proptest::char::range('!', '~'),
        insert in any::<bool>(),
    ) {
        let tokens = valid_tokens();
        let original = which.get(&tokens);
        let mut changed: Vec<char> = original.chars().collect();
        let position = at.index(changed.len());
        if insert {
            changed.insert(position, byte);
        } else {
            changed[position] = byte;
        }
        let changed: String = changed.into_iter().collect();
        prop_assume!(&changed != original);
        let (mut verifier, requirements, now) = verifier();
        prop_assert!(verifier.verify(original, now, &RustCrypto, &requirements).is_ok());
        let verdict = verifier.verify(&changed, now, &RustCrypto, &requirements);
        prop_assert!(verdict.is_err(), "{} stayed valid", changed);
    }

    #[test]
    fn arbitrary_key_set_documents_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = KeySet::from_json(&bytes);
    }

    #[test]
    fn mutated_key_sets_never_panic(at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let table = support::table();
        let mut document = table["jwks"].to_string().into_bytes();
        let position = at.index(document.len());
        document[position] = byte;
        if let Ok(set) = KeySet::from_json(&document) {
            prop_assert!(set.keys().len() + set.skipped().len() <= 11);
        }
    }

    #[test]
    fn hostile_numeric_claims_never_panic(exp in any::<f64>(), nbf in any::<i64>(), iat in any::<u64>(), now in any::<u64>()) {
        let payload = serde_json::json!({"exp": exp, "nbf": nbf, "iat": iat});
        let object = support::core_value(&payload);
        let object = object.as_object().cloned().unwrap_or_default();
        if let Ok(claims) = jwtgate::Claims::from_payload(&object) {
            let _ = claims.check_time(&jwtgate::Validation::default(), now);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    /// The table decoder accepts exactly what the `base64` crate's strict
    /// unpadded URL-safe engine accepts, with the same bytes.
    #[test]
    fn base64url_decoder_agrees_with_the_base64_crate(text in "[A-Za-z0-9_=+/ .-]{0,64}", bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        use base64::Engine as _;
        let strict = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        prop_assert_eq!(jwtgate::base64url::decode(text.as_bytes()), strict.decode(text.as_bytes()).ok());
        let encoded = strict.encode(&bytes);
        prop_assert_eq!(jwtgate::base64url::decode(encoded.as_bytes()), Some(bytes.clone()));
        // Every single-character change of a valid encoding still agrees.
        for position in 0..encoded.len() {
            for replacement in [b'A', b'B', b'_', b'=', b'+'] {
                let mut changed = encoded.clone().into_bytes();
                changed[position] = replacement;
                prop_assert_eq!(jwtgate::base64url::decode(&changed), strict.decode(&changed).ok());
            }
        }
    }
}
