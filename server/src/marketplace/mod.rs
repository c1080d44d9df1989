//! The OpenStackID Resource Server's Marketplace API (2015): public clouds, private clouds and
//! consultants, with the data centers of clouds and the offices of consultants.
//!
//! Laid out as the Barbican API is:
//! - [`api`]: the poem-openapi surface, thin handlers and one response enum per operation shape;
//! - [`service`]: what each operation does; [`store`]: SQLite storage; [`model`]: the entities;
//! - [`views`]: the wire representations (the real serialisation), written by [`php_json`];
//! - [`paging`], [`auth`], [`rate_limit`], [`etag`], [`cors`], [`jsonp`]: the real service's rules,
//!   each in its own module;
//! - [`pipeline`]: what happens around every operation (CORS, tokens, rate limits, JSON-P, ETags),
//!   in the real service's middleware order;
//! - [`error`]: the one error type and its bodies.

pub mod api;
pub mod auth;
pub mod cors;
pub mod endpoints;
pub mod error;
pub mod etag;
pub mod fixtures;
pub mod jsonp;
pub mod model;
pub mod paging;
pub mod params;
pub mod php_json;
pub mod pipeline;
pub mod rate_limit;
pub mod service;
pub mod store;
pub mod views;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::storage::Database;
use poem::{Endpoint, EndpointExt};
use poem_openapi::OpenApiService;

use crate::allowed_methods::AllowedMethods;
use auth::Tokens;
use cors::AllowedOrigins;
use rate_limit::{RateLimitRule, RateLimiter};
use service::{IdReading, MarketplaceService};
use store::MarketplaceStore;

/// The documented resource server, the base of the scopes: `<base>/public-clouds/read`, ...
pub const DEFAULT_SCOPE_BASE: &str = "https://openstackid-resources.org";

/// A bug of the real 2015 service that standin reproduces only when asked to
/// (`--marketplace-real-bug`); by default standin does what the document says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum RealBug {
    /// The rate-limit 403 message with the real source indentation (a newline, six tabs and a
    /// space) before "Please", instead of the documented single space.
    RateLimitWhitespace,
    /// An invalid JSON-P `callback` fails with an HTML 500 page, instead of the documented 400.
    InvalidCallback500,
    /// Path ids read with MySQL's coercion (`17abc` is entity 17), instead of 404.
    IdCoercion,
}

/// How the marketplace API behaves; see `standin serve --help`.
#[derive(Debug, Clone)]
pub struct MarketplaceSettings {
    /// The base of the scopes the endpoints require (`<base>/<family>/read`).
    pub scope_base: String,
    /// A tokens file; the built-in tokens when absent.
    pub tokens_file: Option<PathBuf>,
    /// Per-endpoint rate limits; none by default, as upstream.
    pub rate_limits: Vec<RateLimitRule>,
    /// The fixed rate-limit window (an hour upstream).
    pub rate_limit_window: Duration,
    /// The origins allowed to call the API cross-origin; empty (or `*`) for any.
    pub cors_origins: Vec<String>,
    /// Real bugs to reproduce.
    pub real_bugs: Vec<RealBug>,
}

impl Default for MarketplaceSettings {
    fn default() -> Self {
        MarketplaceSettings {
            scope_base: DEFAULT_SCOPE_BASE.into(),
            tokens_file: None,
            rate_limits: Vec::new(),
            rate_limit_window: Duration::from_secs(3600),
            cors_origins: Vec::new(),
            real_bugs: Vec::new(),
        }
    }
}

impl MarketplaceSettings {
    pub fn reproduces(&self, bug: RealBug) -> bool {
        self.real_bugs.contains(&bug)
    }
}

/// Everything the marketplace handlers and pipeline share.
#[derive(Clone)]
pub struct MarketplaceState {
    pub settings: Arc<MarketplaceSettings>,
    pub tokens: Arc<Tokens>,
    pub service: MarketplaceService,
    pub limiter: Arc<RateLimiter>,
    pub origins: Arc<AllowedOrigins>,
}

impl MarketplaceState {
    pub fn new(settings: MarketplaceSettings, tokens: Tokens, db: Database) -> Self {
        let ids = if settings.reproduces(RealBug::IdCoercion) { IdReading::MysqlCoercion } else { IdReading::Digits };
        let mut limiter = RateLimiter::new(settings.rate_limits.clone(), settings.rate_limit_window);
        if db.is_shared() {
            limiter = limiter.shared(db.pool.clone());
        }
        MarketplaceState {
            service: MarketplaceService::new(MarketplaceStore::new(db), ids),
            limiter: Arc::new(limiter),
            origins: Arc::new(AllowedOrigins::from_list(&settings.cors_origins)),
            tokens: Arc::new(tokens),
            settings: Arc::new(settings),
        }
    }

    /// The tokens the settings name: the file's, or the built-in ones.
    pub fn load_tokens(settings: &MarketplaceSettings) -> anyhow::Result<Tokens> {
        match &settings.tokens_file {
            Some(path) => Tokens::load(path),
            None => Ok(Tokens::builtin(&settings.scope_base)),
        }
    }
}

/// The marketplace OpenAPI service (its emitted spec is compared with the contract).
pub fn openapi_service(state: MarketplaceState) -> OpenApiService<api::MarketplaceApi, ()> {
    OpenApiService::new(
        api::MarketplaceApi { state },
        "OpenStackID Resource Server Marketplace API (standin)",
        env!("CARGO_PKG_VERSION"),
    )
    .server("http://localhost:8082")
}

/// The hand-written contract, served as is at `/openapi.yaml` and `/openapi.json`.
pub const CONTRACT_YAML: &str = include_str!("../../../openapi/marketplace.yaml");

/// The marketplace listener's endpoint: the API inside its pipeline.
pub fn endpoint(state: MarketplaceState) -> impl Endpoint {
    let service = openapi_service(state.clone());
    let spec: serde_json::Value = serde_json::from_str(&service.spec()).expect("poem emits valid JSON");
    let allowed = Arc::new(AllowedMethods::from_spec(&spec));
    service.data(state.clone()).around(move |ep, req| {
        let allowed = allowed.clone();
        let state = state.clone();
        async move { pipeline::marketplace_pipeline(&ep, &state, &allowed, req).await }
    })
}
