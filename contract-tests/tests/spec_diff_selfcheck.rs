//! `spec_differences` on the real contracts: each contract equals itself (which exercises `$ref`
//! resolution, composed schemas and shared components on real documents), and dropping any one of its
//! operations is reported as exactly that difference (so the comparison does look at every operation).

use std::path::PathBuf;

use contract_tests::contract::METHODS;
use contract_tests::reference::repo_root;
use contract_tests::spec_diff::{SpecDifference, spec_differences};
use serde_json::Value;

/// Every `openapi/*.yaml` that exists (contracts are merged one by one), parsed.
fn contracts() -> Vec<(PathBuf, Value)> {
    let dir = repo_root().join("openapi");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let doc = serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (path, doc)
        })
        .collect()
}

fn listing(differences: &[SpecDifference]) -> String {
    differences.iter().map(|d| format!("  {d}\n")).collect()
}

#[test]
fn every_contract_equals_itself() {
    for (path, contract) in contracts() {
        let differences = spec_differences(&contract, &contract);
        assert!(differences.is_empty(), "{} differs from itself:\n{}", path.display(), listing(&differences));
    }
}

#[test]
fn every_dropped_operation_of_a_contract_is_named() {
    for (path, contract) in contracts() {
        let operations: Vec<(String, &str)> = contract["paths"]
            .as_object()
            .into_iter()
            .flatten()
            .flat_map(|(template, item)| {
                METHODS.iter().filter(|method| item.get(**method).is_some()).map(|method| (template.clone(), *method))
            })
            .collect();
        assert!(!operations.is_empty(), "{} has operations", path.display());
        for (template, method) in operations {
            let mut emitted = contract.clone();
            emitted["paths"][&template].as_object_mut().expect("path item").remove(method);
            let differences = spec_differences(&contract, &emitted);
            let expected = SpecDifference {
                location: format!("{} {template}", method.to_uppercase()),
                message: "the contract has this operation, the emitted spec does not".to_string(),
            };
            assert_eq!(differences, [expected], "{}:\n{}", path.display(), listing(&differences));
        }
    }
}
