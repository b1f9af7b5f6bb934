//! The verified-token cache: client-credentials tokens are reused for their
//! whole lifetime, so most requests carry a token already verified.
//!
//! Keyed by the whole token (a hit means the very same bytes were verified
//! before), bounded in entries with first-in-first-out eviction, and tied to
//! one key-set fingerprint: a new key set empties it. Only successes are
//! stored; callers re-check time claims and route policy on every hit.
//!
//! The key was a SHA-256 digest of the token; in wasm, without SHA
//! instructions, hashing a typical 800-byte token that way was a large part
//! of a cache hit. A hash table hash plus one comparison with the stored
//! token does the same job: entries come only from verified tokens, so no
//! one can fill the table with colliding keys.

use alloc::{collections::VecDeque, sync::Arc};
use hashbrown::HashMap;

/// A bounded map from token to a shared verified result.
#[derive(Debug)]
pub struct TokenCache<T> {
    capacity: usize,
    entries: HashMap<Arc<str>, Arc<T>>,
    order: VecDeque<Arc<str>>,
    key_set: [u8; 32],
}

impl<T> TokenCache<T> {
    /// An empty cache holding at most `capacity` entries (0: never stores).
    pub fn new(capacity: usize) -> Self {
        TokenCache {
            capacity,
            entries: HashMap::new(),
            order: VecDeque::new(),
            key_set: [0; 32],
        }
    }

    /// Whether the cache can hold anything (capacity above zero).
    pub fn is_enabled(&self) -> bool {
        self.capacity > 0
    }

    /// The entry for `token`, if stored under the current key set.
    pub fn get(&self, token: &str) -> Option<Arc<T>> {
        // Off: no need to hash the token.
        if !self.is_enabled() {
            return None;
        }
        self.entries.get(token).cloned()
    }

    /// Stores a verified result; evicts the oldest entry when full.
    pub fn insert(&mut self, token: &str, value: Arc<T>) {
        if !self.is_enabled() {
            return;
        }
        let key: Arc<str> = Arc::from(token);
        if self.entries.insert(key.clone(), value).is_none() {
            self.order.push_back(key);
        }
        while self.entries.len() > self.capacity {
            match self.order.pop_front() {
                Some(oldest) => {
                    self.entries.remove(&oldest);
                }
                None => break,
            }
        }
    }

    /// Drops one entry (an expired token, say).
    pub fn remove(&mut self, token: &str) {
        if self.entries.remove(token).is_some() {
            self.order.retain(|key| &**key != token);
        }
    }

    /// Empties the cache if `fingerprint` names another key set than the one
    /// its entries were verified with.
    pub fn bind_key_set(&mut self, fingerprint: [u8; 32]) {
        if self.key_set != fingerprint {
            self.entries.clear();
            self.order.clear();
            self.key_set = fingerprint;
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
