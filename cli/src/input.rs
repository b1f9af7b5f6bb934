//! Where the command's inputs come from: a token argument or stdin, and a
//! JWK Set from a file or an HTTP(S) URL.

use std::io::Read;
use std::time::Duration;

use jwtgate::KeySet;

/// The token from the argument, or from stdin when it is absent or `-`.
pub fn token(arg: Option<&str>) -> Result<String, String> {
    let text = match arg {
        Some(token) if token != "-" => token.to_owned(),
        _ => {
            let mut text = String::new();
            std::io::stdin()
                .take(1 << 20)
                .read_to_string(&mut text)
                .map_err(|err| format!("cannot read the token from stdin: {err}"))?;
            text
        }
    };
    let token = text.trim();
    // Accept a pasted `Authorization` value too.
    let token = token
        .strip_prefix("Bearer ")
        .or_else(|| token.strip_prefix("bearer "))
        .unwrap_or(token);
    Ok(token.to_owned())
}

/// Reads a JWK Set document from a path or an `http(s)://` URL.
pub fn key_set_document(source: &str) -> Result<Vec<u8>, String> {
    if source.starts_with("http://") || source.starts_with("https://") {
        fetch(source)
    } else {
        std::fs::read(source).map_err(|err| format!("cannot read {source}: {err}"))
    }
}

/// Reads and parses a JWK Set.
pub fn key_set(source: &str) -> Result<KeySet, String> {
    let document = key_set_document(source)?;
    KeySet::from_json(&document).map_err(|err| format!("{source}: {err}"))
}

fn fetch(url: &str) -> Result<Vec<u8>, String> {
    let spinner = crate::progress::spinner(format!("fetching {url}"));
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .new_agent();
    let result = agent
        .get(url)
        .header("Accept", "application/jwk-set+json, application/json")
        .call()
        .map_err(|err| format!("cannot fetch {url}: {err}"))
        .and_then(|mut response| {
            response
                .body_mut()
                .with_config()
                .limit(jwtgate::keyset::MAX_KEY_SET_BYTES as u64)
                .read_to_vec()
                .map_err(|err| format!("cannot read {url}: {err}"))
        });
    spinner.finish_and_clear();
    result
}
