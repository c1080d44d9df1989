//! The conformance suite (`contract_tests::conformance`) against standin, in-process on port 0: what
//! `standin-conformance --api <api>` checks against any server must hold for standin itself.

use contract_tests::conformance::{self, Api, Credentials, RunOptions, Target, Verdict, report};
use standin::barbican::auth::AuthMode;
use standin::config::ApiKind;

use crate::harness::TestStandin;

fn barbican_target(server: &TestStandin) -> Target {
    let credentials =
        Credentials { token: None, project_id: Some("conformance-project".into()), ..Credentials::default() };
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
    let credentials = Credentials {
        token: Some(standin::barbican::auth::DEFAULT_TOKEN.into()),
        project_id: None,
        ..Credentials::default()
    };
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

/// Run `api`'s checks against `target` and require that every check passes, apart from skips whose
/// reason contains one of `allowed_skips`.
async fn all_pass(api: Api, target: &Target, allowed_skips: &[&str]) -> conformance::SuiteReport {
    let checks = api.checks().expect("checks exist");
    let result = conformance::run(api, &checks, target, &RunOptions::default()).await;
    assert_eq!(result.results.len(), checks.len());
    let bad: Vec<_> = result
        .results
        .iter()
        .filter(|r| match &r.verdict {
            Verdict::Pass => false,
            Verdict::Skip(why) => !allowed_skips.iter().any(|a| why.contains(a)),
            _ => true,
        })
        .collect();
    assert!(bad.is_empty(), "checks that did not pass:\n{}", report::table(&result));
    result
}

/// A marketplace tokens file: the built-in full and expired tokens, and one granting no marketplace scope.
fn marketplace_tokens_file() -> std::path::PathBuf {
    let base = standin::marketplace::DEFAULT_SCOPE_BASE;
    let all = ["public-clouds", "private-clouds", "consultants"].map(|s| format!("{base}/{s}/read")).join(" ");
    let yaml = format!(
        "tokens:\n  marketplace-token: {{scope: \"{all}\"}}\n  marketplace-expired-token: {{scope: \"{all}\", expires_at: \"2015-01-01T00:00:00Z\"}}\n  conformance-narrow-token: {{scope: \"{base}/other/read\"}}\n"
    );
    let path = std::env::temp_dir().join(format!("standin-conformance-tokens-{}.yaml", uuid::Uuid::new_v4()));
    std::fs::write(&path, yaml).expect("tokens file writes");
    path
}

#[tokio::test]
async fn every_marketplace_check_passes_against_standin() {
    let tokens = marketplace_tokens_file();
    let server = TestStandin::start_with(|c| {
        c.fixtures = standin::config::Fixtures::Docs;
        c.marketplace.tokens_file = Some(tokens.clone());
    })
    .await;
    let base = server.standin.base_url(ApiKind::Marketplace);
    let credentials = Credentials {
        token: Some("marketplace-token".into()),
        narrow_token: Some("conformance-narrow-token".into()),
        expired_token: Some("marketplace-expired-token".into()),
        control_url: Some(format!("{base}/_standin")),
        ..Credentials::default()
    };
    // The rate-limit 403s run in their own test below (a limit would interfere with the other checks).
    all_pass(Api::Marketplace, &Target::new(base, credentials), &["--rate-limited-operation"]).await;
    let _ = std::fs::remove_file(tokens);
}

#[tokio::test]
async fn the_marketplace_rate_limit_checks_pass_against_a_rate_limited_standin() {
    let checks: Vec<_> =
        Api::Marketplace.checks().expect("checks").into_iter().filter(|c| c.name.contains("rate limit")).collect();
    assert_eq!(checks.len(), 9);
    // The single-entity checks read an id from their list first: the lists are limited on one server, the
    // rest on another.
    for lists in [true, false] {
        let limited: Vec<_> = checks.iter().filter(|c| c.operation_id.starts_with("list") == lists).cloned().collect();
        let rules: Vec<_> =
            limited.iter().map(|c| format!("{}=3", c.operation_id).parse().expect("rule parses")).collect();
        let server = TestStandin::start_with(|c| {
            c.fixtures = standin::config::Fixtures::Docs;
            c.marketplace.rate_limits = rules;
        })
        .await;
        let credentials = Credentials {
            token: Some(standin::marketplace::auth::DEFAULT_TOKEN.into()),
            rate_limited_operations: limited.iter().map(|c| c.operation_id.to_string()).collect(),
            ..Credentials::default()
        };
        let target = Target::new(server.standin.base_url(ApiKind::Marketplace), credentials);
        let result = conformance::run(Api::Marketplace, &limited, &target, &RunOptions::default()).await;
        assert!(result.results.iter().all(|r| r.verdict == Verdict::Pass), "{}", report::table(&result));
    }
}

fn orchestrator_target(server: &TestStandin) -> Target {
    use standin::orchestrator::auth::{NO_SCOPE_TOKEN, USER_TOKEN};
    let base = server.standin.base_url(ApiKind::Orchestrator);
    let credentials = Credentials {
        token: Some(USER_TOKEN.into()),
        narrow_token: Some(NO_SCOPE_TOKEN.into()),
        control_url: Some(format!("{base}/_standin")),
        ..Credentials::default()
    };
    Target::new(base, credentials)
}

#[tokio::test]
async fn every_orchestrator_check_passes_against_standin_with_a_lifecycle_that_shows_every_state() {
    let server = TestStandin::start_with(|c| {
        c.orchestrator.lifecycle = standin::orchestrator::lifecycle::Lifecycle::AfterPolls(3);
    })
    .await;
    all_pass(Api::Orchestrator, &orchestrator_target(&server), &[]).await;
}

#[tokio::test]
async fn with_the_immediate_lifecycle_the_in_progress_checks_skip_and_the_rest_pass() {
    let server = TestStandin::start().await;
    let result = all_pass(Api::Orchestrator, &orchestrator_target(&server), &["--orchestrator-lifecycle"]).await;
    assert!(result.skipped() >= 3, "{}", report::table(&result));
}

#[tokio::test]
async fn every_control_check_passes_against_standin() {
    let server = TestStandin::start().await;
    let target =
        Target::new(format!("{}/_standin", server.standin.base_url(ApiKind::Barbican)), Credentials::default());
    let result = all_pass(Api::Control, &target, &["cannot be provoked"]).await;
    // One storage-failure 500 per control operation that reads or writes the store: the state
    // operations, advances and secret material (6), and the fault rules and lifecycles, which live in
    // the database when instances share one (6).
    assert_eq!(result.skipped(), 12, "only the storage-failure 500s skip: {}", report::table(&result));
}

#[tokio::test]
async fn with_the_real_500s_only_the_unknown_sort_checks_fail_citing_o27() {
    // `--orchestrator-real-500s` answers an unknown `sort` property with the real service's 500: the four
    // lists' sort checks must fail (each citing erratum O27) and nothing else may.
    let server = TestStandin::start_with(|c| {
        c.orchestrator.real_500s = true;
        c.orchestrator.lifecycle = standin::orchestrator::lifecycle::Lifecycle::AfterPolls(3);
    })
    .await;
    let checks = Api::Orchestrator.checks().expect("orchestrator checks exist");
    let target = orchestrator_target(&server);
    let result = conformance::run(Api::Orchestrator, &checks, &target, &RunOptions::default()).await;
    let mut failed: Vec<(&str, u16)> = result
        .results
        .iter()
        .filter(|r| matches!(r.verdict, Verdict::Fail(_)))
        .map(|r| (r.operation_id, r.status))
        .collect();
    failed.sort();
    assert_eq!(
        failed,
        [("listDeployments", 400), ("listResources", 400), ("listScheduleEvents", 400), ("listSchedules", 400)],
        "{}",
        report::table(&result)
    );
    let sort_checks: Vec<_> = checks.iter().filter(|c| c.errata == Some("O27")).cloned().collect();
    assert_eq!(sort_checks.len(), 4);
    let lenient = RunOptions { allow_known_differences: true, ..RunOptions::default() };
    let result = conformance::run(Api::Orchestrator, &sort_checks, &target, &lenient).await;
    assert!(result.succeeded(), "O27 is a listed difference:\n{}", report::table(&result));
    assert_eq!(result.count(|v| matches!(v, Verdict::KnownDifference { errata: "O27", .. })), 4);
}
