//! The core's own JSON parser against serde_json (proptest): on any JSON
//! serde_json writes it reads the same values and writes them back, and on
//! mutated documents it accepts only what serde_json accepts, with the same
//! values, refusing beyond that only repeated member names.

use jwtgate::json;
use proptest::prelude::*;
use serde_json::Value;

/// Any JSON value, a few levels deep, with names that may escape.
fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        "\\PC{0,12}|[\"\\\\\u{0}-\u{1f}\u{7f}-\u{10ffff}]{0,4}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("\\PC{0,6}", inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

#[derive(Debug, Clone)]
enum Edit {
    Insert(u8),
    Replace(u8),
    Cut,
}

/// One change to a document, mostly with bytes that matter to JSON.
fn edit() -> impl Strategy<Value = Edit> {
    let byte = prop_oneof![
        3 => prop::sample::select(b"0123456789-+.eE\"\\/u{}[],: \t\nntfrl".to_vec()),
        1 => any::<u8>(),
    ];
    prop_oneof![
        4 => byte.clone().prop_map(Edit::Insert),
        4 => byte.prop_map(Edit::Replace),
        1 => Just(Edit::Cut),
    ]
}

/// What the core read, as serde_json reads the core's own text of it.
fn through_core(text: &[u8]) -> Result<Value, String> {
    let value = json::parse(text)?;
    serde_json::from_str(&value.to_string()).map_err(|err| format!("serde_json: {err}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn reads_and_writes_what_serde_json_writes(value in any_value(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&value)
        } else {
            serde_json::to_string(&value)
        }
        .expect("serde_json writes its values");
        // Against serde_json's own reading of the text: without its
        // `float_roundtrip` feature it reads some floats back one ulp off.
        let serde: Value = serde_json::from_str(&text).expect("serde_json reads its text");
        prop_assert_eq!(through_core(text.as_bytes()), Ok(serde));
    }

    #[test]
    fn accepts_only_what_serde_json_accepts(value in any_value(), edits in prop::collection::vec((any::<prop::sample::Index>(), edit()), 1..4)) {
        let mut text = serde_json::to_string(&value).expect("serde_json writes its values").into_bytes();
        for (at, edit) in edits {
            let position = at.index(text.len() + 1);
            match edit {
                Edit::Insert(byte) => text.insert(position, byte),
                Edit::Replace(byte) if position < text.len() => text[position] = byte,
                _ => text.truncate(position),
            }
        }
        if let Ok(core) = json::parse(&text) {
            // What the core reads it writes as text that reads back and
            // writes the same (cargo-fuzz target `json` checks this too).
            let written = core.to_string();
            let again = json::parse(written.as_bytes()).map(|value| value.to_string());
            prop_assert_eq!(again, Ok(written));
        }
        match (json::parse(&text), serde_json::from_slice::<Value>(&text)) {
            (Ok(core), Ok(serde)) => {
                let core_text = core.to_string();
                prop_assert_eq!(serde_json::from_str::<Value>(&core_text).ok(), Some(serde), "{}", core_text);
            }
            // The core keeps numbers as text: it reads those beyond `f64` too.
            (Ok(core), Err(err)) => prop_assert!(
                err.to_string().starts_with("number out of range"),
                "core read {core}, serde_json refused: {err}"
            ),
            // serde_json keeps the last of repeated members; the core refuses.
            (Err(err), Ok(_)) => prop_assert!(err.starts_with("duplicate member"), "{err}"),
            (Err(_), Err(_)) => {}
        }
    }
}
