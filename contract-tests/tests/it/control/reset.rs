//! `POST /_standin/reset`: everything, one API's state, or one Barbican project's.

use reqwest::Method;
use serde_json::json;
use standin::config::ApiKind;

use super::control;
use crate::barbican::Barbican;
use crate::harness::TestStandin;

#[tokio::test]
async fn a_project_reset_removes_only_that_projects_orders() {
    let server = TestStandin::start().await;
    let (p1, p2) = (Barbican::new(&server, "p1"), Barbican::new(&server, "p2"));
    let gone = p1.create_key("a").await;
    p1.create_key("b").await;
    p2.create_key("c").await;
    let body = json!({"api": "barbican", "project": "p1"});
    let reply = control(&server, ApiKind::Marketplace, Method::POST, "/reset", Some(body)).await;
    assert_eq!(
        reply,
        (
            200,
            json!({"barbican_orders": 2, "orchestrator_deployments": 0, "orchestrator_schedules": 0, "marketplace_services": 0})
        ),
        "any listener's control plane resets Barbican"
    );
    assert_eq!(p1.get_json("/v1/orders").await.1["total"], 0);
    assert_eq!(p1.get_json(&format!("/v1/orders/{gone}")).await.0, 404);
    assert_eq!(p2.get_json("/v1/orders").await.1["total"], 1, "the other project keeps its order");
    // The count kept for paging starts again from zero.
    p1.create_key("d").await;
    assert_eq!(p1.get_json("/v1/orders").await.1["total"], 1);
}

#[tokio::test]
async fn an_empty_reset_removes_everything() {
    let server = TestStandin::start().await;
    let p1 = Barbican::new(&server, "p1");
    p1.create_key("a").await;
    Barbican::new(&server, "p2").create_key("b").await;
    assert_eq!(
        control(&server, ApiKind::Barbican, Method::POST, "/reset", Some(json!({}))).await,
        (
            200,
            json!({"barbican_orders": 2, "orchestrator_deployments": 0, "orchestrator_schedules": 0, "marketplace_services": 0})
        )
    );
    assert_eq!(p1.get_json("/v1/orders").await.1["total"], 0);
}

#[tokio::test]
async fn a_project_without_barbican_or_an_unknown_api_is_refused() {
    let server = TestStandin::start().await;
    let (status, body) =
        control(&server, ApiKind::Barbican, Method::POST, "/reset", Some(json!({"project": "p1"}))).await;
    assert_eq!((status, body), (400, json!({"message": "`project` scopes a reset of `api: barbican` only"})));
    let (status, body) =
        control(&server, ApiKind::Barbican, Method::POST, "/reset", Some(json!({"api": "nova"}))).await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().contains(r#"found "nova""#), "{body}");
    let resp = server
        .http
        .post(server.url(ApiKind::Barbican, "/_standin/reset"))
        .body("{not json")
        .header("Content-Type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(
        resp.json::<serde_json::Value>().await.unwrap()["message"].is_string(),
        "bad JSON gets the control error body"
    );
}

#[tokio::test]
async fn an_orchestrator_reset_can_take_one_organisation_or_one_owner() {
    use crate::orchestrator::{Orchestrator, TEMPLATE};
    use standin::orchestrator::auth::{COLLEAGUE_TOKEN, OTHER_ORG_TOKEN, USER_TOKEN};
    let server = TestStandin::start().await;
    let (user, colleague) = (Orchestrator::new(&server), Orchestrator::as_token(&server, COLLEAGUE_TOKEN));
    let outsider = Orchestrator::as_token(&server, OTHER_ORG_TOKEN);
    let mine = user.create(TEMPLATE).await;
    let theirs = colleague.create(TEMPLATE).await;
    let elsewhere = outsider.create(TEMPLATE).await;

    let body = json!({"api": "orchestrator", "owner": "standin-colleague@https://iam.standin.local/"});
    let (status, report) = control(&server, ApiKind::Orchestrator, Method::POST, "/reset", Some(body)).await;
    assert_eq!((status, report["orchestrator_deployments"].as_u64()), (200, Some(1)), "{report}");
    assert_eq!(colleague.get_json(&format!("/deployments/{theirs}")).await.0, 404);
    assert_eq!(user.get_json(&format!("/deployments/{mine}")).await.0, 200);
    let (_, page) = user.get_json("/deployments").await;
    assert_eq!(page["page"]["totalElements"], 1, "the organisation's count follows: {page}");

    let body = json!({"api": "orchestrator", "organisation": "elsewhere"});
    let (_, report) = control(&server, ApiKind::Barbican, Method::POST, "/reset", Some(body)).await;
    assert_eq!(report["orchestrator_deployments"], 1);
    assert_eq!(outsider.get_json(&format!("/deployments/{elsewhere}")).await.0, 404);
    assert_eq!(Orchestrator::as_token(&server, USER_TOKEN).get_json(&format!("/deployments/{mine}")).await.0, 200);

    let both = json!({"api": "orchestrator", "organisation": "standin", "owner": "a@b"});
    let (status, body) = control(&server, ApiKind::Barbican, Method::POST, "/reset", Some(both)).await;
    assert_eq!((status, body), (400, json!({"message": "`organisation` or `owner`, not both"})));
    let wrong_api = json!({"api": "barbican", "organisation": "standin"});
    let (status, _) = control(&server, ApiKind::Barbican, Method::POST, "/reset", Some(wrong_api)).await;
    assert_eq!(status, 400);

    let (_, report) = control(&server, ApiKind::Barbican, Method::POST, "/reset", Some(json!({}))).await;
    assert_eq!(report["orchestrator_deployments"], 1, "everything includes the orchestrator");
    let (_, page) = user.get_json("/deployments").await;
    assert_eq!(page["page"]["totalElements"], 0);
}

#[tokio::test]
async fn a_marketplace_reset_empties_it_and_restarts_its_rate_limits() {
    let server = TestStandin::start_with(|c| {
        c.fixtures = standin::config::Fixtures::Docs;
        c.marketplace.rate_limits = vec!["listPublicClouds=1".parse().unwrap()];
    })
    .await;
    assert_eq!(crate::marketplace::get(&server, "/public-clouds").await.status, 200);
    assert_eq!(crate::marketplace::get(&server, "/public-clouds").await.status, 403, "over the limit");
    let body = json!({"api": "marketplace"});
    let (status, report) = control(&server, ApiKind::Marketplace, Method::POST, "/reset", Some(body)).await;
    assert_eq!(status, 200);
    assert!(report["marketplace_services"].as_u64().unwrap() > 0, "{report}");
    let list = crate::marketplace::get(&server, "/public-clouds").await;
    assert_eq!(list.status, 200, "the counters start again");
    assert_eq!(list.json()["total"], 0);
}
