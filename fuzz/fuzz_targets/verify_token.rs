//! Coverage-guided fuzzing of the whole verification path (needs nightly:
//! `cargo +nightly fuzz run verify_token`). CI runs the proptest pass in
//! tests/fuzz_props.rs instead, as this machine's toolchain is stable.
#![no_main]

use jwtgate::{KeySet, Requirements, RustCrypto, Validation, Verifier};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else { return };
    let table: serde_json::Value =
        serde_json::from_str(include_str!("../../tests/cases/cases.json")).unwrap_or_default();
    let Ok(keys) = KeySet::from_json(table["jwks"].to_string().as_bytes()) else { return };
    let mut verifier = Verifier::new(Validation::default(), keys);
    let _ = verifier.verify(token, 1_800_000_000, &RustCrypto, &Requirements::default());
    let _ = jwtgate::decode_unverified(token, 16 * 1024);
});
