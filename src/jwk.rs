//! One JSON Web Key (RFC 7517), parsed strictly into a verification key.
//!
//! Each key keeps three forms: the validated material the pure-Rust provider
//! verifies with, the DER SubjectPublicKeyInfo that host crypto (Envoy's
//! BoringSSL) imports, and the public JWK members that WebCrypto imports.

use crate::json::{Map, Value};
use alloc::{
    format,
    string::{String, ToString},
    vec::Vec,
};
use sha2::{Digest, Sha256};

use crate::algorithm::{Algorithm, Curve, KeyFamily};
use crate::base64url;
use crate::der;
use jwtgate_crypto::ec::EcPoint;

/// Smallest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: usize = 2048;

/// The verification material of a key.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum KeyMaterial {
    /// An RSA public key, with its Montgomery parameters precomputed.
    Rsa(jwtgate_crypto::rsa::RsaKey),
    /// A public point on P-256, P-384 or P-521.
    Ec(EcPoint),
    /// An Ed25519 public key.
    Ed25519(ed25519_dalek::VerifyingKey),
    /// An HMAC secret.
    Oct(Vec<u8>),
}

/// A usable verification key from a JWK Set.
#[derive(Debug, Clone)]
pub struct Jwk {
    kid: Option<String>,
    alg: Option<Algorithm>,
    key_use: Option<String>,
    material: KeyMaterial,
    public_members: Map,
    spki_der: Vec<u8>,
    thumbprint: String,
}

/// Why a key of a set was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedKey {
    /// Position of the key in the set's `keys` array.
    pub index: usize,
    /// Its `kid`, if it had a string one.
    pub kid: Option<String>,
    /// Why it was skipped.
    pub reason: String,
}

impl Jwk {
    /// Parses one JWK object. Errors say why the key cannot be used.
    pub fn from_object(object: &Map) -> Result<Jwk, String> {
        let kid = optional_string(object, "kid")?;
        let alg = match optional_string(object, "alg")? {
            None => None,
            Some(name) => Some(
                Algorithm::from_name(&name).ok_or_else(|| format!("unsupported alg \"{name}\""))?,
            ),
        };
        let key_use = optional_string(object, "use")?;
        if let Some(key_use) = &key_use {
            if key_use != "sig" {
                return Err(format!("use is \"{key_use}\", not \"sig\""));
            }
        }
        if let Some(ops) = object.get("key_ops") {
            let ops = ops.as_array().ok_or("key_ops is not an array")?;
            if !ops.iter().any(|op| op.as_str() == Some("verify")) {
                return Err(String::from("key_ops does not allow \"verify\""));
            }
        }
        let kty = optional_string(object, "kty")?.ok_or("missing kty")?;
        let (material, public_members) = match kty.as_str() {
            "RSA" => parse_rsa(object)?,
            "EC" => parse_ec(object)?,
            "OKP" => parse_okp(object)?,
            "oct" => parse_oct(object, alg)?,
            other => return Err(format!("unsupported kty \"{other}\"")),
        };
        if let Some(alg) = alg {
            if !family_matches(alg.key_family(), &material) {
                return Err(format!("alg {alg} does not fit kty {kty}"));
            }
        }
        let spki_der = spki_der(&material);
        let thumbprint = thumbprint(&public_members);
        Ok(Jwk {
            kid,
            alg,
            key_use,
            material,
            public_members,
            spki_der,
            thumbprint,
        })
    }

    /// The key's `kid`.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The JWK `alg` the key is bound to, if it names one.
    pub fn alg(&self) -> Option<Algorithm> {
        self.alg
    }

    /// The JWK `use`, if present (always `sig` for a usable key).
    pub fn key_use(&self) -> Option<&str> {
        self.key_use.as_deref()
    }

    /// The key material.
    pub fn material(&self) -> &KeyMaterial {
        &self.material
    }

    /// The public JWK members (`kty` and the key parameters; for `oct`, `k`),
    /// in the form WebCrypto's `importKey("jwk", ...)` takes.
    pub fn public_members(&self) -> &Map {
        &self.public_members
    }

    /// DER-encoded SubjectPublicKeyInfo (empty for `oct` keys), as BoringSSL's
    /// `EVP_parse_public_key` and Envoy's `verify_signature` take it.
    pub fn spki_der(&self) -> &[u8] {
        &self.spki_der
    }

    /// RFC 7638 SHA-256 thumbprint, base64url.
    pub fn thumbprint(&self) -> &str {
        &self.thumbprint
    }

    /// Key size in bits (RSA modulus, curve order, HMAC secret length).
    pub fn bits(&self) -> usize {
        match &self.material {
            KeyMaterial::Rsa(key) => key.bits(),
            KeyMaterial::Ec(point) => match point.curve() {
                Curve::P256 => 256,
                Curve::P384 => 384,
                Curve::P521 => 521,
            },
            KeyMaterial::Ed25519(_) => 256,
            KeyMaterial::Oct(secret) => secret.len().saturating_mul(8),
        }
    }

    /// `kty` (and `crv`) as a short label such as `EC P-256`.
    pub fn type_label(&self) -> &'static str {
        match &self.material {
            KeyMaterial::Rsa(_) => "RSA",
            KeyMaterial::Ec(point) => match point.curve() {
                Curve::P256 => "EC P-256",
                Curve::P384 => "EC P-384",
                Curve::P521 => "EC P-521",
            },
            KeyMaterial::Ed25519(_) => "OKP Ed25519",
            KeyMaterial::Oct(_) => "oct",
        }
    }

    /// Whether this key may verify a token signed with `alg`: the key type and
    /// curve must fit, a JWK `alg` must be the same, and an HMAC secret must be
    /// at least as long as the hash output (RFC 7518 §3.2).
    pub fn can_verify(&self, alg: Algorithm) -> bool {
        if self.alg.is_some_and(|bound| bound != alg) {
            return false;
        }
        if let KeyMaterial::Oct(secret) = &self.material {
            if secret.len() < alg.hash().output_len() {
                return false;
            }
        }
        family_matches(alg.key_family(), &self.material)
    }
}

fn family_matches(family: KeyFamily, material: &KeyMaterial) -> bool {
    match (family, material) {
        (KeyFamily::Ec(curve), KeyMaterial::Ec(point)) => point.curve() == curve,
        (KeyFamily::Oct, KeyMaterial::Oct(_))
        | (KeyFamily::Rsa, KeyMaterial::Rsa(_))
        | (KeyFamily::Ed25519, KeyMaterial::Ed25519(_)) => true,
        _ => false,
    }
}

fn optional_string(object: &Map, name: &str) -> Result<Option<String>, String> {
    match object.get(name) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(format!("{name} is not a string")),
    }
}

fn required_bytes(object: &Map, name: &str) -> Result<Vec<u8>, String> {
    let text = optional_string(object, name)?.ok_or_else(|| format!("missing {name}"))?;
    base64url::decode(text.as_bytes()).ok_or_else(|| format!("{name} is not canonical base64url"))
}

fn members(pairs: &[(&str, &[u8])], kty: &str, crv: Option<&str>) -> Map {
    let mut map = Map::new();
    map.insert("kty".to_string(), kty.into());
    if let Some(crv) = crv {
        map.insert("crv".to_string(), crv.into());
    }
    for (name, bytes) in pairs {
        map.insert((*name).to_string(), base64url::encode(bytes).into());
    }
    map
}

type Parsed = (KeyMaterial, Map);

fn parse_rsa(object: &Map) -> Result<Parsed, String> {
    let n = required_bytes(object, "n")?;
    let e = required_bytes(object, "e")?;
    let key = jwtgate_crypto::rsa::RsaKey::from_be_bytes(&n, &e)?;
    if key.bits() < MIN_RSA_BITS {
        return Err(format!(
            "RSA key too weak: {} bits, minimum {MIN_RSA_BITS}",
            key.bits()
        ));
    }
    let public = members(
        &[("e", &key.exponent_bytes()), ("n", key.modulus())],
        "RSA",
        None,
    );
    Ok((KeyMaterial::Rsa(key), public))
}

fn parse_ec(object: &Map) -> Result<Parsed, String> {
    let crv = optional_string(object, "crv")?.ok_or("missing crv")?;
    let curve = match crv.as_str() {
        "P-256" => Curve::P256,
        "P-384" => Curve::P384,
        "P-521" => Curve::P521,
        other => return Err(format!("unsupported EC crv \"{other}\"")),
    };
    let x = required_bytes(object, "x")?;
    let y = required_bytes(object, "y")?;
    let point = EcPoint::new(curve, &x, &y)?;
    Ok((
        KeyMaterial::Ec(point),
        members(&[("x", &x), ("y", &y)], "EC", Some(curve.name())),
    ))
}

fn parse_okp(object: &Map) -> Result<Parsed, String> {
    let crv = optional_string(object, "crv")?.ok_or("missing crv")?;
    if crv != "Ed25519" {
        return Err(format!("unsupported OKP crv \"{crv}\""));
    }
    let x = required_bytes(object, "x")?;
    let bytes: [u8; 32] = x
        .as_slice()
        .try_into()
        .map_err(|_| String::from("Ed25519 x must be 32 bytes"))?;
    let key = ed25519_dalek::VerifyingKey::from_bytes(&bytes)
        .map_err(|_| String::from("Ed25519 x is not a valid point"))?;
    if key.is_weak() {
        return Err(String::from("Ed25519 key has small order"));
    }
    Ok((
        KeyMaterial::Ed25519(key),
        members(&[("x", &x)], "OKP", Some("Ed25519")),
    ))
}

fn parse_oct(object: &Map, alg: Option<Algorithm>) -> Result<Parsed, String> {
    let secret = required_bytes(object, "k")?;
    // Without an `alg` the secret must at least suit HS256; `can_verify`
    // checks it against the hash of the token's algorithm.
    let minimum = alg.map_or(32, |alg| alg.hash().output_len());
    if secret.len() < minimum {
        return Err(format!(
            "HMAC secret too weak: {} bytes, minimum {minimum}",
            secret.len()
        ));
    }
    let public = members(&[("k", &secret)], "oct", None);
    Ok((KeyMaterial::Oct(secret), public))
}

fn spki_der(material: &KeyMaterial) -> Vec<u8> {
    match material {
        KeyMaterial::Rsa(key) => der::rsa_spki(key.modulus(), key.exponent()),
        KeyMaterial::Ec(point) => der::ec_spki(point),
        KeyMaterial::Ed25519(_) | KeyMaterial::Oct(_) => Vec::new(),
    }
}

/// RFC 7638: SHA-256 over the required members, sorted, without white space
/// (the form [`Map`]'s text has).
fn thumbprint(public_members: &Map) -> String {
    let canonical = public_members.to_string();
    base64url::encode(&Sha256::digest(canonical.as_bytes()))
}
