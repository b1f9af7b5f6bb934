//! `jwtgate jwks`: the keys of a set, and the skipped ones with reasons.

use serde_json::json;

use crate::input;

/// Arguments of `jwtgate jwks`.
#[derive(clap::Args)]
pub struct Args {
    /// JWK Set file or http(s) URL.
    source: String,
}

pub fn run(args: &Args) -> Result<u8, String> {
    let set = input::key_set(&args.source)?;
    let keys: Vec<_> = set
        .keys()
        .iter()
        .map(|key| {
            json!({
                "kid": key.kid(),
                "type": key.type_label(),
                "bits": key.bits(),
                "alg": key.alg().map(|alg| alg.name()),
                "use": key.key_use(),
                "thumbprint": key.thumbprint(),
            })
        })
        .collect();
    let skipped: Vec<_> = set
        .skipped()
        .iter()
        .map(|skip| json!({"index": skip.index, "kid": skip.kid, "reason": skip.reason}))
        .collect();
    let output = json!({"keys": keys, "skipped": skipped});
    println!(
        "{}",
        serde_json::to_string_pretty(&output).map_err(|err| err.to_string())?
    );
    Ok(0)
}
