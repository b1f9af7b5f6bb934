//! Signing keys: generated or loaded, published as a JWK Set, rotated.

use std::path::Path;
use std::sync::Mutex;

use jwt_compact::alg::{Ed25519, Es256, Rsa};
use jwt_compact::{Algorithm as _, AlgorithmSignature};
use jwtgate::base64url::encode;
use rand_core::OsRng;
use rsa::traits::PublicKeyParts;
use serde_json::{json, Value};

/// The algorithms the dev issuer signs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SigningAlg {
    /// RSASSA-PKCS1-v1_5 with SHA-256, 2048-bit keys.
    #[value(name = "RS256")]
    Rs256,
    /// ECDSA P-256 with SHA-256.
    #[value(name = "ES256")]
    Es256,
    /// Ed25519.
    #[value(name = "EdDSA")]
    EdDsa,
}

impl SigningAlg {
    /// The JWS `alg` name.
    pub fn name(self) -> &'static str {
        match self {
            SigningAlg::Rs256 => "RS256",
            SigningAlg::Es256 => "ES256",
            SigningAlg::EdDsa => "EdDSA",
        }
    }
}

enum Secret {
    Rsa(Box<rsa::RsaPrivateKey>),
    P256(p256::ecdsa::SigningKey),
    Ed25519(Box<ed25519_dalek::SigningKey>),
}

struct SigningKey {
    kid: String,
    secret: Secret,
    public: Value,
}

impl SigningKey {
    fn new(secret: Secret, kid: Option<String>) -> Result<SigningKey, String> {
        let (alg, mut public) = match &secret {
            Secret::Rsa(key) => (
                "RS256",
                json!({"kty": "RSA", "n": encode(&key.n().to_bytes_be()), "e": encode(&key.e().to_bytes_be())}),
            ),
            Secret::P256(key) => {
                let point = key.verifying_key().to_encoded_point(false);
                let xy = point.as_bytes().get(1..).ok_or("bad P-256 point")?;
                let (x, y) = xy.split_at(32);
                (
                    "ES256",
                    json!({"kty": "EC", "crv": "P-256", "x": encode(x), "y": encode(y)}),
                )
            }
            Secret::Ed25519(key) => (
                "EdDSA",
                json!({"kty": "OKP", "crv": "Ed25519", "x": encode(key.verifying_key().as_bytes())}),
            ),
        };
        let object = jwtgate::json::parse_object(public.to_string().as_bytes())?;
        let parsed = jwtgate::Jwk::from_object(&object)
            .map_err(|err| format!("generated key unusable: {err}"))?;
        let kid = kid.unwrap_or_else(|| parsed.thumbprint().chars().take(16).collect());
        public["kid"] = json!(kid);
        public["alg"] = json!(alg);
        public["use"] = json!("sig");
        Ok(SigningKey {
            kid,
            secret,
            public,
        })
    }

    fn generate(alg: SigningAlg) -> Result<SigningKey, String> {
        let secret = match alg {
            SigningAlg::Rs256 => Secret::Rsa(Box::new(
                rsa::RsaPrivateKey::new(&mut OsRng, 2048)
                    .map_err(|err| format!("RSA key generation failed: {err}"))?,
            )),
            SigningAlg::Es256 => Secret::P256(p256::ecdsa::SigningKey::random(&mut OsRng)),
            SigningAlg::EdDsa => {
                Secret::Ed25519(Box::new(ed25519_dalek::SigningKey::generate(&mut OsRng)))
            }
        };
        SigningKey::new(secret, None)
    }

    fn alg(&self) -> SigningAlg {
        match self.secret {
            Secret::Rsa(_) => SigningAlg::Rs256,
            Secret::P256(_) => SigningAlg::Es256,
            Secret::Ed25519(_) => SigningAlg::EdDsa,
        }
    }

    fn sign(&self, message: &[u8]) -> Vec<u8> {
        match &self.secret {
            Secret::Rsa(key) => Rsa::rs256().sign(key, message).as_bytes().into_owned(),
            Secret::P256(key) => Es256.sign(key, message).as_bytes().into_owned(),
            Secret::Ed25519(key) => Ed25519.sign(key, message).as_bytes().into_owned(),
        }
    }
}

/// The current signing key and the previous one (kept published for one
/// rotation period, so tokens it signed stay verifiable).
pub struct KeyRing {
    keys: Mutex<Vec<SigningKey>>,
}

impl KeyRing {
    /// One freshly generated key.
    pub fn generate(alg: SigningAlg) -> Result<KeyRing, String> {
        Ok(KeyRing {
            keys: Mutex::new(vec![SigningKey::generate(alg)?]),
        })
    }

    /// PKCS#8 PEM private keys from `dir` (`*.pem`; the file stem is the kid;
    /// the last in name order signs).
    pub fn from_dir(dir: &Path) -> Result<KeyRing, String> {
        use ed25519_dalek::pkcs8::DecodePrivateKey;
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(|err| format!("cannot read {}: {err}", dir.display()))?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "pem"))
            .collect();
        paths.sort();
        let mut keys = Vec::new();
        for path in paths {
            let pem = std::fs::read_to_string(&path)
                .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
            let secret = if let Ok(key) = rsa::RsaPrivateKey::from_pkcs8_pem(&pem) {
                Secret::Rsa(Box::new(key))
            } else if let Ok(key) = p256::ecdsa::SigningKey::from_pkcs8_pem(&pem) {
                Secret::P256(key)
            } else if let Ok(key) = ed25519_dalek::SigningKey::from_pkcs8_pem(&pem) {
                Secret::Ed25519(Box::new(key))
            } else {
                return Err(format!(
                    "{}: not a PKCS#8 RSA, P-256 or Ed25519 private key",
                    path.display()
                ));
            };
            let kid = path
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned());
            keys.push(SigningKey::new(secret, kid)?);
        }
        if keys.is_empty() {
            return Err(format!("no *.pem keys in {}", dir.display()));
        }
        Ok(KeyRing {
            keys: Mutex::new(keys),
        })
    }

    fn with_keys<T>(&self, f: impl FnOnce(&mut Vec<SigningKey>) -> T) -> T {
        let mut keys = self
            .keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut keys)
    }

    /// The signing algorithm of the current key.
    pub fn alg(&self) -> SigningAlg {
        self.with_keys(|keys| keys.last().map_or(SigningAlg::Rs256, SigningKey::alg))
    }

    /// Signs `header.payload` with the current key: returns the compact JWS.
    pub fn sign_token(&self, header: &mut Value, payload: &Value) -> Result<String, String> {
        self.with_keys(|keys| {
            let key = keys.last().ok_or("no signing key")?;
            header["alg"] = json!(key.alg().name());
            header["kid"] = json!(key.kid);
            let input = format!(
                "{}.{}",
                encode(header.to_string().as_bytes()),
                encode(payload.to_string().as_bytes())
            );
            let signature = key.sign(input.as_bytes());
            Ok(format!("{input}.{}", encode(&signature)))
        })
    }

    /// Generates a new current key; keeps the previous one published, drops older ones.
    pub fn rotate(&self) -> Result<String, String> {
        let next = SigningKey::generate(self.alg())?;
        let kid = next.kid.clone();
        self.with_keys(|keys| {
            keys.push(next);
            let excess = keys.len().saturating_sub(2);
            keys.drain(..excess);
        });
        Ok(kid)
    }

    /// The public JWK Set.
    pub fn jwks(&self) -> Value {
        self.with_keys(
            |keys| json!({"keys": keys.iter().rev().map(|k| k.public.clone()).collect::<Vec<_>>()}),
        )
    }
}
