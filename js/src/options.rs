//! The options the JS layer hands over as JSON text (`createVerifier`'s, as
//! the core takes them, and per-call requirements), read with the core's
//! strict JSON. Unknown names and wrong types are refused with a message that
//! names the option; `null` counts as absent (`JSON.stringify` keeps it).
//!
//! Read by hand rather than with serde's derive: serde and serde_json were
//! about 50 KB of this package's wasm, which the core no longer needs.

use jwtgate::json::{self, Map, Value};

/// The verifier options the core takes, as the JS package spells them.
#[derive(Default)]
pub struct Options {
    pub issuer: Option<Vec<String>>,
    pub audience: Option<Vec<String>>,
    pub algorithms: Option<Vec<String>>,
    pub clock_tolerance: Option<u64>,
    pub max_token_age: Option<u64>,
    pub require_exp: Option<bool>,
    pub required_claims: Option<Vec<String>>,
    pub typ: Option<Vec<String>>,
    pub scope_claims: Option<Vec<String>>,
    pub call: CallOptions,
    pub cache_entries: Option<u64>,
    pub max_token_bytes: Option<u64>,
    pub realm: Option<String>,
}

/// What a route requires (per call, and as part of [`Options`]).
#[derive(Default)]
pub struct CallOptions {
    pub required_scopes: Option<Vec<String>>,
    pub scopes_any: Option<Vec<String>>,
    pub claims: Option<Map>,
}

const CALL_NAMES: [&str; 3] = ["requiredScopes", "scopesAny", "claims"];

const OPTION_NAMES: [&str; 12] = [
    "issuer",
    "audience",
    "algorithms",
    "clockTolerance",
    "maxTokenAge",
    "requireExp",
    "requiredClaims",
    "typ",
    "scopeClaims",
    "cacheEntries",
    "maxTokenBytes",
    "realm",
];

impl Options {
    /// Reads the JSON text of the options.
    pub fn parse(text: &str) -> Result<Options, String> {
        let fields = Fields::parse(text, &[&OPTION_NAMES, &CALL_NAMES])?;
        Ok(Options {
            issuer: fields.strings("issuer")?,
            audience: fields.strings("audience")?,
            algorithms: fields.strings("algorithms")?,
            clock_tolerance: fields.integer("clockTolerance")?,
            max_token_age: fields.integer("maxTokenAge")?,
            require_exp: fields.boolean("requireExp")?,
            required_claims: fields.strings("requiredClaims")?,
            typ: fields.strings("typ")?,
            scope_claims: fields.strings("scopeClaims")?,
            call: CallOptions::from_fields(&fields)?,
            cache_entries: fields.integer("cacheEntries")?,
            max_token_bytes: fields.integer("maxTokenBytes")?,
            realm: fields.string("realm")?,
        })
    }
}

impl CallOptions {
    /// Reads the JSON text of per-call requirements.
    pub fn parse(text: &str) -> Result<CallOptions, String> {
        CallOptions::from_fields(&Fields::parse(text, &[&CALL_NAMES])?)
    }

    fn from_fields(fields: &Fields) -> Result<CallOptions, String> {
        Ok(CallOptions {
            required_scopes: fields.strings("requiredScopes")?,
            scopes_any: fields.strings("scopesAny")?,
            claims: fields.object("claims")?,
        })
    }
}

/// The members of an options object, each read once by name and type.
struct Fields(Map);

impl Fields {
    fn parse(text: &str, known: &[&[&str]]) -> Result<Fields, String> {
        let map = json::parse_object(text.as_bytes())?;
        if let Some((name, _)) = map
            .iter()
            .find(|(name, _)| !known.iter().any(|names| names.contains(&name.as_str())))
        {
            return Err(format!("unknown option `{name}`"));
        }
        Ok(Fields(map))
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|value| **value != Value::Null)
    }

    fn strings(&self, name: &str) -> Result<Option<Vec<String>>, String> {
        let Some(value) = self.get(name) else {
            return Ok(None);
        };
        let wrong = || format!("{name} must be a string or an array of strings");
        match value {
            Value::String(one) => Ok(Some(vec![one.clone()])),
            Value::Array(items) => items
                .iter()
                .map(|item| item.as_str().map(String::from).ok_or_else(wrong))
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            _ => Err(wrong()),
        }
    }

    fn integer(&self, name: &str) -> Result<Option<u64>, String> {
        self.typed(name, "a non-negative integer", |value| match value {
            Value::Number(number) => number.as_u64(),
            _ => None,
        })
    }

    fn boolean(&self, name: &str) -> Result<Option<bool>, String> {
        self.typed(name, "a boolean", |value| match value {
            Value::Bool(flag) => Some(*flag),
            _ => None,
        })
    }

    fn string(&self, name: &str) -> Result<Option<String>, String> {
        self.typed(name, "a string", |value| value.as_str().map(String::from))
    }

    fn object(&self, name: &str) -> Result<Option<Map>, String> {
        self.typed(name, "an object", |value| value.as_object().cloned())
    }

    fn typed<T>(
        &self,
        name: &str,
        what: &str,
        read: impl Fn(&Value) -> Option<T>,
    ) -> Result<Option<T>, String> {
        self.get(name)
            .map(|value| read(value).ok_or_else(|| format!("{name} must be {what}")))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_read_by_name_and_type() {
        let options = Options::parse(
            r#"{"issuer":"i","audience":["a","b"],"clockTolerance":5,"requireExp":false,
                "realm":"r","requiredScopes":"s","claims":{"tenant":["x"]},"typ":null}"#,
        )
        .unwrap();
        assert_eq!(options.issuer, Some(vec!["i".into()]));
        assert_eq!(options.audience, Some(vec!["a".into(), "b".into()]));
        assert_eq!(options.clock_tolerance, Some(5));
        assert_eq!(options.require_exp, Some(false));
        assert_eq!(options.realm.as_deref(), Some("r"));
        assert_eq!(options.call.required_scopes, Some(vec!["s".into()]));
        assert!(options
            .call
            .claims
            .is_some_and(|claims| claims.contains_key("tenant")));
        assert_eq!(options.typ, None);
        assert!(Options::parse("{}").is_ok());
    }

    #[test]
    fn unknown_names_and_wrong_types_refused() {
        for (text, message) in [
            (r#"{"issuers":["x"]}"#, "unknown option `issuers`"),
            (
                r#"{"clockTolerance":-1}"#,
                "clockTolerance must be a non-negative integer",
            ),
            (
                r#"{"clockTolerance":1.5}"#,
                "clockTolerance must be a non-negative integer",
            ),
            (
                r#"{"issuer":["x",1]}"#,
                "issuer must be a string or an array of strings",
            ),
            (r#"{"requireExp":"yes"}"#, "requireExp must be a boolean"),
            (r#"{"claims":[]}"#, "claims must be an object"),
            (r#"{"realm":1}"#, "realm must be a string"),
            ("[]", "not a JSON object"),
        ] {
            assert_eq!(
                Options::parse(text).err().as_deref(),
                Some(message),
                "{text}"
            );
        }
        assert_eq!(
            CallOptions::parse(r#"{"issuer":"x"}"#).err().as_deref(),
            Some("unknown option `issuer`")
        );
    }
}
