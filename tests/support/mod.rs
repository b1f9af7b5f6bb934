//! Test helpers shared by the integration tests: the shared case table.
#![allow(dead_code)]

use jwtgate::{Algorithm, ClaimRule, CryptoProvider, KeySet, Requirements, Validation};
use serde_json::Value;

/// The shared verdict table (`tests/cases/cases.json`).
pub fn table() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/cases/cases.json"
    ))
    .expect("tests/cases/cases.json");
    serde_json::from_str(&text).expect("cases.json is JSON")
}

/// A case's expected verdict from `provider`: its `unsupported` verdict if
/// the provider lacks the case's algorithm, else its `expect`.
pub fn expected<'a>(case: &'a Value, provider: &dyn CryptoProvider) -> &'a Value {
    let lacking = case["unsupported"]["alg"]
        .as_str()
        .and_then(Algorithm::from_name)
        .is_some_and(|alg| !provider.supports(alg));
    if lacking {
        &case["unsupported"]["expect"]
    } else {
        &case["expect"]
    }
}

/// The table's key set.
pub fn key_set(table: &Value) -> KeySet {
    KeySet::from_json(table["jwks"].to_string().as_bytes()).expect("the table's JWKS parses")
}

fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect(),
        _ => Vec::new(),
    }
}

/// The validation, requirements and clock a case's options describe.
pub fn case_settings(table: &Value, options: &Value) -> (Validation, Requirements, u64) {
    let pick = |name: &str| {
        options
            .get(name)
            .unwrap_or(&table["defaults"][name])
            .clone()
    };
    let mut validation = Validation::default();
    validation.issuers = strings(&pick("issuer"));
    validation.audiences = strings(&pick("audience"));
    if let Some(algs) = options.get("algorithms") {
        validation.algorithms = strings(algs)
            .iter()
            .map(|name| Algorithm::from_name(name).expect("known alg"))
            .collect();
    }
    if let Some(leeway) = options.get("clockTolerance").and_then(Value::as_u64) {
        validation.leeway = leeway;
    }
    validation.max_token_age = options.get("maxTokenAge").and_then(Value::as_u64);
    if let Some(claims) = options.get("requiredClaims") {
        validation.required_claims = strings(claims);
    }
    if let Some(typ) = options.get("typ") {
        validation.typ = Some(strings(typ));
    }
    let mut requirements = Requirements::default();
    requirements.scopes = options
        .get("requiredScopes")
        .map(strings)
        .unwrap_or_default();
    requirements.scopes_any = options.get("scopesAny").map(strings).unwrap_or_default();
    if let Some(rules) = options.get("claims").and_then(Value::as_object) {
        for (name, values) in rules {
            let values = match values {
                Value::Array(items) => items.iter().map(core_value).collect(),
                other => vec![core_value(other)],
            };
            requirements
                .claims
                .push(ClaimRule::new(name.clone(), values));
        }
    }
    let now = options
        .get("now")
        .and_then(Value::as_u64)
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("clock after 1970")
                .as_secs()
        });
    (validation, requirements, now)
}

/// The core's JSON value for a serde_json one (the table is read with
/// serde_json; the core has its own JSON).
pub fn core_value(value: &Value) -> jwtgate::json::Value {
    jwtgate::json::parse(value.to_string().as_bytes()).expect("serde_json writes JSON")
}
