//! The resolved configuration of a running standin, independent of how it was given (command line,
//! environment, or a test harness building it directly).

use std::net::SocketAddr;

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
    pub fn name(self) -> &'static str {
        match self {
            ApiKind::Barbican => "barbican",
            ApiKind::Marketplace => "marketplace",
            ApiKind::Orchestrator => "orchestrator",
        }
    }
}

/// Everything a standin instance needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    pub barbican_listen: SocketAddr,
    pub marketplace_listen: SocketAddr,
    pub orchestrator_listen: SocketAddr,
}

impl Config {
    /// A configuration for tests: every API on an ephemeral loopback port.
    pub fn ephemeral_for_tests() -> Self {
        let any = SocketAddr::from(([127, 0, 0, 1], 0));
        Config { barbican_listen: any, marketplace_listen: any, orchestrator_listen: any }
    }

    pub fn listen_addr(&self, api: ApiKind) -> SocketAddr {
        match api {
            ApiKind::Barbican => self.barbican_listen,
            ApiKind::Marketplace => self.marketplace_listen,
            ApiKind::Orchestrator => self.orchestrator_listen,
        }
    }
}
