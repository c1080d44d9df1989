//! Nothing in the reference documents is lost silently: every documented operation and every
//! documented example is in a contract, verbatim unless `openapi/ERRATA.md` says why not.
//!
//! If you are here because one of these tests failed: a contract in `openapi/` and the documents in
//! `../shared/reference-docs/` disagree. Fix the contract (or, for a deliberate change, mark the example
//! with `x-standin-errata: <ID>` and describe the change under that ID in `openapi/ERRATA.md`).

use std::collections::{BTreeMap, BTreeSet};

use contract_tests::contract::{Contract, SourcedObject, path_matches_template, templates_equivalent};
use contract_tests::reference::{BlockKind, DocumentId, document_text, example_blocks, repo_root};
use serde_json::Value;

const CONTRACTS: [&str; 3] = ["barbican", "marketplace", "orchestrator"];

/// The number of operations each contract transcribes from the documents (the issue that
/// commissioned the contracts counts them: Barbican 4 + the 2014 list, 9 marketplace, 17 orchestrator).
const DOCUMENTED_OPERATIONS: [(&str, usize); 3] = [("barbican", 5), ("marketplace", 9), ("orchestrator", 17)];

fn contract(name: &str) -> Contract {
    Contract::load(name).unwrap_or_else(|e| panic!("openapi/{name}.yaml: {e}"))
}

fn docs_of(contract: &str) -> Vec<DocumentId> {
    DocumentId::ALL.into_iter().filter(|d| d.contract() == contract).collect()
}

/// Is this sourced object an example of a request or response body (as opposed to a parameter
/// example, or a bodiless response object standing for its block)?
fn is_body_example(obj: &SourcedObject) -> bool {
    obj.pointer.contains("/content/") && obj.pointer.contains("/examples/") && obj.value.is_some()
}

/// The (method, path) pairs a document shows requests for.
fn documented_requests(doc: DocumentId) -> Vec<(String, String)> {
    const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    let parse = |line: &str| -> Option<(String, String)> {
        let mut parts = line.split_whitespace();
        let method = parts.next()?;
        let path = parts.next()?;
        let rest: Vec<&str> = parts.collect();
        let ok = METHODS.contains(&method) && path.starts_with('/') && (rest.is_empty() || rest == ["HTTP/1.1"]);
        ok.then(|| (method.to_string(), path.to_string()))
    };
    match doc {
        // Section titles and request blocks: `GET /v1/orders/{uuid}`; 002's `GET /{version}/{tenantId}/orders`.
        DocumentId::D000 | DocumentId::D001 | DocumentId::D002 | DocumentId::D004 => {
            document_text(doc).lines().filter_map(|l| parse(l.trim())).collect()
        }
        DocumentId::D003 => example_blocks(doc)
            .into_iter()
            .filter(|b| b.kind == BlockKind::Request)
            .filter_map(|b| parse(b.start_line.as_deref()?))
            .collect(),
    }
}

#[test]
fn every_documented_operation_is_in_its_contract_and_nothing_else_claims_to_be() {
    let mut report = Vec::new();
    for name in CONTRACTS {
        let contract = contract(name);
        let ops = contract.operations();
        let documented: Vec<_> = ops.iter().filter(|o| !o.beyond_reference).collect();
        let requests: Vec<(DocumentId, String, String)> = docs_of(name)
            .into_iter()
            .flat_map(|d| documented_requests(d).into_iter().map(move |(m, p)| (d, m, p)))
            .collect();
        assert!(!requests.is_empty(), "{name}: found no documented requests; has the parser broken?");

        let matches = |op: &&contract_tests::contract::Operation, method: &str, path: &str| {
            op.method == method && (templates_equivalent(&op.path, path) || path_matches_template(path, &op.path))
        };
        for (doc, method, path) in &requests {
            assert!(
                documented.iter().any(|op| matches(op, method, path)),
                "{name}: document {} shows `{method} {path}`, which no documented operation of openapi/{name}.yaml serves",
                doc.prefix()
            );
        }
        for op in &documented {
            assert!(
                requests.iter().any(|(_, m, p)| matches(op, m, p)),
                "{name}: operation {} `{} {}` is not in the documents; mark it `x-standin-beyond-reference: true` if it goes beyond them",
                op.operation_id,
                op.method,
                op.path
            );
            assert!(!op.operation_id.is_empty(), "{name}: `{} {}` has no operationId", op.method, op.path);
        }
        let expected = DOCUMENTED_OPERATIONS.iter().find(|(n, _)| *n == name).map(|(_, c)| *c).unwrap();
        assert_eq!(documented.len(), expected, "{name}: documented operations");
        report.push(format!(
            "{name}: {} documented operations, {} beyond the documents",
            documented.len(),
            ops.len() - documented.len()
        ));
    }
    println!("{}", report.join("\n"));
}

#[test]
fn every_example_block_of_every_document_is_transcribed() {
    let mut report = Vec::new();
    for name in CONTRACTS {
        let objects = contract(name).sourced_objects();
        let cited: BTreeSet<&str> = objects.iter().flat_map(|o| o.sources.iter().map(String::as_str)).collect();
        for doc in docs_of(name) {
            let blocks = example_blocks(doc);
            assert!(!blocks.is_empty(), "document {}: no example blocks found; has the parser broken?", doc.prefix());
            let missing: Vec<_> = blocks.iter().filter(|b| !cited.contains(b.locator.as_str())).collect();
            assert!(
                missing.is_empty(),
                "openapi/{name}.yaml does not transcribe these example blocks of document {}: {:#?}",
                doc.prefix(),
                missing.iter().map(|b| (&b.locator, &b.start_line)).collect::<Vec<_>>()
            );
            // A block with a body needs a body example, not just a mention.
            for block in blocks.iter().filter(|b| b.body.is_some()) {
                assert!(
                    objects.iter().any(|o| is_body_example(o) && o.sources.contains(&block.locator)),
                    "{}: the block has a body, but no request or response example in openapi/{name}.yaml cites it",
                    block.locator
                );
            }
            let with_body = blocks.iter().filter(|b| b.body.is_some()).count();
            report.push(format!(
                "{}: {} example blocks ({} with a body), all transcribed",
                doc.prefix(),
                blocks.len(),
                with_body
            ));
        }
    }
    println!("{}", report.join("\n"));
}

#[test]
fn every_source_a_contract_cites_is_a_real_example_block() {
    for name in CONTRACTS {
        let known: BTreeSet<String> = docs_of(name).into_iter().flat_map(example_blocks).map(|b| b.locator).collect();
        for obj in contract(name).sourced_objects() {
            assert!(!obj.sources.is_empty(), "openapi/{name}.yaml{}: empty x-standin-source", obj.pointer);
            for source in &obj.sources {
                assert!(
                    known.contains(source),
                    "openapi/{name}.yaml{} cites `{source}`, which is not an example block of its documents (known: {known:?})",
                    obj.pointer
                );
            }
        }
    }
}

#[test]
fn examples_are_verbatim_or_cite_an_erratum_that_exists() {
    let errata = std::fs::read_to_string(repo_root().join("openapi/ERRATA.md")).expect("openapi/ERRATA.md exists");
    let defines = |id: &str| {
        errata.match_indices(id).any(|(i, _)| {
            let before = errata[..i].chars().last();
            let after = errata[i + id.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_alphanumeric()) && !after.is_some_and(|c| c.is_ascii_digit())
        })
    };
    let mut verbatim = 0;
    let mut changed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for name in CONTRACTS {
        let objects = contract(name).sourced_objects();
        for obj in &objects {
            if let Some(id) = &obj.errata {
                assert!(
                    defines(id),
                    "openapi/{name}.yaml{} cites erratum {id}, which openapi/ERRATA.md does not describe",
                    obj.pointer
                );
            }
        }
        for block in docs_of(name).into_iter().flat_map(example_blocks) {
            let Some(raw) = &block.body else { continue };
            let parsed = block.json_body().expect("block has a body");
            for obj in objects.iter().filter(|o| is_body_example(o) && o.sources.contains(&block.locator)) {
                let value = obj.value.as_ref().expect("body examples have a value");
                let same = match (&parsed, value) {
                    (_, Value::String(s)) if s == raw || s.trim_end() == raw.trim_end() => true,
                    (Ok(doc_json), v) => serde_json::to_string(doc_json).unwrap() == serde_json::to_string(v).unwrap(),
                    (Err(_), _) => false,
                };
                match (&obj.errata, same) {
                    (None, true) => verbatim += 1,
                    (Some(id), false) => changed.entry(id.clone()).or_default().push(block.locator.clone()),
                    (None, false) => panic!(
                        "openapi/{name}.yaml{}: the example differs from {} ({}), but cites no erratum.\n document: {}\n contract: {}",
                        obj.pointer,
                        block.locator,
                        match &parsed {
                            Ok(_) => "valid JSON".to_string(),
                            Err(e) => format!("not valid JSON: {e}"),
                        },
                        raw.chars().take(400).collect::<String>(),
                        serde_json::to_string(value).unwrap().chars().take(400).collect::<String>()
                    ),
                    (Some(id), true) => panic!(
                        "openapi/{name}.yaml{}: cites erratum {id} but is identical to {}; drop the stale erratum",
                        obj.pointer, block.locator
                    ),
                }
            }
        }
    }
    println!("{verbatim} examples verbatim; changed with an erratum: {changed:?}");
    assert!(verbatim > 0, "no example compared verbatim; has the comparison broken?");
}
