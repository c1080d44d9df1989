//! `GET /schedules/{id}/events`: no existence check (an unknown schedule is an empty page), links from the
//! request URL.

use serde_json::json;
use standin::config::Fixtures;
use standin::orchestrator::fixtures::DOCS_TOKEN;

use super::Orchestrator;
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
