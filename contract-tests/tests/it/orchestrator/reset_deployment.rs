//! `PATCH /deployments/{id}`: only `DELETE_IN_PROGRESS` → `DELETE_FAILED`, with the real checks in order.

use reqwest::Method;
use serde_json::json;
use standin::orchestrator::auth::COLLEAGUE_TOKEN;
use standin::orchestrator::lifecycle::Lifecycle;

use super::{Orchestrator, TEMPLATE, error, start_with_lifecycle};
use crate::harness::TestStandin;

/// A deployment of the default user that is DELETE_IN_PROGRESS (the lifecycle holds it for a few reads).
async fn deleting(o: &Orchestrator<'_>) -> String {
    let id = o.create(TEMPLATE).await;
    for _ in 0..4 {
        o.deployment(&id).await;
    }
    assert_eq!(o.deployment(&id).await["status"], "CREATE_COMPLETE");
    let (status, _) = o.call(Method::DELETE, &format!("/deployments/{id}"), &serde_json::Value::Null).await;
    assert_eq!(status, 204);
    id
}

#[tokio::test]
async fn a_deployment_being_deleted_is_reset_to_delete_failed() {
    let server = start_with_lifecycle(Lifecycle::AfterPolls(3)).await;
    let o = Orchestrator::new(&server);
    let id = deleting(&o).await;
    let path = format!("/deployments/{id}");
    let (status, body) = o.call(Method::PATCH, &path, &json!({"status": "DELETE_FAILED"})).await;
    assert_eq!((status, body), (204, serde_json::Value::Null));
    let d = o.deployment(&id).await;
    assert_eq!((d["status"].as_str(), d["task"].as_str()), (Some("DELETE_FAILED"), Some("NONE")));
    assert!(d.get("statusReason").is_none());
    let (status, body) = o.call(Method::PATCH, &path, &json!({"status": "DELETE_FAILED"})).await;
    assert_eq!((status, body), (409, error(409, "Conflict", "Cannot reset a deployment in DELETE_FAILED state")));
    // From DELETE_FAILED a deployment can be deleted again.
    let (status, _) = o.call(Method::DELETE, &path, &serde_json::Value::Null).await;
    assert_eq!(status, 204);
}

#[tokio::test]
async fn values_other_than_delete_failed() {
    let server = start_with_lifecycle(Lifecycle::AfterPolls(3)).await;
    let o = Orchestrator::new(&server);
    let id = deleting(&o).await;
    let path = format!("/deployments/{id}");
    let (status, body) = o.call(Method::PATCH, &path, &json!({"status": "CREATE_COMPLETE"})).await;
    assert_eq!(
        (status, body),
        (400, error(400, "Bad Request", "Cannot reset deployment: illegal status CREATE_COMPLETE."))
    );
    let (status, body) = o.call(Method::PATCH, &path, &json!({"status": "delete_failed"})).await;
    assert_eq!(
        (status, body),
        (400, error(400, "Bad Request", "Cannot reset deployment: illegal status delete_failed."))
    );
    let (status, _) = Orchestrator::as_token(&server, COLLEAGUE_TOKEN)
        .call(Method::PATCH, &path, &json!({"status": "DELETE_FAILED"}))
        .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn the_real_500s_on_request() {
    let server = TestStandin::start_with(|c| {
        c.orchestrator.real_500s = true;
        c.orchestrator.lifecycle = Lifecycle::AfterPolls(3);
    })
    .await;
    let o = Orchestrator::new(&server);
    let id = deleting(&o).await;
    let path = format!("/deployments/{id}");
    let (status, body) = o.call(Method::PATCH, &path, &json!({"status": "delete_failed"})).await;
    assert_eq!(
        (status, body),
        (500, error(500, "Internal Server Error", "No enum constant it.reply.orchestrator.enums.Status.delete_failed"))
    );
    let (status, body) = o.call(Method::PATCH, &path, &json!({})).await;
    assert_eq!((status, body), (500, error(500, "Internal Server Error", "Name is null")));
}
