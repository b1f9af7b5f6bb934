//! The verified-token cache: client-credentials tokens are reused for their
//! whole lifetime, so most requests carry a token already verified.
//!
//! Keyed by SHA-256 of the whole token (a hit means the very same bytes were
//! verified before), bounded in entries with first-in-first-out eviction,
//! and tied to one key-set fingerprint: a new key set empties it. Only
//! successes are stored; callers re-check time claims and route policy on
//! every hit.

use alloc::{collections::VecDeque, sync::Arc};
use hashbrown::HashMap;
use sha2::{Digest, Sha256};

/// A bounded map from token digest to a shared verified result.
#[derive(Debug)]
pub struct TokenCache<T> {
    capacity: usize,
    entries: HashMap<[u8; 32], Arc<T>>,
    order: VecDeque<[u8; 32]>,
    key_set: [u8; 32],
}

/// The cache key of a token.
pub fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
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

    /// The entry for `digest`, if stored under the current key set.
    pub fn get(&self, digest: &[u8; 32]) -> Option<Arc<T>> {
        self.entries.get(digest).cloned()
    }

    /// Stores a verified result; evicts the oldest entry when full.
    pub fn insert(&mut self, digest: [u8; 32], value: Arc<T>) {
        if self.capacity == 0 {
            return;
        }
        if self.entries.insert(digest, value).is_none() {
            self.order.push_back(digest);
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
    pub fn remove(&mut self, digest: &[u8; 32]) {
        if self.entries.remove(digest).is_some() {
            self.order.retain(|d| d != digest);
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
