//! `ES384` and `ES512` as implementations of jwt-compact's [`Algorithm`]
//! trait (jwt-compact 0.8 ships `ES256` only), on RustCrypto's `p384`/`p521`;
//! and a faster RSASSA-PKCS1-v1_5 verifier for RS256/384/512.
//!
//! [`Algorithm`]: jwt_compact::Algorithm

mod ecdsa;
mod rsa_pkcs1;

pub use self::ecdsa::{Es384, Es384Signature, Es512, Es512Signature};
pub use self::rsa_pkcs1::RsaPkcs1Key;
