//! `GET /_standin/state` and `PUT /_standin/state`: the whole state as one document, and back.

use reqwest::Method;
use serde_json::json;
use standin::config::ApiKind;

use super::control;
use crate::barbican::Barbican;
use crate::harness::TestStandin;

#[tokio::test]
async fn an_exported_state_loads_back_into_another_standin() {
    let first = TestStandin::start().await;
    let b = Barbican::new(&first, "p1");
    let id = b.create_key("kept").await;
    let (_, before) = b.get_json(&format!("/v1/orders/{id}")).await;
    let (status, snapshot) = control(&first, ApiKind::Barbican, Method::GET, "/state", None).await;
    assert_eq!(status, 200);
    assert_eq!(snapshot["format"], "standin-state/1");
    assert_eq!(snapshot["tables"]["barbican_orders"].as_array().unwrap().len(), 1);
    for table in ["orchestrator_deployments", "marketplace_company_services"] {
        assert!(snapshot["tables"][table].is_array(), "every API's tables are in it: {table}");
    }

    let second = TestStandin::start().await;
    let (status, report) = control(&second, ApiKind::Orchestrator, Method::PUT, "/state", Some(snapshot)).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["rows"]["barbican_orders"], 1);
    let b2 = Barbican::new(&second, "p1");
    assert_eq!(b2.get_json(&format!("/v1/orders/{id}")).await, (200, before.clone()), "the same order, byte for byte");
    assert_eq!(b2.get_json("/v1/orders").await.1["total"], 1, "the paging count came along");
    // Its secret's material came along too.
    let secret = before["secret_ref"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
    let path = format!("/barbican/secrets/{secret}/material");
    assert_eq!(control(&second, ApiKind::Barbican, Method::GET, &path, None).await.0, 200);
}

#[tokio::test]
async fn a_snapshot_that_cannot_load_changes_nothing() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    b.create_key("stays").await;
    let bad = json!({"format": "standin-state/1", "tables": {"barbican_orders": [{"id": "x", "colour": "blue"}]}});
    let (status, body) = control(&server, ApiKind::Barbican, Method::PUT, "/state", Some(bad)).await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().contains(r#"no column "colour""#), "{body}");
    let missing = json!({"format": "standin-state/1", "tables": {"barbican_orders": [{"id": "x"}]}});
    let (status, body) = control(&server, ApiKind::Barbican, Method::PUT, "/state", Some(missing)).await;
    assert_eq!(status, 400, "a row missing required columns cannot be stored: {body}");
    let other = json!({"format": "standin-state/9", "tables": {}});
    assert_eq!(control(&server, ApiKind::Barbican, Method::PUT, "/state", Some(other)).await.0, 400);
    assert_eq!(b.get_json("/v1/orders").await.1["total"], 1, "the order is still there");
}
