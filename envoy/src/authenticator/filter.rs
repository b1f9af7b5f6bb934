//! The HTTP context: route the request, find the token, verify it, and let
//! the request through with the configured headers or answer the error.

use std::cell::RefCell;
use std::rc::Rc;

use jwtgate::json::{Map, Value};
use jwtgate::{Error, ErrorCode, Verified};
use proxy_wasm::hostcalls;
use proxy_wasm::traits::{Context, HttpContext};
use proxy_wasm::types::{Action, LogLevel, MapType};

use super::gate::{log, now_ms, Decision, Gate, WaitFor, Waiter};
use crate::config::Provider;
use crate::extractor::{self, Extracted, Location};
use crate::metrics::Denial;

/// Most requests one VM keeps paused while waiting for a key set; more are
/// answered 503 `jwks_unavailable` at once.
pub const MAX_WAITERS: usize = 10_000;

/// The gate of a VM, shared by its root and HTTP contexts (one thread).
pub type SharedGate = Rc<RefCell<Option<Gate>>>;

/// One HTTP request.
pub struct Authenticator {
    context_id: u32,
    gate: SharedGate,
    /// The request was paused (waiting for a key set or denied).
    paused: bool,
}

impl Authenticator {
    /// The context for request `context_id`.
    pub fn new(context_id: u32, gate: SharedGate) -> Self {
        Authenticator {
            context_id,
            gate,
            paused: false,
        }
    }

    /// Body and trailers must not flow (Envoy would then also continue the
    /// paused headers) while the request waits for its verdict.
    fn hold(&self) -> Action {
        if !self.paused {
            return Action::Continue;
        }
        let waiting = match self.gate.try_borrow() {
            Ok(slot) => match slot.as_ref() {
                Some(gate) => gate.waiters.iter().any(|w| w.context_id == self.context_id),
                None => true,
            },
            Err(_) => true,
        };
        if waiting {
            Action::Pause
        } else {
            Action::Continue
        }
    }
}

impl Context for Authenticator {}

impl HttpContext for Authenticator {
    fn on_http_request_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        let action = match self.gate.try_borrow_mut() {
            Ok(mut slot) => match slot.as_mut() {
                Some(gate) => handle_request(gate, self.context_id),
                None => fail_closed("the filter is not configured"),
            },
            Err(_) => fail_closed("the filter is busy"),
        };
        self.paused = action == Action::Pause;
        action
    }

    fn on_http_request_body(&mut self, _body_size: usize, _end_of_stream: bool) -> Action {
        self.hold()
    }

    fn on_http_request_trailers(&mut self, _num_trailers: usize) -> Action {
        self.hold()
    }
}

fn fail_closed(why: &str) -> Action {
    let error = Error::new(ErrorCode::JwksUnavailable, why);
    respond_error(&error, "jwtgate");
    Action::Pause
}

fn header_text(headers: &[(String, Vec<u8>)], name: &str) -> Option<String> {
    headers
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| String::from_utf8_lossy(value).into_owned())
}

fn handle_request(gate: &mut Gate, context_id: u32) -> Action {
    // Values may hold any byte: read them as bytes (the SDK's string form
    // panics on non-UTF-8) and decode only what is needed.
    let headers = hostcalls::get_map_bytes(MapType::HttpRequestHeaders).unwrap_or_default();
    let method = header_text(&headers, ":method").unwrap_or_default();
    let path = header_text(&headers, ":path").unwrap_or_default();
    for name in &gate.output_headers {
        if headers.iter().any(|(key, _)| key == name) {
            let _ = hostcalls::set_map_value(MapType::HttpRequestHeaders, name, None);
        }
    }
    let realm = gate.settings.realm.clone();
    let Some(rule_index) = gate
        .settings
        .rules
        .iter()
        .position(|rule| rule.matches(&method, extractor::path_only(&path)))
    else {
        gate.metrics.denied(Denial::NoRule);
        log(
            LogLevel::Debug,
            &format!(
                "jwtgate: deny no_matching_rule: {method} {}",
                extractor::path_only(&path)
            ),
        );
        respond(
            403,
            None,
            "no_matching_rule",
            "no rule of the gateway allows this request",
        );
        return Action::Pause;
    };
    let requires = gate
        .settings
        .rules
        .get(rule_index)
        .and_then(|rule| rule.requires.as_ref())
        .map(|requires| requires.provider);
    let Some(provider_index) = requires else {
        gate.metrics.public();
        return Action::Continue;
    };
    let Some(provider) = gate.settings.providers.get(provider_index) else {
        return fail_closed("no such provider");
    };
    let wanted: Vec<(String, String)> = headers
        .iter()
        .filter(|(key, _)| {
            provider.sources.iter().any(|source| {
                matches!(source, crate::config::TokenSource::Header { name, .. } if name == key)
            })
        })
        .map(|(key, value)| (key.clone(), String::from_utf8_lossy(value).into_owned()))
        .collect();
    let (token, location) = match extractor::extract(&provider.sources, &wanted, &path) {
        Extracted::One { token, location } => (token, location),
        Extracted::Missing => {
            let error = Error::new(ErrorCode::TokenMissing, "no bearer token in the request");
            deny(gate, &error, &realm);
            return Action::Pause;
        }
        Extracted::Several => {
            gate.metrics.denied(Denial::InvalidRequest);
            log(
                LogLevel::Debug,
                "jwtgate: deny invalid_request: several tokens",
            );
            respond(
                400,
                Some(&format!(
                    "Bearer realm=\"{realm}\", error=\"invalid_request\", error_description=\"more than one token in the request\""
                )),
                "invalid_request",
                "more than one token in the request",
            );
            return Action::Pause;
        }
    };
    let now = now_ms();
    match gate.decide(provider_index, rule_index, &token, now, true) {
        Decision::Allow(verified) => {
            allow(gate, provider_index, &verified, &location, &path);
            Action::Continue
        }
        Decision::Deny(error) => {
            deny(gate, &error, &realm);
            Action::Pause
        }
        waiting => {
            let wait = match waiting {
                Decision::WaitForFetch(seq) => WaitFor::Fetch(seq),
                _ => WaitFor::Keys,
            };
            park(
                gate,
                context_id,
                provider_index,
                rule_index,
                token,
                location,
                now,
                wait,
            )
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn park(
    gate: &mut Gate,
    context_id: u32,
    provider: usize,
    rule: usize,
    token: String,
    location: Location,
    now: u64,
    wait: WaitFor,
) -> Action {
    if gate.waiters.len() >= MAX_WAITERS {
        let error = Error::new(
            ErrorCode::JwksUnavailable,
            "too many requests are waiting for the key set",
        );
        let realm = gate.settings.realm.clone();
        deny(gate, &error, &realm);
        return Action::Pause;
    }
    let deadline_ms = now.saturating_add(gate.wait_limit_ms(provider, wait));
    gate.waiters.push(Waiter {
        context_id,
        provider,
        rule,
        token,
        location,
        deadline_ms,
        wait,
    });
    Action::Pause
}

/// Sends the error response for `error` and counts it.
pub fn deny(gate: &Gate, error: &Error, realm: &str) {
    gate.metrics.denied(Denial::Code(error.code()));
    log(
        LogLevel::Debug,
        &format!(
            "jwtgate: deny {}: {}",
            error.code().as_str(),
            error.description()
        ),
    );
    respond_error(error, realm);
}

fn respond_error(error: &Error, realm: &str) {
    let challenge = error.www_authenticate(realm);
    let body = error.json_body();
    let headers = vec![
        ("www-authenticate", challenge.as_str()),
        ("content-type", "application/json"),
        ("cache-control", "no-store"),
    ];
    let _ = hostcalls::send_http_response(
        u32::from(error.http_status()),
        headers,
        Some(body.as_bytes()),
    );
}

fn respond(status: u32, challenge: Option<&str>, code: &str, description: &str) {
    let body = Map::from_iter([
        ("error", code.into()),
        ("error_description", description.into()),
    ])
    .to_string();
    let mut headers = vec![
        ("content-type", "application/json"),
        ("cache-control", "no-store"),
    ];
    if let Some(challenge) = challenge {
        headers.push(("www-authenticate", challenge));
    }
    let _ = hostcalls::send_http_response(status, headers, Some(body.as_bytes()));
}

/// Mutates the request for upstream: token removed unless `forward`,
/// payload and claim headers added.
pub fn allow(gate: &Gate, provider: usize, verified: &Verified, location: &Location, path: &str) {
    gate.metrics.allowed();
    let Some(provider) = gate.settings.providers.get(provider) else {
        return;
    };
    if !provider.forward {
        match location {
            Location::Header(name) => {
                let _ = hostcalls::set_map_value(MapType::HttpRequestHeaders, name, None);
            }
            Location::Param(name) => {
                let stripped = extractor::remove_param(path, name);
                let _ =
                    hostcalls::set_map_value(MapType::HttpRequestHeaders, ":path", Some(&stripped));
            }
        }
    }
    add_headers(provider, verified);
}

fn add_headers(provider: &Provider, verified: &Verified) {
    if let Some(header) = &provider.forward_payload_header {
        let _ = hostcalls::set_map_value(
            MapType::HttpRequestHeaders,
            header,
            Some(verified.payload_b64()),
        );
    }
    for (claim, header) in &provider.claim_to_headers {
        let Some(value) = jwtgate::policy::lookup(verified.payload(), claim) else {
            continue;
        };
        let text = match value {
            Value::String(text) => text.clone(),
            Value::Null => continue,
            other => other.to_string(),
        };
        // Header values must stay visible ASCII; skip what is not.
        if text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
            let _ = hostcalls::set_map_value(MapType::HttpRequestHeaders, header, Some(&text));
        } else {
            log(
                LogLevel::Debug,
                &format!("jwtgate: claim \"{claim}\" is not header-safe; not forwarded"),
            );
        }
    }
}

/// Settles paused requests whose wait is over (root context: on tick and
/// after a fetch).
pub fn settle_waiters(gate: &mut Gate, root_id: u32, now: u64) {
    if gate.waiters.is_empty() {
        return;
    }
    let progress = gate.progress();
    let waiters = std::mem::take(&mut gate.waiters);
    let realm = gate.settings.realm.clone();
    let mut switched = false;
    for waiter in waiters {
        let has_keys = gate
            .providers
            .get(waiter.provider)
            .is_some_and(|p| p.has_keys);
        let ready = match waiter.wait {
            WaitFor::Keys => has_keys,
            WaitFor::Fetch(seq) => progress
                .get(waiter.provider)
                .is_some_and(|done| *done >= seq),
        };
        let expired = now >= waiter.deadline_ms;
        if !ready && !expired {
            gate.waiters.push(waiter);
            continue;
        }
        let decision = if !has_keys {
            Decision::Deny(Error::new(
                ErrorCode::JwksUnavailable,
                "the key set could not be fetched",
            ))
        } else {
            let allow_refetch = waiter.wait == WaitFor::Keys;
            gate.decide(
                waiter.provider,
                waiter.rule,
                &waiter.token,
                now,
                allow_refetch,
            )
        };
        let wait = match decision {
            Decision::WaitForFetch(seq) => Some(WaitFor::Fetch(seq)),
            Decision::WaitForKeys => Some(WaitFor::Keys),
            _ => None,
        };
        if let Some(wait) = wait {
            let deadline_ms = now.saturating_add(gate.wait_limit_ms(waiter.provider, wait));
            gate.waiters.push(Waiter {
                wait,
                deadline_ms,
                ..waiter
            });
            continue;
        }
        // The request may be gone (client closed): then skip it.
        if hostcalls::set_effective_context(waiter.context_id).is_err() {
            continue;
        }
        switched = true;
        match decision {
            Decision::Allow(verified) => {
                let path = hostcalls::get_map_value_bytes(MapType::HttpRequestHeaders, ":path")
                    .ok()
                    .flatten()
                    .map(|p| String::from_utf8_lossy(&p).into_owned())
                    .unwrap_or_default();
                allow(gate, waiter.provider, &verified, &waiter.location, &path);
                let _ = hostcalls::resume_http_request();
            }
            Decision::Deny(error) => deny(gate, &error, &realm),
            Decision::WaitForKeys | Decision::WaitForFetch(_) => {}
        }
    }
    if switched {
        let _ = hostcalls::set_effective_context(root_id);
    }
}
