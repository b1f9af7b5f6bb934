//! Times RS256 verification of `examples/token.jwt` under key `rsa-1` of
//! `examples/jwks.json`: (a) jwt-compact's `Rsa` on the `rsa` crate, the
//! provider before the fast path; (b) `RustCrypto`, the provider as built.
//!
//! `cargo run --release -- 2000` natively, or build for wasm32-wasip1 and run
//! `node run.mjs target/wasm32-wasip1/release/jwtgate-wasm-rsa-bench.wasm 2000`.
//! A second argument keeps only the timings whose label contains it (`(a)`,
//! `(b)`, `RSAVP1`, `key setup`); see README.md for CPU-time measurement.

use std::time::Instant;

use jwt_compact::{Algorithm as _, AlgorithmSignature as _};
use jwtgate::{base64url, Algorithm, CryptoProvider, KeySet, RustCrypto};

const JWKS: &str = include_str!("../../../examples/jwks.json");
const TOKEN: &str = include_str!("../../../examples/token.jwt");
const PS_KEY: &str = include_str!("../../../tests/keys/rsa-2048.pem");

fn main() {
    let iterations: u32 = std::env::args()
        .nth(1)
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(1000);
    // Optional filter: only the timings whose label contains it.
    let only = std::env::args().nth(2).unwrap_or_default();
    let token = TOKEN.trim();
    let (input, signature) = token.rsplit_once('.').expect("token has a signature");
    let signature = base64url::decode(signature.as_bytes()).expect("base64url signature");
    let message = input.as_bytes();

    let start = Instant::now();
    let keys = KeySet::from_json(JWKS.as_bytes()).expect("key set parses");
    let parse = start.elapsed();
    let jwk = keys
        .keys()
        .iter()
        .find(|key| key.kid() == Some("rsa-1"))
        .expect("key rsa-1");
    let public = rsa_public_key(jwk);

    // (a) jwt-compact's Rsa on the rsa crate.
    let old = jwt_compact::alg::Rsa::rs256();
    let old_signature = jwt_compact::alg::RsaSignature::try_from_slice(&signature).expect("sig");
    assert!(old.verify_signature(&old_signature, &public, message));
    // (b) the provider.
    assert!(RustCrypto.verify(Algorithm::RS256, jwk, message, &signature));

    let mut bad = signature.clone();
    if let Some(byte) = bad.last_mut() {
        *byte ^= 1;
    }
    assert!(!RustCrypto.verify(Algorithm::RS256, jwk, message, &bad));

    let time = |label: &str, f: &dyn Fn() -> bool| {
        if !label.contains(only.as_str()) {
            return;
        }
        for _ in 0..iterations.min(50) {
            assert!(f());
        }
        let start = Instant::now();
        for _ in 0..iterations {
            assert!(f());
        }
        let per = start.elapsed().as_secs_f64() * 1e6 / f64::from(iterations);
        println!("{label}: {per:.1} us/op ({iterations} iterations)");
    };
    println!(
        "first KeySet::from_json, cold (3 keys, 2 of them RSA): {:.1} us",
        parse.as_secs_f64() * 1e6
    );
    let member = |name: &str| {
        let text = jwk.public_members()[name].as_str().expect("string member");
        base64url::decode(text.as_bytes()).expect("base64url member")
    };
    let (n, e) = (member("n"), member("e"));
    time("    key setup: rsa::RsaPublicKey::new     ", &|| {
        rsa::RsaPublicKey::new(
            rsa::BigUint::from_bytes_be(&n),
            rsa::BigUint::from_bytes_be(&e),
        )
        .is_ok()
    });
    time("    key setup: jwtgate alg::RsaKey        ", &|| {
        jwtgate::alg::RsaKey::from_be_bytes(&n, &e).is_ok()
    });
    time("(a) jwt-compact Rsa (rsa 0.9)      RS256", &|| {
        let sig = jwt_compact::alg::RsaSignature::try_from_slice(&signature).expect("sig");
        old.verify_signature(&sig, &public, message)
    });
    let fast_key = match jwk.material() {
        jwtgate::jwk::KeyMaterial::Rsa(key) => key,
        _ => panic!("not an RSA key"),
    };
    time("    of which RSAVP1 (s^e mod n) alone     ", &|| {
        fast_key.public_operation(&signature).is_some()
    });
    // crypto-bigint 0.7 (the `rsa` 0.10 stack) with its params kept too.
    let params07 = {
        use crypto_bigint_07::{modular::BoxedMontyParams, BoxedUint, Odd};
        let bits = u32::try_from(n.len() * 8).expect("bits");
        let modulus = BoxedUint::from_be_slice(&n, bits).expect("n");
        BoxedMontyParams::new_vartime(Odd::new(modulus).expect("odd"))
    };
    let rsavp1_07 = || {
        use crypto_bigint_07::{modular::BoxedMontyForm, BoxedUint};
        let bits = u32::try_from(n.len() * 8).expect("bits");
        let s = BoxedUint::from_be_slice(&signature, bits).expect("s");
        let base = BoxedMontyForm::new(s, &params07);
        let mut acc = base.clone();
        for _ in 0..16 {
            acc = acc.square();
        }
        acc = acc.mul(&base);
        acc.retrieve().to_be_bytes().into_vec()
    };
    assert_eq!(Some(rsavp1_07()), fast_key.public_operation(&signature));
    time("    RSAVP1 on crypto-bigint 0.7 Boxed   ", &|| {
        !rsavp1_07().is_empty()
    });
    time("(b) jwtgate RustCrypto provider     RS256", &|| {
        RustCrypto.verify(Algorithm::RS256, jwk, message, &signature)
    });

    // PS256 with the 2048-bit test key of tests/keys (signed here, once).
    use rsa::pkcs8::DecodePrivateKey as _;
    let private = rsa::RsaPrivateKey::from_pkcs8_pem(PS_KEY).expect("test key");
    let ps_public = private.to_public_key();
    let ps_key = jwtgate::alg::RsaKey::new(ps_public.clone()).expect("test key");
    let ps_old = jwt_compact::alg::Rsa::ps256();
    let ps_signature = ps_old.sign(&private, message).as_bytes().into_owned();
    time("(a) jwt-compact Rsa (rsa 0.9)      PS256", &|| {
        let sig = jwt_compact::alg::RsaSignature::try_from_slice(&ps_signature).expect("sig");
        ps_old.verify_signature(&sig, &ps_public, message)
    });
    time("(b) jwtgate alg::Rsa                PS256", &|| {
        jwtgate::alg::Rsa::ps256().verify(&ps_key, message, &ps_signature)
    });
}

fn rsa_public_key(jwk: &jwtgate::Jwk) -> rsa::RsaPublicKey {
    match jwk.material() {
        jwtgate::jwk::KeyMaterial::Rsa(key) => key.public_key().clone(),
        _ => panic!("not an RSA key"),
    }
}
