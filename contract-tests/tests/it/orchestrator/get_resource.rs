//! `GET /deployments/{id}/resources/{resourceId}`.

use super::{Orchestrator, TEMPLATE, error};
use crate::harness::TestStandin;

#[tokio::test]
async fn a_resource_of_the_deployment_and_404s() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let id = o.create_complete(TEMPLATE).await;
    let (_, page) = o.get_json(&format!("/deployments/{id}/resources?type=tosca.nodes.Compute")).await;
    let rid = page["content"][0]["uuid"].as_str().unwrap();
    let (status, r) = o.get_json(&format!("/deployments/{id}/resources/{rid}")).await;
    assert_eq!(status, 200);
    let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "uuid",
            "creationTime",
            "updateTime",
            "physicalId",
            "state",
            "toscaNodeType",
            "toscaNodeName",
            "requiredBy",
            "metadata",
            "links"
        ]
    );
    assert_eq!(r["state"], "STARTED");
    assert!(r["metadata"]["VirtualMachineInfo"].is_string());
    let (status, body) = o.get_json(&format!("/deployments/{id}/resources/nope")).await;
    assert_eq!(
        (status, body),
        (404, error(404, "Not Found", &format!("The resource <nope> in deployment <{id}> doesn't exist")))
    );
    let (status, _) = o.get_json(&format!("/deployments/nope/resources/{rid}")).await;
    assert_eq!(status, 404);
}
