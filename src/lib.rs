//! # jwtgate
//!
//! Strict verification of OAuth 2.0 JWT access tokens and claim-based
//! authorization, as one `no_std` core for edge workers (WebAssembly through
//! wasm-bindgen) and API gateways (an Envoy proxy-wasm filter).
//!
//! Data flows one way, one module per step:
//! token bytes -> [`jws`] (strict compact-JWS parse, [`header`] checks) ->
//! [`keyset`] (key selection, [`jwk`] binding) -> [`provider`] (signature) ->
//! [`claims`] (time, issuer, audience) -> [`policy`] (scopes, claim rules) ->
//! a [`Verified`] token or an [`Error`] with a stable [`ErrorCode`].
//!
//! ## Algorithms
//!
//! | `alg` | key | pure-Rust implementation ([`RustCrypto`], crate `jwtgate-crypto`) | default allowlist |
//! |---|---|---|---|
//! | HS256/384/512 | `oct`, secret >= hash length | jwt-compact (`hmac`) | no |
//! | RS256/384/512 | `RSA`, 2048..=4096 bits | jwtgate [`alg::Rsa`] (`crypto-bigint`) | yes |
//! | PS256/384/512 | `RSA`, 2048..=4096 bits | jwtgate [`alg::Rsa`] (`crypto-bigint`) | yes |
//! | ES256 | `EC` P-256 | jwt-compact (`p256`, feature `p256`) | yes |
//! | ES384 | `EC` P-384 | jwtgate `alg::Es384` (`p384`, feature `p384`) | yes |
//! | ES512 | `EC` P-521 | jwtgate `alg::Es512` (`p521`, feature `p521`) | yes |
//! | EdDSA | `OKP` Ed25519 | jwt-compact (`ed25519-dalek`) | yes |
//!
//! `none` is never accepted. Cargo features: `p256`, `p384` and `p521`
//! (default) compile the pure-Rust ECDSA verifiers (P-384 and P-521 are
//! about 190 KB of `.wasm`, P-256 about 25 KB); without one, keys on that
//! curve are still parsed, validated ([`ec`]) and exported ([`der`], JWK) for
//! host crypto, and a [`Verifier`] using [`RustCrypto`] answers
//! `algorithm_not_allowed` for its algorithm. `std` adds
//! `std::error::Error`.
//!
//! Hosts may verify signatures with their own crypto through
//! [`CryptoProvider`]; every provider must agree with [`RustCrypto`].
//!
//! Token and key-set JSON goes through the core's own strict parser
//! ([`json`]): repeated member names are refused at any depth and numbers
//! keep their text.
//!
//! ## Example
//!
//! ```
//! use jwtgate::{KeySet, Requirements, RustCrypto, Validation, Verifier};
//!
//! let keys = KeySet::from_json(br#"{"keys":[]}"#).unwrap();
//! let mut validation = Validation::default();
//! validation.issuers = vec!["https://issuer.example".into()];
//! validation.audiences = vec!["payments".into()];
//! let mut verifier = Verifier::new(validation, keys);
//! let err = verifier
//!     .verify("not.a.token", 1_700_000_000, &RustCrypto, &Requirements::default())
//!     .unwrap_err();
//! assert_eq!(err.code().as_str(), "token_malformed");
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

pub mod alg;
pub mod algorithm;
pub mod base64url;
pub mod cache;
pub mod claims;
pub mod config;
pub mod der;
pub use jwtgate_crypto::ec;
pub mod error;
pub mod header;
pub mod json;
pub mod jwk;
pub mod jws;
pub mod keyset;
pub mod policy;
pub mod provider;
pub mod verifier;

pub use algorithm::Algorithm;
pub use claims::Claims;
pub use config::Validation;
pub use error::{Error, ErrorCode};
pub use header::Header;
pub use jwk::Jwk;
pub use jws::{decode_unverified, Decoded, UntrustedToken};
pub use keyset::{KeySet, KeySetError};
pub use policy::{ClaimRule, Requirements};
pub use provider::{CryptoProvider, RustCrypto};
pub use verifier::{Pending, Prepared, Verified, Verifier};
