//! `GET /api/v1/marketplace/consultants/{id}/offices`.

use serde_json::json;
use standin::marketplace::auth::PUBLIC_CLOUDS_TOKEN;

use super::{get, get_with_token};
use crate::harness::TestStandin;

#[tokio::test]
async fn the_documented_offices_with_their_nulls() {
    let server = TestStandin::with_docs_fixtures().await;
    let answer = get(&server, "/consultants/123456/offices").await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.text,
        r#"{"offices":[{"ID":"45","Created":"2014-04-29 16:02:50","LastEdited":"2014-04-29 16:02:50","Address":null,"Address2":null,"State":"CA","ZipCode":null,"City":"Mountain View","Country":"US","Lat":"37.39","Lng":"-122.08"}]}"#
    );
}

#[tokio::test]
async fn a_consultant_without_offices_has_the_real_empty_body_and_etag() {
    let server = TestStandin::with_docs_fixtures().await;
    let answer = get(&server, "/consultants/1/offices").await;
    assert_eq!(answer.text, r#"{"offices":[]}"#);
    assert_eq!(answer.header("etag"), Some("\"9782bebfaf0ff50cab80a1daceaf06fc\""));
    assert_eq!(get(&server, "/consultants/1/offices?callback=cb").await.text, "/**/cb({\"offices\":[]});");
}

#[tokio::test]
async fn unknown_consultants_and_clouds_have_no_offices() {
    let server = TestStandin::with_docs_fixtures().await;
    for path in ["/consultants/999/offices", "/consultants/1001/offices"] {
        let answer = get(&server, path).await;
        assert_eq!((answer.status, answer.json()), (404, json!({"message": "Entity Not Found"})), "{path}");
    }
    // Clouds have data centers, not offices: not a route.
    assert_eq!(get(&server, "/public-clouds/1/offices").await.status, 404);
}

#[tokio::test]
async fn a_token_without_the_consultants_scope_is_forbidden_before_the_lookup() {
    let server = TestStandin::with_docs_fixtures().await;
    assert_eq!(get_with_token(&server, "/consultants/999/offices", PUBLIC_CLOUDS_TOKEN).await.status, 403);
}
