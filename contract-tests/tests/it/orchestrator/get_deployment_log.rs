//! `GET /deployments/{id}/log`: text/plain, owner only; empty before there is a log.

use standin::orchestrator::auth::COLLEAGUE_TOKEN;
use standin::orchestrator::lifecycle::Lifecycle;

use super::{Orchestrator, TEMPLATE, error, start_with_lifecycle};
use crate::harness::TestStandin;

async fn text(o: &Orchestrator<'_>, path: &str) -> (u16, String, String) {
    let resp = o.request(reqwest::Method::GET, path).send().await.unwrap();
    let status = resp.status().as_u16();
    let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
    (status, ct, resp.text().await.unwrap())
}

#[tokio::test]
async fn the_owner_reads_the_log_as_text() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let id = o.create_complete(TEMPLATE).await;
    let (status, ct, body) = text(&o, &format!("/deployments/{id}/log")).await;
    assert_eq!((status, ct.as_str()), (200, "text/plain;charset=UTF-8"));
    assert!(body.contains(&id), "{body}");
    let (status, body) =
        Orchestrator::as_token(&server, COLLEAGUE_TOKEN).get_json(&format!("/deployments/{id}/log")).await;
    assert_eq!(
        (status, body),
        (403, error(403, "Forbidden", "Only the owner of the deployment can perform this operation"))
    );
    let (status, ct, _) = text(&o, "/deployments/unknown/log").await;
    assert_eq!((status, ct.as_str()), (404, "application/json;charset=UTF-8"));
}

#[tokio::test]
async fn before_a_provider_the_log_is_empty_or_the_real_500() {
    let server = start_with_lifecycle(Lifecycle::Manual).await;
    let o = Orchestrator::new(&server);
    let id = o.create(TEMPLATE).await;
    assert_eq!(text(&o, &format!("/deployments/{id}/log")).await.2, "");
    let server = TestStandin::start_with(|c| {
        c.orchestrator.lifecycle = Lifecycle::Manual;
        c.orchestrator.real_500s = true;
    })
    .await;
    let o = Orchestrator::new(&server);
    let id = o.create(TEMPLATE).await;
    let (status, body) = o.get_json(&format!("/deployments/{id}/log")).await;
    assert_eq!((status, body), (500, serde_json::json!({"code": 500, "title": "Internal Server Error"})));
}
