//! The INDIGO PaaS Orchestrator API (`openapi/orchestrator.yaml`, document 004).
//!
//! Layout, as for Barbican:
//! - [`api`]: the poem-openapi surface, thin handlers and one response enum per operation;
//! - [`service`]: what each operation does, in the real order of checks;
//! - [`validate`], [`paging`], [`auth`], [`lifecycle`], [`tosca`]: the orchestrator's rules, each in its module;
//! - [`store`]: SQLite storage; [`model`]: the entities; [`views`]: the wire representations;
//! - [`error`]: the one error type and its conversion to the `{code, title, message}` body;
//! - [`fixtures`]: the document's example data (`--fixtures docs`);
//! - [`middleware`]: what happens around every operation (request ids, content types, 404/405/406).

pub mod api;
pub mod auth;
pub mod error;
pub mod fixtures;
pub mod lifecycle;
pub mod middleware;
pub mod model;
pub mod paging;
pub mod params;
pub mod service;
pub mod store;
pub mod tosca;
pub mod validate;
pub mod views;

use std::path::PathBuf;
use std::sync::Arc;

use crate::storage::Database;
use poem::{Endpoint, EndpointExt};
use poem_openapi::OpenApiService;

use crate::allowed_methods::AllowedMethods;
use crate::openapi_types::Href;
use auth::{AuthMode, Tokens};
use lifecycle::Lifecycle;
use service::OrchestratorService;
use store::OrchestratorStore;
use views::ConfigurationView;

/// JSON as the orchestrator labels it.
pub const JSON_UTF8: &str = "application/json;charset=UTF-8";

/// How the orchestrator API behaves; see `standin serve --help`.
#[derive(Debug, Clone)]
pub struct OrchestratorSettings {
    /// The base of every href; `None` takes scheme, host and port from each request, as the real service.
    pub public_url: Option<String>,
    pub auth_mode: AuthMode,
    /// A tokens file; the built-in tokens when absent.
    pub tokens_file: Option<PathBuf>,
    pub lifecycle: Lifecycle,
    /// Answer 500 where the real service fails (unknown `sort` property, reset to a non-status, log or
    /// extrainfo before a provider was chosen, lists with OIDC off, dependency loops). Off: a 400 or a
    /// sensible answer instead.
    pub real_500s: bool,
    /// Let the template text `template` (the document's placeholder) stand for the documented Galaxy template
    /// (erratum O24); set by `--fixtures docs`.
    pub documented_template_alias: bool,
    /// What `GET /configuration` answers.
    pub configuration: ConfigurationView,
}

impl Default for OrchestratorSettings {
    fn default() -> Self {
        OrchestratorSettings {
            public_url: None,
            auth_mode: AuthMode::default(),
            tokens_file: None,
            lifecycle: Lifecycle::default(),
            real_500s: false,
            documented_template_alias: false,
            configuration: documented_configuration(),
        }
    }
}

/// The endpoints of the document's test installation (004:1261), the default answer of `GET /configuration`.
pub fn documented_configuration() -> ConfigurationView {
    ConfigurationView {
        cpr_url: Href("http://deep-cpr.test.infn.it:8080".into()),
        slam_url: Href("https://deep-slam.test.infn.it:8443/rest/slam".into()),
        cmdb_url: Href("https://deep-paas-dev.test.infn.it/cmdb".into()),
        im_url: Href("https://deep-paas.test.infn.it/im".into()),
        monitoring_url: Href("https://deep-paas.test.infn.it/monitoring".into()),
        vault_url: Some(Href("https://vault.test.infn.it:8200".into())),
        rucio_url: None,
    }
}

/// Everything the orchestrator handlers share.
#[derive(Clone)]
pub struct OrchestratorState {
    pub settings: Arc<OrchestratorSettings>,
    pub tokens: Arc<Tokens>,
    pub service: OrchestratorService,
}

impl OrchestratorState {
    pub fn new(settings: OrchestratorSettings, tokens: Tokens, db: Database) -> Self {
        let settings = Arc::new(settings);
        let service = OrchestratorService::new(OrchestratorStore::new(db), settings.clone());
        OrchestratorState { settings, tokens: Arc::new(tokens), service }
    }
}

/// The orchestrator OpenAPI service (its spec is what the emitted-spec test compares with the contract).
pub fn openapi_service(state: OrchestratorState) -> OpenApiService<api::OrchestratorApi, ()> {
    let url = state.settings.public_url.clone().unwrap_or_else(|| "http://localhost:8080".into());
    OpenApiService::new(
        api::OrchestratorApi { state },
        "INDIGO PaaS Orchestrator REST API (standin)",
        env!("CARGO_PKG_VERSION"),
    )
    .server(url)
}

/// The hand-written contract, served at `/openapi.yaml` and `/openapi.json`.
pub const CONTRACT_YAML: &str = include_str!("../../../openapi/orchestrator.yaml");

/// The orchestrator listener's endpoint: the API, its middleware, and its state.
pub fn endpoint(state: OrchestratorState) -> impl Endpoint {
    let service = openapi_service(state.clone());
    let spec: serde_json::Value = serde_json::from_str(&service.spec()).expect("poem emits valid JSON");
    let allowed = Arc::new(AllowedMethods::from_spec(&spec));
    service.data(state).around(move |ep, req| {
        let allowed = allowed.clone();
        async move { middleware::orchestrator_middleware(&ep, &allowed, req).await }
    })
}
