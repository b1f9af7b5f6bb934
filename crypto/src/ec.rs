//! NIST curve facts that need no curve arithmetic: whether a JWK's point is
//! on its curve, and whether an ECDSA scalar lies in `[1, n - 1]`.
//!
//! Written here, on crypto-bigint's modular arithmetic (already used for
//! RSA), rather than taken from `p384`/`p521`: those crates put about 190 KB
//! of curve arithmetic into every `.wasm`, and the Envoy filter and the npm
//! package verify ES384/ES512 with host crypto. Tests check every answer
//! against the curve crates.

use alloc::{format, string::String, vec::Vec};
use crypto_bigint::{
    modular::runtime_mod::{DynResidue, DynResidueParams},
    U576,
};

use crate::Curve;

/// A public point on a NIST curve, checked to lie on it (not the point at
/// infinity, which has no affine coordinates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcPoint {
    curve: Curve,
    /// Uncompressed SEC1 encoding: `0x04 || x || y`.
    sec1: Vec<u8>,
}

impl EcPoint {
    /// Checks that `x` and `y` are coordinates of a point on `curve`: each
    /// exactly [`Curve::coordinate_len`] bytes, below the field prime, and
    /// `y^2 = x^3 - 3x + b (mod p)`.
    pub fn new(curve: Curve, x: &[u8], y: &[u8]) -> Result<EcPoint, String> {
        let len = curve.coordinate_len();
        if x.len() != len || y.len() != len {
            return Err(format!(
                "{} coordinates must be {len} bytes each",
                curve.name()
            ));
        }
        let (p, b): (&[u8], &[u8]) = match curve {
            Curve::P256 => (&P256_P, &P256_B),
            Curve::P384 => (&P384_P, &P384_B),
            Curve::P521 => (&P521_P, &P521_B),
        };
        if !on_curve(p, b, x, y) {
            return Err(format!("point is not on {}", curve.name()));
        }
        let mut sec1 = Vec::with_capacity(len.saturating_mul(2).saturating_add(1));
        sec1.push(0x04);
        sec1.extend_from_slice(x);
        sec1.extend_from_slice(y);
        Ok(EcPoint { curve, sec1 })
    }

    /// The curve.
    pub fn curve(&self) -> Curve {
        self.curve
    }

    /// Uncompressed SEC1 encoding, `0x04 || x || y`.
    pub fn sec1(&self) -> &[u8] {
        &self.sec1
    }
}

/// Whether the big-endian `scalar`, exactly [`Curve::coordinate_len`] bytes
/// long, is in `[1, n - 1]` for the curve's group order `n` (so `r = s = 0`,
/// the "psychic signature", never is).
pub fn scalar_in_range(curve: Curve, scalar: &[u8]) -> bool {
    if scalar.len() != curve.coordinate_len() {
        return false;
    }
    let order = match curve {
        Curve::P256 => &P256_N[..],
        Curve::P384 => &P384_N[..],
        Curve::P521 => &P521_N[..],
    };
    // Equal lengths, big-endian: byte order is integer order.
    scalar.iter().any(|byte| *byte != 0) && scalar < order
}

/// `y^2 = x^3 - 3x + b (mod p)` with `x, y < p`. One width (576 bits) for
/// all three curves: this runs once per key, and one instantiation of the
/// modular arithmetic is a third of the code of three.
fn on_curve(p: &[u8], b: &[u8], x: &[u8], y: &[u8]) -> bool {
    // All four have the curve's coordinate length; byte order is integer order.
    if x >= p || y >= p {
        return false;
    }
    let (Some(p), Some(b), Some(x), Some(y)) = (
        crate::rsa::uint_from_be::<{ U576::LIMBS }>(p),
        crate::rsa::uint_from_be::<{ U576::LIMBS }>(b),
        crate::rsa::uint_from_be::<{ U576::LIMBS }>(x),
        crate::rsa::uint_from_be::<{ U576::LIMBS }>(y),
    ) else {
        return false;
    };
    let params = DynResidueParams::new(&p);
    let residue = |value: &U576| DynResidue::new(value, params);
    let (x, y, b) = (residue(&x), residue(&y), residue(&b));
    let three_x = x + x + x;
    let rhs = x.square() * x - three_x + b;
    y.square().retrieve() == rhs.retrieve()
}

/// Field primes, `b` coefficients and group orders (SEC 2 / FIPS 186-5),
/// big-endian, each the curve's coordinate length.
const P256_P: [u8; 32] = hex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
const P256_B: [u8; 32] = hex("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b");
const P256_N: [u8; 32] = hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
const P384_P: [u8; 48] = hex("fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff");
const P384_B: [u8; 48] = hex("b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef");
const P384_N: [u8; 48] = hex("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973");
const P521_P: [u8; 66] = hex("01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
const P521_B: [u8; 66] = hex("0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00");
const P521_N: [u8; 66] = hex("01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409");

/// Hex to bytes at compile time (a wrong length or digit fails the build).
const fn hex<const N: usize>(text: &str) -> [u8; N] {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => panic!("not a lowercase hex digit"),
        }
    }
    let bytes = text.as_bytes();
    assert!(bytes.len() == 2 * N, "hex constant has the wrong length");
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = (nibble(bytes[2 * i]) << 4) | nibble(bytes[2 * i + 1]);
        i += 1;
    }
    out
}
