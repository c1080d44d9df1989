//! The conformance suite (`contract_tests::conformance`) against standin, in-process on port 0: what
//! `standin-conformance --api barbican` checks against any server must hold for standin itself.

use contract_tests::conformance::{self, Api, Credentials, RunOptions, Target, Verdict, report};
use standin::barbican::auth::AuthMode;
use standin::config::ApiKind;

use crate::harness::TestStandin;

fn barbican_target(server: &TestStandin) -> Target {
    let credentials = Credentials { token: None, project_id: Some("conformance-project".into()) };
    Target::new(server.standin.base_url(ApiKind::Barbican), credentials)
}

#[tokio::test]
async fn every_barbican_check_passes_against_standin() {
    let server = TestStandin::start().await;
    let checks = Api::Barbican.checks().expect("barbican checks exist");
    let result = conformance::run(Api::Barbican, &checks, &barbican_target(&server), &RunOptions::default()).await;
    assert_eq!(result.results.len(), checks.len());
    let not_passed: Vec<_> = result.results.iter().filter(|r| r.verdict != Verdict::Pass).collect();
    assert!(not_passed.is_empty(), "checks that did not pass:\n{}", report::table(&result));
}

#[tokio::test]
async fn the_suite_reports_what_a_differently_configured_server_gets_wrong() {
    // In no-auth mode standin ignores tokens, as a real no-auth Barbican does: the 401 checks must fail
    // (each citing erratum B9) and nothing else may.
    let server = TestStandin::start_with(|c| c.barbican.auth_mode = AuthMode::Noauth).await;
    let checks = Api::Barbican.checks().expect("barbican checks exist");
    let result = conformance::run(Api::Barbican, &checks, &barbican_target(&server), &RunOptions::default()).await;
    let failed: Vec<(&str, u16)> = result
        .results
        .iter()
        .filter(|r| matches!(r.verdict, Verdict::Fail(_)))
        .map(|r| (r.operation_id, r.status))
        .collect();
    let expected_401s = checks.iter().filter(|c| c.status == 401 && c.operation_id != "listOrdersV2014").count();
    assert_eq!(failed.len(), expected_401s, "{}", report::table(&result));
    assert!(failed.iter().all(|(_, status)| *status == 401), "{failed:?}");
    assert!(!result.succeeded());

    let lenient = RunOptions { allow_known_differences: true, ..RunOptions::default() };
    let result = conformance::run(Api::Barbican, &checks, &barbican_target(&server), &lenient).await;
    assert!(result.succeeded(), "B9 is a listed difference:\n{}", report::table(&result));
    assert_eq!(result.count(|v| matches!(v, Verdict::KnownDifference { errata: "B9", .. })), expected_401s);
}

#[tokio::test]
async fn with_only_a_token_the_checks_that_need_no_auth_headers_are_skipped_and_the_rest_pass() {
    let server = TestStandin::start().await;
    let credentials = Credentials { token: Some(standin::barbican::auth::DEFAULT_TOKEN.into()), project_id: None };
    let target = Target::new(server.standin.base_url(ApiKind::Barbican), credentials);
    let checks = Api::Barbican.checks().expect("barbican checks exist");
    let result = conformance::run(Api::Barbican, &checks, &target, &RunOptions::default()).await;
    assert_eq!(result.failures(), 0, "{}", report::table(&result));
    let skipped: Vec<&str> = result
        .results
        .iter()
        .filter_map(|r| match &r.verdict {
            Verdict::Skip(why) => Some(why.as_str()),
            _ => None,
        })
        .collect();
    assert!(!skipped.is_empty() && skipped.len() < checks.len(), "{}", report::table(&result));
    assert!(skipped.iter().all(|why| why.contains("--project-id")), "{skipped:?}");
    let passed = result.count(|v| *v == Verdict::Pass);
    assert!(passed >= 25, "the token drives most checks: {}", report::table(&result));
}
