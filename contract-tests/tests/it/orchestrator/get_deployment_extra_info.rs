//! `GET /deployments/{id}/extrainfo`: text/plain, owner only; the machines' information as a JSON array text.

use serde_json::Value;
use standin::orchestrator::auth::COLLEAGUE_TOKEN;
use standin::orchestrator::lifecycle::Lifecycle;

use super::{Orchestrator, TEMPLATE, start_with_lifecycle};
use crate::harness::TestStandin;

async fn text(o: &Orchestrator<'_>, path: &str) -> (u16, String) {
    let resp = o.request(reqwest::Method::GET, path).send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

#[tokio::test]
async fn a_completed_deployment_lists_its_virtual_machines() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let id = o.create_complete(TEMPLATE).await;
    let (status, body) = text(&o, &format!("/deployments/{id}/extrainfo")).await;
    assert_eq!(status, 200);
    let infos: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(infos.as_array().unwrap().len(), 1, "one compute node: {body}");
    assert!(infos[0]["vmProperties"].is_array());
    assert_eq!(
        Orchestrator::as_token(&server, COLLEAGUE_TOKEN).get_json(&format!("/deployments/{id}/extrainfo")).await.0,
        403
    );
}

#[tokio::test]
async fn before_a_provider_it_is_an_empty_array() {
    let server = start_with_lifecycle(Lifecycle::Manual).await;
    let o = Orchestrator::new(&server);
    let id = o.create(TEMPLATE).await;
    assert_eq!(text(&o, &format!("/deployments/{id}/extrainfo")).await, (200, "[]".to_string()));
}
