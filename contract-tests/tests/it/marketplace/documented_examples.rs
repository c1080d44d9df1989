//! Every documented Marketplace example, replayed: with `--fixtures docs` loaded, each documented
//! request (003:block2 to block18) returns the documented response (block3 to block19), and the
//! rate-limit answer (block1) comes once over a limit.
//!
//! The expected bodies are the contract's examples (`openapi/marketplace.yaml`); the snapshots
//! record what standin answered. The list examples differ from the document in their totals (M1 to
//! M3: the document's page of 20 shows one item); standin answers the document's page, so for those
//! the expected page is the contract's first item under the document's `total: 20, last_page: 2,
//! to: 10`.

use contract_tests::contract::Contract;
use serde_json::{Value, json};

use super::{get, response_example};
use crate::harness::TestStandin;

/// A documented exchange: the example key in the contract, the request path, the operation.
struct Exchange {
    example: &'static str,
    path: &'static str,
    /// JSON pointer of the operation in the contract.
    operation: &'static str,
    list: bool,
}

const fn exchange(example: &'static str, path: &'static str, operation: &'static str, list: bool) -> Exchange {
    Exchange { example, path, operation, list }
}

fn exchanges() -> Vec<Exchange> {
    vec![
        exchange("listPublicClouds", "/public-clouds", "/paths/~1api~1v1~1marketplace~1public-clouds/get", true),
        exchange(
            "getPublicCloud",
            "/public-clouds/123456",
            "/paths/~1api~1v1~1marketplace~1public-clouds~1{id}/get",
            false,
        ),
        exchange(
            "getPublicCloudDataCenters",
            "/public-clouds/123456/data-centers",
            "/paths/~1api~1v1~1marketplace~1public-clouds~1{id}~1data-centers/get",
            false,
        ),
        exchange("listPrivateClouds", "/private-clouds", "/paths/~1api~1v1~1marketplace~1private-clouds/get", true),
        exchange(
            "getPrivateCloud",
            "/private-clouds/123456",
            "/paths/~1api~1v1~1marketplace~1private-clouds~1{id}/get",
            false,
        ),
        exchange(
            "getPrivateCloudDataCenters",
            "/private-clouds/123456/data-centers",
            "/paths/~1api~1v1~1marketplace~1private-clouds~1{id}~1data-centers/get",
            false,
        ),
        exchange("listConsultants", "/consultants", "/paths/~1api~1v1~1marketplace~1consultants/get", true),
        exchange("getConsultant", "/consultants/123456", "/paths/~1api~1v1~1marketplace~1consultants~1{id}/get", false),
        exchange(
            "getConsultantOffices",
            "/consultants/123456/offices",
            "/paths/~1api~1v1~1marketplace~1consultants~1{id}~1offices/get",
            false,
        ),
    ]
}

fn contract() -> Contract {
    Contract::load("marketplace").unwrap()
}

/// The document's page: the contract's example (M1-M3) with the document's totals.
fn documented_page(mut example: Value, answered: &Value) -> Value {
    example["total"] = json!(20);
    example["last_page"] = json!(2);
    example["to"] = json!(10);
    // The document elides the other nine items (`,{...}`) and the real links; take them as answered.
    let mut items = vec![example["data"][0].clone()];
    items.extend(answered["data"].as_array().unwrap().iter().skip(1).cloned());
    example["data"] = Value::from(items);
    let mut ordered = serde_json::Map::new();
    for key in
        ["total", "per_page", "current_page", "last_page", "next_page_url", "prev_page_url", "from", "to", "data"]
    {
        let value = if key.ends_with("_url") { answered[key].clone() } else { example[key].clone() };
        ordered.insert(key.into(), value);
    }
    Value::Object(ordered)
}

#[tokio::test]
async fn every_documented_request_gets_the_documented_answer() {
    let server = TestStandin::with_docs_fixtures().await;
    let contract = contract();
    for exchange in exchanges() {
        let pointer = format!(
            "{}/responses/200/content/application~1json/examples/{}/value",
            exchange.operation, exchange.example
        );
        let documented = contract.doc.pointer(&pointer).unwrap_or_else(|| panic!("no {pointer}")).clone();
        let answer = get(&server, exchange.path).await;
        assert_eq!(answer.status, 200, "{}", exchange.example);
        let answered = answer.json();
        // The links name the test server's port; keep the snapshots stable.
        let mut snapshot = answered.clone();
        if exchange.list {
            snapshot["next_page_url"] = json!("[next page url]");
        }
        insta::assert_json_snapshot!(exchange.example, snapshot);
        let expected = if exchange.list { documented_page(documented, &answered) } else { documented };
        assert_eq!(
            serde_json::to_string_pretty(&answered).unwrap(),
            serde_json::to_string_pretty(&expected).unwrap(),
            "{}: standin's answer differs from the documented example (key order included)",
            exchange.example
        );
    }
}

#[tokio::test]
async fn the_documented_rate_limit_answer() {
    let server = TestStandin::start_with(|c| {
        c.fixtures = standin::config::Fixtures::Docs;
        c.marketplace.rate_limits = vec!["*=60".parse().unwrap()];
    })
    .await;
    for response in ["ForbiddenPublicClouds", "ForbiddenPrivateClouds", "ForbiddenConsultants"] {
        let documented = response_example(response, "rateLimited");
        let path = match response {
            "ForbiddenPublicClouds" => "/public-clouds",
            "ForbiddenPrivateClouds" => "/private-clouds/123456",
            _ => "/consultants/123456/offices",
        };
        let mut last = None;
        for _ in 0..61 {
            last = Some(get(&server, path).await);
        }
        let answer = last.unwrap();
        assert_eq!(answer.status, 403, "{response}");
        assert_eq!(answer.header("content-type"), Some("application/json"));
        assert_eq!(answer.header("x-ratelimit-limit"), Some("60"));
        assert_eq!(answer.header("x-ratelimit-remaining"), Some("0"));
        assert!(answer.header("x-ratelimit-reset").is_some());
        insta::assert_json_snapshot!(format!("rateLimited_{response}"), answer.json());
        assert_eq!(answer.json(), documented, "{response}");
    }
}

#[test]
fn every_documented_response_example_is_replayed_here() {
    let contract = contract();
    let mut replayed: Vec<&str> = exchanges().iter().map(|e| e.example).collect();
    replayed.push("rateLimited");
    for obj in contract.sourced_objects() {
        if obj.pointer.contains("/responses/") && obj.pointer.contains("/examples/") {
            let key = obj.pointer.rsplit('/').next().unwrap();
            assert!(replayed.contains(&key), "{} is documented but not replayed by this test", obj.pointer);
        }
    }
}
