//! The resolved configuration of a running standin, independent of how it was given (command line,
//! environment, or a test harness building it directly).

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::barbican::BarbicanSettings;
use crate::control::ControlSettings;
use crate::listener_limits::ListenerLimits;
use crate::marketplace::MarketplaceSettings;
use crate::orchestrator::OrchestratorSettings;
use crate::storage::StorageLocation;

/// Which of the three APIs a listener serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiKind {
    Barbican,
    Marketplace,
    Orchestrator,
}

impl ApiKind {
    pub const ALL: [ApiKind; 3] = [ApiKind::Barbican, ApiKind::Marketplace, ApiKind::Orchestrator];

    /// The short name used in logs, paths and command-line flags.
    /// Where the API listens unless told otherwise (the documents' ports where they name one).
    pub const fn default_listen_addr(self) -> &'static str {
        match self {
            ApiKind::Barbican => "127.0.0.1:9311",
            ApiKind::Marketplace => "127.0.0.1:8082",
            ApiKind::Orchestrator => "127.0.0.1:8080",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ApiKind::Barbican => "barbican",
            ApiKind::Marketplace => "marketplace",
            ApiKind::Orchestrator => "orchestrator",
        }
    }
}

/// Which data to load at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Fixtures {
    /// Nothing: start with what the database holds.
    #[default]
    None,
    /// The data the reference documents show, so every documented example can be replayed.
    Docs,
}

/// Everything a standin instance needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    pub barbican_listen: SocketAddr,
    pub marketplace_listen: SocketAddr,
    pub orchestrator_listen: SocketAddr,
    pub storage: StorageLocation,
    pub fixtures: Fixtures,
    /// Connection limit, read timeouts and body cap of every listener.
    pub limits: ListenerLimits,
    pub barbican: BarbicanSettings,
    /// A tokens file for the Barbican API; the built-in tokens when absent.
    pub barbican_tokens: Option<PathBuf>,
    pub control: ControlSettings,
    /// The orchestrator API's behaviour (its tokens file included).
    pub orchestrator: OrchestratorSettings,
    /// How the Marketplace API behaves (its tokens file, rate limits, CORS origins, real bugs).
    pub marketplace: MarketplaceSettings,
    /// `--seed`: reproducible ids, key material and timestamps (see [`crate::determinism`]).
    pub seed: Option<u64>,
}

impl Config {
    /// A configuration for tests: every API on an ephemeral loopback port, state in memory; or,
    /// when `STANDIN_TEST_DATABASE_URL` names a PostgreSQL database (as `ci/test` does for its second
    /// run of the suites), state in a new schema of its own there.
    pub fn ephemeral_for_tests() -> Self {
        let any = SocketAddr::from(([127, 0, 0, 1], 0));
        let storage = match std::env::var("STANDIN_TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => {
                StorageLocation::Postgres { url, schema: Some(format!("test_{}", uuid::Uuid::new_v4().simple())) }
            }
            _ => StorageLocation::Ephemeral,
        };
        Config {
            barbican_listen: any,
            marketplace_listen: any,
            orchestrator_listen: any,
            storage,
            fixtures: Fixtures::None,
            limits: ListenerLimits::default(),
            barbican: BarbicanSettings::default(),
            barbican_tokens: None,
            control: ControlSettings::default(),
            orchestrator: OrchestratorSettings::default(),
            marketplace: MarketplaceSettings::default(),
            seed: None,
        }
    }

    pub fn listen_addr(&self, api: ApiKind) -> SocketAddr {
        match api {
            ApiKind::Barbican => self.barbican_listen,
            ApiKind::Marketplace => self.marketplace_listen,
            ApiKind::Orchestrator => self.orchestrator_listen,
        }
    }
}
