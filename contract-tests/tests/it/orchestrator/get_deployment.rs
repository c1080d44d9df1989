//! `GET /deployments/{id}`: visibility (same organisation and issuer may read; others get 404) and the body.

use serde_json::json;
use standin::orchestrator::auth::{ADMIN_TOKEN, COLLEAGUE_TOKEN, NO_SCOPE_TOKEN, OTHER_ORG_TOKEN};

use super::{Orchestrator, TEMPLATE, error};
use crate::harness::TestStandin;

#[tokio::test]
async fn the_owner_and_the_organisation_may_read_others_get_404() {
    let server = TestStandin::start().await;
    let owner = Orchestrator::new(&server);
    let id = owner.create(TEMPLATE).await;
    let path = format!("/deployments/{id}");
    for token in [COLLEAGUE_TOKEN, ADMIN_TOKEN] {
        let (status, body) = Orchestrator::as_token(&server, token).get_json(&path).await;
        assert_eq!((status, body["uuid"].as_str()), (200, Some(id.as_str())));
    }
    let (status, body) = Orchestrator::as_token(&server, OTHER_ORG_TOKEN).get_json(&path).await;
    assert_eq!((status, body), (404, error(404, "Not Found", &format!("The deployment <{id}> doesn't exist"))));
    let (status, body) = owner.get_json("/deployments/34483-d937-4578-bfdb-ebe196bf82dd").await;
    assert_eq!(
        (status, body),
        (404, error(404, "Not Found", "The deployment <34483-d937-4578-bfdb-ebe196bf82dd> doesn't exist"))
    );
}

#[tokio::test]
async fn a_completed_deployment_shows_its_provider_and_outputs_in_the_real_order() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let id = o.create_with(json!({"template": TEMPLATE, "parameters": {"cpus": 4}})).await;
    let body = o.deployment(&id).await;
    let keys: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "uuid",
            "creationTime",
            "updateTime",
            "physicalId",
            "status",
            "outputs",
            "task",
            "cloudProviderName",
            "cloudProviderEndpoint",
            "createdBy",
            "links"
        ]
    );
    assert_eq!(body["outputs"]["cpus"], 4, "get_input outputs are computed from the parameters");
    assert!(
        body["outputs"]["vm_ip"]
            .as_str()
            .unwrap()
            .starts_with("Failed to evaluate outputs[vm_ip][value][get_attribute]")
    );
    assert_eq!(body["cloudProviderEndpoint"]["deploymentType"], "OPENSTACK");
    let time = body["creationTime"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_str(time, "%Y-%m-%dT%H:%M%z").is_ok() && time.ends_with("+0000"), "{time}");
}

#[tokio::test]
async fn a_token_without_openid_and_profile_is_403() {
    let server = TestStandin::start().await;
    let (status, body) = Orchestrator::as_token(&server, NO_SCOPE_TOKEN).get_json("/deployments/x").await;
    assert_eq!(
        (status, body),
        (403, error(403, "Forbidden", "Insufficient scope for this resource, scope=\"openid\""))
    );
}
