//! Counters and gauges visible in Envoy's `/stats` (Envoy prefixes custom
//! wasm metrics with `wasmcustom.`): requests allowed, denied by code,
//! verified-token cache hits and misses, key-set fetches, key count.

use jwtgate::ErrorCode;
use proxy_wasm::hostcalls;
use proxy_wasm::types::MetricType;

/// Deny reasons that are not token verdicts of the core.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial {
    /// A verdict of the core.
    Code(ErrorCode),
    /// Two tokens in one request (400 `invalid_request`).
    InvalidRequest,
    /// No rule matches the request (403).
    NoRule,
}

impl Denial {
    /// The code as used in metric names and response bodies.
    pub fn as_str(self) -> &'static str {
        match self {
            Denial::Code(code) => code.as_str(),
            Denial::InvalidRequest => "invalid_request",
            Denial::NoRule => "no_matching_rule",
        }
    }
}

/// Metric ids of one VM (Envoy shares the values of equal names across VMs).
#[derive(Debug, Default)]
pub struct Metrics {
    allowed: Option<u32>,
    public: Option<u32>,
    denied: Vec<(&'static str, Option<u32>)>,
    cache_hits: Option<u32>,
    cache_misses: Option<u32>,
    fetch_ok: Option<u32>,
    fetch_failed: Option<u32>,
    keys: Vec<(String, Option<u32>)>,
}

fn define(kind: MetricType, name: &str) -> Option<u32> {
    hostcalls::define_metric(kind, name).ok()
}

fn add(id: Option<u32>) {
    if let Some(id) = id {
        // A failing metric call must never fail a request.
        let _ = hostcalls::increment_metric(id, 1);
    }
}

impl Metrics {
    /// Defines every metric; `providers` names the key-count gauges.
    pub fn define<'a>(providers: impl Iterator<Item = &'a str>) -> Self {
        let mut denied: Vec<(&'static str, Option<u32>)> = ErrorCode::ALL
            .into_iter()
            .map(Denial::Code)
            .chain([Denial::InvalidRequest, Denial::NoRule])
            .map(|d| {
                let name = d.as_str();
                (
                    name,
                    define(MetricType::Counter, &format!("jwtgate.denied.{name}")),
                )
            })
            .collect();
        denied.shrink_to_fit();
        Metrics {
            allowed: define(MetricType::Counter, "jwtgate.allowed"),
            public: define(MetricType::Counter, "jwtgate.public"),
            denied,
            cache_hits: define(MetricType::Counter, "jwtgate.cache_hits"),
            cache_misses: define(MetricType::Counter, "jwtgate.cache_misses"),
            fetch_ok: define(MetricType::Counter, "jwtgate.jwks_fetch_ok"),
            fetch_failed: define(MetricType::Counter, "jwtgate.jwks_fetch_failed"),
            keys: providers
                .map(|name| {
                    (
                        name.to_string(),
                        define(MetricType::Gauge, &format!("jwtgate.jwks_keys.{name}")),
                    )
                })
                .collect(),
        }
    }

    /// A request with a verified token went upstream.
    pub fn allowed(&self) {
        add(self.allowed);
    }

    /// A request on a public route went upstream.
    pub fn public(&self) {
        add(self.public);
    }

    /// A request was denied.
    pub fn denied(&self, denial: Denial) {
        let name = denial.as_str();
        if let Some((_, id)) = self.denied.iter().find(|(n, _)| *n == name) {
            add(*id);
        }
    }

    /// The verified-token cache answered.
    pub fn cache_hit(&self) {
        add(self.cache_hits);
    }

    /// The signature had to be checked.
    pub fn cache_miss(&self) {
        add(self.cache_misses);
    }

    /// A key-set fetch succeeded (`true`) or failed.
    pub fn fetched(&self, ok: bool) {
        add(if ok { self.fetch_ok } else { self.fetch_failed });
    }

    /// The number of usable keys of a provider.
    pub fn key_count(&self, provider: &str, count: usize) {
        if let Some((_, Some(id))) = self.keys.iter().find(|(name, _)| name == provider) {
            let _ = hostcalls::record_metric(*id, count as u64);
        }
    }
}
