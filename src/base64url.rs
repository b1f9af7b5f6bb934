//! Canonical, unpadded base64url (RFC 7515 §2): padding, bytes outside the
//! alphabet and non-zero trailing bits are all rejected, so every byte string
//! has exactly one accepted encoding.
//!
//! Decoding is our own: on the token path it was 17% of everything but the
//! signature with the `base64` crate's general-purpose engine (measured with
//! callgrind on `benches/verify.rs`), and a table decoder of a few lines does
//! it in about a third of the instructions. Its output is checked against
//! the `base64` crate by a property test. Encoding uses the crate.

use alloc::{string::String, vec::Vec};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};

/// Marks a byte outside the base64url alphabet.
const INVALID: u8 = 0xff;

/// Sextet value of each byte, or [`INVALID`].
const DECODE: [u8; 256] = {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Decodes canonical unpadded base64url; `None` on any deviation.
pub fn decode(text: &[u8]) -> Option<Vec<u8>> {
    let tail_bytes = match text.len() % 4 {
        0 => 0,
        2 => 1,
        3 => 2,
        // A length of 1 mod 4 cannot come from any byte string.
        _ => return None,
    };
    let mut out = alloc::vec![0u8; text.len() / 4 * 3 + tail_bytes];
    // Straight-line code on four-byte slices, with no closures or zipped
    // iterators: the core is built for size in the npm package ("s"), where
    // those are not inlined and this loop ran five times slower.
    let mut rest = text;
    let mut written = 0;
    while let Some(([a, b, c, d], tail)) = rest.split_first_chunk::<4>() {
        let (a, b, c, d) = (
            DECODE[usize::from(*a)],
            DECODE[usize::from(*b)],
            DECODE[usize::from(*c)],
            DECODE[usize::from(*d)],
        );
        // INVALID has the high bit set; valid sextets never do.
        if (a | b | c | d) & 0x80 != 0 {
            return None;
        }
        let word = u32::from(a) << 18 | u32::from(b) << 12 | u32::from(c) << 6 | u32::from(d);
        if let Some([x, y, z]) = out.get_mut(written..written + 3) {
            [*x, *y, *z] = [(word >> 16) as u8, (word >> 8) as u8, word as u8];
        }
        written += 3;
        rest = tail;
    }
    let mut word = 0u32;
    for &byte in rest {
        word = (word << 6) | u32::from(sextet(byte)?);
    }
    match out.get_mut(written..) {
        Some([]) => {}
        // 12 bits: one byte and 4 trailing bits that must be zero.
        Some([x]) if word & 0xf == 0 => *x = (word >> 4) as u8,
        // 18 bits: two bytes and 2 trailing bits that must be zero.
        Some([x, y]) if word & 0x3 == 0 => [*x, *y] = [(word >> 10) as u8, (word >> 2) as u8],
        _ => return None,
    }
    Some(out)
}

fn sextet(byte: u8) -> Option<u8> {
    let value = DECODE[usize::from(byte)];
    (value != INVALID).then_some(value)
}

/// Encodes as unpadded base64url.
pub fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_non_canonical_forms() {
        assert_eq!(decode(b"YQ").as_deref(), Some(&b"a"[..]));
        assert_eq!(decode(b"YWI").as_deref(), Some(&b"ab"[..]));
        assert_eq!(decode(b"YWJj").as_deref(), Some(&b"abc"[..]));
        assert_eq!(decode(b"YQ=="), None, "padding");
        assert_eq!(decode(b"YR"), None, "non-zero trailing bits");
        assert_eq!(decode(b"YWJ"), None, "non-zero trailing bits");
        assert_eq!(decode(b"Y+"), None, "standard alphabet");
        assert_eq!(decode(b"Y Q"), None, "whitespace");
        assert_eq!(decode(b"Y"), None, "impossible length");
        assert_eq!(decode(b"YWJjY"), None, "impossible length");
        assert_eq!(decode(b"").as_deref(), Some(&b""[..]));
    }
}
