//! `POST .../resources/{resourceId}/actions`: start and stop on compute nodes, the synchronous checks in the
//! real order, and the state rules (a refused action fails the deployment, as the real asynchronous step does).

use reqwest::Method;
use serde_json::{Value, json};
use standin::orchestrator::auth::{COLLEAGUE_TOKEN, READ_ONLY_TOKEN};
use standin::orchestrator::lifecycle::Lifecycle;

use super::{Orchestrator, TEMPLATE, error, start_with_lifecycle};
use crate::harness::TestStandin;

async fn resource_of_type(o: &Orchestrator<'_>, id: &str, t: &str) -> String {
    let (_, page) = o.get_json(&format!("/deployments/{id}/resources?type={t}")).await;
    page["content"][0]["uuid"].as_str().unwrap().to_string()
}

async fn state(o: &Orchestrator<'_>, id: &str, rid: &str) -> Value {
    o.get_json(&format!("/deployments/{id}/resources/{rid}")).await.1["state"].clone()
}

#[tokio::test]
async fn stop_then_start_a_virtual_machine() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let id = o.create_complete(TEMPLATE).await;
    let vm = resource_of_type(&o, &id, "tosca.nodes.Compute").await;
    let path = format!("/deployments/{id}/resources/{vm}/actions");
    let resp = o.send_json(Method::POST, &path, &json!({"type": "stop"})).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 202);
    assert!(resp.bytes().await.unwrap().is_empty());
    // The action finishes on the next read (the first read sees STOPPING finish into STOPPED).
    assert_eq!(state(&o, &id, &vm).await, "STOPPED");
    assert_eq!(o.call(Method::POST, &path, &json!({"type": "start"})).await.0, 202);
    assert_eq!(state(&o, &id, &vm).await, "STARTED");
    assert_eq!(o.deployment(&id).await["status"], "CREATE_COMPLETE", "a successful action leaves the status");
}

#[tokio::test]
async fn a_refused_action_fails_the_deployment() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let id = o.create_complete(TEMPLATE).await;
    let vm = resource_of_type(&o, &id, "tosca.nodes.Compute").await;
    assert_eq!(
        o.call(Method::POST, &format!("/deployments/{id}/resources/{vm}/actions"), &json!({"type": "start"})).await.0,
        202
    );
    let d = o.deployment(&id).await;
    assert_eq!(d["status"], "CREATE_FAILED");
    assert!(d["statusReason"].as_str().unwrap().ends_with("Cannot start node in state STARTED"), "{d}");

    let id = o.create_complete(TEMPLATE).await;
    let port = resource_of_type(&o, &id, "tosca.nodes.network.Port").await;
    assert_eq!(
        o.call(Method::POST, &format!("/deployments/{id}/resources/{port}/actions"), &json!({"type": "stop"})).await.0,
        202
    );
    assert_eq!(o.deployment(&id).await["status"], "CREATE_FAILED", "only compute nodes can be stopped");
}

#[tokio::test]
async fn the_synchronous_checks() {
    let server = start_with_lifecycle(Lifecycle::Manual).await;
    let o = Orchestrator::new(&server);
    let id = o.create(TEMPLATE).await;
    let vm = resource_of_type(&o, &id, "tosca.nodes.Compute").await;
    let path = format!("/deployments/{id}/resources/{vm}/actions");
    let (status, body) = o.call(Method::POST, &path, &json!({"type": "stop"})).await;
    assert_eq!(
        (status, body),
        (409, error(409, "Conflict", "Cannot perform actions on deployment in CREATE_IN_PROGRESS state"))
    );
    let (status, body) =
        o.call(Method::POST, &format!("/deployments/{id}/resources/nope/actions"), &json!({"type": "stop"})).await;
    assert_eq!(
        (status, body),
        (400, error(400, "Bad Request", &format!("Resource nope not found in deployment {id}")))
    );
    let (status, body) =
        Orchestrator::as_token(&server, COLLEAGUE_TOKEN).call(Method::POST, &path, &json!({"type": "stop"})).await;
    assert_eq!(
        (status, body["message"].as_str()),
        (403, Some("Only the owner of the deployment can perform this operation"))
    );
    let (status, body) =
        Orchestrator::as_token(&server, READ_ONLY_TOKEN).call(Method::POST, &path, &json!({"type": "stop"})).await;
    assert_eq!(
        (status, body),
        (403, error(403, "Forbidden", "Insufficient scope for this resource, scope=\"offline_access\""))
    );
    let (status, body) = o.call(Method::POST, &path, &json!({})).await;
    assert!(status == 400 && body["message"].as_str().unwrap().contains("An action type must be provided"), "{body}");
    let (status, body) = o.call(Method::POST, &path, &json!({"type": "reboot"})).await;
    assert!(status == 400 && body["message"].as_str().unwrap().starts_with("JSON parse error:"), "{body}");
    assert_eq!(o.call(Method::POST, "/deployments/nope/resources/x/actions", &json!({"type": "stop"})).await.0, 404);
}

#[tokio::test]
async fn chronos_deployments_do_not_support_actions() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let chronos = "tosca_definitions_version: tosca_simple_yaml_1_0\ntopology_template:\n  node_templates:\n    job:\n      type: tosca.nodes.indigo.Container.Application.Docker.Chronos\n";
    let id = o.create_complete(chronos).await;
    let job = resource_of_type(&o, &id, "tosca.nodes.Root").await;
    let (status, body) =
        o.call(Method::POST, &format!("/deployments/{id}/resources/{job}/actions"), &json!({"type": "stop"})).await;
    assert_eq!((status, body), (400, error(400, "Bad Request", "CHRONOS deployment: actions not supported yet.")));
}
