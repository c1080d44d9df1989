//! OAuth 2.0 bearer tokens, checked as the real resource server checks them (R1), against a tokens
//! file instead of the authorization server's introspection endpoint.
//!
//! The checks run in the real order, and each failure has the real status, body and
//! `WWW-Authenticate` header (see `OAuth2Failure`):
//! 1. a token at all: the `Authorization` header (`Bearer <token>`), else the `access_token` query
//!    parameter; none is 400 `missing access token`, an empty one 400 `invalid request`;
//! 2. known and not expired: otherwise 401 `invalid_token`;
//! 3. meant for this host (when the token names an audience): otherwise 401 `invalid_token`;
//! 4. for JavaScript clients, sent from one of the client's origins: otherwise 403 `invalid origin`;
//! 5. granting the endpoint's scope: otherwise 403 `insufficient_scope`.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::endpoints::Resource;

/// The token of the built-in client, granting all three read scopes.
pub const DEFAULT_TOKEN: &str = "marketplace-token";
/// A built-in token granting only the public clouds scope.
pub const PUBLIC_CLOUDS_TOKEN: &str = "marketplace-public-clouds-token";
/// A built-in token that expired on 2015-01-01.
pub const EXPIRED_TOKEN: &str = "marketplace-expired-token";

/// What the authorization server knows about one access token.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenInfo {
    /// The granted scopes, space-separated, as introspection returns them.
    pub scope: String,
    #[serde(default)]
    pub client_id: String,
    /// When the token stops being valid; never when absent.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    /// The hosts the token is meant for, space-separated; any host when absent.
    #[serde(default)]
    pub audience: Option<String>,
    /// `WEB_APPLICATION`, `SERVICE`, `JS_CLIENT`, ...; a `JS_CLIENT` token is only good from its
    /// `allowed_origins`.
    #[serde(default = "default_application_type")]
    pub application_type: String,
    #[serde(default)]
    pub allowed_origins: Vec<String>,
}

fn default_application_type() -> String {
    "WEB_APPLICATION".into()
}

/// Every token the stand-in's authorization server knows.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tokens {
    pub tokens: BTreeMap<String, TokenInfo>,
}

impl Tokens {
    /// The built-in tokens, with scopes under `scope_base`.
    pub fn builtin(scope_base: &str) -> Self {
        let all: Vec<String> = Resource::ALL.iter().map(|r| r.scope(scope_base)).collect();
        let token = |scope: String, expires_at: Option<DateTime<Utc>>| TokenInfo {
            scope,
            client_id: "standin-marketplace-client".into(),
            expires_at,
            audience: None,
            application_type: default_application_type(),
            allowed_origins: Vec::new(),
        };
        let expired = DateTime::parse_from_rfc3339("2015-01-01T00:00:00Z").expect("valid date").to_utc();
        let mut tokens = BTreeMap::new();
        tokens.insert(DEFAULT_TOKEN.to_string(), token(all.join(" "), None));
        tokens.insert(PUBLIC_CLOUDS_TOKEN.to_string(), token(Resource::PublicClouds.scope(scope_base), None));
        tokens.insert(EXPIRED_TOKEN.to_string(), token(all.join(" "), Some(expired)));
        Tokens { tokens }
    }

    /// A YAML or JSON file: `tokens: {<token>: {scope, client_id, expires_at, audience,
    /// application_type, allowed_origins}}`.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the marketplace tokens file {}", path.display()))?;
        serde_norway::from_str(&text)
            .with_context(|| format!("the marketplace tokens file {} is not valid", path.display()))
    }
}

/// An OAuth 2.0 error code of the resource server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuth2ErrorCode {
    InvalidRequest,
    InvalidToken,
    UnauthorizedClient,
    InsufficientScope,
}

impl OAuth2ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            OAuth2ErrorCode::InvalidRequest => "invalid_request",
            OAuth2ErrorCode::InvalidToken => "invalid_token",
            OAuth2ErrorCode::UnauthorizedClient => "unauthorized_client",
            OAuth2ErrorCode::InsufficientScope => "insufficient_scope",
        }
    }
}

/// Why a request's token was refused, with everything its answer needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuth2Failure {
    pub status: u16,
    pub code: OAuth2ErrorCode,
    pub description: &'static str,
    /// The endpoint's scopes, for `insufficient_scope` only.
    pub scope: Option<String>,
}

pub const MISSING_TOKEN: &str = "missing access token";
pub const INVALID_REQUEST: &str = "invalid request";
pub const INVALID_TOKEN: &str =
    "the access token provided is expired, revoked, malformed, or invalid for other reasons.";
pub const INVALID_ORIGIN: &str = "invalid origin";
pub const INSUFFICIENT_SCOPE: &str = "the request requires higher privileges than provided by the access token";

impl OAuth2Failure {
    fn new(status: u16, code: OAuth2ErrorCode, description: &'static str) -> Self {
        OAuth2Failure { status, code, description, scope: None }
    }

    /// `Bearer realm="<host>", error="<code>", error_description="<text>"[, scope="<scopes>"]`
    /// (nothing inside the quotes is escaped, as in the real service).
    pub fn www_authenticate(&self, realm: &str) -> String {
        let mut value = format!(
            "Bearer realm=\"{realm}\", error=\"{}\", error_description=\"{}\"",
            self.code.as_str(),
            self.description
        );
        if let Some(scope) = &self.scope {
            value.push_str(&format!(", scope=\"{scope}\""));
        }
        value
    }
}

/// The parts of a request the token checks look at.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokenRequest<'a> {
    pub authorization: Option<&'a str>,
    /// The `access_token` query parameter.
    pub access_token: Option<&'a str>,
    /// The request host, lower-cased, without the port.
    pub host: &'a str,
    pub origin: Option<&'a str>,
}

/// The client a request was authorised for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub client_id: String,
}

/// The token of a request (step 1).
fn token_of<'a>(req: &TokenRequest<'a>) -> Result<&'a str, OAuth2Failure> {
    let invalid = || OAuth2Failure::new(400, OAuth2ErrorCode::InvalidRequest, INVALID_REQUEST);
    if let Some(header) = req.authorization.filter(|h| !h.is_empty()) {
        let first = header.split(',').next().unwrap_or_default();
        let trimmed = first.trim_start();
        let token = match trimmed.strip_prefix("Bearer") {
            Some(rest) if rest.starts_with(char::is_whitespace) => rest.trim(),
            _ => first.trim(),
        };
        if token.is_empty() || token == "Bearer" {
            return Err(invalid());
        }
        return Ok(token);
    }
    match req.access_token {
        Some(token) if !token.trim().is_empty() => Ok(token.trim()),
        Some(_) => Err(invalid()),
        None => Err(OAuth2Failure::new(400, OAuth2ErrorCode::InvalidRequest, MISSING_TOKEN)),
    }
}

/// An origin as glenscott/url-normalizer writes it: scheme and host lower-cased, the default port
/// dropped, and `/` as the path when there is none.
pub fn normalize_origin(origin: &str) -> String {
    let origin = origin.trim();
    let Some((scheme, rest)) = origin.split_once("://") else { return origin.to_string() };
    let scheme = scheme.to_ascii_lowercase();
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let mut authority = authority.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => Some(":80"),
        "https" => Some(":443"),
        _ => None,
    };
    if let Some(port) = default_port
        && authority.ends_with(port)
    {
        authority.truncate(authority.len() - port.len());
    }
    format!("{scheme}://{authority}{path}")
}

impl Tokens {
    /// Check a request's token for an endpoint that requires `required_scope` (steps 1 to 5).
    pub fn authorize(
        &self,
        req: &TokenRequest<'_>,
        required_scope: &str,
        now: DateTime<Utc>,
    ) -> Result<Caller, OAuth2Failure> {
        let token = token_of(req)?;
        let invalid_token = || OAuth2Failure::new(401, OAuth2ErrorCode::InvalidToken, INVALID_TOKEN);
        let info = self.tokens.get(token).ok_or_else(invalid_token)?;
        if info.expires_at.is_some_and(|at| at <= now) {
            return Err(invalid_token());
        }
        if let Some(audience) = &info.audience
            && !audience.split(' ').any(|host| host.eq_ignore_ascii_case(req.host))
        {
            return Err(invalid_token());
        }
        if info.application_type == "JS_CLIENT" {
            let allowed = info.allowed_origins.join(" ");
            let from_allowed = req.origin.is_some_and(|o| allowed.contains(&normalize_origin(o)));
            if !from_allowed {
                return Err(OAuth2Failure::new(403, OAuth2ErrorCode::UnauthorizedClient, INVALID_ORIGIN));
            }
        }
        if !info.scope.split(' ').any(|granted| granted == required_scope) {
            return Err(OAuth2Failure {
                scope: Some(required_scope.to_string()),
                ..OAuth2Failure::new(403, OAuth2ErrorCode::InsufficientScope, INSUFFICIENT_SCOPE)
            });
        }
        Ok(Caller { client_id: info.client_id.clone() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://openstackid-resources.org";

    fn check(authorization: Option<&str>, access_token: Option<&str>) -> Result<Caller, OAuth2Failure> {
        let tokens = Tokens::builtin(BASE);
        let req = TokenRequest { authorization, access_token, host: "localhost", origin: None };
        tokens.authorize(&req, &Resource::PublicClouds.scope(BASE), Utc::now())
    }

    #[test]
    fn the_token_comes_from_the_header_then_the_query() {
        assert!(check(Some("Bearer marketplace-token"), None).is_ok());
        assert!(check(Some("  Bearer   marketplace-token  , more"), None).is_ok());
        assert!(check(None, Some("marketplace-token")).is_ok());
        assert_eq!(check(None, None).unwrap_err().description, MISSING_TOKEN);
        assert_eq!(check(Some("Bearer "), None).unwrap_err().description, INVALID_REQUEST);
        assert_eq!(check(Some("Bearer"), None).unwrap_err().description, INVALID_REQUEST);
        // "bearer" is case-sensitive: the whole value is taken as the token, which is unknown.
        assert_eq!(check(Some("bearer marketplace-token"), None).unwrap_err().status, 401);
    }

    #[test]
    fn expiry_and_scope_are_checked() {
        assert_eq!(check(Some("Bearer marketplace-expired-token"), None).unwrap_err().status, 401);
        let tokens = Tokens::builtin(BASE);
        let req = TokenRequest { authorization: Some("Bearer marketplace-public-clouds-token"), ..Default::default() };
        let err = tokens.authorize(&req, &Resource::Consultants.scope(BASE), Utc::now()).unwrap_err();
        assert_eq!((err.status, err.code), (403, OAuth2ErrorCode::InsufficientScope));
        assert_eq!(
            err.www_authenticate("h"),
            "Bearer realm=\"h\", error=\"insufficient_scope\", error_description=\"the request requires higher privileges than provided by the access token\", scope=\"https://openstackid-resources.org/consultants/read\""
        );
    }

    #[test]
    fn origins_are_normalized_like_the_real_service() {
        assert_eq!(normalize_origin("HTTP://Example.COM:80"), "http://example.com/");
        assert_eq!(normalize_origin("https://a.b:8443"), "https://a.b:8443/");
    }
}
