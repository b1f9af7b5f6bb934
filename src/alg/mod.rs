//! `ES384` and `ES512` as implementations of jwt-compact's [`Algorithm`]
//! trait (jwt-compact 0.8 ships `ES256` only), on RustCrypto's `p384`/`p521`.
//!
//! [`Algorithm`]: jwt_compact::Algorithm

mod ecdsa;

pub use self::ecdsa::{Es384, Es384Signature, Es512, Es512Signature};
