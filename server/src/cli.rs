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
            orchestrator: OrchestratorSettings {
                public_url: self.orchestrator_public_url.map(|u| u.trim_end_matches('/').to_string()),
                auth_mode: self.orchestrator_auth,
                tokens_file: self.orchestrator_tokens,
                lifecycle: self.orchestrator_lifecycle,
                real_500s: self.orchestrator_real_500s,
                documented_template_alias: self.fixtures == Fixtures::Docs,
                ..OrchestratorSettings::default()
            },
        }
    }
}
