//! `GET /schedules/{id}/events`: no existence check (an unknown schedule is an empty page), links from the
//! request URL.

use serde_json::json;
use standin::config::Fixtures;
use standin::orchestrator::fixtures::DOCS_TOKEN;

use super::list_resources::documented_unknown_sort;
use super::{Orchestrator, error};
use crate::harness::TestStandin;

#[tokio::test]
async fn an_unknown_schedule_has_no_events() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let (status, page) = o.get_json("/schedules/unknown/events").await;
    assert_eq!(status, 200);
    assert_eq!(page["content"], json!([]));
    assert_eq!(page["page"], json!({"size": 10, "totalElements": 0, "totalPages": 0, "number": 0}));
    assert_eq!(page["links"][0]["href"], o.url("/schedules/unknown/events?page=0&size=10&sort=createdAt,desc"));
}

#[tokio::test]
async fn events_embed_their_deployment_without_links_and_page() {
    let server = TestStandin::start_with(|c| c.fixtures = Fixtures::Docs).await;
    let o = Orchestrator::as_token(&server, DOCS_TOKEN);
    let (status, page) = o.get_json("/schedules/mmd34483-d937-4578-bfdb-ebe196bf82dd/events?size=1&page=1").await;
    assert_eq!(status, 200);
    assert_eq!(page["content"][0]["uuid"], "eaefcc31-3446-42e2-885d-29a7d6558529");
    assert_eq!(page["content"][0]["deployment"]["links"], json!([]));
    let rels: Vec<&str> = page["links"].as_array().unwrap().iter().map(|l| l["rel"].as_str().unwrap()).collect();
    assert_eq!(rels, ["first", "prev", "self", "last"]);
}

#[tokio::test]
async fn an_unknown_sort_property_is_the_documented_400() {
    let server = TestStandin::start_with(|c| c.fixtures = Fixtures::Docs).await;
    let o = Orchestrator::as_token(&server, DOCS_TOKEN);
    let documented = documented_unknown_sort("/paths/~1schedules~1{scheduleId}~1events/get");
    let (status, body) = o.get_json("/schedules/mmd34483-d937-4578-bfdb-ebe196bf82dd/events?sort=colour").await;
    assert_eq!((status, &body), (400, &documented));
    assert_eq!(body, error(400, "Bad Request", "No property colour found for type DeploymentScheduleEvent!"));
    // Checked before the (absent) existence check: an unknown schedule is refused the same way.
    let (status, _) = o.get_json("/schedules/unknown/events?sort=name,colour").await;
    assert_eq!(status, 400);
    // The event's own properties sort.
    let (status, page) = o.get_json("/schedules/mmd34483-d937-4578-bfdb-ebe196bf82dd/events?sort=id,asc").await;
    assert_eq!(status, 200);
    let ids: Vec<&str> = page["content"].as_array().unwrap().iter().map(|e| e["uuid"].as_str().unwrap()).collect();
    assert_eq!(ids, ["7b7cd0c4-7d0a-4796-8e1e-38bfba2026be", "eaefcc31-3446-42e2-885d-29a7d6558529"]);
}

#[tokio::test]
async fn an_unknown_sort_property_is_the_real_500_on_request() {
    let server = TestStandin::start_with(|c| c.orchestrator.real_500s = true).await;
    let (status, body) = Orchestrator::new(&server).get_json("/schedules/unknown/events?sort=colour").await;
    assert_eq!(
        (status, body),
        (500, error(500, "Internal Server Error", "No property colour found for type DeploymentScheduleEvent!"))
    );
}
