//! The client registry: who may get tokens, with which secret and scopes.

use std::collections::BTreeMap;

use serde::Deserialize;
use subtle::ConstantTimeEq;

/// A registered confidential client.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Client {
    /// The client secret.
    pub secret: String,
    /// Scopes the client may be granted.
    pub scopes: Vec<String>,
    /// Scopes granted when the request names none (default: all of `scopes`).
    #[serde(default)]
    pub default_scopes: Option<Vec<String>>,
    /// `aud` for this client's tokens (default: the issuer's `--audience`).
    #[serde(default)]
    pub audience: Option<String>,
    /// Whether the client may use the client-credentials grant (default true).
    #[serde(default = "yes")]
    pub client_credentials: bool,
}

fn yes() -> bool {
    true
}

/// The registry file: `[clients.<id>]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistryFile {
    clients: BTreeMap<String, Client>,
}

/// All clients, by id.
#[derive(Debug, Clone)]
pub struct Registry {
    clients: BTreeMap<String, Client>,
}

/// The built-in demo clients: (id, secret, scopes).
const DEMO: [(&str, &str, &[&str]); 3] = [
    ("payments-reader", "reader-secret", &["payments:read"]),
    (
        "payments-writer",
        "writer-secret",
        &["payments:read", "payments:write"],
    ),
    ("reports", "reports-secret", &["reports:read"]),
];

impl Registry {
    /// The built-in demo registry (documented in the README).
    pub fn demo() -> Registry {
        let clients = DEMO
            .iter()
            .map(|(id, secret, scopes)| {
                let client = Client {
                    secret: (*secret).to_owned(),
                    scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
                    default_scopes: None,
                    audience: None,
                    client_credentials: true,
                };
                ((*id).to_owned(), client)
            })
            .collect();
        Registry { clients }
    }

    /// "id (scopes), ..." of the demo clients, secrets left out.
    pub fn demo_summary() -> String {
        DEMO.iter()
            .map(|(id, _, scopes)| format!("{id} ({})", scopes.join(" ")))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Reads a TOML registry.
    pub fn from_file(path: &std::path::Path) -> Result<Registry, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        let file: RegistryFile =
            toml::from_str(&text).map_err(|err| format!("{}: {err}", path.display()))?;
        Ok(Registry {
            clients: file.clients,
        })
    }

    /// The client with this id and secret; secrets compare in constant time,
    /// and an unknown id costs the same comparison.
    pub fn authenticate(&self, id: &str, secret: &str) -> Option<&Client> {
        let client = self.clients.get(id);
        let expected = client.map_or("\u{0}unknown-client", |c| c.secret.as_str());
        let equal: bool = expected.as_bytes().ct_eq(secret.as_bytes()).into();
        client.filter(|_| equal)
    }

    /// Every scope any client may get.
    pub fn all_scopes(&self) -> Vec<String> {
        let mut scopes: Vec<String> = self
            .clients
            .values()
            .flat_map(|c| c.scopes.iter().cloned())
            .collect();
        scopes.sort();
        scopes.dedup();
        scopes
    }
}
