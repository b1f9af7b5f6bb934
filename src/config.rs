//! What a verifier checks: one place where configuration maps to behaviour.

use alloc::{string::String, vec, vec::Vec};

use crate::algorithm::Algorithm;
use crate::jws::DEFAULT_MAX_TOKEN_BYTES;
use crate::policy::Requirements;

/// Default clock leeway, seconds.
pub const DEFAULT_LEEWAY: u64 = 60;
/// Default size of the verified-token cache, entries.
pub const DEFAULT_CACHE_ENTRIES: usize = 10_000;

/// Verification settings. Start from [`Validation::default`] and set fields.
///
/// | field | default | effect |
/// |---|---|---|
/// | `algorithms` | every asymmetric algorithm | `alg` allowlist; HS* only when listed |
/// | `issuers` | empty (unchecked) | `iss` must equal one |
/// | `audiences` | empty (unchecked) | `aud` must contain one |
/// | `leeway` | 60 | seconds of clock skew allowed on `exp`, `nbf`, `iat` |
/// | `max_token_age` | `None` | reject tokens whose `iat` is older (requires `iat`) |
/// | `require_exp` | `true` | a token without `exp` is `claim_invalid` |
/// | `required_claims` | empty | claims that must be present and not null |
/// | `typ` | `None` (unchecked) | accepted `typ` values, e.g. `["at+jwt"]` |
/// | `scope_claims` | `["scope", "scp"]` | claims the granted scopes are read from |
/// | `requirements` | none | scopes and claim rules every token must meet |
/// | `max_token_bytes` | 16384 | longer tokens are `token_malformed` |
/// | `cache_entries` | 10000 | verified-token cache size; 0 disables it |
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Validation {
    /// Accepted `alg` values.
    pub algorithms: Vec<Algorithm>,
    /// Accepted `iss` values; empty accepts any.
    pub issuers: Vec<String>,
    /// Accepted audiences; empty accepts any.
    pub audiences: Vec<String>,
    /// Clock skew allowed, seconds.
    pub leeway: u64,
    /// Maximum age after `iat`, seconds.
    pub max_token_age: Option<u64>,
    /// Whether `exp` is required.
    pub require_exp: bool,
    /// Claims that must be present.
    pub required_claims: Vec<String>,
    /// Accepted `typ` header values (case-insensitive, `application/` optional).
    pub typ: Option<Vec<String>>,
    /// Claims holding granted scopes.
    pub scope_claims: Vec<String>,
    /// Requirements applied to every token.
    pub requirements: Requirements,
    /// Token size cap, bytes.
    pub max_token_bytes: usize,
    /// Verified-token cache entries; 0 disables the cache.
    pub cache_entries: usize,
}

impl Default for Validation {
    fn default() -> Self {
        Validation {
            algorithms: Algorithm::ASYMMETRIC.to_vec(),
            issuers: Vec::new(),
            audiences: Vec::new(),
            leeway: DEFAULT_LEEWAY,
            max_token_age: None,
            require_exp: true,
            required_claims: Vec::new(),
            typ: None,
            scope_claims: vec![String::from("scope"), String::from("scp")],
            requirements: Requirements::default(),
            max_token_bytes: DEFAULT_MAX_TOKEN_BYTES,
            cache_entries: DEFAULT_CACHE_ENTRIES,
        }
    }
}
