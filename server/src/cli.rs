//! The command line. Every option has an environment-variable fallback (`STANDIN_*`) so that the
//! same settings work in a container or a CI job without editing a command.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::barbican::BarbicanSettings;
use crate::barbican::auth::AuthMode;
use crate::barbican::model::TimestampStyle;
use crate::barbican::service::Lifecycle;
use crate::config::{ApiKind, Config, Fixtures};
use crate::control::ControlSettings;
use crate::listener_limits::ListenerLimits;
use crate::marketplace::rate_limit::RateLimitRule;
use crate::marketplace::{MarketplaceSettings, RealBug};
use crate::orchestrator::OrchestratorSettings;
use crate::orchestrator::auth::AuthMode as OrchestratorAuthMode;
use crate::orchestrator::lifecycle::Lifecycle as OrchestratorLifecycle;
use crate::storage::StorageLocation;

#[derive(Debug, Parser)]
#[command(
    name = "standin",
    version,
    about = "A faithful, stateful local stand-in for the Barbican Orders, OpenStackID Marketplace and INDIGO PaaS Orchestrator APIs."
)]
pub struct Cli {
    /// Log filter in `tracing` syntax, e.g. `info` or `standin=debug,poem=info`.
    #[arg(long, global = true, env = "STANDIN_LOG", default_value = "info")]
    pub log: String,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the three API listeners and serve until interrupted.
    Serve(Box<ServeArgs>),
    /// Reset a running standin's state: everything, one API's, one Barbican project's, or one
    /// orchestrator organisation's or user's.
    Reset {
        #[command(flatten)]
        target: ControlTarget,
        /// Only this API's state (`barbican`, `marketplace`, `orchestrator`).
        #[arg(long)]
        api: Option<String>,
        /// With `--api barbican`: only this project's orders, secrets and containers.
        #[arg(long)]
        project: Option<String>,
        /// With `--api orchestrator`: only the deployments and schedules of this organisation's users.
        #[arg(long, conflicts_with = "owner")]
        organisation: Option<String>,
        /// With `--api orchestrator`: only the deployments and schedules of this user (`subject@issuer`).
        #[arg(long)]
        owner: Option<String>,
    },
    /// Move a PENDING resource of a running standin to its next state, or to a chosen one.
    Advance {
        #[command(flatten)]
        target: ControlTarget,
        #[command(subcommand)]
        resource: AdvanceResource,
    },
    /// Save a running standin's whole state to a file (YAML if it ends in .yaml or .yml, else JSON).
    Export {
        #[command(flatten)]
        target: ControlTarget,
        /// The file to write.
        file: PathBuf,
    },
    /// Replace a running standin's whole state with a file's (an export, or a fixture in the same
    /// format, described in docs/fixtures.md; YAML or JSON), or add the documented data
    /// (`--set docs`).
    Load {
        #[command(flatten)]
        target: ControlTarget,
        /// The file to read.
        #[arg(required_unless_present = "set", conflicts_with = "set")]
        file: Option<PathBuf>,
        /// Add a documented data set instead (`docs`: what the reference documents show).
        #[arg(long)]
        set: Option<String>,
    },
    /// Print the newest requests a running standin answered.
    Journal {
        #[command(flatten)]
        target: ControlTarget,
        /// At most this many entries.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Write the docs site (landing page, one reference page and contract per API) as static,
    /// self-contained HTML that opens offline.
    Docs {
        /// The folder to write into (created if missing).
        #[arg(long, default_value = "target/site")]
        out: PathBuf,
    },
}

/// Which running standin a control command talks to.
#[derive(Debug, Args)]
pub struct ControlTarget {
    /// The base URL of any of its listeners (each serves the whole control plane).
    #[arg(long, env = "STANDIN_URL", default_value = "http://127.0.0.1:9311")]
    pub url: String,
}

#[derive(Debug, Subcommand)]
pub enum AdvanceResource {
    /// A Barbican order: `next` (what processing decides), `ACTIVE`, or `ERROR` with a code and reason.
    Order {
        /// The order's id (the last segment of its `order_ref`).
        id: String,
        /// Where to move it: `next`, `ACTIVE` or `ERROR`.
        #[arg(long, default_value = "next")]
        to: String,
        /// With `--to ERROR`: the order's `error_status_code`.
        #[arg(long)]
        status_code: Option<String>,
        /// With `--to ERROR`: the order's `error_reason`.
        #[arg(long)]
        reason: Option<String>,
    },
    /// An orchestrator deployment in progress: `next` (the outcome its step was going to have), or
    /// an end of its step (`CREATE_COMPLETE`, `CREATE_FAILED`, `UPDATE_COMPLETE`, `UPDATE_FAILED`,
    /// `DELETE_COMPLETE`: gone, `DELETE_FAILED`).
    Deployment {
        /// The deployment's uuid.
        id: String,
        /// Where to move it.
        #[arg(long, default_value = "next")]
        to: String,
        /// With a `*_FAILED` target: the deployment's `statusReason`.
        #[arg(long)]
        reason: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Where the Barbican Orders API listens (the documents use port 9311).
    #[arg(long, env = "STANDIN_BARBICAN_LISTEN", default_value = ApiKind::Barbican.default_listen_addr())]
    pub barbican_listen: SocketAddr,

    /// Where the OpenStackID Marketplace API listens.
    #[arg(long, env = "STANDIN_MARKETPLACE_LISTEN", default_value = ApiKind::Marketplace.default_listen_addr())]
    pub marketplace_listen: SocketAddr,

    /// Where the INDIGO PaaS Orchestrator API listens (the documents use port 8080).
    #[arg(long, env = "STANDIN_ORCHESTRATOR_LISTEN", default_value = ApiKind::Orchestrator.default_listen_addr())]
    pub orchestrator_listen: SocketAddr,

    /// Where the database lives (created if missing).
    #[arg(long, env = "STANDIN_DATA_DIR", default_value = "standin-data")]
    pub data_dir: PathBuf,

    /// Keep everything in memory instead (lost on exit).
    #[arg(long, env = "STANDIN_EPHEMERAL", conflicts_with = "database_url")]
    pub ephemeral: bool,

    /// Use PostgreSQL at this URL (`postgres://user:password@host:port/database`) instead of the
    /// embedded SQLite: several standin instances can then share one state.
    #[arg(long, env = "STANDIN_DATABASE_URL", value_parser = postgres_url)]
    pub database_url: Option<String>,

    /// With --database-url: keep standin's tables in this schema (created if missing) rather than
    /// the connection's default, so that several sandboxes can share one database.
    #[arg(long, env = "STANDIN_DATABASE_SCHEMA", requires = "database_url")]
    pub database_schema: Option<String>,

    /// Open connections per listener; the next one waits until one closes.
    #[arg(long, env = "STANDIN_MAX_CONNECTIONS", default_value_t = ListenerLimits::default().max_connections)]
    pub max_connections: usize,

    /// Seconds a request's head (request line and headers) may take to arrive before the
    /// connection is closed.
    #[arg(long, env = "STANDIN_HEADER_READ_TIMEOUT", default_value_t = ListenerLimits::default().header_read_timeout.as_secs_f64())]
    pub header_read_timeout: f64,

    /// Seconds the next chunk of a request body may take to arrive before the read fails.
    #[arg(long, env = "STANDIN_BODY_READ_TIMEOUT", default_value_t = ListenerLimits::default().body_read_timeout.as_secs_f64())]
    pub body_read_timeout: f64,

    /// The largest request body any listener reads, in bytes (Barbican's orders are capped lower,
    /// at 25,000, as the real service does).
    #[arg(long, env = "STANDIN_MAX_BODY_BYTES", default_value_t = ListenerLimits::default().max_body_bytes)]
    pub max_body_bytes: usize,

    /// Seconds a keep-alive connection may sit idle between requests.
    #[arg(long, env = "STANDIN_IDLE_TIMEOUT", default_value_t = ListenerLimits::default().idle_timeout.as_secs_f64())]
    pub idle_timeout: f64,

    /// Data to load at start: `docs` loads what the reference documents show.
    #[arg(long, env = "STANDIN_FIXTURES", value_enum, default_value_t = Fixtures::None)]
    pub fixtures: Fixtures,

    /// Barbican's `host_href`: the base URL of every href Barbican returns.
    #[arg(long, env = "STANDIN_BARBICAN_PUBLIC_URL", default_value = "http://localhost:9311")]
    pub barbican_public_url: String,

    /// How Barbican callers authenticate: `mixed` takes X-Auth-Token (checked against the tokens)
    /// or else X-Project-Id; `noauth` takes X-Project-Id only; `token` requires X-Auth-Token.
    #[arg(long, env = "STANDIN_BARBICAN_AUTH", value_enum, default_value_t = AuthMode::Mixed)]
    pub barbican_auth: AuthMode,

    /// A YAML or JSON file of Barbican tokens: `tokens: {<token>: {project_id, user_id, roles}}`.
    #[arg(long, env = "STANDIN_BARBICAN_TOKENS")]
    pub barbican_tokens: Option<PathBuf>,

    /// Timestamp precision of orders: `seconds` as the documents show, or `microseconds` as
    /// Barbican 21.0.0 on SQLite sends.
    #[arg(long, env = "STANDIN_BARBICAN_TIMESTAMPS", value_enum, default_value_t = TimestampStyle::Seconds)]
    pub barbican_timestamps: TimestampStyle,

    /// When a new order leaves PENDING: `immediate` (inside the POST, as Barbican with its queue
    /// off), `after-seconds:<N>`, `after-polls:<N>` (the N+1-th read sees the result) or `manual`.
    #[arg(long, env = "STANDIN_BARBICAN_ORDER_LIFECYCLE", default_value = "immediate")]
    pub barbican_order_lifecycle: Lifecycle,

    /// Serve Barbican list pages from a cache of finished bodies (`false` reads the database every
    /// time; the answers are the same).
    #[arg(long, env = "STANDIN_BARBICAN_LIST_CACHE", default_value_t = true, action = clap::ArgAction::Set)]
    pub barbican_list_cache: bool,

    /// How many requests the control plane's journal keeps (the oldest go first).
    #[arg(long, env = "STANDIN_JOURNAL_SIZE", default_value_t = 1000)]
    pub journal_size: usize,

    /// Let clients ask for a delay or an error on one request with `X-Standin-Delay: <ms>` and
    /// `X-Standin-Status: <code>`.
    #[arg(long, env = "STANDIN_FAULT_HEADERS")]
    pub fault_headers: bool,

    /// Make generated ids, key material (symmetric keys, RSA and DSA key pairs) and timestamps
    /// reproducible run after run: the same requests get the same answers (see docs/design.md).
    #[arg(long, env = "STANDIN_SEED")]
    pub seed: Option<u64>,
    // --- INDIGO PaaS Orchestrator ---
    /// The base URL of every href the orchestrator returns; by default scheme, host and port of each request
    /// (as the real one, which honours X-Forwarded-*).
    #[arg(long, env = "STANDIN_ORCHESTRATOR_PUBLIC_URL")]
    pub orchestrator_public_url: Option<String>,

    /// How orchestrator callers authenticate: `oidc` takes bearer tokens from the tokens file; `none` is the
    /// orchestrator with OIDC disabled (anonymous callers, no owners).
    #[arg(long, env = "STANDIN_ORCHESTRATOR_AUTH", value_enum, default_value_t = OrchestratorAuthMode::Oidc)]
    pub orchestrator_auth: OrchestratorAuthMode,

    /// A YAML or JSON file of orchestrator tokens:
    /// `tokens: {<token>: {subject, issuer, organisation, groups, scopes, admin}}`.
    #[arg(long, env = "STANDIN_ORCHESTRATOR_TOKENS")]
    pub orchestrator_tokens: Option<PathBuf>,

    /// When a deployment step (create, update, delete) finishes: `immediate` (the next read sees the result),
    /// `after-seconds:<N>`, `after-polls:<N>` (the N+1-th read sees it) or `manual` (held until told).
    #[arg(long, env = "STANDIN_ORCHESTRATOR_LIFECYCLE", default_value = "immediate")]
    pub orchestrator_lifecycle: OrchestratorLifecycle,

    /// Answer 500 where the real orchestrator fails (unknown sort property, reset to a non-status, log or
    /// extrainfo before a provider is chosen, lists with OIDC off, dependency loops) instead of a 400.
    #[arg(long, env = "STANDIN_ORCHESTRATOR_REAL_500S")]
    pub orchestrator_real_500s: bool,
    /// The base URL of the Marketplace scopes: endpoints require `<base>/public-clouds/read`,
    /// `<base>/private-clouds/read` or `<base>/consultants/read`.
    #[arg(long, env = "STANDIN_MARKETPLACE_SCOPE_BASE", default_value = crate::marketplace::DEFAULT_SCOPE_BASE)]
    pub marketplace_scope_base: String,

    /// A YAML or JSON file of Marketplace access tokens:
    /// `tokens: {<token>: {scope, client_id, expires_at, audience, application_type, allowed_origins}}`.
    #[arg(long, env = "STANDIN_MARKETPLACE_TOKENS")]
    pub marketplace_tokens: Option<PathBuf>,

    /// A Marketplace rate limit, `<operationId>=<requests per window>` or `*=<n>` (repeatable or
    /// comma-separated). No endpoint is limited unless named, as upstream.
    #[arg(long, env = "STANDIN_MARKETPLACE_RATE_LIMIT", value_delimiter = ',')]
    pub marketplace_rate_limit: Vec<RateLimitRule>,

    /// The length of a Marketplace rate-limit window, in seconds.
    #[arg(long, env = "STANDIN_MARKETPLACE_RATE_LIMIT_WINDOW", default_value_t = 3600)]
    pub marketplace_rate_limit_window: u64,

    /// An origin allowed to call the Marketplace API cross-origin (repeatable or comma-separated);
    /// any origin when none is given, as documented.
    #[arg(long, env = "STANDIN_MARKETPLACE_CORS_ORIGIN", value_delimiter = ',')]
    pub marketplace_cors_origin: Vec<String>,

    /// A bug of the real 2015 Marketplace to reproduce (repeatable or comma-separated); by default
    /// standin does what the document says.
    #[arg(long, env = "STANDIN_MARKETPLACE_REAL_BUG", value_enum, value_delimiter = ',')]
    pub marketplace_real_bug: Vec<RealBug>,
}

fn postgres_url(text: &str) -> Result<String, String> {
    match StorageLocation::from_database_url(text, None) {
        Ok(_) => Ok(text.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

impl ServeArgs {
    pub fn into_config(self) -> Config {
        Config {
            barbican_listen: self.barbican_listen,
            marketplace_listen: self.marketplace_listen,
            orchestrator_listen: self.orchestrator_listen,
            storage: match (self.database_url, self.ephemeral) {
                (Some(url), _) => StorageLocation::Postgres { url, schema: self.database_schema },
                (None, true) => StorageLocation::Ephemeral,
                (None, false) => StorageLocation::DataDir(self.data_dir),
            },
            fixtures: self.fixtures,
            limits: ListenerLimits {
                max_connections: self.max_connections,
                header_read_timeout: Duration::from_secs_f64(self.header_read_timeout.max(0.001)),
                body_read_timeout: Duration::from_secs_f64(self.body_read_timeout.max(0.001)),
                max_body_bytes: self.max_body_bytes,
                idle_timeout: Duration::from_secs_f64(self.idle_timeout.max(0.001)),
            },
            barbican: BarbicanSettings {
                public_url: self.barbican_public_url.trim_end_matches('/').to_string(),
                auth_mode: self.barbican_auth,
                timestamps: self.barbican_timestamps,
                lifecycle: self.barbican_order_lifecycle,
                list_cache: self.barbican_list_cache,
            },
            barbican_tokens: self.barbican_tokens,
            control: ControlSettings { journal_size: self.journal_size, fault_headers: self.fault_headers },
            seed: self.seed,
            orchestrator: OrchestratorSettings {
                public_url: self.orchestrator_public_url.map(|u| u.trim_end_matches('/').to_string()),
                auth_mode: self.orchestrator_auth,
                tokens_file: self.orchestrator_tokens,
                lifecycle: self.orchestrator_lifecycle,
                real_500s: self.orchestrator_real_500s,
                documented_template_alias: self.fixtures == Fixtures::Docs,
                ..OrchestratorSettings::default()
            },
            marketplace: MarketplaceSettings {
                scope_base: self.marketplace_scope_base.trim_end_matches('/').to_string(),
                tokens_file: self.marketplace_tokens,
                rate_limits: self.marketplace_rate_limit,
                rate_limit_window: std::time::Duration::from_secs(self.marketplace_rate_limit_window.max(1)),
                cors_origins: self.marketplace_cors_origin,
                real_bugs: self.marketplace_real_bug,
            },
        }
    }
}
