//! `jwtgate decode`: header, claims, readable times and scopes; no verification.

use jwtgate::{
    decode_unverified, jws::DEFAULT_MAX_TOKEN_BYTES, policy::granted_scopes, Validation,
};
use serde_json::{json, Map, Value};

use crate::{input, json::to_serde, times, EXIT_USAGE};

/// Arguments of `jwtgate decode`.
#[derive(clap::Args)]
pub struct Args {
    /// The token; `-` or nothing reads it from stdin.
    token: Option<String>,
    /// Unix time to compute "expired" and "time left" against (default: now).
    #[arg(long)]
    now: Option<u64>,
}

pub fn run(args: &Args) -> Result<u8, String> {
    let token = input::token(args.token.as_deref())?;
    let decoded = match decode_unverified(&token, DEFAULT_MAX_TOKEN_BYTES) {
        Ok(decoded) => decoded,
        Err(error) => {
            eprintln!("jwtgate: not a JWT: {}", error.description());
            return Ok(EXIT_USAGE);
        }
    };
    let now = args.now.unwrap_or_else(times::now);
    // The same scope claims a default verifier reads.
    let scope_claims = Validation::default().scope_claims;
    let scopes = granted_scopes(&decoded.payload, &scope_claims).unwrap_or_default();
    let payload = to_serde(&decoded.payload);
    let output = json!({
        "header": to_serde(&decoded.header),
        "times": readable_times(&payload, now),
        "payload": payload,
        "scopes": scopes,
        "verified": false,
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&output).map_err(|err| err.to_string())?
    );
    Ok(0)
}

fn readable_times(payload: &Value, now: u64) -> Value {
    let date = |name: &str| payload.get(name).and_then(Value::as_i64);
    let mut times = Map::new();
    for (claim, label) in [("iat", "issued"), ("nbf", "not_before"), ("exp", "expires")] {
        if let Some(unix) = date(claim) {
            times.insert(label.into(), json!({"unix": unix, "utc": times::rfc3339(unix), "relative": times::relative(unix, now)}));
        }
    }
    if let Some(exp) = date("exp") {
        let left = i128::from(exp) - i128::from(now);
        times.insert("expired".into(), Value::Bool(left <= 0));
        times.insert(
            "seconds_left".into(),
            json!(i64::try_from(left.max(0)).unwrap_or(i64::MAX)),
        );
    }
    Value::Object(times)
}
