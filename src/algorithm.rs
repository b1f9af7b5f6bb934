//! The JWS algorithms jwtgate knows, and which key each one may be used with.

use core::fmt;

pub use jwtgate_crypto::{Curve, HashAlgorithm};

/// A JWS `alg` value (RFC 7518 §3, RFC 8037 §3.1). `none` is deliberately absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Algorithm {
    /// HMAC with SHA-256.
    HS256,
    /// HMAC with SHA-384.
    HS384,
    /// HMAC with SHA-512.
    HS512,
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512,
    /// RSASSA-PSS with SHA-256.
    PS256,
    /// RSASSA-PSS with SHA-384.
    PS384,
    /// RSASSA-PSS with SHA-512.
    PS512,
    /// ECDSA on P-256 with SHA-256.
    ES256,
    /// ECDSA on P-384 with SHA-384.
    ES384,
    /// ECDSA on P-521 with SHA-512.
    ES512,
    /// EdDSA on Ed25519.
    EdDSA,
}

/// The key family an algorithm needs (`kty`, and `crv` where it applies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFamily {
    /// `kty: oct`.
    Oct,
    /// `kty: RSA`.
    Rsa,
    /// `kty: EC` on the named curve.
    Ec(Curve),
    /// `kty: OKP`, `crv: Ed25519`.
    Ed25519,
}

impl Algorithm {
    /// Every supported algorithm, HMAC first (see [`Algorithm::ASYMMETRIC`]).
    pub const ALL: [Algorithm; 13] = [
        Algorithm::HS256,
        Algorithm::HS384,
        Algorithm::HS512,
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::ES512,
        Algorithm::EdDSA,
    ];

    /// The default allowlist: every asymmetric algorithm (all of [`ALL`] after
    /// the three HMAC ones). HMAC must be asked for, since a shared secret at
    /// the edge is rarely what an access-token setup wants.
    ///
    /// [`ALL`]: Algorithm::ALL
    pub const ASYMMETRIC: &'static [Algorithm] = Self::ALL.split_at(3).1;

    /// The registered name (case-sensitive, RFC 7515 §4.1.1).
    pub const fn name(self) -> &'static str {
        match self {
            Algorithm::HS256 => "HS256",
            Algorithm::HS384 => "HS384",
            Algorithm::HS512 => "HS512",
            Algorithm::RS256 => "RS256",
            Algorithm::RS384 => "RS384",
            Algorithm::RS512 => "RS512",
            Algorithm::PS256 => "PS256",
            Algorithm::PS384 => "PS384",
            Algorithm::PS512 => "PS512",
            Algorithm::ES256 => "ES256",
            Algorithm::ES384 => "ES384",
            Algorithm::ES512 => "ES512",
            Algorithm::EdDSA => "EdDSA",
        }
    }

    /// Looks up an algorithm by its exact registered name.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|alg| alg.name() == name)
    }

    /// The key family this algorithm must be used with.
    pub const fn key_family(self) -> KeyFamily {
        match self {
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => KeyFamily::Oct,
            Algorithm::RS256
            | Algorithm::RS384
            | Algorithm::RS512
            | Algorithm::PS256
            | Algorithm::PS384
            | Algorithm::PS512 => KeyFamily::Rsa,
            Algorithm::ES256 => KeyFamily::Ec(Curve::P256),
            Algorithm::ES384 => KeyFamily::Ec(Curve::P384),
            Algorithm::ES512 => KeyFamily::Ec(Curve::P521),
            Algorithm::EdDSA => KeyFamily::Ed25519,
        }
    }

    /// The hash function of this algorithm.
    pub const fn hash(self) -> HashAlgorithm {
        match self {
            Algorithm::HS256 | Algorithm::RS256 | Algorithm::PS256 | Algorithm::ES256 => {
                HashAlgorithm::Sha256
            }
            Algorithm::HS384 | Algorithm::RS384 | Algorithm::PS384 | Algorithm::ES384 => {
                HashAlgorithm::Sha384
            }
            Algorithm::HS512
            | Algorithm::RS512
            | Algorithm::PS512
            | Algorithm::ES512
            | Algorithm::EdDSA => HashAlgorithm::Sha512,
        }
    }

    /// Whether this is an HMAC (shared-secret) algorithm.
    pub const fn is_symmetric(self) -> bool {
        matches!(self.key_family(), KeyFamily::Oct)
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn asymmetric_is_all_but_hmac() {
        let expected: Vec<Algorithm> = Algorithm::ALL
            .into_iter()
            .filter(|alg| !alg.is_symmetric())
            .collect();
        assert_eq!(Algorithm::ASYMMETRIC, expected.as_slice());
    }
}
