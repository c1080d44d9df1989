//! Who is calling, and what they may do.
//!
//! Barbican runs either behind Keystone (an `X-Auth-Token` header) or in its development "no-auth"
//! pipeline (the caller states its project in `X-Project-Id`, its user in `X-User-Id` and its roles
//! in `X-Roles`). standin offers both and, by default, a mixed mode: a request with `X-Auth-Token` is
//! checked against the tokens file; one without it is taken as no-auth. That way the documents' curl
//! examples (token) and python-barbicanclient in no-auth mode both work on first start.
//!
//! The extractor never fails on its own: it hands the handler a `Result`, so Barbican's precedence
//! (auth, then policy, then content type, then body) is decided in one place, the handler.

use std::collections::HashMap;
use std::path::Path;

use poem::Request;
use poem_openapi::registry::{MetaSecurityScheme, Registry};
use poem_openapi::{ApiExtractor, ApiExtractorType, ExtractParamOptions};
use serde::Deserialize;

use super::BarbicanState;
use super::error::BarbicanError;

/// How callers authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum AuthMode {
    /// `X-Auth-Token` is checked against the tokens file when present; otherwise `X-Project-Id` is
    /// taken as in Barbican's no-auth pipeline.
    #[default]
    Mixed,
    /// Barbican's no-auth pipeline only: `X-Project-Id` is required, tokens are ignored.
    Noauth,
    /// Keystone-like: `X-Auth-Token` is required and must be in the tokens file.
    Token,
}

/// What a token stands for.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TokenGrant {
    pub project_id: String,
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default = "default_roles")]
    pub roles: Vec<String>,
}

fn default_roles() -> Vec<String> {
    vec!["admin".into()]
}

/// The tokens standin accepts, token → grant.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Tokens {
    pub tokens: HashMap<String, TokenGrant>,
}

/// The token that works out of the box, and the project its fixtures live in.
pub const DEFAULT_TOKEN: &str = "standin-barbican-token";
pub const DEFAULT_PROJECT: &str = "demo-project";
/// The documented orders' `creator_id`.
pub const DEFAULT_USER: &str = "40540f978fbd45c1af18910e3e02b63f";

impl Tokens {
    /// The built-in tokens: one admin token for the default project.
    pub fn builtin() -> Self {
        let grant = TokenGrant {
            project_id: DEFAULT_PROJECT.into(),
            user_id: Some(DEFAULT_USER.into()),
            roles: default_roles(),
        };
        Tokens { tokens: HashMap::from([(DEFAULT_TOKEN.to_string(), grant)]) }
    }

    /// Read a tokens file (YAML or JSON: `tokens: {<token>: {project_id, user_id, roles}}`).
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read the tokens file {}: {e}", path.display()))?;
        serde_norway::from_str(&text)
            .map_err(|e| anyhow::anyhow!("the tokens file {} is not valid: {e}", path.display()))
    }
}

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub project_id: String,
    pub user_id: Option<String>,
    /// Lower-cased; never empty (Barbican's no-auth default is `admin`).
    pub roles: Vec<String>,
}

/// What a caller wants to do, for the policy check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    CreateOrder,
    ListOrders,
    GetOrder,
    DeleteOrder,
    /// `PUT /v1/orders`: checked, then refused with a 405 (Barbican has no order update).
    UpdateOrder,
    GetSecret,
    GetSecretPayload,
    GetContainer,
}

impl Action {
    /// The roles Barbican's legacy policy (`enforce_new_defaults=False`) allows.
    fn allowed_roles(self) -> &'static [&'static str] {
        match self {
            Action::CreateOrder | Action::UpdateOrder => &["admin", "creator"],
            Action::ListOrders => &["admin", "creator", "observer"],
            Action::GetOrder | Action::GetSecret | Action::GetContainer => &["admin", "creator", "observer", "audit"],
            Action::GetSecretPayload => &["admin", "creator", "observer"],
            Action::DeleteOrder => &["admin"],
        }
    }

    /// Barbican's 403 for this action: the policy refused it, or (secrets and containers) the
    /// resource belongs to another project.
    pub fn forbidden(self) -> BarbicanError {
        BarbicanError::Forbidden(format!(
            "{} attempt not allowed - please review your user/project privileges",
            self.operation()
        ))
    }

    /// The operation name in Barbican's "attempt not allowed" message.
    fn operation(self) -> &'static str {
        match self {
            Action::CreateOrder => "Order creation",
            Action::ListOrders => "Order(s) retrieval",
            Action::GetOrder => "Order retrieval",
            Action::DeleteOrder => "Order deletion",
            Action::UpdateOrder => "Order update",
            Action::GetSecret => "Secret retrieval",
            Action::GetSecretPayload => "Secret payload retrieval",
            Action::GetContainer => "Container retrieval",
        }
    }
}

impl Caller {
    /// Barbican's policy check: any one allowed role suffices.
    pub fn authorize(&self, action: Action) -> Result<(), BarbicanError> {
        if self.roles.iter().any(|r| action.allowed_roles().contains(&r.as_str())) {
            Ok(())
        } else {
            Err(action.forbidden())
        }
    }
}

/// The message of every 401, as the documents word it.
pub const UNAUTHORIZED: &str = "Invalid X-Auth-Token or the token doesn't have permissions to this resource";

fn header<'r>(req: &'r Request, name: &str) -> Option<&'r str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

/// `X-Roles` as Barbican reads it: a comma list, stripped and lower-cased; `admin` when absent or empty.
pub fn parse_roles(raw: Option<&str>) -> Vec<String> {
    let roles: Vec<String> =
        raw.unwrap_or("").split(',').map(|r| r.trim().to_lowercase()).filter(|r| !r.is_empty()).collect();
    if roles.is_empty() { default_roles() } else { roles }
}

/// Authenticate a request under the given mode and tokens.
pub fn authenticate(req: &Request, mode: AuthMode, tokens: &Tokens) -> Result<Caller, BarbicanError> {
    let token = header(req, "X-Auth-Token");
    let from_token = |token: &str| {
        tokens
            .tokens
            .get(token)
            .map(|g| Caller {
                project_id: g.project_id.clone(),
                user_id: g.user_id.clone(),
                roles: g.roles.iter().map(|r| r.to_lowercase()).collect(),
            })
            .ok_or_else(|| BarbicanError::Unauthorized(UNAUTHORIZED.into()))
    };
    let from_project = || match header(req, "X-Project-Id").filter(|p| !p.is_empty()) {
        Some(project) => Ok(Caller {
            project_id: project.to_string(),
            user_id: header(req, "X-User-Id").filter(|u| !u.is_empty()).map(str::to_string),
            roles: parse_roles(header(req, "X-Roles")),
        }),
        None => Err(BarbicanError::BadRequest("Missing X-Project-Id".into())),
    };
    match (mode, token) {
        (AuthMode::Token, Some(token)) | (AuthMode::Mixed, Some(token)) => from_token(token),
        (AuthMode::Token, None) => Err(BarbicanError::Unauthorized(UNAUTHORIZED.into())),
        (AuthMode::Noauth, _) => from_project(),
        // A caller that sends `X-Project-Id` (even empty) has chosen the no-auth way, and gets its 400 for
        // an empty value, as Barbican's no-auth pipeline answers; one that sends neither header is
        // unauthenticated.
        (AuthMode::Mixed, None) if req.headers().contains_key("X-Project-Id") => from_project(),
        (AuthMode::Mixed, None) => Err(BarbicanError::Unauthorized(UNAUTHORIZED.into())),
    }
}

/// The caller of a Barbican operation, or why it is not one. Declares both of Barbican's schemes
/// (`X-Auth-Token` or `X-Project-Id`) in the spec.
pub struct BarbicanCaller(pub Result<Caller, BarbicanError>);

pub const TOKEN_SCHEME: &str = "XAuthToken";
pub const PROJECT_SCHEME: &str = "XProjectId";

impl<'a> ApiExtractor<'a> for BarbicanCaller {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::SecurityScheme];
    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut Registry) {
        registry.create_security_scheme(
            TOKEN_SCHEME,
            MetaSecurityScheme {
                ty: "apiKey",
                description: Some("A Keystone token (checked against standin's tokens file)."),
                name: Some("X-Auth-Token"),
                key_in: Some("header"),
                scheme: None,
                bearer_format: None,
                flows: None,
                openid_connect_url: None,
            },
        );
        registry.create_security_scheme(
            PROJECT_SCHEME,
            MetaSecurityScheme {
                ty: "apiKey",
                description: Some("Barbican's no-auth mode: the caller's project id."),
                name: Some("X-Project-Id"),
                key_in: Some("header"),
                scheme: None,
                bearer_format: None,
                flows: None,
                openid_connect_url: None,
            },
        );
    }

    fn security_schemes() -> Vec<&'static str> {
        vec![TOKEN_SCHEME, PROJECT_SCHEME]
    }

    async fn from_request(
        request: &'a Request,
        _body: &mut poem::RequestBody,
        _param_opts: ExtractParamOptions<Self::ParamType>,
    ) -> poem::Result<Self> {
        let state = request.data::<BarbicanState>().expect("the Barbican routes carry their state");
        Ok(BarbicanCaller(authenticate(request, state.settings.auth_mode, &state.tokens)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::builder();
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        builder.finish()
    }

    #[test]
    fn modes_decide_which_headers_count() {
        let tokens = Tokens::builtin();
        let project = request(&[("X-Project-Id", "p1"), ("X-Roles", " Creator , audit")]);
        let caller = authenticate(&project, AuthMode::Mixed, &tokens).unwrap();
        assert_eq!(caller.project_id, "p1");
        assert_eq!(caller.roles, vec!["creator", "audit"]);
        assert!(matches!(authenticate(&project, AuthMode::Token, &tokens), Err(BarbicanError::Unauthorized(_))));

        let token = request(&[("X-Auth-Token", DEFAULT_TOKEN), ("X-Project-Id", "ignored")]);
        assert_eq!(authenticate(&token, AuthMode::Mixed, &tokens).unwrap().project_id, DEFAULT_PROJECT);
        assert_eq!(authenticate(&token, AuthMode::Noauth, &tokens).unwrap().project_id, "ignored");

        let bad = request(&[("X-Auth-Token", "nope"), ("X-Project-Id", "p1")]);
        assert!(matches!(authenticate(&bad, AuthMode::Mixed, &tokens), Err(BarbicanError::Unauthorized(_))));

        let nothing = request(&[]);
        assert_eq!(
            authenticate(&nothing, AuthMode::Noauth, &tokens),
            Err(BarbicanError::BadRequest("Missing X-Project-Id".into()))
        );
        assert!(matches!(authenticate(&nothing, AuthMode::Mixed, &tokens), Err(BarbicanError::Unauthorized(_))));
        let empty_project = request(&[("X-Project-Id", "")]);
        assert_eq!(
            authenticate(&empty_project, AuthMode::Mixed, &tokens),
            Err(BarbicanError::BadRequest("Missing X-Project-Id".into())),
            "an empty X-Project-Id is a no-auth request that lacks its project"
        );
    }

    #[test]
    fn legacy_policy_table() {
        let caller = |roles: &str| Caller { project_id: "p".into(), user_id: None, roles: parse_roles(Some(roles)) };
        assert!(caller("").authorize(Action::DeleteOrder).is_ok());
        assert!(caller("creator").authorize(Action::CreateOrder).is_ok());
        assert_eq!(
            caller("creator").authorize(Action::DeleteOrder),
            Err(BarbicanError::Forbidden(
                "Order deletion attempt not allowed - please review your user/project privileges".into()
            ))
        );
        assert!(caller("observer").authorize(Action::CreateOrder).is_err());
        assert!(caller("audit").authorize(Action::ListOrders).is_err());
        assert!(caller("audit").authorize(Action::GetOrder).is_ok());
        assert!(caller("member").authorize(Action::GetOrder).is_err());
        assert!(caller("creator,audit").authorize(Action::ListOrders).is_ok());
    }
}
