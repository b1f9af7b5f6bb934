//! Implementations of jwt-compact's [`Algorithm`] trait: `ES384` and `ES512`
//! (jwt-compact 0.8 ships `ES256` only), on RustCrypto's `p384`/`p521`, and
//! `RS*`/`PS*` with per-key precomputed Montgomery parameters ([`Rsa`]).
//!
//! [`Algorithm`]: jwt_compact::Algorithm

mod ecdsa;
mod rsa;

pub use self::ecdsa::{Es384, Es384Signature, Es512, Es512Signature};
pub use self::rsa::{Rsa, RsaKey, RsaSignature};
