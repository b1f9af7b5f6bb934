//! Finding the bearer token in a request: configured headers (with a value
//! prefix, compared ignoring ASCII case) and query parameters.

use crate::config::TokenSource;

/// Where the token was found, so that it can be removed before forwarding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// In the named request header (lower case).
    Header(String),
    /// In the named query parameter.
    Param(String),
}

/// The outcome of looking for a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Extracted {
    /// No token in any configured place.
    Missing,
    /// Exactly one token.
    One {
        /// The token text.
        token: String,
        /// Where it was.
        location: Location,
    },
    /// More than one token (RFC 6750 §2: `invalid_request`).
    Several,
}

/// Looks for a token in `headers` (names lower case, as Envoy gives them)
/// and the query of `path`, in the places `sources` lists.
pub fn extract(sources: &[TokenSource], headers: &[(String, String)], path: &str) -> Extracted {
    let mut found: Option<(String, Location)> = None;
    let mut count: usize = 0;
    for source in sources {
        match source {
            TokenSource::Header { name, prefix } => {
                for (header, value) in headers {
                    if header != name {
                        continue;
                    }
                    if let Some(token) = strip_prefix_ignore_case(value, prefix) {
                        let token = token.trim();
                        if token.is_empty() {
                            continue;
                        }
                        count = count.saturating_add(1);
                        if found.is_none() {
                            found = Some((token.to_string(), Location::Header(name.clone())));
                        }
                    }
                }
            }
            TokenSource::Param(param) => {
                for value in query_values(path, param) {
                    if value.is_empty() {
                        continue;
                    }
                    count = count.saturating_add(1);
                    if found.is_none() {
                        found = Some((value, Location::Param(param.clone())));
                    }
                }
            }
        }
    }
    match (count, found) {
        (0, _) | (_, None) => Extracted::Missing,
        (1, Some((token, location))) => Extracted::One { token, location },
        _ => Extracted::Several,
    }
}

fn strip_prefix_ignore_case<'a>(value: &'a str, prefix: &str) -> Option<&'a str> {
    let head = value.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        value.get(prefix.len()..)
    } else {
        None
    }
}

/// The path without its query string.
pub fn path_only(path: &str) -> &str {
    path.split(['?', '#']).next().unwrap_or(path)
}

fn query(path: &str) -> &str {
    match path.split_once('?') {
        Some((_, rest)) => rest.split('#').next().unwrap_or(rest),
        None => "",
    }
}

/// Every value of query parameter `name` (percent-decoded; tokens are
/// base64url and dots, so a decoding failure keeps the raw text).
fn query_values(path: &str, name: &str) -> Vec<String> {
    query(path)
        .split('&')
        .filter_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (key == name).then(|| percent_decode(value))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0usize;
    while let Some(&byte) = bytes.get(i) {
        if byte == b'%' {
            let hex = bytes
                .get(i.saturating_add(1)..i.saturating_add(3))
                // from_str_radix alone would take "+f" (a sign) as 15.
                .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(decoded) = hex {
                out.push(decoded);
                i = i.saturating_add(3);
                continue;
            }
        }
        out.push(if byte == b'+' { b' ' } else { byte });
        i = i.saturating_add(1);
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// `path` with every occurrence of query parameter `name` removed.
pub fn remove_param(path: &str, name: &str) -> String {
    let Some((base, rest)) = path.split_once('?') else {
        return path.to_string();
    };
    let (query, fragment) = match rest.split_once('#') {
        Some((query, fragment)) => (query, Some(fragment)),
        None => (rest, None),
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let key = pair.split_once('=').map_or(*pair, |(key, _)| key);
            key != name && !pair.is_empty()
        })
        .collect();
    let mut out = base.to_string();
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bearer() -> Vec<TokenSource> {
        vec![
            TokenSource::Header {
                name: "authorization".into(),
                prefix: "Bearer ".into(),
            },
            TokenSource::Param("access_token".into()),
        ]
    }

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn bearer_scheme_is_case_insensitive() {
        let got = extract(&bearer(), &h(&[("authorization", "bEaReR abc")]), "/");
        assert_eq!(
            got,
            Extracted::One {
                token: "abc".into(),
                location: Location::Header("authorization".into())
            }
        );
    }

    #[test]
    fn other_scheme_is_missing() {
        let got = extract(&bearer(), &h(&[("authorization", "Basic abc")]), "/");
        assert_eq!(got, Extracted::Missing);
        assert_eq!(
            extract(&bearer(), &h(&[("authorization", "Bear")]), "/"),
            Extracted::Missing
        );
    }

    #[test]
    fn two_tokens_are_several() {
        let got = extract(
            &bearer(),
            &h(&[("authorization", "Bearer a")]),
            "/x?access_token=b",
        );
        assert_eq!(got, Extracted::Several);
        let got = extract(
            &bearer(),
            &h(&[("authorization", "Bearer a"), ("authorization", "Bearer b")]),
            "/",
        );
        assert_eq!(got, Extracted::Several);
    }

    #[test]
    fn param_is_found_and_removed() {
        let got = extract(&bearer(), &[], "/x?a=1&access_token=t.k.n&b=2");
        assert_eq!(
            got,
            Extracted::One {
                token: "t.k.n".into(),
                location: Location::Param("access_token".into())
            }
        );
        assert_eq!(
            remove_param("/x?a=1&access_token=t&b=2", "access_token"),
            "/x?a=1&b=2"
        );
        assert_eq!(remove_param("/x?access_token=t", "access_token"), "/x");
        assert_eq!(path_only("/x?y#z"), "/x");
        assert_eq!(percent_decode("%zz%41+"), "%zzA ");
        assert_eq!(percent_decode("%+f%-1%4"), "% f%-1%4");
    }

    proptest::proptest! {
        #[test]
        fn any_request_is_an_answer_not_a_panic(
            headers in proptest::collection::vec(("[a-z]{1,13}", "\\PC{0,120}"), 0..4),
            path in "\\PC{0,160}",
        ) {
            let _ = extract(&bearer(), &headers, &path);
        }

        /// What the filter forwards upstream never carries the query token.
        #[test]
        fn a_removed_param_is_gone(path in "/[a-z]{0,3}(\\?((access_token|access_tokens|a|)(=[a-z%+.0-9]{0,8})?&?){0,4})?(#[a-z?=&_]{0,12})?") {
            let sources = [TokenSource::Param("access_token".into())];
            let stripped = remove_param(&path, "access_token");
            proptest::prop_assert_eq!(extract(&sources, &[], &stripped), Extracted::Missing, "{}", stripped);
        }
    }
}
