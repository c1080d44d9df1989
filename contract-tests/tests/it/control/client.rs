//! The test issue 8 asks for: a client drives a deployment to CREATE_FAILED and an order to ERROR
//! through the control plane, and sees both through the public APIs, read with the clients
//! generated from the contracts (`generated/`).

use barbican_client::apis::configuration::Configuration as BarbicanConfig;
use barbican_client::apis::orders_api::{GetOrderParams, get_order};
use barbican_client::models::OrderStatus;
use orchestrator_client::apis::configuration::Configuration as OrchestratorConfig;
use orchestrator_client::apis::deployments_api::{GetDeploymentParams, get_deployment};
use orchestrator_client::models::DeploymentStatus;
use reqwest::Method;
use serde_json::json;
use standin::config::ApiKind;
use standin::orchestrator::auth::USER_TOKEN;

use super::control;
use crate::barbican::Barbican;
use crate::harness::TestStandin;
use crate::orchestrator::{Orchestrator, TEMPLATE};

#[tokio::test]
async fn a_deployment_to_create_failed_and_an_order_to_error_are_seen_through_the_generated_clients() {
    let server = TestStandin::start().await;
    // Hold both kinds of resource, from any listener's control plane.
    let hold = json!({"barbican_orders": "manual", "orchestrator_deployments": "manual"});
    assert_eq!(control(&server, ApiKind::Orchestrator, Method::PUT, "/lifecycles", Some(hold)).await.0, 200);

    let order_id = Barbican::new(&server, "p1").create_key("k").await;
    let deployment_id = Orchestrator::new(&server).create(TEMPLATE).await;

    let to_error = json!({"to": "ERROR", "error_status_code": "503", "error_reason": "HSM unavailable"});
    let path = format!("/barbican/orders/{order_id}/advance");
    assert_eq!(control(&server, ApiKind::Barbican, Method::POST, &path, Some(to_error)).await.0, 200);
    let to_failed = json!({"to": "CREATE_FAILED", "status_reason": "Retries on cloud providers exhausted"});
    let path = format!("/orchestrator/deployments/{deployment_id}/advance");
    assert_eq!(control(&server, ApiKind::Orchestrator, Method::POST, &path, Some(to_failed)).await.0, 200);

    // Barbican, through its generated client (no-auth mode: the project in X-Project-Id).
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("X-Project-Id", "p1".parse().unwrap());
    let barbican = BarbicanConfig {
        base_path: server.url(ApiKind::Barbican, ""),
        client: reqwest::Client::builder().default_headers(headers).build().unwrap(),
        ..BarbicanConfig::default()
    };
    let order = get_order(&barbican, GetOrderParams { order_id: order_id.clone(), open_stack_api_version: None })
        .await
        .expect("the order, as the contract describes it");
    assert_eq!(order.status, OrderStatus::Error);
    assert_eq!(order.error_status_code.as_deref(), Some("503"));
    assert_eq!(order.error_reason.as_deref(), Some("HSM unavailable"));

    // The orchestrator, through its generated client.
    let orchestrator = OrchestratorConfig {
        base_path: server.url(ApiKind::Orchestrator, ""),
        bearer_access_token: Some(USER_TOKEN.into()),
        ..OrchestratorConfig::default()
    };
    let deployment = get_deployment(&orchestrator, GetDeploymentParams { deployment_id: deployment_id.clone() })
        .await
        .expect("the deployment, as the contract describes it");
    assert_eq!(deployment.uuid, deployment_id);
    assert_eq!(deployment.status, DeploymentStatus::CreateFailed);
    assert_eq!(deployment.status_reason.as_deref(), Some("Retries on cloud providers exhausted"));
}
