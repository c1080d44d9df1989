//! `PUT /deployments/{id}`: 202 and the update lifecycle, the status matrix (409), the owner rule, merged
//! parameters, refused providers, and the documented request from the state the document implies.

use reqwest::Method;
use serde_json::json;
use standin::config::Fixtures;
use standin::orchestrator::auth::{COLLEAGUE_TOKEN, OTHER_ORG_TOKEN};
use standin::orchestrator::fixtures::DOCS_TOKEN;
use standin::orchestrator::lifecycle::Lifecycle;

use super::{Orchestrator, TEMPLATE, error, failing_template, start_with_lifecycle};
use crate::harness::TestStandin;

#[tokio::test]
async fn an_update_is_accepted_runs_and_completes_with_merged_parameters() {
    let server = start_with_lifecycle(Lifecycle::AfterPolls(1)).await;
    let o = Orchestrator::new(&server);
    let id = o.create_with(json!({"template": TEMPLATE, "parameters": {"cpus": 2}})).await;
    o.deployment(&id).await;
    assert_eq!(o.deployment(&id).await["status"], "CREATE_COMPLETE");
    let path = format!("/deployments/{id}");
    let (status, body) =
        o.call(Method::PUT, &path, &json!({"template": TEMPLATE, "callback": "http://127.0.0.1:9/x"})).await;
    assert_eq!((status, body), (202, serde_json::Value::Null));
    let during = o.deployment(&id).await;
    assert_eq!((during["status"].as_str(), during["task"].as_str()), (Some("UPDATE_IN_PROGRESS"), Some("DEPLOYER")));
    let after = o.deployment(&id).await;
    assert_eq!(after["status"], "UPDATE_COMPLETE");
    assert_eq!(after["outputs"]["cpus"], 2, "the stored parameters are kept");
    assert_eq!(after["callback"], "http://127.0.0.1:9/x");
    let (status, _) = o.call(Method::PUT, &path, &json!({"template": TEMPLATE, "parameters": {"cpus": 8}})).await;
    assert_eq!(status, 202);
    o.deployment(&id).await;
    assert_eq!(o.deployment(&id).await["outputs"]["cpus"], 8, "given parameters are merged in");
}

#[tokio::test]
async fn the_status_matrix_and_the_owner_rule() {
    let server = start_with_lifecycle(Lifecycle::Manual).await;
    let o = Orchestrator::new(&server);
    let id = o.create(TEMPLATE).await;
    let path = format!("/deployments/{id}");
    let (status, body) = o.call(Method::PUT, &path, &json!({"template": TEMPLATE})).await;
    assert_eq!((status, body), (409, error(409, "Conflict", "Cannot update a deployment in CREATE_IN_PROGRESS state")));
    let (status, body) =
        Orchestrator::as_token(&server, COLLEAGUE_TOKEN).call(Method::PUT, &path, &json!({"template": TEMPLATE})).await;
    assert_eq!(
        (status, body),
        (403, error(403, "Forbidden", "Only the owner of the deployment can perform this operation"))
    );
    let (status, _) =
        Orchestrator::as_token(&server, OTHER_ORG_TOKEN).call(Method::PUT, &path, &json!({"template": TEMPLATE})).await;
    assert_eq!(status, 404);
    let (status, body) = o.call(Method::PUT, &path, &json!({})).await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn a_failed_create_cannot_be_updated_a_failed_update_can() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let failed = o.create(&failing_template("create", "boom")).await;
    assert_eq!(o.deployment(&failed).await["status"], "CREATE_FAILED");
    let (status, body) = o.call(Method::PUT, &format!("/deployments/{failed}"), &json!({"template": TEMPLATE})).await;
    assert_eq!((status, body["message"].as_str()), (409, Some("Cannot update a deployment in CREATE_FAILED state")));

    let id = o.create_complete(TEMPLATE).await;
    let path = format!("/deployments/{id}");
    let (status, _) = o.call(Method::PUT, &path, &json!({"template": failing_template("update", "no room")})).await;
    assert_eq!(status, 202);
    let after = o.deployment(&id).await;
    assert_eq!((after["status"].as_str(), after["statusReason"].as_str()), (Some("UPDATE_FAILED"), Some("no room")));
    let (status, _) = o.call(Method::PUT, &path, &json!({"template": TEMPLATE})).await;
    assert_eq!(status, 202, "UPDATE_FAILED may be updated again");
    assert_eq!(o.deployment(&id).await["status"], "UPDATE_COMPLETE");
}

#[tokio::test]
async fn chronos_deployments_cannot_be_updated() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let chronos = "tosca_definitions_version: tosca_simple_yaml_1_0\ntopology_template:\n  node_templates:\n    job:\n      type: tosca.nodes.indigo.Container.Application.Docker.Chronos\n";
    let id = o.create_complete(chronos).await;
    let (status, body) = o.call(Method::PUT, &format!("/deployments/{id}"), &json!({"template": chronos})).await;
    assert_eq!((status, body), (400, error(400, "Bad Request", "CHRONOS deployments cannot be updated.")));
}

#[tokio::test]
async fn the_documented_request_is_accepted_from_a_completed_deployment() {
    let server = TestStandin::start_with(|c| c.fixtures = Fixtures::Docs).await;
    let o = Orchestrator::as_token(&server, DOCS_TOKEN);
    // `template` stands for the documented template with --fixtures docs (erratum O24).
    let id = o.create_complete("template").await;
    let documented = json!({
        "template": "template", "parameters": {"cpus": 1}, "callback": "http://localhost:8080/callback",
        "timeoutMins": 5, "providerTimeoutMins": 5, "maxProvidersRetry": 1, "keepLastAttempt": false
    });
    let resp = o.send_json(Method::PUT, &format!("/deployments/{id}"), &documented).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 202);
    assert!(resp.bytes().await.unwrap().is_empty());
}
