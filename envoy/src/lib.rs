//! # jwtgate-envoy
//!
//! jwtgate as an Envoy proxy-wasm HTTP filter (`envoy.filters.http.wasm`):
//! verifies JWT access tokens with the `jwtgate` core, applies scope and
//! claim rules per route, fetches and shares remote key sets across worker
//! threads, and answers RFC 6750 errors. See `envoy/README.md` for operators.
//!
//! Modules, one concern each: [`config`] (JSON configuration to settings),
//! [`extractor`] (finding the token), [`host_crypto`] (Envoy's
//! `verify_signature` as a crypto provider, with its self-test),
//! [`json_path`] (naming the field of a configuration error),
//! [`jwks_fetcher`] (remote key sets, shared data, refresh and backoff),
//! [`authenticator`] (the per-request path), [`metrics`], [`root`].
#![deny(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]
#![warn(missing_docs)]

pub mod authenticator;
pub mod config;
pub mod extractor;
pub mod host_crypto;
pub mod json_path;
pub mod jwks_fetcher;
pub mod metrics;
pub mod root;

/// The module entry point. The SDK's `main!` macro expands to an exported
/// `_initialize` that calls the WASI constructors (`unsafe` inside the SDK's
/// macro); nothing else in the crate uses `unsafe`.
#[cfg(target_arch = "wasm32")]
#[allow(unsafe_code)]
mod entry {
    use proxy_wasm::traits::RootContext;
    use proxy_wasm::types::LogLevel;

    proxy_wasm::main! {{
        proxy_wasm::set_log_level(LogLevel::Trace);
        proxy_wasm::set_root_context(|context_id| -> Box<dyn RootContext> {
            Box::new(crate::root::Root::new(context_id))
        });
    }}
}
