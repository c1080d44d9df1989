//! The `standin` command: parse the command line, start logging, and hand over to the library.

use clap::Parser;
use standin::cli::{AdvanceResource, Cli, Command};

/// mimalloc rather than the system allocator: a request allocates many small, short-lived buffers
/// (headers, routing, the response), and measured with `ci/bench` the list serves more requests per
/// second on it (docs/design.md, "Performance").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Print a control-plane answer as pretty JSON.
fn print(value: serde_json::Value) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(&value)?);
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    standin::telemetry::init(&cli.log);
    match cli.command {
        Command::Serve(args) => standin::serve::run_until_signal(args.into_config()).await,
        Command::Reset { target, api, project, organisation, owner } => print(
            standin::control::client::reset(
                &target.url,
                standin::control::client::ResetScope {
                    api: api.as_deref(),
                    project: project.as_deref(),
                    organisation: organisation.as_deref(),
                    owner: owner.as_deref(),
                },
            )
            .await?,
        ),
        Command::Advance { target, resource } => match resource {
            AdvanceResource::Order { id, to, status_code, reason } => print(
                standin::control::client::advance_order(
                    &target.url,
                    &id,
                    &to,
                    status_code.as_deref(),
                    reason.as_deref(),
                )
                .await?,
            ),
            AdvanceResource::Deployment { id, to, reason } => {
                print(standin::control::client::advance_deployment(&target.url, &id, &to, reason.as_deref()).await?)
            }
        },
        Command::Export { target, file } => print(standin::control::client::export(&target.url, &file).await?),
        Command::Load { target, file, set } => match (file, set) {
            (Some(file), _) => print(standin::control::client::load(&target.url, &file).await?),
            (None, set) => {
                print(standin::control::client::load_set(&target.url, set.as_deref().unwrap_or("docs")).await?)
            }
        },
        Command::Journal { target, limit } => print(
            standin::control::client::call(&target.url, reqwest::Method::GET, &format!("/journal?limit={limit}"), None)
                .await?,
        ),
        Command::Docs { out } => {
            for path in standin::docs_site::write_static_site(&out)? {
                println!("{}", path.display());
            }
            Ok(())
        }
    }
}
