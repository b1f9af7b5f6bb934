//! jwtgate's own curve checks (`ec`) and DER encoders (`der`) against
//! RustCrypto's: on-curve validation and signature scalar ranges agree with
//! `p256`/`p384`/`p521`, SubjectPublicKeyInfo and ECDSA DER are byte-for-byte
//! what `pkcs8`/`ecdsa` produce.

use jwtgate::algorithm::Curve;
use jwtgate::der;
use jwtgate::ec::{scalar_in_range, EcPoint};
use p256::pkcs8::EncodePublicKey;
use proptest::prelude::*;
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;

const CURVES: [Curve; 3] = [Curve::P256, Curve::P384, Curve::P521];

/// The curve crate's verdict on an uncompressed point.
fn crate_accepts(curve: Curve, sec1: &[u8]) -> bool {
    match curve {
        Curve::P256 => p256::PublicKey::from_sec1_bytes(sec1).is_ok(),
        Curve::P384 => p384::PublicKey::from_sec1_bytes(sec1).is_ok(),
        Curve::P521 => p521::PublicKey::from_sec1_bytes(sec1).is_ok(),
    }
}

/// A random valid point: SEC1 uncompressed and the crate's SPKI DER.
fn random_point(curve: Curve) -> (Vec<u8>, Vec<u8>) {
    let mut rng = rand_core::OsRng;
    match curve {
        Curve::P256 => {
            let key = p256::SecretKey::random(&mut rng).public_key();
            (
                sec1_of(&key.to_sec1_bytes()),
                der_of(key.to_public_key_der()),
            )
        }
        Curve::P384 => {
            let key = p384::SecretKey::random(&mut rng).public_key();
            (
                sec1_of(&key.to_sec1_bytes()),
                der_of(key.to_public_key_der()),
            )
        }
        Curve::P521 => {
            let key = p521::SecretKey::random(&mut rng).public_key();
            (
                sec1_of(&key.to_sec1_bytes()),
                der_of(key.to_public_key_der()),
            )
        }
    }
}

fn sec1_of(bytes: &[u8]) -> Vec<u8> {
    assert_eq!(bytes.first(), Some(&0x04), "uncompressed");
    bytes.to_vec()
}

fn der_of(doc: p256::pkcs8::spki::Result<p256::pkcs8::Document>) -> Vec<u8> {
    doc.expect("crate encodes").as_bytes().to_vec()
}

fn split(curve: Curve, sec1: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let len = curve.coordinate_len();
    (sec1[1..1 + len].to_vec(), sec1[1 + len..].to_vec())
}

#[test]
fn valid_points_are_accepted_and_encoded_like_pkcs8() {
    for curve in CURVES {
        for _ in 0..16 {
            let (sec1, spki) = random_point(curve);
            let (x, y) = split(curve, &sec1);
            let point = EcPoint::new(curve, &x, &y).expect("a valid point");
            assert_eq!(point.sec1(), sec1.as_slice());
            assert_eq!(der::ec_spki(&point), spki, "{curve:?} SPKI");
        }
    }
}

/// Field prime of each curve (SEC 2 §2.4.2, §2.5.1, §2.6.1).
fn field_prime(curve: Curve) -> Vec<u8> {
    let hex = match curve {
        Curve::P256 => "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
        Curve::P384 => "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
        Curve::P521 => "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    };
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
        .collect()
}

fn add_small(bytes: &[u8], add: u8) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let mut carry = u16::from(add);
    for byte in out.iter_mut().rev() {
        let sum = u16::from(*byte) + carry;
        *byte = sum as u8;
        carry = sum >> 8;
    }
    out
}

#[test]
fn coordinates_at_or_above_the_prime_are_rejected() {
    for curve in CURVES {
        let (sec1, _) = random_point(curve);
        let (x, y) = split(curve, &sec1);
        let p = field_prime(curve);
        // x + p is congruent to x: the point "is on the curve" mod p, but
        // the encoding is not canonical. Only where x + p still fits.
        for bad in [p.clone(), vec![0xff; curve.coordinate_len()]] {
            assert!(EcPoint::new(curve, &bad, &y).is_err());
            assert!(EcPoint::new(curve, &x, &bad).is_err());
        }
        let x_plus_p = add_bytes(&x, &p);
        if let Some(x_plus_p) = x_plus_p {
            let mut shifted = vec![0x04];
            shifted.extend_from_slice(&x_plus_p);
            shifted.extend_from_slice(&y);
            assert!(!crate_accepts(curve, &shifted));
            assert!(EcPoint::new(curve, &x_plus_p, &y).is_err());
        }
    }
}

/// `a + b` at the same length, or `None` on overflow.
fn add_bytes(a: &[u8], b: &[u8]) -> Option<Vec<u8>> {
    let mut out = vec![0u8; a.len()];
    let mut carry = 0u16;
    for i in (0..a.len()).rev() {
        let sum = u16::from(a[i]) + u16::from(b[i]) + carry;
        out[i] = sum as u8;
        carry = sum >> 8;
    }
    (carry == 0).then_some(out)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any change to a valid point: the same verdict as the curve crate.
    #[test]
    fn on_curve_check_agrees_with_the_curve_crates(
        which in 0usize..3,
        index in any::<usize>(),
        flip in 1u8..=255,
    ) {
        let curve = CURVES[which];
        let (mut sec1, _) = random_point(curve);
        let at = 1 + index % (sec1.len() - 1);
        sec1[at] ^= flip;
        let (x, y) = split(curve, &sec1);
        prop_assert_eq!(EcPoint::new(curve, &x, &y).is_ok(), crate_accepts(curve, &sec1));
    }

    /// Random signatures and edge scalars: in range exactly when the
    /// crate's `Signature::from_slice` accepts; DER as the crate's.
    #[test]
    fn ecdsa_signature_der_agrees_with_the_ecdsa_crate(
        which in 0usize..3,
        r in scalar_strategy(),
        s in scalar_strategy(),
    ) {
        let curve = CURVES[which];
        let len = curve.coordinate_len();
        let raw: Vec<u8> = [r.bytes(curve), s.bytes(curve)].concat();
        prop_assert_eq!(raw.len(), 2 * len);
        let expected: Option<Vec<u8>> = match curve {
            Curve::P256 => p256::ecdsa::Signature::from_slice(&raw).ok().map(|sig| sig.to_der().as_bytes().to_vec()),
            Curve::P384 => p384::ecdsa::Signature::from_slice(&raw).ok().map(|sig| sig.to_der().as_bytes().to_vec()),
            Curve::P521 => p521::ecdsa::Signature::from_slice(&raw).ok().map(|sig| sig.to_der().as_bytes().to_vec()),
        };
        prop_assert_eq!(der::ecdsa_signature(curve, &raw), expected);
        prop_assert_eq!(scalar_in_range(curve, &raw[..len]), r.in_range(curve));
    }
}

/// A signature half: random, or one of the boundary values.
#[derive(Debug, Clone)]
enum Scalar {
    Random(Vec<u8>),
    Zero,
    One,
    OrderMinusOne,
    Order,
    OrderPlusOne,
    AllOnes,
    /// Top bit set, rest random (a DER leading zero is needed).
    HighBit(Vec<u8>),
    /// Leading zero bytes (DER must strip them).
    Short(Vec<u8>),
}

fn scalar_strategy() -> impl Strategy<Value = Scalar> {
    let bytes = || proptest::collection::vec(any::<u8>(), 66);
    prop_oneof![
        4 => bytes().prop_map(Scalar::Random),
        1 => Just(Scalar::Zero),
        1 => Just(Scalar::One),
        1 => Just(Scalar::OrderMinusOne),
        1 => Just(Scalar::Order),
        1 => Just(Scalar::OrderPlusOne),
        1 => Just(Scalar::AllOnes),
        2 => bytes().prop_map(Scalar::HighBit),
        2 => bytes().prop_map(Scalar::Short),
    ]
}

fn order(curve: Curve) -> Vec<u8> {
    use p256::elliptic_curve::{bigint::Encoding as _, Curve as _};
    let len = curve.coordinate_len();
    let full = match curve {
        Curve::P256 => p256::NistP256::ORDER.to_be_bytes().to_vec(),
        Curve::P384 => p384::NistP384::ORDER.to_be_bytes().to_vec(),
        Curve::P521 => p521::NistP521::ORDER.to_be_bytes().to_vec(),
    };
    full[full.len() - len..].to_vec()
}

impl Scalar {
    fn bytes(&self, curve: Curve) -> Vec<u8> {
        let len = curve.coordinate_len();
        let n = order(curve);
        let mut out = match self {
            Scalar::Random(b) => b[..len].to_vec(),
            Scalar::Zero => vec![0; len],
            Scalar::One => add_small(&vec![0; len], 1),
            Scalar::OrderMinusOne => sub_one(&n),
            Scalar::Order => n,
            Scalar::OrderPlusOne => add_small(&n, 1),
            Scalar::AllOnes => vec![0xff; len],
            Scalar::HighBit(b) => {
                let mut v = b[..len].to_vec();
                v[0] |= 0x80;
                v
            }
            Scalar::Short(b) => {
                let mut v = b[..len].to_vec();
                v[0] = 0;
                v[1] = 0;
                v
            }
        };
        // P-521 scalars have 521 bits: the top byte holds one bit.
        if curve == Curve::P521 && matches!(self, Scalar::Random(_)) {
            out[0] &= 0x01;
        }
        out
    }

    fn in_range(&self, curve: Curve) -> bool {
        let b = self.bytes(curve);
        b.iter().any(|x| *x != 0) && b < order(curve)
    }
}

fn sub_one(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for byte in out.iter_mut().rev() {
        if *byte > 0 {
            *byte -= 1;
            break;
        }
        *byte = 0xff;
    }
    out
}

#[test]
fn rsa_spki_is_the_rsa_crates() {
    for pem in [
        include_str!("keys/rsa-2048.pem"),
        include_str!("keys/rsa-2048-e3.pem"),
        include_str!("keys/rsa-2049.pem"),
        include_str!("keys/rsa-3072.pem"),
        include_str!("keys/rsa-4096.pem"),
    ] {
        let public = rsa::RsaPrivateKey::from_pkcs8_pem(pem)
            .expect("test key")
            .to_public_key();
        let key = jwtgate::alg::RsaKey::from_be_bytes(
            &public.n().to_bytes_be(),
            &public.e().to_bytes_be(),
        )
        .expect("valid key");
        let expected = rsa::pkcs8::EncodePublicKey::to_public_key_der(&public)
            .expect("encodes")
            .as_bytes()
            .to_vec();
        assert_eq!(der::rsa_spki(key.modulus(), key.exponent()), expected);
    }
}

#[test]
fn rsa_key_rules_match_the_rsa_crate() {
    let public = rsa::RsaPrivateKey::from_pkcs8_pem(include_str!("keys/rsa-2048.pem"))
        .expect("test key")
        .to_public_key();
    let n = public.n().to_bytes_be();
    let mut even = n.clone();
    *even.last_mut().expect("non-empty") &= 0xfe;
    let cases: [(&[u8], &[u8], bool); 8] = [
        (&n, &[1, 0, 1], true),
        (&n, &[3], true),
        (&n, &[1], false),
        (&n, &[2], false),
        (&n, &[1, 0, 0, 0, 1], true),
        (&n, &[2, 0, 0, 0, 1], false),
        (&even, &[1, 0, 1], false),
        (&[0, 0, 1, 0, 1], &[1, 0, 1], false),
    ];
    for (n, e, ok) in cases {
        let ours = jwtgate::alg::RsaKey::from_be_bytes(n, e);
        assert_eq!(ours.is_ok(), ok, "n {} bytes, e {e:?}: {ours:?}", n.len());
    }
}
