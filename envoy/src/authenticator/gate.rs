//! The per-VM state shared by the root context and every HTTP context:
//! settings, one verifier per provider, remote key sets, metrics, and the
//! requests paused while a key set is being fetched.

use std::sync::Arc;

use jwtgate::{Error, ErrorCode, KeySet, UntrustedToken, Verified, Verifier};
use proxy_wasm::hostcalls;
use proxy_wasm::types::LogLevel;

use crate::config::{KeySource, Settings};
use crate::extractor::Location;
use crate::host_crypto::HostCrypto;
use crate::jwks_fetcher::{Fetched, Refetch, RemoteKeys};
use crate::metrics::Metrics;

/// Extra time a request waiting for an unknown-`kid` re-fetch may wait
/// beyond the fetch timeout, milliseconds.
const REFETCH_WAIT_MARGIN_MS: u64 = 1_000;

/// A provider at run time.
#[derive(Debug)]
pub struct ProviderState {
    /// The core verifier (owns the key set and the verified-token cache).
    pub verifier: Verifier,
    /// Remote key-set state, for `remote_jwks` providers.
    pub remote: Option<RemoteKeys>,
    /// Whether a key set is loaded.
    pub has_keys: bool,
}

/// What to do with a request.
#[derive(Debug)]
pub enum Decision {
    /// Let it through.
    Allow(Arc<Verified>),
    /// Answer with this error.
    Deny(Error),
    /// Pause until a first key set is known.
    WaitForKeys,
    /// Pause until fetch number `.0` finished (unknown `kid`).
    WaitForFetch(u64),
}

/// What a paused request waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitFor {
    /// Any key set.
    Keys,
    /// Fetch number `.0` or later to finish.
    Fetch(u64),
}

/// A paused request.
#[derive(Debug, Clone)]
pub struct Waiter {
    /// Its HTTP context.
    pub context_id: u32,
    /// Provider index.
    pub provider: usize,
    /// Rule index.
    pub rule: usize,
    /// The token.
    pub token: String,
    /// Where the token was found.
    pub location: Location,
    /// When to stop waiting, Unix milliseconds.
    pub deadline_ms: u64,
    /// What it waits for.
    pub wait: WaitFor,
}

/// The per-VM state.
#[derive(Debug)]
pub struct Gate {
    /// The configuration.
    pub settings: Settings,
    /// One entry per provider, same order as `settings.providers`.
    pub providers: Vec<ProviderState>,
    /// Signature provider.
    pub crypto: HostCrypto,
    /// Metrics.
    pub metrics: Metrics,
    /// Paused requests.
    pub waiters: Vec<Waiter>,
    /// Lower-case names of every header the filter sets upstream (stripped
    /// from client requests first).
    pub output_headers: Vec<String>,
}

/// Logs at `level`; logging must never fail a request.
pub fn log(level: LogLevel, message: &str) {
    let _ = hostcalls::log(level, message);
}

/// Current time, Unix milliseconds (0 if the host clock is unusable).
pub fn now_ms() -> u64 {
    hostcalls::get_current_time()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| u64::try_from(d.as_millis()).ok())
        .unwrap_or(0)
}

impl Gate {
    /// Builds the run-time state; `scope` separates the shared data of
    /// different configurations.
    pub fn new(settings: Settings, crypto: HostCrypto, scope: &str) -> Gate {
        let providers = settings
            .providers
            .iter()
            .map(|provider| match &provider.keys {
                KeySource::Local(set) => ProviderState {
                    verifier: Verifier::new(provider.validation.clone(), set.clone()),
                    remote: None,
                    has_keys: true,
                },
                KeySource::Remote(remote) => ProviderState {
                    verifier: Verifier::new(provider.validation.clone(), KeySet::default()),
                    remote: Some(RemoteKeys::new(remote.clone(), scope)),
                    has_keys: false,
                },
            })
            .collect();
        let metrics = Metrics::define(settings.providers.iter().map(|p| p.name.as_str()));
        for provider in &settings.providers {
            if let KeySource::Local(set) = &provider.keys {
                metrics.key_count(&provider.name, set.keys().len());
            }
        }
        let mut output_headers: Vec<String> = Vec::new();
        for provider in &settings.providers {
            let names = provider
                .forward_payload_header
                .iter()
                .chain(provider.claim_to_headers.iter().map(|(_, header)| header));
            for name in names {
                if !output_headers.contains(name) {
                    output_headers.push(name.clone());
                }
            }
        }
        Gate {
            settings,
            providers,
            crypto,
            metrics,
            waiters: Vec::new(),
            output_headers,
        }
    }

    /// Verifies `token` for rule `rule` of provider `provider`.
    /// `allow_refetch`: an unknown `kid` may ask for a key-set re-fetch.
    pub fn decide(
        &mut self,
        provider: usize,
        rule: usize,
        token: &str,
        now_ms: u64,
        allow_refetch: bool,
    ) -> Decision {
        let (Some(state), Some(config), Some(rule)) = (
            self.providers.get_mut(provider),
            self.settings.providers.get(provider),
            self.settings.rules.get(rule),
        ) else {
            return Decision::Deny(Error::new(ErrorCode::JwksUnavailable, "no such provider"));
        };
        if !state.has_keys {
            return Decision::WaitForKeys;
        }
        let Some(requires) = &rule.requires else {
            return Decision::Deny(Error::new(ErrorCode::TokenMissing, "public route"));
        };
        let now = now_ms / 1000;
        let outcome = match state.verifier.prepare(token, now, &requires.requirements) {
            Ok(jwtgate::Prepared::Cached(verified)) => {
                self.metrics.cache_hit();
                Ok(verified)
            }
            Ok(jwtgate::Prepared::Pending(pending)) => {
                self.metrics.cache_miss();
                state
                    .verifier
                    .signer(&pending, &self.crypto)
                    .and_then(|verified_by| {
                        state
                            .verifier
                            .finish(pending, verified_by, now, &requires.requirements)
                    })
            }
            Err(error) => Err(error),
        };
        match outcome {
            Ok(verified) => match check_lifetime(&verified, config.max_lifetime_secs) {
                Ok(()) => Decision::Allow(verified),
                Err(error) => Decision::Deny(error),
            },
            Err(error) if error.code() == ErrorCode::KeyNotFound && allow_refetch => {
                let Some(remote) = state.remote.as_mut() else {
                    return Decision::Deny(error);
                };
                let validation = state.verifier.validation();
                let unknown_kid = UntrustedToken::parse(
                    token,
                    validation.max_token_bytes,
                    &validation.algorithms,
                )
                .ok()
                .and_then(|t| {
                    t.header()
                        .kid()
                        .map(|kid| !state.verifier.keys().has_kid(kid))
                })
                .unwrap_or(false);
                if !unknown_kid {
                    return Decision::Deny(error);
                }
                match remote.request_refetch(now_ms) {
                    Refetch::WaitFor(seq) => Decision::WaitForFetch(seq),
                    Refetch::Refused => Decision::Deny(error),
                }
            }
            Err(error) => Decision::Deny(error),
        }
    }

    /// How long a request may wait for `wait` on `provider`, milliseconds.
    pub fn wait_limit_ms(&self, provider: usize, wait: WaitFor) -> u64 {
        let timeout = self
            .providers
            .get(provider)
            .and_then(|p| p.remote.as_ref())
            .map_or(0, |r| {
                u64::try_from(r.wait_limit().as_millis()).unwrap_or(u64::MAX)
            });
        match wait {
            WaitFor::Keys => timeout,
            WaitFor::Fetch(_) => timeout.saturating_add(REFETCH_WAIT_MARGIN_MS),
        }
    }

    /// Loads key sets other workers published, expires lost fetches and
    /// starts due ones (root context, on every tick).
    pub fn poll_remotes(&mut self, now_ms: u64) {
        for (index, state) in self.providers.iter_mut().enumerate() {
            let Some(remote) = state.remote.as_mut() else {
                continue;
            };
            if let Some(set) = remote.take_published() {
                let name = self
                    .settings
                    .providers
                    .get(index)
                    .map_or("", |p| p.name.as_str());
                self.metrics.key_count(name, set.keys().len());
                state.verifier.set_keys(set);
                state.has_keys = true;
            }
            remote.expire(now_ms);
            if let Some(failure) = remote.maybe_fetch(now_ms) {
                self.metrics.fetched(false);
                log(
                    LogLevel::Warn,
                    &format!("jwtgate: key-set fetch: {failure}"),
                );
            }
        }
    }

    /// Handles an http-call response; `false` if no provider owned it.
    pub fn on_fetch_response(&mut self, token: u32, body_size: usize, now_ms: u64) -> bool {
        for (index, state) in self.providers.iter_mut().enumerate() {
            let Some(remote) = state.remote.as_mut() else {
                continue;
            };
            if !remote.owns(token) {
                continue;
            }
            let name = self
                .settings
                .providers
                .get(index)
                .map_or("", |p| p.name.as_str());
            match remote.on_response(now_ms, body_size) {
                Fetched::Keys(set) => {
                    self.metrics.fetched(true);
                    self.metrics.key_count(name, set.keys().len());
                    log(
                        LogLevel::Info,
                        &format!(
                            "jwtgate: provider \"{name}\": fetched {} key(s) ({} skipped)",
                            set.keys().len(),
                            set.skipped().len()
                        ),
                    );
                    state.verifier.set_keys(set);
                    state.has_keys = true;
                }
                Fetched::Failed(reason) => {
                    self.metrics.fetched(false);
                    let kept = if state.has_keys {
                        "keeping the last good key set"
                    } else {
                        "no key set yet"
                    };
                    log(
                        LogLevel::Warn,
                        &format!(
                            "jwtgate: provider \"{name}\": key-set fetch failed: {reason}; {kept}"
                        ),
                    );
                }
            }
            return true;
        }
        false
    }

    /// Shared progress of every remote provider (`completed` sequence).
    pub fn progress(&self) -> Vec<u64> {
        self.providers
            .iter()
            .map(|p| p.remote.as_ref().map_or(0, RemoteKeys::progress))
            .collect()
    }
}

/// `max_lifetime_seconds`: `exp - iat` must not exceed it (both required).
fn check_lifetime(verified: &Verified, max: Option<u64>) -> Result<(), Error> {
    let Some(max) = max else {
        return Ok(());
    };
    let claims = verified.claims();
    let lifetime = match (claims.expires_at, claims.issued_at) {
        (Some(exp), Some(iat)) => exp.checked_sub(iat),
        _ => {
            return Err(Error::new(
                ErrorCode::ClaimInvalid,
                "the token needs exp and iat (max_lifetime_seconds is set)",
            ))
        }
    };
    match lifetime.map(|l| u64::try_from(l).unwrap_or(0)) {
        Some(lifetime) if lifetime <= max => Ok(()),
        _ => Err(Error::new(
            ErrorCode::TokenExpired,
            format!("the token lifetime exceeds {max} seconds"),
        )),
    }
}
