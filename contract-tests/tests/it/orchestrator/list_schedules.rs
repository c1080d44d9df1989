//! `GET /schedules`: own schedules by default; `createdBy=<sub>@<iss>` only for administrators (400 otherwise,
//! even for the caller's own identity, as the real service).

use reqwest::Method;
use serde_json::json;
use standin::orchestrator::auth::ADMIN_TOKEN;

use super::{Orchestrator, TEMPLATE, error};
use crate::harness::TestStandin;

#[tokio::test]
async fn created_by_rules() {
    let server = TestStandin::start().await;
    let user = Orchestrator::new(&server);
    let body =
        json!({"template": TEMPLATE, "fileExpression": "a", "replicationExpression": "b", "numberOfReplicas": 1});
    let (_, s) = user.call(Method::POST, "/schedules", &body).await;
    let (status, page) = user.get_json("/schedules").await;
    assert_eq!(status, 200);
    assert_eq!(page["content"][0]["uuid"], s["uuid"]);
    assert_eq!(page["links"], json!([{"rel": "self", "href": user.url("/schedules")}]));
    assert_eq!(user.get_json("/schedules?createdBy=me").await.1["page"]["totalElements"], 1);
    let own = "standin-user@https://iam.standin.local/";
    let (status, reply) = user.get_json(&format!("/schedules?createdBy={own}")).await;
    assert_eq!(
        (status, reply),
        (400, error(400, "Bad Request", &format!("Value {own} for param createdBy is illegal")))
    );
    let (status, page) =
        Orchestrator::as_token(&server, ADMIN_TOKEN).get_json(&format!("/schedules?createdBy={own}")).await;
    assert_eq!((status, page["page"]["totalElements"].as_i64()), (200, Some(1)));
    assert_eq!(page["links"][0]["href"], user.url(&format!("/schedules?createdBy={own}")));
}
