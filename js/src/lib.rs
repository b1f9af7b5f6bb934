//! wasm-bindgen glue between the jwtgate core and the npm package `jwtgate`.
//!
//! The boundary is built for few crossings and no JS objects made in Rust:
//! calls take numbers and answer with small status codes. The token goes in
//! through a buffer in wasm memory that JS fills with `TextEncoder.encodeInto`
//! (`inputBuffer`); what a pending signature check needs (algorithm, key
//! candidates, signing input and signature bytes) comes back through a small
//! `u32` array in wasm memory (`outputs`) that JS reads in place; a result is
//! one JSON text (`resultText`) made of the token's own header and payload
//! JSON, which JS parses with `JSON.parse`.
//!
//! The async path (WebCrypto) is `begin` -> `crypto.subtle.verify` in JS ->
//! `end`. Between the two the parsed token waits in an in-flight slot (the
//! core's `Pending`, owning a copy of the token), so nothing is parsed twice
//! and concurrent verifications do not disturb each other. `end` refuses a
//! slot from another key-set generation, so a key-set refresh during the
//! await can never make one key's signature count for another key.

use std::sync::Arc;

#[cfg(all(
    target_arch = "wasm32",
    target_os = "unknown",
    not(target_feature = "atomics")
))]
mod pool;

#[cfg(all(
    target_arch = "wasm32",
    target_os = "unknown",
    not(target_feature = "atomics")
))]
#[global_allocator]
static ALLOCATOR: pool::Pool = pool::Pool::new();

mod options;

use jwtgate::config::DEFAULT_CACHE_ENTRIES;
use jwtgate::json::{Map, Value};
use jwtgate::jwk::SkippedKey;
use jwtgate::policy::granted_scopes;
use jwtgate::{
    base64url, decode_unverified, Algorithm, ClaimRule, CryptoProvider, Error, ErrorCode, KeySet,
    Pending, Prepared, Requirements, RustCrypto, Validation, Verified, Verifier,
};
use options::{CallOptions, Options};
use wasm_bindgen::prelude::*;

/// `begin` / `end` / `verifySync`: the token is good (read `resultText`).
pub const OK: i32 = 0;
/// `begin`: a signature must be checked (read `outputs`, then call `end`).
pub const PENDING: i32 = 1;
/// `end`: the key set changed during the signature check (or the slot is
/// unknown); start again.
pub const RETRY: i32 = 2;
/// `checkRemembered`: nothing valid in that slot; verify the token afresh.
pub const STALE: i32 = 3;
/// Any call: the token was refused (read `errorJson`).
pub const FAILED: i32 = -1;

/// Most remembered results (the JS side's cache front).
const MAX_REMEMBERED: usize = 100_000;

/// Most verifications awaiting their signature check at once; beyond it the
/// oldest slots are dropped (their `end` answers `RETRY`). The glue ends
/// every slot it begins, so only that many concurrent verifications on one
/// verifier reach it.
const MAX_IN_FLIGHT: usize = 65_536;

/// Length of the `outputs` array.
const OUTPUTS: usize = 14;
/// `outputs` after `begin` answered `PENDING`: indices of each field.
const OUT_SLOT: usize = 0;
const OUT_ALG: usize = 1;
const OUT_GENERATION: usize = 2;
const OUT_INPUT_PTR: usize = 3;
const OUT_INPUT_LEN: usize = 4;
const OUT_SIGNATURE_PTR: usize = 5;
const OUT_SIGNATURE_LEN: usize = 6;
const OUT_CANDIDATES: usize = 7;
const OUT_FIRST_CANDIDATE: usize = 8;
/// `outputs` after `OK`: where the result is (UTF-8, one after the other:
/// the header JSON, the payload JSON, the scopes as a JSON array).
const OUT_RESULT_PTR: usize = 9;
const OUT_HEADER_LEN: usize = 10;
const OUT_PAYLOAD_LEN: usize = 11;
const OUT_SCOPES_LEN: usize = 12;
/// `outputs` after `PENDING`: the ticket of the slot (`end` and `abandon`
/// need both, so a slot dropped and reused meanwhile is never mistaken for
/// the caller's).
const OUT_TICKET: usize = 13;

/// Most distinct per-call requirement sets kept before the table is reset.
const MAX_REQUIREMENT_SETS: usize = 256;

const DEFAULT_REALM: &str = "jwtgate";

fn claim_rules(claims: Option<Map>) -> Vec<ClaimRule> {
    claims
        .unwrap_or_default()
        .into_iter()
        .map(|(name, values)| match values {
            Value::Array(items) => ClaimRule::new(name, items),
            other => ClaimRule::new(name, [other]),
        })
        .collect()
}

fn requirements(call: CallOptions) -> Requirements {
    let mut requirements = Requirements::default();
    requirements.scopes = call.required_scopes.unwrap_or_default();
    requirements.scopes_any = call.scopes_any.unwrap_or_default();
    requirements.claims = claim_rules(call.claims);
    requirements
}

fn config_error(what: impl core::fmt::Display) -> JsError {
    JsError::new(&format!("jwtgate: invalid options: {what}"))
}

fn validation(options: Options) -> Result<(Validation, String, usize), JsError> {
    let mut validation = Validation::default();
    if let Some(algorithms) = options.algorithms {
        let mut parsed = Vec::new();
        for name in algorithms {
            let alg = Algorithm::from_name(&name)
                .ok_or_else(|| config_error(format!("unknown algorithm \"{name}\"")))?;
            parsed.push(alg);
        }
        if parsed.is_empty() {
            return Err(config_error("algorithms is empty"));
        }
        validation.algorithms = parsed;
    }
    validation.issuers = options.issuer.unwrap_or_default();
    validation.audiences = options.audience.unwrap_or_default();
    if let Some(leeway) = options.clock_tolerance {
        validation.leeway = leeway;
    }
    validation.max_token_age = options.max_token_age;
    if let Some(require_exp) = options.require_exp {
        validation.require_exp = require_exp;
    }
    validation.required_claims = options.required_claims.unwrap_or_default();
    validation.typ = options.typ;
    if let Some(claims) = options.scope_claims {
        validation.scope_claims = claims;
    }
    validation.requirements = requirements(options.call);
    // The verified-token cache lives in `Core::remembered` (keyed by the
    // token string on the JS side, re-checked like the core's cache hit):
    // the core's own digest-keyed cache is off, so a cold verification
    // computes no digest. `cacheEntries` sizes the JS side (`cacheCapacity`).
    let capacity = match options.cache_entries {
        None => DEFAULT_CACHE_ENTRIES,
        Some(entries) => usize::try_from(entries)
            .ok()
            .filter(|entries| *entries <= MAX_REMEMBERED)
            .ok_or_else(|| config_error(format!("cacheEntries exceeds {MAX_REMEMBERED}")))?,
    };
    validation.cache_entries = 0;
    if let Some(bytes) = options.max_token_bytes {
        validation.max_token_bytes = usize::try_from(bytes).unwrap_or(usize::MAX);
    }
    let realm = options.realm.unwrap_or_else(|| String::from(DEFAULT_REALM));
    Ok((validation, realm, capacity))
}

/// Seconds from JS: negative, NaN and fractions round down into `u64`.
fn seconds(now: f64) -> u64 {
    // `as` saturates, and maps NaN to 0.
    now.max(0.0) as u64
}

fn error_json(error: &Error, realm: &str) -> String {
    Map::from_iter([
        ("code", error.code().as_str().into()),
        ("status", u64::from(error.http_status()).into()),
        ("description", error.description().into()),
        ("wwwAuthenticate", error.www_authenticate(realm).into()),
        ("body", error.json_body().into()),
    ])
    .to_string()
}

/// One verifier: settings, the current key set and the verified-token cache.
#[wasm_bindgen]
pub struct Core {
    verifier: Verifier,
    realm: String,
    requirements: Vec<Requirements>,
    generation: u32,
    last: Option<Arc<Verified>>,
    result: Vec<u8>,
    error: Option<Error>,
    skipped: Vec<SkippedKey>,
    remembered: Vec<Option<(Arc<Verified>, u32)>>,
    cache_capacity: usize,
    input: Vec<u8>,
    outputs: Box<[u32; OUTPUTS]>,
    in_flight: Vec<Option<InFlight>>,
    free_slots: Vec<usize>,
    next_slot: usize,
    tickets: u32,
}

/// A token waiting for its signature check in JS.
struct InFlight {
    ticket: u32,
    pending: Pending<'static>,
    candidates: Vec<u32>,
    generation: u32,
    now: u64,
    requirements: u32,
}

#[wasm_bindgen]
impl Core {
    /// A verifier from the JSON text of the core options, with no keys yet.
    #[wasm_bindgen(constructor)]
    pub fn new(options: &str) -> Result<Core, JsError> {
        let options = Options::parse(options).map_err(config_error)?;
        let (validation, realm, cache_capacity) = validation(options)?;
        Ok(Core {
            verifier: Verifier::new(validation, KeySet::default()),
            realm,
            requirements: vec![Requirements::default()],
            generation: 0,
            last: None,
            result: Vec::new(),
            error: None,
            skipped: Vec::new(),
            remembered: Vec::new(),
            cache_capacity,
            input: Vec::new(),
            outputs: Box::new([0; OUTPUTS]),
            in_flight: Vec::new(),
            free_slots: Vec::new(),
            next_slot: 0,
            tickets: 0,
        })
    }

    /// Replaces the key set with the JWK Set `jwks` (JSON text) and returns
    /// the number of usable keys. A set without one usable key does not
    /// replace the current set (0 is returned); a document that is not a JWK
    /// Set throws. The generation changes only when the keys do.
    #[wasm_bindgen(js_name = setKeys)]
    pub fn set_keys(&mut self, jwks: &str) -> Result<u32, JsError> {
        let keys = KeySet::from_json(jwks.as_bytes()).map_err(|e| JsError::new(&e.to_string()))?;
        let count = u32::try_from(keys.keys().len()).unwrap_or(u32::MAX);
        if count == 0 {
            self.skipped = keys.skipped().to_vec();
            return Ok(0);
        }
        if keys.fingerprint() != self.verifier.keys().fingerprint() || self.generation == 0 {
            self.generation = self.generation.wrapping_add(1).max(1);
        }
        self.skipped = keys.skipped().to_vec();
        self.verifier.set_keys(keys);
        Ok(count)
    }

    /// Key-set generation: changes whenever `setKeys` changes the keys.
    #[wasm_bindgen(getter)]
    pub fn generation(&self) -> u32 {
        self.generation
    }

    /// Number of usable keys.
    #[wasm_bindgen(js_name = keyCount)]
    pub fn key_count(&self) -> u32 {
        u32::try_from(self.verifier.keys().keys().len()).unwrap_or(u32::MAX)
    }

    /// The public JWK members of key `index` (JSON text, for WebCrypto's
    /// `importKey("jwk")`), or an empty string.
    #[wasm_bindgen(js_name = keyJwk)]
    pub fn key_jwk(&self, index: u32) -> String {
        self.key(index)
            .map(|key| key.public_members().to_string())
            .unwrap_or_default()
    }

    /// The RFC 7638 thumbprint of key `index`, or an empty string.
    #[wasm_bindgen(js_name = keyThumbprint)]
    pub fn key_thumbprint(&self, index: u32) -> String {
        self.key(index)
            .map(|key| String::from(key.thumbprint()))
            .unwrap_or_default()
    }

    /// The keys of the last set that were skipped, with reasons (JSON text).
    #[wasm_bindgen(js_name = skippedKeys)]
    pub fn skipped_keys(&self) -> String {
        let skipped: Vec<Value> = self
            .skipped
            .iter()
            .map(|s| {
                let index = u64::try_from(s.index).unwrap_or(u64::MAX);
                let kid = s.kid.clone().map_or(Value::Null, Value::String);
                let reason = s.reason.as_str().into();
                Value::Object(Map::from_iter([
                    ("index", index.into()),
                    ("kid", kid),
                    ("reason", reason),
                ]))
            })
            .collect();
        Value::Array(skipped).to_string()
    }

    /// Whether a key with this `kid` is in the set.
    #[wasm_bindgen(js_name = hasKid)]
    pub fn has_kid(&self, kid: &str) -> bool {
        self.verifier.keys().has_kid(kid)
    }

    /// Slots of the verified-token cache (`cacheEntries`, default 10 000).
    #[wasm_bindgen(getter, js_name = cacheCapacity)]
    pub fn cache_capacity(&self) -> u32 {
        u32::try_from(self.cache_capacity).unwrap_or(u32::MAX)
    }

    /// Registers per-call requirements (JSON text of `{ requiredScopes,
    /// scopesAny, claims }`) and returns their id for `prepare` and friends.
    /// Id 0 is "nothing more required". When the table is full it is reset:
    /// the call then returns 1 and earlier ids are void.
    #[wasm_bindgen(js_name = addRequirements)]
    pub fn add_requirements(&mut self, options: &str) -> Result<u32, JsError> {
        let call = CallOptions::parse(options).map_err(config_error)?;
        if self.requirements.len() >= MAX_REQUIREMENT_SETS {
            self.requirements.truncate(1);
        }
        self.requirements.push(requirements(call));
        Ok(u32::try_from(self.requirements.len().saturating_sub(1)).unwrap_or(0))
    }

    /// The address of a buffer of at least `len` bytes in wasm memory that
    /// JS writes the token into (UTF-8) before `begin` or `verifySync`. It
    /// moves when it grows: ask again whenever more room is needed.
    #[wasm_bindgen(js_name = inputBuffer)]
    pub fn input_buffer(&mut self, len: u32) -> u32 {
        let len = len as usize;
        if self.input.len() < len {
            self.input.resize(len, 0);
        }
        wasm_address(self.input.as_ptr())
    }

    /// Frees the input buffer (after an unusually long token).
    #[wasm_bindgen(js_name = releaseInput)]
    pub fn release_input(&mut self) {
        self.input = Vec::new();
    }

    /// The address of the `u32` array `begin` fills (see the `OUT_*` indices).
    #[wasm_bindgen(js_name = outputs)]
    pub fn outputs_address(&self) -> u32 {
        wasm_address(self.outputs.as_ptr())
    }

    /// First half of an async verification of the `len`-byte token in the
    /// input buffer: `PENDING` (the `outputs` array holds the in-flight slot,
    /// the algorithm number, the key-set generation, address and length of
    /// the signing input and of the signature, the number of candidate key
    /// indices and the first of them; all of them are at the address
    /// `candidates(slot)` gives), `OK`
    /// (a core cache hit; the glue keeps the core cache off) or `FAILED`.
    pub fn begin(&mut self, len: u32, now: f64, requirements: u32) -> i32 {
        let now = seconds(now);
        let (required, token) = match call_input(&self.requirements, &self.input, requirements, len)
        {
            Ok(found) => found,
            Err(error) => return self.fail(error),
        };
        let pending = match self.verifier.prepare(token, now, required) {
            Ok(Prepared::Cached(verified)) => {
                let parts = start_result(&mut self.result, token);
                return self.succeed(parts, verified);
            }
            Ok(Prepared::Pending(pending)) => pending.into_owned(),
            Err(error) => return self.fail(error),
        };
        let candidates: Vec<u32> = pending
            .candidates()
            .iter()
            .map(|index| u32::try_from(*index).unwrap_or(u32::MAX))
            .collect();
        let alg = pending.token().header().alg();
        self.tickets = self.tickets.wrapping_add(1);
        let flight = InFlight {
            ticket: self.tickets,
            pending,
            candidates,
            generation: self.generation,
            now,
            requirements,
        };
        let slot = self.park(flight);
        let Some(Some(flight)) = self.in_flight.get(slot) else {
            return RETRY; // unreachable: `park` just filled the slot
        };
        let token = flight.pending.token();
        let out = &mut self.outputs;
        out[OUT_SLOT] = u32::try_from(slot).unwrap_or(u32::MAX);
        out[OUT_TICKET] = flight.ticket;
        // Numbered as in `Algorithm::ALL` (`algorithmNames`).
        out[OUT_ALG] = Algorithm::ALL
            .iter()
            .position(|known| *known == alg)
            .and_then(|index| u32::try_from(index).ok())
            .unwrap_or(u32::MAX);
        out[OUT_GENERATION] = flight.generation;
        out[OUT_INPUT_PTR] = wasm_address(token.signing_input().as_ptr());
        out[OUT_INPUT_LEN] = u32::try_from(token.signing_input().len()).unwrap_or(0);
        out[OUT_SIGNATURE_PTR] = wasm_address(token.signature().as_ptr());
        out[OUT_SIGNATURE_LEN] = u32::try_from(token.signature().len()).unwrap_or(0);
        out[OUT_CANDIDATES] = u32::try_from(flight.candidates.len()).unwrap_or(0);
        out[OUT_FIRST_CANDIDATE] = flight.candidates.first().copied().unwrap_or(u32::MAX);
        PENDING
    }

    /// The address of the candidate key indices (`u32`) of in-flight `slot`.
    pub fn candidates(&self, slot: u32) -> u32 {
        match self.in_flight.get(slot as usize) {
            Some(Some(flight)) => wasm_address(flight.candidates.as_ptr()),
            _ => 0,
        }
    }

    /// Second half: `verified_by` is the candidate index whose key verified
    /// the signature of in-flight `slot` (or -1). Returns `OK`, `FAILED` or
    /// `RETRY` (the key set changed meanwhile, or the slot is gone).
    pub fn end(&mut self, slot: u32, ticket: u32, verified_by: i32) -> i32 {
        let Some(flight) = self.take_flight(slot, ticket) else {
            return RETRY;
        };
        if flight.generation != self.generation {
            return RETRY;
        }
        let Some(required) = self.requirements.get(flight.requirements as usize) else {
            return self.fail(unknown_requirements());
        };
        // The result starts with the token's header and payload JSON, taken
        // before `finish` consumes the token (which decodes the payload once
        // for both); it counts only if `finish` succeeds.
        let token = flight.pending.token();
        let header = token.header_json();
        let payload = token.payload_json().unwrap_or_default();
        let parts = [header.len(), payload.len()];
        self.result.clear();
        self.result.extend_from_slice(header);
        self.result.extend_from_slice(payload);
        let verified_by = usize::try_from(verified_by).ok();
        match self
            .verifier
            .finish(flight.pending, verified_by, flight.now, required)
        {
            Ok(verified) => self.succeed(parts, verified),
            Err(error) => self.fail(error),
        }
    }

    /// Gives up in-flight `slot` (JS calls it when a verification is
    /// abandoned between `begin` and `end`).
    pub fn abandon(&mut self, slot: u32, ticket: u32) {
        self.take_flight(slot, ticket);
    }

    /// Verifies the `len`-byte token in the input buffer fully in wasm
    /// (pure-Rust crypto): `OK` or `FAILED`.
    #[wasm_bindgen(js_name = verifySync)]
    pub fn verify_sync(&mut self, len: u32, now: f64, requirements: u32) -> i32 {
        let (required, token) = match call_input(&self.requirements, &self.input, requirements, len)
        {
            Ok(found) => found,
            Err(error) => return self.fail(error),
        };
        match self
            .verifier
            .verify(token, seconds(now), &RustCrypto, required)
        {
            Ok(verified) => {
                let parts = start_result(&mut self.result, token);
                self.succeed(parts, verified)
            }
            Err(error) => self.fail(error),
        }
    }

    /// Checks a signature with the pure-Rust provider: for algorithms the
    /// host's WebCrypto lacks. `false` if the key is gone (another generation).
    #[wasm_bindgen(js_name = verifyWithRust)]
    pub fn verify_with_rust(
        &self,
        alg: &str,
        index: u32,
        generation: u32,
        message: &[u8],
        signature: &[u8],
    ) -> bool {
        if generation != self.generation {
            return false;
        }
        match (Algorithm::from_name(alg), self.key(index)) {
            (Some(alg), Some(key)) if key.can_verify(alg) => {
                RustCrypto.verify(alg, key, message, signature)
            }
            _ => false,
        }
    }

    /// Keeps the last verified token in `slot` (the JS side maps the token
    /// string to the slot), tied to the current key-set generation.
    pub fn remember(&mut self, slot: u32) {
        let slot = slot as usize;
        let Some(verified) = self.last.clone() else {
            return;
        };
        if slot >= MAX_REMEMBERED {
            return;
        }
        if self.remembered.len() <= slot {
            self.remembered.resize(slot + 1, None);
        }
        if let Some(entry) = self.remembered.get_mut(slot) {
            *entry = Some((verified, self.generation));
        }
    }

    /// A cache hit found by the token string itself (no digest): re-checks
    /// the time claims and the call's requirements exactly as the core's
    /// cache does on a hit. `OK`, `FAILED`, or `STALE` (empty slot or another
    /// key-set generation: verify afresh).
    #[wasm_bindgen(js_name = checkRemembered)]
    pub fn check_remembered(&mut self, slot: u32, now: f64, requirements: u32) -> i32 {
        let verified = match self.remembered.get(slot as usize) {
            Some(Some((verified, generation))) if *generation == self.generation => {
                verified.clone()
            }
            _ => return STALE,
        };
        let Some(required) = self.requirements.get(requirements as usize) else {
            return self.fail(unknown_requirements());
        };
        let checked = verified
            .claims()
            .check_time(self.verifier.validation(), seconds(now))
            .and_then(|()| required.check(verified.payload(), verified.scopes()));
        match checked {
            Ok(()) => {
                self.last = Some(verified);
                OK
            }
            Err(error) => self.fail(error),
        }
    }

    /// `{"header":…,"payload":…,"scopes":[…]}` of the last verified token:
    /// the token's own header and payload JSON (already checked strictly:
    /// UTF-8, no duplicate members). The glue reads the three parts in place
    /// instead (`outputs`); this is for tests and tools.
    #[wasm_bindgen(js_name = resultText)]
    pub fn result_text(&self) -> String {
        if self.last.is_none() {
            return String::from("null");
        }
        let part = |index: usize| self.outputs[index] as usize;
        let header = part(OUT_HEADER_LEN);
        let payload = part(OUT_PAYLOAD_LEN);
        let text =
            |range: Option<&[u8]>| String::from(String::from_utf8_lossy(range.unwrap_or_default()));
        format!(
            "{{\"header\":{},\"payload\":{},\"scopes\":{}}}",
            text(self.result.get(..header)),
            text(self.result.get(header..header + payload)),
            text(self.result.get(header + payload..)),
        )
    }

    /// `{ code, status, description, wwwAuthenticate, body }` of the last
    /// failure (JSON text).
    #[wasm_bindgen(js_name = errorJson)]
    pub fn error_json(&self) -> String {
        match &self.error {
            Some(error) => error_json(error, &self.realm),
            None => String::from("null"),
        }
    }

    /// The code of the last failure.
    #[wasm_bindgen(js_name = errorCode)]
    pub fn error_code(&self) -> String {
        self.error
            .as_ref()
            .map(|error| String::from(error.code().as_str()))
            .unwrap_or_default()
    }

    /// The configured realm.
    #[wasm_bindgen(getter)]
    pub fn realm(&self) -> String {
        self.realm.clone()
    }

    fn key(&self, index: u32) -> Option<&jwtgate::Jwk> {
        self.verifier.keys().key(index as usize)
    }

    /// Keeps `verified` as the last result: the result buffer holds its
    /// header and payload JSON (`parts`: their lengths); the scopes are
    /// added and `outputs` points at the three.
    fn succeed(&mut self, parts: [usize; 2], verified: Arc<Verified>) -> i32 {
        let [header, payload] = parts;
        let scopes = write_scopes(&mut self.result, verified.scopes());
        let out = &mut self.outputs;
        out[OUT_RESULT_PTR] = wasm_address(self.result.as_ptr());
        out[OUT_HEADER_LEN] = u32::try_from(header).unwrap_or(0);
        out[OUT_PAYLOAD_LEN] = u32::try_from(payload).unwrap_or(0);
        out[OUT_SCOPES_LEN] = u32::try_from(scopes).unwrap_or(0);
        self.last = Some(verified);
        OK
    }

    fn fail(&mut self, error: Error) -> i32 {
        self.error = Some(error);
        FAILED
    }

    /// Takes the in-flight verification of `slot` if it is still `ticket`'s.
    fn take_flight(&mut self, slot: u32, ticket: u32) -> Option<InFlight> {
        let entry = self.in_flight.get_mut(slot as usize)?;
        if entry.as_ref().is_some_and(|flight| flight.ticket == ticket) {
            self.free_slots.push(slot as usize);
            entry.take()
        } else {
            None
        }
    }

    /// Puts `flight` in a free slot, or, when all `MAX_IN_FLIGHT` are
    /// taken, in the one after the slot taken over last (round robin).
    fn park(&mut self, flight: InFlight) -> usize {
        let slot = match self.free_slots.pop() {
            Some(slot) => slot,
            None if self.in_flight.len() < MAX_IN_FLIGHT => {
                self.in_flight.push(None);
                self.in_flight.len() - 1
            }
            None => {
                let slot = self.next_slot % MAX_IN_FLIGHT;
                self.next_slot = slot + 1;
                slot
            }
        };
        if let Some(entry) = self.in_flight.get_mut(slot) {
            *entry = Some(flight);
        }
        slot
    }
}

/// A pointer as the `u32` address JS uses to index wasm memory (wasm32:
/// pointers are 32-bit; elsewhere, as in `cargo test`, it is meaningless).
fn wasm_address<T>(ptr: *const T) -> u32 {
    u32::try_from(ptr as usize).unwrap_or(0)
}

/// Starts a result with the header and payload JSON of `token` (a token
/// the core accepted, so both decode) and returns their lengths.
fn start_result(out: &mut Vec<u8>, token: &str) -> [usize; 2] {
    out.clear();
    let mut parts = token.split('.');
    let mut lengths = [0; 2];
    for length in &mut lengths {
        let json = parts
            .next()
            .and_then(|part| base64url::decode(part.as_bytes()))
            .unwrap_or_default();
        out.extend_from_slice(&json);
        *length = json.len();
    }
    lengths
}

/// Appends `scopes` as a JSON array to `out`; returns its length.
fn write_scopes(out: &mut Vec<u8>, scopes: &[String]) -> usize {
    let start = out.len();
    out.push(b'[');
    for (i, scope) in scopes.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Most scopes need no escaping; the rest go through the JSON writer.
        if scope.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
            out.push(b'"');
            out.extend_from_slice(scope.as_bytes());
            out.push(b'"');
        } else {
            out.extend_from_slice(Value::from(scope.as_str()).to_string().as_bytes());
        }
    }
    out.push(b']');
    out.len() - start
}

/// The names of the algorithms by the numbers `begin` reports,
/// comma-separated.
#[wasm_bindgen(js_name = algorithmNames)]
pub fn algorithm_names() -> String {
    Algorithm::ALL
        .iter()
        .map(|alg| alg.name())
        .collect::<Vec<_>>()
        .join(",")
}

/// The wasm memory (JS reads `outputs` and the token bytes from it).
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// The registered requirements `index` and the `len`-byte token in the
/// input buffer, for `begin` and `verifySync`.
fn call_input<'a>(
    registered: &'a [Requirements],
    input: &'a [u8],
    index: u32,
    len: u32,
) -> Result<(&'a Requirements, &'a str), Error> {
    let required = registered
        .get(index as usize)
        .ok_or_else(unknown_requirements)?;
    let token = input
        .get(..len as usize)
        .and_then(|bytes| core::str::from_utf8(bytes).ok())
        .ok_or_else(|| Error::new(ErrorCode::TokenMalformed, "token is not UTF-8"))?;
    Ok((required, token))
}

fn unknown_requirements() -> Error {
    Error::new(
        ErrorCode::ClaimInvalid,
        "per-call requirements are no longer registered",
    )
}

/// The JSON of an error the JS side raises itself (`token_missing`,
/// `jwks_unavailable`): `{ code, status, description, wwwAuthenticate, body }`.
#[wasm_bindgen(js_name = errorInfo)]
pub fn error_info(code: &str, description: &str, realm: &str) -> String {
    let code = ErrorCode::from_name(code).unwrap_or(ErrorCode::TokenMalformed);
    error_json(&Error::new(code, description), realm)
}

/// Decodes a token without verifying it: `{ header, payload, scopes }` (JSON
/// text). Throws the error JSON text (`token_malformed`) on junk.
#[wasm_bindgen(js_name = decodeToken)]
pub fn decode_token(token: &str) -> Result<String, JsValue> {
    let max = Validation::default().max_token_bytes;
    match decode_unverified(token, max) {
        Ok(decoded) => {
            let default_claims = Validation::default().scope_claims;
            let scopes = granted_scopes(&decoded.payload, &default_claims).unwrap_or_default();
            let scopes = scopes.into_iter().map(Value::String).collect();
            Ok(Map::from_iter([
                ("header", Value::Object(decoded.header)),
                ("payload", Value::Object(decoded.payload)),
                ("scopes", Value::Array(scopes)),
            ])
            .to_string())
        }
        Err(error) => Err(JsValue::from_str(&error_json(&error, DEFAULT_REALM))),
    }
}
