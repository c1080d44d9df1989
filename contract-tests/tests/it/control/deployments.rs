//! Orchestrator deployments in the control plane: their lifecycle changed at runtime, and
//! `POST /_standin/orchestrator/deployments/{id}/advance`, seen through the orchestrator's own API.

use reqwest::Method;
use serde_json::json;
use standin::config::ApiKind;
use standin::orchestrator::lifecycle::Lifecycle;

use super::control;
use crate::harness::TestStandin;
use crate::orchestrator::{Orchestrator, TEMPLATE, callback_listener, failing_template, start_with_lifecycle};

async fn advance(server: &TestStandin, id: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
    control(server, ApiKind::Orchestrator, Method::POST, &format!("/orchestrator/deployments/{id}/advance"), Some(body))
        .await
}

#[tokio::test]
async fn the_deployment_lifecycle_changes_at_runtime_for_new_steps() {
    let server = TestStandin::start().await;
    let (status, now) = control(&server, ApiKind::Barbican, Method::GET, "/lifecycles", None).await;
    assert_eq!((status, now), (200, json!({"barbican_orders": "immediate", "orchestrator_deployments": "immediate"})));
    let o = Orchestrator::new(&server);
    let before = o.create(TEMPLATE).await;
    let change = json!({"orchestrator_deployments": "manual"});
    assert_eq!(
        control(&server, ApiKind::Marketplace, Method::PUT, "/lifecycles", Some(change)).await,
        (200, json!({"barbican_orders": "immediate", "orchestrator_deployments": "manual"}))
    );
    let held = o.create(TEMPLATE).await;
    assert_eq!(o.deployment(&before).await["status"], "CREATE_COMPLETE", "a step started before keeps its rule");
    for _ in 0..2 {
        assert_eq!(o.deployment(&held).await["status"], "CREATE_IN_PROGRESS");
    }
    let bad = json!({"orchestrator_deployments": "sometimes"});
    let (status, body) = control(&server, ApiKind::Orchestrator, Method::PUT, "/lifecycles", Some(bad)).await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().starts_with("orchestrator_deployments: `sometimes`"), "{body}");
}

#[tokio::test]
async fn a_held_creation_goes_to_create_failed_with_the_reason_and_is_notified() {
    let server = start_with_lifecycle(Lifecycle::Manual).await;
    let o = Orchestrator::new(&server);
    let (url, received) = callback_listener().await;
    let id = o.create_with(json!({"template": TEMPLATE, "callback": url})).await;
    let body = json!({"to": "CREATE_FAILED", "status_reason": "no quota left"});
    let (status, moved) = advance(&server, &id, body).await;
    assert_eq!(
        (status, moved),
        (200, json!({"deployment_id": id, "status": "CREATE_FAILED", "status_reason": "no quota left"}))
    );
    let d = o.deployment(&id).await;
    assert_eq!((d["status"].as_str(), d["statusReason"].as_str()), (Some("CREATE_FAILED"), Some("no quota left")));
    let (_, payload) = tokio::time::timeout(std::time::Duration::from_secs(10), received).await.unwrap().unwrap();
    assert_eq!((payload["uuid"].as_str(), payload["status"].as_str()), (Some(id.as_str()), Some("CREATE_FAILED")));

    let (status, body) = advance(&server, &id, json!({"to": "next"})).await;
    assert_eq!(status, 409);
    assert_eq!(body["message"], format!("deployment {id} is CREATE_FAILED, not in progress: it has no step to finish"));
}

#[tokio::test]
async fn next_gives_the_outcome_the_step_was_going_to_have() {
    let server = start_with_lifecycle(Lifecycle::Manual).await;
    let o = Orchestrator::new(&server);
    let fine = o.create(TEMPLATE).await;
    let (status, moved) = advance(&server, &fine, json!({"to": "next"})).await;
    assert_eq!((status, moved["status"].as_str()), (200, Some("CREATE_COMPLETE")));
    let d = o.deployment(&fine).await;
    assert_eq!((d["status"].as_str(), d["outputs"]["cpus"].as_i64()), (Some("CREATE_COMPLETE"), Some(1)));

    let doomed = o.create(&failing_template("create", "asked for")).await;
    let (status, moved) = advance(&server, &doomed, json!({"to": "next"})).await;
    assert_eq!((status, moved["status_reason"].as_str()), (200, Some("asked for")));
    assert_eq!(o.deployment(&doomed).await["status"], "CREATE_FAILED");
}

#[tokio::test]
async fn only_the_ends_of_the_current_step_are_allowed() {
    let server = start_with_lifecycle(Lifecycle::Manual).await;
    let o = Orchestrator::new(&server);
    let id = o.create(TEMPLATE).await;
    let (status, body) = advance(&server, &id, json!({"to": "UPDATE_COMPLETE"})).await;
    assert_eq!(status, 409);
    assert_eq!(
        body["message"],
        format!(
            "deployment {id} is CREATE_IN_PROGRESS: its step ends in CREATE_COMPLETE or CREATE_FAILED, not UPDATE_COMPLETE"
        )
    );
    let (status, _) = advance(&server, &id, json!({"to": "CREATE_COMPLETE", "status_reason": "x"})).await;
    assert_eq!(status, 400, "a reason goes with a failure only");
    let (status, _) = advance(&server, &id, json!({"to": "CREATE_DONE"})).await;
    assert_eq!(status, 400);
    let (status, body) = advance(&server, "no-such-deployment", json!({"to": "next"})).await;
    assert_eq!((status, body), (404, json!({"message": "no deployment no-such-deployment"})));

    // Create, then update (held too) to UPDATE_FAILED with the step's default reason, then delete to gone.
    assert_eq!(advance(&server, &id, json!({"to": "CREATE_COMPLETE"})).await.0, 200);
    let (status, _) = o.call(Method::PUT, &format!("/deployments/{id}"), &json!({"template": TEMPLATE})).await;
    assert_eq!(status, 202);
    assert_eq!(o.deployment(&id).await["status"], "UPDATE_IN_PROGRESS");
    let (status, moved) = advance(&server, &id, json!({"to": "UPDATE_FAILED"})).await;
    assert_eq!((status, moved["status"].as_str()), (200, Some("UPDATE_FAILED")));
    assert!(moved["status_reason"].as_str().unwrap().starts_with("Error updating the deployment"), "{moved}");
    let resp = o.request(Method::DELETE, &format!("/deployments/{id}")).send().await.unwrap();
    assert_eq!(resp.status(), 204);
    assert_eq!(advance(&server, &id, json!({"to": "DELETE_FAILED"})).await.1["status"], "DELETE_FAILED");
    let resp = o.request(Method::DELETE, &format!("/deployments/{id}")).send().await.unwrap();
    assert_eq!(resp.status(), 204);
    assert_eq!(
        advance(&server, &id, json!({"to": "DELETE_COMPLETE"})).await,
        (200, json!({"deployment_id": id, "status": "DELETE_COMPLETE"}))
    );
    assert_eq!(o.get_json(&format!("/deployments/{id}")).await.0, 404, "the undeployed deployment is gone");
}
