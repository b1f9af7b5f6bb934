//! Remote key sets: fetched with `dispatch_http_call`, shared across Envoy
//! worker threads through proxy-wasm shared data, so that one fetch per
//! refresh serves every worker.
//!
//! Shared data holds, per remote provider, a small state record (updated with
//! compare-and-swap) and the last good key-set document:
//!
//! - a worker that sees the refresh time pass (or a first fetch missing, or a
//!   re-fetch asked for) takes a *lease* by CAS and fetches; the others see
//!   the lease and wait;
//! - on success the document and a new `version` are published; every worker
//!   loads the set when it sees a version it has not loaded;
//! - on failure the last good set stays and the retry time grows with
//!   exponential backoff;
//! - an unknown `kid` asks for a re-fetch at most once per cooldown.

use std::time::Duration;

use jwtgate::KeySet;
use proxy_wasm::hostcalls;
use proxy_wasm::types::{MapType, Status};
use serde::{Deserialize, Serialize};

use crate::config::{Remote, MIN_MAX_AGE_SECONDS};

/// Largest key-set response body read, bytes.
pub const MAX_BODY_BYTES: usize = 1 << 20;
/// A lease outlives the request timeout by this much, milliseconds.
const LEASE_MARGIN_MS: u64 = 500;
/// Attempts at a compare-and-swap update before giving up.
const CAS_ATTEMPTS: usize = 8;

/// The state every worker shares for one remote key set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedState {
    /// Bumped on every successful fetch; 0 means no key set yet.
    pub version: u64,
    /// Sequence number of the last fetch started.
    pub started: u64,
    /// Highest sequence number of a finished fetch (success or failure).
    pub completed: u64,
    /// When the set should be refreshed, Unix milliseconds.
    pub refresh_at: u64,
    /// Earliest next attempt after failures, Unix milliseconds.
    pub retry_at: u64,
    /// Consecutive failures.
    pub failures: u32,
    /// A fetch is in flight until then, Unix milliseconds.
    pub lease_until: u64,
    /// Last re-fetch caused by an unknown `kid`, Unix milliseconds.
    pub kid_refetch_at: u64,
    /// A re-fetch was asked for and has not started yet.
    pub force: bool,
}

/// The delay before retry number `failures` (1-based): `base * 2^(n-1)`,
/// capped at `max`.
pub fn backoff_ms(base: u64, max: u64, failures: u32) -> u64 {
    let exponent = failures.saturating_sub(1).min(30);
    base.saturating_mul(1u64 << exponent).min(max)
}

/// `max-age` of a `Cache-Control` value, if any.
pub fn max_age(cache_control: &str) -> Option<u64> {
    cache_control.split(',').find_map(|directive| {
        let (name, value) = directive.trim().split_once('=')?;
        if name.trim().eq_ignore_ascii_case("max-age") {
            value.trim().trim_matches('"').parse().ok()
        } else {
            None
        }
    })
}

/// Seconds until the next refresh: `cache_duration`, or a shorter
/// `max-age`, but never below [`MIN_MAX_AGE_SECONDS`].
pub fn refresh_secs(cache_duration: u64, max_age: Option<u64>) -> u64 {
    match max_age {
        Some(age) if age < cache_duration => age.max(MIN_MAX_AGE_SECONDS).min(cache_duration),
        _ => cache_duration,
    }
}

/// What a request that met an unknown `kid` should do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refetch {
    /// Wait until fetch number `.0` (or a later one) has finished.
    WaitFor(u64),
    /// The cooldown forbids another re-fetch now.
    Refused,
}

/// What [`RemoteKeys::on_response`] made of a response.
#[derive(Debug)]
pub enum Fetched {
    /// A new key set.
    Keys(KeySet),
    /// The fetch failed; the reason is for the log.
    Failed(String),
}

/// One VM's view of one remote key set.
#[derive(Debug)]
pub struct RemoteKeys {
    remote: Remote,
    state_key: String,
    keys_key: String,
    loaded_version: u64,
    /// Token and sequence number of the fetch this VM has in flight.
    in_flight: Option<(u32, u64)>,
}

fn read(key: &str) -> (Option<Vec<u8>>, Option<u32>) {
    hostcalls::get_shared_data(key).unwrap_or((None, None))
}

impl RemoteKeys {
    /// State for `remote`; `scope` distinguishes filter configurations that
    /// share a VM id.
    pub fn new(remote: Remote, scope: &str) -> Self {
        let base = format!(
            "jwtgate.{scope}.{}.{}.{}",
            remote.cluster, remote.authority, remote.path
        );
        RemoteKeys {
            state_key: format!("{base}.state"),
            keys_key: format!("{base}.keys"),
            remote,
            loaded_version: 0,
            in_flight: None,
        }
    }

    /// The settings.
    pub fn remote(&self) -> &Remote {
        &self.remote
    }

    fn load_state(&self) -> (SharedState, Option<u32>) {
        let (bytes, cas) = read(&self.state_key);
        let state = bytes
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        (state, cas)
    }

    /// Read-modify-write of the shared state; `change` returns `false` to
    /// give up. Returns the state written, or `None`.
    fn update(&self, mut change: impl FnMut(&mut SharedState) -> bool) -> Option<SharedState> {
        for _ in 0..CAS_ATTEMPTS {
            let (mut state, cas) = self.load_state();
            if !change(&mut state) {
                return None;
            }
            let bytes = serde_json::to_vec(&state).ok()?;
            match hostcalls::set_shared_data(&self.state_key, Some(&bytes), cas) {
                Ok(()) => return Some(state),
                Err(Status::CasMismatch) => continue,
                Err(_) => return None,
            }
        }
        None
    }

    /// Creates the shared record if no worker has yet.
    pub fn init_shared(&self) {
        if read(&self.state_key).0.is_none() {
            if let Ok(bytes) = serde_json::to_vec(&SharedState::default()) {
                let _ = hostcalls::set_shared_data(&self.state_key, Some(&bytes), None);
            }
        }
    }

    /// A key set published by any worker that this VM has not loaded yet.
    pub fn take_published(&mut self) -> Option<KeySet> {
        let (state, _) = self.load_state();
        if state.version == 0 || state.version == self.loaded_version {
            return None;
        }
        let (bytes, _) = read(&self.keys_key);
        let bytes = bytes?;
        let newline = bytes.iter().position(|b| *b == b'\n')?;
        let version: u64 = std::str::from_utf8(bytes.get(..newline)?)
            .ok()?
            .parse()
            .ok()?;
        let set = KeySet::from_json(bytes.get(newline.saturating_add(1)..)?).ok()?;
        self.loaded_version = version;
        Some(set)
    }

    /// The sequence number of the last finished fetch (any worker).
    pub fn progress(&self) -> u64 {
        self.load_state().0.completed
    }

    /// Starts a fetch if one is due and no worker holds the lease.
    /// Returns the failure to log if dispatching failed.
    pub fn maybe_fetch(&mut self, now_ms: u64) -> Option<String> {
        if self.in_flight.is_some() {
            return None;
        }
        let lease_ms = u64::try_from(self.remote.timeout.as_millis())
            .unwrap_or(u64::MAX)
            .saturating_add(LEASE_MARGIN_MS);
        let taken = self.update(|state| {
            let due = state.version == 0 || state.force || now_ms >= state.refresh_at;
            if !due || now_ms < state.retry_at || now_ms < state.lease_until {
                return false;
            }
            state.lease_until = now_ms.saturating_add(lease_ms);
            state.started = state.started.saturating_add(1);
            state.force = false;
            true
        })?;
        let seq = taken.started;
        let headers = vec![
            (":method", "GET"),
            (":path", self.remote.path.as_str()),
            (":authority", self.remote.authority.as_str()),
            ("accept", "application/json"),
        ];
        match hostcalls::dispatch_http_call(
            &self.remote.cluster,
            headers,
            None,
            vec![],
            self.remote.timeout,
        ) {
            Ok(token) => {
                self.in_flight = Some((token, seq));
                None
            }
            Err(status) => {
                self.finish(now_ms, seq, None);
                Some(format!(
                    "cannot dispatch to cluster \"{}\": {status:?}",
                    self.remote.cluster
                ))
            }
        }
    }

    /// Whether `token` is this provider's fetch in flight.
    pub fn owns(&self, token: u32) -> bool {
        self.in_flight.is_some_and(|(t, _)| t == token)
    }

    /// Handles the response of the fetch in flight (the current http-call
    /// response of the host).
    pub fn on_response(&mut self, now_ms: u64, body_size: usize) -> Fetched {
        let Some((_, seq)) = self.in_flight.take() else {
            return Fetched::Failed("unexpected response".to_string());
        };
        let headers = hostcalls::get_map(MapType::HttpCallResponseHeaders).unwrap_or_default();
        let header = |name: &str| {
            headers
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.as_str())
        };
        let outcome = match header(":status") {
            None => Err("no response (timeout or connection failure)".to_string()),
            Some("200") if body_size > MAX_BODY_BYTES => {
                Err(format!("body larger than {MAX_BODY_BYTES} bytes"))
            }
            Some("200") => {
                let body = hostcalls::get_buffer(
                    proxy_wasm::types::BufferType::HttpCallResponseBody,
                    0,
                    body_size,
                )
                .ok()
                .flatten()
                .unwrap_or_default();
                match KeySet::from_json(&body) {
                    Ok(set) if set.keys().is_empty() => Err("no usable key in the set".into()),
                    Ok(set) => Ok((set, body, max_age(header("cache-control").unwrap_or("")))),
                    Err(err) => Err(err.to_string()),
                }
            }
            Some(status) => Err(format!("status {status}")),
        };
        match outcome {
            Ok((set, body, max_age)) => {
                self.finish(now_ms, seq, Some((&body, max_age)));
                Fetched::Keys(set)
            }
            Err(reason) => {
                self.finish(now_ms, seq, None);
                Fetched::Failed(reason)
            }
        }
    }

    /// Forgets a fetch whose response cannot come any more (lease expired).
    pub fn expire(&mut self, now_ms: u64) {
        if let Some((_, seq)) = self.in_flight {
            let (state, _) = self.load_state();
            if now_ms >= state.lease_until {
                self.in_flight = None;
                self.finish(now_ms, seq, None);
            }
        }
    }

    /// Publishes the outcome of fetch `seq`.
    fn finish(&mut self, now_ms: u64, seq: u64, success: Option<(&[u8], Option<u64>)>) {
        let remote = self.remote.clone();
        let mut published = None;
        let written = self.update(|state| {
            state.completed = state.completed.max(seq);
            state.lease_until = 0;
            match success {
                Some((_, max_age)) => {
                    state.version = state.version.saturating_add(1);
                    let secs = refresh_secs(remote.cache_duration_secs, max_age);
                    state.refresh_at = now_ms.saturating_add(secs.saturating_mul(1000));
                    state.failures = 0;
                    state.retry_at = 0;
                    published = Some(state.version);
                }
                None => {
                    state.failures = state.failures.saturating_add(1);
                    let delay = backoff_ms(
                        remote.backoff_base_ms,
                        remote.backoff_max_ms,
                        state.failures,
                    );
                    state.retry_at = now_ms.saturating_add(delay);
                    published = None;
                }
            }
            true
        });
        if let (Some(_), Some((body, _)), Some(version)) = (written, success, published) {
            // Version line, then the document: a reader takes both together.
            let mut value = format!("{version}\n").into_bytes();
            value.extend_from_slice(body);
            if hostcalls::set_shared_data(&self.keys_key, Some(&value), None).is_ok() {
                self.loaded_version = version;
            }
        }
    }

    /// An unknown `kid` was seen: ask for a re-fetch unless one ran within
    /// the cooldown.
    pub fn request_refetch(&mut self, now_ms: u64) -> Refetch {
        let cooldown_ms = self.remote.cooldown_secs.saturating_mul(1000);
        let mut target = None;
        let written = self.update(|state| {
            if state.kid_refetch_at != 0
                && now_ms < state.kid_refetch_at.saturating_add(cooldown_ms)
            {
                return false;
            }
            state.kid_refetch_at = now_ms;
            state.force = true;
            target = Some(state.started.saturating_add(1));
            true
        });
        match (written, target) {
            (Some(_), Some(target)) => Refetch::WaitFor(target),
            _ => Refetch::Refused,
        }
    }

    /// How long requests wait for a key set.
    pub fn wait_limit(&self) -> Duration {
        self.remote.timeout
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff_ms(1000, 30_000, 1), 1000);
        assert_eq!(backoff_ms(1000, 30_000, 2), 2000);
        assert_eq!(backoff_ms(1000, 30_000, 5), 16_000);
        assert_eq!(backoff_ms(1000, 30_000, 6), 30_000);
        assert_eq!(backoff_ms(1000, 30_000, u32::MAX), 30_000);
        assert_eq!(backoff_ms(u64::MAX, u64::MAX, 40), u64::MAX);
    }

    #[test]
    fn max_age_is_honoured_within_bounds() {
        assert_eq!(max_age("public, max-age=120"), Some(120));
        assert_eq!(max_age("no-cache"), None);
        assert_eq!(max_age("max-age=abc"), None);
        assert_eq!(refresh_secs(600, Some(120)), 120);
        assert_eq!(refresh_secs(600, Some(1)), MIN_MAX_AGE_SECONDS);
        assert_eq!(refresh_secs(600, Some(6000)), 600);
        assert_eq!(refresh_secs(2, Some(1)), 2);
        assert_eq!(refresh_secs(600, None), 600);
    }
}
