//! JSON-P: `?callback=<name>` wraps a 200's JSON as `/**/<name>(<json>);`, `text/javascript`.
//!
//! The name is echoed into a script, so it is only accepted when it is a JavaScript identifier or a
//! dotted path of identifiers (`cb`, `jQuery123_456`, `a.b.c`, `$`, `_x`), the real service's rule
//! restricted to ASCII, as the contract is; anything else is refused with 400 and never echoed.
//! (The real 2015 service failed with an HTML 500 page there; `--marketplace-real-bug
//! invalid-callback-500` reproduces it.) An empty or blank `callback` means no callback.

/// What to do with a request's `callback` parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    /// No callback (absent, empty or blank): plain JSON.
    None,
    /// A safe name: wrap the body.
    Wrap(String),
    /// Not an identifier path: refuse.
    Refused,
}

/// The refusal message (the contract's `callbackRefused` example).
pub const REFUSED_MESSAGE: &str = "Invalid callback: expected a JavaScript identifier or a dotted path of identifiers.";

/// Whether `name` is an ASCII identifier path: `[$A-Za-z_][$0-9A-Za-z_]*` separated by single dots.
pub fn is_safe_callback(name: &str) -> bool {
    !name.is_empty()
        && name.split('.').all(|part| {
            let mut chars = part.chars();
            chars.next().is_some_and(|c| c == '$' || c == '_' || c.is_ascii_alphabetic())
                && chars.all(|c| c == '$' || c == '_' || c.is_ascii_alphanumeric())
        })
}

impl Callback {
    /// Classify a `callback` query value (the raw, untrimmed value is what is checked).
    pub fn from_query(value: Option<&str>) -> Callback {
        match value {
            None => Callback::None,
            Some(v) if v.trim().is_empty() => Callback::None,
            Some(v) if is_safe_callback(v) => Callback::Wrap(v.to_string()),
            Some(_) => Callback::Refused,
        }
    }
}

/// The JSON-P body for `json`.
pub fn wrap(callback: &str, json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() + callback.len() + 7);
    out.extend_from_slice(b"/**/");
    out.extend_from_slice(callback.as_bytes());
    out.push(b'(');
    out.extend_from_slice(json);
    out.extend_from_slice(b");");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_paths_are_accepted_and_nothing_else() {
        for good in ["cb", "jQuery123_456", "a.b.c", "$", "_x", "$.fn"] {
            assert!(is_safe_callback(good), "{good}");
        }
        for bad in [
            "1cb",
            "a-b",
            "cb()",
            "a..b",
            "cb ",
            "alert(1)//",
            "a.",
            ".a",
            "x;alert(1)",
            "</script><script>alert(1)</script>",
            "cb\u{2028}",
            "é",
        ] {
            assert!(!is_safe_callback(bad), "{bad:?}");
        }
    }

    #[test]
    fn blank_means_none() {
        assert_eq!(Callback::from_query(Some("  ")), Callback::None);
        assert_eq!(Callback::from_query(Some("cb ")), Callback::Refused);
        assert_eq!(wrap("cb", b"{}"), b"/**/cb({});");
    }
}
