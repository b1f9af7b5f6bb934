//! jwtgate's RSA path ([`jwtgate::alg::Rsa`] on [`RsaKey`], Montgomery
//! parameters precomputed per key) against the `rsa` crate (through
//! jwt-compact's `Rsa`, the provider's previous path): the same verdict on
//! random valid signatures and on mutated ones, for RS256/384/512 and
//! PS256/384/512, and the same RSAVP1 output (`s^e mod n`) on random
//! integers.
//!
//! Keys (tests/keys/, PKCS#8): 2048 bits with e = 65537 and with e = 3,
//! 2049 bits (PSS then has emLen = k - 1), 3072 and 4096 bits.

use std::sync::OnceLock;

use jwt_compact::{Algorithm as _, AlgorithmSignature as _};
use jwtgate::alg::{Rsa, RsaKey};
use proptest::prelude::*;
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;

struct Key {
    name: &'static str,
    private: rsa::RsaPrivateKey,
    public: rsa::RsaPublicKey,
    fast: RsaKey,
}

fn keys() -> &'static [Key] {
    static KEYS: OnceLock<Vec<Key>> = OnceLock::new();
    KEYS.get_or_init(|| {
        [
            ("rsa-2048", include_str!("keys/rsa-2048.pem")),
            ("rsa-2048-e3", include_str!("keys/rsa-2048-e3.pem")),
            ("rsa-2049", include_str!("keys/rsa-2049.pem")),
            ("rsa-3072", include_str!("keys/rsa-3072.pem")),
            ("rsa-4096", include_str!("keys/rsa-4096.pem")),
        ]
        .into_iter()
        .map(|(name, pem)| {
            let private = rsa::RsaPrivateKey::from_pkcs8_pem(pem).expect("test key parses");
            let public = private.to_public_key();
            let fast = RsaKey::from_be_bytes(&public.n().to_bytes_be(), &public.e().to_bytes_be())
                .expect("test key prepares");
            Key {
                name,
                private,
                public,
                fast,
            }
        })
        .collect()
    })
}

/// The six JWS RSA algorithms: (name, jwtgate's, jwt-compact's).
fn algorithms() -> [(&'static str, Rsa, jwt_compact::alg::Rsa); 6] {
    use jwt_compact::alg::Rsa as C;
    [
        ("RS256", Rsa::rs256(), C::rs256()),
        ("RS384", Rsa::rs384(), C::rs384()),
        ("RS512", Rsa::rs512(), C::rs512()),
        ("PS256", Rsa::ps256(), C::ps256()),
        ("PS384", Rsa::ps384(), C::ps384()),
        ("PS512", Rsa::ps512(), C::ps512()),
    ]
}

/// The `rsa` crate's verdict.
fn reference(alg: &jwt_compact::alg::Rsa, key: &Key, message: &[u8], signature: &[u8]) -> bool {
    let signature =
        jwt_compact::alg::RsaSignature::try_from_slice(signature).expect("any bytes parse");
    alg.verify_signature(&signature, &key.public, message)
}

/// jwtgate's verdict.
fn fast(alg: &Rsa, key: &Key, message: &[u8], signature: &[u8]) -> bool {
    alg.verify(&key.fast, message, signature)
}

#[derive(Debug, Clone)]
enum Mutation {
    None,
    /// Flip one bit of the signature (index taken modulo its length).
    FlipSignatureBit(usize, u8),
    /// Flip one bit of the message (or append a byte to an empty one).
    FlipMessageBit(usize, u8),
    /// Verify under another of the six algorithms.
    OtherAlgorithm(usize),
    /// Drop the first byte of the signature.
    Truncate,
    /// Prepend a zero byte (same integer, wrong length).
    PrependZero,
    /// Replace the signature by random bytes of the same length.
    Random(Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => Just(Mutation::None),
        3 => (any::<usize>(), 0u8..8).prop_map(|(i, b)| Mutation::FlipSignatureBit(i, b)),
        1 => (any::<usize>(), 0u8..8).prop_map(|(i, b)| Mutation::FlipMessageBit(i, b)),
        1 => (1usize..6).prop_map(Mutation::OtherAlgorithm),
        1 => Just(Mutation::Truncate),
        1 => Just(Mutation::PrependZero),
        1 => proptest::collection::vec(any::<u8>(), 512).prop_map(Mutation::Random),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Signs a random message with a random key and algorithm, mutates
    /// (or not), and checks that both paths agree (and that unmutated
    /// signatures verify).
    #[test]
    fn fast_rsa_agrees_with_the_rsa_crate(
        key_index in 0usize..5,
        alg_index in 0usize..6,
        mut message in proptest::collection::vec(any::<u8>(), 0..300),
        mutation in mutation(),
    ) {
        let key = &keys()[key_index];
        let algs = algorithms();
        let (name, _, signer) = &algs[alg_index];
        let mut signature = signer.sign(&key.private, &message).as_bytes().into_owned();
        let mut verify_index = alg_index;
        match &mutation {
            Mutation::None => {}
            Mutation::FlipSignatureBit(i, bit) => {
                let len = signature.len();
                signature[i % len] ^= 1 << bit;
            }
            Mutation::FlipMessageBit(i, bit) => {
                if message.is_empty() {
                    message.push(0);
                } else {
                    let len = message.len();
                    message[i % len] ^= 1 << bit;
                }
            }
            Mutation::OtherAlgorithm(offset) => verify_index = (alg_index + offset) % 6,
            Mutation::Truncate => {
                signature.remove(0);
            }
            Mutation::PrependZero => signature.insert(0, 0),
            Mutation::Random(bytes) => {
                let len = signature.len();
                signature.copy_from_slice(&bytes[..len]);
            }
        }
        let (verify_name, ours, theirs) = &algs[verify_index];
        let expected = reference(theirs, key, &message, &signature);
        let got = fast(ours, key, &message, &signature);
        prop_assert_eq!(
            got, expected,
            "{} signed {}, verified as {}, mutation {:?}", key.name, name, verify_name, mutation
        );
        if matches!(mutation, Mutation::None) {
            prop_assert!(got, "{} {}: valid signature rejected", key.name, name);
        }
    }

    /// RSAVP1 on random `k`-byte integers: `s^e mod n` as the `rsa` crate's
    /// bignum computes it when `s < n`, nothing when `s >= n`.
    #[test]
    fn public_operation_matches_modpow(
        key_index in 0usize..5,
        bytes in proptest::collection::vec(any::<u8>(), 512),
        top in any::<bool>(),
    ) {
        let key = &keys()[key_index];
        let public = &key.public;
        let k = public.size();
        let mut s = bytes[..k].to_vec();
        if top {
            // Near n: n's top byte, so both s < n and s >= n come up.
            s[0] = public.n().to_bytes_be()[0];
        }
        check_public_operation(key, &s);
    }
}

fn check_public_operation(key: &Key, s: &[u8]) {
    let public = &key.public;
    let k = public.size();
    let value = rsa::BigUint::from_bytes_be(s);
    let expected = (&value < public.n()).then(|| {
        let m = value.modpow(public.e(), public.n()).to_bytes_be();
        let mut padded = vec![0u8; k - m.len()];
        padded.extend_from_slice(&m);
        padded
    });
    assert_eq!(key.fast.public_operation(s), expected, "{}", key.name);
}

/// Edge values of the signature integer.
#[test]
fn public_operation_edges() {
    for key in keys() {
        let public = &key.public;
        let k = public.size();
        let n = public.n().to_bytes_be();
        let one = rsa::BigUint::from(1u8);
        let pad = |x: Vec<u8>| {
            let mut padded = vec![0u8; k - x.len()];
            padded.extend_from_slice(&x);
            padded
        };
        let n_minus_1 = pad((public.n() - &one).to_bytes_be());
        let n_plus_1 = public.n() + &one;
        let mut one_bytes = vec![0u8; k];
        one_bytes[k - 1] = 1;
        for s in [
            vec![0u8; k],
            one_bytes.clone(),
            n_minus_1.clone(),
            n.clone(),
            pad(n_plus_1.to_bytes_be()),
            vec![0xff; k],
        ] {
            check_public_operation(key, &s);
        }
        // 0^e = 0, 1^e = 1, (n - 1)^e = n - 1 (e odd).
        assert_eq!(key.fast.public_operation(&vec![0u8; k]), Some(vec![0u8; k]));
        assert_eq!(
            key.fast.public_operation(&one_bytes),
            Some(one_bytes.clone())
        );
        assert_eq!(
            key.fast.public_operation(&n_minus_1),
            Some(n_minus_1.clone())
        );
        // Wrong lengths, even for the same integer.
        assert_eq!(key.fast.public_operation(&one_bytes[1..]), None);
        let mut longer = vec![0u8];
        longer.extend_from_slice(&one_bytes);
        assert_eq!(key.fast.public_operation(&longer), None);
        assert_eq!(key.fast.public_operation(&[]), None);
    }
}

/// A valid signature plus `n` (when it still fits in `k` bytes) is the same
/// residue; RFC 8017 requires `s < n`, and both paths reject it for
/// PKCS#1 v1.5. For PSS the `rsa` 0.9 crate skips that range check (its
/// `pss::verify` only compares lengths); jwtgate rejects.
#[test]
fn signature_plus_modulus_is_rejected() {
    let message = b"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0";
    for key in keys() {
        let public = &key.public;
        let k = public.size();
        for (name, ours, theirs) in algorithms() {
            let signature = theirs.sign(&key.private, message).as_bytes().into_owned();
            assert!(fast(&ours, key, message, &signature), "{} {name}", key.name);
            let bumped = (rsa::BigUint::from_bytes_be(&signature) + public.n()).to_bytes_be();
            if bumped.len() > k {
                continue;
            }
            let mut padded = vec![0u8; k - bumped.len()];
            padded.extend_from_slice(&bumped);
            assert!(!fast(&ours, key, message, &padded), "{} {name}", key.name);
            if name.starts_with("RS") {
                assert!(
                    !reference(&theirs, key, message, &padded),
                    "{} {name}",
                    key.name
                );
            }
        }
    }
}
