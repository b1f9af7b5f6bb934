//! `jwtgate verify`: the core's full check, as a command.

use jwtgate::{Algorithm, Requirements, RustCrypto, Validation, Verifier};
use serde_json::json;

use crate::{input, json::to_serde, times, EXIT_INVALID};

/// Arguments of `jwtgate verify`.
#[derive(clap::Args)]
pub struct Args {
    /// JWK Set file or http(s) URL.
    #[arg(long)]
    jwks: String,
    /// Accepted issuer (repeatable).
    #[arg(long = "issuer", required = true)]
    issuers: Vec<String>,
    /// Accepted audience (repeatable).
    #[arg(long = "audience", required = true)]
    audiences: Vec<String>,
    /// Required scope (repeatable; all are required).
    #[arg(long = "scope")]
    scopes: Vec<String>,
    /// Allowed algorithms, comma-separated (default: every asymmetric one).
    #[arg(long, value_delimiter = ',')]
    algorithms: Vec<String>,
    /// Clock leeway in seconds.
    #[arg(long, default_value_t = jwtgate::config::DEFAULT_LEEWAY)]
    leeway: u64,
    /// Unix time to verify at (default: now).
    #[arg(long)]
    now: Option<u64>,
    /// The token; `-` or nothing reads it from stdin.
    token: Option<String>,
}

pub fn run(args: &Args) -> Result<u8, String> {
    let mut validation = Validation::default();
    validation.issuers.clone_from(&args.issuers);
    validation.audiences.clone_from(&args.audiences);
    validation.leeway = args.leeway;
    if !args.algorithms.is_empty() {
        validation.algorithms = args
            .algorithms
            .iter()
            .map(|name| {
                Algorithm::from_name(name.trim())
                    .ok_or_else(|| format!("unknown algorithm \"{name}\""))
            })
            .collect::<Result<_, _>>()?;
    }
    let keys = input::key_set(&args.jwks)?;
    let token = input::token(args.token.as_deref())?;
    let now = args.now.unwrap_or_else(times::now);
    let mut verifier = Verifier::new(validation, keys);
    let requirements = Requirements::scopes(args.scopes.iter().cloned());
    match verifier.verify(&token, now, &RustCrypto, &requirements) {
        Ok(verified) => {
            let output = json!({
                "header": to_serde(verified.header().members()),
                "payload": to_serde(verified.payload()),
                "scopes": verified.scopes(),
                "key_thumbprint": verified.key_thumbprint(),
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&output).map_err(|err| err.to_string())?
            );
            Ok(0)
        }
        Err(error) => {
            println!("{}", error.json_body());
            Ok(EXIT_INVALID)
        }
    }
}
