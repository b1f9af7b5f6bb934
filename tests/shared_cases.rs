//! Runs the shared verdict table (tests/cases/cases.json) through the core
//! with the pure-Rust provider, uncached and then from the cache.

mod support;

use jwtgate::{RustCrypto, Verifier};
use serde_json::Value;

#[test]
fn every_shared_case_gets_its_verdict_cold_and_cached() {
    let table = support::table();
    let cases = table["cases"].as_array().expect("cases");
    assert!(cases.len() > 80, "the table lost cases");
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let token = case["token"].as_str().expect("token");
        let (validation, requirements, now) = support::case_settings(&table, &case["options"]);
        let mut verifier = Verifier::new(validation, support::key_set(&table));
        // Twice: the second run of a valid token is served from the cache and
        // must give the same verdict.
        for round in ["cold", "cached"] {
            let verdict = verifier.verify(token, now, &RustCrypto, &requirements);
            let expected = support::expected(case, &RustCrypto);
            match (&verdict, expected.get("error").and_then(Value::as_str)) {
                (Ok(verified), None) => {
                    let want: Vec<String> =
                        serde_json::from_value(expected["scopes"].clone()).expect("scopes");
                    if verified.scopes() != want.as_slice() {
                        failures.push(format!(
                            "{name} ({round}): scopes {:?}, want {want:?}",
                            verified.scopes()
                        ));
                    }
                }
                (Err(error), Some(code)) if error.code().as_str() == code => {}
                (got, want) => failures.push(format!(
                    "{name} ({round}): got {:?}, want {}",
                    got.as_ref().map(|_| "ok").map_err(|e| e.to_string()),
                    want.unwrap_or("ok")
                )),
            }
        }
        if support::expected(case, &RustCrypto)["ok"] == Value::Bool(true) {
            assert_eq!(
                verifier.cached_entries(),
                1,
                "{name}: a valid token is cached"
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
