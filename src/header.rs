//! The JOSE header of a compact JWS, checked before any key is looked up.

use crate::json::{Map, Value};
use alloc::{format, string::String, vec::Vec};

use crate::algorithm::Algorithm;
use crate::error::{Error, ErrorCode};

/// The header of a token, after the checks of [`Header::from_object`].
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    alg: Algorithm,
    members: Map,
}

/// `crit` names jwtgate understands (RFC 7797 `b64`, and only as `true`).
const UNDERSTOOD_CRIT: [&str; 1] = ["b64"];

impl Header {
    /// Checks a decoded header object against the algorithm allowlist.
    ///
    /// `jku`, `x5u`, `jwk` and `x5c` are kept as members but never used to
    /// find a key: a token must not choose the key it is verified with.
    pub fn from_object(members: Map, allowed: &[Algorithm]) -> Result<Header, Error> {
        let malformed = |what: String| Error::new(ErrorCode::TokenMalformed, what);
        let alg_name = match members.get("alg") {
            Some(Value::String(name)) => name,
            Some(_) => return Err(malformed(String::from("header alg is not a string"))),
            None => return Err(malformed(String::from("header has no alg"))),
        };
        let alg = Algorithm::from_name(alg_name)
            .filter(|alg| allowed.contains(alg))
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::AlgorithmNotAllowed,
                    format!("algorithm \"{}\" is not allowed", short(alg_name)),
                )
            })?;
        if let Some(crit) = members.get("crit") {
            let names = crit
                .as_array()
                .filter(|names| !names.is_empty())
                .ok_or_else(|| malformed(String::from("header crit must be a non-empty array")))?;
            for name in names {
                match name.as_str() {
                    Some(name) if UNDERSTOOD_CRIT.contains(&name) && members.contains_key(name) => {
                    }
                    Some(name) => {
                        return Err(malformed(format!(
                            "header crit names unsupported extension \"{}\"",
                            short(name)
                        )))
                    }
                    None => return Err(malformed(String::from("header crit holds a non-string"))),
                }
            }
        }
        match members.get("b64") {
            None | Some(Value::Bool(true)) => {}
            Some(_) => {
                return Err(malformed(String::from(
                    "unencoded payloads (b64) are not supported",
                )))
            }
        }
        match members.get("cty") {
            None => {}
            Some(Value::String(cty)) if is_nested_jwt(cty) => {
                return Err(malformed(String::from(
                    "nested JWTs (cty: JWT) are not supported",
                )))
            }
            Some(Value::String(_)) => {}
            Some(_) => return Err(malformed(String::from("header cty is not a string"))),
        }
        for name in ["kid", "typ"] {
            if members.get(name).is_some_and(|value| !value.is_string()) {
                return Err(malformed(format!("header {name} is not a string")));
            }
        }
        Ok(Header { alg, members })
    }

    /// The verified-against algorithm.
    pub fn alg(&self) -> Algorithm {
        self.alg
    }

    /// The `kid`, if any.
    pub fn kid(&self) -> Option<&str> {
        self.members.get("kid").and_then(Value::as_str)
    }

    /// The `typ`, if any.
    pub fn typ(&self) -> Option<&str> {
        self.members.get("typ").and_then(Value::as_str)
    }

    /// All header members as sent.
    pub fn members(&self) -> &Map {
        &self.members
    }
}

/// Whether `typ` is accepted by one of `accepted`: media types compare
/// case-insensitively and an `application/` prefix may be left out
/// (RFC 7515 §4.1.9), so `at+jwt` accepts `application/at+jwt` (RFC 9068).
pub fn typ_matches(typ: &str, accepted: &[String]) -> bool {
    let bare = |text: &str| -> Vec<u8> {
        let lower = text.to_ascii_lowercase();
        let lower = lower.strip_prefix("application/").unwrap_or(&lower);
        lower.as_bytes().to_vec()
    };
    let wanted = bare(typ);
    accepted.iter().any(|candidate| bare(candidate) == wanted)
}

fn is_nested_jwt(cty: &str) -> bool {
    cty.eq_ignore_ascii_case("JWT") || cty.eq_ignore_ascii_case("application/jwt")
}

/// Token text echoed in an error stays short and printable.
pub(crate) fn short(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(32)
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '?'
            }
        })
        .collect();
    if text.chars().nth(32).is_some() {
        out.push_str("...");
    }
    out
}
