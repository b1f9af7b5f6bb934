//! Pure-Rust algorithm implementations of jwtgate's own (crate
//! `jwtgate-crypto`): `RS*`/`PS*` with per-key precomputed Montgomery
//! parameters ([`Rsa`]), and `ES384`/`ES512` as jwt-compact `Algorithm`s on
//! RustCrypto's `p384`/`p521` (features `p384` and `p521`; jwt-compact 0.8
//! ships `ES256` only).

#[cfg(feature = "p384")]
pub use jwtgate_crypto::ecdsa::{Es384, Es384Signature};
#[cfg(feature = "p521")]
pub use jwtgate_crypto::ecdsa::{Es512, Es512Signature};
pub use jwtgate_crypto::rsa::{Rsa, RsaKey};
