//! Coverage-guided fuzzing of the core's strict JSON (`cargo +nightly fuzz
//! run json`): any input is a value or an error, never a panic, and what is
//! read is written back as text that reads back and writes as the same text
//! (texts, not values, compare: a number with an exponent beyond 2^53 equals
//! no number, itself included).
#![no_main]

use jwtgate::json;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(value) = json::parse(data) {
        let text = value.to_string();
        let again = json::parse(text.as_bytes()).map(|value| value.to_string());
        assert_eq!(again.ok(), Some(text));
    }
});
