//! The `standin` command: parse the command line, start logging, and hand over to the library.

use clap::Parser;
use standin::cli::{Cli, Command};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    standin::telemetry::init(&cli.log);
    match cli.command {
        Command::Serve(args) => standin::serve::run_until_signal(args.into_config()).await,
        Command::Docs { out } => {
            for path in standin::docs_site::write_static_site(&out)? {
                println!("{}", path.display());
            }
            Ok(())
        }
    }
}
