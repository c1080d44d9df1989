//! What the marketplace listener does around the nine operations: unknown paths, other methods,
//! the contract, the security headers.

use reqwest::Method;
use serde_json::json;
use standin::config::ApiKind;

use super::{get, send};
use crate::harness::TestStandin;

#[tokio::test]
async fn unknown_paths_are_404_in_the_apis_body() {
    let server = TestStandin::start().await;
    for path in ["/nope", "/public-clouds/1/2/3", "/public-clouds/"] {
        let answer = get(&server, path).await;
        assert_eq!((answer.status, answer.json()), (404, json!({"message": "Not Found"})), "{path}");
    }
}

#[tokio::test]
async fn other_methods_are_405_with_allow() {
    let server = TestStandin::start().await;
    for method in [Method::POST, Method::PUT, Method::DELETE, Method::PATCH] {
        let answer =
            send(&server, method.clone(), "/public-clouds/1", &[("Authorization", "Bearer marketplace-token")]).await;
        assert_eq!(answer.status, 405, "{method}");
        assert_eq!(answer.header("allow"), Some("GET"));
        assert_eq!(answer.json(), json!({"message": "Method Not Allowed"}));
    }
}

#[tokio::test]
async fn the_contract_is_served_and_answers_carry_the_security_headers() {
    let server = TestStandin::with_docs_fixtures().await;
    let yaml = server.http.get(server.url(ApiKind::Marketplace, "/openapi.yaml")).send().await.unwrap();
    assert_eq!(yaml.status(), 200);
    assert!(yaml.text().await.unwrap().contains("operationId: listPublicClouds"));
    let answer = get(&server, "/public-clouds").await;
    assert_eq!(answer.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(answer.header("x-xss-protection"), Some("1; mode=block"));
    let error = get(&server, "/public-clouds/999").await;
    assert_eq!(error.header("cache-control"), Some("no-cache"));
}

#[tokio::test]
async fn options_without_an_origin_lists_the_allowed_methods() {
    let server = TestStandin::start().await;
    let answer = send(&server, Method::OPTIONS, "/consultants/1/offices", &[]).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("allow"), Some("GET"));
}
