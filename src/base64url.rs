//! Canonical, unpadded base64url (RFC 7515 §2): padding, bytes outside the
//! alphabet and non-zero trailing bits are all rejected, so every byte string
//! has exactly one accepted encoding.

use alloc::{string::String, vec::Vec};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};

/// Decodes canonical unpadded base64url; `None` on any deviation.
pub fn decode(text: &[u8]) -> Option<Vec<u8>> {
    // `URL_SAFE_NO_PAD` requires no padding and rejects non-zero trailing bits.
    URL_SAFE_NO_PAD.decode(text).ok()
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
        assert_eq!(decode(b"YQ=="), None, "padding");
        assert_eq!(decode(b"YR"), None, "non-zero trailing bits");
        assert_eq!(decode(b"Y+"), None, "standard alphabet");
        assert_eq!(decode(b"Y Q"), None, "whitespace");
        assert_eq!(decode(b"Y"), None, "impossible length");
        assert_eq!(decode(b"").as_deref(), Some(&b""[..]));
    }
}
