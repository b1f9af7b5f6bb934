//! Where in a JSON document a parse error happened, as a field path
//! (`providers.p.remote_jwks.timeout_ms`, `rules[0].match`), so that a
//! configuration error names its field.
//!
//! serde_json says where (line and column); a short scan of the text up to
//! there says which field. `serde_path_to_error` did this by wrapping every
//! visitor, which cost about 24 KB of the filter's `.wasm` (of a 400 KB
//! budget); this runs only on the error path.

/// One open container while scanning.
enum Frame {
    /// An object and the last member name read in it.
    Object(Option<String>),
    /// An array and the index of the element being read.
    Array(usize),
}

/// The path of the value being read at 1-based `line` and `column` (bytes
/// since the line start, as serde_json counts) of `text`.
pub fn path_at(text: &[u8], line: usize, column: usize) -> String {
    let line_start: usize = text
        .split(|byte| *byte == b'\n')
        .take(line.saturating_sub(1))
        .map(|line| line.len().saturating_add(1))
        .fold(0, usize::saturating_add);
    let end = line_start.saturating_add(column).min(text.len());
    render(&scan(text.get(..end).unwrap_or(text)))
}

fn scan(text: &[u8]) -> Vec<Frame> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut expecting_key = false;
    let mut string: Option<Vec<u8>> = None;
    let mut string_is_key = false;
    let mut escaped = false;
    for &byte in text {
        if let Some(current) = string.as_mut() {
            if escaped {
                escaped = false;
                current.push(byte);
            } else if byte == b'\\' {
                escaped = true;
                current.push(byte);
            } else if byte == b'"' {
                let name = String::from_utf8_lossy(current).into_owned();
                string = None;
                if string_is_key {
                    if let Some(Frame::Object(key)) = stack.last_mut() {
                        *key = Some(name);
                    }
                }
            } else {
                current.push(byte);
            }
            continue;
        }
        match byte {
            b'{' => {
                stack.push(Frame::Object(None));
                expecting_key = true;
            }
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
                expecting_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(index)) => *index = index.saturating_add(1),
                Some(Frame::Object(_)) => expecting_key = true,
                None => {}
            },
            b':' => expecting_key = false,
            b'"' => {
                string = Some(Vec::new());
                string_is_key = expecting_key && matches!(stack.last(), Some(Frame::Object(_)));
            }
            _ => {}
        }
    }
    stack
}

fn render(stack: &[Frame]) -> String {
    let mut path = String::new();
    for frame in stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object(None) => {}
            Frame::Array(index) => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The path serde_json's error position points into.
    fn path_of_error<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
        let err = serde_json::from_str::<T>(text).expect_err("invalid");
        path_at(text.as_bytes(), err.line(), err.column())
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        timeout_ms: u64,
        #[serde(default)]
        names: Vec<String>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        providers: std::collections::BTreeMap<String, Inner>,
        #[serde(default)]
        rules: Vec<Inner>,
    }

    #[test]
    fn names_the_field_of_a_wrong_type() {
        let path = path_of_error::<Outer>(r#"{"providers":{"p":{"timeout_ms":"x"}}}"#);
        assert_eq!(path, "providers.p.timeout_ms");
    }

    #[test]
    fn names_array_elements_and_nested_objects() {
        let text = r#"{"providers":{"a":{"timeout_ms":1}},"rules":[{"timeout_ms":1},{"timeout_ms":2,"names":["x",7]}]}"#;
        assert_eq!(path_of_error::<Outer>(text), "rules[1].names[1]");
    }

    #[test]
    fn names_an_unknown_member_with_its_object() {
        let path = path_of_error::<Outer>(
            "{\n  \"providers\": {\n    \"p\": {\"timeout_ms\": 1, \"isuer\": \"x\"}\n  }\n}",
        );
        assert_eq!(path, "providers.p.isuer");
    }

    #[test]
    fn escaped_quotes_in_names_and_values_do_not_confuse_it() {
        let text = r#"{"providers":{"a\"b":{"names":["\"]","\\"],"timeout_ms":true}}}"#;
        assert_eq!(path_of_error::<Outer>(text), r#"providers.a\"b.timeout_ms"#);
    }

    #[test]
    fn any_position_in_any_bytes_is_safe() {
        let text = br#"{"a":[{"b":"\"}"#;
        for line in 0..4 {
            for column in 0..40 {
                let _ = path_at(text, line, column);
            }
        }
        assert_eq!(path_at(b"", 1, 1), ".");
    }
}
