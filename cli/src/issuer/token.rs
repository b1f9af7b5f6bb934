//! `POST /oauth/v1/token`: the client-credentials grant (RFC 6749 §4.4) and
//! its errors (§5.2).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine as _;
use serde_json::json;

use super::clients::Client;
use super::Issuer;

/// An RFC 6749 §5.2 error response.
struct OAuthError {
    status: StatusCode,
    code: &'static str,
    description: String,
    basic_challenge: bool,
}

impl OAuthError {
    fn new(status: StatusCode, code: &'static str, description: impl Into<String>) -> Self {
        OAuthError {
            status,
            code,
            description: description.into(),
            basic_challenge: false,
        }
    }

    fn invalid_request(description: impl Into<String>) -> Self {
        OAuthError::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    fn invalid_client() -> Self {
        OAuthError {
            basic_challenge: true,
            ..OAuthError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "client authentication failed",
            )
        }
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let body = Json(json!({"error": self.code, "error_description": self.description}));
        let mut response = (self.status, no_store(), body).into_response();
        if self.basic_challenge {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"jwtgate\""),
            );
        }
        response
    }
}

fn no_store() -> [(header::HeaderName, &'static str); 2] {
    [
        (header::CACHE_CONTROL, "no-store"),
        (header::PRAGMA, "no-cache"),
    ]
}

/// The token endpoint.
pub async fn issue(State(issuer): State<Arc<Issuer>>, headers: HeaderMap, body: Bytes) -> Response {
    match grant(&issuer, &headers, &body) {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

fn grant(issuer: &Issuer, headers: &HeaderMap, body: &[u8]) -> Result<Response, OAuthError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type
        .to_ascii_lowercase()
        .starts_with("application/x-www-form-urlencoded")
    {
        return Err(OAuthError::invalid_request(
            "the body must be application/x-www-form-urlencoded",
        ));
    }
    let params = form(body)?;
    let grant_type = params
        .get("grant_type")
        .ok_or_else(|| OAuthError::invalid_request("grant_type is missing"))?;
    if grant_type != "client_credentials" {
        return Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "only the client_credentials grant is supported",
        ));
    }
    let (client_id, client) = authenticate(issuer, headers, &params)?;
    if !client.client_credentials {
        return Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            "this client may not use the client_credentials grant",
        ));
    }
    let scopes = granted_scopes(client, params.get("scope").map(String::as_str))?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let scope = scopes.join(" ");
    let claims = json!({
        "iss": issuer.issuer,
        "aud": client.audience.as_deref().unwrap_or(&issuer.audience),
        "sub": client_id,
        "client_id": client_id,
        "iat": now,
        "exp": now.saturating_add(issuer.ttl),
        "jti": jti(),
        "scope": scope,
    });
    let mut header = json!({"typ": "at+jwt"});
    let token = issuer
        .keys
        .sign_token(&mut header, &claims)
        .map_err(|err| OAuthError::new(StatusCode::INTERNAL_SERVER_ERROR, "server_error", err))?;
    let body = json!({"access_token": token, "token_type": "Bearer", "expires_in": issuer.ttl, "scope": scope});
    Ok((StatusCode::OK, no_store(), Json(body)).into_response())
}

/// Form parameters; a repeated parameter is an error (RFC 6749 §3.2).
fn form(body: &[u8]) -> Result<BTreeMap<String, String>, OAuthError> {
    let mut params = BTreeMap::new();
    for (name, value) in form_urlencoded::parse(body) {
        if params
            .insert(name.to_string(), value.into_owned())
            .is_some()
        {
            return Err(OAuthError::invalid_request(format!(
                "parameter {name} is repeated"
            )));
        }
    }
    Ok(params)
}

/// HTTP Basic (RFC 6749 §2.3.1, form-urlencoded id and secret) or form
/// `client_id`/`client_secret`; using both is an error.
fn authenticate<'a>(
    issuer: &'a Issuer,
    headers: &HeaderMap,
    params: &BTreeMap<String, String>,
) -> Result<(String, &'a Client), OAuthError> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|value| {
            let (scheme, credentials) = value.split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("basic")
                .then(|| credentials.trim().to_owned())
        });
    let (id, secret) = match (basic, params.get("client_secret")) {
        (Some(_), Some(_)) => {
            return Err(OAuthError::invalid_request(
                "use one client authentication method, not two",
            ))
        }
        (Some(credentials), None) => {
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(credentials)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .ok_or_else(OAuthError::invalid_client)?;
            let (id, secret) = decoded
                .split_once(':')
                .ok_or_else(OAuthError::invalid_client)?;
            let decode = |text: &str| {
                percent_encoding::percent_decode_str(&text.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(id), decode(secret))
        }
        (None, Some(secret)) => {
            let id = params
                .get("client_id")
                .ok_or_else(OAuthError::invalid_client)?;
            (id.clone(), secret.clone())
        }
        (None, None) => return Err(OAuthError::invalid_client()),
    };
    let client = issuer
        .registry
        .authenticate(&id, &secret)
        .ok_or_else(OAuthError::invalid_client)?;
    Ok((id, client))
}

/// The requested scopes, which must be well-formed (RFC 6749 §3.3) and a
/// subset of the client's; none requested means the client's default.
fn granted_scopes(client: &Client, requested: Option<&str>) -> Result<Vec<String>, OAuthError> {
    let invalid = |what: String| OAuthError::new(StatusCode::BAD_REQUEST, "invalid_scope", what);
    let requested: Vec<&str> = requested
        .unwrap_or("")
        .split(' ')
        .filter(|s| !s.is_empty())
        .collect();
    if requested.is_empty() {
        return Ok(client
            .default_scopes
            .clone()
            .unwrap_or_else(|| client.scopes.clone()));
    }
    let mut granted: Vec<String> = Vec::new();
    for scope in requested {
        if !scope
            .bytes()
            .all(|b| b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b))
        {
            return Err(invalid(String::from(
                "a scope holds characters RFC 6749 §3.3 does not allow",
            )));
        }
        if !client.scopes.iter().any(|allowed| allowed == scope) {
            return Err(invalid(format!(
                "scope {scope} is not allowed for this client"
            )));
        }
        if !granted.iter().any(|g| g == scope) {
            granted.push(scope.to_owned());
        }
    }
    Ok(granted)
}

fn jti() -> String {
    let mut bytes = [0u8; 16];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut bytes);
    jwtgate::base64url::encode(&bytes)
}
