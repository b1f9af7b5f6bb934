//! Pure-Rust algorithm implementations of jwtgate's own: `RS*`/`PS*` with
//! per-key precomputed Montgomery parameters ([`Rsa`]), and `ES384`/`ES512`
//! as jwt-compact [`Algorithm`]s on RustCrypto's `p384`/`p521` (features
//! `p384` and `p521`; jwt-compact 0.8 ships `ES256` only).
//!
//! [`Algorithm`]: jwt_compact::Algorithm

#[cfg(any(feature = "p384", feature = "p521"))]
mod ecdsa;
mod rsa;

#[cfg(feature = "p384")]
pub use self::ecdsa::{Es384, Es384Signature};
#[cfg(feature = "p521")]
pub use self::ecdsa::{Es512, Es512Signature};
pub(crate) use self::rsa::uint_from_be;
pub use self::rsa::{Rsa, RsaKey};
