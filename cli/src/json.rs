//! The core's JSON objects as serde_json values, for the CLI's pretty output.

use jwtgate::json::{Map, Value as Core};
use serde_json::Value;

/// `object` as a serde_json value. A number serde_json cannot hold (beyond
/// `f64`, such as `1e400`; the core keeps any number's text) is shown as a
/// string of its text rather than lost.
pub fn to_serde(object: &Map) -> Value {
    Value::Object(
        object
            .iter()
            .map(|(name, value)| (name.clone(), value_to_serde(value)))
            .collect(),
    )
}

fn value_to_serde(value: &Core) -> Value {
    match value {
        Core::Null => Value::Null,
        Core::Bool(flag) => Value::Bool(*flag),
        Core::Number(number) => {
            let text = number.to_string();
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        }
        Core::String(text) => Value::String(text.clone()),
        Core::Array(items) => Value::Array(items.iter().map(value_to_serde).collect()),
        Core::Object(map) => to_serde(map),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_is_kept() {
        let core = jwtgate::json::parse_object(
            br#"{"a":[1,-0,1.5e3,1e400,"x",null,true],"b":{"c":{}},"d":18446744073709551616}"#,
        )
        .unwrap();
        let shown = to_serde(&core);
        assert_eq!(
            shown,
            serde_json::json!({"a": [1, -0.0, 1500.0, "1e400", "x", null, true], "b": {"c": {}}, "d": 18446744073709551616.0})
        );
    }
}
