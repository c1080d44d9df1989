//! `POST /_standin/reset`: everything, one API's state, or one Barbican project's.

use reqwest::Method;
use serde_json::json;
use standin::config::ApiKind;

use super::control;
use crate::barbican::Barbican;
use crate::harness::TestStandin;

#[tokio::test]
async fn a_project_reset_removes_only_that_projects_orders() {
    let server = TestStandin::start().await;
    let (p1, p2) = (Barbican::new(&server, "p1"), Barbican::new(&server, "p2"));
    let gone = p1.create_key("a").await;
    p1.create_key("b").await;
    p2.create_key("c").await;
    let body = json!({"api": "barbican", "project": "p1"});
    let reply = control(&server, ApiKind::Marketplace, Method::POST, "/reset", Some(body)).await;
    assert_eq!(reply, (200, json!({"barbican_orders": 2})), "any listener's control plane resets Barbican");
    assert_eq!(p1.get_json("/v1/orders").await.1["total"], 0);
    assert_eq!(p1.get_json(&format!("/v1/orders/{gone}")).await.0, 404);
    assert_eq!(p2.get_json("/v1/orders").await.1["total"], 1, "the other project keeps its order");
    // The count kept for paging starts again from zero.
    p1.create_key("d").await;
    assert_eq!(p1.get_json("/v1/orders").await.1["total"], 1);
}

#[tokio::test]
async fn an_empty_reset_removes_everything() {
    let server = TestStandin::start().await;
    let p1 = Barbican::new(&server, "p1");
    p1.create_key("a").await;
    Barbican::new(&server, "p2").create_key("b").await;
    assert_eq!(
        control(&server, ApiKind::Barbican, Method::POST, "/reset", Some(json!({}))).await,
        (200, json!({"barbican_orders": 2}))
    );
    assert_eq!(p1.get_json("/v1/orders").await.1["total"], 0);
}

#[tokio::test]
async fn a_project_without_barbican_or_an_unknown_api_is_refused() {
    let server = TestStandin::start().await;
    let (status, body) =
        control(&server, ApiKind::Barbican, Method::POST, "/reset", Some(json!({"project": "p1"}))).await;
    assert_eq!((status, body), (400, json!({"message": "`project` scopes a reset of `api: barbican` only"})));
    let (status, body) =
        control(&server, ApiKind::Barbican, Method::POST, "/reset", Some(json!({"api": "nova"}))).await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().contains(r#"found "nova""#), "{body}");
    let resp = server
        .http
        .post(server.url(ApiKind::Barbican, "/_standin/reset"))
        .body("{not json")
        .header("Content-Type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(
        resp.json::<serde_json::Value>().await.unwrap()["message"].is_string(),
        "bad JSON gets the control error body"
    );
}
