//! `GET /api/v1/marketplace/public-clouds/{id}`: lookup by kind, JSON-P (and its refusals, the
//! injection attempts), ETag and 304.

use reqwest::Method;
use serde_json::json;
use standin::marketplace::fixtures::PRIVATE_CLOUD_IDS;
use standin::marketplace::jsonp::REFUSED_MESSAGE;

use super::{contract_example, get, send};
use crate::harness::TestStandin;

const JSONP_EXAMPLE: &str = "/paths/~1api~1v1~1marketplace~1public-clouds~1{id}/get/responses/200/content/text~1javascript/examples/jsonpPublicCloud/value";

#[tokio::test]
async fn the_documented_public_cloud() {
    let server = TestStandin::with_docs_fixtures().await;
    let answer = get(&server, "/public-clouds/123456").await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["Name"], "test public cloud");
    // Ids, flags and foreign keys are strings, slashes are escaped.
    assert!(answer.text.starts_with(r#"{"ID":"123456","Created":"#), "{}", answer.text);
    assert!(answer.text.contains(r#""Call2ActionUri":"http:\/\/...\/","Active":"1","CompanyID":"123456""#));
}

#[tokio::test]
async fn unknown_ids_non_numeric_ids_and_other_kinds_ids_are_not_found() {
    let server = TestStandin::with_docs_fixtures().await;
    for id in
        ["999999999".to_string(), "abc".into(), "123456abc".into(), "-1".into(), (PRIVATE_CLOUD_IDS + 1).to_string()]
    {
        let answer = get(&server, &format!("/public-clouds/{id}")).await;
        assert_eq!((answer.status, answer.json()), (404, json!({"message": "Entity Not Found"})), "{id}");
        assert_eq!(answer.header("etag"), None);
    }
    // The id of a private cloud is a private cloud.
    assert_eq!(get(&server, &format!("/private-clouds/{}", PRIVATE_CLOUD_IDS + 1)).await.status, 200);
}

#[tokio::test]
async fn json_p_wraps_the_body_byte_for_byte_as_the_contract_shows() {
    let server = TestStandin::with_docs_fixtures().await;
    let answer = get(&server, "/public-clouds/123456?callback=cb").await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), Some("text/javascript; charset=UTF-8"));
    assert_eq!(answer.text, contract_example(JSONP_EXAMPLE).as_str().unwrap());
    let plain = get(&server, "/public-clouds/123456").await;
    assert_ne!(answer.header("etag"), plain.header("etag"), "a JSON-P body has its own ETag");
    for name in ["jQuery123_456", "a.b.c", "$", "_x"] {
        let answer = get(&server, &format!("/public-clouds/123456?callback={name}")).await;
        assert!(answer.text.starts_with(&format!("/**/{name}(")), "{name}");
    }
    // An empty callback means none.
    assert_eq!(get(&server, "/public-clouds/123456?callback=").await.header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn injection_attempts_through_callback_are_refused_and_never_echoed() {
    let server = TestStandin::with_docs_fixtures().await;
    for attempt in [
        "alert(1)//",
        "cb()",
        "a..b",
        "1cb",
        "a-b",
        "cb%20",
        "x%3Balert(document.cookie)",
        "%3C%2Fscript%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "cb%0Aalert(1)",
        "cb%E2%80%A8",
        "eval%28name%29",
    ] {
        let answer = get(&server, &format!("/public-clouds/123456?callback={attempt}")).await;
        assert_eq!(answer.status, 400, "{attempt}");
        assert_eq!(answer.header("content-type"), Some("application/json"));
        assert_eq!(answer.json(), json!({"message": REFUSED_MESSAGE}), "{attempt}");
        assert!(!answer.text.contains("alert") && !answer.text.contains("script"), "{attempt} echoed: {}", answer.text);
    }
    // Only a 200 is refused: a missing entity is still 404.
    assert_eq!(get(&server, "/public-clouds/999?callback=alert(1)").await.status, 404);
}

#[tokio::test]
async fn the_real_html_500_for_a_bad_callback_only_behind_its_switch() {
    let server = TestStandin::start_with(|c| {
        c.fixtures = standin::config::Fixtures::Docs;
        c.marketplace.real_bugs = vec![standin::marketplace::RealBug::InvalidCallback500];
    })
    .await;
    let answer = get(&server, "/public-clouds/123456?callback=a-b").await;
    assert_eq!(answer.status, 500);
    assert!(answer.header("content-type").unwrap().starts_with("text/html"));
    assert!(!answer.text.contains("a-b"));
}

#[tokio::test]
async fn if_none_match_gets_304_with_no_body() {
    let server = TestStandin::with_docs_fixtures().await;
    let first = get(&server, "/public-clouds/123456").await;
    let etag = first.header("etag").unwrap().to_string();
    assert!(etag.starts_with('"') && etag.len() == 34, "{etag}");
    assert_eq!(first.header("cache-control"), Some("private, must-revalidate"));
    let conditional = |value: String| {
        let server = &server;
        async move {
            send(
                server,
                Method::GET,
                "/public-clouds/123456",
                &[("Authorization", "Bearer marketplace-token"), ("If-None-Match", &value)],
            )
            .await
        }
    };
    let not_modified = conditional(etag.clone()).await;
    assert_eq!(not_modified.status, 304);
    assert!(not_modified.text.is_empty());
    assert_eq!(not_modified.header("etag"), Some(etag.as_str()));
    assert_eq!(not_modified.header("content-type"), None);
    // The real comparison: quotes dropped, only the first entry, weak and `*` never match.
    assert_eq!(conditional(etag.trim_matches('"').to_string()).await.status, 304);
    assert_eq!(conditional(format!("{etag}, \"other\"")).await.status, 304);
    assert_eq!(conditional(format!("\"other\", {etag}")).await.status, 200);
    assert_eq!(conditional(format!("W/{etag}")).await.status, 200);
    assert_eq!(conditional("*".into()).await.status, 200);
}
