//! Registered claims (RFC 7519 §4.1), typed, and the time, issuer and audience
//! checks. All arithmetic is in `i128`, so no claim value can overflow it.

use crate::json::{Map, Value};
use alloc::{format, string::String, vec::Vec};

use crate::config::Validation;
use crate::error::{Error, ErrorCode};

/// The registered claims of a verified token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Claims {
    /// `iss`.
    pub issuer: Option<String>,
    /// `sub`.
    pub subject: Option<String>,
    /// `aud`, as a list whether sent as a string or an array.
    pub audience: Vec<String>,
    /// `exp`, Unix seconds.
    pub expires_at: Option<i64>,
    /// `nbf`, Unix seconds.
    pub not_before: Option<i64>,
    /// `iat`, Unix seconds.
    pub issued_at: Option<i64>,
    /// `client_id` (RFC 9068 §2.2).
    pub client_id: Option<String>,
    /// `jti`.
    pub jwt_id: Option<String>,
}

impl Claims {
    /// Reads the registered claims, checking their JSON types.
    pub fn from_payload(payload: &Map) -> Result<Claims, Error> {
        let string = |name: &str, code: ErrorCode| match payload.get(name) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(Error::new(
                code,
                format!("claim \"{name}\" is not a string"),
            )),
        };
        let audience = match payload.get("aud") {
            None => Vec::new(),
            Some(Value::String(aud)) => alloc::vec![aud.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| item.as_str().map(String::from))
                .collect::<Option<Vec<String>>>()
                .ok_or_else(|| {
                    Error::new(
                        ErrorCode::AudienceInvalid,
                        String::from("claim \"aud\" holds a non-string"),
                    )
                })?,
            Some(_) => {
                return Err(Error::new(
                    ErrorCode::AudienceInvalid,
                    String::from("claim \"aud\" is neither a string nor an array of strings"),
                ))
            }
        };
        Ok(Claims {
            issuer: string("iss", ErrorCode::IssuerInvalid)?,
            subject: string("sub", ErrorCode::ClaimInvalid)?,
            audience,
            expires_at: numeric_date(payload, "exp")?,
            not_before: numeric_date(payload, "nbf")?,
            issued_at: numeric_date(payload, "iat")?,
            client_id: string("client_id", ErrorCode::ClaimInvalid)?,
            jwt_id: string("jti", ErrorCode::ClaimInvalid)?,
        })
    }

    /// The checks that depend on the clock: `exp`, `nbf`, `iat` and the
    /// maximum token age, each with the configured leeway. Run on every
    /// verification, cached or not.
    pub fn check_time(&self, validation: &Validation, now: u64) -> Result<(), Error> {
        let now = i128::from(now);
        let leeway = i128::from(validation.leeway);
        match self.expires_at {
            Some(exp) if now >= i128::from(exp) + leeway => {
                return Err(Error::new(
                    ErrorCode::TokenExpired,
                    format!("the token expired at {exp}"),
                ))
            }
            None if validation.require_exp => {
                return Err(Error::new(
                    ErrorCode::ClaimInvalid,
                    String::from("claim \"exp\" is missing"),
                ))
            }
            _ => {}
        }
        if let Some(nbf) = self.not_before {
            if i128::from(nbf) > now + leeway {
                return Err(Error::new(
                    ErrorCode::TokenNotYetValid,
                    format!("the token is not valid before {nbf}"),
                ));
            }
        }
        if let Some(iat) = self.issued_at {
            if i128::from(iat) > now + leeway {
                return Err(Error::new(
                    ErrorCode::TokenNotYetValid,
                    format!("the token is issued in the future ({iat})"),
                ));
            }
        }
        if let Some(max_age) = validation.max_token_age {
            let iat = self.issued_at.ok_or_else(|| {
                Error::new(
                    ErrorCode::ClaimInvalid,
                    String::from("claim \"iat\" is missing (a maximum token age is set)"),
                )
            })?;
            if now - i128::from(iat) > i128::from(max_age) + leeway {
                return Err(Error::new(
                    ErrorCode::TokenExpired,
                    format!("the token is older than {max_age} s"),
                ));
            }
        }
        Ok(())
    }

    /// The checks that do not depend on the clock: issuer, audience and
    /// required claims. Their result holds for as long as the token is cached.
    pub fn check_static(&self, validation: &Validation, payload: &Map) -> Result<(), Error> {
        if !validation.issuers.is_empty() {
            match &self.issuer {
                Some(iss) if validation.issuers.iter().any(|want| want == iss) => {}
                Some(iss) => {
                    return Err(Error::new(
                        ErrorCode::IssuerInvalid,
                        format!("issuer \"{}\" is not accepted", crate::header::short(iss)),
                    ))
                }
                None => {
                    return Err(Error::new(
                        ErrorCode::IssuerInvalid,
                        String::from("claim \"iss\" is missing"),
                    ))
                }
            }
        }
        if !validation.audiences.is_empty()
            && !self
                .audience
                .iter()
                .any(|aud| validation.audiences.contains(aud))
        {
            let what = if self.audience.is_empty() {
                String::from("claim \"aud\" is missing")
            } else {
                String::from("the token is not meant for this audience")
            };
            return Err(Error::new(ErrorCode::AudienceInvalid, what));
        }
        for name in &validation.required_claims {
            if matches!(payload.get(name), None | Some(Value::Null)) {
                return Err(Error::new(
                    ErrorCode::ClaimInvalid,
                    format!("claim \"{name}\" is missing"),
                ));
            }
        }
        Ok(())
    }
}

/// A NumericDate must be a JSON number. Fractions (RFC 7519 allows them)
/// are floored; values beyond the `i64` range saturate. Anything else is
/// `claim_invalid`.
fn numeric_date(payload: &Map, name: &str) -> Result<Option<i64>, Error> {
    match payload.get(name) {
        None => Ok(None),
        Some(Value::Number(number)) => Ok(Some(number.floor_i64())),
        Some(_) => Err(Error::new(
            ErrorCode::ClaimInvalid,
            format!("claim \"{name}\" is not a NumericDate (a JSON number)"),
        )),
    }
}
