//! Stable error codes, their HTTP status and their RFC 6750 rendering.

use alloc::string::{String, ToString};
use core::fmt;

/// The stable code of a failed check. Each maps to one HTTP status and one
/// RFC 6750 `error` value; the codes are part of jwtgate's public contract and
/// are spelled the same in the Rust, JS and Envoy builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// No token in the request (401, `WWW-Authenticate` without `error=`).
    TokenMissing,
    /// The token is not a well-formed compact JWS / JWT.
    TokenMalformed,
    /// The header `alg` is not in the configured allowlist.
    AlgorithmNotAllowed,
    /// No key in the key set can verify this token.
    KeyNotFound,
    /// The signature does not verify.
    SignatureInvalid,
    /// `exp` is in the past (beyond leeway) or the token is older than the maximum age.
    TokenExpired,
    /// `nbf` (or `iat`) is in the future beyond leeway.
    TokenNotYetValid,
    /// `iss` is missing or not one of the accepted issuers.
    IssuerInvalid,
    /// `aud` is missing or shares no value with the accepted audiences.
    AudienceInvalid,
    /// A required claim is missing, mistyped, or does not match a claim rule.
    ClaimInvalid,
    /// The token lacks a scope the route needs (403).
    InsufficientScope,
    /// No key set could be obtained (503).
    JwksUnavailable,
}

impl ErrorCode {
    /// Every code, in the documented order.
    pub const ALL: [ErrorCode; 12] = [
        ErrorCode::TokenMissing,
        ErrorCode::TokenMalformed,
        ErrorCode::AlgorithmNotAllowed,
        ErrorCode::KeyNotFound,
        ErrorCode::SignatureInvalid,
        ErrorCode::TokenExpired,
        ErrorCode::TokenNotYetValid,
        ErrorCode::IssuerInvalid,
        ErrorCode::AudienceInvalid,
        ErrorCode::ClaimInvalid,
        ErrorCode::InsufficientScope,
        ErrorCode::JwksUnavailable,
    ];

    /// The code as written in JSON bodies, logs and the JS `JwtGateError.code`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::TokenMissing => "token_missing",
            ErrorCode::TokenMalformed => "token_malformed",
            ErrorCode::AlgorithmNotAllowed => "algorithm_not_allowed",
            ErrorCode::KeyNotFound => "key_not_found",
            ErrorCode::SignatureInvalid => "signature_invalid",
            ErrorCode::TokenExpired => "token_expired",
            ErrorCode::TokenNotYetValid => "token_not_yet_valid",
            ErrorCode::IssuerInvalid => "issuer_invalid",
            ErrorCode::AudienceInvalid => "audience_invalid",
            ErrorCode::ClaimInvalid => "claim_invalid",
            ErrorCode::InsufficientScope => "insufficient_scope",
            ErrorCode::JwksUnavailable => "jwks_unavailable",
        }
    }

    /// Parses a code from its [`as_str`](Self::as_str) spelling.
    pub fn from_name(name: &str) -> Option<ErrorCode> {
        ErrorCode::ALL
            .into_iter()
            .find(|code| code.as_str() == name)
    }

    /// The HTTP status a gateway answers with.
    pub const fn http_status(self) -> u16 {
        match self {
            ErrorCode::InsufficientScope => 403,
            ErrorCode::JwksUnavailable => 503,
            _ => 401,
        }
    }

    /// The RFC 6750 §3.1 `error` value, or `None` when the request carried no
    /// token at all (the spec says not to include an error code then).
    pub const fn rfc6750_error(self) -> Option<&'static str> {
        match self {
            ErrorCode::TokenMissing => None,
            ErrorCode::InsufficientScope => Some("insufficient_scope"),
            // A 503 is not a token problem; RFC 6750 has no code for it, and
            // clients must not discard a good token because of it.
            ErrorCode::JwksUnavailable => None,
            _ => Some("invalid_token"),
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failed check: a stable [`ErrorCode`] and a human-readable description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    description: String,
    required_scope: Option<String>,
}

impl Error {
    /// An error with the given code and description.
    pub fn new(code: ErrorCode, description: impl Into<String>) -> Self {
        Error {
            code,
            description: description.into(),
            required_scope: None,
        }
    }

    /// An `insufficient_scope` error naming the scopes the route needs
    /// (space-delimited, as RFC 6750 `scope=` wants them).
    pub fn insufficient_scope(required_scope: impl Into<String>) -> Self {
        let required_scope = required_scope.into();
        Error {
            code: ErrorCode::InsufficientScope,
            description: alloc::format!("the token lacks required scope: {required_scope}"),
            required_scope: Some(required_scope),
        }
    }

    /// The same error with another description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The human-readable description (safe to show to the client).
    pub fn description(&self) -> &str {
        &self.description
    }

    /// For `insufficient_scope`: the scopes the route needs.
    pub fn required_scope(&self) -> Option<&str> {
        self.required_scope.as_deref()
    }

    /// The HTTP status of this error.
    pub fn http_status(&self) -> u16 {
        self.code.http_status()
    }

    /// The `WWW-Authenticate` header value (RFC 6750 §3) for this error.
    pub fn www_authenticate(&self, realm: &str) -> String {
        let mut value = String::from("Bearer realm=\"");
        push_quoted(&mut value, realm);
        value.push('"');
        if let Some(error) = self.code.rfc6750_error() {
            value.push_str(", error=\"");
            value.push_str(error);
            value.push_str("\", error_description=\"");
            push_quoted(&mut value, &self.description);
            value.push('"');
        }
        if let Some(scope) = &self.required_scope {
            value.push_str(", scope=\"");
            push_quoted(&mut value, scope);
            value.push('"');
        }
        value
    }

    /// The JSON response body: `{"error": code, "error_description": ...}`.
    pub fn json_body(&self) -> String {
        let mut body = crate::json::Map::new();
        body.insert("error".to_string(), self.code.as_str().into());
        body.insert(
            "error_description".to_string(),
            self.description.as_str().into(),
        );
        if let Some(scope) = &self.required_scope {
            body.insert("scope".to_string(), scope.as_str().into());
        }
        body.to_string()
    }
}

/// RFC 6750 quoted strings may not hold `"` or `\` or control characters, and
/// header values must stay printable ASCII: replace anything else.
fn push_quoted(out: &mut String, text: &str) {
    out.extend(text.chars().map(|c| match c {
        '"' | '\\' => '\'',
        ' '..='~' => c,
        _ => '?',
    }));
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.description)
    }
}

#[cfg(feature = "std")]
extern crate std;

#[cfg(feature = "std")]
impl std::error::Error for Error {}
