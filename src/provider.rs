//! Signature verification behind a provider trait, so that hosts with faster
//! crypto (Envoy's BoringSSL, WebCrypto) can take over from pure Rust.

use jwtgate_crypto::rsa::Rsa;

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

    /// Whether this provider can verify `alg` at all. The verifier answers
    /// `algorithm_not_allowed` for one it cannot, rather than a misleading
    /// `signature_invalid`.
    fn supports(&self, alg: Algorithm) -> bool {
        let _ = alg;
        true
    }
}

/// The pure-Rust provider: jwt-compact's algorithms on RustCrypto crates,
/// plus jwtgate's `RS*`/`PS*` ([`Rsa`], with per-key precomputed Montgomery
/// parameters) and `ES256`/`ES384`/`ES512` (features `p256`, `p384`, `p521`;
/// without one it does not support that algorithm). Available on every
/// target.
#[derive(Debug, Clone, Copy, Default)]
pub struct RustCrypto;

impl CryptoProvider for RustCrypto {
    fn verify(&self, alg: Algorithm, key: &Jwk, message: &[u8], signature: &[u8]) -> bool {
        match (alg, key.material()) {
            (Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512, KeyMaterial::Oct(secret)) => {
                jwtgate_crypto::hmac(alg.hash(), secret, message, signature)
            }
            (Algorithm::RS256, KeyMaterial::Rsa(k)) => Rsa::rs256().verify(k, message, signature),
            (Algorithm::RS384, KeyMaterial::Rsa(k)) => Rsa::rs384().verify(k, message, signature),
            (Algorithm::RS512, KeyMaterial::Rsa(k)) => Rsa::rs512().verify(k, message, signature),
            (Algorithm::PS256, KeyMaterial::Rsa(k)) => Rsa::ps256().verify(k, message, signature),
            (Algorithm::PS384, KeyMaterial::Rsa(k)) => Rsa::ps384().verify(k, message, signature),
            (Algorithm::PS512, KeyMaterial::Rsa(k)) => Rsa::ps512().verify(k, message, signature),
            #[cfg(feature = "p256")]
            (Algorithm::ES256, KeyMaterial::Ec(point))
                if point.curve() == jwtgate_crypto::Curve::P256 =>
            {
                jwtgate_crypto::es256(point.sec1(), message, signature)
            }
            #[cfg(feature = "p384")]
            (Algorithm::ES384, KeyMaterial::Ec(point))
                if point.curve() == jwtgate_crypto::Curve::P384 =>
            {
                jwtgate_crypto::es384(point.sec1(), message, signature)
            }
            #[cfg(feature = "p521")]
            (Algorithm::ES512, KeyMaterial::Ec(point))
                if point.curve() == jwtgate_crypto::Curve::P521 =>
            {
                jwtgate_crypto::es512(point.sec1(), message, signature)
            }
            (Algorithm::EdDSA, KeyMaterial::Ed25519(k)) => {
                jwtgate_crypto::ed25519(k, message, signature)
            }
            _ => false,
        }
    }

    fn supports(&self, alg: Algorithm) -> bool {
        let left_out = (alg == Algorithm::ES256 && !cfg!(feature = "p256"))
            || (alg == Algorithm::ES384 && !cfg!(feature = "p384"))
            || (alg == Algorithm::ES512 && !cfg!(feature = "p521"));
        !left_out
    }
}
