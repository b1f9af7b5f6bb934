//! Strict JSON: objects anywhere in the document may not repeat a member name
//! (RFC 7515 §4 / RFC 7519 §4 say such a JWS must be rejected or the last
//! value used; silently taking the last one lets two parsers disagree), and
//! nesting is bounded by serde_json's recursion limit.

use alloc::{format, string::String};
use core::fmt;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{map::Entry, Map, Value};

/// Parses `bytes` as a JSON object with no duplicate member names at any depth.
pub fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, String> {
    // JSON is UTF-8 (RFC 8259 §8.1): validating the whole document at once is
    // cheaper than serde_json's per-string checks of a byte slice.
    let text = core::str::from_utf8(bytes).map_err(|err| format!("not UTF-8: {err}"))?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = StrictValue
        .deserialize(&mut deserializer)
        .map_err(|e| format!("{e}"))?;
    deserializer.end().map_err(|e| format!("{e}"))?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(String::from("not a JSON object")),
    }
}

struct StrictValue;

impl<'de> DeserializeSeed<'de> for StrictValue {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(String::from(v)))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = alloc::vec::Vec::new();
        while let Some(item) = seq.next_element_seed(StrictValue)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            // One map search per member: the entry says whether it repeats.
            match map.entry(key) {
                Entry::Occupied(entry) => {
                    return Err(de::Error::custom(format!(
                        "duplicate member \"{}\"",
                        entry.key()
                    )));
                }
                Entry::Vacant(entry) => {
                    entry.insert(access.next_value_seed(StrictValue)?);
                }
            }
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_rejected_at_any_depth() {
        assert!(parse_object(br#"{"a":1,"a":2}"#).is_err());
        assert!(parse_object(br#"{"a":{"b":1,"b":1}}"#).is_err());
        assert!(parse_object(br#"{"a":[{"b":1,"b":1}]}"#).is_err());
        assert!(parse_object(br#"{"a":1,"b":2}"#).is_ok());
    }

    #[test]
    fn non_objects_and_trailing_data_rejected() {
        assert!(parse_object(b"[1]").is_err());
        assert!(parse_object(b"{} x").is_err());
        assert!(parse_object(b"{}").is_ok());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let doc = format!("{{\"a\":{deep}}}");
        assert!(parse_object(doc.as_bytes()).is_err());
    }
}
