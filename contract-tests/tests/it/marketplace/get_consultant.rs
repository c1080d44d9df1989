//! `GET /api/v1/marketplace/consultants/{id}`.

use serde_json::json;
use standin::marketplace::auth::PUBLIC_CLOUDS_TOKEN;

use super::{contract_example, get, get_with_token};
use crate::harness::TestStandin;

#[tokio::test]
async fn the_documented_consultant_and_its_json_p() {
    let server = TestStandin::with_docs_fixtures().await;
    let answer = get(&server, "/consultants/123456").await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["Slug"], "consultant_name");
    let wrapped = get(&server, "/consultants/123456?callback=cb").await;
    let example = contract_example(
        "/paths/~1api~1v1~1marketplace~1consultants~1{id}/get/responses/200/content/text~1javascript/examples/jsonpConsultant/value",
    );
    assert_eq!(wrapped.text, example.as_str().unwrap());
}

#[tokio::test]
async fn the_consultants_scope_is_required() {
    let server = TestStandin::with_docs_fixtures().await;
    let answer = get_with_token(&server, "/consultants/123456", PUBLIC_CLOUDS_TOKEN).await;
    assert_eq!(answer.status, 403);
    assert_eq!(answer.json()["scope"], "https://openstackid-resources.org/consultants/read");
}

#[tokio::test]
async fn mysql_id_coercion_only_behind_its_switch() {
    let server = TestStandin::with_docs_fixtures().await;
    assert_eq!(get(&server, "/consultants/123456abc").await.status, 404);
    let coercing = TestStandin::start_with(|c| {
        c.fixtures = standin::config::Fixtures::Docs;
        c.marketplace.real_bugs = vec![standin::marketplace::RealBug::IdCoercion];
    })
    .await;
    let answer = get(&coercing, "/consultants/123456abc").await;
    assert_eq!((answer.status, answer.json()["ID"].clone()), (200, json!("123456")));
}
