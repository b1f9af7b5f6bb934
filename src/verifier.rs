//! The verifier: token bytes -> strict parse -> key lookup -> signature
//! (through a provider) -> claims -> policy -> a verdict.
//!
//! Verification is split in two so that hosts with asynchronous crypto
//! (WebCrypto) can run the signature check between the halves:
//! [`Verifier::prepare`] and [`Verifier::finish`]. [`Verifier::verify`] runs
//! both around a synchronous [`CryptoProvider`].

use crate::json::Map;
use alloc::{string::String, sync::Arc, vec::Vec};

use crate::cache::TokenCache;
use crate::claims::Claims;
use crate::config::Validation;
use crate::error::{Error, ErrorCode};
use crate::header::{typ_matches, Header};
use crate::jws::UntrustedToken;
use crate::keyset::KeySet;
use crate::policy::{granted_scopes, Requirements};
use crate::provider::CryptoProvider;

/// A verified token: header, claims and granted scopes.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified {
    header: Header,
    claims: Claims,
    payload: Map,
    payload_b64: String,
    scopes: Vec<String>,
    key_thumbprint: String,
}

impl Verified {
    /// The header.
    pub fn header(&self) -> &Header {
        &self.header
    }
    /// The registered claims, typed.
    pub fn claims(&self) -> &Claims {
        &self.claims
    }
    /// Every claim of the payload.
    pub fn payload(&self) -> &Map {
        &self.payload
    }
    /// The payload exactly as signed, base64url (for forwarding upstream).
    pub fn payload_b64(&self) -> &str {
        &self.payload_b64
    }
    /// The granted scopes.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }
    /// RFC 7638 thumbprint of the key that verified the token.
    pub fn key_thumbprint(&self) -> &str {
        &self.key_thumbprint
    }
}

/// The outcome of [`Verifier::prepare`].
#[derive(Debug)]
pub enum Prepared<'t> {
    /// The token was verified before and still holds: no signature to check.
    Cached(Arc<Verified>),
    /// The signature must be checked against one of [`Pending::candidates`].
    Pending(Pending<'t>),
}

/// A token waiting for its signature check.
#[derive(Debug)]
pub struct Pending<'t> {
    token: UntrustedToken<'t>,
    candidates: Vec<usize>,
}

impl<'t> Pending<'t> {
    /// The parsed, not yet trusted token.
    pub fn token(&self) -> &UntrustedToken<'t> {
        &self.token
    }
    /// Indices into the key set ([`KeySet::key`]) of the keys to try, in order.
    pub fn candidates(&self) -> &[usize] {
        &self.candidates
    }
    /// The same pending verification with its own copy of the token, to
    /// keep across an asynchronous signature check.
    pub fn into_owned(self) -> Pending<'static> {
        Pending {
            token: self.token.into_owned(),
            candidates: self.candidates,
        }
    }
}

/// Verifies tokens against one key set and one [`Validation`].
#[derive(Debug)]
pub struct Verifier {
    validation: Validation,
    keys: KeySet,
    cache: TokenCache<Verified>,
}

impl Verifier {
    /// A verifier over `keys`.
    pub fn new(validation: Validation, keys: KeySet) -> Self {
        let mut cache = TokenCache::new(validation.cache_entries);
        cache.bind_key_set(keys.fingerprint());
        Verifier {
            validation,
            keys,
            cache,
        }
    }

    /// The settings.
    pub fn validation(&self) -> &Validation {
        &self.validation
    }

    /// The current key set.
    pub fn keys(&self) -> &KeySet {
        &self.keys
    }

    /// Replaces the key set; cached verdicts go if the keys changed.
    pub fn set_keys(&mut self, keys: KeySet) {
        self.cache.bind_key_set(keys.fingerprint());
        self.keys = keys;
    }

    /// Entries in the verified-token cache.
    pub fn cached_entries(&self) -> usize {
        self.cache.len()
    }

    /// Verifies `token` at time `now` (Unix seconds) with `provider`, then
    /// applies the configured and the per-call `requirements`.
    pub fn verify(
        &mut self,
        token: &str,
        now: u64,
        provider: &dyn CryptoProvider,
        requirements: &Requirements,
    ) -> Result<Arc<Verified>, Error> {
        match self.prepare(token, now, requirements)? {
            Prepared::Cached(verified) => Ok(verified),
            Prepared::Pending(pending) => {
                let verified_by = self.signer(&pending, provider)?;
                self.finish(pending, verified_by, now, requirements)
            }
        }
    }

    /// The signature check between [`prepare`](Self::prepare) and
    /// [`finish`](Self::finish) with a synchronous provider: the index of
    /// the first candidate key whose signature verifies, if any, or
    /// `algorithm_not_allowed` if `provider` lacks the token's algorithm.
    pub fn signer(
        &self,
        pending: &Pending<'_>,
        provider: &dyn CryptoProvider,
    ) -> Result<Option<usize>, Error> {
        let alg = pending.token.header().alg();
        if !provider.supports(alg) {
            return Err(Error::new(
                ErrorCode::AlgorithmNotAllowed,
                alloc::format!("{alg} signatures cannot be checked by this crypto provider"),
            ));
        }
        let message = pending.token.signing_input().as_bytes();
        let signature = pending.token.signature();
        Ok(pending.candidates.iter().copied().find(|index| {
            self.keys
                .key(*index)
                .is_some_and(|key| provider.verify(alg, key, message, signature))
        }))
    }

    /// First half: parse, choose keys, or answer from the cache (time claims
    /// and `requirements` re-checked on the hit).
    pub fn prepare<'t>(
        &mut self,
        token: &'t str,
        now: u64,
        requirements: &Requirements,
    ) -> Result<Prepared<'t>, Error> {
        if token.is_empty() {
            return Err(Error::new(ErrorCode::TokenMissing, "no token"));
        }
        if let Some(verified) = self.cache.get(token) {
            if let Err(error) = verified.claims.check_time(&self.validation, now) {
                self.cache.remove(token);
                return Err(error);
            }
            requirements.check(&verified.payload, &verified.scopes)?;
            return Ok(Prepared::Cached(verified));
        }
        let token = UntrustedToken::parse(
            token,
            self.validation.max_token_bytes,
            &self.validation.algorithms,
        )?;
        let candidates = self
            .keys
            .candidates(token.header().alg(), token.header().kid())?;
        Ok(Prepared::Pending(Pending { token, candidates }))
    }

    /// Second half: `verified_by` is the candidate index whose key verified
    /// the signature, or `None` if none did. Checks claims and policy and
    /// caches the success.
    pub fn finish(
        &mut self,
        pending: Pending<'_>,
        verified_by: Option<usize>,
        now: u64,
        requirements: &Requirements,
    ) -> Result<Arc<Verified>, Error> {
        let key = verified_by
            .filter(|index| pending.candidates.contains(index))
            .and_then(|index| self.keys.key(index))
            .ok_or_else(|| {
                Error::new(ErrorCode::SignatureInvalid, "the signature does not verify")
            })?;
        let key_thumbprint = String::from(key.thumbprint());
        let payload = pending.token.payload()?;
        let claims = Claims::from_payload(&payload)?;
        let payload_b64 = String::from(pending.token.payload_b64());
        let (header, text) = pending.token.into_header_and_text();
        if let Some(accepted) = &self.validation.typ {
            let ok = header.typ().is_some_and(|typ| typ_matches(typ, accepted));
            if !ok {
                return Err(Error::new(
                    ErrorCode::ClaimInvalid,
                    alloc::format!("header typ must be one of: {}", accepted.join(", ")),
                ));
            }
        }
        claims.check_static(&self.validation, &payload)?;
        let scopes = granted_scopes(&payload, &self.validation.scope_claims)?;
        self.validation.requirements.check(&payload, &scopes)?;
        let verified = Arc::new(Verified {
            header,
            claims,
            payload,
            payload_b64,
            scopes,
            key_thumbprint,
        });
        verified.claims.check_time(&self.validation, now)?;
        // The route's requirements are checked per call, cached or not; the
        // rest holds for the token's lifetime under this key set.
        self.cache.insert(&text, verified.clone());
        requirements.check(&verified.payload, &verified.scopes)?;
        Ok(verified)
    }
}
