//! Signature checks through Envoy's `verify_signature` foreign function
//! (BoringSSL), with the pure-Rust provider for what the host cannot do.
//!
//! The host takes RSA PKCS#1 v1.5 and DER-encoded ECDSA with a DER
//! SubjectPublicKeyInfo key. JWS ECDSA signatures are raw `r || s`: they are
//! range-checked (`0 < r, s < n`) and re-encoded as DER first. PS*, EdDSA
//! and HS* always use [`RustCrypto`], and so does everything when the VM-start
//! self-test shows the host function does not work; then ES256/384/512,
//! which the filter leaves out of its pure Rust to stay small (about 215 KB
//! of `.wasm`), are `algorithm_not_allowed`.

use jwtgate::algorithm::KeyFamily;
use jwtgate::{Algorithm, CryptoProvider, Jwk, KeySet, RustCrypto, UntrustedToken};

/// The foreign function Envoy registers.
pub const FOREIGN_FUNCTION: &str = "verify_signature";

const SELFTEST_JWKS: &str = include_str!("selftest/jwks.json");
const SELFTEST_RS256: &str = include_str!("selftest/rs256.jwt");
const SELFTEST_ES256: &str = include_str!("selftest/es256.jwt");

/// Calls a host function: name and serialized arguments in, result bytes out
/// (`None` when the call failed).
pub type HostCall = fn(&str, &[u8]) -> Option<Vec<u8>>;

/// The Envoy crypto provider.
#[derive(Clone, Copy)]
pub struct HostCrypto {
    call: Option<HostCall>,
}

impl std::fmt::Debug for HostCrypto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostCrypto")
            .field("host", &self.call.is_some())
            .finish()
    }
}

impl HostCrypto {
    /// A provider that uses pure Rust only.
    pub const fn rust_only() -> Self {
        HostCrypto { call: None }
    }

    /// Runs the self-test with `call`: a provider using the host when the
    /// host accepted two good signatures (RS256, ES256) and rejected two bad
    /// ones, else pure Rust. The second value says which.
    pub fn with_self_test(call: HostCall) -> (Self, bool) {
        let candidate = HostCrypto { call: Some(call) };
        if candidate.self_test() {
            (candidate, true)
        } else {
            (HostCrypto::rust_only(), false)
        }
    }

    /// Whether signatures go to the host (for RS* and ES*).
    pub fn uses_host(&self) -> bool {
        self.call.is_some()
    }

    fn self_test(&self) -> bool {
        let Ok(keys) = KeySet::from_json(SELFTEST_JWKS.as_bytes()) else {
            return false;
        };
        [
            (SELFTEST_RS256, Algorithm::RS256, "rsa-1"),
            (SELFTEST_ES256, Algorithm::ES256, "ec-256"),
        ]
        .into_iter()
        .all(|(token, alg, kid)| {
            let Ok(token) = UntrustedToken::parse(token, 4096, &[alg]) else {
                return false;
            };
            let Some(key) = keys.keys().iter().find(|key| key.kid() == Some(kid)) else {
                return false;
            };
            let message = token.signing_input().as_bytes();
            let good = token.signature().to_vec();
            let mut bad = good.clone();
            if let Some(last) = bad.last_mut() {
                *last ^= 1;
            }
            self.host_verify(alg, key, message, &good) == Some(true)
                && self.host_verify(alg, key, message, &bad) == Some(false)
        })
    }

    /// The host's verdict, or `None` when the host does not handle `alg` or
    /// the call failed (the caller then uses pure Rust).
    fn host_verify(
        &self,
        alg: Algorithm,
        key: &Jwk,
        message: &[u8],
        signature: &[u8],
    ) -> Option<bool> {
        let call = self.call?;
        if !host_takes(alg) {
            return None;
        }
        let der_signature;
        let signature = match alg.key_family() {
            KeyFamily::Ec(_) => match ecdsa_der(alg, signature) {
                Some(der) => {
                    der_signature = der;
                    der_signature.as_slice()
                }
                // Wrong length or r, s out of range: invalid, as in Rust.
                None => return Some(false),
            },
            _ => signature,
        };
        let spki = key.spki_der();
        if spki.is_empty() {
            return None;
        }
        let arguments = encode_arguments(alg.hash().name(), spki, signature, message);
        let result = call(FOREIGN_FUNCTION, &arguments)?;
        Some(decode_result(&result))
    }
}

impl CryptoProvider for HostCrypto {
    fn verify(&self, alg: Algorithm, key: &Jwk, message: &[u8], signature: &[u8]) -> bool {
        match self.host_verify(alg, key, message, signature) {
            Some(verdict) => verdict,
            None => RustCrypto.verify(alg, key, message, signature),
        }
    }

    /// The filter's pure Rust has no ES* (built without the core's
    /// `p256`/`p384`/`p521`); the host has them.
    fn supports(&self, alg: Algorithm) -> bool {
        (self.uses_host() && host_takes(alg)) || RustCrypto.supports(alg)
    }
}

/// What the host's `verify_signature` (EVP_DigestVerify) can check: RSA
/// PKCS#1 v1.5 and ECDSA; PS*, EdDSA and HS* stay in Rust.
fn host_takes(alg: Algorithm) -> bool {
    matches!(
        alg,
        Algorithm::RS256
            | Algorithm::RS384
            | Algorithm::RS512
            | Algorithm::ES256
            | Algorithm::ES384
            | Algorithm::ES512
    )
}

/// A raw JWS ECDSA signature (`r || s`) as DER, after the length and range
/// checks; `None` if it is not a valid-looking signature for `alg`.
pub fn ecdsa_der(alg: Algorithm, raw: &[u8]) -> Option<Vec<u8>> {
    match alg.key_family() {
        KeyFamily::Ec(curve) => jwtgate::der::ecdsa_signature(curve, raw),
        _ => None,
    }
}

/// Protobuf `VerifySignatureArguments`: hash_function = 1, public_key = 2,
/// signature = 3, text = 4.
pub fn encode_arguments(hash: &str, public_key: &[u8], signature: &[u8], text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(
        hash.len()
            .saturating_add(public_key.len())
            .saturating_add(signature.len())
            .saturating_add(text.len())
            .saturating_add(24),
    );
    for (field, bytes) in [
        (1u8, hash.as_bytes()),
        (2, public_key),
        (3, signature),
        (4, text),
    ] {
        out.push((field << 3) | 2);
        push_varint(&mut out, bytes.len() as u64);
        out.extend_from_slice(bytes);
    }
    out
}

fn push_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn read_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut value: u64 = 0;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*at)?;
        *at = at.checked_add(1)?;
        value |= u64::from(byte & 0x7f).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// Protobuf `VerifySignatureResult`: `result` (bool, field 1). Anything
/// unreadable is `false`.
pub fn decode_result(bytes: &[u8]) -> bool {
    let mut at = 0usize;
    let mut result = false;
    while at < bytes.len() {
        let Some(tag) = read_varint(bytes, &mut at) else {
            return false;
        };
        match (tag >> 3, tag & 7) {
            (field, 0) => match read_varint(bytes, &mut at) {
                Some(value) if field == 1 => result = value != 0,
                Some(_) => {}
                None => return false,
            },
            (_, 2) => {
                let Some(len) = read_varint(bytes, &mut at) else {
                    return false;
                };
                let Some(next) = usize::try_from(len).ok().and_then(|l| at.checked_add(l)) else {
                    return false;
                };
                if next > bytes.len() {
                    return false;
                }
                at = next;
            }
            _ => return false,
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_decoding() {
        assert!(decode_result(&[0x08, 0x01]));
        assert!(!decode_result(&[0x08, 0x00, 0x12, 0x02, b'n', b'o']));
        assert!(!decode_result(&[]));
        assert!(!decode_result(&[0x08]));
        assert!(!decode_result(&[0x12, 0x05, b'x']));
    }

    #[test]
    fn arguments_encoding() {
        let out = encode_arguments("sha256", &[1, 2], &[3], &[0; 200]);
        assert_eq!(&out[..8], &[0x0a, 6, b's', b'h', b'a', b'2', b'5', b'6']);
        assert_eq!(&out[8..12], &[0x12, 2, 1, 2]);
        assert_eq!(&out[12..15], &[0x1a, 1, 3]);
        assert_eq!(&out[15..18], &[0x22, 0xc8, 0x01]);
    }

    #[test]
    fn ecdsa_range_checks() {
        assert!(ecdsa_der(Algorithm::ES256, &[0; 64]).is_none());
        assert!(ecdsa_der(Algorithm::ES256, &[1; 63]).is_none());
        assert!(ecdsa_der(Algorithm::ES256, &[0xff; 64]).is_none());
        let mut ok = [0u8; 64];
        ok[31] = 1;
        ok[63] = 2;
        assert_eq!(
            ecdsa_der(Algorithm::ES256, &ok).as_deref(),
            Some(&[0x30, 6, 2, 1, 1, 2, 1, 2][..])
        );
    }

    #[test]
    fn self_test_fails_without_a_working_host() {
        let (provider, host) = HostCrypto::with_self_test(|_, _| None);
        assert!(!host && !provider.uses_host());
        let (_, host) = HostCrypto::with_self_test(|_, _| Some(vec![0x08, 0x01]));
        assert!(!host, "a host that accepts everything is not used");
    }
}
