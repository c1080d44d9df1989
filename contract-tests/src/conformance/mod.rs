//! The conformance suite: checks that any server (standin, or a real deployment) answers each contract
//! operation with each documented status the way the contract says.
//!
//! A [`Check`] names the operation and status it covers, and runs against a [`Target`] (base URL and
//! credentials). Checks talk to the server through the clients generated from the contracts
//! (`generated/*-client`), so a contract that breaks its generated client breaks the suite; a plain
//! HTTP client is used only for what the generator cannot express, and each such place says why.
//! Checks that need data create it through the API and delete it afterwards.
//!
//! Each API's checks live in a sibling module (`barbican`, `marketplace`, `orchestrator`, `control`)
//! that exposes a `checks()` registry. The registry is also what the coverage file
//! (`contract-tests/conformance-coverage.md`, see [`coverage`]) is generated from.

pub mod coverage;
pub mod json_diff;
pub mod report;

pub mod barbican;
pub mod control;
pub mod marketplace;
pub mod orchestrator;

use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// The APIs standin stands in for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    Barbican,
    Marketplace,
    Orchestrator,
    /// standin's own control plane (`openapi/control.yaml`).
    Control,
}

impl Api {
    /// Every API with a contract, in the coverage file's order.
    pub const ALL: [Api; 4] = [Api::Barbican, Api::Marketplace, Api::Orchestrator, Api::Control];

    /// The contract's name (`openapi/<name>.yaml`).
    pub fn contract_name(self) -> &'static str {
        match self {
            Api::Barbican => "barbican",
            Api::Marketplace => "marketplace",
            Api::Orchestrator => "orchestrator",
            Api::Control => "control",
        }
    }

    /// The registered checks of this API, or `None` when its conformance checks are not written yet.
    pub fn checks(self) -> Option<Vec<Check>> {
        match self {
            Api::Barbican => Some(barbican::checks()),
            Api::Marketplace => Some(marketplace::checks()),
            Api::Orchestrator => Some(orchestrator::checks()),
            Api::Control => Some(control::checks()),
        }
    }
}

/// What the suite runs against.
#[derive(Debug, Clone)]
pub struct Target {
    /// The API's base URL, without a trailing slash (e.g. `http://127.0.0.1:9311`).
    pub base_url: String,
    pub credentials: Credentials,
}

impl Target {
    pub fn new(base_url: impl Into<String>, credentials: Credentials) -> Self {
        let base_url = base_url.into().trim_end_matches('/').to_string();
        Target { base_url, credentials }
    }
}

/// The credentials a target accepts. Which ones an API uses is up to its checks; a check whose
/// credentials are missing is skipped with the reason.
#[derive(Debug, Clone, Default)]
pub struct Credentials {
    /// A valid token (Barbican: `X-Auth-Token`).
    pub token: Option<String>,
    /// A project to act in through the no-auth headers (Barbican: `X-Project-Id`, with `X-Roles` for the
    /// role checks).
    pub project_id: Option<String>,
    /// A valid token that lacks the scopes the checked operations need (marketplace: none of its read
    /// scopes; orchestrator: without `openid`/`profile`), for the scope 403s.
    pub narrow_token: Option<String>,
    /// An expired token (marketplace), for the expiry 401.
    pub expired_token: Option<String>,
    /// standin's control plane (`<target>/_standin`): checks that need a server failure (the documented
    /// 500s) inject it there as a one-shot fault rule. Absent for a foreign target: those checks skip.
    pub control_url: Option<String>,
    /// Operations the target rate-limits (marketplace `--rate-limited-operation`): only their
    /// rate-limit 403 checks run; the others skip.
    pub rate_limited_operations: Vec<String>,
}

/// Why a check did not pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The server answered differently from the contract.
    Fail(Failure),
    /// The check could not run against this target (e.g. it needs credentials that were not given).
    Skip(String),
}

/// Expected against received, and where in the JSON body they differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What was checked, in a few words (`status`, `body`, `Location header`).
    pub what: String,
    pub expected: String,
    pub received: String,
    /// JSON path of the first difference in a body (`$.description`), when the failure is about a body.
    pub json_path: Option<String>,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: expected {}, received {}", self.what, self.expected, self.received)?;
        if let Some(path) = &self.json_path {
            write!(f, " at {path}")?;
        }
        Ok(())
    }
}

impl Problem {
    pub fn fail(what: impl Into<String>, expected: impl fmt::Display, received: impl fmt::Display) -> Self {
        Problem::Fail(Failure {
            what: what.into(),
            expected: expected.to_string(),
            received: received.to_string(),
            json_path: None,
        })
    }
}

/// What a check's body returns.
pub type CheckResult = Result<(), Problem>;
/// The future a check's run function returns.
pub type CheckFuture<'a> = Pin<Box<dyn Future<Output = CheckResult> + 'a>>;

/// `ensure(cond, what, expected, received)`: fail unless `cond`.
pub fn ensure(cond: bool, what: &str, expected: impl fmt::Display, received: impl fmt::Display) -> CheckResult {
    if cond { Ok(()) } else { Err(Problem::fail(what, expected, received)) }
}

/// One check: an operation × status of a contract, and what it verifies.
#[derive(Clone)]
pub struct Check {
    pub operation_id: &'static str,
    /// The documented status this check provokes and verifies.
    pub status: u16,
    /// What the check does and expects, one line.
    pub name: &'static str,
    /// The `openapi/ERRATA.md` entry (e.g. `B9`) that says the real service answers differently here. A
    /// failure of such a check is a known difference when the run allows them (`--known-differences`).
    pub errata: Option<&'static str>,
    pub run: for<'a> fn(&'a Target) -> CheckFuture<'a>,
}

impl fmt::Debug for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Check")
            .field("operation_id", &self.operation_id)
            .field("status", &self.status)
            .field("name", &self.name)
            .field("errata", &self.errata)
            .finish()
    }
}

/// How one check ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail(Failure),
    /// Failed, but the check cites an erratum and the run allows listed differences.
    KnownDifference {
        errata: &'static str,
        failure: Failure,
    },
    Skip(String),
}

/// A check and how it ended.
#[derive(Debug, Clone)]
pub struct CheckReport {
    pub operation_id: &'static str,
    pub status: u16,
    pub name: &'static str,
    pub verdict: Verdict,
}

/// The result of running a suite.
#[derive(Debug, Clone)]
pub struct SuiteReport {
    pub api: Api,
    pub target: String,
    pub results: Vec<CheckReport>,
}

impl SuiteReport {
    pub fn count(&self, pick: impl Fn(&Verdict) -> bool) -> usize {
        self.results.iter().filter(|r| pick(&r.verdict)).count()
    }

    pub fn failures(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Fail(_)))
    }

    pub fn skipped(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Skip(_)))
    }

    /// Whether the run succeeded: no failure (skips and allowed known differences do not fail a run).
    pub fn succeeded(&self) -> bool {
        self.failures() == 0
    }
}

/// Options of a run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Count failures of checks that cite an erratum as known differences instead of failures.
    pub allow_known_differences: bool,
    /// Run only the checks of operations whose id contains this text.
    pub only_operation: Option<String>,
}

/// Run `checks` one after the other against `target`.
pub async fn run(api: Api, checks: &[Check], target: &Target, options: &RunOptions) -> SuiteReport {
    let mut results = Vec::new();
    for check in checks {
        if let Some(only) = &options.only_operation
            && !check.operation_id.contains(only.as_str())
        {
            continue;
        }
        let verdict = match (check.run)(target).await {
            Ok(()) => Verdict::Pass,
            Err(Problem::Skip(why)) => Verdict::Skip(why),
            Err(Problem::Fail(failure)) => match check.errata {
                Some(errata) if options.allow_known_differences => Verdict::KnownDifference { errata, failure },
                _ => Verdict::Fail(failure),
            },
        };
        results.push(CheckReport { operation_id: check.operation_id, status: check.status, name: check.name, verdict });
    }
    SuiteReport { api, target: target.base_url.clone(), results }
}
