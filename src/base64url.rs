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
    // A length of 1 mod 4 cannot come from any byte string.
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let mut chunks = text.chunks_exact(4);
    for chunk in &mut chunks {
        let mut word = 0u32;
        for &byte in chunk {
            word = (word << 6) | u32::from(sextet(byte)?);
        }
        out.extend_from_slice(&word.to_be_bytes()[1..]);
    }
    let rest = chunks.remainder();
    let mut word = 0u32;
    for &byte in rest {
        word = (word << 6) | u32::from(sextet(byte)?);
    }
    match rest.len() {
        0 => {}
        // 12 bits: one byte and 4 trailing bits that must be zero.
        2 if word & 0xf == 0 => out.push((word >> 4) as u8),
        // 18 bits: two bytes and 2 trailing bits that must be zero.
        3 if word & 0x3 == 0 => out.extend_from_slice(&((word >> 2) as u16).to_be_bytes()),
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
