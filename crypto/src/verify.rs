//! Signature checks with jwt-compact's algorithms (and this crate's ES384 and
//! ES512), each `false`, never a panic, for a malformed signature or key.

use jwt_compact::{
    alg::{Ed25519, Hs256, Hs256Key, Hs384, Hs384Key, Hs512, Hs512Key},
    Algorithm, AlgorithmSignature,
};

use crate::HashAlgorithm;

/// Whether `signature` is the HMAC of `message` under `secret` with `hash`.
pub fn hmac(hash: HashAlgorithm, secret: &[u8], message: &[u8], signature: &[u8]) -> bool {
    match hash {
        HashAlgorithm::Sha256 => check(Hs256, &Hs256Key::new(secret), message, signature),
        HashAlgorithm::Sha384 => check(Hs384, &Hs384Key::new(secret), message, signature),
        HashAlgorithm::Sha512 => check(Hs512, &Hs512Key::new(secret), message, signature),
    }
}

/// Whether `signature` is an Ed25519 signature of `message` under `key`.
pub fn ed25519(key: &ed25519_dalek::VerifyingKey, message: &[u8], signature: &[u8]) -> bool {
    check(Ed25519, key, message, signature)
}

/// Whether `signature` (`r || s`) is an ES256 signature of `message` under
/// the P-256 point `sec1` (uncompressed SEC1).
#[cfg(feature = "p256")]
pub fn es256(sec1: &[u8], message: &[u8], signature: &[u8]) -> bool {
    p256::ecdsa::VerifyingKey::from_sec1_bytes(sec1)
        .is_ok_and(|key| check(jwt_compact::alg::Es256, &key, message, signature))
}

/// Whether `signature` (`r || s`) is an ES384 signature of `message` under
/// the P-384 point `sec1` (uncompressed SEC1).
#[cfg(feature = "p384")]
pub fn es384(sec1: &[u8], message: &[u8], signature: &[u8]) -> bool {
    p384::ecdsa::VerifyingKey::from_sec1_bytes(sec1)
        .is_ok_and(|key| check(crate::ecdsa::Es384, &key, message, signature))
}

/// Whether `signature` (`r || s`) is an ES512 signature of `message` under
/// the P-521 point `sec1` (uncompressed SEC1).
#[cfg(feature = "p521")]
pub fn es512(sec1: &[u8], message: &[u8], signature: &[u8]) -> bool {
    p521::ecdsa::VerifyingKey::from_sec1_bytes(sec1)
        .is_ok_and(|key| check(crate::ecdsa::Es512, &key, message, signature))
}

fn check<A: Algorithm>(alg: A, key: &A::VerifyingKey, message: &[u8], signature: &[u8]) -> bool {
    if A::Signature::LENGTH.is_some_and(|len| len.get() != signature.len()) {
        return false;
    }
    A::Signature::try_from_slice(signature)
        .is_ok_and(|signature| alg.verify_signature(&signature, key, message))
}
