//! The core's JSON objects as serde_json values, for the CLI's pretty output.

use serde_json::Value;

/// `object` as a serde_json value: its text read back (the core writes JSON
/// that serde_json reads; `null` would only say it did not).
pub fn to_serde(object: &jwtgate::json::Map) -> Value {
    serde_json::from_str(&object.to_string()).unwrap_or_default()
}
