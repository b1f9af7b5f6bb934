//! The sample business API behind the gateway and the edge worker: payments
//! to read and write. It trusts what jwtgate forwarded (`x-jwt-payload`,
//! `x-client-id`) and never sees a raw token. It also serves the browser
//! token inspector at /js/inspector/index.html.

use std::path::PathBuf;

use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use tower_http::services::ServeDir;

pub async fn serve(listener: tokio::net::TcpListener, js_dir: PathBuf) {
    let app = Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/payments", get(list).post(create))
        // The inspector imports the package by relative path: serve js/ whole.
        .nest_service("/js", ServeDir::new(js_dir));
    let _ = axum::serve(listener, app).await;
}

/// Who the gateway says is calling, from the headers jwtgate set.
fn caller(headers: &HeaderMap) -> Value {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let payload = header("x-jwt-payload")
        .and_then(|b64| jwtgate::base64url::decode(b64.as_bytes()))
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok());
    json!({
        "client_id": header("x-client-id").map(String::from)
            .or_else(|| payload.as_ref().and_then(|p| p["client_id"].as_str().map(String::from))),
        "scope": payload.as_ref().map(|p| p["scope"].clone()),
        "authorization_header_seen": headers.contains_key("authorization"),
    })
}

async fn list(headers: HeaderMap) -> impl IntoResponse {
    Json(json!({
        "payments": [
            {"id": "pmt_1001", "amount": "125.00", "currency": "EUR", "status": "settled"},
            {"id": "pmt_1002", "amount": "48.90", "currency": "EUR", "status": "pending"}
        ],
        "caller": caller(&headers),
    }))
}

async fn create(headers: HeaderMap) -> impl IntoResponse {
    (
        StatusCode::CREATED,
        Json(
            json!({"created": {"id": "pmt_1003", "status": "pending"}, "caller": caller(&headers)}),
        ),
    )
}
