//! RSASSA-PKCS1-v1_5 verification (RS256/384/512, RFC 8017 §8.2.2) on a
//! fixed-size Montgomery representation with 32-bit limbs, which WebAssembly
//! multiplies natively (64-bit products).
//!
//! The `rsa` crate (0.9, num-bigint-dig) allocates on every step of its
//! modular exponentiation; in wasm that makes RS256 several times slower than
//! it needs to be. This verifier precomputes `R^2 mod n` once per key and then
//! needs no allocation but the result buffers. It accepts exactly what the
//! `rsa` crate accepts: a signature of exactly `k` bytes (the modulus length)
//! whose integer is below `n`, and whose `s^e mod n`, written in `k` bytes, is
//! the one EMSA-PKCS1-v1_5 encoding of the digest.

use alloc::{vec, vec::Vec};
use sha2::{Digest, Sha256, Sha384, Sha512};

use crate::algorithm::HashAlgorithm;

/// DER DigestInfo prefixes (RFC 8017 §9.2, note 1).
const SHA256_PREFIX: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];
const SHA384_PREFIX: [u8; 19] = [
    0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05,
    0x00, 0x04, 0x30,
];
const SHA512_PREFIX: [u8; 19] = [
    0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05,
    0x00, 0x04, 0x40,
];

/// An RSA public key prepared for fast PKCS#1 v1.5 verification.
#[derive(Clone, PartialEq, Eq)]
pub struct RsaPkcs1Key {
    /// Modulus, little-endian 32-bit limbs, top limb non-zero.
    n: Vec<u32>,
    /// `-n^-1 mod 2^32`.
    n0_inv: u32,
    /// `R^2 mod n` with `R = 2^(32 * limbs)`.
    r2: Vec<u32>,
    /// Public exponent.
    e: u64,
    /// Modulus length in bytes (`k`).
    k: usize,
}

impl core::fmt::Debug for RsaPkcs1Key {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RsaPkcs1Key")
            .field("bits", &(self.k * 8))
            .field("e", &self.e)
            .finish_non_exhaustive()
    }
}

impl RsaPkcs1Key {
    /// Prepares `(n, e)` (big-endian bytes). `None` for what this path does
    /// not take (an even or tiny modulus, an exponent over 64 bits); callers
    /// then use the `rsa` crate.
    pub fn new(n_be: &[u8], e_be: &[u8]) -> Option<RsaPkcs1Key> {
        let n_be = strip(n_be);
        let e_be = strip(e_be);
        if n_be.len() < 64 || e_be.is_empty() || e_be.len() > 8 {
            return None;
        }
        let n = limbs(n_be, n_be.len().div_ceil(4));
        if !n.first().is_some_and(|low| low & 1 == 1) {
            return None;
        }
        let e = e_be.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        if e < 2 {
            return None;
        }
        let n0_inv = inverse_neg(*n.first()?);
        let r2 = r_squared(&n);
        Some(RsaPkcs1Key {
            n,
            n0_inv,
            r2,
            e,
            k: n_be.len(),
        })
    }

    /// Whether `signature` is a valid RSASSA-PKCS1-v1_5 signature of
    /// `message` with `hash`.
    pub fn verify(&self, hash: HashAlgorithm, message: &[u8], signature: &[u8]) -> bool {
        if signature.len() != self.k {
            return false;
        }
        let s = limbs(signature, self.n.len());
        if !less_than(&s, &self.n) {
            return false;
        }
        let m = self.pow_e(&s);
        let em = to_bytes(&m, self.k);
        let (prefix, digest): (&[u8], Vec<u8>) = match hash {
            HashAlgorithm::Sha256 => (&SHA256_PREFIX, Sha256::digest(message).to_vec()),
            HashAlgorithm::Sha384 => (&SHA384_PREFIX, Sha384::digest(message).to_vec()),
            HashAlgorithm::Sha512 => (&SHA512_PREFIX, Sha512::digest(message).to_vec()),
        };
        let t_len = prefix.len() + digest.len();
        // EM = 0x00 || 0x01 || PS (0xff, at least 8) || 0x00 || T
        let Some(ps_len) = self.k.checked_sub(t_len + 3).filter(|len| *len >= 8) else {
            return false;
        };
        let mut expected = Vec::with_capacity(self.k);
        expected.extend_from_slice(&[0x00, 0x01]);
        expected.resize(2 + ps_len, 0xff);
        expected.push(0x00);
        expected.extend_from_slice(prefix);
        expected.extend_from_slice(&digest);
        expected == em
    }

    /// `s^e mod n` (`s < n`), as limbs.
    fn pow_e(&self, s: &[u32]) -> Vec<u32> {
        let x = self.mont_mul(s, &self.r2);
        let mut acc = x.clone();
        let top = 63 - self.e.leading_zeros();
        for bit in (0..top).rev() {
            acc = self.mont_mul(&acc, &acc);
            if (self.e >> bit) & 1 == 1 {
                acc = self.mont_mul(&acc, &x);
            }
        }
        let mut one = vec![0u32; self.n.len()];
        if let Some(low) = one.first_mut() {
            *low = 1;
        }
        self.mont_mul(&acc, &one)
    }

    /// `a * b * R^-1 mod n` for `a, b < n` (CIOS Montgomery multiplication).
    fn mont_mul(&self, a: &[u32], b: &[u32]) -> Vec<u32> {
        let len = self.n.len();
        let mut t = vec![0u32; len + 2];
        for &ai in a.iter().take(len) {
            // t += ai * b
            let mut carry = 0u64;
            for (tj, &bj) in t.iter_mut().zip(b.iter()).take(len) {
                let sum = u64::from(*tj) + u64::from(ai) * u64::from(bj) + carry;
                *tj = sum as u32;
                carry = sum >> 32;
            }
            let sum = u64::from(t[len]) + carry;
            t[len] = sum as u32;
            t[len + 1] = (sum >> 32) as u32;
            // t = (t + m * n) / 2^32
            let m = t[0].wrapping_mul(self.n0_inv);
            let mut carry = (u64::from(t[0]) + u64::from(m) * u64::from(self.n[0])) >> 32;
            for j in 1..len {
                let sum = u64::from(t[j]) + u64::from(m) * u64::from(self.n[j]) + carry;
                t[j - 1] = sum as u32;
                carry = sum >> 32;
            }
            let sum = u64::from(t[len]) + carry;
            t[len - 1] = sum as u32;
            t[len] = t[len + 1].wrapping_add((sum >> 32) as u32);
            t[len + 1] = 0;
        }
        // t < 2n: subtract n once if t >= n.
        if t[len] != 0 || !less_than(&t[..len], &self.n) {
            sub_assign(&mut t[..len], &self.n);
        }
        t.truncate(len);
        t
    }
}

fn strip(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

/// Big-endian bytes to `count` little-endian limbs (`be` fits: callers check).
fn limbs(be: &[u8], count: usize) -> Vec<u32> {
    let mut out = vec![0u32; count];
    for (i, byte) in be.iter().rev().enumerate() {
        if let Some(limb) = out.get_mut(i / 4) {
            *limb |= u32::from(*byte) << (8 * (i % 4));
        }
    }
    out
}

/// Limbs of a value below `2^(8k)` to `k` big-endian bytes.
fn to_bytes(limbs: &[u32], k: usize) -> Vec<u8> {
    let mut out = vec![0u8; k];
    for (i, slot) in out.iter_mut().rev().enumerate() {
        if let Some(limb) = limbs.get(i / 4) {
            *slot = (limb >> (8 * (i % 4))) as u8;
        }
    }
    out
}

/// `a < b` for equal-length limb slices.
fn less_than(a: &[u32], b: &[u32]) -> bool {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if x != y {
            return x < y;
        }
    }
    false
}

/// `a -= b` (wrapping), equal lengths.
fn sub_assign(a: &mut [u32], b: &[u32]) {
    let mut borrow = 0u64;
    for (x, &y) in a.iter_mut().zip(b.iter()) {
        let diff = u64::from(*x)
            .wrapping_sub(u64::from(y))
            .wrapping_sub(borrow);
        *x = diff as u32;
        borrow = (diff >> 63) & 1;
    }
}

/// `-n0^-1 mod 2^32` for odd `n0` (Newton iteration).
fn inverse_neg(n0: u32) -> u32 {
    let mut inv: u32 = 1;
    for _ in 0..5 {
        inv = inv.wrapping_mul(2u32.wrapping_sub(n0.wrapping_mul(inv)));
    }
    inv.wrapping_neg()
}

/// `R^2 mod n`, `R = 2^(32 * len)`: `1` doubled `64 * len` times mod `n`.
fn r_squared(n: &[u32]) -> Vec<u32> {
    let len = n.len();
    let mut r = vec![0u32; len];
    if let Some(low) = r.first_mut() {
        *low = 1;
    }
    for _ in 0..64 * len {
        // r = 2r mod n (r < n, so 2r < 2n: one subtraction at most).
        let mut carry = 0u32;
        for limb in r.iter_mut() {
            let next = *limb >> 31;
            *limb = (*limb << 1) | carry;
            carry = next;
        }
        if carry != 0 || !less_than(&r, n) {
            sub_assign(&mut r, n);
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse() {
        for n0 in [1u32, 3, 0xffff_ffff, 0x1234_5677, 65537] {
            assert_eq!(n0.wrapping_mul(inverse_neg(n0).wrapping_neg()), 1);
        }
    }

    /// A deterministic byte stream (xorshift) for test inputs.
    fn bytes(seed: u64, len: usize) -> Vec<u8> {
        let mut x = seed | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    #[test]
    fn pow_e_matches_num_bigint() {
        for (seed, bits, e) in [
            (1u64, 2048usize, 65537u64),
            (2, 2048, 3),
            (3, 3072, 65537),
            (4, 4096, (1 << 33) - 1),
            (5, 2056, 65537),
            (6, 520, 17),
        ] {
            let mut n_be = bytes(seed, bits / 8);
            n_be[0] |= 0x80;
            let last = n_be.len() - 1;
            n_be[last] |= 1;
            let key = RsaPkcs1Key::new(&n_be, &e.to_be_bytes()).expect("key");
            let n = rsa::BigUint::from_bytes_be(&n_be);
            for round in 0..4u64 {
                let mut s_be = bytes(seed * 100 + round, n_be.len());
                s_be[0] &= 0x7f;
                let s = rsa::BigUint::from_bytes_be(&s_be);
                let want = s.modpow(&rsa::BigUint::from(e), &n).to_bytes_be();
                let got = to_bytes(&key.pow_e(&limbs(&s_be, key.n.len())), key.k);
                assert_eq!(strip(&got), strip(&want), "bits {bits} e {e} round {round}");
            }
        }
    }

    #[test]
    fn refuses_what_it_cannot_take() {
        assert!(RsaPkcs1Key::new(&[0xff; 256], &[1]).is_none(), "e = 1");
        assert!(
            RsaPkcs1Key::new(&[0xfe; 256], &[1, 0, 1]).is_none(),
            "even n"
        );
        assert!(
            RsaPkcs1Key::new(&[0xff; 32], &[1, 0, 1]).is_none(),
            "tiny n"
        );
        assert!(
            RsaPkcs1Key::new(&[0xff; 256], &[1; 9]).is_none(),
            "e over 64 bits"
        );
    }
}
