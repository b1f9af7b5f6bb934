//! # jwtgate-crypto
//!
//! The pure-Rust signature verification behind the `jwtgate` core's
//! `RustCrypto` provider, and the key checks that need big-number
//! arithmetic:
//!
//! | what | implementation |
//! |---|---|
//! | `HS256/384/512` | jwt-compact (`hmac`, `sha2`): [`hmac`] |
//! | `RS256/384/512`, `PS256/384/512` | [`rsa::Rsa`] on [`rsa::RsaKey`] (`crypto-bigint`, Montgomery parameters per key) |
//! | `ES256` | jwt-compact (`p256`, feature `p256`): [`es256`] |
//! | `ES384`, `ES512` | [`ecdsa`] (`p384`/`p521`, features `p384`, `p521`) |
//! | `EdDSA` (Ed25519) | jwt-compact (`ed25519-dalek`): [`ed25519`] |
//! | NIST point on its curve, ECDSA scalar range | [`ec`] (`crypto-bigint`) |
//!
//! A crate of its own so that a build can optimise it differently from the
//! token path: the npm package compiles this crate for size and the core's
//! parsing and checks for speed (with fat LTO each crate keeps the
//! optimisation level it was compiled at; see `Cargo.toml`, profile `npm`).
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

pub mod ec;
#[cfg(any(feature = "p384", feature = "p521"))]
pub mod ecdsa;
mod params;
pub mod rsa;
mod verify;

pub use params::{Curve, HashAlgorithm};
#[cfg(feature = "p256")]
pub use verify::es256;
#[cfg(feature = "p384")]
pub use verify::es384;
#[cfg(feature = "p521")]
pub use verify::es512;
pub use verify::{ed25519, hmac};
