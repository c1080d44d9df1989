//! `POST /_standin/fixtures`: the documented data set, or a fixture document (the checked-in
//! example, `contract-tests/fixtures/example.yaml`), seen through the APIs.

use reqwest::Method;
use serde_json::{Value, json};
use standin::config::ApiKind;

use super::control;
use crate::barbican::Barbican;
use crate::harness::TestStandin;
use crate::orchestrator::Orchestrator;

fn example() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/example.yaml");
    serde_norway::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[tokio::test]
async fn the_docs_set_loads_every_apis_documented_data_once() {
    let server = TestStandin::start().await;
    let (status, report) =
        control(&server, ApiKind::Marketplace, Method::POST, "/fixtures", Some(json!({"set": "docs"}))).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        report,
        json!({"loaded": {"barbican_orders": 6, "marketplace_services": 60, "orchestrator_deployments": 10}})
    );
    let (_, orders) = Barbican::new(&server, "demo-project").get_json("/v1/orders").await;
    assert_eq!(orders["total"], 2, "the documented orders of demo-project");
    let (_, report) =
        control(&server, ApiKind::Barbican, Method::POST, "/fixtures", Some(json!({"set": "docs"}))).await;
    assert_eq!(
        report,
        json!({"loaded": {"barbican_orders": 0, "marketplace_services": 0, "orchestrator_deployments": 0}}),
        "what is already there is left alone"
    );
}

#[tokio::test]
async fn the_example_fixture_loads_and_is_served_by_every_api() {
    let server = TestStandin::start().await;
    let body = json!({"document": example()});
    let (status, report) = control(&server, ApiKind::Orchestrator, Method::POST, "/fixtures", Some(body)).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["loaded"]["barbican_orders"], 1);

    let b = Barbican::new(&server, "example-project");
    let (status, orders) = b.get_json("/v1/orders").await;
    assert_eq!((status, orders["total"].as_i64()), (200, Some(1)), "{orders}");
    assert_eq!(orders["orders"][0]["status"], "ACTIVE");
    let (status, payload) = {
        let resp = b
            .request(Method::GET, "/v1/secrets/0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70/payload")
            .header("Accept", "application/octet-stream")
            .send()
            .await
            .unwrap();
        (resp.status().as_u16(), resp.bytes().await.unwrap().to_vec())
    };
    assert_eq!((status, payload), (200, (0u8..32).collect::<Vec<_>>()));

    let cloud = crate::marketplace::get(&server, "/public-clouds/42").await;
    assert_eq!((cloud.status, cloud.json()["Name"].clone()), (200, json!("Example Cloud")));
    let clouds = crate::marketplace::get(&server, "/public-clouds").await.json();
    assert_eq!(clouds["total"], 1, "the counts are derived from the rows: {clouds}");

    let o = Orchestrator::new(&server);
    let d = o.deployment("3b4c5d6e-7f80-4192-a3b4-c5d6e7f80912").await;
    assert_eq!(
        (d["status"].as_str(), d["outputs"]["greeting"].as_str()),
        (Some("CREATE_COMPLETE"), Some("hello from a fixture"))
    );
    let (_, page) = o.get_json("/deployments?createdBy=me").await;
    assert_eq!(page["page"]["totalElements"], 1, "{page}");
}

#[tokio::test]
async fn a_fixture_request_needs_exactly_one_source_and_a_bad_document_changes_nothing() {
    let server = TestStandin::start().await;
    Barbican::new(&server, "p1").create_key("kept").await;
    for body in [json!({}), json!({"set": "docs", "document": example()})] {
        let (status, reply) = control(&server, ApiKind::Barbican, Method::POST, "/fixtures", Some(body)).await;
        assert_eq!((status, reply), (400, json!({"message": "exactly one of `set` and `document`"})));
    }
    let bad = json!({"document": {"format": "standin-state/1", "tables": {"nope": []}}});
    let (status, _) = control(&server, ApiKind::Barbican, Method::POST, "/fixtures", Some(bad)).await;
    assert_eq!(status, 400);
    assert_eq!(Barbican::new(&server, "p1").get_json("/v1/orders").await.1["total"], 1);
}

#[tokio::test]
async fn a_snapshot_with_every_apis_documented_data_round_trips() {
    let server = TestStandin::with_docs_fixtures().await;
    let (_, snapshot) = control(&server, ApiKind::Barbican, Method::GET, "/state", None).await;
    let (status, report) = control(&server, ApiKind::Barbican, Method::PUT, "/state", Some(snapshot.clone())).await;
    assert_eq!(status, 200, "references and counts load in any table order: {report}");
    let (_, again) = control(&server, ApiKind::Barbican, Method::GET, "/state", None).await;
    assert_eq!(again, snapshot);
}

#[tokio::test]
async fn the_example_in_docs_fixtures_md_loads() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/fixtures.md");
    let text = std::fs::read_to_string(path).unwrap();
    let example = text.split("## An example").nth(1).unwrap();
    let yaml = example.split("```yaml\n").nth(1).unwrap().split("```").next().unwrap();
    let document: Value = serde_norway::from_str(yaml).unwrap();
    let server = TestStandin::start().await;
    let (status, report) =
        control(&server, ApiKind::Barbican, Method::POST, "/fixtures", Some(json!({ "document": document }))).await;
    assert_eq!(status, 200, "{report}");
    let (_, orders) = Barbican::new(&server, "example-project").get_json("/v1/orders").await;
    assert_eq!(orders["total"], 1);
}
