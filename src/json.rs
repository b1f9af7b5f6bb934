//! Strict JSON (RFC 8259), of jwtgate's own: objects anywhere in a document
//! may not repeat a member name (RFC 7515 §4 / RFC 7519 §4 say such a JWS
//! must be rejected or the last value used; silently taking the last one lets
//! two parsers disagree), nesting is bounded ([`MAX_DEPTH`]), and numbers
//! keep their text, so nothing is rounded and no float code is needed.
//!
//! Written here rather than taken from serde_json for two measured reasons:
//! serde, serde_json and the float formatting they pull in were 77 KB of the
//! npm package's `.wasm` (342 708 -> 265 231 bytes when they left the core
//! and the glue), and a token's few members, looked up by name a dozen times
//! per verification, are found faster in a sorted vector than in serde_json's
//! `BTreeMap` (the wasm side of a cold `verify` 2.85 -> 2.5 µs; BENCHMARKS.md).

use alloc::{format, string::String, vec::Vec};
use core::fmt::{self, Write};

use crate::header::short;

/// Deepest nesting of arrays and objects accepted (serde_json's limit too).
pub const MAX_DEPTH: usize = 128;

/// A JSON value.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Value {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as its text.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Map),
}

/// A JSON number, kept as the text it was written as (an integer that fits
/// `i64` as that integer). Two numbers are equal when they are the same
/// decimal value (`1`, `1.0` and `10e-1` are equal).
#[derive(Debug, Clone)]
pub struct Number(Repr);

#[derive(Debug, Clone)]
enum Repr {
    /// Written as an integer in the `i64` range (not `-0`): most claims
    /// (`exp`, `iat`), kept without an allocation.
    Integer(i64),
    /// Anything else, as written.
    Text(String),
}

/// A JSON object: members sorted by name, each name once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Map {
    entries: Vec<Member>,
}

/// One member of an object, with `key`: the first 8 bytes of its name as a
/// big-endian integer, zero-padded, so that most comparisons of names are one
/// integer comparison (natively, a `memcmp` call per comparison was a third
/// of a token's lookups).
#[derive(Debug, Clone, PartialEq)]
struct Member {
    key: u64,
    name: String,
    value: Value,
}

/// Parses `bytes` as a JSON object with no repeated member names at any depth.
pub fn parse_object(bytes: &[u8]) -> Result<Map, String> {
    match parse(bytes)? {
        Value::Object(map) => Ok(map),
        _ => Err(String::from("not a JSON object")),
    }
}

/// Parses `bytes` as one JSON value with no repeated member names at any depth.
pub fn parse(bytes: &[u8]) -> Result<Value, String> {
    // JSON is UTF-8 (RFC 8259 §8.1): validated once, so strings are sliced
    // out of the text without further checks.
    let text = core::str::from_utf8(bytes).map_err(|err| format!("not UTF-8: {err}"))?;
    let mut parser = Parser { text, pos: 0 };
    let value = parser.value(0)?;
    parser.skip_whitespace();
    if parser.pos < text.len() {
        return Err(parser.error("trailing characters"));
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.pos += 1;
        Some(byte)
    }

    fn error(&self, what: &str) -> String {
        format!("{what} at byte {}", self.pos)
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, String> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Number),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(_) => Err(self.error("expected a value")),
            None => Err(self.error("unexpected end")),
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, String> {
        let end = self.pos + word.len();
        if self.text.get(self.pos..end) == Some(word) {
            self.pos = end;
            Ok(value)
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn nested(&self, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        Ok(())
    }

    /// After `[`; one element per round, `,` between them.
    fn array(&mut self, depth: usize) -> Result<Value, String> {
        self.nested(depth)?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth)?);
            self.skip_whitespace();
            match self.next() {
                Some(b',') => {}
                Some(b']') => return Ok(Value::Array(items)),
                _ => return Err(self.error("expected , or ] in an array")),
            }
        }
    }

    /// After `{`; members are collected, then sorted once, which also finds
    /// any repeated name (O(n log n) whatever the input).
    fn object(&mut self, depth: usize) -> Result<Value, String> {
        self.nested(depth)?;
        self.pos += 1;
        // Room for a typical token's members: one allocation, no regrowth.
        let mut entries = Vec::with_capacity(8);
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(Map { entries }));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a member name"));
            }
            let name = self.string()?;
            self.skip_whitespace();
            if self.next() != Some(b':') {
                return Err(self.error("expected : after a member name"));
            }
            let value = self.value(depth)?;
            entries.push(Member::new(name, value));
            self.skip_whitespace();
            match self.next() {
                Some(b',') => {}
                Some(b'}') => break,
                _ => return Err(self.error("expected , or } in an object")),
            }
        }
        entries.sort_by(|a: &Member, b| a.order(b.key, &b.name));
        if let Some(pair) = entries.windows(2).find(|pair| match pair {
            [a, b] => a.key == b.key && a.name == b.name,
            _ => false,
        }) {
            let name = pair.first().map_or("", |member| member.name.as_str());
            return Err(format!("duplicate member \"{}\"", short(name)));
        }
        Ok(Value::Object(Map { entries }))
    }

    /// At `"`: a string, its escapes resolved.
    fn string(&mut self) -> Result<String, String> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let start = self.pos;
            while matches!(self.peek(), Some(byte) if byte >= 0x20 && byte != b'"' && byte != b'\\')
            {
                self.pos += 1;
            }
            // `start` and `pos` sit next to ASCII bytes: char boundaries.
            let plain = self.text.get(start..self.pos).unwrap_or_default();
            if out.is_empty() && self.peek() == Some(b'"') {
                // Most strings have no escape: one allocation of their size.
                self.pos += 1;
                return Ok(String::from(plain));
            }
            out.push_str(plain);
            match self.next() {
                Some(b'"') => return Ok(out),
                Some(b'\\') => out.push(self.escape()?),
                Some(_) => return Err(self.error("control character in a string")),
                None => return Err(self.error("unterminated string")),
            }
        }
    }

    /// After `\`: one escape, a `\uD8xx\uDCxx` surrogate pair as one.
    fn escape(&mut self) -> Result<char, String> {
        let simple = match self.next() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let unit = self.hex4()?;
                let code = match unit {
                    0xD800..=0xDBFF => {
                        if self.next() != Some(b'\\') || self.next() != Some(b'u') {
                            return Err(self.error("lone leading surrogate"));
                        }
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(self.error("lone leading surrogate"));
                        }
                        0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    }
                    0xDC00..=0xDFFF => return Err(self.error("lone trailing surrogate")),
                    _ => unit,
                };
                return char::from_u32(code).ok_or_else(|| self.error("invalid \\u escape"));
            }
            _ => return Err(self.error("invalid escape")),
        };
        Ok(simple)
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let mut unit = 0;
        for _ in 0..4 {
            let digit = self
                .next()
                .and_then(|byte| char::from(byte).to_digit(16))
                .ok_or_else(|| self.error("invalid \\u escape"))?;
            unit = unit * 16 + digit;
        }
        Ok(unit)
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Result<Number, String> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.next() {
            Some(b'0') => {}
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.at_least_one_digit()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            self.at_least_one_digit()?;
        }
        let text = self.text.get(start..self.pos).unwrap_or_default();
        let integer = (text != "-0").then(|| text.parse().ok()).flatten();
        Ok(Number(integer.map_or_else(
            || Repr::Text(String::from(text)),
            Repr::Integer,
        )))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    fn at_least_one_digit(&mut self) -> Result<(), String> {
        if !matches!(self.peek(), Some(b'0'..=b'9')) {
            return Err(self.error("invalid number"));
        }
        self.digits();
        Ok(())
    }
}

impl Value {
    /// Member `name` of an object (`None` for anything else).
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.as_object()?.get(name)
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    /// The items of an array.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members of an object.
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// Whether this is a string.
    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::String(String::from(text))
    }
}

impl From<String> for Value {
    fn from(text: String) -> Value {
        Value::String(text)
    }
}

impl From<u64> for Value {
    fn from(number: u64) -> Value {
        Value::Number(Number(
            i64::try_from(number).map_or_else(|_| Repr::Text(format!("{number}")), Repr::Integer),
        ))
    }
}

/// Compact JSON text (no white space), members in name order.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(value) => write!(f, "{value}"),
            Value::Number(number) => write!(f, "{number}"),
            Value::String(text) => write_string(f, text),
            Value::Array(items) => {
                f.write_char('[')?;
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        f.write_char(',')?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_char(']')
            }
            Value::Object(map) => write!(f, "{map}"),
        }
    }
}

/// Compact JSON text, members in name order (byte order of the names, so
/// also RFC 7638's order for a JWK thumbprint).
impl fmt::Display for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('{')?;
        for (index, (name, value)) in self.iter().enumerate() {
            if index > 0 {
                f.write_char(',')?;
            }
            write_string(f, name)?;
            write!(f, ":{value}")?;
        }
        f.write_char('}')
    }
}

/// A JSON string: `"`, `\` and control characters escaped (as serde_json
/// does), everything else as it is.
fn write_string(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    f.write_char('"')?;
    let mut rest = text;
    while let Some(at) = rest.find(|c: char| c < ' ' || c == '"' || c == '\\') {
        let (plain, tail) = rest.split_at(at);
        f.write_str(plain)?;
        let mut chars = tail.chars();
        match chars.next() {
            Some('"') => f.write_str("\\\"")?,
            Some('\\') => f.write_str("\\\\")?,
            Some('\n') => f.write_str("\\n")?,
            Some('\r') => f.write_str("\\r")?,
            Some('\t') => f.write_str("\\t")?,
            Some('\u{8}') => f.write_str("\\b")?,
            Some('\u{c}') => f.write_str("\\f")?,
            Some(c) => write!(f, "\\u{:04x}", u32::from(c))?,
            None => {}
        }
        rest = chars.as_str();
    }
    f.write_str(rest)?;
    f.write_char('"')
}

impl Map {
    /// An empty object.
    pub fn new() -> Map {
        Map::default()
    }

    fn position(&self, name: &str) -> Result<usize, usize> {
        let key = name_key(name);
        self.entries
            .binary_search_by(|member| member.order(key, name))
    }

    /// Member `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        let index = self.position(name).ok()?;
        self.entries.get(index).map(|member| &member.value)
    }

    /// Whether member `name` is present.
    pub fn contains_key(&self, name: &str) -> bool {
        self.position(name).is_ok()
    }

    /// Sets member `name`, returning the value it replaces.
    pub fn insert(&mut self, name: String, value: Value) -> Option<Value> {
        match self.position(&name) {
            Ok(index) => self
                .entries
                .get_mut(index)
                .map(|member| core::mem::replace(&mut member.value, value)),
            Err(index) => {
                self.entries.insert(index, Member::new(name, value));
                None
            }
        }
    }

    /// The members in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.entries
            .iter()
            .map(|member| (&member.name, &member.value))
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no members.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// An object from its members; a name given twice keeps the last value.
impl<N: Into<String>> FromIterator<(N, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (N, Value)>>(members: I) -> Map {
        let mut map = Map::new();
        for (name, value) in members {
            map.insert(name.into(), value);
        }
        map
    }
}

impl IntoIterator for Map {
    type Item = (String, Value);
    type IntoIter = IntoIter;

    /// The members in name order.
    fn into_iter(self) -> IntoIter {
        IntoIter(self.entries.into_iter())
    }
}

/// The members of a [`Map`], taken in name order.
#[derive(Debug)]
pub struct IntoIter(alloc::vec::IntoIter<Member>);

impl Iterator for IntoIter {
    type Item = (String, Value);

    fn next(&mut self) -> Option<(String, Value)> {
        self.0.next().map(|member| (member.name, member.value))
    }
}

impl Member {
    fn new(name: String, value: Value) -> Member {
        Member {
            key: name_key(&name),
            name,
            value,
        }
    }

    /// Byte order of names, as `str::cmp`: the keys first, then (on a tie,
    /// which zero padding also gives "a" and "a\0") the names.
    fn order(&self, key: u64, name: &str) -> core::cmp::Ordering {
        self.key
            .cmp(&key)
            .then_with(|| self.name.as_str().cmp(name))
    }
}

/// The first 8 bytes of `name` as a big-endian integer, zero-padded.
fn name_key(name: &str) -> u64 {
    let bytes = name.as_bytes();
    match bytes.first_chunk::<8>() {
        Some(first) => u64::from_be_bytes(*first),
        None => (0..8).fold(0u64, |acc, at| {
            acc << 8 | u64::from(bytes.get(at).copied().unwrap_or(0))
        }),
    }
}

/// A number as `digits × 10^exponent`: `digits` without leading or trailing
/// zeros (empty for zero, which is never negative), so each value has one form.
#[derive(PartialEq)]
struct Decimal {
    negative: bool,
    digits: Vec<u8>,
    exponent: i64,
}

impl Number {
    /// The value, if the number is written as an integer that fits `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match &self.0 {
            Repr::Integer(integer) => Some(*integer),
            Repr::Text(text) => text.parse().ok(),
        }
    }

    /// The value, if the number is written as an integer that fits `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        match &self.0 {
            Repr::Integer(integer) => u64::try_from(*integer).ok(),
            Repr::Text(text) => text.parse().ok(),
        }
    }

    /// Rounded down to an integer, saturating at the `i64` range (for
    /// NumericDate claims: `1.9` is 1, `-1.5` is -2, `1e400` is `i64::MAX`).
    pub fn floor_i64(&self) -> i64 {
        if let Some(integer) = self.as_i64() {
            return integer;
        }
        let Decimal {
            negative,
            digits,
            exponent,
        } = self.decimal();
        let saturated = if negative { i64::MIN } else { i64::MAX };
        // Whole digits: all of them and `exponent` zeros, or those before the
        // point; then whether a (non-zero) fraction was cut off.
        let whole_len = i64::try_from(digits.len())
            .unwrap_or(i64::MAX)
            .saturating_add(exponent);
        if whole_len > 19 {
            return saturated;
        }
        let whole_len = usize::try_from(whole_len).unwrap_or(0);
        let mut magnitude: u128 = 0;
        for position in 0..whole_len {
            let digit = digits.get(position).copied().unwrap_or(0);
            magnitude = magnitude * 10 + u128::from(digit);
        }
        let has_fraction = digits.len() > whole_len;
        let value = if negative {
            -i128::try_from(magnitude).unwrap_or(i128::MAX) - i128::from(has_fraction)
        } else {
            i128::try_from(magnitude).unwrap_or(i128::MAX)
        };
        i64::try_from(value).unwrap_or(saturated)
    }

    fn decimal(&self) -> Decimal {
        let text = match &self.0 {
            Repr::Integer(integer) => &format!("{integer}"),
            Repr::Text(text) => text.as_str(),
        };
        let (negative, unsigned) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (mantissa, exponent_text) = unsigned.split_once(['e', 'E']).unwrap_or((unsigned, "0"));
        let (exponent_negative, exponent_digits) = match exponent_text.as_bytes().first() {
            Some(b'-') => (true, exponent_text.get(1..).unwrap_or_default()),
            Some(b'+') => (false, exponent_text.get(1..).unwrap_or_default()),
            _ => (false, exponent_text),
        };
        let exponent = exponent_digits.bytes().fold(0i64, |sum, digit| {
            sum.saturating_mul(10)
                .saturating_add(i64::from(digit.wrapping_sub(b'0')))
        });
        let exponent = if exponent_negative {
            -exponent
        } else {
            exponent
        };
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let mut digits: Vec<u8> = whole
            .bytes()
            .chain(fraction.bytes())
            .map(|digit| digit.wrapping_sub(b'0'))
            .skip_while(|digit| *digit == 0)
            .collect();
        let mut exponent =
            exponent.saturating_sub(i64::try_from(fraction.len()).unwrap_or(i64::MAX));
        while digits.last() == Some(&0) {
            digits.pop();
            exponent = exponent.saturating_add(1);
        }
        if digits.is_empty() {
            return Decimal {
                negative: false,
                digits,
                exponent: 0,
            };
        }
        Decimal {
            negative,
            digits,
            exponent,
        }
    }
}

/// Equal decimal values. Numbers whose exponent is beyond ±2^53 (which
/// saturating arithmetic could not tell apart) equal no number.
impl PartialEq for Number {
    fn eq(&self, other: &Number) -> bool {
        const LIMIT: i64 = 1 << 53;
        if let (Repr::Integer(a), Repr::Integer(b)) = (&self.0, &other.0) {
            return a == b;
        }
        let (a, b) = (self.decimal(), other.decimal());
        a.exponent.abs() < LIMIT && b.exponent.abs() < LIMIT && a == b
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Integer(integer) => write!(f, "{integer}"),
            Repr::Text(text) => f.write_str(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn number(text: &str) -> Number {
        match parse(text.as_bytes()) {
            Ok(Value::Number(number)) => number,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn duplicates_rejected_at_any_depth() {
        assert!(parse_object(br#"{"a":1,"a":2}"#).is_err());
        assert!(parse_object(br#"{"b":0,"a":1,"c":2,"a":2}"#).is_err());
        assert!(parse_object(br#"{"a":{"b":1,"b":1}}"#).is_err());
        assert!(parse_object(br#"{"a":[{"b":1,"b":1}]}"#).is_err());
        // Escapes are resolved before names compare.
        assert!(parse_object(br#"{"a":1,"\u0061":2}"#).is_err());
        assert!(parse_object(br#"{"a":1,"b":2}"#).is_ok());
    }

    #[test]
    fn non_objects_and_trailing_data_rejected() {
        assert!(parse_object(b"[1]").is_err());
        assert!(parse_object(b"{} x").is_err());
        assert!(parse_object(b"{}").is_ok());
        assert!(parse_object(b" { } \n").is_ok());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let doc = format!("{{\"a\":{deep}}}");
        assert!(parse_object(doc.as_bytes()).is_err());
        let limit = "[".repeat(MAX_DEPTH - 1) + &"]".repeat(MAX_DEPTH - 1);
        assert!(parse_object(format!("{{\"a\":{limit}}}").as_bytes()).is_ok());
        let over = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse_object(format!("{{\"a\":{over}}}").as_bytes()).is_err());
    }

    #[test]
    fn grammar_is_strict() {
        for bad in [
            "",
            "{",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\":1,}",
            "[1,]",
            "[,1]",
            "01",
            "1.",
            ".5",
            "1e",
            "+1",
            "-",
            "--1",
            "0x10",
            "tru",
            "nul",
            "True",
            "'a'",
            "\"a",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\t\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\ud800\\u0041\"",
            "NaN",
            "Infinity",
            "{\"a\" 1}",
            "{1:2}",
            "[1 2]",
        ] {
            assert!(parse(bad.as_bytes()).is_err(), "{bad:?} was accepted");
        }
        assert!(parse(b"\"\xff\"").is_err());
        for good in [
            "0",
            "-0",
            "1.5e+10",
            "1E-2",
            "true",
            "false",
            "null",
            "\"\"",
            "[]",
            "{}",
            "[[],{}]",
            "\"\\ud83d\\ude00\"",
        ] {
            assert!(parse(good.as_bytes()).is_ok(), "{good:?} was refused");
        }
    }

    #[test]
    fn strings_round_trip_through_display() {
        let text = r#"{"a\"b":"\\\/\b\f\n\r\t\u0001\u00e9\ud83d\ude00","b":[1.50,-0,true,null]}"#;
        let value = parse(text.as_bytes()).unwrap();
        assert_eq!(
            value.get("a\"b").and_then(Value::as_str),
            Some("\\/\u{8}\u{c}\n\r\t\u{1}é😀")
        );
        let shown = value.to_string();
        assert_eq!(
            shown,
            r#"{"a\"b":"\\/\b\f\n\r\t\u0001é😀","b":[1.50,-0,true,null]}"#
        );
        assert_eq!(parse(shown.as_bytes()).unwrap(), value);
    }

    #[test]
    fn members_sorted_and_found() {
        let map = parse_object(br#"{"c":1,"a":2,"b":3}"#).unwrap();
        let names: Vec<&str> = map.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(map.get("b"), Some(&Value::from(3u64)));
        assert!(map.get("d").is_none() && !map.contains_key("d") && map.contains_key("a"));
        let mut map = map;
        assert_eq!(map.insert("d".into(), Value::Null), None);
        assert_eq!(map.insert("a".into(), Value::Null), Some(Value::from(2u64)));
        assert_eq!(map.len(), 4);
        let collected: Map = [
            ("b", Value::Null),
            ("a", Value::from(1u64)),
            ("b", Value::from(2u64)),
        ]
        .into_iter()
        .collect();
        assert_eq!(collected.to_string(), r#"{"a":1,"b":2}"#);
        assert_eq!(
            Value::Object(map).to_string(),
            r#"{"a":null,"b":3,"c":1,"d":null}"#
        );
    }

    #[test]
    fn names_in_byte_order_whatever_their_length() {
        let names = [
            "",
            "\0",
            "a",
            "a\0",
            "a\0b",
            "ab",
            "abcdefgh",
            "abcdefgh\0",
            "abcdefghi",
            "b",
            "é",
        ];
        let mut map = Map::new();
        for name in names.iter().rev() {
            map.insert(String::from(*name), Value::Null);
        }
        let order: Vec<&str> = map.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(order, names);
        assert!(names.iter().all(|name| map.contains_key(name)));
        assert!(!map.contains_key("abcdefg") && !map.contains_key("a\0\0"));
    }

    #[test]
    fn numbers_compare_as_decimal_values() {
        assert_eq!(number("1"), number("1.0"));
        assert_eq!(number("1"), number("10e-1"));
        assert_eq!(number("150"), number("1.5E2"));
        assert_eq!(number("0"), number("-0.0e5"));
        assert_ne!(number("1"), number("-1"));
        assert_ne!(number("1"), number("1.0000000000000000000001"));
        assert_ne!(
            number("1e9999999999999999999"),
            number("1e9999999999999999998")
        );
        assert_ne!(
            number("1e9999999999999999999"),
            number("1e9999999999999999999")
        );
    }

    #[test]
    fn integers_and_floors() {
        assert_eq!(number("42").as_i64(), Some(42));
        assert_eq!(number("42.0").as_i64(), None);
        assert_eq!(number("-1").as_u64(), None);
        assert_eq!(number("18446744073709551615").as_u64(), Some(u64::MAX));
        for (text, floor) in [
            ("0", 0),
            ("1.9", 1),
            ("-1.5", -2),
            ("-1.0", -1),
            ("-0.5", -1),
            ("0.5", 0),
            ("1.7e9", 1_700_000_000),
            ("17e-1", 1),
            ("9223372036854775807", i64::MAX),
            ("9223372036854775808", i64::MAX),
            ("-9223372036854775808", i64::MIN),
            ("-9223372036854775809", i64::MIN),
            ("1e400", i64::MAX),
            ("-1e400", i64::MIN),
            ("1e-400", 0),
            ("-1e-400", -1),
            ("1e-9999999999999999999999", 0),
            ("1e9999999999999999999999", i64::MAX),
        ] {
            assert_eq!(number(text).floor_i64(), floor, "{text}");
        }
    }
}
