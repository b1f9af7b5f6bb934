//! Coverage-guided fuzzing of JWK Set parsing (`cargo +nightly fuzz run key_set`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(set) = jwtgate::KeySet::from_json(data) {
        for key in set.keys() {
            let _ = (key.thumbprint(), key.spki_der(), key.bits());
        }
    }
});
