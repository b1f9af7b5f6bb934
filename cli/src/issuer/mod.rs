//! `jwtgate issuer`: a development OAuth 2.0 authorization server issuing JWT
//! access tokens (RFC 9068) by the client-credentials grant (RFC 6749 §4.4).

mod clients;
mod keys;
mod token;

use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

pub use self::clients::Registry;
pub use self::keys::{KeyRing, SigningAlg};

/// Arguments of `jwtgate issuer`.
#[derive(clap::Args, Clone)]
pub struct Args {
    /// Address to listen on (port 0 picks a free port; the URL is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// The `iss` value and base of the published URLs (default: http://LISTEN).
    #[arg(long)]
    pub issuer: Option<String>,
    /// The `aud` of issued tokens, unless a client names its own.
    #[arg(long, default_value = "payments-api")]
    pub audience: String,
    /// Signing algorithm: RS256, ES256 or EdDSA.
    #[arg(long, default_value = "RS256")]
    pub alg: SigningAlg,
    /// Token lifetime in seconds.
    #[arg(long, default_value_t = 3600)]
    pub ttl: u64,
    /// Client registry (TOML); default: the built-in demo clients.
    #[arg(long)]
    pub clients: Option<std::path::PathBuf>,
    /// Directory of PKCS#8 PEM private keys (`*.pem`, the file stem is the kid);
    /// default: a key generated at start.
    #[arg(long)]
    pub keys: Option<std::path::PathBuf>,
    /// Rotate to a new generated key every SECS seconds; the previous key stays
    /// published for one more period.
    #[arg(long)]
    pub rotate_every: Option<u64>,
    /// `Cache-Control: max-age` of the JWKS, seconds.
    #[arg(long, default_value_t = 300)]
    pub jwks_max_age: u64,
}

/// What the handlers share.
pub struct Issuer {
    /// `iss`.
    pub issuer: String,
    /// Default `aud`.
    pub audience: String,
    /// Token lifetime.
    pub ttl: u64,
    /// Clients.
    pub registry: Registry,
    /// Signing keys.
    pub keys: KeyRing,
    /// JWKS max-age.
    pub jwks_max_age: u64,
}

/// Largest request body accepted, bytes.
const MAX_BODY_BYTES: usize = 8 * 1024;

/// Runs the issuer until Ctrl-C.
pub fn run(args: &Args) -> Result<u8, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|err| format!("cannot start the runtime: {err}"))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|err| format!("cannot listen on {}: {err}", args.listen))?;
        let address = listener.local_addr().map_err(|err| err.to_string())?;
        let issuer = Arc::new(build(args, address)?);
        println!("jwtgate issuer listening on http://{address}");
        println!("  issuer: {}", issuer.issuer);
        println!("  token endpoint: {}/oauth/v1/token", issuer.issuer);
        println!("  jwks: {}/.well-known/jwks.json", issuer.issuer);
        if args.clients.is_none() {
            println!("  demo clients: {}", Registry::demo_summary());
        }
        if let Some(every) = args.rotate_every {
            tokio::spawn(rotate(issuer.clone(), Duration::from_secs(every.max(1))));
        }
        serve(listener, issuer).await
    })?;
    Ok(0)
}

/// Builds the issuer state from the arguments.
pub fn build(args: &Args, address: SocketAddr) -> Result<Issuer, String> {
    let registry = match &args.clients {
        Some(path) => Registry::from_file(path)?,
        None => Registry::demo(),
    };
    let keys = match &args.keys {
        Some(dir) => KeyRing::from_dir(dir)?,
        None => KeyRing::generate(args.alg)?,
    };
    Ok(Issuer {
        issuer: args
            .issuer
            .clone()
            .unwrap_or_else(|| format!("http://{address}")),
        audience: args.audience.clone(),
        ttl: args.ttl,
        registry,
        keys,
        jwks_max_age: args.jwks_max_age,
    })
}

/// Serves the issuer's routes on `listener` until Ctrl-C.
pub async fn serve(listener: tokio::net::TcpListener, issuer: Arc<Issuer>) -> Result<(), String> {
    axum::serve(listener, router(issuer))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|err| format!("server error: {err}"))
}

/// The issuer's routes.
pub fn router(issuer: Arc<Issuer>) -> Router {
    Router::new()
        .route("/oauth/v1/token", post(token::issue))
        .route("/.well-known/jwks.json", get(jwks))
        .route("/.well-known/openid-configuration", get(metadata))
        .route("/.well-known/oauth-authorization-server", get(metadata))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(issuer)
}

async fn rotate(issuer: Arc<Issuer>, every: Duration) {
    let mut ticker = tokio::time::interval(every);
    ticker.tick().await;
    loop {
        ticker.tick().await;
        match issuer.keys.rotate() {
            // A closed stdout must not end rotation: ignore write errors.
            Ok(kid) => {
                let _ = writeln!(std::io::stdout(), "rotated signing key: now {kid}");
            }
            Err(err) => eprintln!("key rotation failed: {err}"),
        }
    }
}

async fn jwks(State(issuer): State<Arc<Issuer>>) -> impl IntoResponse {
    (
        [(
            header::CACHE_CONTROL,
            format!("public, max-age={}", issuer.jwks_max_age),
        )],
        Json(issuer.keys.jwks()),
    )
}

async fn metadata(State(issuer): State<Arc<Issuer>>) -> impl IntoResponse {
    let base = &issuer.issuer;
    Json(json!({
        "issuer": base,
        "token_endpoint": format!("{base}/oauth/v1/token"),
        "jwks_uri": format!("{base}/.well-known/jwks.json"),
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "response_types_supported": ["token"],
        "id_token_signing_alg_values_supported": [issuer.keys.alg().name()],
        "scopes_supported": issuer.registry.all_scopes(),
    }))
}
