//! `standin-conformance`: run an API's conformance checks against any server (standin, or a real
//! deployment), print the table, optionally write JUnit XML, and exit non-zero on any failure.
//!
//! ```sh
//! standin-conformance --api barbican --target http://127.0.0.1:9311 --project-id demo-project
//! standin-conformance --api barbican --target http://127.0.0.1:9312 --project-id p1 --known-differences
//! standin-conformance --api marketplace --target http://127.0.0.1:8082 --token marketplace-token \
//!     --expired-token marketplace-expired-token --control-url http://127.0.0.1:8082/_standin
//! standin-conformance --api orchestrator --target http://127.0.0.1:8080 --token orchestrator-user-token \
//!     --narrow-token orchestrator-no-scope-token --control-url http://127.0.0.1:8080/_standin
//! standin-conformance --api control --target http://127.0.0.1:9311/_standin
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use contract_tests::conformance::{self, Api, Credentials, RunOptions, Target, report};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ApiArg {
    Barbican,
    Marketplace,
    Orchestrator,
    /// standin's control plane; --target is the control plane's URL (`<listener>/_standin`).
    Control,
}

impl From<ApiArg> for Api {
    fn from(a: ApiArg) -> Api {
        match a {
            ApiArg::Barbican => Api::Barbican,
            ApiArg::Marketplace => Api::Marketplace,
            ApiArg::Orchestrator => Api::Orchestrator,
            ApiArg::Control => Api::Control,
        }
    }
}

/// Run the conformance checks of one API against a server.
#[derive(Debug, Parser)]
#[command(name = "standin-conformance", version)]
struct Args {
    /// Which API's checks to run.
    #[arg(long, value_enum)]
    api: ApiArg,
    /// The API's base URL, e.g. http://127.0.0.1:9311.
    #[arg(long)]
    target: String,
    /// A valid token (Barbican: X-Auth-Token).
    #[arg(long, env = "STANDIN_CONFORMANCE_TOKEN")]
    token: Option<String>,
    /// A project to act in with the no-auth headers (Barbican: X-Project-Id, X-Roles).
    #[arg(long, env = "STANDIN_CONFORMANCE_PROJECT_ID")]
    project_id: Option<String>,
    /// A valid token lacking the checked operations' scopes (marketplace: none of its read scopes;
    /// orchestrator: without openid/profile), for the scope 403s.
    #[arg(long, env = "STANDIN_CONFORMANCE_NARROW_TOKEN")]
    narrow_token: Option<String>,
    /// An expired token (marketplace), for the expiry 401.
    #[arg(long)]
    expired_token: Option<String>,
    /// standin's control plane (e.g. http://127.0.0.1:8082/_standin): the 500 checks inject a one-shot
    /// fault there. Without it (a real deployment) they are skipped.
    #[arg(long)]
    control_url: Option<String>,
    /// An operation the target rate-limits (marketplace; repeatable): its rate-limit 403 check runs.
    #[arg(long = "rate-limited-operation")]
    rate_limited_operations: Vec<String>,
    /// Also write the results as JUnit XML to this file.
    #[arg(long)]
    junit: Option<PathBuf>,
    /// Count a failure as a known difference when its check cites an openapi/ERRATA.md entry (for runs
    /// against the real service, whose documented departures are listed there).
    #[arg(long)]
    known_differences: bool,
    /// Run only the checks of operations whose id contains this text.
    #[arg(long)]
    operation: Option<String>,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    let api = Api::from(args.api);
    let Some(checks) = api.checks() else {
        eprintln!("standin-conformance: the {} checks are not written yet", api.contract_name());
        return ExitCode::from(2);
    };
    let needs_credentials = !matches!(api, Api::Control);
    if needs_credentials && args.token.is_none() && args.project_id.is_none() {
        eprintln!("standin-conformance: give --project-id and/or --token (the credentials the target accepts)");
        return ExitCode::from(2);
    }
    let credentials = Credentials {
        token: args.token,
        project_id: args.project_id,
        narrow_token: args.narrow_token,
        expired_token: args.expired_token,
        control_url: args.control_url.map(|u| u.trim_end_matches('/').to_string()),
        rate_limited_operations: args.rate_limited_operations,
    };
    let target = Target::new(args.target, credentials);
    let options = RunOptions { allow_known_differences: args.known_differences, only_operation: args.operation };
    let result = conformance::run(api, &checks, &target, &options).await;
    print!("{}", report::table(&result));
    if let Some(path) = &args.junit
        && let Err(e) = std::fs::write(path, report::junit_xml(&result))
    {
        eprintln!("standin-conformance: cannot write {}: {e}", path.display());
        return ExitCode::from(2);
    }
    if result.succeeded() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
