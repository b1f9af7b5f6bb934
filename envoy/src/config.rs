//! The plugin configuration: JSON shaped like Envoy's `jwt_authn`, parsed
//! strictly (unknown fields are errors that name the field) and mapped, in
//! this one place, to the settings the filter runs on.

use std::collections::BTreeMap;
use std::time::Duration;

use jwtgate::{Algorithm, ClaimRule, KeySet, Requirements, Validation};
use serde::Deserialize;
use serde_json::Value;

/// Default realm in `WWW-Authenticate`.
pub const DEFAULT_REALM: &str = "jwtgate";
/// Default remote key-set request timeout, milliseconds.
pub const DEFAULT_TIMEOUT_MS: u64 = 1_000;
/// Default remote key-set refresh interval, seconds (as `jwt_authn`).
pub const DEFAULT_CACHE_DURATION_SECONDS: u64 = 600;
/// Default minimum interval between unknown-`kid` re-fetches, seconds.
pub const DEFAULT_COOLDOWN_SECONDS: u64 = 30;
/// Default first retry delay after a failed fetch, milliseconds.
pub const DEFAULT_BACKOFF_BASE_MS: u64 = 1_000;
/// Default longest retry delay after failed fetches, milliseconds.
pub const DEFAULT_BACKOFF_MAX_MS: u64 = 30_000;
/// A `Cache-Control: max-age` shorter than this is raised to it, seconds.
pub const MIN_MAX_AGE_SECONDS: u64 = 5;

/// The raw JSON document (`google.protobuf.StringValue` of the plugin).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    realm: Option<String>,
    #[serde(default)]
    crypto: Option<String>,
    providers: BTreeMap<String, RawProvider>,
    rules: Vec<RawRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvider {
    #[serde(default)]
    issuer: Option<StringOrList>,
    #[serde(default)]
    audiences: Vec<String>,
    #[serde(default)]
    local_jwks: Option<RawLocalJwks>,
    #[serde(default)]
    remote_jwks: Option<RawRemoteJwks>,
    #[serde(default)]
    from_headers: Vec<RawHeader>,
    #[serde(default)]
    from_params: Vec<String>,
    #[serde(default)]
    forward: bool,
    #[serde(default)]
    forward_payload_header: Option<String>,
    #[serde(default)]
    claim_to_headers: Vec<RawClaimToHeader>,
    #[serde(default)]
    clock_skew_seconds: Option<u64>,
    #[serde(default)]
    max_lifetime_seconds: Option<u64>,
    #[serde(default)]
    max_token_age_seconds: Option<u64>,
    #[serde(default)]
    algorithms: Option<Vec<String>>,
    #[serde(default)]
    scope_claims: Option<Vec<String>>,
    #[serde(default)]
    required_claims: Vec<String>,
    #[serde(default)]
    typ: Option<StringOrList>,
    #[serde(default)]
    cache_entries: Option<usize>,
    #[serde(default)]
    max_token_bytes: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum StringOrList {
    One(String),
    Many(Vec<String>),
}

impl StringOrList {
    fn into_vec(self) -> Vec<String> {
        match self {
            StringOrList::One(one) => vec![one],
            StringOrList::Many(many) => many,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLocalJwks {
    inline_string: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRemoteJwks {
    cluster: String,
    path: String,
    #[serde(default)]
    authority: Option<String>,
    #[serde(default)]
    timeout_ms: Option<u64>,
    #[serde(default)]
    cache_duration_seconds: Option<u64>,
    #[serde(default)]
    cooldown_seconds: Option<u64>,
    #[serde(default)]
    backoff_base_ms: Option<u64>,
    #[serde(default)]
    backoff_max_ms: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    name: String,
    #[serde(default)]
    value_prefix: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClaimToHeader {
    claim_name: String,
    header_name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    #[serde(rename = "match")]
    matcher: RawMatch,
    #[serde(default)]
    requires: Option<RawRequires>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMatch {
    #[serde(default)]
    prefix: Option<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    methods: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequires {
    provider_name: String,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default)]
    scopes_any: Vec<String>,
    #[serde(default)]
    claims: BTreeMap<String, Value>,
}

/// A configuration error; the message starts with the path of the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a token may be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    /// A request header (lower-case name) whose value starts with `prefix`
    /// (compared ignoring ASCII case); the rest is the token.
    Header {
        /// Header name, lower case.
        name: String,
        /// Prefix before the token, such as `Bearer `.
        prefix: String,
    },
    /// A query parameter.
    Param(String),
}

/// Remote key-set settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    /// Envoy cluster serving the key set.
    pub cluster: String,
    /// Request path.
    pub path: String,
    /// `:authority` of the request (defaults to the cluster name).
    pub authority: String,
    /// Request timeout; also how long requests wait for a first key set.
    pub timeout: Duration,
    /// Refresh interval, seconds.
    pub cache_duration_secs: u64,
    /// Minimum interval between re-fetches caused by an unknown `kid`, seconds.
    pub cooldown_secs: u64,
    /// First retry delay after a failure, milliseconds (doubles per failure).
    pub backoff_base_ms: u64,
    /// Longest retry delay, milliseconds.
    pub backoff_max_ms: u64,
}

/// Where a provider's keys come from.
#[derive(Debug, Clone)]
pub enum KeySource {
    /// Keys given inline in the configuration.
    Local(KeySet),
    /// Keys fetched over HTTP from an Envoy cluster.
    Remote(Remote),
}

/// One token issuer and how to check its tokens.
#[derive(Debug, Clone)]
pub struct Provider {
    /// The name rules refer to.
    pub name: String,
    /// What the core checks.
    pub validation: Validation,
    /// Maximum `exp - iat`, seconds.
    pub max_lifetime_secs: Option<u64>,
    /// Where the keys come from.
    pub keys: KeySource,
    /// Where tokens are looked for, in order.
    pub sources: Vec<TokenSource>,
    /// Keep the token in the request sent upstream.
    pub forward: bool,
    /// Header receiving the base64url payload of a verified token.
    pub forward_payload_header: Option<String>,
    /// `(claim, header)` pairs copied upstream.
    pub claim_to_headers: Vec<(String, String)>,
}

/// How a rule matches a request path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathMatch {
    /// The path (without query) starts with this.
    Prefix(String),
    /// The path (without query) equals this.
    Exact(String),
}

/// What a matched rule requires.
#[derive(Debug, Clone)]
pub struct Requires {
    /// Index into [`Settings::providers`].
    pub provider: usize,
    /// Scopes and claim rules.
    pub requirements: Requirements,
}

/// One rule: first match wins.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Path condition.
    pub path: PathMatch,
    /// Accepted methods (upper case); empty accepts every method.
    pub methods: Vec<String>,
    /// `None`: a public route.
    pub requires: Option<Requires>,
}

impl Rule {
    /// Whether this rule applies to `method` and `path` (query excluded).
    pub fn matches(&self, method: &str, path: &str) -> bool {
        let path_ok = match &self.path {
            PathMatch::Prefix(prefix) => path.starts_with(prefix.as_str()),
            PathMatch::Exact(exact) => path == exact,
        };
        path_ok && (self.methods.is_empty() || self.methods.iter().any(|m| m == method))
    }
}

/// Which crypto provider verifies signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CryptoChoice {
    /// Envoy's `verify_signature` for RS*/ES* when the VM-start self-test
    /// passed, pure Rust otherwise (the default).
    Auto,
    /// Pure Rust for every algorithm the filter has in Rust: all but ES*,
    /// which are then `algorithm_not_allowed`.
    Rust,
}

/// The validated configuration the filter runs on.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `WWW-Authenticate` realm.
    pub realm: String,
    /// Crypto provider choice.
    pub crypto: CryptoChoice,
    /// Providers, sorted by name.
    pub providers: Vec<Provider>,
    /// Rules in order.
    pub rules: Vec<Rule>,
}

impl Settings {
    /// The index of the first rule matching the request, if any.
    pub fn route(&self, method: &str, path: &str) -> Option<&Rule> {
        self.rules.iter().find(|rule| rule.matches(method, path))
    }
}

/// Parses and validates the plugin configuration.
pub fn parse(bytes: &[u8]) -> Result<Settings, ConfigError> {
    let raw: RawConfig = serde_json::from_slice(bytes).map_err(|err| {
        let path = crate::json_path::path_at(bytes, err.line(), err.column());
        ConfigError(format!("configuration field `{path}`: {err}"))
    })?;
    build(raw)
}

fn field_error(field: &str, message: impl std::fmt::Display) -> ConfigError {
    ConfigError(format!("configuration field `{field}`: {message}"))
}

fn build(raw: RawConfig) -> Result<Settings, ConfigError> {
    if raw.providers.is_empty() {
        return Err(field_error("providers", "at least one provider is needed"));
    }
    let mut providers = Vec::with_capacity(raw.providers.len());
    for (name, provider) in raw.providers {
        providers.push(build_provider(name, provider)?);
    }
    let mut rules = Vec::with_capacity(raw.rules.len());
    for (index, rule) in raw.rules.into_iter().enumerate() {
        rules.push(build_rule(index, rule, &providers)?);
    }
    if rules.is_empty() {
        return Err(field_error(
            "rules",
            "at least one rule is needed (requests that match no rule are denied)",
        ));
    }
    let realm = raw.realm.unwrap_or_else(|| DEFAULT_REALM.to_string());
    if !is_header_text(&realm) || realm.contains('"') || realm.contains('\\') {
        return Err(field_error(
            "realm",
            "must be printable ASCII without quotes",
        ));
    }
    let crypto = match raw.crypto.as_deref() {
        None | Some("auto") => CryptoChoice::Auto,
        Some("rust") => CryptoChoice::Rust,
        Some(other) => {
            return Err(field_error(
                "crypto",
                format!("\"{other}\" is not one of \"auto\", \"rust\""),
            ))
        }
    };
    Ok(Settings {
        realm,
        crypto,
        providers,
        rules,
    })
}

fn is_header_text(text: &str) -> bool {
    text.bytes().all(|b| (b' '..=b'~').contains(&b))
}

fn header_name(field: &str, name: &str) -> Result<String, ConfigError> {
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.!#$%&'*+^`|~".contains(&b));
    if !valid {
        return Err(field_error(
            field,
            format!("\"{name}\" is not a header name"),
        ));
    }
    Ok(name.to_ascii_lowercase())
}

fn build_provider(name: String, raw: RawProvider) -> Result<Provider, ConfigError> {
    let at = |field: &str| format!("providers.{name}.{field}");
    let mut validation = Validation::default();
    validation.issuers = raw.issuer.map(StringOrList::into_vec).unwrap_or_default();
    validation.audiences = raw.audiences;
    if let Some(skew) = raw.clock_skew_seconds {
        validation.leeway = skew;
    }
    validation.max_token_age = raw.max_token_age_seconds;
    if let Some(algorithms) = raw.algorithms {
        if algorithms.is_empty() {
            return Err(field_error(&at("algorithms"), "must not be empty"));
        }
        let mut parsed = Vec::with_capacity(algorithms.len());
        for (index, alg) in algorithms.iter().enumerate() {
            let known = Algorithm::from_name(alg).ok_or_else(|| {
                field_error(
                    &format!("{}[{index}]", at("algorithms")),
                    format!("unknown algorithm \"{alg}\""),
                )
            })?;
            parsed.push(known);
        }
        validation.algorithms = parsed;
    }
    if let Some(claims) = raw.scope_claims {
        validation.scope_claims = claims;
    }
    validation.required_claims = raw.required_claims;
    validation.typ = raw.typ.map(StringOrList::into_vec);
    if let Some(entries) = raw.cache_entries {
        validation.cache_entries = entries;
    }
    if let Some(bytes) = raw.max_token_bytes {
        if bytes == 0 {
            return Err(field_error(&at("max_token_bytes"), "must be positive"));
        }
        validation.max_token_bytes = bytes;
    }
    let keys = match (raw.local_jwks, raw.remote_jwks) {
        (Some(_), Some(_)) => {
            return Err(field_error(
                &at("remote_jwks"),
                "give local_jwks or remote_jwks, not both",
            ))
        }
        (None, None) => {
            return Err(field_error(
                &at("local_jwks"),
                "one of local_jwks or remote_jwks is needed",
            ))
        }
        (Some(local), None) => {
            let set = KeySet::from_json(local.inline_string.as_bytes())
                .map_err(|err| field_error(&at("local_jwks.inline_string"), err))?;
            if set.keys().is_empty() {
                return Err(field_error(
                    &at("local_jwks.inline_string"),
                    "no usable key in the set",
                ));
            }
            KeySource::Local(set)
        }
        (None, Some(remote)) => KeySource::Remote(build_remote(&at("remote_jwks"), remote)?),
    };
    let mut sources = Vec::new();
    for (index, header) in raw.from_headers.into_iter().enumerate() {
        let field = format!("{}[{index}].name", at("from_headers"));
        let prefix = header.value_prefix.unwrap_or_default();
        if !is_header_text(&prefix) {
            return Err(field_error(
                &format!("{}[{index}].value_prefix", at("from_headers")),
                "must be printable ASCII",
            ));
        }
        sources.push(TokenSource::Header {
            name: header_name(&field, &header.name)?,
            prefix,
        });
    }
    for (index, param) in raw.from_params.into_iter().enumerate() {
        if param.is_empty() || param.contains(['&', '=', '#']) {
            return Err(field_error(
                &format!("{}[{index}]", at("from_params")),
                "not a query parameter name",
            ));
        }
        sources.push(TokenSource::Param(param));
    }
    if sources.is_empty() {
        sources.push(TokenSource::Header {
            name: "authorization".to_string(),
            prefix: "Bearer ".to_string(),
        });
    }
    let forward_payload_header = match raw.forward_payload_header {
        Some(header) => Some(header_name(&at("forward_payload_header"), &header)?),
        None => None,
    };
    let mut claim_to_headers = Vec::new();
    for (index, pair) in raw.claim_to_headers.into_iter().enumerate() {
        let field = format!("{}[{index}].header_name", at("claim_to_headers"));
        if pair.claim_name.is_empty() {
            return Err(field_error(
                &format!("{}[{index}].claim_name", at("claim_to_headers")),
                "must not be empty",
            ));
        }
        claim_to_headers.push((pair.claim_name, header_name(&field, &pair.header_name)?));
    }
    Ok(Provider {
        name,
        validation,
        max_lifetime_secs: raw.max_lifetime_seconds,
        keys,
        sources,
        forward: raw.forward,
        forward_payload_header,
        claim_to_headers,
    })
}

fn build_remote(at: &str, raw: RawRemoteJwks) -> Result<Remote, ConfigError> {
    if raw.cluster.is_empty() {
        return Err(field_error(&format!("{at}.cluster"), "must not be empty"));
    }
    if !raw.path.starts_with('/') || !is_header_text(&raw.path) {
        return Err(field_error(
            &format!("{at}.path"),
            "must start with \"/\" and be printable ASCII",
        ));
    }
    let timeout_ms = raw.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS);
    if !(1..=60_000).contains(&timeout_ms) {
        return Err(field_error(
            &format!("{at}.timeout_ms"),
            "must be between 1 and 60000",
        ));
    }
    let cache_duration_secs = raw
        .cache_duration_seconds
        .unwrap_or(DEFAULT_CACHE_DURATION_SECONDS);
    if cache_duration_secs == 0 || cache_duration_secs > 86_400 * 7 {
        return Err(field_error(
            &format!("{at}.cache_duration_seconds"),
            "must be between 1 and 604800",
        ));
    }
    let backoff_base_ms = raw.backoff_base_ms.unwrap_or(DEFAULT_BACKOFF_BASE_MS);
    let backoff_max_ms = raw.backoff_max_ms.unwrap_or(DEFAULT_BACKOFF_MAX_MS);
    if backoff_base_ms == 0 || backoff_base_ms > backoff_max_ms || backoff_max_ms > 3_600_000 {
        return Err(field_error(
            &format!("{at}.backoff_base_ms"),
            "need 0 < backoff_base_ms <= backoff_max_ms <= 3600000",
        ));
    }
    let authority = raw.authority.unwrap_or_else(|| raw.cluster.clone());
    if authority.is_empty() || !is_header_text(&authority) {
        return Err(field_error(
            &format!("{at}.authority"),
            "must be printable ASCII",
        ));
    }
    Ok(Remote {
        cluster: raw.cluster,
        path: raw.path,
        authority,
        timeout: Duration::from_millis(timeout_ms),
        cache_duration_secs,
        cooldown_secs: raw.cooldown_seconds.unwrap_or(DEFAULT_COOLDOWN_SECONDS),
        backoff_base_ms,
        backoff_max_ms,
    })
}

fn build_rule(index: usize, raw: RawRule, providers: &[Provider]) -> Result<Rule, ConfigError> {
    let at = |field: &str| format!("rules[{index}].{field}");
    let path = match (raw.matcher.prefix, raw.matcher.path) {
        (Some(prefix), None) => PathMatch::Prefix(prefix),
        (None, Some(path)) => PathMatch::Exact(path),
        _ => {
            return Err(field_error(
                &at("match"),
                "give exactly one of prefix or path",
            ))
        }
    };
    let mut methods = Vec::with_capacity(raw.matcher.methods.len());
    for (i, method) in raw.matcher.methods.into_iter().enumerate() {
        if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(field_error(
                &format!("{}[{i}]", at("match.methods")),
                format!("\"{method}\" is not an HTTP method"),
            ));
        }
        methods.push(method.to_ascii_uppercase());
    }
    let requires = match raw.requires {
        None => None,
        Some(requires) => {
            let provider = providers
                .iter()
                .position(|p| p.name == requires.provider_name)
                .ok_or_else(|| {
                    field_error(
                        &at("requires.provider_name"),
                        format!("no provider named \"{}\"", requires.provider_name),
                    )
                })?;
            let mut requirements = Requirements::default();
            requirements.scopes = requires.scopes;
            requirements.scopes_any = requires.scopes_any;
            for (name, values) in requires.claims {
                let field = || format!("{}.{name}", at("requires.claims"));
                let values = match values {
                    Value::Array(items) => items,
                    Value::Object(_) | Value::Null => {
                        return Err(field_error(
                            &field(),
                            "must be a value or an array of values",
                        ))
                    }
                    other => vec![other],
                };
                // The core compares claims as its own JSON values; serde_json
                // writes what it read back as JSON text for it.
                let values = values
                    .iter()
                    .map(|value| jwtgate::json::parse(value.to_string().as_bytes()))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|err| field_error(&field(), err))?;
                requirements.claims.push(ClaimRule::new(name, values));
            }
            Some(Requires {
                provider,
                requirements,
            })
        }
    };
    Ok(Rule {
        path,
        methods,
        requires,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const JWKS: &str = r#"{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"k\",\"x\":\"eizMCaxQfCw6X_NcpO4vHOMslGz710kqhJysLDfFCKg\"}]}"#;

    fn config(extra_provider: &str, rules: &str) -> String {
        format!(
            r#"{{"providers":{{"p":{{"issuer":"i","local_jwks":{{"inline_string":"{JWKS}"}}{extra_provider}}}}},"rules":{rules}}}"#
        )
    }

    fn parse_config(extra_provider: &str, rules: &str) -> Result<Settings, ConfigError> {
        parse(config(extra_provider, rules).as_bytes())
    }

    #[test]
    fn parses_a_minimal_config() {
        let settings = parse_config(
            "",
            r#"[{"match":{"prefix":"/"},"requires":{"provider_name":"p"}}]"#,
        )
        .expect("valid");
        assert_eq!(settings.realm, DEFAULT_REALM);
        assert_eq!(settings.providers.len(), 1);
        assert!(settings.route("GET", "/x").is_some());
    }

    #[test]
    fn unknown_field_is_named() {
        let err = parse_config(r#","isuer":"typo""#, r#"[{"match":{"prefix":"/"}}]"#)
            .expect_err("unknown field");
        assert!(err.0.contains("isuer"), "{}", err.0);
        assert!(err.0.contains("providers.p"), "{}", err.0);
    }

    #[test]
    fn bad_algorithm_is_named() {
        let err = parse_config(
            r#","algorithms":["RS256","none"]"#,
            r#"[{"match":{"prefix":"/"}}]"#,
        )
        .expect_err("bad alg");
        assert!(err.0.contains("providers.p.algorithms[1]"), "{}", err.0);
    }

    #[test]
    fn unknown_provider_in_rule_is_named() {
        let err = parse_config(
            "",
            r#"[{"match":{"prefix":"/"},"requires":{"provider_name":"q"}}]"#,
        )
        .expect_err("unknown provider");
        assert!(
            err.0.contains("rules[0].requires.provider_name"),
            "{}",
            err.0
        );
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_are_an_error_not_a_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let _ = parse(&bytes);
        }

        /// One changed byte anywhere in a valid configuration (with rules,
        /// claims and a remote key set): a configuration or an error.
        #[test]
        fn mutated_configs_are_an_error_not_a_panic(at in proptest::prelude::any::<proptest::sample::Index>(), byte in proptest::prelude::any::<u8>()) {
            let mut text = config(
                r#","audiences":["a"],"algorithms":["EdDSA"],"clock_skew_seconds":5"#,
                r#"[{"match":{"prefix":"/p","methods":["GET"]},"requires":{"provider_name":"p","scopes":["s"],"claims":{"c":[1,"x"]}}}]"#,
            )
            .into_bytes();
            proptest::prop_assert!(parse(&text).is_ok(), "the unchanged configuration is valid");
            let i = at.index(text.len());
            text[i] = byte;
            let _ = parse(&text);
        }
    }
}
