//! The Barbican Orders API (OpenStack Key Manager), current and 2014 editions.
//!
//! Layout, which the other two APIs follow:
//! - [`api`]: the poem-openapi surface, thin handlers and one response enum per operation;
//! - [`service`]: what each operation does, and the order lifecycle;
//! - [`validate`], [`paging`], [`processing`] (and [`keypairs`]), [`auth`]: Barbican's rules, each in its own module;
//! - [`store`]: SQLite storage; [`views`]: the wire representations;
//! - [`error`]: the one error type and its conversion to Barbican's error body;
//! - [`headers`]: behaviour around the operations (microversions, request ids, 404/405).

pub mod api;
pub mod auth;
pub mod error;
pub mod fixtures;
pub mod headers;
pub mod keypairs;
pub mod model;
pub mod page_cache;
pub mod paging;
pub mod params;
pub mod processing;
pub mod pyrepr;
pub mod service;
pub mod store;
pub mod validate;
pub mod views;

use std::sync::Arc;

use crate::storage::Database;
use poem::{Endpoint, EndpointExt};
use poem_openapi::OpenApiService;

use crate::allowed_methods::AllowedMethods;
use auth::{AuthMode, Tokens};
use model::TimestampStyle;
use service::{Lifecycle, OrderService};
use store::OrderStore;

/// How the Barbican API behaves; see `standin serve --help`.
#[derive(Debug, Clone)]
pub struct BarbicanSettings {
    /// Barbican's `host_href`: the base of every href in responses.
    pub public_url: String,
    pub auth_mode: AuthMode,
    pub timestamps: TimestampStyle,
    pub lifecycle: Lifecycle,
    /// Serve list pages from the cache of finished bodies (see [`page_cache`]); off, every list
    /// reads the database (for measuring the storage path).
    pub list_cache: bool,
}

impl Default for BarbicanSettings {
    fn default() -> Self {
        BarbicanSettings {
            public_url: "http://localhost:9311".into(),
            auth_mode: AuthMode::default(),
            timestamps: TimestampStyle::default(),
            lifecycle: Lifecycle::default(),
            list_cache: true,
        }
    }
}

/// Everything the Barbican handlers share.
#[derive(Clone)]
pub struct BarbicanState {
    pub settings: Arc<BarbicanSettings>,
    pub tokens: Arc<Tokens>,
    pub orders: OrderService,
    /// Recent list pages, serialized (see [`page_cache`]).
    pub list_pages: Arc<page_cache::PageCache<crate::openapi_types::SerializedJson<views::OrderListView>>>,
}

impl BarbicanState {
    pub fn new(mut settings: BarbicanSettings, tokens: Tokens, db: Database) -> Self {
        if settings.list_cache && db.is_shared() {
            // The cache is invalidated by this process's writes only: with other instances writing
            // the same database, every list must read it.
            tracing::info!("the Barbican list-page cache is off: other instances share the database");
            settings.list_cache = false;
        }
        let orders = OrderService::new(OrderStore::new(db), settings.lifecycle.clone());
        BarbicanState { settings: Arc::new(settings), tokens: Arc::new(tokens), orders, list_pages: Default::default() }
    }
}

/// The Barbican OpenAPI service (its spec is what `/openapi.json` serves).
pub fn openapi_service(state: BarbicanState) -> OpenApiService<api::BarbicanApi, ()> {
    let url = state.settings.public_url.clone();
    OpenApiService::new(api::BarbicanApi { state }, "Barbican Orders API (standin)", env!("CARGO_PKG_VERSION"))
        .server(url)
}

/// How to call this API with the default configuration, for the landing page and the docs.
pub fn guide(base_url: &str) -> crate::docs_site::ApiGuide {
    crate::docs_site::ApiGuide {
        api: crate::config::ApiKind::Barbican,
        title: "Barbican Orders API (OpenStack Key Manager)",
        base_url: base_url.to_string(),
        credentials: vec![
            format!("X-Auth-Token: {} (project {})", auth::DEFAULT_TOKEN, auth::DEFAULT_PROJECT),
            "or, as Barbican's no-auth mode: X-Project-Id: <any project id> (X-Roles and X-User-Id optional)".into(),
            format!("with --fixtures docs, also X-Auth-Token: {} (a second project)", fixtures::SECOND_TOKEN),
        ],
        curl: format!("curl -H 'X-Auth-Token: {}' {base_url}/v1/orders", auth::DEFAULT_TOKEN),
        preauthorize: vec![(auth::TOKEN_SCHEME, auth::DEFAULT_TOKEN.to_string())],
        default_headers: Vec::new(),
    }
}

/// The hand-written contract, served as is at `/openapi.yaml` and `/openapi.json` (the docs show
/// the documented examples, which poem's emitted spec does not carry).
pub const CONTRACT_YAML: &str = include_str!("../../../openapi/barbican.yaml");

/// The Barbican listener's endpoint: the API, its middleware, and its state.
pub fn endpoint(state: BarbicanState) -> impl Endpoint {
    let service = openapi_service(state.clone());
    let spec: serde_json::Value = serde_json::from_str(&service.spec()).expect("poem emits valid JSON");
    let allowed = AllowedMethods::from_spec(&spec);
    BarbicanEndpoint { service: service.data(state.clone()), state, allowed }
}

/// The API's operations behind Barbican's own request rules ([`headers::barbican_middleware`]),
/// as one endpoint (an `around` closure would clone the state's handles on every request).
struct BarbicanEndpoint<E> {
    service: E,
    state: BarbicanState,
    allowed: AllowedMethods,
}

impl<E: Endpoint> Endpoint for BarbicanEndpoint<E> {
    type Output = poem::Response;

    async fn call(&self, req: poem::Request) -> poem::Result<poem::Response> {
        headers::barbican_middleware(&self.service, &self.state, &self.allowed, req).await
    }
}
