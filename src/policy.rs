//! Claim-based authorization: scopes and claim rules a route requires.

use crate::json::{Map, Value};
use alloc::{format, string::String, vec::Vec};

use crate::error::{Error, ErrorCode};

/// What a route requires of a verified token, beyond it being valid.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Requirements {
    /// Every one of these scopes must be granted.
    pub scopes: Vec<String>,
    /// At least one of these scopes must be granted (ignored when empty).
    pub scopes_any: Vec<String>,
    /// Every rule must hold.
    pub claims: Vec<ClaimRule>,
}

/// "The claim `name` equals one of `values`": for an array claim, any
/// element may match. `name` may be a dotted path into nested objects
/// (`realm_access.roles`) when no top-level claim has the literal name.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimRule {
    /// Claim name or dotted path.
    pub name: String,
    /// Accepted values: equal as JSON values, numbers as decimal values
    /// (`1` and `1.0` are equal).
    pub values: Vec<Value>,
}

impl Requirements {
    /// Requirements of all-of `scopes`, nothing else.
    pub fn scopes<I, S>(scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Requirements {
            scopes: scopes.into_iter().map(Into::into).collect(),
            ..Requirements::default()
        }
    }

    /// Whether nothing is required.
    pub fn is_empty(&self) -> bool {
        self.scopes.is_empty() && self.scopes_any.is_empty() && self.claims.is_empty()
    }

    /// Checks claim rules first (a token of the wrong tenant is not "missing
    /// a scope"), then all-of scopes, then any-of scopes.
    pub fn check(&self, payload: &Map, granted: &[String]) -> Result<(), Error> {
        for rule in &self.claims {
            rule.check(payload)?;
        }
        let has = |scope: &String| granted.iter().any(|g| g == scope);
        let missing: Vec<&str> = self
            .scopes
            .iter()
            .filter(|scope| !has(scope))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            return Err(Error::insufficient_scope(self.scopes.join(" ")));
        }
        if !self.scopes_any.is_empty() && !self.scopes_any.iter().any(has) {
            return Err(
                Error::insufficient_scope(self.scopes_any.join(" ")).with_description(format!(
                    "the token needs one of the scopes: {}",
                    self.scopes_any.join(" ")
                )),
            );
        }
        Ok(())
    }
}

impl ClaimRule {
    /// A rule on `name` accepting any of `values`.
    pub fn new<I: IntoIterator<Item = Value>>(name: impl Into<String>, values: I) -> Self {
        ClaimRule {
            name: name.into(),
            values: values.into_iter().collect(),
        }
    }

    fn check(&self, payload: &Map) -> Result<(), Error> {
        let fail = |what: &str| {
            Error::new(
                ErrorCode::ClaimInvalid,
                format!("claim \"{}\" {what}", self.name),
            )
        };
        let value = lookup(payload, &self.name).ok_or_else(|| fail("is missing"))?;
        let accepted = |v: &Value| self.values.iter().any(|wanted| wanted == v);
        let ok = match value {
            Value::Array(items) => items.iter().any(accepted),
            other => accepted(other),
        };
        if ok {
            Ok(())
        } else {
            Err(fail("does not have a required value"))
        }
    }
}

/// A claim by exact name, or else by dotted path through nested objects.
pub fn lookup<'a>(payload: &'a Map, name: &str) -> Option<&'a Value> {
    if let Some(value) = payload.get(name) {
        return Some(value);
    }
    let mut parts = name.split('.');
    let mut current = payload.get(parts.next()?)?;
    for part in parts {
        current = current.as_object()?.get(part)?;
    }
    Some(current)
}

/// The granted scopes: the union of every configured claim, each either a
/// space-delimited string (RFC 8693 `scope`) or an array of strings (`scp`).
pub fn granted_scopes(payload: &Map, claims: &[String]) -> Result<Vec<String>, Error> {
    let mut scopes: Vec<String> = Vec::new();
    let mut add = |scope: &str| {
        if !scope.is_empty() && !scopes.iter().any(|s| s == scope) {
            scopes.push(String::from(scope));
        }
    };
    for claim in claims {
        match payload.get(claim) {
            None | Some(Value::Null) => {}
            Some(Value::String(text)) => text.split(' ').for_each(&mut add),
            Some(Value::Array(items)) => {
                for item in items {
                    let scope = item.as_str().ok_or_else(|| {
                        Error::new(
                            ErrorCode::ClaimInvalid,
                            format!("claim \"{claim}\" holds a non-string scope"),
                        )
                    })?;
                    add(scope);
                }
            }
            Some(_) => {
                return Err(Error::new(
                    ErrorCode::ClaimInvalid,
                    format!("claim \"{claim}\" is neither a string nor an array of strings"),
                ))
            }
        }
    }
    Ok(scopes)
}
