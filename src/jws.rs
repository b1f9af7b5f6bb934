//! Strict compact-JWS splitting and decoding (RFC 7515 §7.1), done before
//! anything in the token is trusted.

use crate::json::Map;
use alloc::{borrow::Cow, format, string::String, vec::Vec};
use core::cell::OnceCell;

use crate::algorithm::Algorithm;
use crate::base64url;
use crate::error::{Error, ErrorCode};
use crate::header::Header;
use crate::json;

/// Default cap on a whole token, in bytes.
pub const DEFAULT_MAX_TOKEN_BYTES: usize = 16 * 1024;

/// A token whose header passed the checks but whose signature is not yet verified.
///
/// It borrows the token text; [`UntrustedToken::into_owned`] makes a copy
/// that can outlive it (kept across an asynchronous signature check).
#[derive(Debug, Clone)]
pub struct UntrustedToken<'a> {
    header: Header,
    /// The header JSON as sent (decoded, checked).
    header_json: Vec<u8>,
    /// The payload JSON as sent, once decoded.
    payload_json: OnceCell<Vec<u8>>,
    /// The whole token text.
    text: Cow<'a, str>,
    /// Length of `BASE64URL(header) '.' BASE64URL(payload)` within `text`.
    signing_len: usize,
    /// Length of `BASE64URL(header)` within `text`.
    header_len: usize,
    signature: Vec<u8>,
}

impl<'a> UntrustedToken<'a> {
    /// Splits and checks `token`: size cap, exactly three non-empty parts,
    /// canonical base64url, a strict header object, `alg` in `allowed`.
    pub fn parse(token: &'a str, max_bytes: usize, allowed: &[Algorithm]) -> Result<Self, Error> {
        let (header_b64, payload_b64, signature_b64) = split(token, max_bytes)?;
        let header_json = decode_part(header_b64, "header")?;
        let header = Header::from_object(parse_part(&header_json, "header")?, allowed)?;
        // An empty signature is judged after the header, so that `alg: none`
        // tokens are reported as `algorithm_not_allowed`.
        let signature = base64url::decode(signature_b64.as_bytes())
            .filter(|signature| !signature.is_empty())
            .ok_or_else(|| malformed("signature is empty or not canonical base64url"))?;
        let signing_len = header_b64.len() + 1 + payload_b64.len();
        if token.get(..signing_len).is_none() {
            return Err(malformed("token is not splittable"));
        }
        Ok(UntrustedToken {
            header,
            header_json,
            payload_json: OnceCell::new(),
            text: Cow::Borrowed(token),
            signing_len,
            header_len: header_b64.len(),
            signature,
        })
    }

    /// The same token, owning a copy of its text.
    pub fn into_owned(self) -> UntrustedToken<'static> {
        UntrustedToken {
            header: self.header,
            header_json: self.header_json,
            payload_json: self.payload_json,
            text: Cow::Owned(self.text.into_owned()),
            signing_len: self.signing_len,
            header_len: self.header_len,
            signature: self.signature,
        }
    }

    /// The checked header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// `BASE64URL(header) || '.' || BASE64URL(payload)`: what the signature covers.
    pub fn signing_input(&self) -> &str {
        self.text.get(..self.signing_len).unwrap_or_default()
    }

    /// The header JSON exactly as sent (it passed the strict parse).
    pub fn header_json(&self) -> &[u8] {
        &self.header_json
    }

    /// The header, still base64url-encoded.
    pub fn header_b64(&self) -> &str {
        self.text.get(..self.header_len).unwrap_or_default()
    }

    /// The payload, still base64url-encoded.
    pub fn payload_b64(&self) -> &str {
        self.signing_input()
            .get(self.header_len + 1..)
            .unwrap_or_default()
    }

    /// The decoded signature bytes.
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// The payload JSON as sent: base64url-decoded (once; later calls and
    /// [`UntrustedToken::payload`] reuse it) but not parsed or checked.
    pub fn payload_json(&self) -> Result<&[u8], Error> {
        if let Some(json) = self.payload_json.get() {
            return Ok(json);
        }
        let json = decode_part(self.payload_b64(), "payload")?;
        Ok(self.payload_json.get_or_init(|| json))
    }

    /// Decodes the payload as a strict JSON object. Call only after the
    /// signature verified: claims are not parsed before that.
    pub fn payload(&self) -> Result<Map, Error> {
        parse_part(self.payload_json()?, "payload")
    }

    /// Consumes the token, keeping the header and the token text.
    pub fn into_header_and_text(self) -> (Header, Cow<'a, str>) {
        (self.header, self.text)
    }
}

/// Header and payload of a token decoded without verification.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The JOSE header members.
    pub header: Map,
    /// The claims.
    pub payload: Map,
}

/// Decodes header and payload without verifying anything (for tooling).
pub fn decode_unverified(token: &str, max_bytes: usize) -> Result<Decoded, Error> {
    let (header_b64, payload_b64, signature_b64) = split(token, max_bytes)?;
    let header = decode_object(header_b64, "header")?;
    let payload = decode_object(payload_b64, "payload")?;
    base64url::decode(signature_b64.as_bytes())
        .ok_or_else(|| malformed("signature is not canonical base64url"))?;
    Ok(Decoded { header, payload })
}

fn split(token: &str, max_bytes: usize) -> Result<(&str, &str, &str), Error> {
    if token.len() > max_bytes {
        return Err(malformed(&format!(
            "token is {} bytes, more than the limit of {max_bytes}",
            token.len()
        )));
    }
    let mut parts = token.split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(header), Some(payload), Some(signature), None)
            if !header.is_empty() && !payload.is_empty() =>
        {
            Ok((header, payload, signature))
        }
        (_, _, _, Some(_)) => Err(malformed(
            "token has more than three parts (JWE and JSON serialisations are not accepted)",
        )),
        _ => Err(malformed(
            "token is not three base64url parts with a non-empty header and payload",
        )),
    }
}

fn decode_object(part: &str, what: &str) -> Result<Map, Error> {
    parse_part(&decode_part(part, what)?, what)
}

fn decode_part(part: &str, what: &str) -> Result<Vec<u8>, Error> {
    base64url::decode(part.as_bytes())
        .ok_or_else(|| malformed(&format!("{what} is not canonical base64url")))
}

fn parse_part(json: &[u8], what: &str) -> Result<Map, Error> {
    json::parse_object(json)
        .map_err(|err| malformed(&format!("{what} is not a valid JSON object: {err}")))
}

fn malformed(what: &str) -> Error {
    Error::new(ErrorCode::TokenMalformed, String::from(what))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(text: &str) -> String {
        base64url::encode(text.as_bytes())
    }

    #[test]
    fn owned_copy_and_raw_json_parts() {
        let header = r#"{"alg":"HS256","typ":"JWT","kid":"k"}"#;
        let payload = r#"{"sub":"a","iat":1}"#;
        let (owned, expected_header, expected_input, expected_payload) = {
            let token = format!("{}.{}.{}", b64(header), b64(payload), b64("sig"));
            let parsed = UntrustedToken::parse(&token, 4096, &[Algorithm::HS256]).unwrap();
            assert_eq!(parsed.header_json(), header.as_bytes());
            assert_eq!(parsed.payload_json().unwrap(), payload.as_bytes());
            let expected = (
                parsed.header().clone(),
                String::from(parsed.signing_input()),
                parsed.payload().unwrap(),
            );
            (parsed.into_owned(), expected.0, expected.1, expected.2)
        };
        // The token text is gone; the owned copy has everything.
        assert_eq!(owned.header(), &expected_header);
        assert_eq!(owned.signing_input(), expected_input);
        assert_eq!(owned.header_b64(), b64(header));
        assert_eq!(owned.payload_b64(), b64(payload));
        assert_eq!(owned.signature(), b"sig");
        assert_eq!(owned.payload_json().unwrap(), payload.as_bytes());
        assert_eq!(owned.payload().unwrap(), expected_payload);
    }

    #[test]
    fn payload_errors_are_unchanged() {
        let header = b64(r#"{"alg":"HS256"}"#);
        for (payload, message) in [
            ("e3!0", "payload is not canonical base64url"),
            (
                b64(r#"{"a":1,"a":2}"#).as_str(),
                "payload is not a valid JSON object",
            ),
        ] {
            let token = format!("{header}.{payload}.{}", b64("sig"));
            let parsed = UntrustedToken::parse(&token, 4096, &[Algorithm::HS256]).unwrap();
            let error = parsed.payload().unwrap_err();
            assert_eq!(error.code(), ErrorCode::TokenMalformed);
            assert!(
                error.description().starts_with(message),
                "{}",
                error.description()
            );
            assert_eq!(parsed.payload_json().is_err(), payload.contains('!'));
        }
    }
}
