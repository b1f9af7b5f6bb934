//! ES384 and ES512 as jwt-compact [`Algorithm`]s on RustCrypto's `p384`/`p521`
//! (features `p384` and `p521`; jwt-compact 0.8 ships `ES256` only).

use alloc::borrow::Cow;
use core::num::NonZeroUsize;
use jwt_compact::{Algorithm, AlgorithmSignature};

/// Defines a JWS ECDSA algorithm over a RustCrypto curve crate. The curve
/// crates' `Signer`/`Verifier` hash with the JWS hash of the curve (SHA-384
/// for P-384, SHA-512 for P-521), and `Signature::from_slice` rejects `r` or
/// `s` outside `[1, n-1]` (the "psychic signature" r = s = 0 among them).
macro_rules! ecdsa_algorithm {
    ($alg:ident, $signature:ident, $curve:ident, $name:literal, $len:literal) => {
        #[doc = concat!("`", $name, "` signature (`r || s`, ", stringify!($len), " bytes).")]
        #[derive(Debug, Clone)]
        pub struct $signature($curve::ecdsa::Signature);

        impl AlgorithmSignature for $signature {
            const LENGTH: Option<NonZeroUsize> = NonZeroUsize::new($len);

            fn try_from_slice(slice: &[u8]) -> anyhow::Result<Self> {
                $curve::ecdsa::Signature::from_slice(slice)
                    .map($signature)
                    .map_err(|_| anyhow::anyhow!("malformed {} signature", $name))
            }

            fn as_bytes(&self) -> Cow<'_, [u8]> {
                Cow::Owned(self.0.to_vec())
            }
        }

        #[doc = concat!("`", $name, "` (ECDSA on ", stringify!($curve), ").")]
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $alg;

        impl Algorithm for $alg {
            type SigningKey = $curve::ecdsa::SigningKey;
            type VerifyingKey = $curve::ecdsa::VerifyingKey;
            type Signature = $signature;

            fn name(&self) -> Cow<'static, str> {
                Cow::Borrowed($name)
            }

            fn sign(&self, signing_key: &Self::SigningKey, message: &[u8]) -> Self::Signature {
                // P-521's deterministic signer needs a getrandom backend of
                // its own; the randomized one works wherever `OsRng` does.
                use $curve::ecdsa::signature::RandomizedSigner;
                $signature(signing_key.sign_with_rng(&mut rand_core::OsRng, message))
            }

            fn verify_signature(
                &self,
                signature: &Self::Signature,
                verifying_key: &Self::VerifyingKey,
                message: &[u8],
            ) -> bool {
                use $curve::ecdsa::signature::Verifier;
                verifying_key.verify(message, &signature.0).is_ok()
            }
        }
    };
}

#[cfg(feature = "p384")]
ecdsa_algorithm!(Es384, Es384Signature, p384, "ES384", 96);
#[cfg(feature = "p521")]
ecdsa_algorithm!(Es512, Es512Signature, p521, "ES512", 132);
