//! `DELETE /deployments/{id}`: 204; a deployment without a provider is gone at once, any other goes through
//! `DELETE_IN_PROGRESS`; 409 while being deleted; failures leave `DELETE_FAILED`; owner only.

use reqwest::Method;
use serde_json::Value;
use standin::orchestrator::auth::{COLLEAGUE_TOKEN, READ_ONLY_TOKEN};
use standin::orchestrator::lifecycle::Lifecycle;

use super::{Orchestrator, TEMPLATE, error, failing_template, start_with_lifecycle};
use crate::harness::TestStandin;

#[tokio::test]
async fn a_deployment_without_a_provider_is_removed_at_once() {
    let server = start_with_lifecycle(Lifecycle::Manual).await;
    let o = Orchestrator::new(&server);
    let id = o.create(TEMPLATE).await;
    let path = format!("/deployments/{id}");
    let resp = o.request(Method::DELETE, &path).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 204);
    assert!(resp.bytes().await.unwrap().is_empty());
    let (status, body) = o.get_json(&path).await;
    assert_eq!((status, body), (404, error(404, "Not Found", &format!("The deployment <{id}> doesn't exist"))));
}

#[tokio::test]
async fn a_deployed_one_goes_through_delete_in_progress_then_is_gone() {
    let server = start_with_lifecycle(Lifecycle::AfterPolls(2)).await;
    let o = Orchestrator::new(&server);
    let id = o.create(TEMPLATE).await;
    o.deployment(&id).await;
    o.deployment(&id).await;
    assert_eq!(o.deployment(&id).await["status"], "CREATE_COMPLETE");
    let path = format!("/deployments/{id}");
    assert_eq!(o.call(Method::DELETE, &path, &Value::Null).await.0, 204);
    let (_, resources) = o.get_json(&format!("{path}/resources")).await;
    assert!(resources["content"].as_array().unwrap().iter().all(|r| r["state"] == "DELETING"), "{resources}");
    let (status, body) = o.call(Method::DELETE, &path, &Value::Null).await;
    assert_eq!((status, body), (409, error(409, "Conflict", "Deployment already in DELETE_IN_PROGRESS state.")));
    assert_eq!(o.get_json(&path).await.0, 404);
}

#[tokio::test]
async fn a_failed_deletion_leaves_delete_failed_and_may_be_retried() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let id = o.create_complete(&failing_template("delete", "volume busy")).await;
    let path = format!("/deployments/{id}");
    assert_eq!(o.call(Method::DELETE, &path, &Value::Null).await.0, 204);
    let d = o.deployment(&id).await;
    assert_eq!((d["status"].as_str(), d["statusReason"].as_str()), (Some("DELETE_FAILED"), Some("volume busy")));
    assert_eq!(o.call(Method::DELETE, &path, &Value::Null).await.0, 204);
}

#[tokio::test]
async fn only_the_owner_with_the_scope() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let id = o.create(TEMPLATE).await;
    let path = format!("/deployments/{id}");
    let (status, body) =
        Orchestrator::as_token(&server, COLLEAGUE_TOKEN).call(Method::DELETE, &path, &Value::Null).await;
    assert_eq!(
        (status, body),
        (403, error(403, "Forbidden", "Only the owner of the deployment can perform this operation"))
    );
    let (status, _) = Orchestrator::as_token(&server, READ_ONLY_TOKEN).call(Method::DELETE, &path, &Value::Null).await;
    assert_eq!(status, 403);
    let (status, _) = o.call(Method::DELETE, "/deployments/unknown", &Value::Null).await;
    assert_eq!(status, 404);
}
