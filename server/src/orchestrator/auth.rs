//! Who is calling: OIDC bearer tokens, checked against a tokens file instead of an identity provider.
//!
//! The real orchestrator validates a signed JWT of a configured issuer and reads the user's organisation and
//! groups from the issuer's userinfo endpoint. standin has no issuer, so a token is any opaque string listed in
//! the tokens file (`--orchestrator-tokens`), which says what the issuer would: subject, issuer, organisation,
//! groups, scopes, and whether the user is an administrator. What the real service then decides from those
//! (401 and 403 texts, scope rules, visibility, ownership) is reproduced here and in the service.
//!
//! `--orchestrator-auth none` is the orchestrator with OIDC disabled (how the reference document was
//! generated): every caller is anonymous, nothing gets an owner, and everything is visible.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use poem::Request;
use poem_openapi::registry::{MetaSecurityScheme, Registry};
use poem_openapi::{ApiExtractor, ApiExtractorType, ExtractParamOptions};
use serde::Deserialize;

use super::OrchestratorState;
use super::error::OrchestratorError;

/// How callers authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum AuthMode {
    /// Bearer tokens from the tokens file, as the orchestrator with `oidc.enabled=true`.
    #[default]
    Oidc,
    /// No authentication (`oidc.enabled=false`): anonymous callers, no owners.
    None,
}

/// The default organisation when the issuer sends none (`organisation_name` defaults to `egi.eu`).
pub const DEFAULT_ORGANISATION: &str = "egi.eu";
/// The group that makes a user an administrator (the documented default `admingroup`).
pub const ADMIN_GROUP: &str = "orchestrator-admins";
/// The issuer of the built-in tokens.
pub const BUILTIN_ISSUER: &str = "https://iam.standin.local/";
/// A built-in token: an ordinary user with every scope.
pub const USER_TOKEN: &str = "orchestrator-user-token";
/// A built-in token: a second ordinary user of the same organisation.
pub const COLLEAGUE_TOKEN: &str = "orchestrator-colleague-token";
/// A built-in token: an administrator of the same organisation.
pub const ADMIN_TOKEN: &str = "orchestrator-admin-token";
/// A built-in token: a user of another organisation.
pub const OTHER_ORG_TOKEN: &str = "orchestrator-other-org-token";
/// A built-in token: a user with only `openid profile` (may read, may not change anything).
pub const READ_ONLY_TOKEN: &str = "orchestrator-read-only-token";
/// A built-in token without the `openid`/`profile` scopes.
pub const NO_SCOPE_TOKEN: &str = "orchestrator-no-scope-token";

/// What the identity provider would say about a token.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TokenInfo {
    pub subject: String,
    pub issuer: String,
    #[serde(default = "default_organisation")]
    pub organisation: String,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub admin: bool,
}

fn default_organisation() -> String {
    DEFAULT_ORGANISATION.into()
}

fn default_scopes() -> Vec<String> {
    ["openid", "profile", "offline_access"].map(String::from).to_vec()
}

/// The known tokens.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Tokens {
    pub tokens: BTreeMap<String, TokenInfo>,
}

impl Tokens {
    /// The tokens standin knows without a file (printed in the start banner).
    pub fn builtin() -> Self {
        let user = |subject: &str, organisation: &str, scopes: &[&str], admin: bool| TokenInfo {
            subject: subject.into(),
            issuer: BUILTIN_ISSUER.into(),
            organisation: organisation.into(),
            groups: if admin { vec![ADMIN_GROUP.into()] } else { vec!["users".into()] },
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            admin,
        };
        let all = ["openid", "profile", "offline_access"];
        let mut tokens = BTreeMap::new();
        tokens.insert(USER_TOKEN.into(), user("standin-user", "standin", &all, false));
        tokens.insert(COLLEAGUE_TOKEN.into(), user("standin-colleague", "standin", &all, false));
        tokens.insert(ADMIN_TOKEN.into(), user("standin-admin", "standin", &all, true));
        tokens.insert(OTHER_ORG_TOKEN.into(), user("standin-outsider", "elsewhere", &all, false));
        tokens.insert(READ_ONLY_TOKEN.into(), user("standin-reader", "standin", &["openid", "profile"], false));
        tokens.insert(NO_SCOPE_TOKEN.into(), user("standin-user", "standin", &["offline_access"], false));
        Tokens { tokens }
    }

    /// A YAML or JSON file: `tokens: {<token>: {subject, issuer, organisation, groups, scopes, admin}}`.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        serde_norway::from_str(&text).with_context(|| format!("{} is not a tokens file", path.display()))
    }
}

/// The OIDC identity of a user: `(subject, issuer)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcId {
    pub subject: String,
    pub issuer: String,
}

impl OidcId {
    /// The query-string form, `<subject>@<issuer>`.
    pub fn to_query(&self) -> String {
        format!("{}@{}", self.subject, self.issuer)
    }
}

/// The caller of an operation: a user, or anonymous with OIDC disabled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    Anonymous,
    User { id: OidcId, organisation: String, admin: bool, scopes: Vec<String> },
}

/// The scopes a changing operation needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeRule {
    /// `offline_access` or `fts:submit-transfer`: deployments and schedules changes.
    Submit,
    /// `offline_access` only: resource actions.
    OfflineAccess,
}

impl Caller {
    pub fn oidc_id(&self) -> Option<&OidcId> {
        match self {
            Caller::Anonymous => None,
            Caller::User { id, .. } => Some(id),
        }
    }

    pub fn is_admin(&self) -> bool {
        matches!(self, Caller::User { admin: true, .. })
    }

    /// The `@PreAuthorize` scope check of a changing operation (403 with the scope list).
    pub fn require_scope(&self, rule: ScopeRule) -> Result<(), OrchestratorError> {
        let Caller::User { scopes, .. } = self else { return Ok(()) };
        let has = |s: &str| scopes.iter().any(|x| x == s);
        let (ok, wanted) = match rule {
            ScopeRule::Submit => {
                (has("offline_access") || has("fts:submit-transfer"), "offline_access fts:submit-transfer")
            }
            ScopeRule::OfflineAccess => (has("offline_access"), "offline_access"),
        };
        if ok {
            Ok(())
        } else {
            Err(OrchestratorError::Forbidden(format!("Insufficient scope for this resource, scope=\"{wanted}\"")))
        }
    }
}

const FULL_AUTHENTICATION: &str = "Full authentication is required to access this resource";

fn unauthorized(error: &str, message: String) -> OrchestratorError {
    let challenge = format!("Bearer realm=\"oauth\", error=\"{error}\", error_description=\"{message}\"");
    OrchestratorError::Unauthorized { message, challenge }
}

/// The bearer token of a request: `Authorization: Bearer <token>`, else the `access_token` query parameter.
fn bearer_token(req: &Request) -> Option<String> {
    if let Some(value) = req.headers().get(poem::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
        if scheme.eq_ignore_ascii_case("bearer") {
            return Some(token.trim().to_string());
        }
    }
    req.uri()
        .query()
        .and_then(|q| q.split('&').find_map(|pair| pair.strip_prefix("access_token=").map(|t| t.to_string())))
}

/// Authenticate a request: 401 without a (known) token, 403 without `openid` and `profile`.
pub fn authenticate(req: &Request, mode: AuthMode, tokens: &Tokens) -> Result<Caller, OrchestratorError> {
    if mode == AuthMode::None {
        return Ok(Caller::Anonymous);
    }
    let Some(token) = bearer_token(req).filter(|t| !t.is_empty()) else {
        return Err(unauthorized("unauthorized", FULL_AUTHENTICATION.into()));
    };
    let Some(info) = tokens.tokens.get(&token) else {
        return Err(unauthorized("invalid_token", format!("Invalid token: {token}")));
    };
    for scope in ["openid", "profile"] {
        if !info.scopes.iter().any(|s| s == scope) {
            return Err(OrchestratorError::Forbidden(format!(
                "Insufficient scope for this resource, scope=\"{scope}\""
            )));
        }
    }
    Ok(Caller::User {
        id: OidcId { subject: info.subject.clone(), issuer: info.issuer.clone() },
        organisation: info.organisation.clone(),
        admin: info.admin || info.groups.iter().any(|g| g == ADMIN_GROUP),
        scopes: info.scopes.clone(),
    })
}

/// The caller of an operation, or why there is none; declares the `bearerAuth` scheme in the spec.
pub struct OrchestratorCaller(pub Result<Caller, OrchestratorError>);

pub const BEARER_SCHEME: &str = "bearerAuth";

impl<'a> ApiExtractor<'a> for OrchestratorCaller {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::SecurityScheme];
    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut Registry) {
        registry.create_security_scheme(
            BEARER_SCHEME,
            MetaSecurityScheme {
                ty: "http",
                description: Some(
                    "OAuth 2.0 bearer token (RFC 6750): a signed OIDC access token (JWT) of a configured issuer. Every\nendpoint except `/configuration` needs the `openid` and `profile` scopes; creating, updating,\nresetting and deleting deployments and creating schedules also need `offline_access` or\n`fts:submit-transfer`, and resource actions need `offline_access`.\n",
                ),
                name: None,
                key_in: None,
                scheme: Some("bearer"),
                bearer_format: Some("JWT"),
                flows: None,
                openid_connect_url: None,
            },
        );
    }

    fn security_schemes() -> Vec<&'static str> {
        vec![BEARER_SCHEME]
    }

    async fn from_request(
        request: &'a Request,
        _body: &mut poem::RequestBody,
        _param_opts: ExtractParamOptions<Self::ParamType>,
    ) -> poem::Result<Self> {
        let state = request.data::<OrchestratorState>().expect("the orchestrator routes carry their state");
        Ok(OrchestratorCaller(authenticate(request, state.settings.auth_mode, &state.tokens)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(auth: Option<&str>) -> Request {
        let mut b = Request::builder();
        if let Some(a) = auth {
            b = b.header("Authorization", a);
        }
        b.finish()
    }

    #[test]
    fn tokens_decide_401_and_403() {
        let tokens = Tokens::builtin();
        let err = authenticate(&request(None), AuthMode::Oidc, &tokens).unwrap_err();
        assert_eq!(err.body().message.as_deref(), Some(FULL_AUTHENTICATION));
        let err = authenticate(&request(Some("Bearer nope")), AuthMode::Oidc, &tokens).unwrap_err();
        assert_eq!(err.body().message.as_deref(), Some("Invalid token: nope"));
        let err = authenticate(&request(Some(&format!("Bearer {NO_SCOPE_TOKEN}"))), AuthMode::Oidc, &tokens);
        assert_eq!(err.unwrap_err().status().as_u16(), 403);
        let caller = authenticate(&request(Some(&format!("Bearer {ADMIN_TOKEN}"))), AuthMode::Oidc, &tokens).unwrap();
        assert!(caller.is_admin());
        assert_eq!(authenticate(&request(None), AuthMode::None, &tokens).unwrap(), Caller::Anonymous);
    }

    #[test]
    fn a_tokens_file_with_defaults() {
        let path = std::env::temp_dir().join(format!("standin-tokens-{}.yaml", uuid::Uuid::new_v4()));
        std::fs::write(
            &path,
            "tokens:\n  t1:\n    subject: alice\n    issuer: https://iam.example.org/\n  t2:\n    subject: bob\n    issuer: https://iam.example.org/\n    organisation: lab\n    groups: [orchestrator-admins]\n    scopes: [openid, profile]\n",
        )
        .unwrap();
        let tokens = Tokens::load(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        let alice = &tokens.tokens["t1"];
        assert_eq!((alice.organisation.as_str(), alice.scopes.len(), alice.admin), (DEFAULT_ORGANISATION, 3, false));
        let bob = authenticate(&request(Some("Bearer t2")), AuthMode::Oidc, &tokens).unwrap();
        assert!(bob.is_admin(), "the admin group makes an administrator");
        assert!(bob.require_scope(ScopeRule::Submit).is_err());
    }

    #[test]
    fn scope_rules() {
        let tokens = Tokens::builtin();
        let reader =
            authenticate(&request(Some(&format!("Bearer {READ_ONLY_TOKEN}"))), AuthMode::Oidc, &tokens).unwrap();
        assert_eq!(
            reader.require_scope(ScopeRule::Submit).unwrap_err().body().message.as_deref(),
            Some("Insufficient scope for this resource, scope=\"offline_access fts:submit-transfer\"")
        );
        let user = authenticate(&request(Some(&format!("Bearer {USER_TOKEN}"))), AuthMode::Oidc, &tokens).unwrap();
        assert!(user.require_scope(ScopeRule::OfflineAccess).is_ok());
    }
}
