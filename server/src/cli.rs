//! The command line. Every option has an environment-variable fallback (`STANDIN_*`) so that the
//! same settings work in a container or a CI job without editing a command.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::barbican::BarbicanSettings;
use crate::barbican::auth::AuthMode;
use crate::barbican::model::TimestampStyle;
use crate::barbican::service::Lifecycle;
use crate::config::{Config, Fixtures};
use crate::marketplace::rate_limit::RateLimitRule;
use crate::marketplace::{MarketplaceSettings, RealBug};
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
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Where the Barbican Orders API listens (the documents use port 9311).
    #[arg(long, env = "STANDIN_BARBICAN_LISTEN", default_value = "127.0.0.1:9311")]
    pub barbican_listen: SocketAddr,

    /// Where the OpenStackID Marketplace API listens.
    #[arg(long, env = "STANDIN_MARKETPLACE_LISTEN", default_value = "127.0.0.1:8082")]
    pub marketplace_listen: SocketAddr,

    /// Where the INDIGO PaaS Orchestrator API listens (the documents use port 8080).
    #[arg(long, env = "STANDIN_ORCHESTRATOR_LISTEN", default_value = "127.0.0.1:8080")]
    pub orchestrator_listen: SocketAddr,

    /// Where the database lives (created if missing).
    #[arg(long, env = "STANDIN_DATA_DIR", default_value = "standin-data")]
    pub data_dir: PathBuf,

    /// Keep everything in memory instead (lost on exit).
    #[arg(long, env = "STANDIN_EPHEMERAL")]
    pub ephemeral: bool,

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

impl ServeArgs {
    pub fn into_config(self) -> Config {
        Config {
            barbican_listen: self.barbican_listen,
            marketplace_listen: self.marketplace_listen,
            orchestrator_listen: self.orchestrator_listen,
            storage: if self.ephemeral { StorageLocation::Ephemeral } else { StorageLocation::DataDir(self.data_dir) },
            fixtures: self.fixtures,
            barbican: BarbicanSettings {
                public_url: self.barbican_public_url.trim_end_matches('/').to_string(),
                auth_mode: self.barbican_auth,
                timestamps: self.barbican_timestamps,
                lifecycle: self.barbican_order_lifecycle,
            },
            barbican_tokens: self.barbican_tokens,
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
