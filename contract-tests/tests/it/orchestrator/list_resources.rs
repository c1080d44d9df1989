//! `GET /deployments/{id}/resources`: a page of the deployment's resources; `?type=` by type ancestry (with the
//! real "every match, unsliced" quirk); links from the request URL with the paging parameters appended.

use serde_json::{Value, json};
use standin::orchestrator::auth::OTHER_ORG_TOKEN;

use super::{Orchestrator, TEMPLATE, error};
use crate::harness::TestStandin;

fn names(page: &Value) -> Vec<&str> {
    page["content"].as_array().unwrap().iter().map(|r| r["toscaNodeName"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn type_filters_match_the_type_or_any_ancestor() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let id = o.create_complete(TEMPLATE).await;
    let list = |t: &str| format!("/deployments/{id}/resources?type={t}");
    assert_eq!(names(&o.get_json(&list("tosca.nodes.indigo.Compute")).await.1), ["vm"]);
    assert_eq!(names(&o.get_json(&list("tosca.nodes.Compute")).await.1), ["vm"]);
    assert_eq!(names(&o.get_json(&list("tosca.nodes.network.Port")).await.1), ["port"]);
    assert_eq!(o.get_json(&list("tosca.nodes.Root")).await.1["content"].as_array().unwrap().len(), 2);
    let (status, none) = o.get_json(&list("tosca.nodes.compute")).await;
    assert_eq!((status, &none["page"]), (200, &json!({"size": 10, "totalElements": 0, "totalPages": 0, "number": 0})));
    let (_, all) = o.get_json(&list("")).await;
    assert_eq!(all["page"]["totalElements"], 2, "an empty type is no filter");
}

#[tokio::test]
async fn links_keep_the_request_parameters_and_append_paging() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let id = o.create_complete(TEMPLATE).await;
    let (_, page) = o.get_json(&format!("/deployments/{id}/resources?size=5&type=tosca.nodes.Compute")).await;
    assert_eq!(
        page["links"],
        json!([{"rel": "self", "href": o.url(&format!("/deployments/{id}/resources?type=tosca.nodes.Compute&page=0&size=5&sort=createdAt,desc"))}])
    );
    let (_, page) = o.get_json(&format!("/deployments/{id}/resources?size=1")).await;
    let rels: Vec<&str> = page["links"].as_array().unwrap().iter().map(|l| l["rel"].as_str().unwrap()).collect();
    assert_eq!(rels, ["first", "self", "next", "last"]);
    assert_eq!(page["content"].as_array().unwrap().len(), 1);
    let item = &page["content"][0];
    assert_eq!(item["links"][0]["rel"], "deployment");
    assert_eq!(
        item["links"][1]["href"],
        o.url(&format!("/deployments/{id}/resources/{}", item["uuid"].as_str().unwrap()))
    );
}

#[tokio::test]
async fn the_typed_list_is_not_sliced_and_counts_like_page_impl() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let id = o.create_complete(TEMPLATE).await;
    let (_, page) = o.get_json(&format!("/deployments/{id}/resources?type=tosca.nodes.Root&page=1&size=10")).await;
    assert_eq!(page["content"].as_array().unwrap().len(), 2);
    assert_eq!(page["page"], json!({"size": 10, "totalElements": 12, "totalPages": 2, "number": 1}));
    let (_, page) = o.get_json(&format!("/deployments/{id}/resources?type=tosca.nodes.Root&size=1")).await;
    assert_eq!(page["content"].as_array().unwrap().len(), 2);
    assert_eq!(page["page"]["totalElements"], 2);
}

#[tokio::test]
async fn an_invisible_deployment_is_404() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let id = o.create(TEMPLATE).await;
    let (status, body) =
        Orchestrator::as_token(&server, OTHER_ORG_TOKEN).get_json(&format!("/deployments/{id}/resources")).await;
    assert_eq!((status, body), (404, error(404, "Not Found", &format!("The deployment <{id}> doesn't exist"))));
}

/// The contract's `unknownSortProperty` example of an operation's 400 (what `sort=colour` gets).
pub fn documented_unknown_sort(operation: &str) -> Value {
    let contract = contract_tests::contract::Contract::load("orchestrator").expect("openapi/orchestrator.yaml loads");
    contract
        .doc
        .pointer(&format!("{operation}/responses/400/content/application~1json/examples/unknownSortProperty/value"))
        .cloned()
        .unwrap_or_else(|| panic!("{operation}: no unknownSortProperty example"))
}

#[tokio::test]
async fn an_unknown_sort_property_is_the_documented_400() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let id = o.create_complete(TEMPLATE).await;
    let documented = documented_unknown_sort("/paths/~1deployments~1{deploymentId}~1resources/get");
    let (status, body) = o.get_json(&format!("/deployments/{id}/resources?sort=colour")).await;
    assert_eq!((status, &body), (400, &documented));
    assert_eq!(body, error(400, "Bad Request", "No property colour found for type Resource!"));
    // Any unknown property among several, with a direction, and with the `type` filter too.
    let (status, body) = o.get_json(&format!("/deployments/{id}/resources?sort=toscaNodeName,colour,desc")).await;
    assert_eq!((status, body), (400, error(400, "Bad Request", "No property colour found for type Resource!")));
    let (status, _) = o.get_json(&format!("/deployments/{id}/resources?type=tosca.nodes.Compute&sort=colour")).await;
    assert_eq!(status, 400);
    // The resource's own properties sort.
    let (status, page) = o.get_json(&format!("/deployments/{id}/resources?sort=toscaNodeName,asc")).await;
    assert_eq!((status, names(&page)), (200, vec!["port", "vm"]));
    let (_, page) = o.get_json(&format!("/deployments/{id}/resources?sort=toscaNodeName,desc")).await;
    assert_eq!(names(&page), ["vm", "port"]);
}

#[tokio::test]
async fn an_unknown_sort_property_is_the_real_500_on_request() {
    let server = TestStandin::start_with(|c| c.orchestrator.real_500s = true).await;
    let o = Orchestrator::new(&server);
    let id = o.create_complete(TEMPLATE).await;
    let (status, body) = o.get_json(&format!("/deployments/{id}/resources?sort=colour")).await;
    assert_eq!(
        (status, body),
        (500, error(500, "Internal Server Error", "No property colour found for type Resource!"))
    );
}
