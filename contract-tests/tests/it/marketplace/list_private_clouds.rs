//! `GET /api/v1/marketplace/private-clouds`: the private-cloud list, and CORS (preflights without a
//! token, the allowed origins).

use reqwest::Method;
use standin::marketplace::cors::{ALLOW_HEADERS, ALLOW_METHODS};
use standin::marketplace::fixtures::ENTRIES_PER_KIND;

use super::{get, send};
use crate::harness::TestStandin;

const ORIGIN: &str = "http://app.example.test:9000";

fn preflight_headers(origin: &str) -> Vec<(&str, &str)> {
    vec![
        ("Origin", origin),
        ("Access-Control-Request-Method", "GET"),
        ("Access-Control-Request-Headers", "authorization"),
    ]
}

#[tokio::test]
async fn only_private_clouds_are_listed() {
    let server = TestStandin::with_docs_fixtures().await;
    let page = get(&server, "/private-clouds?page=1&per_page=100").await.json();
    assert_eq!(page["total"], ENTRIES_PER_KIND);
    assert_eq!(page["data"][0]["Name"], "test private cloud");
    assert!(page["data"].as_array().unwrap().iter().all(|e| !e["Name"].as_str().unwrap().contains("public")));
}

#[tokio::test]
async fn a_preflight_from_any_origin_is_answered_without_a_token() {
    let server = TestStandin::with_docs_fixtures().await;
    let answer = send(&server, Method::OPTIONS, "/private-clouds", &preflight_headers(ORIGIN)).await;
    assert_eq!(answer.status, 204);
    assert!(answer.text.is_empty());
    assert_eq!(answer.header("access-control-allow-origin"), Some(ORIGIN));
    assert_eq!(answer.header("access-control-allow-credentials"), Some("true"));
    assert_eq!(answer.header("access-control-allow-headers"), Some(ALLOW_HEADERS));
    assert_eq!(answer.header("access-control-allow-methods"), Some(ALLOW_METHODS));
    assert_eq!(answer.header("access-control-max-age"), Some("3200"));
}

#[tokio::test]
async fn cross_origin_answers_carry_the_allow_origin_header_errors_included() {
    let server = TestStandin::with_docs_fixtures().await;
    let ok = send(
        &server,
        Method::GET,
        "/private-clouds",
        &[("Origin", ORIGIN), ("Authorization", "Bearer marketplace-token")],
    )
    .await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.header("access-control-allow-origin"), Some(ORIGIN));
    assert_eq!(ok.header("access-control-allow-credentials"), Some("true"));
    let refused = send(&server, Method::GET, "/private-clouds", &[("Origin", ORIGIN)]).await;
    assert_eq!(refused.status, 400);
    assert_eq!(refused.header("access-control-allow-origin"), Some(ORIGIN));
    // Same-origin requests (no Origin) get no CORS headers.
    assert_eq!(get(&server, "/private-clouds").await.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn a_preflight_from_an_unknown_origin_is_refused_when_origins_are_configured() {
    let server = TestStandin::start_with(|c| c.marketplace.cors_origins = vec![ORIGIN.to_string()]).await;
    let allowed = send(&server, Method::OPTIONS, "/private-clouds", &preflight_headers(ORIGIN)).await;
    assert_eq!(allowed.status, 204);
    for origin in ["http://evil.example.test", "http://app.example.test:9001", "null"] {
        let answer = send(&server, Method::OPTIONS, "/private-clouds", &preflight_headers(origin)).await;
        assert_eq!(answer.status, 403, "{origin}");
        assert!(answer.text.is_empty());
        assert_eq!(answer.header("access-control-allow-origin"), None, "{origin}");
        let get = send(
            &server,
            Method::GET,
            "/private-clouds",
            &[("Origin", origin), ("Authorization", "Bearer marketplace-token")],
        )
        .await;
        assert_eq!(get.status, 403, "{origin}");
        assert_eq!(get.header("access-control-allow-origin"), None);
    }
}

#[tokio::test]
async fn options_without_a_preflight_method_is_refused_like_the_real_service() {
    let server = TestStandin::start().await;
    let answer = send(&server, Method::OPTIONS, "/private-clouds", &[("Origin", ORIGIN)]).await;
    assert_eq!(answer.status, 403);
}
