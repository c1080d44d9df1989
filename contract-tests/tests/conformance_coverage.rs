//! The checked-in coverage file is what the contracts and the check registries give, every documented
//! operation × status has a check, and every erratum a check cites exists.
//!
//! `STANDIN_UPDATE_COVERAGE=1 cargo test -p contract-tests --test conformance_coverage` rewrites the file.

use contract_tests::conformance::{Api, Check, coverage};
use contract_tests::contract::Contract;
use contract_tests::reference::repo_root;

const COVERAGE_FILE: &str = "contract-tests/conformance-coverage.md";

fn written_apis() -> Vec<(Api, Contract, Vec<Check>)> {
    Api::ALL
        .into_iter()
        .filter_map(|api| {
            let checks = api.checks()?;
            Some((api, Contract::load(api.contract_name()).expect("contract loads"), checks))
        })
        .collect()
}

#[test]
fn the_coverage_file_is_up_to_date() {
    let apis = written_apis();
    let borrowed: Vec<(Api, &Contract, &[Check])> = apis.iter().map(|(a, c, k)| (*a, c, k.as_slice())).collect();
    let generated = coverage::markdown(&borrowed);
    let path = repo_root().join(COVERAGE_FILE);
    if std::env::var("STANDIN_UPDATE_COVERAGE").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &generated).expect("coverage file is writable");
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "{COVERAGE_FILE} is stale: run STANDIN_UPDATE_COVERAGE=1 cargo test -p contract-tests --test conformance_coverage"
    );
}

#[test]
fn every_documented_operation_and_status_has_a_check() {
    let apis = written_apis();
    assert!(apis.iter().any(|(api, _, _)| *api == Api::Barbican), "the Barbican checks are registered");
    for (api, contract, checks) in &apis {
        let rows = coverage::rows(contract, checks);
        assert!(rows.len() >= contract.operations().len(), "{api:?}: one row per documented status at least");
        let uncovered: Vec<String> =
            rows.iter().filter(|r| r.checks.is_empty()).map(|r| format!("{} {}", r.operation_id, r.status)).collect();
        assert!(uncovered.is_empty(), "{api:?}: operation × status without a check: {uncovered:?}");
        let orphans: Vec<String> = coverage::orphan_checks(contract, checks)
            .iter()
            .map(|c| format!("{} {}", c.operation_id, c.status))
            .collect();
        assert!(orphans.is_empty(), "{api:?}: checks for statuses the contract does not document: {orphans:?}");
    }
}

#[test]
fn every_cited_erratum_is_in_errata_md() {
    let errata = std::fs::read_to_string(repo_root().join("openapi/ERRATA.md")).expect("ERRATA.md reads");
    for (api, _, checks) in written_apis() {
        for check in checks {
            if let Some(id) = check.errata {
                // Barbican entries are headings (`### B9 — ...`), the others table rows (`| O12 |`).
                let cited = errata.contains(&format!("### {id} ")) || errata.contains(&format!("| {id} |"));
                assert!(cited, "{api:?} check `{}` cites {id}, which openapi/ERRATA.md does not describe", check.name);
            }
        }
    }
}
