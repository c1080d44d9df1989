//! `GET /api/v1/marketplace/consultants`: the consultant list, and tokens from a tokens file
//! (scopes, expiry, audience, JavaScript clients' origins).

use reqwest::Method;
use serde_json::json;
use standin::marketplace::auth::{INVALID_ORIGIN, INVALID_TOKEN};

use super::{get, get_with_token, oauth2_error, send};
use crate::harness::TestStandin;

const SCOPE: &str = "https://openstackid-resources.org/consultants/read";

fn tokens_file() -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("standin-marketplace-tokens-{}.yaml", uuid::Uuid::new_v4()));
    let yaml = format!(
        "tokens:
  consultants-reader:
    scope: \"{SCOPE}\"
    client_id: reader
  expired-reader:
    scope: \"{SCOPE}\"
    expires_at: 2020-01-01T00:00:00Z
  future-reader:
    scope: \"https://elsewhere.example/x {SCOPE}\"
    expires_at: 2999-01-01T00:00:00Z
  foreign-audience:
    scope: \"{SCOPE}\"
    audience: \"resources.example.org other.example.org\"
  local-audience:
    scope: \"{SCOPE}\"
    audience: \"127.0.0.1\"
  js-client:
    scope: \"{SCOPE}\"
    application_type: JS_CLIENT
    allowed_origins: [\"http://app.example.test:9000/\"]
"
    );
    std::fs::write(&path, yaml).unwrap();
    path
}

#[tokio::test]
async fn only_consultants_are_listed() {
    let server = TestStandin::with_docs_fixtures().await;
    let page = get(&server, "/consultants").await.json();
    assert_eq!(page["total"], 20);
    assert_eq!(page["data"][0]["Name"], "Consultant Name");
    assert_eq!(page["data"][0]["Slug"], "consultant-name");
}

#[tokio::test]
async fn tokens_come_from_the_tokens_file() {
    let path = tokens_file();
    let server = TestStandin::start_with(|c| c.marketplace.tokens_file = Some(path.clone())).await;
    assert_eq!(get_with_token(&server, "/consultants", "consultants-reader").await.status, 200);
    assert_eq!(get_with_token(&server, "/consultants", "future-reader").await.status, 200);
    // The built-in tokens are gone when a file is given.
    assert_eq!(get(&server, "/consultants").await.status, 401);
    let expired = get_with_token(&server, "/consultants", "expired-reader").await;
    assert_eq!((expired.status, expired.json()), (401, oauth2_error("invalid_token", INVALID_TOKEN)));
    // The audience must name the requested host.
    let foreign = get_with_token(&server, "/consultants", "foreign-audience").await;
    assert_eq!((foreign.status, foreign.json()), (401, oauth2_error("invalid_token", INVALID_TOKEN)));
    assert_eq!(get_with_token(&server, "/consultants", "local-audience").await.status, 200);
    // Scopes of another family do not grant this one.
    assert_eq!(get_with_token(&server, "/public-clouds", "consultants-reader").await.status, 403);
    std::fs::remove_file(path).ok();
}

#[tokio::test]
async fn a_javascript_clients_token_is_only_good_from_its_origins() {
    let path = tokens_file();
    let server = TestStandin::start_with(|c| c.marketplace.tokens_file = Some(path.clone())).await;
    let from = |origin: Option<&'static str>| {
        let server = &server;
        async move {
            let mut headers = vec![("Authorization", "Bearer js-client")];
            if let Some(origin) = origin {
                headers.push(("Origin", origin));
            }
            send(server, Method::GET, "/consultants", &headers).await
        }
    };
    assert_eq!(from(Some("http://app.example.test:9000")).await.status, 200);
    for origin in [None, Some("http://evil.example.test")] {
        let answer = from(origin).await;
        assert_eq!(answer.status, 403, "{origin:?}");
        assert_eq!(answer.json(), json!({"error": "unauthorized_client", "error_description": INVALID_ORIGIN}));
    }
    std::fs::remove_file(path).ok();
}
