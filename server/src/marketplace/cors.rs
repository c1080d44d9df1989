//! Cross Origin Resource Sharing: "for AJAX requests from any origin", as documented, with the
//! allowed origins optionally restricted (`--marketplace-cors-origin`).
//!
//! Only requests with an `Origin` header are concerned. A preflight (`OPTIONS` with
//! `Access-Control-Request-Method`) is answered here, before the token checks, with 204 and the
//! real service's headers; an origin that is not allowed gets 403 with an empty body. Other
//! cross-origin requests go on, and their answers carry `Access-Control-Allow-Origin` (the origin
//! as sent) and `Access-Control-Allow-Credentials: true`.
//!
//! The real R1 service failed a cross-origin GET that had no preflight of the same URI in the
//! previous 10 seconds (an HTML 500); standin answers it, as the document says it works.

/// `Access-Control-Allow-Headers` of a preflight (the real list).
pub const ALLOW_HEADERS: &str = "origin, content-type, accept, authorization, x-requested-with";
/// `Access-Control-Allow-Methods` of a preflight (the real list).
pub const ALLOW_METHODS: &str = "GET, POST, OPTIONS, PUT, DELETE";
/// `Access-Control-Max-Age` of a preflight, in seconds (the real default).
pub const MAX_AGE: &str = "3200";

/// Which origins may call the API.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum AllowedOrigins {
    /// Any origin (the documented default).
    #[default]
    Any,
    /// Only these (compared after normalisation: scheme and host lower-cased, no trailing `/`).
    Only(Vec<String>),
}

fn canonical(origin: &str) -> String {
    let normalized = super::auth::normalize_origin(origin);
    normalized.trim_end_matches('/').to_string()
}

impl AllowedOrigins {
    pub fn from_list(origins: &[String]) -> Self {
        if origins.is_empty() || origins.iter().any(|o| o == "*") {
            AllowedOrigins::Any
        } else {
            AllowedOrigins::Only(origins.iter().map(|o| canonical(o)).collect())
        }
    }

    /// Whether `origin` may call the API. An origin without a host (`null`, `www.test.com`) never
    /// may, as in the real service.
    pub fn allows(&self, origin: &str) -> bool {
        let has_host = origin
            .split_once("://")
            .is_some_and(|(scheme, rest)| !scheme.is_empty() && !rest.trim_start_matches('/').is_empty());
        has_host
            && match self {
                AllowedOrigins::Any => true,
                AllowedOrigins::Only(list) => list.contains(&canonical(origin)),
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_origin_by_default_and_a_list_when_configured() {
        assert!(AllowedOrigins::Any.allows("http://127.0.0.1:9000"));
        assert!(!AllowedOrigins::Any.allows("null"));
        assert!(!AllowedOrigins::Any.allows("www.test.com"));
        let only = AllowedOrigins::from_list(&["https://App.example.com/".into()]);
        assert!(only.allows("https://app.example.com"));
        assert!(only.allows("https://app.example.com:443"));
        assert!(!only.allows("https://evil.example.com"));
        assert_eq!(AllowedOrigins::from_list(&["*".into()]), AllowedOrigins::Any);
    }
}
