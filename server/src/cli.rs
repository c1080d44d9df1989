//! The command line. Every option has an environment-variable fallback (`STANDIN_*`) so that the
//! same settings work in a container or a CI job without editing a command.

use std::net::SocketAddr;

use clap::{Args, Parser, Subcommand};

use crate::config::Config;

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
    Serve(ServeArgs),
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
}

impl ServeArgs {
    pub fn into_config(self) -> Config {
        Config {
            barbican_listen: self.barbican_listen,
            marketplace_listen: self.marketplace_listen,
            orchestrator_listen: self.orchestrator_listen,
        }
    }
}
