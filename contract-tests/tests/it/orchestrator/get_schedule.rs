//! `GET /schedules/{id}`: visible to the organisation; the real 404 text says "deployment".

use reqwest::Method;
use serde_json::json;
use standin::orchestrator::auth::{COLLEAGUE_TOKEN, OTHER_ORG_TOKEN};

use super::{Orchestrator, TEMPLATE, error};
use crate::harness::TestStandin;

#[tokio::test]
async fn visibility_and_404() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let body =
        json!({"template": TEMPLATE, "fileExpression": "a", "replicationExpression": "b", "numberOfReplicas": 2});
    let (_, s) = o.call(Method::POST, "/schedules", &body).await;
    let path = format!("/schedules/{}", s["uuid"].as_str().unwrap());
    let (status, got) = Orchestrator::as_token(&server, COLLEAGUE_TOKEN).get_json(&path).await;
    assert_eq!((status, got), (200, s.clone()));
    let (status, reply) = Orchestrator::as_token(&server, OTHER_ORG_TOKEN).get_json(&path).await;
    assert_eq!(status, 404, "{reply}");
    let (status, reply) = o.get_json("/schedules/nope").await;
    assert_eq!((status, reply), (404, error(404, "Not Found", "The deployment <nope> doesn't exist")));
}
