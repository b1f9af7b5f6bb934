//! A JWK Set (RFC 7517 §5), parsed key by key, and key selection for a token.

use crate::json::Value;
use alloc::{format, string::String, vec::Vec};
use sha2::{Digest, Sha256};

use crate::algorithm::Algorithm;
use crate::error::{Error, ErrorCode};
use crate::json;
use crate::jwk::{Jwk, SkippedKey};

/// Largest key-set document accepted, in bytes.
pub const MAX_KEY_SET_BYTES: usize = 1 << 20;
/// Most keys taken from one set; further keys are skipped and reported.
pub const MAX_KEYS: usize = 100;
/// When a token has no `kid`, at most this many compatible keys are tried.
pub const MAX_CANDIDATES_WITHOUT_KID: usize = 3;

/// The usable keys of a JWK Set and the report of those skipped.
#[derive(Debug, Clone, Default)]
pub struct KeySet {
    keys: Vec<Jwk>,
    skipped: Vec<SkippedKey>,
    fingerprint: [u8; 32],
}

/// A key-set document that is not a JWK Set at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySetError(pub String);

impl core::fmt::Display for KeySetError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "invalid JWK Set: {}", self.0)
    }
}

impl KeySet {
    /// Parses a JWK Set document. Only a document that is not a JSON object
    /// with a `keys` array fails; bad keys inside it are skipped and reported.
    pub fn from_json(bytes: &[u8]) -> Result<KeySet, KeySetError> {
        if bytes.len() > MAX_KEY_SET_BYTES {
            return Err(KeySetError(format!(
                "document exceeds {MAX_KEY_SET_BYTES} bytes"
            )));
        }
        let document = json::parse_object(bytes).map_err(KeySetError)?;
        let entries = document
            .get("keys")
            .and_then(Value::as_array)
            .ok_or_else(|| KeySetError(String::from("no \"keys\" array")))?;
        let mut set = KeySet::default();
        for (index, entry) in entries.iter().enumerate() {
            let kid = entry.get("kid").and_then(Value::as_str).map(String::from);
            let parsed = if index >= MAX_KEYS {
                Err(format!("more than {MAX_KEYS} keys in the set"))
            } else {
                entry
                    .as_object()
                    .ok_or_else(|| String::from("not a JSON object"))
                    .and_then(Jwk::from_object)
            };
            match parsed {
                Ok(key) => set.keys.push(key),
                Err(reason) => set.skipped.push(SkippedKey { index, kid, reason }),
            }
        }
        set.fingerprint = fingerprint(&set.keys);
        Ok(set)
    }

    /// A set of already-parsed keys.
    pub fn from_keys(keys: Vec<Jwk>) -> KeySet {
        let fingerprint = fingerprint(&keys);
        KeySet {
            keys,
            skipped: Vec::new(),
            fingerprint,
        }
    }

    /// The usable keys.
    pub fn keys(&self) -> &[Jwk] {
        &self.keys
    }

    /// The keys that were skipped, with reasons.
    pub fn skipped(&self) -> &[SkippedKey] {
        &self.skipped
    }

    /// A digest of the usable keys' thumbprints and kids: equal for two
    /// fetches of the same keys, so a refresh that changes nothing keeps caches.
    pub fn fingerprint(&self) -> [u8; 32] {
        self.fingerprint
    }

    /// Whether a key with this `kid` is in the set.
    pub fn has_kid(&self, kid: &str) -> bool {
        self.keys.iter().any(|key| key.kid() == Some(kid))
    }

    /// The keys to try for a token: with a `kid`, the key(s) with that kid
    /// that can verify `alg`; without one, the first few keys that can.
    pub fn candidates(&self, alg: Algorithm, kid: Option<&str>) -> Result<Vec<usize>, Error> {
        let fits = |key: &&Jwk| key.can_verify(alg);
        let found: Vec<usize> = match kid {
            Some(kid) => self
                .keys
                .iter()
                .enumerate()
                .filter(|(_, key)| key.kid() == Some(kid) && fits(key))
                .map(|(index, _)| index)
                .collect(),
            None => self
                .keys
                .iter()
                .enumerate()
                .filter(|(_, key)| fits(key))
                .map(|(index, _)| index)
                .take(MAX_CANDIDATES_WITHOUT_KID)
                .collect(),
        };
        if found.is_empty() {
            let what = match kid {
                Some(kid) if self.has_kid(kid) => {
                    format!(
                        "the key with kid \"{}\" cannot verify {alg}",
                        printable(kid)
                    )
                }
                Some(kid) => format!("no key with kid \"{}\"", printable(kid)),
                None => format!("no key for {alg}"),
            };
            return Err(Error::new(ErrorCode::KeyNotFound, what));
        }
        Ok(found)
    }

    /// The key at `index` (as returned by [`candidates`](Self::candidates)).
    pub fn key(&self, index: usize) -> Option<&Jwk> {
        self.keys.get(index)
    }
}

/// A kid from a token goes into error text: keep it short and printable.
fn printable(kid: &str) -> String {
    kid.chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '?'
            }
        })
        .collect()
}

fn fingerprint(keys: &[Jwk]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for key in keys {
        hasher.update(key.thumbprint().as_bytes());
        hasher.update([0]);
        hasher.update(key.kid().unwrap_or_default().as_bytes());
        hasher.update([0]);
        hasher.update(key.alg().map_or("", |alg| alg.name()).as_bytes());
        hasher.update([0]);
    }
    hasher.finalize().into()
}
