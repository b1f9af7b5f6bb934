//! Signature verification behind a provider trait, so that hosts with faster
//! crypto (Envoy's BoringSSL, WebCrypto) can take over from pure Rust.

use jwt_compact::{
    alg::{Ed25519, Hs256, Hs256Key, Hs384, Hs384Key, Hs512, Hs512Key},
    AlgorithmSignature,
};

use crate::alg::{Es384, Es512, Rsa};
use crate::algorithm::Algorithm;
use crate::jwk::{Jwk, KeyMaterial};

/// "Verify signature `signature` over `message` with `key` for `alg`."
///
/// Implementations must return `false` (never panic) for any malformed
/// signature, and must agree with [`RustCrypto`] on every input.
pub trait CryptoProvider {
    /// Whether `signature` is a valid `alg` signature of `message` under `key`.
    /// Callers have already checked [`Jwk::can_verify`]`(alg)`.
    fn verify(&self, alg: Algorithm, key: &Jwk, message: &[u8], signature: &[u8]) -> bool;
}

/// The pure-Rust provider: jwt-compact's algorithms on RustCrypto crates,
/// plus jwtgate's `ES384`/`ES512` and `RS*`/`PS*` ([`Rsa`], with per-key
/// precomputed Montgomery parameters). Always available, on every target.
#[derive(Debug, Clone, Copy, Default)]
pub struct RustCrypto;

impl CryptoProvider for RustCrypto {
    fn verify(&self, alg: Algorithm, key: &Jwk, message: &[u8], signature: &[u8]) -> bool {
        match (alg, key.material()) {
            (Algorithm::HS256, KeyMaterial::Oct(k)) => {
                check(Hs256, &Hs256Key::new(k), message, signature)
            }
            (Algorithm::HS384, KeyMaterial::Oct(k)) => {
                check(Hs384, &Hs384Key::new(k), message, signature)
            }
            (Algorithm::HS512, KeyMaterial::Oct(k)) => {
                check(Hs512, &Hs512Key::new(k), message, signature)
            }
            (Algorithm::RS256, KeyMaterial::Rsa(k)) => check(Rsa::rs256(), k, message, signature),
            (Algorithm::RS384, KeyMaterial::Rsa(k)) => check(Rsa::rs384(), k, message, signature),
            (Algorithm::RS512, KeyMaterial::Rsa(k)) => check(Rsa::rs512(), k, message, signature),
            (Algorithm::PS256, KeyMaterial::Rsa(k)) => check(Rsa::ps256(), k, message, signature),
            (Algorithm::PS384, KeyMaterial::Rsa(k)) => check(Rsa::ps384(), k, message, signature),
            (Algorithm::PS512, KeyMaterial::Rsa(k)) => check(Rsa::ps512(), k, message, signature),
            (Algorithm::ES256, KeyMaterial::P256(k)) => {
                check(jwt_compact::alg::Es256, &k.into(), message, signature)
            }
            (Algorithm::ES384, KeyMaterial::P384(k)) => check(Es384, &k.into(), message, signature),
            (Algorithm::ES512, KeyMaterial::P521(k)) => {
                p521::ecdsa::VerifyingKey::from_affine(*k.as_affine())
                    .is_ok_and(|key| check(Es512, &key, message, signature))
            }
            (Algorithm::EdDSA, KeyMaterial::Ed25519(k)) => check(Ed25519, k, message, signature),
            _ => false,
        }
    }
}

fn check<A: jwt_compact::Algorithm>(
    alg: A,
    key: &A::VerifyingKey,
    message: &[u8],
    signature: &[u8],
) -> bool {
    if A::Signature::LENGTH.is_some_and(|len| len.get() != signature.len()) {
        return false;
    }
    A::Signature::try_from_slice(signature)
        .is_ok_and(|signature| alg.verify_signature(&signature, key, message))
}
