//! RSA signature verification (`RS256/384/512`, `PS256/384/512`) with the
//! per-key Montgomery parameters computed once, when the key is parsed.
//!
//! jwt-compact 0.8's `Rsa` verifies through the `rsa` 0.9 crate, which runs a
//! general `num-bigint-dig` `modpow` per signature: about 0.75 ms for RS256
//! in wasm32. With `e = 65537` the public operation is only 16 modular
//! squarings and one multiplication, so [`RsaKey`] keeps the Montgomery
//! parameters of its modulus (`R^2 mod n`, `-n^-1 mod 2^w`), and
//! verification is square-and-multiply over the bits of `e` with
//! crypto-bigint's Montgomery multiplication. Nothing here is secret, so
//! variable time is fine.
//!
//! Padding is checked strictly:
//! - PKCS#1 v1.5 (RFC 8017 §8.2.2): the signature must be exactly as long as
//!   the modulus and, as an integer, smaller than it; `s^e mod n` must equal,
//!   byte for byte, the EMSA-PKCS1-v1_5 encoding of the message hash with the
//!   DigestInfo prefix of RFC 8017 §9.2 note 1 (NULL parameters). Nothing of
//!   the signature's ASN.1 is parsed.
//! - PSS (RFC 8017 §8.1.2 and §9.1.2): same length and range checks, MGF1 with
//!   the message hash, salt length equal to the hash length (RFC 7518 §3.5),
//!   and `s^e mod n` must fit in `emLen = ceil((modBits - 1) / 8)` bytes.
//!
//! Verification only, and without the `rsa` crate: its `num-bigint-dig` and
//! DER code were about 25 KB of every `.wasm` for work this module does not
//! need. Tokens are signed with jwt-compact's `Rsa` (tests and tools).

use alloc::{boxed::Box, string::String, vec, vec::Vec};
use core::fmt;

use crypto_bigint::{modular::montgomery_reduction, Limb, Uint, Word, U2048, U3072, U4096};
use sha2::{Digest, Sha256, Sha384, Sha512};

use crate::HashAlgorithm;

/// Bytes per crypto-bigint limb (4 on wasm32, 8 on 64-bit targets).
const WORD_BYTES: usize = core::mem::size_of::<Word>();

/// Largest public exponent accepted, as the `rsa` crate (and BoringSSL's
/// 33-bit limit) have it.
const MAX_PUBLIC_EXPONENT: u64 = (1 << 33) - 1;

/// An RSA public key ready for fast verification: the modulus, the exponent
/// as a machine word and the Montgomery parameters of the modulus.
#[derive(Clone)]
pub struct RsaKey {
    /// Big-endian modulus without leading zeros; its length is `k`.
    n: Vec<u8>,
    /// Bit length of the modulus.
    bits: usize,
    /// The public exponent: odd, `3..=2^33 - 1`.
    e: u64,
    montgomery: Montgomery,
}

/// Montgomery parameters of the modulus in the smallest supported width.
#[derive(Clone)]
enum Montgomery {
    W2048(Box<MontParams<{ U2048::LIMBS }>>),
    W3072(Box<MontParams<{ U3072::LIMBS }>>),
    W4096(Box<MontParams<{ U4096::LIMBS }>>),
}

/// What Montgomery arithmetic modulo an odd `n` needs, with `R = 2^(64 *
/// LIMBS)` on 64-bit targets and `2^(32 * LIMBS)` on wasm32. The arithmetic
/// itself is crypto-bigint's (`mul_wide`, `square_wide`,
/// `montgomery_reduction`); only `R^2 mod n` is computed differently from
/// its `DynResidueParams` (a constant-time wide division): in variable time,
/// by doublings and five Montgomery squarings. Nor are the parameters copied into every residue.
#[derive(Clone)]
struct MontParams<const LIMBS: usize> {
    n: Uint<LIMBS>,
    /// `R^2 mod n`, to move into Montgomery form.
    r2: Uint<LIMBS>,
    /// `-n^-1 mod 2^w` (w = limb bits).
    n_neg_inv: Limb,
}

impl<const LIMBS: usize> MontParams<LIMBS> {
    /// `n` must be odd and `bits` its bit length, at least 1.
    fn new(n: Uint<LIMBS>, bits: usize) -> Option<Self> {
        let width = LIMBS.checked_mul(usize::try_from(Word::BITS).ok()?)?;
        let start = bits.checked_sub(1)?;
        if bits > width || n.as_words().first()? & 1 == 0 {
            return None;
        }
        let low = Uint::<1>::from_words([*n.as_words().first()?]);
        let [inv] = low
            .inv_mod2k_vartime(usize::try_from(Word::BITS).ok()?)
            .to_words();
        let mut params = MontParams {
            n,
            r2: Uint::ZERO,
            n_neg_inv: Limb(inv.wrapping_neg()),
        };
        // R^2 mod n: double 2^(bits - 1) < n modulo n up to 2^(width + d)
        // = 2^d * R, the Montgomery form of 2^d for d = width / 32, then
        // square that five times in Montgomery form: (2^d)^32 = 2^width = R,
        // whose Montgomery form is R^2 mod n.
        let d = width.checked_div(32)?;
        let mut x = Uint::<LIMBS>::ONE.shl_vartime(start);
        for _ in start..width.checked_add(d)? {
            x = x.add_mod(&x, &params.n);
        }
        for _ in 0..5 {
            x = params.square(&x);
        }
        params.r2 = x;
        Some(params)
    }

    /// `a * b / R mod n` for `a, b < n`.
    fn mul(&self, a: &Uint<LIMBS>, b: &Uint<LIMBS>) -> Uint<LIMBS> {
        montgomery_reduction(&a.mul_wide(b), &self.n, self.n_neg_inv)
    }

    /// `a^2 / R mod n` for `a < n`.
    fn square(&self, a: &Uint<LIMBS>) -> Uint<LIMBS> {
        montgomery_reduction(&a.square_wide(), &self.n, self.n_neg_inv)
    }

    /// `a / R mod n`: out of Montgomery form.
    fn reduce(&self, a: &Uint<LIMBS>) -> Uint<LIMBS> {
        montgomery_reduction(&(*a, Uint::ZERO), &self.n, self.n_neg_inv)
    }
}

impl fmt::Debug for RsaKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaKey")
            .field("bits", &self.bits)
            .field("e", &self.e)
            .finish_non_exhaustive()
    }
}

impl RsaKey {
    /// Builds a key from the big-endian modulus and exponent (leading zero
    /// bytes allowed): an odd modulus of at most 4096 bits, an odd exponent
    /// in `3..=2^33 - 1` and below the modulus (the `rsa` crate's rules);
    /// the Montgomery parameters are computed here, once.
    pub fn from_be_bytes(n: &[u8], e: &[u8]) -> Result<RsaKey, String> {
        let n = strip_leading_zeros(n).to_vec();
        let e_bytes = strip_leading_zeros(e);
        if e_bytes.len() > 8 {
            return Err(String::from("invalid RSA key: exponent too large"));
        }
        let e = be_u64(e_bytes);
        if e > MAX_PUBLIC_EXPONENT {
            return Err(String::from("invalid RSA key: exponent too large"));
        }
        if e < 3 || e & 1 == 0 {
            return Err(String::from("invalid RSA key: exponent too small or even"));
        }
        // Montgomery form needs an odd modulus.
        if !matches!(n.last(), Some(byte) if byte & 1 == 1) {
            return Err(String::from("invalid RSA key: even modulus"));
        }
        let bits = n
            .len()
            .saturating_mul(8)
            .saturating_sub(n.first().map_or(0, |byte| byte.leading_zeros() as usize));
        // A modulus of more than 33 bits is above every accepted exponent.
        if bits <= 33 && be_u64(&n) <= e {
            return Err(String::from(
                "invalid RSA key: exponent not below the modulus",
            ));
        }
        let unfit = || String::from("invalid RSA key: modulus does not fit");
        let montgomery = if bits <= 2048 {
            Montgomery::W2048(Box::new(
                MontParams::new(uint_from_be(&n).ok_or_else(unfit)?, bits).ok_or_else(unfit)?,
            ))
        } else if bits <= 3072 {
            Montgomery::W3072(Box::new(
                MontParams::new(uint_from_be(&n).ok_or_else(unfit)?, bits).ok_or_else(unfit)?,
            ))
        } else if bits <= 4096 {
            Montgomery::W4096(Box::new(
                MontParams::new(uint_from_be(&n).ok_or_else(unfit)?, bits).ok_or_else(unfit)?,
            ))
        } else {
            return Err(String::from("invalid RSA key: modulus over 4096 bits"));
        };
        Ok(RsaKey {
            n,
            bits,
            e,
            montgomery,
        })
    }

    /// The big-endian modulus, without leading zeros.
    pub fn modulus(&self) -> &[u8] {
        &self.n
    }

    /// The public exponent.
    pub fn exponent(&self) -> u64 {
        self.e
    }

    /// The public exponent, big-endian without leading zeros (JWK `e`).
    pub fn exponent_bytes(&self) -> Vec<u8> {
        strip_leading_zeros(&self.e.to_be_bytes()).to_vec()
    }

    /// Modulus length in bits.
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// Modulus length in bytes (`k` of RFC 8017), the signature length.
    pub fn size(&self) -> usize {
        self.n.len()
    }

    /// RSAVP1 (RFC 8017 §5.2.2) and I2OSP to `k` bytes: `signature^e mod n`,
    /// or `None` if the signature is not exactly `k` bytes or, as an
    /// integer, not below `n`.
    pub fn public_operation(&self, signature: &[u8]) -> Option<Vec<u8>> {
        // Equal lengths, both big-endian: byte order is integer order.
        if signature.len() != self.n.len() || signature >= self.n.as_slice() {
            return None;
        }
        let k = self.n.len();
        match &self.montgomery {
            Montgomery::W2048(params) => modexp(params, self.e, signature, k),
            Montgomery::W3072(params) => modexp(params, self.e, signature, k),
            Montgomery::W4096(params) => modexp(params, self.e, signature, k),
        }
    }
}

/// `base^e mod n` by left-to-right square-and-multiply in Montgomery form,
/// as `k` big-endian bytes. `base < n` is the caller's check.
fn modexp<const LIMBS: usize>(
    params: &MontParams<LIMBS>,
    e: u64,
    base: &[u8],
    k: usize,
) -> Option<Vec<u8>> {
    // base * R mod n.
    let base = params.mul(&uint_from_be::<LIMBS>(base)?, &params.r2);
    let mut acc = base;
    // `e >= 3`, so its top bit is bit `top` >= 1; `acc` starts as base^1.
    let top = u64::BITS.checked_sub(e.leading_zeros())?.checked_sub(1)?;
    for bit in (0..top).rev() {
        acc = params.square(&acc);
        if e.checked_shr(bit)? & 1 == 1 {
            acc = params.mul(&acc, &base);
        }
    }
    uint_to_be(&params.reduce(&acc), k)
}

/// Big-endian bytes (at most `LIMBS` words' worth) to a `Uint`.
pub(crate) fn uint_from_be<const LIMBS: usize>(bytes: &[u8]) -> Option<Uint<LIMBS>> {
    let width = LIMBS.checked_mul(WORD_BYTES)?;
    let pad = width.checked_sub(bytes.len())?;
    let mut padded = vec![0u8; width];
    padded.get_mut(pad..)?.copy_from_slice(bytes);
    let mut words = [0 as Word; LIMBS];
    // Little-endian limbs: the last chunk is the least significant word.
    for (word, chunk) in words.iter_mut().zip(padded.chunks_exact(WORD_BYTES).rev()) {
        *word = Word::from_be_bytes(chunk.try_into().ok()?);
    }
    Some(Uint::from_words(words))
}

/// A `Uint` to exactly `len` big-endian bytes, or `None` if it does not fit.
fn uint_to_be<const LIMBS: usize>(value: &Uint<LIMBS>, len: usize) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(LIMBS.checked_mul(WORD_BYTES)?);
    for word in value.as_words().iter().rev() {
        bytes.extend_from_slice(&word.to_be_bytes());
    }
    let pad = bytes.len().checked_sub(len)?;
    if bytes.get(..pad)?.iter().any(|byte| *byte != 0) {
        return None;
    }
    Some(bytes.split_off(pad))
}

/// At most 8 big-endian bytes as an integer.
fn be_u64(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0u64, |acc, byte| (acc << 8) | u64::from(*byte))
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

/// The padding of a JWS RSA algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Padding {
    Pkcs1v15,
    Pss,
}

/// DER of `DigestInfo` up to the digest (RFC 8017 §9.2, note 1).
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

/// `RS256/384/512` and `PS256/384/512` verification with an [`RsaKey`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rsa {
    hash: HashAlgorithm,
    padding: Padding,
}

impl Rsa {
    /// `RS256`: RSASSA-PKCS1-v1_5 with SHA-256.
    pub const fn rs256() -> Rsa {
        Rsa {
            hash: HashAlgorithm::Sha256,
            padding: Padding::Pkcs1v15,
        }
    }

    /// `RS384`: RSASSA-PKCS1-v1_5 with SHA-384.
    pub const fn rs384() -> Rsa {
        Rsa {
            hash: HashAlgorithm::Sha384,
            padding: Padding::Pkcs1v15,
        }
    }

    /// `RS512`: RSASSA-PKCS1-v1_5 with SHA-512.
    pub const fn rs512() -> Rsa {
        Rsa {
            hash: HashAlgorithm::Sha512,
            padding: Padding::Pkcs1v15,
        }
    }

    /// `PS256`: RSASSA-PSS with SHA-256, MGF1-SHA-256, 32-byte salt.
    pub const fn ps256() -> Rsa {
        Rsa {
            hash: HashAlgorithm::Sha256,
            padding: Padding::Pss,
        }
    }

    /// `PS384`: RSASSA-PSS with SHA-384, MGF1-SHA-384, 48-byte salt.
    pub const fn ps384() -> Rsa {
        Rsa {
            hash: HashAlgorithm::Sha384,
            padding: Padding::Pss,
        }
    }

    /// `PS512`: RSASSA-PSS with SHA-512, MGF1-SHA-512, 64-byte salt.
    pub const fn ps512() -> Rsa {
        Rsa {
            hash: HashAlgorithm::Sha512,
            padding: Padding::Pss,
        }
    }

    /// Whether `signature` is a valid signature of `message` under `key`.
    pub fn verify(self, key: &RsaKey, message: &[u8], signature: &[u8]) -> bool {
        let Some(em) = key.public_operation(signature) else {
            return false;
        };
        match (self.padding, self.hash) {
            (Padding::Pkcs1v15, HashAlgorithm::Sha256) => {
                pkcs1v15_matches(&em, &SHA256_PREFIX, &Sha256::digest(message))
            }
            (Padding::Pkcs1v15, HashAlgorithm::Sha384) => {
                pkcs1v15_matches(&em, &SHA384_PREFIX, &Sha384::digest(message))
            }
            (Padding::Pkcs1v15, HashAlgorithm::Sha512) => {
                pkcs1v15_matches(&em, &SHA512_PREFIX, &Sha512::digest(message))
            }
            (Padding::Pss, HashAlgorithm::Sha256) => {
                pss_matches::<Sha256>(&em, key.bits, &Sha256::digest(message))
            }
            (Padding::Pss, HashAlgorithm::Sha384) => {
                pss_matches::<Sha384>(&em, key.bits, &Sha384::digest(message))
            }
            (Padding::Pss, HashAlgorithm::Sha512) => {
                pss_matches::<Sha512>(&em, key.bits, &Sha512::digest(message))
            }
        }
    }
}

/// EMSA-PKCS1-v1_5 (RFC 8017 §9.2) of `digest`, `em.len()` bytes long,
/// compared with `em` in full: `00 01 FF..FF 00 || prefix || digest`, at
/// least eight `FF`.
fn pkcs1v15_matches(em: &[u8], prefix: &[u8], digest: &[u8]) -> bool {
    let Some(padding) = em
        .len()
        .checked_sub(3)
        .and_then(|len| len.checked_sub(prefix.len()))
        .and_then(|len| len.checked_sub(digest.len()))
    else {
        return false;
    };
    if padding < 8 {
        return false;
    }
    let mut expected = Vec::with_capacity(em.len());
    expected.extend_from_slice(&[0x00, 0x01]);
    expected.resize(padding.saturating_add(2), 0xff);
    expected.push(0x00);
    expected.extend_from_slice(prefix);
    expected.extend_from_slice(digest);
    expected == em
}

/// EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with MGF1 over `D` and a salt as long
/// as the hash output. `em` is the `k`-byte output of RSAVP1 for a modulus
/// of `mod_bits` bits.
fn pss_matches<D: Digest>(em: &[u8], mod_bits: usize, m_hash: &[u8]) -> bool {
    pss_matches_inner::<D>(em, mod_bits, m_hash).unwrap_or(false)
}

fn pss_matches_inner<D: Digest>(em: &[u8], mod_bits: usize, m_hash: &[u8]) -> Option<bool> {
    let h_len = <D as Digest>::output_size();
    let s_len = h_len;
    // §8.1.2 step 2c: EM = I2OSP(m, emLen) with emBits = modBits - 1; it
    // fails when m does not fit, so the bytes in front must be zero.
    let em_bits = mod_bits.checked_sub(1)?;
    let em_len = em_bits.div_ceil(8);
    let (front, em) = em.split_at_checked(em.len().checked_sub(em_len)?)?;
    if front.iter().any(|byte| *byte != 0) {
        return Some(false);
    }
    // Step 3.
    if em_len < h_len.checked_add(s_len)?.checked_add(2)? {
        return Some(false);
    }
    // Step 4.
    let (last, rest) = em.split_last()?;
    if *last != 0xbc {
        return Some(false);
    }
    // Step 5.
    let db_len = em_len.checked_sub(h_len)?.checked_sub(1)?;
    let (masked_db, h) = rest.split_at_checked(db_len)?;
    // Step 6: the top 8 * emLen - emBits bits of maskedDB must be zero.
    let zero_bits = em_len.checked_mul(8)?.checked_sub(em_bits)?;
    let keep = 0xffu8.checked_shr(u32::try_from(zero_bits).ok()?)?;
    if masked_db.first()? & !keep != 0 {
        return Some(false);
    }
    // Steps 7 and 8.
    let mut db = masked_db.to_vec();
    mgf1_xor::<D>(&mut db, h)?;
    // Step 9.
    *db.first_mut()? &= keep;
    // Step 10: emLen - hLen - sLen - 2 zero bytes, then 0x01.
    let ps_len = db_len.checked_sub(s_len)?.checked_sub(1)?;
    let (ps, rest) = db.split_at_checked(ps_len)?;
    let (one, salt) = rest.split_first()?;
    if ps.iter().any(|byte| *byte != 0) || *one != 0x01 || salt.len() != s_len {
        return Some(false);
    }
    // Steps 12 to 14.
    let h_prime = D::new()
        .chain_update([0u8; 8])
        .chain_update(m_hash)
        .chain_update(salt)
        .finalize();
    Some(h_prime.iter().eq(h.iter()))
}

/// `out ^= MGF1(seed, out.len())` (RFC 8017 §B.2.1) with hash `D`.
fn mgf1_xor<D: Digest>(out: &mut [u8], seed: &[u8]) -> Option<()> {
    let h_len = <D as Digest>::output_size();
    if h_len == 0 {
        return None;
    }
    for (counter, chunk) in out.chunks_mut(h_len).enumerate() {
        let counter = u32::try_from(counter).ok()?;
        let block = D::new()
            .chain_update(seed)
            .chain_update(counter.to_be_bytes())
            .finalize();
        for (byte, mask) in chunk.iter_mut().zip(block.iter()) {
            *byte ^= mask;
        }
    }
    Some(())
}
