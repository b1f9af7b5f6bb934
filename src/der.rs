//! DER encodings that host crypto imports (Envoy's `verify_signature` hands
//! them to BoringSSL): SubjectPublicKeyInfo for RSA and EC keys (RFC 5280
//! §4.1, RFC 3279, RFC 5480) and ECDSA signatures (RFC 3279 §2.2.3).
//!
//! Encoders only, of values jwtgate has already validated; written here
//! because the `rsa`, `pkcs8` and `der` crates cost about 25 KB of `.wasm`
//! for these few fixed shapes. Tests compare every output byte for byte with
//! RustCrypto's encoders.

use alloc::vec::Vec;

use crate::algorithm::Curve;
use jwtgate_crypto::ec;

const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;

/// `AlgorithmIdentifier` of rsaEncryption (1.2.840.113549.1.1.1, NULL parameters).
const RSA_ENCRYPTION: [u8; 15] = [
    0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
];
/// OID id-ecPublicKey (1.2.840.10045.2.1).
const EC_PUBLIC_KEY: [u8; 9] = [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// Named-curve OIDs: prime256v1, secp384r1, secp521r1.
const PRIME256V1: [u8; 10] = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const SECP384R1: [u8; 7] = [0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22];
const SECP521R1: [u8; 7] = [0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23];

/// SubjectPublicKeyInfo of an RSA key: big-endian modulus and exponent.
pub fn rsa_spki(modulus: &[u8], exponent: u64) -> Vec<u8> {
    let mut key = integer(modulus);
    key.extend_from_slice(&integer(&exponent.to_be_bytes()));
    spki(&RSA_ENCRYPTION, &tlv(SEQUENCE, &key))
}

/// SubjectPublicKeyInfo of an EC key (named curve, uncompressed point).
pub fn ec_spki(point: &ec::EcPoint) -> Vec<u8> {
    let curve: &[u8] = match point.curve() {
        Curve::P256 => &PRIME256V1,
        Curve::P384 => &SECP384R1,
        Curve::P521 => &SECP521R1,
    };
    let mut algorithm = EC_PUBLIC_KEY.to_vec();
    algorithm.extend_from_slice(curve);
    spki(&tlv(SEQUENCE, &algorithm), point.sec1())
}

/// A JWS ECDSA signature (`r || s`, RFC 7518 §3.4) as a DER `Ecdsa-Sig-Value`,
/// or `None` unless it is exactly twice the curve's coordinate length with
/// `r` and `s` both in `[1, n - 1]`.
pub fn ecdsa_signature(curve: Curve, raw: &[u8]) -> Option<Vec<u8>> {
    let half = curve.coordinate_len();
    if raw.len() != half.checked_mul(2)? {
        return None;
    }
    let (r, s) = raw.split_at(half);
    if !ec::scalar_in_range(curve, r) || !ec::scalar_in_range(curve, s) {
        return None;
    }
    let mut body = integer(r);
    body.extend_from_slice(&integer(s));
    Some(tlv(SEQUENCE, &body))
}

fn spki(algorithm: &[u8], key: &[u8]) -> Vec<u8> {
    // BIT STRING content: no unused bits, then the key.
    let mut bits = Vec::with_capacity(key.len().saturating_add(1));
    bits.push(0);
    bits.extend_from_slice(key);
    let mut body = algorithm.to_vec();
    body.extend_from_slice(&tlv(BIT_STRING, &bits));
    tlv(SEQUENCE, &body)
}

/// A non-negative INTEGER from big-endian bytes: minimal, with a leading
/// zero byte when the top bit is set.
fn integer(big_endian: &[u8]) -> Vec<u8> {
    let start = big_endian
        .iter()
        .position(|byte| *byte != 0)
        .unwrap_or(big_endian.len());
    let digits = big_endian.get(start..).unwrap_or_default();
    let mut content = Vec::with_capacity(digits.len().saturating_add(1));
    if digits.first().map_or(true, |top| top & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(digits);
    tlv(INTEGER, &content)
}

/// Tag, definite length (short or long form), content.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let len_bytes = len.to_be_bytes();
    let significant = len_bytes
        .iter()
        .position(|byte| *byte != 0)
        .unwrap_or(len_bytes.len());
    let mut out = Vec::with_capacity(len.saturating_add(2 + len_bytes.len()));
    out.push(tag);
    match u8::try_from(len) {
        Ok(short) if short < 0x80 => out.push(short),
        _ => {
            let long = len_bytes.get(significant..).unwrap_or_default();
            // At most size_of::<usize>() length bytes, so this fits in 7 bits.
            out.push(0x80 | long.len() as u8);
            out.extend_from_slice(long);
        }
    }
    out.extend_from_slice(content);
    out
}
